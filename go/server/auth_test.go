package server

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
)

var authClock = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// presigner builds the query of a presigned URL for one signature version.
type presigner func(method, bucket, key string, h http.Header, extra []string, c signer.Credentials, now time.Time, expires int64) url.Values

var presigners = map[string]presigner{
	"v1": func(method, bucket, key string, h http.Header, _ []string, c signer.Credentials, now time.Time, expires int64) url.Values {
		return pairsToValues(signer.PresignV1(method, bucket, key, nil, h, c, now, expires))
	},
	"v2": func(method, bucket, key string, h http.Header, extra []string, c signer.Credentials, now time.Time, expires int64) url.Values {
		return pairsToValues(signer.PresignV2(method, bucket, key, nil, h, extra, c, now, expires))
	},
	"v4": func(method, bucket, key string, h http.Header, extra []string, c signer.Credentials, now time.Time, expires int64) url.Values {
		return pairsToValues(signer.PresignV4(method, bucket, key, nil, h, "cn-hangzhou", extra, c, now, expires))
	},
}

func pairsToValues(pairs [][2]string) url.Values {
	q := url.Values{}
	for _, kv := range pairs {
		q.Add(kv[0], kv[1])
	}
	return q
}

// signatureParam is the query parameter holding a version's signature.
var signatureParam = map[string]string{"v1": "Signature", "v2": "x-oss-signature", "v4": "x-oss-signature"}

func editQuery(q url.Values, f func(url.Values)) url.Values {
	c := url.Values{}
	for k, vs := range q {
		c[k] = append([]string(nil), vs...)
	}
	f(c)
	return c
}

// flip changes the first character of s to another one of the same alphabet.
func flip(s string) string {
	if s[0] == 'a' {
		return "b" + s[1:]
	}
	return "a" + s[1:]
}

func TestPresignedURLsAreVerifiedAndNeverAnonymous(t *testing.T) {
	for _, anonymous := range []bool{false, true} {
		for _, version := range []string{"v1", "v2", "v4"} {
			name := version
			if anonymous {
				name += " anonymous"
			}
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, Config{Anonymous: anonymous, Now: func() time.Time { return authClock }})
				if _, err := e.store.CreateBucket("bkt2"); err != nil {
					t.Fatal(err)
				}
				none := e.with(func(e *env) { e.mode = "none"; e.now = func() time.Time { return authClock } })
				sign := presigners[version]
				sig := signatureParam[version]

				putHeader := hdr("Content-Type", "text/plain", "x-oss-meta-k", "v")
				put := sign("PUT", "bkt", "k", putHeader, nil, testCreds, authClock, 60)
				none.do(t, "PUT", "/bkt/k", put, putHeader, []byte("presigned")).expectStatus(t, 200)
				get := sign("GET", "bkt", "k", nil, nil, testCreds, authClock, 60)
				if r := none.do(t, "GET", "/bkt/k", get, nil, nil); r.status != 200 || string(r.body) != "presigned" ||
					r.header.Get("x-oss-meta-k") != "v" {
					t.Fatalf("GET through a presigned URL: %d %q %v", r.status, r.body, r.header)
				}

				// What the URL signs cannot change.
				none.do(t, "PUT", "/bkt/k", put, hdr("Content-Type", "text/plain", "x-oss-meta-k", "w"), []byte("x")).
					expectError(t, 403, "SignatureDoesNotMatch")
				none.do(t, "GET", "/bkt/other", get, nil, nil).expectError(t, 403, "SignatureDoesNotMatch")
				none.do(t, "GET", "/bkt2/k", get, nil, nil).expectError(t, 403, "SignatureDoesNotMatch")
				none.do(t, "DELETE", "/bkt/k", get, nil, nil).expectError(t, 403, "SignatureDoesNotMatch")
				none.do(t, "GET", "/bkt/k", editQuery(get, func(q url.Values) { q.Set(sig, flip(q.Get(sig))) }), nil, nil).
					expectError(t, 403, "SignatureDoesNotMatch")
				none.do(t, "GET", "/bkt/k", sign("GET", "bkt", "k", nil, nil, signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "other"}, authClock, 60), nil, nil).
					expectError(t, 403, "SignatureDoesNotMatch")
				none.do(t, "GET", "/bkt/k", sign("GET", "bkt", "k", nil, nil, signer.Credentials{AccessKeyID: "nobody", AccessKeySecret: "sk"}, authClock, 60), nil, nil).
					expectError(t, 403, "InvalidAccessKeyId")
				// Expired, by its own clock or the server's.
				none.do(t, "GET", "/bkt/k", sign("GET", "bkt", "k", nil, nil, testCreds, authClock.Add(-2*time.Minute), 60), nil, nil).
					expectError(t, 403, "AccessDenied")
				// A signature parameter dropped or doubled: still a signed request, and a bad one.
				none.do(t, "GET", "/bkt/k", editQuery(get, func(q url.Values) { q.Del(sig) }), nil, nil).
					expectError(t, 403, "AccessDenied")
				none.do(t, "GET", "/bkt/k", editQuery(get, func(q url.Values) { q.Add(sig, q.Get(sig)) }), nil, nil).
					expectError(t, 403, "AccessDenied")
				if version != "v1" {
					ranged := hdr("Range", "bytes=0-3")
					q := sign("GET", "bkt", "k", ranged, []string{"range"}, testCreds, authClock, 60)
					none.do(t, "GET", "/bkt/k", q, ranged, nil).expectStatus(t, 206)
					none.do(t, "GET", "/bkt/k", q, hdr("Range", "bytes=0-8"), nil).expectError(t, 403, "SignatureDoesNotMatch")
					none.do(t, "GET", "/bkt/k", editQuery(q, func(q url.Values) { q.Del("x-oss-additional-headers") }), ranged, nil).
						expectError(t, 403, "SignatureDoesNotMatch")
				}
				if version == "v4" {
					none.do(t, "GET", "/bkt/k", sign("GET", "bkt", "k", nil, nil, testCreds, authClock.Add(-time.Hour), 3601), nil, nil).
						expectStatus(t, 200)
					future := sign("GET", "bkt", "k", nil, nil, testCreds, authClock.Add(20*time.Minute), 60)
					none.do(t, "GET", "/bkt/k", future, nil, nil).expectError(t, 403, "RequestTimeTooSkewed")
					other := pairsToValues(signer.PresignV4("GET", "bkt", "k", nil, nil, "cn-beijing", nil, testCreds, authClock, 60))
					d := none.do(t, "GET", "/bkt/k", other, nil, nil).expectError(t, 400, "InvalidArgument")
					if d.EC != "0002-00000226" {
						t.Errorf("wrong region EC %q", d.EC)
					}
				}
			})
		}
	}
}

func TestPresignedURLSignsHostWhenListed(t *testing.T) {
	e := newEnv(t, Config{Now: func() time.Time { return authClock }}).with(func(e *env) { e.now = func() time.Time { return authClock } })
	e.do(t, "PUT", "/bkt/k", nil, nil, []byte("v")).expectStatus(t, 200)
	none := e.with(func(e *env) { e.mode = "none" })
	pathHost := strings.TrimPrefix(e.url, "http://")
	for _, version := range []string{"v2", "v4"} {
		for _, c := range []struct{ host, path string }{
			{pathHost, "/bkt/k"},
			{"bkt.oss-cn-hangzhou.aliyuncs.com", "/k"},
		} {
			q := presigners[version]("GET", "bkt", "k", hdr("Host", c.host), []string{"host"}, testCreds, authClock, 60)
			if q.Get("x-oss-additional-headers") != "host" {
				t.Fatalf("%s: host not signed: %v", version, q)
			}
			none.do(t, "GET", c.path, q, hdr("Host", c.host), nil).expectStatus(t, 200)
			// The same URL reaching the bucket under another name.
			none.do(t, "GET", "/k", q, hdr("Host", "bkt.localhost"), nil).expectError(t, 403, "SignatureDoesNotMatch")
		}
	}
}

func TestV2HeaderSignatures(t *testing.T) {
	e := newEnv(t, Config{}).with(func(e *env) { e.mode = "v2" })
	e.do(t, "PUT", "/bkt/dir/a%20b", nil, hdr("Content-Type", "text/plain", "x-oss-meta-k", "v"), []byte("v2 body")).expectStatus(t, 200)
	if r := e.do(t, "GET", "/bkt/dir/a%20b", nil, hdr("Range", "bytes=0-1"), nil); r.status != 206 || string(r.body) != "v2" {
		t.Fatalf("ranged GET: %d %q", r.status, r.body)
	}
	e.do(t, "GET", "/bkt/", qv("prefix", "dir/", "max-keys", "5", "marker", ""), nil, nil).expectStatus(t, 200)
	e.do(t, "GET", "/", nil, nil, nil).expectStatus(t, 200)
	e.with(func(e *env) { e.creds.AccessKeySecret = "wrong" }).do(t, "GET", "/bkt/dir/a%20b", nil, nil, nil).
		expectError(t, 403, "SignatureDoesNotMatch")
	e.with(func(e *env) { e.creds.AccessKeyID = "nobody" }).do(t, "GET", "/bkt/dir/a%20b", nil, nil, nil).
		expectError(t, 403, "InvalidAccessKeyId")

	// V2 signs every parameter and the additional headers it lists.
	h := hdr("Range", "bytes=0-1")
	signer.SignV2("GET", "bkt", "dir/a b", url.Values{"prefix": {"x"}}, h, testCreds, time.Now())
	none := e.with(func(e *env) { e.mode = "none" })
	none.do(t, "GET", "/bkt/dir/a%20b", qv("prefix", "x"), h, nil).expectStatus(t, 206)
	none.do(t, "GET", "/bkt/dir/a%20b", qv("prefix", "y"), h, nil).expectError(t, 403, "SignatureDoesNotMatch")
	changed := h.Clone()
	changed.Set("Range", "bytes=0-3")
	none.do(t, "GET", "/bkt/dir/a%20b", qv("prefix", "x"), changed, nil).expectError(t, 403, "SignatureDoesNotMatch")
	stale := hdr("Date", time.Now().Add(-20*time.Minute).UTC().Format(http.TimeFormat))
	signer.SignV2("GET", "bkt", "dir/a b", url.Values{}, stale, testCreds, time.Now())
	none.do(t, "GET", "/bkt/dir/a%20b", nil, stale, nil).expectError(t, 403, "RequestTimeTooSkewed")
}

// signWithHost signs like osstorchconnector: V4 with AdditionalHeaders=host.
func signWithHost(method, bucket, key, host string) http.Header {
	h := hdr("Host", host)
	signer.SignV4(method, bucket, key, url.Values{}, h, "cn-hangzhou", []string{"host"}, testCreds, time.Now())
	return h
}

func TestV4HeaderSignatureWithHostInAdditionalHeaders(t *testing.T) {
	e := newEnv(t, Config{})
	e.do(t, "PUT", "/bkt/k", nil, nil, []byte("v")).expectStatus(t, 200)
	none := e.with(func(e *env) { e.mode = "none" })
	pathHost := strings.TrimPrefix(e.url, "http://")
	vhost := "bkt.oss-cn-hangzhou.aliyuncs.com"

	h := signWithHost("GET", "bkt", "k", pathHost)
	if !strings.Contains(h.Get("Authorization"), "AdditionalHeaders=host") {
		t.Fatalf("Authorization %q", h.Get("Authorization"))
	}
	none.do(t, "GET", "/bkt/k", nil, h, nil).expectStatus(t, 200)
	none.do(t, "GET", "/k", nil, signWithHost("GET", "bkt", "k", vhost), nil).expectStatus(t, 200)
	// Signed for one host, sent to another: the host line differs.
	wrong := signWithHost("GET", "bkt", "k", "bkt.oss-cn-beijing.aliyuncs.com")
	wrong.Set("Host", vhost)
	none.do(t, "GET", "/k", nil, wrong, nil).expectError(t, 403, "SignatureDoesNotMatch")
}

func TestV4WrongRegionIsInvalidArgument(t *testing.T) {
	e := newEnv(t, Config{Region: "cn-shanghai"}).with(func(e *env) { e.mode = "v4"; e.region = "cn-shanghai" })
	e.do(t, "PUT", "/bkt/k", nil, nil, []byte("v")).expectStatus(t, 200)
	d := e.with(func(e *env) { e.region = "cn-hangzhou" }).do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 400, "InvalidArgument")
	if d.EC != "0002-00000226" || d.Message != "Invalid signing region in Authorization header." {
		t.Errorf("wrong region: EC %q, message %q", d.EC, d.Message)
	}
}

// goSDKRequest is one request as aliyun-oss-go-sdk v3.0.2 sent it (testdata/gosdk_v4).
type goSDKRequest struct {
	Method   string            `json:"method"`
	RawPath  string            `json:"raw_path"`
	RawQuery string            `json:"raw_query"`
	Headers  map[string]string `json:"headers"`
	Body     string            `json:"body"`
}

func TestV4TimedByDateHeaderAsTheGoSDKSigns(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "gosdk_v4_date.json"))
	if err != nil {
		t.Fatal(err)
	}
	var reqs []goSDKRequest
	if err := json.Unmarshal(raw, &reqs); err != nil {
		t.Fatal(err)
	}
	sent, err := http.ParseTime(reqs[0].Headers["Date"])
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, Config{Credentials: map[string]string{"test-ak": "test-sk-secret"}, Now: func() time.Time { return sent }})
	none := e.with(func(e *env) { e.mode = "none" })
	send := func(r goSDKRequest, h http.Header) *response {
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		var body []byte
		if r.Body != "" {
			body = []byte(r.Body)
		}
		return none.do(t, r.Method, r.RawPath, q, h, body)
	}
	for _, r := range reqs {
		h := http.Header{}
		for k, v := range r.Headers {
			if k != "Content-Length" {
				h.Set(k, v)
			}
		}
		if h.Get("X-Oss-Date") != "" || !strings.Contains(h.Get("Authorization"), "OSS4-HMAC-SHA256") {
			t.Fatalf("not a Date-timed V4 request: %v", h)
		}
		// The Date is signed text: another spelling of the same second does not verify.
		changed := h.Clone()
		changed.Set("Date", sent.Format(time.RFC850))
		send(r, changed).expectError(t, 403, "AccessDenied")
		changed.Set("Date", sent.Add(time.Second).Format(http.TimeFormat))
		send(r, changed).expectError(t, 403, "SignatureDoesNotMatch")
		if got := send(r, h); got.status/100 != 2 {
			t.Fatalf("%s %s: %d\n%s", r.Method, r.RawPath, got.status, got.body)
		}
	}
}

// V2 and V4 sort the values of a repeated parameter when signing, so a signed
// ?uploadId=A&uploadId=B would verify as ?uploadId=B&uploadId=A, which the server would run
// against upload B: signed requests that repeat a parameter are refused.
func TestSignedRequestsMayNotRepeatAParameter(t *testing.T) {
	e := newEnv(t, Config{Now: func() time.Time { return authClock }})
	e.now = func() time.Time { return authClock }
	var ids []string
	for range 2 {
		r := e.do(t, "POST", "/bkt/k", qv("uploads"), nil, nil)
		r.expectStatus(t, 200)
		var res initXML
		if err := xml.Unmarshal(r.body, &res); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.UploadID)
	}
	repeated := url.Values{"uploadId": ids}
	for _, mode := range []string{"v2", "v4"} {
		t.Run(mode+" header", func(t *testing.T) {
			e.with(func(e *env) { e.mode = mode }).do(t, "GET", "/bkt/k", repeated, nil, nil).
				expectError(t, 400, "InvalidArgument")
			e.with(func(e *env) { e.mode = mode }).do(t, "GET", "/bkt/k", qv("uploadId", ids[0]), nil, nil).
				expectStatus(t, 200)
		})
		t.Run(mode+" URL", func(t *testing.T) {
			none := e.with(func(e *env) { e.mode = "none" })
			pairs := [][2]string{{"uploadId", ids[0]}, {"uploadId", ids[1]}}
			var q [][2]string
			if mode == "v2" {
				q = signer.PresignV2("GET", "bkt", "k", pairs, nil, nil, testCreds, authClock, 60)
			} else {
				q = signer.PresignV4("GET", "bkt", "k", pairs, nil, "cn-hangzhou", nil, testCreds, authClock, 60)
			}
			none.do(t, "GET", "/bkt/k", pairsToValues(q), nil, nil).expectError(t, 400, "InvalidArgument")
		})
	}
}
