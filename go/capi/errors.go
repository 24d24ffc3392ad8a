package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"encoding/json"

	"github.com/pyjindo/pyjindo/go/ops"
)

// errorJSON describes err for pyjindo.exceptions.from_error_dict.
func errorJSON(err error) []byte {
	b, _ := json.Marshal(map[string]any{"error": ops.ErrorDict(err)})
	return b
}

// recoverInto turns a panic in an export into an error (when the export has an error out
// parameter) instead of crashing the Python process.
func recoverInto(errOut **C.char) {
	if r := recover(); r != nil && errOut != nil {
		*errOut = C.CString(string(errorJSON(ops.ClientErrorf("pyjindo internal error: %v", r))))
	}
}
