package server

import (
	"crypto/hmac"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
)

// maxSkew is how far a request's date may be from the server's clock, as OSS allows.
const maxSkew = 15 * time.Minute

func errSignature(stringToSign string) *ossError {
	return (&ossError{Status: 403, Code: "SignatureDoesNotMatch",
		Message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
		EC:      "0002-00000040"}).with("StringToSign", stringToSign)
}

func errInvalidAccessKeyID(id string) *ossError {
	return (&ossError{Status: 403, Code: "InvalidAccessKeyId", Message: "The OSS Access Key Id you provided does not exist in our records.",
		EC: "0002-00000902"}).with("OSSAccessKeyId", id)
}

func errSkewed(requestTime string) *ossError {
	return (&ossError{Status: 403, Code: "RequestTimeTooSkewed", Message: "The difference between the request time and the current time is too large.",
		EC: "0002-00000504"}).with("RequestTime", requestTime)
}

// authenticate verifies the request's V1 or V4 signature (header or presigned V1 URL). Unsigned
// requests pass only when the server allows anonymous access.
func (rq *request) authenticate() *ossError {
	authz := rq.r.Header.Get("Authorization")
	switch {
	case authz != "":
		return rq.checkHeaderSignature(authz)
	case rq.query.Get("OSSAccessKeyId") != "":
		return rq.checkPresignedV1()
	case rq.s.cfg.Anonymous:
		return nil
	}
	return errAccessDenied("You have no right to access this object because of bucket acl.")
}

func (rq *request) secret(id string) (string, *ossError) {
	sk, ok := rq.s.cfg.Credentials[id]
	if !ok {
		return "", errInvalidAccessKeyID(id)
	}
	return sk, nil
}

func (rq *request) checkHeaderSignature(authz string) *ossError {
	parsed, err := signer.ParseAuthorization(authz)
	if err != nil {
		return errInvalidArgument("Authorization", authz, "Authorization header is invalid.")
	}
	sk, e := rq.secret(parsed.AccessKeyID)
	if e != nil {
		return e
	}
	if parsed.Version == 4 {
		return rq.checkV4(parsed, sk)
	}
	date := rq.r.Header.Get("x-oss-date")
	if date == "" {
		date = rq.r.Header.Get("Date")
	}
	t, err := http.ParseTime(date)
	if err != nil {
		return errAccessDenied("Invalid date format in request header: " + strconv.Quote(date))
	}
	if skew := rq.s.cfg.Now().Sub(t); skew > maxSkew || skew < -maxSkew {
		return errSkewed(date)
	}
	sts := signer.V1StringToSign(rq.r.Method, rq.bucket, rq.key, rq.query, rq.r.Header)
	if !hmac.Equal([]byte(signer.V1Signature(sk, sts)), []byte(parsed.Signature)) {
		return errSignature(sts)
	}
	return nil
}

func (rq *request) checkV4(parsed signer.ParsedAuth, sk string) *ossError {
	date := rq.r.Header.Get("x-oss-date")
	t, err := time.Parse(signer.V4TimeFormat, date)
	if err != nil {
		return errAccessDenied("Invalid x-oss-date in request header: " + strconv.Quote(date))
	}
	if skew := rq.s.cfg.Now().Sub(t); skew > maxSkew || skew < -maxSkew {
		return errSkewed(date)
	}
	if parsed.Date != t.UTC().Format("20060102") {
		return errAccessDenied("The credential date does not match x-oss-date.")
	}
	if parsed.Region != rq.s.cfg.Region {
		return errAccessDenied("Invalid signing region in Authorization header: expected " + rq.s.cfg.Region + ".")
	}
	canonical := signer.V4CanonicalRequest(rq.r.Method, rq.bucket, rq.key, rq.query, rq.r.Header, parsed.AdditionalHeaders)
	sts := signer.V4StringToSign(canonical, t, parsed.Region)
	if !hmac.Equal([]byte(signer.V4Signature(sk, t, parsed.Region, sts)), []byte(parsed.Signature)) {
		return errSignature(sts).with("CanonicalRequest", canonical)
	}
	return nil
}

// checkPresignedV1 verifies a V1 signed URL: OSSAccessKeyId, Expires (epoch seconds, signed in
// place of the Date) and Signature in the query.
func (rq *request) checkPresignedV1() *ossError {
	sk, e := rq.secret(rq.query.Get("OSSAccessKeyId"))
	if e != nil {
		return e
	}
	expires, err := strconv.ParseInt(rq.query.Get("Expires"), 10, 64)
	if err != nil {
		return errAccessDenied("Invalid Expires in the query string.")
	}
	if rq.s.cfg.Now().Unix() > expires {
		return errAccessDenied("Request has expired.")
	}
	header := rq.r.Header.Clone()
	header.Del("x-oss-date")
	header.Set("Date", strconv.FormatInt(expires, 10))
	query := url.Values{}
	for k, v := range rq.query {
		if k != "OSSAccessKeyId" && k != "Expires" && k != "Signature" {
			query[k] = v
		}
	}
	sts := signer.V1StringToSign(rq.r.Method, rq.bucket, rq.key, query, header)
	if !hmac.Equal([]byte(signer.V1Signature(sk, sts)), []byte(rq.query.Get("Signature"))) {
		return errSignature(sts)
	}
	return nil
}

// trimETag removes the quotes of an ETag as clients send it.
func trimETag(s string) string { return strings.Trim(strings.TrimSpace(s), `"`) }
