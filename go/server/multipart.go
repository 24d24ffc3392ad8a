package server

import (
	"encoding/xml"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

type initResult struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	Bucket   string
	Key      string
	UploadID string `xml:"UploadId"`
}

func (rq *request) initUpload() *ossError {
	attrs, e := objectAttrs(rq.r.Header, classECWrite)
	if e != nil {
		return e
	}
	u, err := rq.s.cfg.Store.InitUpload(rq.bucket, rq.key, attrs)
	if err != nil {
		return storeError(err, rq.bucket, rq.key)
	}
	rq.writeAttrHeaders(store.Attrs{SSE: attrs.SSE, SSEKeyID: attrs.SSEKeyID})
	return rq.writeXML(initResult{Bucket: rq.bucket, Key: rq.key, UploadID: u.UploadID})
}

func (rq *request) partNumber() (int, *ossError) {
	raw := rq.query.Get("partNumber")
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 10000 {
		return 0, errInvalidArgument("partNumber", raw, "Part number must be an integer between 1 and 10000, inclusive.")
	}
	return n, nil
}

func (rq *request) uploadFailed(err error) *ossError {
	if e := storeError(err, rq.bucket, rq.key); e != nil && e.Code == "NoSuchUpload" {
		return errNoSuchUpload(rq.query.Get("uploadId"))
	}
	return rq.writeFailed(err)
}

func (rq *request) uploadPart() *ossError {
	n, e := rq.partNumber()
	if e != nil {
		return e
	}
	opts, e := rq.putOptions()
	if e != nil {
		return e
	}
	if _, ok := rq.r.Header["X-Oss-Server-Side-Encryption"]; ok {
		// Encryption is chosen once, at InitiateMultipartUpload.
		return errInvalidArgument("x-oss-server-side-encryption", rq.r.Header.Get("X-Oss-Server-Side-Encryption"),
			"The x-oss-server-side-encryption header is not allowed on UploadPart.")
	}
	rate, e := rq.trafficLimit()
	if e != nil {
		return e
	}
	p, err := rq.s.cfg.Store.PutPart(rq.bucket, rq.key, rq.query.Get("uploadId"), n, rq.limitedInput(rate), opts)
	if err != nil {
		return rq.uploadFailed(err)
	}
	h := rq.w.Header()
	h.Set("ETag", quoted(p.ETag))
	h.Set("X-Oss-Hash-Crc64ecma", strconv.FormatUint(p.CRC64, 10))
	h.Set("Content-Length", "0")
	return nil
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"CopyPartResult"`
	LastModified string
	ETag         string
}

func (rq *request) uploadPartCopy() *ossError {
	n, e := rq.partNumber()
	if e != nil {
		return e
	}
	src, r, e := rq.openSource()
	if e != nil {
		return e
	}
	defer r.Close()
	start, length := int64(0), src.Size
	if v := rq.r.Header.Get("X-Oss-Copy-Source-Range"); v != "" {
		s, end, ok, valid, _ := parseRange(v, src.Size)
		if !ok || !valid {
			return &ossError{Status: 416, Code: "InvalidRange", Message: "The requested range cannot be satisfied", EC: "0026-00000002"}
		}
		start, length = s, end-s+1
	}
	p, err := rq.s.cfg.Store.PutPart(rq.bucket, rq.key, rq.query.Get("uploadId"), n, io.NewSectionReader(r, start, length), store.PutOptions{SizeHint: length})
	if err != nil {
		return rq.uploadFailed(err)
	}
	rq.w.Header().Set("X-Oss-Hash-Crc64ecma", strconv.FormatUint(p.CRC64, 10))
	rq.w.Header().Set("ETag", quoted(p.ETag))
	return rq.writeXML(copyPartResult{LastModified: p.LastModified.UTC().Format(listTimeFormat), ETag: quoted(p.ETag)})
}

type completeRequest struct {
	Parts []struct {
		PartNumber int
		ETag       string
	} `xml:"Part"`
}

type completeResult struct {
	XMLName      xml.Name `xml:"CompleteMultipartUploadResult"`
	EncodingType string   `xml:"EncodingType,omitempty"`
	Location     string
	Bucket       string
	Key          string
	ETag         string
}

func (rq *request) completeUpload() *ossError {
	enc, et, e := rq.encoder() // checked before anything is committed
	if e != nil {
		return e
	}
	uploadID := rq.query.Get("uploadId")
	var parts []store.CompletePart
	if strings.EqualFold(rq.r.Header.Get("X-Oss-Complete-All"), "yes") {
		listed, err := rq.s.cfg.Store.ListParts(rq.bucket, rq.key, uploadID)
		if err != nil {
			return rq.uploadFailed(err)
		}
		for _, p := range listed {
			parts = append(parts, store.CompletePart{Number: p.Number, ETag: p.ETag})
		}
	} else {
		raw, e := rq.readXMLBody(maxRequestXML)
		if e != nil {
			return e
		}
		var req completeRequest
		if e := decodeXML(raw, &req); e != nil {
			return e
		}
		for _, p := range req.Parts {
			parts = append(parts, store.CompletePart{Number: p.PartNumber, ETag: trimETag(p.ETag)})
		}
	}
	info, err := rq.s.cfg.Store.Complete(rq.bucket, rq.key, uploadID, parts, store.PutOptions{NoOverwrite: rq.forbidOverwrite()})
	if err != nil {
		return rq.uploadFailed(err)
	}
	rq.w.Header().Set("ETag", quoted(info.ETag))
	rq.w.Header().Set("X-Oss-Hash-Crc64ecma", strconv.FormatUint(info.CRC64, 10))
	rq.setVersionHeader(info)
	return rq.writeXML(completeResult{EncodingType: et, Location: "http://" + rq.r.Host + "/" + rq.bucket + "/" + enc(rq.key),
		Bucket: rq.bucket, Key: enc(rq.key), ETag: quoted(info.ETag)})
}

func (rq *request) abortUpload() *ossError {
	if err := rq.s.cfg.Store.Abort(rq.bucket, rq.key, rq.query.Get("uploadId")); err != nil {
		return rq.uploadFailed(err)
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

type partEntry struct {
	PartNumber    int
	LastModified  string
	ETag          string
	HashCrc64ecma uint64
	Size          int64
}

type listPartsResult struct {
	XMLName              xml.Name `xml:"ListPartsResult"`
	Bucket               string
	Key                  string
	UploadID             string `xml:"UploadId"`
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	Parts                []partEntry `xml:"Part"`
}

func (rq *request) listParts() *ossError {
	max, e := rq.maxKeys("max-parts", 1000)
	if e != nil {
		return e
	}
	marker := 0
	if raw := rq.query.Get("part-number-marker"); raw != "" {
		var err error
		if marker, err = strconv.Atoi(raw); err != nil {
			return errInvalidArgument("part-number-marker", raw, "The part-number-marker is not valid.")
		}
	}
	uploadID := rq.query.Get("uploadId")
	parts, err := rq.s.cfg.Store.ListParts(rq.bucket, rq.key, uploadID)
	if err != nil {
		return rq.uploadFailed(err)
	}
	res := listPartsResult{Bucket: rq.bucket, Key: rq.key, UploadID: uploadID, PartNumberMarker: marker, MaxParts: max}
	for _, p := range parts {
		if p.Number <= marker {
			continue
		}
		if len(res.Parts) == max {
			res.IsTruncated = max > 0 // an empty page that says "truncated" would loop clients
			break
		}
		res.Parts = append(res.Parts, partEntry{PartNumber: p.Number, LastModified: p.LastModified.UTC().Format(listTimeFormat),
			ETag: quoted(p.ETag), HashCrc64ecma: p.CRC64, Size: p.Size})
		res.NextPartNumberMarker = p.Number
	}
	return rq.writeXML(res)
}

type uploadEntry struct {
	Key       string
	UploadID  string `xml:"UploadId"`
	Initiated string
}

type listUploadsResult struct {
	XMLName            xml.Name `xml:"ListMultipartUploadsResult"`
	Bucket             string
	EncodingType       string `xml:"EncodingType,omitempty"`
	KeyMarker          string
	UploadIDMarker     string `xml:"UploadIdMarker"`
	NextKeyMarker      string
	NextUploadIDMarker string `xml:"NextUploadIdMarker"`
	Delimiter          string
	Prefix             string
	MaxUploads         int
	IsTruncated        bool
	Uploads            []uploadEntry  `xml:"Upload"`
	CommonPrefixes     []commonPrefix `xml:"CommonPrefixes"`
}

func (rq *request) listUploads() *ossError {
	max, e := rq.maxKeys("max-uploads", 1000)
	if e != nil {
		return e
	}
	enc, et, e := rq.encoder()
	if e != nil {
		return e
	}
	uploads, err := rq.s.cfg.Store.ListUploads(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	prefix, delimiter := rq.query.Get("prefix"), rq.query.Get("delimiter")
	keyMarker, idMarker := rq.query.Get("key-marker"), rq.query.Get("upload-id-marker")
	res := listUploadsResult{Bucket: rq.bucket, EncodingType: et, KeyMarker: enc(keyMarker), UploadIDMarker: idMarker,
		Delimiter: enc(delimiter), Prefix: enc(prefix), MaxUploads: max}
	sort.SliceStable(uploads, func(i, j int) bool { return uploads[i].Key < uploads[j].Key })
	count := 0
	lastPrefix := ""
	for _, u := range uploads {
		if !strings.HasPrefix(u.Key, prefix) {
			continue
		}
		if u.Key < keyMarker || (u.Key == keyMarker && (idMarker == "" || u.UploadID <= idMarker)) {
			continue
		}
		cp := ""
		if delimiter != "" {
			if i := strings.Index(u.Key[len(prefix):], delimiter); i >= 0 {
				cp = u.Key[:len(prefix)+i+len(delimiter)]
			}
		}
		if cp != "" && (cp <= keyMarker || cp == lastPrefix) {
			continue // returned already, on this page or an earlier one
		}
		if count == max {
			res.IsTruncated = true
			break
		}
		count++
		if cp != "" {
			lastPrefix = cp
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: enc(cp)})
			res.NextKeyMarker, res.NextUploadIDMarker = enc(cp), ""
			continue
		}
		res.Uploads = append(res.Uploads, uploadEntry{Key: enc(u.Key), UploadID: u.UploadID, Initiated: u.Initiated.UTC().Format(listTimeFormat)})
		res.NextKeyMarker, res.NextUploadIDMarker = enc(u.Key), u.UploadID
	}
	return rq.writeXML(res)
}
