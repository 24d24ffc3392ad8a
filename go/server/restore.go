package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Archive and restore: an object of an archive class (Archive, ColdArchive, DeepColdArchive)
// cannot be read until restored. RestoreObject starts a restore that takes the server's restore
// delay (--restore-delay), after which the object is readable for the days asked; HEAD reports
// the state in x-oss-restore, listings in RestoreInfo.

// defaultRestoreDelay is how long a restore takes unless configured: short, so demos and tests
// need not wait as for OSS's hours.
const defaultRestoreDelay = time.Second

func errRestoreInProgress() *ossError {
	return &ossError{Status: 409, Code: "RestoreAlreadyInProgress", Message: "The restore operation is in progress.", EC: "0016-00000701"}
}

func errOperationNotSupported() *ossError {
	return &ossError{Status: 400, Code: "OperationNotSupported", Message: "The operation is not supported for this resource", EC: "0016-00000702"}
}

// readable reports whether the content of an object may be read at now.
func readable(info store.ObjectInfo, now time.Time) bool {
	return !store.Archived(info.StorageClass) || restoreState(info, now) == restored
}

type restoreStatus int

const (
	notRestored restoreStatus = iota
	restoring
	restored
)

func restoreState(info store.ObjectInfo, now time.Time) restoreStatus {
	switch {
	case info.RestoreReady.IsZero() || !now.Before(info.RestoreExpiry):
		return notRestored
	case now.Before(info.RestoreReady):
		return restoring
	}
	return restored
}

// restoreInfo is the x-oss-restore header (and a listing's RestoreInfo); "" when not restored.
func restoreInfo(info store.ObjectInfo, now time.Time) string {
	switch restoreState(info, now) {
	case restoring:
		return `ongoing-request="true"`
	case restored:
		return `ongoing-request="false", expiry-date="` + info.RestoreExpiry.UTC().Format(http.TimeFormat) + `"`
	}
	return ""
}

type restoreRequest struct {
	Days int
	Tier *string `xml:"JobParameters>Tier"`
}

func (rq *request) restoreObject() *ossError {
	info, e := rq.statVersion()
	if e != nil {
		return e
	}
	class := info.StorageClass
	if !store.Archived(class) {
		return errOperationNotSupported()
	}
	req := restoreRequest{Days: 1}
	if rq.r.ContentLength != 0 {
		raw, e := rq.readXMLBody(maxRequestXML)
		if e != nil {
			return e
		}
		if len(raw) > 0 {
			if e := decodeXML(raw, &req); e != nil {
				return e
			}
		}
	}
	maxDays := 365
	if class == store.ClassArchive {
		maxDays = 7
	}
	if req.Days < 1 || req.Days > maxDays {
		return errInvalidArgument("Days", strconv.Itoa(req.Days), "The restore days must be between 1 and "+strconv.Itoa(maxDays)+".")
	}
	tier := ""
	switch {
	case class == store.ClassArchive && req.Tier != nil:
		return errMalformedXML() // Archive objects have one restore speed
	case class == store.ClassArchive:
	case req.Tier == nil:
		tier = "Standard"
	case *req.Tier == "Expedited" || *req.Tier == "Standard" || (*req.Tier == "Bulk" && class == store.ClassColdArchive):
		tier = *req.Tier
	default:
		return errInvalidArgument("Tier", *req.Tier, "The restore tier you specified is not valid.")
	}

	now := rq.s.cfg.Now()
	days := time.Duration(req.Days) * 24 * time.Hour
	status := http.StatusAccepted
	_, err := rq.updateVersion(func(o *store.ObjectInfo) error {
		switch restoreState(*o, now) {
		case restoring:
			return errRestoreBusy
		case restored: // asked again once restored: the copy is kept longer
			status = http.StatusOK
			o.RestoreExpiry = now.Add(days)
		default:
			o.RestoreReady = now.Add(rq.s.cfg.RestoreDelay)
			o.RestoreExpiry = o.RestoreReady.Add(days)
		}
		return nil
	})
	if err == errRestoreBusy {
		return errRestoreInProgress()
	}
	if err != nil {
		return rq.updateError(err)
	}
	if tier != "" {
		rq.w.Header().Set("X-Oss-Object-Restore-Priority", tier)
	}
	rq.w.Header().Set("Content-Length", "0")
	rq.writeHeader(status)
	return nil
}

// errRestoreBusy tells restoreObject that another restore is under way.
var errRestoreBusy = errors.New("restore in progress")
