package transfer

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
)

func TestEndsJobTellsJobErrorsFromItemErrors(t *testing.T) {
	svc := func(code string) error {
		return fmt.Errorf("get k: %w", &oss.ServiceError{Status: 403, Code: code})
	}
	for _, c := range []struct {
		name      string
		err       error
		succeeded bool
		want      bool
	}{
		{"wrong key id", svc("InvalidAccessKeyId"), true, true},
		{"wrong secret", svc("SignatureDoesNotMatch"), true, true},
		{"missing bucket", svc("NoSuchBucket"), false, true},
		{"denied before any success", svc("AccessDenied"), false, true},
		{"denied after a success", svc("AccessDenied"), true, false},
		{"missing key", svc("NoSuchKey"), false, false},
		{"server error after retries", svc("InternalError"), false, false},
		{"interrupted", context.Canceled, true, true},
		{"connection refused", &oss.RequestError{Err: &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}, false, true},
		{"no such host", &oss.RequestError{Err: &net.DNSError{Err: "no such host", Name: "x.invalid"}}, false, true},
		{"connection reset", &oss.RequestError{Err: syscall.ECONNRESET}, false, false},
		{"disk full", &oss.ClientError{Message: "write: no space left", Err: &fs.PathError{Op: "write", Path: "f", Err: syscall.ENOSPC}}, true, true},
		{"one unreadable file", &fs.PathError{Op: "open", Path: "f", Err: syscall.EACCES}, false, false},
		{"one missing file", &fs.PathError{Op: "open", Path: "f", Err: syscall.ENOENT}, false, false},
		{"no credentials", &oss.CredentialsError{Err: fmt.Errorf("metadata service down")}, true, true},
		{"nil", nil, false, false},
	} {
		if got := EndsJob(c.err, c.succeeded); got != c.want {
			t.Errorf("%s: EndsJob(%v, %v) = %v, want %v", c.name, c.err, c.succeeded, got, c.want)
		}
	}
}
