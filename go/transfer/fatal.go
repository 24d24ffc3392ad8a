package transfer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"

	"github.com/pyjindo/pyjindo/go/oss"
)

// A job over many objects (a recursive copy, a sync, a batch delete) must tell an error that
// concerns one object from one that every later request would hit as well: the first is reported
// and the job goes on, the second stops the job at once, so a wrong secret on 100,000 files makes
// one failed request and one message, not 100,000.

// jobCodes are OSS error codes that no other object of the same job can escape.
var jobCodes = map[string]bool{
	"InvalidAccessKeyId":    true,
	"SignatureDoesNotMatch": true,
	"InvalidSecurityToken":  true,
	"SecurityTokenExpired":  true,
	"NoSuchBucket":          true,
	"UserDisable":           true,
	"AccountArrears":        true,
	"InvalidBucketName":     true,
}

// jobErrnos are failures of the machine's side that a retry, or another file, cannot fix.
var jobErrnos = []error{
	syscall.ENOSPC, syscall.EDQUOT, syscall.EROFS, // the local disk
	syscall.ECONNREFUSED, syscall.EHOSTUNREACH, syscall.ENETUNREACH, // the endpoint, after retries
}

// EndsJob tells whether err, met by one item of a job, means the whole job cannot succeed:
// credentials OSS refuses, a missing bucket, an endpoint that cannot be reached (the request was
// already retried), a full or read-only local disk, a cancellation. AccessDenied ends the job
// only while nothing has succeeded yet: before that it is the bucket refusing the caller, after it
// a policy refusing some names.
func EndsJob(err error, anySucceeded bool) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ce *oss.CredentialsError
	if errors.As(err, &ce) {
		return true // no credentials to sign with: no request of the job can be sent
	}
	var se *oss.ServiceError
	if errors.As(err, &se) {
		return jobCodes[se.Code] || (se.Code == "AccessDenied" && !anySucceeded)
	}
	for _, e := range jobErrnos {
		if errors.Is(err, e) {
			return true
		}
	}
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var badCert *tls.CertificateVerificationError
	return errors.As(err, &dns) || errors.As(err, &unknownCA) || errors.As(err, &badHost) || errors.As(err, &badCert)
}
