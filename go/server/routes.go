package server

import "net/http"

// The sub-resources of buckets and objects beyond the basic ones server.go routes: ACLs,
// tagging, symlinks, restore, bucket settings and CORS preflight.

// bucketSubresource finds the handler of a bucket sub-resource request, or nil.
func (rq *request) bucketSubresource(m string) func() *ossError {
	switch {
	case m == http.MethodOptions:
		return rq.preflight
	case rq.has("acl") && m == http.MethodGet:
		return rq.getBucketACL
	case rq.has("acl") && m == http.MethodPut:
		return rq.putBucketACL
	case rq.has("tagging") && m == http.MethodGet:
		return rq.getBucketTagging
	case rq.has("tagging") && m == http.MethodPut:
		return rq.putBucketTagging
	case rq.has("tagging") && m == http.MethodDelete:
		return rq.deleteBucketTagging
	case rq.has("stat") && m == http.MethodGet:
		return rq.getBucketStat
	}
	if h := rq.familySubresource(m); h != nil {
		return h
	}
	for name, set := range bucketSettings {
		if !rq.has(name) {
			continue
		}
		switch {
		case m == http.MethodGet:
			return func() *ossError { return rq.getBucketSetting(name, set) }
		case m == http.MethodPut:
			return func() *ossError { return rq.putBucketSetting(name, set) }
		case m == http.MethodDelete && set.del:
			return func() *ossError { return rq.deleteBucketSetting(name) }
		}
	}
	return nil
}

// objectSubresource finds the handler of an object sub-resource request, or nil.
func (rq *request) objectSubresource(m string) func() *ossError {
	switch {
	case m == http.MethodOptions:
		return rq.preflight
	case rq.has("acl") && m == http.MethodGet:
		return rq.getObjectACL
	case rq.has("acl") && m == http.MethodPut:
		return rq.putObjectACL
	case rq.has("tagging") && m == http.MethodGet:
		return rq.getObjectTagging
	case rq.has("tagging") && m == http.MethodPut:
		return rq.putObjectTagging
	case rq.has("tagging") && m == http.MethodDelete:
		return rq.deleteObjectTagging
	case rq.has("symlink") && m == http.MethodGet:
		return rq.getSymlink
	case rq.has("symlink") && m == http.MethodPut:
		return rq.putSymlink
	case rq.has("restore") && m == http.MethodPost:
		return rq.restoreObject
	}
	return nil
}
