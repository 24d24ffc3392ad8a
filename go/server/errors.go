package server

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// ossError is an error response: status, OSS error code, message, the EC (error-center) code, and
// extra child elements of <Error> (e.g. Key, StringToSign) that OSS adds for some codes.
type ossError struct {
	Status  int
	Code    string
	Message string
	EC      string
	Extra   [][2]string
	Header  map[string]string // extra response headers, e.g. x-oss-next-append-position
}

func (e *ossError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func (e *ossError) with(name, value string) *ossError {
	e.Extra = append(e.Extra, [2]string{name, value})
	return e
}

// The codes, statuses and messages OSS uses; EC values follow OSS's "module-number" shape.
func errNoSuchBucket(bucket string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchBucket", Message: "The specified bucket does not exist.", EC: "0015-00000101"}).with("BucketName", bucket)
}

func errNoSuchKey(key string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchKey", Message: "The specified key does not exist.", EC: "0026-00000001"}).with("Key", key)
}

func errNoSuchUpload(id string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchUpload", Message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", EC: "0042-00000002"}).with("UploadId", id)
}

func errInvalidArgument(name, value, msg string) *ossError {
	return (&ossError{Status: 400, Code: "InvalidArgument", Message: msg, EC: "0017-00000001"}).
		with("ArgumentName", name).with("ArgumentValue", value)
}

func errAccessDenied(msg string) *ossError {
	return &ossError{Status: 403, Code: "AccessDenied", Message: msg, EC: "0003-00000001"}
}

func errMalformedXML() *ossError {
	return &ossError{Status: 400, Code: "MalformedXML", Message: "The XML you provided was not well-formed or did not validate against our published schema.", EC: "0016-00000608"}
}

func errInvalidDigest() *ossError {
	return &ossError{Status: 400, Code: "InvalidDigest", Message: "The Content-MD5 you specified is not valid.", EC: "0016-00000201"}
}

func errPreconditionFailed(cond string) *ossError {
	return (&ossError{Status: 412, Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold.", EC: "0026-00000012"}).with("Condition", cond)
}

func errEntityTooLarge() *ossError {
	return &ossError{Status: 400, Code: "EntityTooLarge", Message: "Your proposed upload exceeds the maximum allowed size.", EC: "0016-00000105"}
}

func errNotImplemented(what string) *ossError {
	return &ossError{Status: 501, Code: "NotImplemented", Message: "jindo server does not implement " + what + ".", EC: "0005-00000001"}
}

// errInvalidObjectName is OSS's answer to a bad key, with its EC: 0016-00000005 for a leading
// slash or backslash, 0016-00000002 for the length or the encoding (and, here, the other rules).
func errInvalidObjectName(key string) *ossError {
	ec := "0016-00000002"
	if key != "" && (key[0] == '/' || key[0] == '\\') {
		ec = "0016-00000005"
	}
	return &ossError{Status: 400, Code: "InvalidObjectName", Message: "The specified object is not valid.", EC: ec}
}

// storeError maps a store error to the OSS error a client sees.
func storeError(err error, bucket, key string) *ossError {
	var pe *store.PositionError
	switch {
	case errors.As(err, &pe):
		return &ossError{Status: 409, Code: "PositionNotEqualToLength", Message: "Position is not equal to file length", EC: "0026-00000016",
			Header: map[string]string{"x-oss-next-append-position": strconv.FormatInt(pe.Length, 10)}}
	case errors.Is(err, store.ErrNoSuchBucket):
		return errNoSuchBucket(bucket)
	case errors.Is(err, store.ErrNoSuchKey):
		return errNoSuchKey(key)
	case errors.Is(err, store.ErrNoSuchVersion):
		return errNoSuchVersion(key, "")
	case errors.Is(err, store.ErrNoSuchUpload):
		return errNoSuchUpload("")
	case errors.Is(err, store.ErrNotAppendable):
		return &ossError{Status: 409, Code: "ObjectNotAppendable", Message: "The object is not appendable", EC: "0026-00000015"}
	case errors.Is(err, store.ErrBadDigest):
		return &ossError{Status: 400, Code: "InvalidDigest", Message: "The Content-MD5 you specified is not valid.", EC: "0016-00000201"}
	case errors.Is(err, store.ErrObjectExists):
		return errFileExists()
	case errors.Is(err, store.ErrInsufficientStorage):
		// OSS has no such answer: this is jindo server's own (--max-memory). 507 is HTTP's status
		// for a server that cannot store the representation; as a 5xx it does not blame the
		// request, and clients that retry 500 and 503 do not hammer a full server.
		return &ossError{Status: 507, Code: "InsufficientStorage", Message: "The server has no room for this object within its --max-memory limit.", EC: "0000-00000507"}
	case errors.Is(err, store.ErrBucketExists):
		return (&ossError{Status: 409, Code: "BucketAlreadyExists", Message: "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", EC: "0015-00000001"}).with("BucketName", bucket)
	case errors.Is(err, store.ErrBucketNotEmpty):
		return (&ossError{Status: 409, Code: "BucketNotEmpty", Message: "The bucket you tried to delete is not empty.", EC: "0015-00000301"}).with("BucketName", bucket)
	case errors.Is(err, store.ErrInvalidBucket):
		return (&ossError{Status: 400, Code: "InvalidBucketName", Message: "The specified bucket is not valid.", EC: "0015-00000401"}).with("BucketName", bucket)
	case errors.Is(err, store.ErrInvalidKey):
		return errInvalidObjectName(key)
	case errors.Is(err, store.ErrInvalidPart):
		return &ossError{Status: 400, Code: "InvalidPart", Message: "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.", EC: "0042-00000003"}
	case errors.Is(err, store.ErrInvalidPartOrder):
		return &ossError{Status: 400, Code: "InvalidPartOrder", Message: "The list of parts was not in ascending order. The parts list must be specified in order by part number.", EC: "0042-00000004"}
	case errors.Is(err, store.ErrEntityTooSmall):
		return &ossError{Status: 400, Code: "EntityTooSmall", Message: "Your proposed upload smaller than the minimum allowed size.", EC: "0042-00000005"}
	}
	return errInternal(err)
}

// errInternal reports a failure of the server itself (storage I/O). The detail stays in the log.
func errInternal(error) *ossError {
	return &ossError{Status: 500, Code: "InternalError", Message: "We encountered an internal error. Please try again.", EC: "0000-00000001"}
}

// errorDoc is the XML body of an error response.
type errorDoc struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string
	Message   string
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
	Extra     []extraElem
	EC        string
	Recommend string `xml:"RecommendDoc"`
}

type extraElem struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

// writeError sends e. HEAD responses have no body, so OSS carries the same XML base64-encoded in
// x-oss-err; every error also gets x-oss-ec.
func (rq *request) writeError(e *ossError) {
	if rq.started {
		return // the status line is gone; the client sees a short body
	}
	doc := errorDoc{Code: e.Code, Message: e.Message, RequestID: rq.id, HostID: rq.hostID(), EC: e.EC,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + e.EC}
	for _, x := range e.Extra {
		doc.Extra = append(doc.Extra, extraElem{XMLName: xml.Name{Local: x[0]}, Value: x[1]})
	}
	body, _ := xml.MarshalIndent(doc, "", "  ")
	body = append([]byte(xml.Header), body...)
	h := rq.w.Header()
	for k, v := range e.Header {
		h.Set(k, v)
	}
	h.Set("X-Oss-Ec", e.EC)
	h.Set("Content-Type", "application/xml")
	if rq.r.Method == http.MethodHead {
		h.Set("X-Oss-Err", base64.StdEncoding.EncodeToString(body))
		h.Set("Content-Length", "0")
		rq.writeHeader(e.Status)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	rq.writeHeader(e.Status)
	rq.w.Write(body)
}
