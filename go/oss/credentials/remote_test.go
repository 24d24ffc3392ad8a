package credentials

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeIMDS is an ECS metadata service on 127.0.0.1 that insists on an IMDSv2 token (unless
// v1 is allowed) and hands out credentials numbered by request.
type fakeIMDS struct {
	*httptest.Server
	mu       sync.Mutex
	allowV1  bool
	noToken  bool // PUT /latest/api/token fails, as on an old instance
	issued   int
	requests []string
}

func newFakeIMDS(t *testing.T) *fakeIMDS {
	f := &fakeIMDS{}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeIMDS) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
		if f.noToken || r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds") == "" {
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		fmt.Fprint(w, "tok-123")
		return
	}
	if r.Header.Get("X-aliyun-ecs-metadata-token") != "tok-123" && !f.allowV1 {
		http.Error(w, "token required", http.StatusUnauthorized)
		return
	}
	switch r.URL.Path {
	case "/latest/meta-data/ram/security-credentials/":
		fmt.Fprint(w, "my-role")
	case "/latest/meta-data/ram/security-credentials/my-role":
		f.issued++
		json.NewEncoder(w).Encode(map[string]string{"Code": "Success", "AccessKeyId": fmt.Sprintf("STS.ak-%d", f.issued),
			"AccessKeySecret": "sk", "SecurityToken": "st", "Expiration": time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z")})
	default:
		http.NotFound(w, r)
	}
}

func TestECSRoleUsesIMDSv2TokenAndDiscoversTheRole(t *testing.T) {
	f := newFakeIMDS(t)
	e := ECSRoleFromEnv(envOf(map[string]string{EnvIMDSEndpoint: f.URL}), "")
	c, err := e.Credentials(context.Background())
	if err != nil || c.AccessKeyID != "STS.ak-1" || c.SecurityToken != "st" || c.Expiration.IsZero() || c.Source != "ECS RAM role my-role" {
		t.Fatalf("%+v %v", c, err)
	}
	want := "PUT /latest/api/token,GET /latest/meta-data/ram/security-credentials/,GET /latest/meta-data/ram/security-credentials/my-role,PUT /latest/api/token,GET /latest/meta-data/ram/security-credentials/my-role"
	e.Credentials(context.Background()) // the role is discovered once
	if got := strings.Join(f.requests, ","); got != want {
		t.Fatalf("requests %s", got)
	}
}

func TestECSRoleFallsBackToIMDSv1UnlessDisabled(t *testing.T) {
	f := newFakeIMDS(t)
	f.noToken, f.allowV1 = true, true
	e := &ECSRole{Endpoint: strings.TrimPrefix(f.URL, "http://"), RoleName: "my-role"}
	if c, err := e.Credentials(context.Background()); err != nil || c.AccessKeyID != "STS.ak-1" {
		t.Fatalf("%+v %v", c, err)
	}
	e.DisableIMDSv1 = true
	if _, err := e.Credentials(context.Background()); err == nil || !strings.Contains(err.Error(), "IMDSv1 disabled") {
		t.Fatalf("%v", err)
	}
	e = &ECSRole{Endpoint: f.URL, RoleName: "other"}
	if _, err := e.Credentials(context.Background()); err == nil || !strings.Contains(err.Error(), "ECS RAM role other") || !strings.Contains(err.Error(), "404") {
		t.Fatalf("unknown role: %v", err)
	}
}

func TestOIDCAssumesTheRoleWithTheTokenFile(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte("jwt-1\n"), 0o600)
	var got []string
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		r.ParseForm()
		got = append(got, r.Method, q.Get("Action"), q.Get("Format"), q.Get("Version"), r.PostForm.Get("RoleArn"),
			r.PostForm.Get("OIDCProviderArn"), r.PostForm.Get("OIDCToken"), r.PostForm.Get("RoleSessionName"), r.PostForm.Get("DurationSeconds"))
		if r.Header.Get("Authorization") != "" || q.Get("Signature") != "" {
			t.Error("AssumeRoleWithOIDC is anonymous")
		}
		if r.PostForm.Get("OIDCToken") != "jwt-1" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"RequestId":"r1","Code":"InvalidParameter.OIDCToken","Message":"bad token"}`)
			return
		}
		fmt.Fprint(w, `{"RequestId":"r0","Credentials":{"AccessKeyId":"STS.oidc","AccessKeySecret":"osk","SecurityToken":"otok","Expiration":"2099-01-01T00:00:00Z"}}`)
	}))
	defer sts.Close()
	env := envOf(map[string]string{EnvRoleArn: "acs:ram::1:role/r", EnvOIDCProviderArn: "acs:ram::1:oidc-provider/p",
		EnvOIDCTokenFile: tokenFile, EnvRoleSessionName: "sess", EnvSTSEndpoint: sts.URL})
	o, err := OIDCFromEnv(env)
	if err != nil {
		t.Fatal(err)
	}
	c, err := o.Credentials(context.Background())
	if err != nil || c.AccessKeyID != "STS.oidc" || c.SecurityToken != "otok" || c.Expiration.Year() != 2099 {
		t.Fatalf("%+v %v", c, err)
	}
	if want := "POST AssumeRoleWithOIDC JSON 2015-04-01 acs:ram::1:role/r acs:ram::1:oidc-provider/p jwt-1 sess 3600"; strings.Join(got, " ") != want {
		t.Fatalf("sent %q", strings.Join(got, " "))
	}
	os.WriteFile(tokenFile, []byte("jwt-2"), 0o600) // rotated by the kubelet: read again
	if _, err = o.Credentials(context.Background()); err == nil || !strings.Contains(err.Error(), "InvalidParameter.OIDCToken") || !strings.Contains(err.Error(), "r1") {
		t.Fatalf("%v", err)
	}
	if _, err = OIDCFromEnv(envOf(map[string]string{EnvRoleArn: "x"})); err == nil || !strings.Contains(err.Error(), EnvOIDCTokenFile) {
		t.Fatalf("%v", err)
	}
}
