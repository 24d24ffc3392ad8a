package server

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Versioning as OSS documents it: the store keeps each key's versions and delete markers; here
// are the versionId parameter, the x-oss-version-id and x-oss-delete-marker headers, the errors
// of versioned requests and ListObjectVersions. A bucket whose versioning was never enabled
// answers as before: no version headers.

// versionName is the id OSS shows for a stored version id: "null" for the null version.
func versionName(id string) string {
	if id == "" {
		return store.NullVersion
	}
	return id
}

func errNoSuchVersion(key, versionID string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchVersion", Message: "The specified version does not exist.", EC: "0026-00000001"}).
		with("Key", key).with("VersionId", versionID)
}

// versionParam is the request's versionId ("" when absent). OSS refuses an empty one, and one
// sent to a bucket whose versioning was never enabled.
func (rq *request) versionParam() (string, *ossError) {
	if !rq.has("versionId") {
		return "", nil
	}
	v := rq.query.Get("versionId")
	if v == "" {
		return "", errInvalidArgument("versionId", v, "The versionId parameter is empty.").withEC("0012-00000201")
	}
	if b, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return "", storeError(err, rq.bucket, rq.key)
	} else if b.Versioning == "" {
		return "", errInvalidArgument("versionId", v, "Versioning is not enabled for the bucket.").withEC("0012-00000301")
	}
	return v, nil
}

func (e *ossError) withEC(ec string) *ossError {
	e.EC = ec
	return e
}

// objectError maps a store error on the request's object. Behind a delete marker OSS answers
// 404 NoSuchKey; a request naming a marker by versionId gets 405 MethodNotAllowed; both carry
// the marker's headers.
func (rq *request) objectError(err error) *ossError {
	var dm *store.DeleteMarkerError
	if errors.As(err, &dm) {
		e := errNoSuchKey(rq.key)
		if rq.has("versionId") {
			e = &ossError{Status: 405, Code: "MethodNotAllowed", Message: "The specified method is not allowed against this resource.", EC: "0017-00000002"}
		}
		e.Header = map[string]string{"x-oss-delete-marker": "true", "x-oss-version-id": versionName(dm.VersionID),
			"Last-Modified": dm.LastModified.UTC().Format(http.TimeFormat)}
		return e
	}
	if errors.Is(err, store.ErrNoSuchVersion) {
		return errNoSuchVersion(rq.key, rq.query.Get("versionId"))
	}
	return storeError(err, rq.bucket, rq.key)
}

// setVersionHeader sends x-oss-version-id for a version of an object in a bucket whose
// versioning was ever enabled.
func (rq *request) setVersionHeader(info store.ObjectInfo) {
	if info.VersionID == "" {
		if b, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil || b.Versioning == "" {
			return
		}
	}
	rq.w.Header().Set("X-Oss-Version-Id", versionName(info.VersionID))
}

// statVersion and updateVersion are Stat and UpdateObject on the version the request names.
func (rq *request) statVersion() (store.ObjectInfo, *ossError) {
	v, e := rq.versionParam()
	if e != nil {
		return store.ObjectInfo{}, e
	}
	info, err := rq.s.cfg.Store.StatVersion(rq.bucket, rq.key, v)
	if err != nil {
		return info, rq.objectError(err)
	}
	rq.setVersionHeader(info)
	return info, nil
}

func (rq *request) updateVersion(fn func(*store.ObjectInfo) error) (store.ObjectInfo, error) {
	v, e := rq.versionParam()
	if e != nil {
		return store.ObjectInfo{}, e
	}
	info, err := rq.s.cfg.Store.UpdateObjectVersion(rq.bucket, rq.key, v, fn)
	if err == nil {
		rq.setVersionHeader(info)
	}
	return info, err
}

// updateError maps an error of updateVersion.
func (rq *request) updateError(err error) *ossError {
	var e *ossError
	if errors.As(err, &e) {
		return e
	}
	return rq.objectError(err)
}

func (rq *request) deleteObject() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, rq.key)
	}
	v, e := rq.versionParam()
	if e != nil {
		return e
	}
	info, err := rq.s.cfg.Store.DeleteVersion(rq.bucket, rq.key, v)
	switch {
	case errors.Is(err, store.ErrNoSuchKey), errors.Is(err, store.ErrNoSuchVersion):
		// OSS does not check that what it deletes exists.
	case err != nil:
		return storeError(err, rq.bucket, rq.key)
	case b.Versioning != "":
		h := rq.w.Header()
		h.Set("X-Oss-Version-Id", versionName(info.VersionID))
		if info.DeleteMarker {
			h.Set("X-Oss-Delete-Marker", "true")
		}
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

type versionEntry struct {
	Key          string
	VersionID    string `xml:"VersionId"`
	IsLatest     bool
	LastModified string
	ETag         string `xml:",omitempty"`
	Type         string `xml:",omitempty"`
	Size         *int64 `xml:",omitempty"`
	StorageClass string `xml:",omitempty"`
	RestoreInfo  string `xml:",omitempty"`
	Owner        owner
}

type listVersionsResult struct {
	XMLName         xml.Name `xml:"ListVersionsResult"`
	Name            string
	Prefix          string
	KeyMarker       string
	VersionIDMarker string `xml:"VersionIdMarker"`
	MaxKeys         int
	Delimiter       string
	EncodingType    string `xml:"EncodingType,omitempty"`
	IsTruncated     bool
	// Both markers are written on every truncated page, NextVersionIdMarker empty after a
	// common prefix (oss2 reads both whenever IsTruncated), and neither on the last page.
	NextKeyMarker       *string `xml:",omitempty"`
	NextVersionIDMarker *string `xml:"NextVersionIdMarker,omitempty"`
	// Entries keeps versions and delete markers in listing order, each under its own element.
	Entries        []versionElem
	CommonPrefixes []commonPrefix
}

type versionElem struct {
	XMLName xml.Name // Version or DeleteMarker
	versionEntry
}

// listObjectVersions answers GET /?versions: every version and delete marker, by key and then
// newest first, paged by key-marker and version-id-marker; each version, marker and common
// prefix counts toward max-keys.
func (rq *request) listObjectVersions() *ossError {
	max, enc, et, e := rq.listingFormat()
	if e != nil {
		return e
	}
	prefix, delimiter := rq.query.Get("prefix"), rq.query.Get("delimiter")
	keyMarker, idMarker := rq.query.Get("key-marker"), rq.query.Get("version-id-marker")
	if idMarker != "" && keyMarker == "" {
		return errInvalidArgument("version-id-marker", idMarker, "A version-id marker cannot be specified without a key marker.")
	}
	res := listVersionsResult{Name: rq.bucket, Prefix: enc(prefix), KeyMarker: enc(keyMarker), VersionIDMarker: idMarker,
		MaxKeys: max, Delimiter: enc(delimiter), EncodingType: et}
	now := rq.s.cfg.Now()
	count, lastPrefix, nextKey, nextID := 0, "", "", ""
	err := rq.s.cfg.Store.ListVersions(rq.bucket, store.ListOptions{Prefix: prefix, After: keyMarker, AfterVersion: idMarker},
		func(v store.ObjectInfo, latest bool) bool {
			cp := ""
			if delimiter != "" {
				if i := strings.Index(v.Key[len(prefix):], delimiter); i >= 0 {
					cp = v.Key[:len(prefix)+i+len(delimiter)]
				}
			}
			if cp != "" && (cp <= keyMarker || cp == lastPrefix) {
				return true // returned already, on this page or an earlier one
			}
			if count == max {
				res.IsTruncated = max > 0 // an empty page that says "truncated" would loop clients
				return false
			}
			count++
			if cp != "" {
				lastPrefix = cp
				res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: enc(cp)})
				nextKey, nextID = enc(cp), ""
				return true
			}
			entry := versionEntry{Key: enc(v.Key), VersionID: versionName(v.VersionID), IsLatest: latest,
				LastModified: v.LastModified.UTC().Format(listTimeFormat), Owner: theOwner}
			name := "DeleteMarker"
			if !v.DeleteMarker {
				name = "Version"
				size := v.Size
				entry.ETag, entry.Type, entry.Size, entry.StorageClass = quoted(v.ETag), v.Type, &size, v.StorageClass
				entry.RestoreInfo = restoreInfo(v, now)
			}
			res.Entries = append(res.Entries, versionElem{XMLName: xml.Name{Local: name}, versionEntry: entry})
			nextKey, nextID = enc(v.Key), versionName(v.VersionID)
			return true
		})
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	if res.IsTruncated {
		res.NextKeyMarker, res.NextVersionIDMarker = &nextKey, &nextID
	}
	return rq.writeXML(res)
}
