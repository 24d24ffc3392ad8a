package ops

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/server"
	"github.com/pyjindo/pyjindo/go/server/store"
)

// rotatingIMDS is an ECS metadata service on 127.0.0.1 handing out keys that live for life,
// each written into the keys file jindo server accepts (until they expire).
type rotatingIMDS struct {
	*httptest.Server
	life     time.Duration
	keysFile string

	mu     sync.Mutex
	issued []map[string]string
}

func newRotatingIMDS(t *testing.T, life time.Duration) *rotatingIMDS {
	f := &rotatingIMDS{life: life, keysFile: filepath.Join(t.TempDir(), "keys.json")}
	os.WriteFile(f.keysFile, []byte("[]"), 0o600)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/latest/api/token":
			fmt.Fprint(w, "imds-token")
		case "/latest/meta-data/ram/security-credentials/":
			fmt.Fprint(w, "role")
		case "/latest/meta-data/ram/security-credentials/role":
			json.NewEncoder(w).Encode(f.issue(t))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *rotatingIMDS) issue(t *testing.T) map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.issued) + 1
	k := map[string]string{"Code": "Success", "AccessKeyId": fmt.Sprintf("STS.ak-%d", n), "AccessKeySecret": fmt.Sprintf("sk-%d", n),
		"SecurityToken": fmt.Sprintf("tok-%d", n), "Expiration": time.Now().Add(f.life).UTC().Format(time.RFC3339Nano)}
	f.issued = append(f.issued, k)
	data, _ := json.Marshal(f.issued)
	tmp := f.keysFile + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Error(err)
	}
	if err := os.Rename(tmp, f.keysFile); err != nil {
		t.Error(err)
	}
	return k
}

var stsKeyInAuthorization = regexp.MustCompile(`^OSS (STS\.ak-\d+):`)

func TestSessionFromEcsRoleSignsALongUploadThroughKeyRotations(t *testing.T) {
	imds := newRotatingIMDS(t, time.Second)
	srv := server.New(server.Config{Store: store.NewMemory(nil), KeysFile: imds.keysFile,
		Latency: 100 * time.Millisecond})
	var mu sync.Mutex
	used, failed := map[string]bool{}, []string{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		srv.ServeHTTP(rec, r)
		mu.Lock()
		defer mu.Unlock()
		if m := stsKeyInAuthorization.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			used[m[1]] = true
		}
		if rec.status >= 300 {
			failed = append(failed, fmt.Sprintf("%s %s: %d", r.Method, r.URL, rec.status))
		}
	}))
	defer ts.Close()

	config := fmt.Sprintf(`{"endpoint": %q, "part_size": 262144, "concurrency": 4, "multipart_threshold": 262144,
		"credentials": {"source": "chain", "env": {"ALIBABA_CLOUD_IMDS_ENDPOINT": %q, "ALIBABA_CLOUD_ECS_METADATA": "role"}}}`, ts.URL, imds.URL)
	s, err := NewSession([]byte(config), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := run(t, s, nil, "request", `{"method": "PUT", "bucket": "bkt", "key": ""}`, nil); err != nil {
		t.Fatal(err)
	}
	// 128 parts, 4 at a time, each answered after 100 ms: over 3 s, past several expiries.
	body := make([]byte, 32<<20)
	rand.NewChaCha8([32]byte{1}).Read(body)
	started := time.Now()
	_, err = run(t, s, nil, "request", `{"method": "PUT", "bucket": "bkt", "key": "big", "check_crc": true, "operation": "put_object"}`, body)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("upload took %v", time.Since(started))
	res, err := run(t, s, nil, "request", `{"method": "GET", "bucket": "bkt", "key": "big"}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := FromLatin1(res.(Response).Body.(string)); !bytes.Equal([]byte(got), body) {
		t.Fatalf("read back %d bytes, not what was put", len(got))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(failed) > 0 {
		t.Fatalf("%d requests failed during rotation: %v", len(failed), failed[:min(5, len(failed))])
	}
	t.Logf("%d keys issued, %v used, in %v", len(imds.issued), used, time.Since(started))
	if len(used) < 3 {
		t.Fatalf("keys used %v in %v: the credentials did not rotate", used, time.Since(started))
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func TestSessionWithoutCredentialsNamesEveryPlaceLooked(t *testing.T) {
	s, err := NewSession([]byte(`{"endpoint": "127.0.0.1:1", "credentials": {"source": "chain", "config_file": "/nonexistent/ossutilconfig"}}`), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = run(t, s, nil, "credentials", `{}`, nil)
	var ce *oss.CredentialsError
	if !errors.As(err, &ce) {
		t.Fatalf("%v", err)
	}
	d := ErrorDict(err)
	msg, _ := d["message"].(string)
	if d["kind"] != "credentials" || d["not_found"] != true || !strings.Contains(msg, "ALIBABA_CLOUD_ACCESS_KEY_ID") ||
		!strings.Contains(msg, "/nonexistent/ossutilconfig") || !strings.Contains(msg, "ALIBABA_CLOUD_ROLE_ARN") {
		t.Fatalf("%v", d)
	}
	if _, err := NewSession([]byte(`{"endpoint": "e", "access_key_id": "a", "credentials": {"source": "env"}}`), "test"); err == nil {
		t.Fatal("keys and a credentials source were both accepted")
	}
	if _, err := NewSession([]byte(`{"endpoint": "e", "credentials": {"source": "env", "access_key": "a"}}`), "test"); err == nil {
		t.Fatal("an unknown credentials key was accepted")
	}
}

func TestSetCredentialsReplacesTheKeysOfALiveSession(t *testing.T) {
	ts := httptest.NewServer(server.New(server.Config{Store: store.NewMemory(nil), Credentials: map[string]string{"ak-2": "sk-2"}}))
	defer ts.Close()
	s, err := NewSession([]byte(fmt.Sprintf(`{"endpoint": %q, "access_key_id": "ak-1", "access_key_secret": "sk-1"}`, ts.URL)), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var se *oss.ServiceError
	if _, err := run(t, s, nil, "request", `{"method": "PUT", "bucket": "bkt", "key": ""}`, nil); !errors.As(err, &se) || se.Status != 403 {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := run(t, s, nil, "set_credentials", `{"access_key_id": "ak-2", "access_key_secret": "sk-2", "security_token": ""}`, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, s, nil, "request", `{"method": "PUT", "bucket": "bkt", "key": ""}`, nil); err != nil {
		t.Fatalf("after set_credentials: %v", err)
	}
	if c, err := run(t, s, nil, "credentials", `{}`, nil); err != nil || c.(CredentialsResult).AccessKeyID != "ak-2" {
		t.Fatalf("credentials: %+v %v", c, err)
	}

	src, err := NewSession([]byte(`{"endpoint": "127.0.0.1:1", "credentials": {"source": "static", "access_key_id": "a", "access_key_secret": "b"}}`), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := run(t, src, nil, "set_credentials", `{"access_key_id": "x", "access_key_secret": "y"}`, nil); err == nil || !strings.Contains(err.Error(), "credentials source") {
		t.Fatalf("set_credentials on a source's session: %v", err)
	}
}

func TestCredentialWarningsAreDrainedOnceAndBounded(t *testing.T) {
	s, err := NewSession([]byte(`{"endpoint": "127.0.0.1:1", "credentials": {"source": "static", "access_key_id": "a", "access_key_secret": "b"}}`), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if b := s.CredentialWarnings(); b != nil {
		t.Fatalf("no refresh failed yet: %s", b)
	}
	for i := range credentialWarningsSize + 3 {
		s.warnings.add("refresh %d failed", i)
	}
	var got struct {
		Warnings []string `json:"warnings"`
		Dropped  int      `json:"dropped"`
	}
	if err := json.Unmarshal(s.CredentialWarnings(), &got); err != nil || len(got.Warnings) != credentialWarningsSize ||
		got.Warnings[0] != "refresh 0 failed" || got.Dropped != 3 {
		t.Fatalf("%+v %v", got, err)
	}
	if b := s.CredentialWarnings(); b != nil {
		t.Fatalf("drained twice: %s", b)
	}
	keys, _ := NewSession([]byte(`{"endpoint": "127.0.0.1:1", "access_key_id": "a", "access_key_secret": "b"}`), "test")
	defer keys.Close()
	if keys.warnings != nil || keys.CredentialWarnings() != nil {
		t.Fatal("a session with keys has no source to warn about")
	}
}
