package oss

import (
	"context"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
)

// Presign returns a URL that performs r without further credentials until expires seconds
// after now, built as oss2's sign_url builds it with the client's signature version: the key
// escaped entirely ("/" too, unless slashSafe), the caller's parameters in order, then the
// signature's (see signer.PresignV1, PresignV2, PresignV4). additionalHeaders (V2 and V4)
// names headers of r.Header to sign besides those the version always signs. Signed headers
// in r.Header (Content-Type, x-oss-*, additional ones) must be sent with the URL.
//
// Presign signs with Config.Credentials or, when a provider is set, with its keys of the
// moment; a provider that fails gives an unsigned URL: use PresignContext to see the error.
func (c *Client) Presign(r *Request, expires int64, slashSafe bool, additionalHeaders []string, now time.Time) string {
	u, _ := c.PresignContext(context.Background(), r, expires, slashSafe, additionalHeaders, now)
	return u
}

// PresignContext is Presign with the provider's error reported.
func (c *Client) PresignContext(ctx context.Context, r *Request, expires int64, slashSafe bool, additionalHeaders []string, now time.Time) (string, error) {
	creds, err := c.credentials(ctx)
	if err != nil {
		return c.presignedURL(r, slashSafe, r.Query), err
	}
	var query [][2]string
	switch {
	case c.cfg.SignVersion == "anonymous":
		query = r.Query
	case c.cfg.SignVersion == "v4":
		query = signer.PresignV4(r.Method, r.Bucket, r.Key, r.Query, r.Header, c.cfg.Region, additionalHeaders, creds, now, expires)
	case c.cfg.SignVersion == "v2":
		query = signer.PresignV2(r.Method, r.Bucket, r.Key, r.Query, r.Header, additionalHeaders, creds, now, expires)
	default:
		query = signer.PresignV1(r.Method, r.Bucket, r.Key, r.Query, r.Header, creds, now, expires)
	}
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
