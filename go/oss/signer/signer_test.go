package signer

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
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

type presignVector struct {
	Version           string            `json:"version"`
	Method            string            `json:"method"`
	Bucket            string            `json:"bucket"`
	Key               string            `json:"key"`
	Params            [][2]string       `json:"params"`
	HeadersIn         map[string]string `json:"headers_in"`
	AdditionalHeaders []string          `json:"additional_headers"`
	Token             string            `json:"token"`
	Region            string            `json:"region"`
	Expires           int64             `json:"expires"`
	URL               string            `json:"url"`
	Query             [][2]string       `json:"query"`
}

type extraVectors struct {
	AccessKeyID     string          `json:"access_key_id"`
	AccessKeySecret string          `json:"access_key_secret"`
	V1              []extraVector   `json:"v1"`
	V2              []extraVector   `json:"v2"`
	V4              []extraVector   `json:"v4"`
	Presign         []presignVector `json:"presign"`
}

func loadJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
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
	loadJSON(t, filepath.Join("testdata", "signing.json"), &vs)
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
	loadJSON(t, filepath.Join("testdata", "signing.json"), &vs)
	c := Credentials{AccessKeyID: vs.AccessKeyID, AccessKeySecret: vs.AccessKeySecret}
	for _, v := range vs.V4 {
		t.Run(v.Method+" "+v.Key, func(t *testing.T) {
			if v.Region == nil {
				t.Fatal("v4 vector without region")
			}
			region := *v.Region
			h := canonicalHeaderOf(v.Headers)
			cr := V4CanonicalRequest(v.Method, vs.Bucket, v.Key, queryOf(v.Params), h, nil)
			at := V4TimeOf(vectorTime)
			sig := V4Signature(c.AccessKeySecret, at.Day, region, V4StringToSign(cr, at, region))
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
			if got := V4StringToSign(cr, V4TimeOf(vectorTime), v.Region); got != v.StringToSign {
				t.Errorf("string to sign\ngot  %q\nwant %q", got, v.StringToSign)
			}
			assertHeadersMatch(t, h, v.Headers)
		})
	}
}

// sortedAdditional parses an Authorization and sorts its additional headers, which oss2's
// V2 lists in set order.
func sortedAdditional(t *testing.T, authz string) ParsedAuth {
	t.Helper()
	p, err := ParseAuthorization(authz)
	if err != nil {
		t.Fatalf("parse %q: %v", authz, err)
	}
	sort.Strings(p.AdditionalHeaders)
	return p
}

func TestOss2ExtraV2VectorsReproduceStringToSignAndAuthorization(t *testing.T) {
	var vs extraVectors
	loadJSON(t, filepath.Join("testdata", "oss2_extra.json"), &vs)
	if len(vs.V2) == 0 {
		t.Fatal("no v2 vectors")
	}
	for _, v := range vs.V2 {
		t.Run(v.Method+" "+v.Bucket+"/"+v.Key, func(t *testing.T) {
			c := Credentials{AccessKeyID: vs.AccessKeyID, AccessKeySecret: vs.AccessKeySecret, SecurityToken: v.Token}
			h := rawHeaderOf(v.HeadersIn)
			SignV2(v.Method, v.Bucket, v.Key, queryOf(v.Params), h, c, vectorTime)
			p := sortedAdditional(t, h.Get("Authorization"))
			if got := V2StringToSign(v.Method, v.Bucket, v.Key, queryOf(v.Params), h, p.AdditionalHeaders); got != v.StringToSign {
				t.Errorf("string to sign\ngot  %q\nwant %q", got, v.StringToSign)
			}
			if want := sortedAdditional(t, v.Authorization); !reflect.DeepEqual(p, want) {
				t.Errorf("Authorization\ngot  %+v\nwant %+v", p, want)
			}
			want := map[string]string{}
			for k, val := range v.Headers {
				want[k] = val
			}
			want["authorization"] = h.Get("Authorization") // compared above, up to oss2's set order
			assertHeadersMatch(t, h, want)
		})
	}
}

func TestOss2PresignVectorsReproduceQuery(t *testing.T) {
	var vs extraVectors
	loadJSON(t, filepath.Join("testdata", "oss2_extra.json"), &vs)
	seen := map[string]bool{}
	for _, v := range vs.Presign {
		seen[v.Version] = true
		t.Run(v.Version+" "+v.Method+" "+v.Key, func(t *testing.T) {
			c := Credentials{AccessKeyID: vs.AccessKeyID, AccessKeySecret: vs.AccessKeySecret, SecurityToken: v.Token}
			h := rawHeaderOf(v.HeadersIn)
			before := h.Clone()
			var got [][2]string
			switch v.Version {
			case "v1":
				got = PresignV1(v.Method, v.Bucket, v.Key, v.Params, h, c, vectorTime, v.Expires)
			case "v2":
				got = PresignV2(v.Method, v.Bucket, v.Key, v.Params, h, v.AdditionalHeaders, c, vectorTime, v.Expires)
			case "v4":
				got = PresignV4(v.Method, v.Bucket, v.Key, v.Params, h, v.Region, v.AdditionalHeaders, c, vectorTime, v.Expires)
			}
			if !reflect.DeepEqual(got, v.Query) {
				t.Errorf("query\ngot  %q\nwant %q (%s)", got, v.Query, v.URL)
			}
			if !reflect.DeepEqual(h, before) {
				t.Errorf("presigning changed the caller's headers: %v", h)
			}
		})
	}
	for _, version := range []string{"v1", "v2", "v4"} {
		if !seen[version] {
			t.Errorf("no %s presign vectors", version)
		}
	}
}

// verifyPresigned recomputes a presigned URL's signature from its query, as a server does.
func verifyPresigned(t *testing.T, method, bucket, key string, query [][2]string, h http.Header, secret string) bool {
	t.Helper()
	q := valuesOf(query)
	qa, err := ParseQueryAuth(q)
	if err != nil {
		t.Fatalf("ParseQueryAuth(%v): %v", q, err)
	}
	switch qa.Version {
	case 1:
		for _, n := range []string{QueryV1AccessKeyID, QueryV1Expires, QueryV1Signature} {
			q.Del(n)
		}
		sh := h.Clone()
		sh.Set("Date", strconv.FormatInt(qa.Expires, 10))
		return V1Signature(secret, V1StringToSign(method, bucket, key, q, sh)) == qa.Signature
	case 2:
		q.Del(QuerySignature)
		sh := h.Clone()
		sh.Set("Date", strconv.FormatInt(qa.Expires, 10))
		return V2Signature(secret, V2StringToSign(method, bucket, key, q, sh, qa.AdditionalHeaders)) == qa.Signature
	}
	q.Del(QuerySignature)
	at := V4Time{Stamp: qa.Stamp, Day: qa.Date}
	cr := V4CanonicalRequest(method, bucket, key, q, h, qa.AdditionalHeaders)
	return V4Signature(secret, qa.Date, qa.Region, V4StringToSign(cr, at, qa.Region)) == qa.Signature
}

func TestPresignedURLsVerifyAndDetectTampering(t *testing.T) {
	c := Credentials{AccessKeyID: "ak", AccessKeySecret: "secret"}
	h := http.Header{"Content-Type": {"text/plain"}, "X-Oss-Meta-K": {"v"}, "Range": {"bytes=0-1"}}
	extra := []string{"range"}
	for _, version := range []string{"v1", "v2", "v4"} {
		t.Run(version, func(t *testing.T) {
			sign := func(query [][2]string) [][2]string {
				switch version {
				case "v1":
					return PresignV1("PUT", "bkt", "dir/k", query, h, c, vectorTime, 60)
				case "v2":
					return PresignV2("PUT", "bkt", "dir/k", query, h, extra, c, vectorTime, 60)
				}
				return PresignV4("PUT", "bkt", "dir/k", query, h, "cn-hangzhou", extra, c, vectorTime, 60)
			}
			q := sign([][2]string{{"uploadId", "u1"}, {"partNumber", "2"}})
			if !verifyPresigned(t, "PUT", "bkt", "dir/k", q, h, c.AccessKeySecret) {
				t.Fatalf("a fresh URL does not verify: %q", q)
			}
			if verifyPresigned(t, "PUT", "bkt", "dir/other", q, h, c.AccessKeySecret) {
				t.Error("verifies for another key")
			}
			if verifyPresigned(t, "PUT", "other", "dir/k", q, h, c.AccessKeySecret) {
				t.Error("verifies for another bucket")
			}
			if verifyPresigned(t, "GET", "bkt", "dir/k", q, h, c.AccessKeySecret) {
				t.Error("verifies for another method")
			}
			if verifyPresigned(t, "PUT", "bkt", "dir/k", q, h, "other-secret") {
				t.Error("verifies with another secret")
			}
			changed := append([][2]string(nil), q...)
			changed[1][1] = "3" // partNumber
			if verifyPresigned(t, "PUT", "bkt", "dir/k", changed, h, c.AccessKeySecret) {
				t.Error("verifies with a sub-resource changed")
			}
			meta := h.Clone()
			meta.Set("X-Oss-Meta-K", "w")
			if verifyPresigned(t, "PUT", "bkt", "dir/k", q, meta, c.AccessKeySecret) {
				t.Error("verifies with a signed header changed")
			}
			if version != "v1" {
				rng := h.Clone()
				rng.Set("Range", "bytes=0-2")
				if verifyPresigned(t, "PUT", "bkt", "dir/k", q, rng, c.AccessKeySecret) {
					t.Error("verifies with an additional header changed")
				}
			}
		})
	}
}

func TestParseQueryAuthRejectsIncompleteOrAmbiguousSignatures(t *testing.T) {
	c := Credentials{AccessKeyID: "ak", AccessKeySecret: "secret"}
	v4 := valuesOf(PresignV4("GET", "bkt", "k", nil, nil, "cn-hangzhou", nil, c, vectorTime, 60))
	v2 := valuesOf(PresignV2("GET", "bkt", "k", nil, nil, nil, c, vectorTime, 60))
	v1 := valuesOf(PresignV1("GET", "bkt", "k", nil, nil, c, vectorTime, 60))
	for _, q := range []url.Values{v1, v2, v4} {
		if !HasQueryAuth(q) {
			t.Errorf("HasQueryAuth(%v) = false", q)
		}
		if _, err := ParseQueryAuth(q); err != nil {
			t.Errorf("ParseQueryAuth(%v): %v", q, err)
		}
	}
	if HasQueryAuth(url.Values{"prefix": {"p"}, "Expires": {"1"}, "x-oss-date": {"x"}}) {
		t.Error("plain parameters taken for a signature")
	}
	edit := func(base url.Values, f func(url.Values)) url.Values {
		q := url.Values{}
		for k, vs := range base {
			q[k] = append([]string(nil), vs...)
		}
		f(q)
		return q
	}
	for name, q := range map[string]url.Values{
		"v4 without signature":   edit(v4, func(q url.Values) { q.Del(QuerySignature) }),
		"v4 without credential":  edit(v4, func(q url.Values) { q.Del(QueryCredential) }),
		"v4 without date":        edit(v4, func(q url.Values) { q.Del(QueryDate) }),
		"v4 without expires":     edit(v4, func(q url.Values) { q.Del(QueryExpires) }),
		"v4 expires 0":           edit(v4, func(q url.Values) { q.Set(QueryExpires, "0") }),
		"v4 expires over 7 days": edit(v4, func(q url.Values) { q.Set(QueryExpires, "604801") }),
		"v4 bad date":            edit(v4, func(q url.Values) { q.Set(QueryDate, "20261124") }),
		"v4 short signature":     edit(v4, func(q url.Values) { q.Set(QuerySignature, "abc") }),
		"v4 two signatures":      edit(v4, func(q url.Values) { q.Add(QuerySignature, strings.Repeat("0", 64)) }),
		"v4 bad scope":           edit(v4, func(q url.Values) { q.Set(QueryCredential, "ak/20261124/cn-hangzhou/s3/aws4_request") }),
		"v4 empty header list":   edit(v4, func(q url.Values) { q.Set(QueryAdditionalHeaders, "a;;b") }),
		"unknown version":        edit(v4, func(q url.Values) { q.Set(QuerySignatureVersion, "OSS3") }),
		"v2 without key":         edit(v2, func(q url.Values) { q.Del(QueryAccessKeyID) }),
		"v2 bad expires":         edit(v2, func(q url.Values) { q.Set(QueryExpires, "soon") }),
		"v1 without signature":   edit(v1, func(q url.Values) { q.Del(QueryV1Signature) }),
		"v1 without expires":     edit(v1, func(q url.Values) { q.Del(QueryV1Expires) }),
		"v1 two keys":            edit(v1, func(q url.Values) { q.Add(QueryV1AccessKeyID, "other") }),
		"v4 params, no version":  edit(v4, func(q url.Values) { q.Del(QuerySignatureVersion) }),
	} {
		if !HasQueryAuth(q) {
			t.Errorf("%s: HasQueryAuth = false", name)
		}
		if qa, err := ParseQueryAuth(q); err == nil {
			t.Errorf("%s: ParseQueryAuth = %+v, want error", name, qa)
		} else if !errors.Is(err, ErrMalformedAuthorization) {
			t.Errorf("%s: error %v does not wrap ErrMalformedAuthorization", name, err)
		}
	}
}

func TestV4TimeFromDateHeaderSignsWithTheHeaderText(t *testing.T) {
	// The aliyun-oss-go-sdk v3 family signs V4 without x-oss-date: the Date header's text
	// is the time in the string to sign and its day the scope's.
	at := V4Time{Stamp: "Tue, 24 Nov 2026 10:00:00 GMT", Day: "20261124"}
	sts := V4StringToSign("cr", at, "cn-hangzhou")
	if want := "OSS4-HMAC-SHA256\nTue, 24 Nov 2026 10:00:00 GMT\n20261124/cn-hangzhou/oss/aliyun_v4_request\n"; !strings.HasPrefix(sts, want) {
		t.Errorf("string to sign %q, want prefix %q", sts, want)
	}
	if V4TimeOf(vectorTime) != (V4Time{Stamp: "20261124T100000Z", Day: "20261124"}) {
		t.Errorf("V4TimeOf = %+v", V4TimeOf(vectorTime))
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
	at := V4Time{Stamp: h.Get("X-Oss-Date"), Day: p.Date}
	cr := V4CanonicalRequest("GET", "bkt", "k", q, h, p.AdditionalHeaders)
	if got := V4Signature(c.AccessKeySecret, at.Day, p.Region, V4StringToSign(cr, at, p.Region)); got != p.Signature {
		t.Errorf("recomputed %s, header has %s", got, p.Signature)
	}
	h.Set("Range", "bytes=0-2")
	cr = V4CanonicalRequest("GET", "bkt", "k", q, h, p.AdditionalHeaders)
	if got := V4Signature(c.AccessKeySecret, at.Day, p.Region, V4StringToSign(cr, at, p.Region)); got == p.Signature {
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
	switch p.Version {
	case 1:
		return "OSS " + p.AccessKeyID + ":" + p.Signature
	case 2:
		s := "OSS2 AccessKeyId:" + p.AccessKeyID
		if len(p.AdditionalHeaders) > 0 {
			s += ",AdditionalHeaders:" + strings.Join(p.AdditionalHeaders, ";")
		}
		return s + ",Signature:" + p.Signature
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
	f.Add("OSS2 AccessKeyId:test-ak,AdditionalHeaders:if-modified-since;range,Signature:v+Uq94xKj2tyHGsHUjqyOVfTOR1fKQhISf1vBWgviVc=")
	f.Add("OSS2 AccessKeyId:a,Signature:b,Signature:c")
	f.Fuzz(func(t *testing.T, v string) {
		p, err := ParseAuthorization(v)
		if err != nil {
			if !errors.Is(err, ErrMalformedAuthorization) {
				t.Fatalf("error %v does not wrap ErrMalformedAuthorization", err)
			}
			return
		}
		if p.Version != 1 && p.Version != 2 && p.Version != 4 {
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

func FuzzParseQueryAuth(f *testing.F) {
	c := Credentials{AccessKeyID: "ak", AccessKeySecret: "secret", SecurityToken: "tok"}
	f.Add(encodePairs(PresignV4("GET", "bkt", "k", nil, http.Header{"Range": {"x"}}, "cn-hangzhou", []string{"range"}, c, vectorTime, 60)))
	f.Add(encodePairs(PresignV2("GET", "bkt", "k", nil, nil, nil, c, vectorTime, 60)))
	f.Add(encodePairs(PresignV1("GET", "bkt", "k", nil, nil, c, vectorTime, 60)))
	f.Add("x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-expires=-1")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		qa, err := ParseQueryAuth(q)
		if err != nil {
			if !errors.Is(err, ErrMalformedAuthorization) {
				t.Fatalf("error %v does not wrap ErrMalformedAuthorization", err)
			}
			return
		}
		if !HasQueryAuth(q) {
			t.Fatalf("parsed %+v from a query HasQueryAuth calls unsigned", qa)
		}
		if qa.AccessKeyID == "" || qa.Signature == "" {
			t.Fatalf("accepted without key or signature: %+v", qa)
		}
	})
}

func encodePairs(pairs [][2]string) string {
	parts := make([]string, len(pairs))
	for i, kv := range pairs {
		parts[i] = url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1])
	}
	return strings.Join(parts, "&")
}

func TestAV1MACSignsAsAFreshHMACWhateverItSignedBefore(t *testing.T) {
	var m V1MAC
	for i, c := range []struct{ secret, sts string }{
		{"sk", "GET\n\n\nDate\n/b/k"}, {"sk", "PUT\n\n\nDate\n/b/k"}, {"other", "GET\n\n\nDate\n/b/k"}, {"sk", ""},
	} {
		want := base64.StdEncoding.EncodeToString(hmacSHA1(c.secret, c.sts))
		if got := m.Signature(c.secret, c.sts); got != want {
			t.Errorf("signature %d: %s, want %s", i, got, want)
		}
	}
}

func hmacSHA1(secret, s string) []byte {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(s))
	return m.Sum(nil)
}

func TestLowerNameIsToLower(t *testing.T) {
	for _, name := range []string{"Authorization", "Content-Length", "Content-Md5", "Content-Type", "Date", "Range",
		"User-Agent", "X-Oss-Meta-A", "content-type", "CONTENT-TYPE", ""} {
		if got := lowerName(name); got != strings.ToLower(name) {
			t.Errorf("lowerName(%q) = %q", name, got)
		}
	}
}
