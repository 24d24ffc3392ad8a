package signer

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var vectorTime = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type sharedVector struct {
	Method        string            `json:"method"`
	Key           string            `json:"key"`
	Params        map[string]string `json:"params"`
	Headers       map[string]string `json:"headers"`
	Region        *string           `json:"region"`
	Authorization string            `json:"authorization"`
}

type sharedVectors struct {
	AccessKeyID     string         `json:"access_key_id"`
	AccessKeySecret string         `json:"access_key_secret"`
	Bucket          string         `json:"bucket"`
	V1              []sharedVector `json:"v1"`
	V4              []sharedVector `json:"v4"`
}

type extraVector struct {
	Method            string            `json:"method"`
	Bucket            string            `json:"bucket"`
	Key               string            `json:"key"`
	Params            map[string]string `json:"params"`
	HeadersIn         map[string]string `json:"headers_in"`
	Token             string            `json:"token"`
	Region            string            `json:"region"`
	AdditionalHeaders []string          `json:"additional_headers"`
	Headers           map[string]string `json:"headers"`
	CanonicalRequest  string            `json:"canonical_request"`
	StringToSign      string            `json:"string_to_sign"`
	Authorization     string            `json:"authorization"`
}

type extraVectors struct {
	AccessKeyID     string        `json:"access_key_id"`
	AccessKeySecret string        `json:"access_key_secret"`
	V1              []extraVector `json:"v1"`
	V4              []extraVector `json:"v4"`
}

func loadJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("vectors not available: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
}

// sharedVectorPath finds /work/shared/vectors/signing.json relative to the module root
// (the package sits at go/oss/signer), falling back to the absolute location.
func sharedVectorPath() string {
	rel := filepath.Join("..", "..", "..", "..", "shared", "vectors", "signing.json")
	if _, err := os.Stat(rel); err == nil {
		return rel
	}
	return "/work/shared/vectors/signing.json"
}

func queryOf(m map[string]string) url.Values {
	q := url.Values{}
	for k, v := range m {
		q.Set(k, v)
	}
	return q
}

// canonicalHeaderOf builds a header the way net/http would (canonical keys).
func canonicalHeaderOf(m map[string]string) http.Header {
	h := http.Header{}
	for k, v := range m {
		h.Set(k, v)
	}
	return h
}

// rawHeaderOf keeps the keys exactly as given, as a hand-built header might.
func rawHeaderOf(m map[string]string) http.Header {
	h := http.Header{}
	for k, v := range m {
		h[k] = []string{v}
	}
	return h
}

func TestSharedV1VectorsReproduceOss2Authorization(t *testing.T) {
	var vs sharedVectors
	loadJSON(t, sharedVectorPath(), &vs)
	c := Credentials{AccessKeyID: vs.AccessKeyID, AccessKeySecret: vs.AccessKeySecret}
	for _, v := range vs.V1 {
		t.Run(v.Method+" "+v.Key, func(t *testing.T) {
			h := canonicalHeaderOf(v.Headers)
			sts := V1StringToSign(v.Method, vs.Bucket, v.Key, queryOf(v.Params), h)
			if got := "OSS " + c.AccessKeyID + ":" + V1Signature(c.AccessKeySecret, sts); got != v.Authorization {
				t.Errorf("string to sign %q\ngot  %s\nwant %s", sts, got, v.Authorization)
			}
			SignV1(v.Method, vs.Bucket, v.Key, queryOf(v.Params), h, c, time.Unix(0, 0))
			if got := h.Get("Authorization"); got != v.Authorization {
				t.Errorf("SignV1 Authorization %s, want %s", got, v.Authorization)
			}
			if got := h.Get("Date"); got != v.Headers["date"] {
				t.Errorf("SignV1 replaced an existing Date: %q", got)
			}
		})
	}
}

func TestSharedV4VectorsReproduceOss2Authorization(t *testing.T) {
	var vs sharedVectors
	loadJSON(t, sharedVectorPath(), &vs)
	c := Credentials{AccessKeyID: vs.AccessKeyID, AccessKeySecret: vs.AccessKeySecret}
	for _, v := range vs.V4 {
		t.Run(v.Method+" "+v.Key, func(t *testing.T) {
			if v.Region == nil {
				t.Fatal("v4 vector without region")
			}
			region := *v.Region
			h := canonicalHeaderOf(v.Headers)
			cr := V4CanonicalRequest(v.Method, vs.Bucket, v.Key, queryOf(v.Params), h, nil)
			sig := V4Signature(c.AccessKeySecret, vectorTime, region, V4StringToSign(cr, vectorTime, region))
			if !strings.HasSuffix(v.Authorization, "Signature="+sig) {
				t.Errorf("canonical request %q\nsignature %s\nwant in %s", cr, sig, v.Authorization)
			}

			signed := canonicalHeaderOf(v.Headers)
			signed.Del("X-Oss-Date")
			signed.Del("X-Oss-Content-Sha256")
			SignV4(v.Method, vs.Bucket, v.Key, queryOf(v.Params), signed, region, nil, c, vectorTime)
			if got := signed.Get("Authorization"); got != v.Authorization {
				t.Errorf("SignV4 Authorization\ngot  %s\nwant %s", got, v.Authorization)
			}
			for _, name := range []string{"x-oss-date", "x-oss-content-sha256"} {
				if got := signed.Get(name); got != v.Headers[name] {
					t.Errorf("SignV4 %s = %q, want %q", name, got, v.Headers[name])
				}
			}
		})
	}
}

// assertHeadersMatch checks that h carries exactly the headers oss2 ended up with.
func assertHeadersMatch(t *testing.T, h http.Header, want map[string]string) {
	t.Helper()
	got := lowerHeaders(h)
	wantLower := map[string]string{}
	for k, v := range want {
		wantLower[strings.ToLower(k)] = v
	}
	if !reflect.DeepEqual(got, wantLower) {
		t.Errorf("headers after signing\ngot  %v\nwant %v", got, wantLower)
	}
}

func TestOss2ExtraV1VectorsReproduceStringToSignAndHeaders(t *testing.T) {
	var vs extraVectors
	loadJSON(t, filepath.Join("testdata", "oss2_extra.json"), &vs)
	for _, v := range vs.V1 {
		t.Run(v.Method+" "+v.Bucket+"/"+v.Key, func(t *testing.T) {
			c := Credentials{AccessKeyID: vs.AccessKeyID, AccessKeySecret: vs.AccessKeySecret, SecurityToken: v.Token}
			h := rawHeaderOf(v.HeadersIn)
			SignV1(v.Method, v.Bucket, v.Key, queryOf(v.Params), h, c, vectorTime)
			if got := V1StringToSign(v.Method, v.Bucket, v.Key, queryOf(v.Params), h); got != v.StringToSign {
				t.Errorf("string to sign\ngot  %q\nwant %q", got, v.StringToSign)
			}
			assertHeadersMatch(t, h, v.Headers)
		})
	}
}

func TestOss2ExtraV4VectorsReproduceCanonicalRequestAndHeaders(t *testing.T) {
	var vs extraVectors
	loadJSON(t, filepath.Join("testdata", "oss2_extra.json"), &vs)
	for _, v := range vs.V4 {
		t.Run(v.Method+" "+v.Bucket+"/"+v.Key, func(t *testing.T) {
			c := Credentials{AccessKeyID: vs.AccessKeyID, AccessKeySecret: vs.AccessKeySecret, SecurityToken: v.Token}
			h := rawHeaderOf(v.HeadersIn)
			q := queryOf(v.Params)
			SignV4(v.Method, v.Bucket, v.Key, q, h, v.Region, v.AdditionalHeaders, c, vectorTime)
			cr := V4CanonicalRequest(v.Method, v.Bucket, v.Key, q, h, v.AdditionalHeaders)
			if cr != v.CanonicalRequest {
				t.Errorf("canonical request\ngot  %q\nwant %q", cr, v.CanonicalRequest)
			}
			if got := V4StringToSign(cr, vectorTime, v.Region); got != v.StringToSign {
				t.Errorf("string to sign\ngot  %q\nwant %q", got, v.StringToSign)
			}
			assertHeadersMatch(t, h, v.Headers)
		})
	}
}

func TestSignV1SetsDateWhenAbsentAndTokenWhenGiven(t *testing.T) {
	h := http.Header{}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	SignV1("GET", "b", "k", nil, h, Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "tok"}, now)
	if got, want := h.Get("Date"), "Fri, 02 Jan 2026 02:04:05 GMT"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
	if got := h.Get("X-Oss-Security-Token"); got != "tok" {
		t.Errorf("security token = %q", got)
	}
	if !strings.HasPrefix(h.Get("Authorization"), "OSS ak:") {
		t.Errorf("Authorization = %q", h.Get("Authorization"))
	}
}

func TestSignV1ParseAndRecomputeVerifiesAndDetectsTampering(t *testing.T) {
	c := Credentials{AccessKeyID: "STS.ak-1", AccessKeySecret: "secret", SecurityToken: "tok"}
	q := url.Values{"uploadId": {"u1"}, "partNumber": {"7"}, "ignored": {"x"}}
	h := http.Header{"Content-Md5": {"abc=="}, "X-Oss-Meta-K": {"v"}}
	SignV1("PUT", "bkt", "dir/obj", q, h, c, vectorTime)

	p, err := ParseAuthorization(h.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 || p.AccessKeyID != c.AccessKeyID {
		t.Fatalf("parsed %+v", p)
	}
	if got := V1Signature(c.AccessKeySecret, V1StringToSign("PUT", "bkt", "dir/obj", q, h)); got != p.Signature {
		t.Errorf("recomputed %s, header has %s", got, p.Signature)
	}

	q.Set("ignored", "changed") // not a sub-resource: still verifies
	if got := V1Signature(c.AccessKeySecret, V1StringToSign("PUT", "bkt", "dir/obj", q, h)); got != p.Signature {
		t.Errorf("non-sub-resource parameter changed the signature")
	}
	for name, tamper := range map[string]func(){
		"sub-resource": func() { q.Set("partNumber", "8") },
		"oss header":   func() { h.Set("X-Oss-Meta-K", "w") },
		"content-md5":  func() { h.Set("Content-Md5", "xyz==") },
	} {
		tamper()
		if got := V1Signature(c.AccessKeySecret, V1StringToSign("PUT", "bkt", "dir/obj", q, h)); got == p.Signature {
			t.Errorf("tampered %s still verifies", name)
		}
	}
}

func TestSignV4ParseAndRecomputeVerifies(t *testing.T) {
	c := Credentials{AccessKeyID: "ak", AccessKeySecret: "secret"}
	q := url.Values{"versionId": {"v/1"}}
	h := http.Header{"Range": {"bytes=1-2"}, "Referer": {"r"}}
	SignV4("GET", "bkt", "k", q, h, "cn-hangzhou", []string{"Referer", "Range"}, c, vectorTime)

	p, err := ParseAuthorization(h.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	want := ParsedAuth{Version: 4, AccessKeyID: "ak", Signature: p.Signature, Date: "20261124",
		Region: "cn-hangzhou", AdditionalHeaders: []string{"referer", "range"}}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("parsed %+v, want %+v", p, want)
	}
	at, err := time.Parse(V4TimeFormat, h.Get("X-Oss-Date"))
	if err != nil {
		t.Fatal(err)
	}
	cr := V4CanonicalRequest("GET", "bkt", "k", q, h, p.AdditionalHeaders)
	if got := V4Signature(c.AccessKeySecret, at, p.Region, V4StringToSign(cr, at, p.Region)); got != p.Signature {
		t.Errorf("recomputed %s, header has %s", got, p.Signature)
	}
	h.Set("Range", "bytes=0-2")
	cr = V4CanonicalRequest("GET", "bkt", "k", q, h, p.AdditionalHeaders)
	if got := V4Signature(c.AccessKeySecret, at, p.Region, V4StringToSign(cr, at, p.Region)); got == p.Signature {
		t.Error("changed additional header still verifies")
	}
}

func TestParseAuthorizationAcceptsFieldsInAnyOrder(t *testing.T) {
	sig := strings.Repeat("ab", 32)
	p, err := ParseAuthorization("OSS4-HMAC-SHA256 AdditionalHeaders=host,Signature=" + sig +
		",Credential=ak/20261124/cn-hangzhou/oss/aliyun_v4_request")
	if err != nil {
		t.Fatal(err)
	}
	if p.Signature != sig || p.Region != "cn-hangzhou" || !reflect.DeepEqual(p.AdditionalHeaders, []string{"host"}) {
		t.Errorf("parsed %+v", p)
	}
}

func TestParseAuthorizationRejectsGarbage(t *testing.T) {
	sig := strings.Repeat("0f", 32)
	cred := "Credential=ak/20261124/cn-hangzhou/oss/aliyun_v4_request"
	for _, v := range []string{
		"",
		"Basic dXNlcjpwYXNz",
		"OSS",
		"OSS ",
		"OSS ak",
		"OSS :sig",
		"OSS ak:",
		"OSS ak:not base64!",
		"OSS a k:sig",
		"oss ak:sig",
		"OSS4-HMAC-SHA256",
		"OSS4-HMAC-SHA256 ",
		"OSS4-HMAC-SHA256 " + cred,
		"OSS4-HMAC-SHA256 Signature=" + sig,
		"OSS4-HMAC-SHA256 " + cred + ", Signature=" + sig[:63],
		"OSS4-HMAC-SHA256 " + cred + ", Signature=" + strings.ToUpper(sig),
		"OSS4-HMAC-SHA256 " + cred + ", Signature=" + sig + ", Signature=" + sig,
		"OSS4-HMAC-SHA256 " + cred + ", Signature=" + sig + ", Extra=1",
		"OSS4-HMAC-SHA256 " + cred + ", Signature=" + sig + ", AdditionalHeaders=",
		"OSS4-HMAC-SHA256 " + cred + ", Signature=" + sig + ", AdditionalHeaders=a;;b",
		"OSS4-HMAC-SHA256 " + cred + ", Signature=" + sig + ",",
		"OSS4-HMAC-SHA256 Credential=ak/2026112/cn-hangzhou/oss/aliyun_v4_request, Signature=" + sig,
		"OSS4-HMAC-SHA256 Credential=ak/20261124/cn-hangzhou/s3/aliyun_v4_request, Signature=" + sig,
		"OSS4-HMAC-SHA256 Credential=ak/20261124/cn-hangzhou/oss/aws4_request, Signature=" + sig,
		"OSS4-HMAC-SHA256 Credential=ak/20261124//oss/aliyun_v4_request, Signature=" + sig,
		"OSS4-HMAC-SHA256 Credential=/20261124/cn-hangzhou/oss/aliyun_v4_request, Signature=" + sig,
		"OSS4-HMAC-SHA256 Credential=ak/20261124/cn-hangzhou/oss/aliyun_v4_request/x, Signature=" + sig,
	} {
		p, err := ParseAuthorization(v)
		if err == nil {
			t.Errorf("ParseAuthorization(%q) = %+v, want error", v, p)
		} else if !errors.Is(err, ErrMalformedAuthorization) {
			t.Errorf("ParseAuthorization(%q) error %v does not wrap ErrMalformedAuthorization", v, err)
		}
	}
}

// formatAuthorization renders p in oss2's layout, for the fuzz round trip.
func formatAuthorization(p ParsedAuth) string {
	if p.Version == 1 {
		return "OSS " + p.AccessKeyID + ":" + p.Signature
	}
	s := "OSS4-HMAC-SHA256 Credential=" + p.AccessKeyID + "/" + p.Date + "/" + p.Region +
		"/oss/aliyun_v4_request, Signature=" + p.Signature
	if len(p.AdditionalHeaders) > 0 {
		s += ", AdditionalHeaders=" + strings.Join(p.AdditionalHeaders, ";")
	}
	return s
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("OSS test-ak:g8BkWyohdG7Gl1eyLO4l53xR2rQ=")
	f.Add("OSS4-HMAC-SHA256 Credential=test-ak/20261124/cn-hangzhou/oss/aliyun_v4_request, Signature=29bf81ed9713a2236f6507afbed358cd32af7ab874220499c8d4c9bec5500800")
	f.Add("OSS4-HMAC-SHA256 Credential=test-ak/20261124/cn-hangzhou/oss/aliyun_v4_request, Signature=d3e96d3045b566c63d2a915bf7f9f06767a649864663c8db0dde29dbc75de7ac, AdditionalHeaders=host;if-modified-since;referer;range")
	f.Add("OSS4-HMAC-SHA256 ,,==//")
	f.Fuzz(func(t *testing.T, v string) {
		p, err := ParseAuthorization(v)
		if err != nil {
			if !errors.Is(err, ErrMalformedAuthorization) {
				t.Fatalf("error %v does not wrap ErrMalformedAuthorization", err)
			}
			return
		}
		if p.Version != 1 && p.Version != 4 {
			t.Fatalf("version %d", p.Version)
		}
		if p.AccessKeyID == "" || p.Signature == "" {
			t.Fatalf("accepted without key or signature: %+v", p)
		}
		again, err := ParseAuthorization(formatAuthorization(p))
		if err != nil {
			t.Fatalf("reformatted %+v does not parse: %v", p, err)
		}
		if !reflect.DeepEqual(again, p) {
			t.Fatalf("round trip %+v != %+v", again, p)
		}
	})
}
