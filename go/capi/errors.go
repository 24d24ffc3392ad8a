package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/credentials"
)

// clientError is bad input from Python: it becomes oss2's ClientError.
func clientErrorf(format string, a ...any) error {
	return &oss.ClientError{Message: fmt.Sprintf(format, a...)}
}

// errorJSON describes err for pyjindo.exceptions.from_error_dict.
func errorJSON(err error) []byte {
	b, _ := json.Marshal(map[string]any{"error": errorDict(err)})
	return b
}

// errorDict is err as the dict pyjindo.exceptions.from_error_dict takes (also one item's error
// in a batch result).
func errorDict(err error) map[string]any {
	var d map[string]any
	var se *oss.ServiceError
	var re *oss.RequestError
	var ce *oss.ClientError
	var ie *oss.InconsistentError
	var cre *oss.CredentialsError
	switch {
	case errors.As(err, &se):
		d = map[string]any{"kind": "server", "status": se.Status, "code": se.Code, "message": se.Message,
			"request_id": se.RequestID, "host_id": se.HostID, "ec": se.EC, "headers": headerPairs(se.Header),
			"details": se.Details, "body": latin1(se.Body)}
	case errors.As(err, &ie):
		d = map[string]any{"kind": "inconsistent", "message": ie.Message, "request_id": ie.RequestID}
	case errors.As(err, &ce):
		d = map[string]any{"kind": "client", "message": ce.Message}
	case errors.As(err, &cre):
		// Nothing was sent; not_found tells "no source had keys" from "a source failed".
		d = map[string]any{"kind": "credentials", "message": cre.Err.Error(), "not_found": errors.Is(cre.Err, credentials.ErrNotFound)}
	case errors.As(err, &re):
		d = map[string]any{"kind": "request", "message": re.Err.Error()}
	case errors.Is(err, context.Canceled):
		d = map[string]any{"kind": "request", "message": "operation cancelled"}
	default:
		d = map[string]any{"kind": "request", "message": err.Error()}
	}
	return d
}

// recoverInto turns a panic in an export into an error (when the export has an error out
// parameter) instead of crashing the Python process.
func recoverInto(errOut **C.char) {
	if r := recover(); r != nil && errOut != nil {
		*errOut = C.CString(string(errorJSON(clientErrorf("pyjindo internal error: %v", r))))
	}
}
