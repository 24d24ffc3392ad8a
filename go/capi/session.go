package main

/*
#include <stdint.h>
*/
import "C"

import "github.com/pyjindo/pyjindo/go/ops"

// pj_session_new creates a session (ops.NewSession) from a JSON config; 0 and *errOut on
// failure.
//
//export pj_session_new
func pj_session_new(config *C.char, errOut **C.char) (h C.uintptr_t) {
	defer recoverInto(errOut)
	s, err := ops.NewSession([]byte(C.GoString(config)), version)
	if err != nil {
		*errOut = C.CString(string(errorJSON(err)))
		return 0
	}
	return newHandle(s)
}

func sessionFrom(h C.uintptr_t) (*ops.Session, error) {
	s, ok := handleValue[*ops.Session](h)
	if !ok {
		return nil, ops.ClientErrorf("bad session handle")
	}
	return s, nil
}

// pj_session_warnings returns the failed refreshes of the session's credentials source since the
// last call (ops.Session.CredentialWarnings: JSON, free with pj_free), or NULL when there are none.
//
//export pj_session_warnings
func pj_session_warnings(h C.uintptr_t) *C.char {
	defer recoverInto(nil)
	s, err := sessionFrom(h)
	if err != nil {
		return nil
	}
	if b := s.CredentialWarnings(); b != nil {
		return C.CString(string(b))
	}
	return nil
}
