package server

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// maxObjectSize is the largest PutObject or part OSS accepts.
const maxObjectSize = 5 << 30

// storedHeaders are the standard headers a writer sets and readers get back.
var storedHeaders = []string{"Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"}

const listTimeFormat = "2006-01-02T15:04:05.000Z"

func attrsFrom(h http.Header) store.Attrs {
	a := store.Attrs{ContentType: h.Get("Content-Type")}
	if a.ContentType == "" {
		a.ContentType = "application/octet-stream"
	}
	for _, name := range storedHeaders {
		if v := h.Get(name); v != "" {
			if a.Headers == nil {
				a.Headers = map[string]string{}
			}
			a.Headers[name] = v
		}
	}
	for name, vs := range h {
		if meta, ok := strings.CutPrefix(strings.ToLower(name), "x-oss-meta-"); ok && meta != "" {
			if a.Meta == nil {
				a.Meta = map[string]string{}
			}
			a.Meta[meta] = strings.Join(vs, ",")
		}
	}
	return a
}

// putOptions reads Content-MD5 and the size hint of the request body.
func (rq *request) putOptions() (store.PutOptions, *ossError) {
	var opts store.PutOptions
	if v := rq.r.Header.Get("Content-MD5"); v != "" {
		sum, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(sum) != 16 {
			return opts, errInvalidDigest()
		}
		opts.ContentMD5 = sum
	}
	if rq.r.ContentLength > maxObjectSize {
		return opts, errEntityTooLarge()
	}
	opts.SizeHint = rq.r.ContentLength
	return opts, nil
}

// body is the request body, cut off (with an error) past the largest object OSS accepts. It
// remembers a read failure so a failed write can be blamed on the client or on the server.
func (rq *request) body() io.Reader {
	rq.reqBody = &limitedBody{r: rq.input(), left: maxObjectSize,
		rc: http.NewResponseController(rq.w), idle: rq.s.cfg.BodyIdleTimeout}
	return rq.reqBody
}

var errBodyTooLarge = errors.New("request body too large")

type limitedBody struct {
	r     io.Reader
	left  int64
	err   error // the first read failure other than EOF
	rc    *http.ResponseController
	idle  time.Duration
	armed time.Time // when the read deadline was last set; zero: never
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, errBodyTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	if l.rc != nil {
		// A stalled sender is cut off. Setting a deadline costs a timer update, so it is
		// set idle+idle/4 ahead and renewed only once idle/4 has passed: every wait of up to
		// idle is still allowed, and a stall is cut off within 1.25 idle.
		if now := time.Now(); l.armed.IsZero() || now.Sub(l.armed) >= l.idle/4 {
			l.rc.SetReadDeadline(now.Add(l.idle + l.idle/4))
			l.armed = now
		}
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if err != nil && err != io.EOF && l.err == nil {
		l.err = err
	}
	return n, err
}

// writeFailed maps a failed store write to a response error.
func (rq *request) writeFailed(err error) *ossError {
	if errors.Is(err, errBodyTooLarge) {
		return errEntityTooLarge()
	}
	if rq.reqBody != nil && rq.reqBody.err != nil {
		// The body did not arrive whole: the client went away or sent less than it declared.
		return errRequestTimeout()
	}
	return storeError(err, rq.bucket, rq.key)
}

func quoted(etag string) string { return `"` + etag + `"` }

func md5Header(info store.ObjectInfo) string {
	var sum [md5.Size]byte
	if info.Type != store.TypeNormal || len(info.ETag) != 2*len(sum) {
		return ""
	}
	if _, err := hex.Decode(sum[:], []byte(info.ETag)); err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(sum[:])
}

func (rq *request) writeInfoHeaders(info store.ObjectInfo) {
	h := rq.w.Header()
	h.Set("ETag", quoted(info.ETag))
	h.Set("X-Oss-Hash-Crc64ecma", strconv.FormatUint(info.CRC64, 10))
	if m := md5Header(info); m != "" {
		h.Set("Content-MD5", m)
	}
}

// classECWrite is the EC of an invalid x-oss-storage-class on PutObject, AppendObject and
// InitiateMultipartUpload; classECCopy on CopyObject (and PutBucket).
const (
	classECWrite = "0017-00000132"
	classECCopy  = "0013-00000101"
)

func (rq *request) putObject() *ossError {
	opts, e := rq.putOptions()
	if e != nil {
		return e
	}
	attrs, e := objectAttrs(rq.r.Header, classECWrite)
	if e != nil {
		return e
	}
	opts.NoOverwrite = rq.forbidOverwrite()
	rate, e := rq.trafficLimit()
	if e != nil {
		return e
	}
	info, err := rq.s.cfg.Store.Put(rq.bucket, rq.key, rq.limitedInput(rate), attrs, opts)
	if err != nil {
		return rq.writeFailed(err)
	}
	rq.writeInfoHeaders(info)
	rq.setVersionHeader(info)
	rq.writeAttrHeaders(store.Attrs{SSE: info.SSE, SSEKeyID: info.SSEKeyID})
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) forbidOverwrite() bool {
	return strings.EqualFold(rq.r.Header.Get("X-Oss-Forbid-Overwrite"), "true")
}

func errFileExists() *ossError {
	return &ossError{Status: 409, Code: "FileAlreadyExists", Message: "The object you specified already exists and can not be overwritten.", EC: "0026-00000009"}
}

// conditions applies If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since (or their
// x-oss-copy-source-* forms when prefix is set). notModified reports a 304.
func conditions(h http.Header, prefix string, info store.ObjectInfo) (notModified bool, e *ossError) {
	get := func(name string) string { return h.Get(prefix + name) }
	if v := get("If-Match"); v != "" && !etagMatches(v, info.ETag) {
		return false, errPreconditionFailed("If-Match")
	}
	if v := get("If-Unmodified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && info.LastModified.After(t) {
			return false, errPreconditionFailed("If-Unmodified-Since")
		}
	}
	if v := get("If-None-Match"); v != "" && etagMatches(v, info.ETag) {
		if prefix != "" {
			return false, errPreconditionFailed("If-None-Match")
		}
		return true, nil
	}
	if v := get("If-Modified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && !info.LastModified.After(t) {
			if prefix != "" {
				return false, errPreconditionFailed("If-Modified-Since")
			}
			return true, nil
		}
	}
	return false, nil
}

func etagMatches(list, etag string) bool {
	for _, v := range strings.Split(list, ",") {
		if v = trimETag(v); v == "*" || strings.EqualFold(v, etag) {
			return true
		}
	}
	return false
}

// parseRange reads a single "bytes=a-b", "bytes=a-" or "bytes=-n" range. ok is false when the
// header is absent or not a single byte range (OSS then ignores it); valid is false when it is
// well formed but cannot be satisfied for size. clipped tells that a valid range reached past the
// object (an end at or beyond size, a suffix longer than size) and [start, end] was cut to fit:
// OSS serves such a range only with `x-oss-range-behavior: standard`.
func parseRange(v string, size int64) (start, end int64, ok, valid, clipped bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(v), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false, false
	}
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false, false, false
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	num := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil && n >= 0 && !strings.HasPrefix(s, "+")
	}
	switch {
	case a == "" && b == "":
		return 0, 0, false, false, false
	case a == "":
		n, good := num(b)
		if !good {
			return 0, 0, false, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false, false
		}
		return max(size-n, 0), size - 1, true, true, n > size
	default:
		s, good := num(a)
		if !good {
			return 0, 0, false, false, false
		}
		e := size - 1
		if b != "" {
			if e, good = num(b); !good {
				return 0, 0, false, false, false
			}
		}
		if s >= size || s > e {
			return 0, 0, true, false, false
		}
		return s, min(e, size-1), true, true, e >= size
	}
}

func (rq *request) writeObjectHeaders(info store.ObjectInfo) {
	h := rq.w.Header()
	h.Set("Content-Type", info.ContentType)
	for k, v := range info.Headers {
		h.Set(k, v)
	}
	for k, v := range info.Meta {
		h.Set("x-oss-meta-"+k, v)
	}
	h.Set("Last-Modified", info.LastModified.UTC().Format(http.TimeFormat))
	h.Set("X-Oss-Object-Type", info.Type)
	h.Set("X-Oss-Storage-Class", info.StorageClass)
	rq.writeAttrHeaders(info.Attrs)
	h.Set("Accept-Ranges", "bytes")
	if info.Type == store.TypeAppendable {
		h.Set("X-Oss-Next-Append-Position", strconv.FormatInt(info.Size, 10))
	}
	rq.writeInfoHeaders(info)
	if len(rq.query) == 0 {
		return
	}
	for _, o := range responseOverrides {
		if v := rq.query.Get(o.param); v != "" {
			h.Set(o.header, v)
		}
	}
}

// responseOverrides are the query parameters of a GET that set a response header.
var responseOverrides = [...]struct{ param, header string }{
	{"response-content-type", "Content-Type"}, {"response-content-language", "Content-Language"},
	{"response-expires", "Expires"}, {"response-cache-control", "Cache-Control"},
	{"response-content-disposition", "Content-Disposition"}, {"response-content-encoding", "Content-Encoding"},
}

func (rq *request) getObject(head bool) *ossError {
	rate, e := rq.trafficLimit()
	if e != nil {
		return e
	}
	info, target, r, e := rq.openResolved(rq.key, !head)
	if e != nil {
		return e
	}
	if r != nil {
		defer r.Close()
	}
	now := rq.s.cfg.Now()
	if !head && !readable(target, now) && !rq.archiveDirectRead(target) {
		return errInvalidObjectState() // until restored; HEAD still describes it
	}
	notModified, e := conditions(rq.r.Header, "", info)
	if e != nil {
		return e
	}
	rq.writeObjectHeaders(info)
	h := rq.w.Header()
	if m := md5Header(target); m != "" {
		h.Set("Content-MD5", m) // through a symlink, the target's
	}
	if v := restoreInfo(target, now); v != "" {
		h.Set("X-Oss-Restore", v)
	}
	if notModified {
		rq.writeHeader(http.StatusNotModified)
		return nil
	}
	start, length, status := int64(0), info.Size, http.StatusOK
	if v := rq.r.Header.Get("Range"); v != "" {
		s, end, ok, valid, clipped := parseRange(v, info.Size)
		standard := strings.EqualFold(rq.r.Header.Get("X-Oss-Range-Behavior"), "standard")
		switch {
		case ok && valid && clipped && !standard:
			// OSS's default ("compatible") behaviour: a range reaching past the object is
			// invalid and ignored, so the whole object comes with 200.
		case ok && valid:
			start, length, status = s, end-s+1, http.StatusPartialContent
			h.Set("Content-Range", "bytes "+strconv.FormatInt(s, 10)+"-"+strconv.FormatInt(end, 10)+"/"+strconv.FormatInt(info.Size, 10))
		case ok && standard:
			h.Del("ETag")
			h.Set("Content-Range", "bytes */"+strconv.FormatInt(info.Size, 10))
			return &ossError{Status: 416, Code: "InvalidRange", Message: "The requested range cannot be satisfied", EC: "0026-00000002"}
		}
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	rq.writeHeader(status)
	if head || length == 0 {
		return nil
	}
	buf := rq.s.copyBufs.Get().(*[]byte)
	defer rq.s.copyBufs.Put(buf)
	var out io.Writer = onlyWriter{rq.w}
	if rate > 0 {
		out = throttledWriter{w: out, p: newPacer(rate)}
	}
	io.CopyBuffer(out, io.NewSectionReader(r, start, length), *buf)
	return nil
}

// copyBufSize is the size of the buffers object bodies are sent through: large reads keep
// the system calls per GiB few. The buffers are pooled, as zeroing a fresh one cost a small
// GET more CPU (and garbage) than the rest of the request.
const copyBufSize = 256 << 10

// onlyWriter hides ReadFrom so io.CopyBuffer uses our buffer size.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }

func (rq *request) getObjectMeta() *ossError {
	info, e := rq.statVersion()
	if e != nil {
		return e
	}
	h := rq.w.Header()
	h.Set("ETag", quoted(info.ETag))
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	h.Set("Last-Modified", info.LastModified.UTC().Format(http.TimeFormat))
	h.Set("X-Oss-Hash-Crc64ecma", strconv.FormatUint(info.CRC64, 10))
	return nil
}

// copySource parses x-oss-copy-source: "/bucket/url-encoded-key", optionally "?versionId=id".
func (rq *request) copySource() (bucket, key, versionID string, e *ossError) {
	raw := rq.r.Header.Get("X-Oss-Copy-Source")
	src, query, hasQuery := strings.Cut(raw, "?")
	src, err := url.PathUnescape(strings.TrimPrefix(src, "/"))
	bucket, key, found := strings.Cut(src, "/")
	if err != nil || !found || store.ValidateKey(key) != nil || store.ValidateBucketName(bucket) != nil {
		return "", "", "", errInvalidArgument("x-oss-copy-source", raw, "Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.")
	}
	if hasQuery {
		q, err := url.ParseQuery(query)
		if versionID = q.Get("versionId"); err != nil || versionID == "" {
			return "", "", "", errInvalidArgument("x-oss-copy-source", raw, "The version id in the copy source is not valid.")
		}
	}
	return bucket, key, versionID, nil
}

// openSource opens the copy source and applies the x-oss-copy-source-if-* conditions.
func (rq *request) openSource() (store.ObjectInfo, store.ReadAtCloser, *ossError) {
	bucket, key, versionID, e := rq.copySource()
	if e != nil {
		return store.ObjectInfo{}, nil, e
	}
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return store.ObjectInfo{}, nil, storeError(err, rq.bucket, rq.key)
	}
	info, r, err := rq.s.cfg.Store.OpenVersion(bucket, key, versionID)
	if errors.Is(err, store.ErrNoSuchVersion) {
		return store.ObjectInfo{}, nil, errNoSuchVersion(key, versionID).withEC("0012-00000203")
	}
	if err != nil {
		return store.ObjectInfo{}, nil, storeError(err, bucket, key)
	}
	if versionID != "" || info.VersionID != "" {
		rq.w.Header().Set("X-Oss-Copy-Source-Version-Id", versionName(info.VersionID))
	}
	if info.Type == store.TypeSymlink { // a copy of a link copies what it points to
		r.Close()
		if info, r, err = rq.s.cfg.Store.Open(bucket, info.SymlinkTarget); err != nil || info.Type == store.TypeSymlink {
			if err == nil {
				r.Close()
			}
			return store.ObjectInfo{}, nil, errSymlinkTargetMissing(key)
		}
	}
	if !readable(info, rq.s.cfg.Now()) {
		r.Close()
		return store.ObjectInfo{}, nil, errInvalidObjectState()
	}
	if _, e := conditions(rq.r.Header, "x-oss-copy-source-", info); e != nil {
		r.Close()
		return store.ObjectInfo{}, nil, e
	}
	return info, r, nil
}

type copyResult struct {
	XMLName      xml.Name `xml:"CopyObjectResult"`
	ETag         string
	LastModified string
}

// copyAttrs are the attributes of a copy: the source's metadata unless x-oss-metadata-directive
// is REPLACE, its tags unless x-oss-tagging-directive is REPLACE; the storage class and
// encryption the request names, else the destination bucket's defaults.
func (rq *request) copyAttrs(src store.Attrs) (store.Attrs, *ossError) {
	given, e := objectAttrs(rq.r.Header, classECCopy)
	if e != nil {
		return given, e
	}
	attrs := src
	if strings.EqualFold(rq.r.Header.Get("X-Oss-Metadata-Directive"), "REPLACE") {
		attrs = attrsFrom(rq.r.Header)
		attrs.Tagging = src.Tagging
	}
	if strings.EqualFold(rq.r.Header.Get("X-Oss-Tagging-Directive"), "REPLACE") {
		attrs.Tagging = given.Tagging
	}
	attrs.StorageClass, attrs.SSE, attrs.SSEKeyID, attrs.ACL = given.StorageClass, given.SSE, given.SSEKeyID, given.ACL
	return attrs, nil
}

func (rq *request) copyObject() *ossError {
	src, r, e := rq.openSource()
	if e != nil {
		return e
	}
	defer r.Close()
	attrs, e := rq.copyAttrs(src.Attrs)
	if e != nil {
		return e
	}
	info, err := rq.s.cfg.Store.Put(rq.bucket, rq.key, io.NewSectionReader(r, 0, src.Size), attrs,
		store.PutOptions{Type: src.Type, SizeHint: src.Size, NoOverwrite: rq.forbidOverwrite()})
	if err != nil {
		return rq.writeFailed(err)
	}
	rq.writeInfoHeaders(info)
	rq.setVersionHeader(info)
	return rq.writeXML(copyResult{ETag: quoted(info.ETag), LastModified: info.LastModified.UTC().Format(listTimeFormat)})
}

func (rq *request) appendObject() *ossError {
	if rq.has("versionId") {
		return errInvalidArgument("versionId", rq.query.Get("versionId"), "AppendObject does not support the versionId parameter.").withEC("0016-00000504")
	}
	raw := rq.query.Get("position")
	position, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || position < 0 {
		return errInvalidArgument("position", raw, "Position is not valid.")
	}
	opts, e := rq.putOptions()
	if e != nil {
		return e
	}
	attrs, e := objectAttrs(rq.r.Header, classECWrite)
	if e != nil {
		return e
	}
	rate, e := rq.trafficLimit()
	if e != nil {
		return e
	}
	info, err := rq.s.cfg.Store.Append(rq.bucket, rq.key, position, rq.limitedInput(rate), attrs, opts)
	if err != nil {
		return rq.writeFailed(err)
	}
	h := rq.w.Header()
	h.Set("X-Oss-Next-Append-Position", strconv.FormatInt(info.Size, 10))
	rq.writeInfoHeaders(info)
	rq.setVersionHeader(info)
	h.Set("Content-Length", "0")
	return nil
}

// writeXML sends v as the response body.
func (rq *request) writeXML(v any) *ossError {
	body, err := xml.Marshal(v)
	if err != nil {
		return &ossError{Status: 500, Code: "InternalError", Message: "encoding response: " + err.Error(), EC: "0000-00000001"}
	}
	body = append([]byte(xml.Header), body...)
	h := rq.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	rq.writeHeader(http.StatusOK)
	rq.w.Write(body)
	return nil
}

// The delete request and result documents.
type deleteRequest struct {
	Quiet   bool `xml:"Quiet"`
	Objects []struct {
		Key       string  `xml:"Key"`
		VersionID *string `xml:"VersionId"`
	} `xml:"Object"`
}

// deletedKey is one <Deleted>: with a version id, the version removed (DeleteMarker when it was a
// marker); without, in a versioned bucket, the marker added (DeleteMarkerVersionId).
type deletedKey struct {
	Key                   string `xml:"Key"`
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:"DeleteMarker,omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

type deleteResult struct {
	XMLName      xml.Name     `xml:"DeleteResult"`
	EncodingType string       `xml:"EncodingType,omitempty"`
	Deleted      []deletedKey `xml:"Deleted"`
}

// decodeDelete decodes a batch delete, whose keys may hold characters XML forbids (see
// escapeControls).
func decodeDelete(raw []byte) (*deleteRequest, *ossError) {
	escaped, rewritten, err := escapeControls(raw, maxDeleteXML)
	if err != nil {
		return nil, errMalformedXML()
	}
	var req deleteRequest
	if e := decodeXML(escaped, &req); e != nil {
		return nil, e
	}
	if rewritten {
		for i := range req.Objects {
			req.Objects[i].Key = unescapeControls(req.Objects[i].Key)
		}
	}
	return &req, nil
}

func (rq *request) deleteMultiple() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	if rq.r.Header.Get("Content-MD5") == "" {
		return (&ossError{Status: 400, Code: "MissingArgument", Message: "Missing Some Required Arguments.", EC: "0016-00000502"}).with("ArgumentName", "Content-MD5")
	}
	opts, e := rq.putOptions()
	if e != nil {
		return e
	}
	raw, e := rq.readXMLBody(maxDeleteXML)
	if e != nil {
		return e
	}
	if !digestMatches(raw, opts.ContentMD5) {
		return errInvalidDigest()
	}
	req, e := decodeDelete(raw)
	if e != nil {
		return e
	}
	if len(req.Objects) == 0 || len(req.Objects) > 1000 {
		return errMalformedXML()
	}
	for _, o := range req.Objects { // all or nothing: refused before any is deleted
		if e := rq.s.wormProtects(&b, o.Key); e != nil {
			return e
		}
	}
	encode := rq.query.Get("encoding-type") == "url"
	res := deleteResult{}
	if encode {
		res.EncodingType = "url"
	}
	for _, o := range req.Objects {
		key, versionID := o.Key, ""
		if o.VersionID != nil {
			if versionID = *o.VersionID; versionID == "" || b.Versioning == "" {
				return errInvalidArgument("VersionId", versionID, "The version id is not valid for this bucket.")
			}
		}
		info, err := rq.s.cfg.Store.DeleteVersion(rq.bucket, key, versionID)
		if err != nil && !errors.Is(err, store.ErrNoSuchKey) && !errors.Is(err, store.ErrNoSuchVersion) && !errors.Is(err, store.ErrInvalidKey) {
			return storeError(err, rq.bucket, key)
		}
		rq.s.replicateKey(&b, key)
		if req.Quiet {
			continue
		}
		d := deletedKey{Key: key}
		if encode {
			d.Key = urlEncode(key)
		}
		switch {
		case versionID != "":
			d.VersionID, d.DeleteMarker = versionID, err == nil && info.DeleteMarker
			if d.DeleteMarker {
				d.DeleteMarkerVersionID = versionID
			}
		case err == nil && info.DeleteMarker:
			d.DeleteMarker, d.DeleteMarkerVersionID = true, versionName(info.VersionID)
		}
		res.Deleted = append(res.Deleted, d)
	}
	return rq.writeXML(res)
}

// urlEncode encodes as OSS does for encoding-type=url: like a query value, with spaces as %20.
func urlEncode(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

func digestMatches(body, want []byte) bool {
	sum := md5.Sum(body)
	return want == nil || bytes.Equal(sum[:], want)
}
