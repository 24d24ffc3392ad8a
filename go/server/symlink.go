package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Symlinks: an object of type Symlink holds no content, only the key of its target in the same
// bucket. GET and HEAD through a link answer with the target's content, length, ETag and CRC,
// the later of the two Last-Modified, and the link's own type (Symlink), metadata and other
// attributes, as OSS does.

func errNotSymlink() *ossError {
	return &ossError{Status: 400, Code: "NotSymlink", Message: "The specified object is not a symlink.", EC: "0043-00000101"}
}

func errSymlinkTargetMissing(key string) *ossError {
	e := errNoSuchKey(key)
	e.Message, e.EC = "The symlink target object does not exist", "0026-00000012"
	return e
}

func (rq *request) putSymlink() *ossError {
	raw := rq.r.Header.Get("X-Oss-Symlink-Target")
	target, err := url.PathUnescape(raw)
	if raw == "" || err != nil {
		return errInvalidArgument("x-oss-symlink-target", raw, "The symlink target is missing or not url-encoded.")
	}
	if store.ValidateKey(target) != nil {
		return errInvalidObjectName(target)
	}
	attrs, e := objectAttrs(rq.r.Header, classECWrite)
	if e != nil {
		return e
	}
	attrs.SymlinkTarget = target
	info, err := rq.s.cfg.Store.Put(rq.bucket, rq.key, strings.NewReader(""), attrs,
		store.PutOptions{Type: store.TypeSymlink, NoOverwrite: rq.forbidOverwrite()})
	if err != nil {
		return storeError(err, rq.bucket, rq.key)
	}
	rq.setVersionHeader(info)
	rq.w.Header().Set("ETag", quoted(info.ETag))
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) getSymlink() *ossError {
	info, e := rq.statVersion()
	if e != nil {
		return e
	}
	if info.Type != store.TypeSymlink {
		return errNotSymlink()
	}
	h := rq.w.Header()
	h.Set("X-Oss-Symlink-Target", url.PathEscape(info.SymlinkTarget))
	h.Set("ETag", quoted(info.ETag))
	h.Set("Last-Modified", info.LastModified.UTC().Format(http.TimeFormat))
	h.Set("Content-Type", info.ContentType)
	for k, v := range info.Meta {
		h.Set("x-oss-meta-"+k, v)
	}
	h.Set("Content-Length", "0")
	return nil
}

// openResolved opens an object; for a symlink it opens the target and returns the merged view a
// reader of the link sees, with target the target's own info (for its class and state).
// The request's versionId names a version of the link (or object) itself; a link's target is
// read at its latest version. Without open (a HEAD) nothing is opened and r is nil: the disk
// store would open and close the content's files for nothing.
func (rq *request) openResolved(key string, open bool) (info, target store.ObjectInfo, r store.ReadAtCloser, e *ossError) {
	v, e := rq.versionParam()
	if e != nil {
		return info, info, nil, e
	}
	lookup := func(key, versionID string) (info store.ObjectInfo, r store.ReadAtCloser, err error) {
		if open {
			return rq.s.cfg.Store.OpenVersion(rq.bucket, key, versionID)
		}
		info, err = rq.s.cfg.Store.StatVersion(rq.bucket, key, versionID)
		return info, nil, err
	}
	closeReader := func() {
		if r != nil {
			r.Close()
		}
	}
	info, r, err := lookup(key, v)
	if err != nil {
		return info, info, nil, rq.objectError(err)
	}
	rq.setVersionHeader(info)
	if info.Type != store.TypeSymlink {
		return info, info, r, nil
	}
	closeReader()
	link := info
	target, r, err = lookup(link.SymlinkTarget, "")
	if errors.Is(err, store.ErrNoSuchKey) {
		return info, info, nil, errSymlinkTargetMissing(key)
	}
	if err != nil {
		return info, info, nil, storeError(err, rq.bucket, key)
	}
	if target.Type == store.TypeSymlink { // OSS follows one link, never a chain
		closeReader()
		return info, info, nil, errSymlinkTargetMissing(key)
	}
	merged := link
	merged.Size, merged.ETag, merged.CRC64 = target.Size, target.ETag, target.CRC64
	if target.LastModified.After(merged.LastModified) {
		merged.LastModified = target.LastModified
	}
	return merged, target, r, nil
}
