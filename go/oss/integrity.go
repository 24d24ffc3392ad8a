package oss

import (
	"fmt"
	"net/http"
	"strconv"
)

// CRC operations, named as oss2 names them in its CRC mismatch message.
const (
	OpPutObject    = "put object"
	OpAppendObject = "append object"
	OpUploadPart   = "upload part"
	OpGetObject    = "get"
)

// CheckCRC compares the CRC64 of the bytes sent or received with the x-oss-hash-crc64ecma of
// the answer (no header: nothing to compare). A mismatch is an *InconsistentError worded as
// oss2 words it, operation naming what was done (OpPutObject, ...).
func CheckCRC(operation string, client uint64, header http.Header) error {
	v := header.Get("X-Oss-Hash-Crc64ecma")
	if v == "" {
		return nil
	}
	server, err := strconv.ParseUint(v, 10, 64)
	if err == nil && server == client {
		return nil
	}
	id := header.Get("X-Oss-Request-Id")
	return &InconsistentError{
		Message:   fmt.Sprintf("InconsistentError: req_id: %s, operation: %s, CRC checksum of client: %d is mismatch with oss: %s", id, operation, client, v),
		RequestID: id,
	}
}
