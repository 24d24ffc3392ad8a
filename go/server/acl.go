package server

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Object and bucket ACLs: stored, reported, and enforced for unsigned requests. An object's ACL
// is "default" (the bucket's) unless set; public-read lets anyone read, public-read-write lets
// anyone also write. A server started with --anonymous treats every unsigned request as the
// owner's instead, as before ACLs existed.

const aclDefault = "default"

func errInvalidObjectACL(v string) *ossError {
	e := errInvalidArgument("x-oss-object-acl", v, "no such object access control exists")
	e.EC = "0026-00000003"
	return e
}

// objectACLFrom reads x-oss-object-acl; "" when absent.
func objectACLFrom(h http.Header) (string, *ossError) {
	vs, ok := h["X-Oss-Object-Acl"]
	if !ok {
		return "", nil
	}
	v := strings.Join(vs, ",")
	if v != aclDefault && !validACLs[v] {
		return "", errInvalidObjectACL(v)
	}
	if v == aclDefault {
		return "", nil
	}
	return v, nil
}

type accessControlPolicy struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Owner   owner
	Grant   string `xml:"AccessControlList>Grant"`
}

func (rq *request) getObjectACL() *ossError {
	info, e := rq.statVersion()
	if e != nil {
		return e
	}
	acl := info.ACL
	if acl == "" {
		acl = aclDefault
	}
	return rq.writeXML(accessControlPolicy{Owner: theOwner, Grant: acl})
}

func (rq *request) putObjectACL() *ossError {
	if _, ok := rq.r.Header["X-Oss-Object-Acl"]; !ok {
		return errInvalidObjectACL("")
	}
	acl, e := objectACLFrom(rq.r.Header)
	if e != nil {
		return e
	}
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	if e := rq.refusePublicACL(acl); e != nil {
		return e
	}
	_, err := rq.updateVersion(func(o *store.ObjectInfo) error {
		o.ACL = acl
		return nil
	})
	if err != nil {
		return rq.updateError(err)
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) getBucketACL() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	return rq.writeXML(accessControlPolicy{Owner: theOwner, Grant: bucketACL(b)})
}

func (rq *request) putBucketACL() *ossError {
	v := rq.r.Header.Get("X-Oss-Acl")
	if !validACLs[v] {
		return errInvalidACL(v)
	}
	if e := rq.refusePublicACL(v); e != nil {
		return e
	}
	if _, err := rq.s.cfg.Store.UpdateBucket(rq.bucket, func(b *store.BucketInfo) error {
		b.ACL = v
		return nil
	}); err != nil {
		return storeError(err, rq.bucket, "")
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func bucketACL(b store.BucketInfo) string {
	if b.ACL == "" {
		return "private" // stores written before ACLs
	}
	return b.ACL
}

// anonymousWrites are the object operations (by sub-resource) a public-read-write ACL opens to
// anyone: writing, appending, multipart uploads and deleting. Changing ACLs, tags or other
// settings stays the owner's.
var anonymousWrites = map[string]bool{"append": true, "position": true, "uploads": true, "uploadId": true, "partNumber": true}

// anonymousReads are the sub-resources besides none that a public-read ACL opens: HEAD ?objectMeta.
var anonymousReads = map[string]bool{"objectMeta": true}

func onlySubresources(q map[string][]string, allowed map[string]bool) bool {
	for k := range q {
		if !plainParams[k] && !allowed[k] {
			return false
		}
	}
	return true
}

// authorizeAnonymous decides an unsigned request on a server that does not accept every one:
// the bucket's or object's ACL must allow it, as OSS decides for anonymous users.
func (rq *request) authorizeAnonymous() *ossError {
	denied := errAccessDenied("You have no right to access this object because of bucket acl.")
	if rq.r.Method == http.MethodOptions {
		return nil // CORS preflight: browsers never sign it
	}
	if rq.bucket == "" {
		return denied
	}
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	if rq.publicAccessBlocked(b) {
		return errAccessDenied("Public access is blocked for this bucket.")
	}
	acl := bucketACL(b)
	read := rq.r.Method == http.MethodGet || rq.r.Method == http.MethodHead
	if rq.key == "" {
		if read && !hasSubresource(rq.query) && acl != "private" {
			return nil
		}
		return denied
	}
	if info, err := rq.s.cfg.Store.Stat(rq.bucket, rq.key); err == nil && info.ACL != "" {
		acl = info.ACL
		denied = errAccessDenied("You have no right to access this object.")
	} else if err != nil && !errors.Is(err, store.ErrNoSuchKey) {
		return storeError(err, rq.bucket, rq.key)
	}
	switch {
	case read && onlySubresources(rq.query, anonymousReads):
		if acl == "public-read" || acl == "public-read-write" {
			return nil
		}
	case !read && acl == "public-read-write" && onlySubresources(rq.query, anonymousWrites):
		return nil
	}
	return denied
}
