package server

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// WORM (a bucket's retention policy): initiated InProgress, then locked by complete; an
// unlocked policy can be aborted and lapses after a day, a locked one only extended. The
// policy is kept as its WormConfiguration document in the bucket's configs, so a --root store
// keeps it across restarts.

const wormConfig = "worm"

// wormPending is how long an InProgress policy waits for its complete.
const wormPending = 24 * time.Hour

type wormConfiguration struct {
	XMLName        xml.Name `xml:"WormConfiguration"`
	WormID         string   `xml:"WormId"`
	State          string   `xml:"State"`
	Days           int      `xml:"RetentionPeriodInDays"`
	CreationDate   string   `xml:"CreationDate"`
	ExpirationDate string   `xml:"ExpirationDate,omitempty"`
}

const (
	wormInProgress = "InProgress"
	wormLocked     = "Locked"
)

func errNoSuchWORM() *ossError {
	return &ossError{Status: 404, Code: "NoSuchWORMConfiguration", Message: "The WORM Configuration does not exist.", EC: "0027-00000001"}
}

func errWORMLocked() *ossError {
	return &ossError{Status: 409, Code: "WORMConfigurationLocked", Message: "The WORM Configuration is locked.", EC: "0027-00000002"}
}

func errInvalidWORMState(msg string) *ossError {
	return &ossError{Status: 409, Code: "InvalidWORMConfigurationState", Message: msg, EC: "0027-00000004"}
}

// currentWorm is the bucket's policy, nil when there is none (or an unlocked one has lapsed).
func currentWorm(b *store.BucketInfo, now time.Time) *wormConfiguration {
	doc, ok := b.Configs[wormConfig]
	if !ok {
		return nil
	}
	var w wormConfiguration
	if xml.Unmarshal([]byte(doc), &w) != nil {
		return nil
	}
	if w.State == wormInProgress {
		created, err := time.Parse(time.RFC3339, w.CreationDate)
		if err == nil && now.Sub(created) > wormPending {
			return nil
		}
	}
	return &w
}

// readWormDays reads the retention days of an Initiate or Extend document (OSS allows 1 to
// 25550 days, 70 years).
func (rq *request) readWormDays(root string) (int, *ossError) {
	raw, e := rq.familyDocument()
	if e != nil {
		return 0, e
	}
	var doc struct {
		XMLName xml.Name
		Days    string `xml:"RetentionPeriodInDays"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return 0, e
	}
	if doc.XMLName.Local != root {
		return 0, errMalformedXML()
	}
	days, ok := parseBoundedInt(doc.Days, 1, 25550)
	if !ok {
		return 0, errInvalidArgument("RetentionPeriodInDays", doc.Days, "RetentionPeriodInDays must be between 1 and 25550.")
	}
	return days, nil
}

// updateWorm runs change on the bucket's current policy and stores what it returns (nil: none).
func (rq *request) updateWorm(change func(w *wormConfiguration, b *store.BucketInfo) (*wormConfiguration, *ossError)) (*wormConfiguration, *ossError) {
	var out *wormConfiguration
	e := rq.updateConfig(wormConfig, func(_ string, b *store.BucketInfo) (string, *ossError) {
		next, e := change(currentWorm(b, rq.s.cfg.Now()), b)
		if e != nil || next == nil {
			return "", e
		}
		raw, err := xml.Marshal(next)
		if err != nil {
			return "", errInternal(err)
		}
		out = next
		return string(raw), nil
	})
	return out, e
}

func (rq *request) initiateBucketWorm() *ossError {
	days, e := rq.readWormDays("InitiateWormConfiguration")
	if e != nil {
		return e
	}
	w, e := rq.updateWorm(func(w *wormConfiguration, b *store.BucketInfo) (*wormConfiguration, *ossError) {
		if b.Versioning != "" {
			return nil, &ossError{Status: 400, Code: "InvalidArgument", Message: "WORM cannot be configured for a bucket with versioning.", EC: "0027-00000003"}
		}
		if w != nil && w.State == wormLocked {
			return nil, errWORMLocked()
		}
		id := make([]byte, 16)
		rand.Read(id)
		return &wormConfiguration{WormID: strings.ToUpper(hex.EncodeToString(id)), State: wormInProgress, Days: days,
			CreationDate: rq.s.cfg.Now().UTC().Format(time.RFC3339)}, nil
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("x-oss-worm-id", w.WormID)
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) getBucketWorm() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	w := currentWorm(&b, rq.s.cfg.Now())
	if w == nil {
		return errNoSuchWORM().with("BucketName", rq.bucket)
	}
	return rq.writeXML(w)
}

func (rq *request) abortBucketWorm() *ossError {
	_, e := rq.updateWorm(func(w *wormConfiguration, _ *store.BucketInfo) (*wormConfiguration, *ossError) {
		switch {
		case w == nil:
			return nil, errNoSuchWORM().with("BucketName", rq.bucket)
		case w.State == wormLocked:
			return nil, errWORMLocked()
		}
		return nil, nil
	})
	if e != nil {
		return e
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

// wormByID is the current policy when id names it.
func (rq *request) wormByID(w *wormConfiguration) *ossError {
	id := rq.query.Get("wormId")
	if w == nil || w.WormID != id {
		return errNoSuchWORM().with("BucketName", rq.bucket).with("WormId", id)
	}
	return nil
}

func (rq *request) completeBucketWorm() *ossError {
	_, e := rq.updateWorm(func(w *wormConfiguration, _ *store.BucketInfo) (*wormConfiguration, *ossError) {
		if e := rq.wormByID(w); e != nil {
			return nil, e
		}
		if w.State == wormLocked {
			return nil, errInvalidWORMState("The WORM Configuration is already locked.")
		}
		w.State = wormLocked
		return w, nil
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) extendBucketWorm() *ossError {
	days, e := rq.readWormDays("ExtendWormConfiguration")
	if e != nil {
		return e
	}
	_, e = rq.updateWorm(func(w *wormConfiguration, _ *store.BucketInfo) (*wormConfiguration, *ossError) {
		if e := rq.wormByID(w); e != nil {
			return nil, e
		}
		if w.State != wormLocked {
			return nil, errInvalidWORMState("Only a locked WORM Configuration can be extended.")
		}
		if days <= w.Days {
			return nil, errInvalidArgument("RetentionPeriodInDays", strconv.Itoa(days), "The retention period can only be extended.")
		}
		w.Days = days
		return w, nil
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

// wormRoute finds the handler of a WORM request, or nil.
func (rq *request) wormRoute(m string) func() *ossError {
	switch {
	case rq.has("wormExtend") && m == http.MethodPost:
		return rq.extendBucketWorm
	case rq.has("wormId") && m == http.MethodPost:
		return rq.completeBucketWorm
	case rq.has("worm") && m == http.MethodPost:
		return rq.initiateBucketWorm
	case rq.has("worm") && m == http.MethodGet:
		return rq.getBucketWorm
	case rq.has("worm") && m == http.MethodDelete:
		return rq.abortBucketWorm
	}
	return nil
}

func errFileImmutable(key string) *ossError {
	return (&ossError{Status: 409, Code: "FileImmutable", Message: "The object is protected by the bucket's retention policy.", EC: "0027-00000101"}).with("Key", key)
}

// wormGuard refuses a request that would overwrite or delete an object while the bucket's
// retention policy (InProgress or Locked) protects it: for its retention period after it was
// last written.
func (rq *request) wormGuard(m string) *ossError {
	if !contentChange(rq, m) {
		return nil
	}
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return nil // the handler answers for a missing bucket
	}
	return rq.s.wormProtects(&b, rq.key)
}

// wormProtects is FileImmutable when the bucket's retention policy protects key: for a
// request, and for the server's own writes (async fetch, replication into the bucket).
func (s *Server) wormProtects(b *store.BucketInfo, key string) *ossError {
	if _, ok := b.Configs[wormConfig]; !ok {
		return nil
	}
	now := s.cfg.Now()
	w := currentWorm(b, now)
	if w == nil {
		return nil
	}
	info, err := s.cfg.Store.Stat(b.Name, key)
	if err != nil {
		return nil // nothing there to protect
	}
	if info.LastModified.Add(time.Duration(w.Days) * 24 * time.Hour).After(now) {
		return errFileImmutable(key)
	}
	return nil
}

// wormBlocksVersioning: a bucket with a retention policy cannot have versioning, as OSS says.
func (rq *request) wormBlocksVersioning() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil || currentWorm(&b, rq.s.cfg.Now()) == nil {
		return nil
	}
	return &ossError{Status: 400, Code: "InvalidArgument", Message: "Versioning cannot be enabled for a bucket with a retention policy.", EC: "0027-00000003"}
}

// contentChange: the object request writes or deletes the key's content (put, copy, symlink,
// append, multipart completion, delete), not a part, a sub-resource or a read.
func contentChange(rq *request, m string) bool {
	switch {
	case m == http.MethodDelete:
		return !rq.has("uploadId") && !hasSubresource(rq.query)
	case m == http.MethodPut:
		return (!hasSubresource(rq.query) || rq.has("symlink")) && !rq.has("partNumber")
	case m == http.MethodPost:
		return rq.has("append") || rq.has("uploadId")
	}
	return false
}
