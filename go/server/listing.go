package server

import (
	"encoding/base64"
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

// The owner every object and bucket reports: this server has a single user.
var theOwner = owner{ID: "1000000000000000", DisplayName: "1000000000000000"}

type contents struct {
	Key          string
	LastModified string
	ETag         string
	Type         string
	Size         int64
	StorageClass string
	RestoreInfo  string `xml:",omitempty"`
	Owner        *owner `xml:"Owner,omitempty"`
}

type commonPrefix struct {
	Prefix string
}

type listResult struct {
	XMLName               xml.Name `xml:"ListBucketResult"`
	Name                  string
	Prefix                string
	Marker                *string `xml:"Marker"`
	StartAfter            *string `xml:"StartAfter,omitempty"`
	ContinuationToken     *string `xml:"ContinuationToken,omitempty"`
	MaxKeys               int
	Delimiter             string
	EncodingType          string `xml:"EncodingType,omitempty"`
	IsTruncated           bool
	NextMarker            string `xml:"NextMarker,omitempty"`
	NextContinuationToken string `xml:"NextContinuationToken,omitempty"`
	KeyCount              *int   `xml:"KeyCount,omitempty"`
	Contents              []contents
	CommonPrefixes        []commonPrefix
}

// page is one page of a listing: objects and common prefixes in key order, and where the next
// page starts (the last key or prefix returned) when truncated.
type page struct {
	objects   []store.ObjectInfo
	prefixes  []string
	truncated bool
	next      string
}

// listPage walks keys after `after` under prefix, rolling keys that contain delimiter past the
// prefix into common prefixes; each object and each prefix counts toward max.
func (rq *request) listPage(prefix, delimiter, after string, max int) (page, *ossError) {
	var p page
	count := 0
	err := rq.s.cfg.Store.List(rq.bucket, store.ListOptions{Prefix: prefix, After: after}, func(o store.ObjectInfo) bool {
		cp := ""
		if delimiter != "" {
			if i := strings.Index(o.Key[len(prefix):], delimiter); i >= 0 {
				cp = o.Key[:len(prefix)+i+len(delimiter)]
			}
		}
		if cp != "" && (cp <= after || (len(p.prefixes) > 0 && p.prefixes[len(p.prefixes)-1] == cp)) {
			return true // already returned, on this page or an earlier one
		}
		if count == max {
			p.truncated = max > 0 // an empty page that says "truncated" would loop clients
			return false
		}
		count++
		if cp != "" {
			p.prefixes = append(p.prefixes, cp)
			p.next = cp
		} else {
			p.objects = append(p.objects, o)
			p.next = o.Key
		}
		return true
	})
	if err != nil {
		return p, storeError(err, rq.bucket, "")
	}
	if !p.truncated {
		p.next = ""
	}
	return p, nil
}

func (rq *request) maxKeys(name string, def int) (int, *ossError) {
	raw := rq.query.Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > 1000 {
		return 0, errInvalidArgument(name, raw, "Argument "+name+" must be an integer between 0 and 1000.")
	}
	return n, nil
}

// encoder returns the function that encodes keys and prefixes in a listing response.
func (rq *request) encoder() (func(string) string, string, *ossError) {
	switch et := rq.query.Get("encoding-type"); et {
	case "":
		return func(s string) string { return s }, "", nil
	case "url":
		return urlEncode, "url", nil
	default:
		return nil, "", errInvalidArgument("encoding-type", et, "The encoding-type you specified is not valid.")
	}
}

func fillPage(res *listResult, p page, enc func(string) string, withOwner bool, now time.Time) {
	for _, o := range p.objects {
		c := contents{Key: enc(o.Key), LastModified: o.LastModified.UTC().Format(listTimeFormat), ETag: quoted(o.ETag),
			Type: o.Type, Size: o.Size, StorageClass: o.StorageClass, RestoreInfo: restoreInfo(o, now)}
		if withOwner {
			own := theOwner
			c.Owner = &own
		}
		res.Contents = append(res.Contents, c)
	}
	for _, cp := range p.prefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: enc(cp)})
	}
	res.IsTruncated = p.truncated
}

// listingFormat reads what both listing versions share: max-keys and encoding-type.
func (rq *request) listingFormat() (max int, enc func(string) string, et string, e *ossError) {
	if max, e = rq.maxKeys("max-keys", 100); e != nil {
		return 0, nil, "", e
	}
	enc, et, e = rq.encoder()
	return max, enc, et, e
}

func (rq *request) listObjects() *ossError {
	max, enc, et, e := rq.listingFormat()
	if e != nil {
		return e
	}
	prefix, delimiter, marker := rq.query.Get("prefix"), rq.query.Get("delimiter"), rq.query.Get("marker")
	p, e := rq.listPage(prefix, delimiter, marker, max)
	if e != nil {
		return e
	}
	m := enc(marker)
	res := listResult{Name: rq.bucket, Prefix: enc(prefix), Marker: &m, MaxKeys: max, Delimiter: enc(delimiter), EncodingType: et}
	fillPage(&res, p, enc, true, rq.s.cfg.Now())
	if p.truncated {
		res.NextMarker = enc(p.next)
	}
	return rq.writeXML(res)
}

func (rq *request) listObjectsV2() *ossError {
	max, enc, et, e := rq.listingFormat()
	if e != nil {
		return e
	}
	prefix, delimiter := rq.query.Get("prefix"), rq.query.Get("delimiter")
	after := rq.query.Get("start-after")
	res := listResult{Name: rq.bucket, Prefix: enc(prefix), MaxKeys: max, Delimiter: enc(delimiter), EncodingType: et}
	if after != "" {
		sa := enc(after)
		res.StartAfter = &sa
	}
	if token := rq.query.Get("continuation-token"); token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return errInvalidArgument("continuation-token", token, "The continuation token provided is incorrect.")
		}
		after = string(raw)
		res.ContinuationToken = &token
	}
	p, e := rq.listPage(prefix, delimiter, after, max)
	if e != nil {
		return e
	}
	fillPage(&res, p, enc, rq.query.Get("fetch-owner") == "true", rq.s.cfg.Now())
	if p.truncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(p.next))
	}
	n := len(p.objects) + len(p.prefixes)
	res.KeyCount = &n
	return rq.writeXML(res)
}
