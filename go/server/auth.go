package server

import (
	"crypto/hmac"
	"net/http"
	"net/url"
	"slices"
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

// errSigningRegion is OSS's answer to a V4 credential scoped to another region; where is
// "Authorization header" or "query string".
func errSigningRegion(where string) *ossError {
	return &ossError{Status: 400, Code: "InvalidArgument", Message: "Invalid signing region in " + where + ".", EC: "0002-00000226"}
}

func errExpired() *ossError { return errAccessDenied("Request has expired.") }

// authenticate verifies the request's signature: an Authorization header (V1, V2, V4, and
// V4 timed by the Date header) or a presigned URL (V1, V2, V4). A request that carries a
// signature, even a broken one, is refused unless it verifies, also on a server that allows
// anonymous access: only requests with no signature at all may pass as anonymous.
func (rq *request) authenticate() *ossError {
	if _, ok := rq.r.Header["Authorization"]; ok {
		return rq.checkHeaderSignature(rq.r.Header.Get("Authorization"))
	}
	if signer.HasQueryAuth(rq.query) {
		return rq.checkPresigned()
	}
	if rq.s.cfg.Anonymous {
		return nil
	}
	return rq.authorizeAnonymous()
}

func (rq *request) secret(id string) (string, *ossError) {
	sk, ok := rq.s.cfg.Credentials[id]
	if !ok && rq.s.keys != nil {
		var refused *ossError
		if sk, refused, ok = rq.tempSecret(id); refused != nil {
			return "", refused
		}
	}
	if !ok {
		return "", errInvalidAccessKeyID(id)
	}
	return sk, nil
}

// signedHeader is the request's header as the client saw it when signing: net/http moves
// Host out of r.Header, but V2 and V4 sign it when the client lists it as an additional
// header (osstorchconnector always does). Only then is the header copied to put Host back;
// otherwise it is r.Header itself, to be read, not changed.
func (rq *request) signedHeader(additional []string) http.Header {
	if rq.r.Host == "" || !slices.ContainsFunc(additional, func(n string) bool { return strings.EqualFold(n, "Host") }) {
		return rq.r.Header
	}
	h := rq.r.Header.Clone()
	h.Set("Host", rq.r.Host)
	return h
}

// checkTime refuses a request dated more than maxSkew away from the server's clock.
func (rq *request) checkTime(t time.Time, text string) *ossError {
	if skew := rq.s.cfg.Now().Sub(t); skew > maxSkew || skew < -maxSkew {
		return errSkewed(text)
	}
	return nil
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
	switch parsed.Version {
	case 4:
		return rq.checkV4Header(parsed, sk)
	case 2:
		return rq.checkV2Header(parsed, sk)
	}
	date := rq.r.Header.Get("X-Oss-Date")
	if date == "" {
		date = rq.r.Header.Get("Date")
	}
	t, err := http.ParseTime(date)
	if err != nil {
		return errAccessDenied("Invalid date format in request header: " + strconv.Quote(date))
	}
	if e := rq.checkTime(t, date); e != nil {
		return e
	}
	sts := signer.V1StringToSign(rq.r.Method, rq.bucket, rq.key, rq.query, rq.r.Header)
	if !hmac.Equal([]byte(signer.V1Signature(sk, sts)), []byte(parsed.Signature)) {
		return errSignature(sts)
	}
	return nil
}

// checkV2Header verifies "OSS2 AccessKeyId:...": V2 is timed by the Date header alone.
func (rq *request) checkV2Header(parsed signer.ParsedAuth, sk string) *ossError {
	date := rq.r.Header.Get("Date")
	t, err := http.ParseTime(date)
	if err != nil {
		return errAccessDenied("Invalid date format in request header: " + strconv.Quote(date))
	}
	if e := rq.checkTime(t, date); e != nil {
		return e
	}
	if e := checkRepeatedParams(rq.query); e != nil {
		return e
	}
	sts := signer.V2StringToSign(rq.r.Method, rq.bucket, rq.key, rq.query, rq.signedHeader(parsed.AdditionalHeaders), parsed.AdditionalHeaders)
	if !hmac.Equal([]byte(signer.V2Signature(sk, sts)), []byte(parsed.Signature)) {
		return errSignature(sts)
	}
	return nil
}

// checkV4Header verifies "OSS4-HMAC-SHA256 Credential=...". The time is x-oss-date; a
// request without one (the aliyun-oss-go-sdk v3 family, so ossutil 1.7) is timed by its
// Date header, whose text stands in the string to sign and whose day scopes the credential.
func (rq *request) checkV4Header(parsed signer.ParsedAuth, sk string) *ossError {
	var at signer.V4Time
	var t time.Time
	var err error
	if stamp := rq.r.Header.Get("X-Oss-Date"); stamp != "" {
		if t, err = time.Parse(signer.V4TimeFormat, stamp); err != nil {
			return errAccessDenied("Invalid x-oss-date in request header: " + strconv.Quote(stamp))
		}
		at = signer.V4Time{Stamp: stamp, Day: t.Format(signer.V4DayFormat)}
	} else {
		date := rq.r.Header.Get("Date")
		if t, err = time.Parse(http.TimeFormat, date); err != nil {
			return errAccessDenied("Invalid date format in request header: " + strconv.Quote(date))
		}
		at = signer.V4Time{Stamp: date, Day: t.UTC().Format(signer.V4DayFormat)}
	}
	if e := rq.checkTime(t, at.Stamp); e != nil {
		return e
	}
	return rq.verifyV4(parsed, sk, at, rq.query, "Authorization header")
}

// verifyV4 checks a V4 credential's scope against the request's time and the server's
// region, then the signature, for header and presigned requests alike.
func (rq *request) verifyV4(parsed signer.ParsedAuth, sk string, at signer.V4Time, query url.Values, where string) *ossError {
	if parsed.Region != rq.s.cfg.Region {
		return errSigningRegion(where)
	}
	if e := checkRepeatedParams(query); e != nil {
		return e
	}
	if parsed.Date != at.Day {
		return errAccessDenied("The credential date does not match the request time.")
	}
	canonical := signer.V4CanonicalRequest(rq.r.Method, rq.bucket, rq.key, query, rq.signedHeader(parsed.AdditionalHeaders), parsed.AdditionalHeaders)
	sts := signer.V4StringToSign(canonical, at, parsed.Region)
	if !hmac.Equal([]byte(signer.V4Signature(sk, parsed.Date, parsed.Region, sts)), []byte(parsed.Signature)) {
		return errSignature(sts).with("CanonicalRequest", canonical)
	}
	return nil
}

// checkRepeatedParams refuses a query that repeats a parameter. V2 and V4 sign every
// parameter but sort a repeated one's values, so ?uploadId=A&uploadId=B and
// ?uploadId=B&uploadId=A share a signature while the server acts on the first value: one
// signed request could be replayed against another upload. No OSS SDK sends a parameter
// twice (oss2, alibabacloud-oss-v2 and the Go SDKs keep parameters in a map).
func checkRepeatedParams(query url.Values) *ossError {
	var repeated []string
	for k, vs := range query {
		if len(vs) > 1 {
			repeated = append(repeated, k)
		}
	}
	if len(repeated) == 0 {
		return nil
	}
	slices.Sort(repeated)
	return errInvalidArgument(repeated[0], strings.Join(query[repeated[0]], ","),
		"A signed request may not repeat a query parameter.")
}

// without returns query less the named parameters: the signature is not part of what it signs.
func without(query url.Values, names ...string) url.Values {
	out := make(url.Values, len(query))
	for k, v := range query {
		out[k] = v
	}
	for _, n := range names {
		delete(out, n)
	}
	return out
}

// checkPresigned verifies a presigned URL. V1 and V2 sign their expiry (epoch seconds) where
// a request's Date goes; V4 signs x-oss-date and states its validity in seconds after it.
func (rq *request) checkPresigned() *ossError {
	qa, err := signer.ParseQueryAuth(rq.query)
	if err != nil {
		return errAccessDenied("Invalid signature in the query string: " + err.Error())
	}
	sk, e := rq.secret(qa.AccessKeyID)
	if e != nil {
		return e
	}
	now := rq.s.cfg.Now()
	switch qa.Version {
	case 4:
		if now.After(qa.Time.Add(time.Duration(qa.Expires) * time.Second)) {
			return errExpired()
		}
		if qa.Time.After(now.Add(maxSkew)) {
			return errSkewed(qa.Stamp)
		}
		at := signer.V4Time{Stamp: qa.Stamp, Day: qa.Time.Format(signer.V4DayFormat)}
		return rq.verifyV4(qa.ParsedAuth, sk, at, without(rq.query, signer.QuerySignature), "query string")
	case 2:
		if now.Unix() > qa.Expires {
			return errExpired()
		}
		if e := checkRepeatedParams(rq.query); e != nil {
			return e
		}
		header := rq.signedHeader(qa.AdditionalHeaders).Clone() // changed below: never r.Header
		header.Set("Date", rq.query.Get(signer.QueryExpires))
		sts := signer.V2StringToSign(rq.r.Method, rq.bucket, rq.key, without(rq.query, signer.QuerySignature), header, qa.AdditionalHeaders)
		if !hmac.Equal([]byte(signer.V2Signature(sk, sts)), []byte(qa.Signature)) {
			return errSignature(sts)
		}
		return nil
	}
	if now.Unix() > qa.Expires {
		return errExpired()
	}
	header := rq.r.Header.Clone()
	header.Del("X-Oss-Date")
	header.Set("Date", rq.query.Get(signer.QueryV1Expires))
	query := without(rq.query, signer.QueryV1AccessKeyID, signer.QueryV1Expires, signer.QueryV1Signature)
	sts := signer.V1StringToSign(rq.r.Method, rq.bucket, rq.key, query, header)
	if !hmac.Equal([]byte(signer.V1Signature(sk, sts)), []byte(qa.Signature)) {
		return errSignature(sts)
	}
	return nil
}

// trimETag removes the quotes of an ETag as clients send it.
func trimETag(s string) string { return strings.Trim(strings.TrimSpace(s), `"`) }
