package oss

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
)

// PresignV1 returns a URL that performs r without further credentials until expires seconds
// after now, built as oss2's sign_url builds it: the key escaped entirely ("/" too, unless
// slashSafe), the caller's parameters in order, then OSSAccessKeyId, Expires and Signature.
// Headers in r.Header (Content-Type, x-oss-*) are part of the signature and must be sent too.
func (c *Client) PresignV1(r *Request, expires int64, slashSafe bool, now time.Time) (string, error) {
	creds := c.cfg.Credentials
	switch {
	case c.cfg.SignVersion == "v4":
		return "", &ClientError{Message: "sign_url with V4 signing is not supported by pyjindo yet; use Auth (V1)"}
	case c.cfg.SignVersion == "anonymous" || creds.AccessKeyID == "":
		return c.presignedURL(r, slashSafe, r.Query), nil
	}
	query := append([][2]string(nil), r.Query...)
	if creds.SecurityToken != "" {
		query = append(query, [2]string{"security-token", creds.SecurityToken})
	}
	deadline := strconv.FormatInt(now.Unix()+expires, 10)
	header := http.Header{}
	for k, vs := range r.Header {
		header[k] = vs
	}
	header.Set("Date", deadline) // V1 presigning signs the expiry time where the Date goes
	header.Del("x-oss-date")
	sigReq := &Request{Query: query}
	sts := signer.V1StringToSign(r.Method, r.Bucket, r.Key, sigReq.values(), header)
	query = append(query, [2]string{"OSSAccessKeyId", creds.AccessKeyID}, [2]string{"Expires", deadline},
		[2]string{"Signature", signer.V1Signature(creds.AccessKeySecret, sts)})
	return c.presignedURL(r, slashSafe, query), nil
}

func (c *Client) presignedURL(r *Request, slashSafe bool, query [][2]string) string {
	bare := *r
	bare.Query = nil
	u := c.URL(&bare)
	if !slashSafe {
		// oss2 escapes "/" inside the key for signed URLs; only the key part changes.
		u = strings.TrimSuffix(u, escapeKey(r.Key)) + QuoteAll(r.Key)
	}
	var b strings.Builder
	b.WriteString(u)
	for i, kv := range query {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(QuoteAll(kv[0]))
		if kv[1] != "" {
			b.WriteString("=" + QuoteAll(kv[1]))
		}
	}
	return b.String()
}
