package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeConfig replaces the test home's ~/.ossutilconfig.
func (e *testEnv) writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(e.home, ".ossutilconfig")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAlibabaCloudEnvironmentKeysWinOverOSSNamesAndTheFile(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "[Credentials]\nendpoint="+e.endpoint+"\naccessKeyID=file-ak\naccessKeySecret=wrong\n")
	e.put(t, "a.txt", []byte("x"))
	vars := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ak", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sk",
		"OSS_ACCESS_KEY_ID": "oss-ak", "OSS_ACCESS_KEY_SECRET": "wrong"}
	if r := e.runEnv(context.Background(), "", vars, "ls", "oss://bkt"); r.code != ExitOK || !strings.Contains(r.stdout, "a.txt") {
		t.Fatalf("%+v", r)
	}
	// Without them, the file's wrong keys are used, and the server refuses them.
	if r := e.runEnv(context.Background(), "", map[string]string{"OSS_ACCESS_KEY_ID": "ak", "OSS_ACCESS_KEY_SECRET": "sk"}, "ls", "oss://bkt"); r.code != ExitOK {
		t.Fatalf("OSS_* keys: %+v", r)
	}
	if r := e.run(t, "ls", "oss://bkt"); r.code != ExitFailed {
		t.Fatalf("file keys are wrong, yet: %+v", r)
	}
}

func TestProfileSelectsAConfigFileSection(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "[Credentials]\nendpoint=http://127.0.0.1:1\naccessKeyID=ak\naccessKeySecret=wrong\n[prod]\nendpoint="+e.endpoint+"\naccess_key_id=ak\naccess_key_secret=sk\n")
	if r := e.run(t, "ls", "oss://bkt", "--profile", "prod"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if r := e.run(t, "ls", "oss://bkt", "--retry-times", "1"); r.code != ExitFailed {
		t.Fatalf("[Credentials] points nowhere, yet: %+v", r)
	}
	if r := e.run(t, "ls", "oss://bkt", "--profile", "nope"); r.code != ExitUsage || !strings.Contains(r.stderr, "[nope]") {
		t.Fatalf("%+v", r)
	}
}

func TestNoCredentialsListsEveryPlaceLooked(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "[Credentials]\nendpoint="+e.endpoint+"\n")
	r := e.run(t, "ls", "oss://bkt")
	for _, want := range []string{"no credentials found", "flags -i/-k", "ALIBABA_CLOUD_ACCESS_KEY_ID", "OSS_ACCESS_KEY_ID", "[Credentials] of " + e.home, "ECS RAM role", "ALIBABA_CLOUD_ROLE_ARN"} {
		if r.code != ExitUsage || !strings.Contains(r.stderr, want) {
			t.Fatalf("missing %q: %+v", want, r)
		}
	}
	if r := e.run(t, "ls", "oss://bkt", "--mode", "RamRoleArn"); r.code != ExitUsage || !strings.Contains(r.stderr, "not supported") {
		t.Fatalf("%+v", r)
	}
	if r := e.run(t, "ls", "oss://bkt", "--mode", "StsToken", "-i", "ak", "-k", "sk"); r.code != ExitUsage || !strings.Contains(r.stderr, "STS token") {
		t.Fatalf("%+v", r)
	}
}

// recordTokens makes the server note the X-Oss-Security-Token of every request ("" for none).
func (e *testEnv) recordTokens() func() []string {
	var mu sync.Mutex
	var seen []string
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		seen = append(seen, r.Header.Get("X-Oss-Security-Token"))
		mu.Unlock()
		return false
	})
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := seen
		seen = nil
		return out
	}
}

func TestFlagKeysAreOneSourceAndTakeNoTokenFromElsewhere(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "[Credentials]\nendpoint="+e.endpoint+"\naccessKeyID=ak\naccessKeySecret=wrong\nstsToken=file-tok\n")
	tokens := e.recordTokens()
	stale := map[string]string{"ALIBABA_CLOUD_SECURITY_TOKEN": "stale", "OSS_SESSION_TOKEN": "stale"}
	if r := e.runEnv(context.Background(), "", stale, "ls", "oss://bkt", "-i", "ak", "-k", "sk"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if got := tokens(); len(got) == 0 || strings.Join(got, "") != "" {
		t.Fatalf("tokens sent with -i -k: %q", got)
	}
	if r := e.runEnv(context.Background(), "", stale, "ls", "oss://bkt", "-i", "ak", "-k", "sk", "-t", "flag-tok"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if got := tokens(); len(got) == 0 || got[0] != "flag-tok" {
		t.Fatalf("tokens sent with -i -k -t: %q", got)
	}
}

func TestHalfAPairOnTheCommandLineIsAUsageErrorBeforeAnyRequest(t *testing.T) {
	e := newTestEnv(t) // the config file holds good keys: none of them may complete a half pair
	for _, c := range []struct {
		vars map[string]string
		args []string
		want string
	}{
		{map[string]string{"OSS_ACCESS_KEY_ID": "ak"}, []string{"-k", "sk"}, "-k (AccessKeySecret) given without -i (AccessKeyID)"},
		{map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sk"}, []string{"-i", "ak"}, "-i (AccessKeyID) given without -k (AccessKeySecret)"},
		{nil, []string{"-t", "tok"}, "-t (STS token) given without -i and -k"},
		{nil, []string{"-i", "ak", "--mode", "EcsRamRole"}, "without -k"},
	} {
		r := e.runEnv(context.Background(), "", c.vars, append([]string{"ls", "oss://bkt"}, c.args...)...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Fatalf("%v: %+v", c.args, r)
		}
	}
	if n := e.count("."); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

func TestEnvironmentFamilyIsTakenWholeBeforeTheProfile(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "[Credentials]\nendpoint="+e.endpoint+"\naccessKeyID=ak\naccessKeySecret=sk\nstsToken=file-tok\n")
	tokens := e.recordTokens()
	for _, c := range []struct {
		vars map[string]string
		want string
	}{
		// OSS_* keys come without a token: neither the other family's nor the file's joins them.
		{map[string]string{"OSS_ACCESS_KEY_ID": "ak", "OSS_ACCESS_KEY_SECRET": "sk", "ALIBABA_CLOUD_SECURITY_TOKEN": "stale"}, ""},
		{map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ak", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sk", "ALIBABA_CLOUD_SECURITY_TOKEN": "ali-tok",
			"OSS_ACCESS_KEY_ID": "oss-ak", "OSS_ACCESS_KEY_SECRET": "wrong", "OSS_SESSION_TOKEN": "oss-tok"}, "ali-tok"},
		{nil, "file-tok"},
	} {
		if r := e.runEnv(context.Background(), "", c.vars, "ls", "oss://bkt"); r.code != ExitOK {
			t.Fatalf("%v: %+v", c.vars, r)
		}
		if got := tokens(); len(got) == 0 || got[0] != c.want {
			t.Fatalf("%v: tokens sent %q, want %q", c.vars, got, c.want)
		}
	}
	// Half a family is an error, not a reason to fall through to the file's keys.
	r := e.runEnv(context.Background(), "", map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "ak"}, "ls", "oss://bkt")
	if r.code != ExitFailed || !strings.Contains(r.stderr, "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set together") {
		t.Fatalf("%+v", r)
	}
	if got := tokens(); len(got) != 0 {
		t.Fatalf("%d requests sent", len(got))
	}
}

func TestModeAKDropsTheTokenAndStsTokenKeepsIt(t *testing.T) {
	e := newTestEnv(t)
	e.writeConfig(t, "[Credentials]\nendpoint="+e.endpoint+"\naccessKeyID=ak\naccessKeySecret=sk\nstsToken=file-tok\n")
	tokens := e.recordTokens()
	for mode, want := range map[string]string{"AK": "", "StsToken": "file-tok"} {
		if r := e.run(t, "ls", "oss://bkt", "--mode", mode); r.code != ExitOK {
			t.Fatalf("%s: %+v", mode, r)
		}
		if got := tokens(); len(got) == 0 || got[0] != want {
			t.Fatalf("--mode %s sent tokens %q", mode, got)
		}
	}
}

// fakeIMDS hands out keys "STS.ak-N"/"sk-N" valid for life, and records when each expires.
type fakeIMDS struct {
	*httptest.Server
	life   time.Duration
	mu     sync.Mutex
	issued map[string]time.Time
}

func newFakeIMDS(t *testing.T, life time.Duration) *fakeIMDS {
	f := &fakeIMDS{life: life, issued: map[string]time.Time{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
			fmt.Fprint(w, "v2-token")
		case r.Header.Get("X-aliyun-ecs-metadata-token") != "v2-token":
			http.Error(w, "token", http.StatusUnauthorized)
		case r.URL.Path == "/latest/meta-data/ram/security-credentials/":
			fmt.Fprint(w, "jindo-role")
		case r.URL.Path == "/latest/meta-data/ram/security-credentials/jindo-role":
			f.mu.Lock()
			n := len(f.issued) + 1
			exp := time.Now().Add(f.life)
			f.issued[fmt.Sprintf("STS.ak-%d", n)] = exp
			f.mu.Unlock()
			json.NewEncoder(w).Encode(map[string]string{"Code": "Success", "AccessKeyId": fmt.Sprintf("STS.ak-%d", n),
				"AccessKeySecret": fmt.Sprintf("sk-%d", n), "SecurityToken": "tok", "Expiration": exp.UTC().Format(time.RFC3339)})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeIMDS) count() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.issued) }

// serverKeys are the keys the fake IMDS will hand out, for the server to accept, and the
// test's own "ak".
func serverKeys(n int) map[string]string {
	m := map[string]string{"ak": "sk"}
	for i := 1; i <= n; i++ {
		m[fmt.Sprintf("STS.ak-%d", i)] = fmt.Sprintf("sk-%d", i)
	}
	return m
}

func TestEcsRamRoleModeSignsWithTheInstanceRole(t *testing.T) {
	imds := newFakeIMDS(t, time.Hour)
	e := newTestEnvWith(t, serverKeys(10))
	e.writeConfig(t, "[Credentials]\nendpoint="+e.endpoint+"\n")
	e.put(t, "a.txt", []byte("x"))
	vars := map[string]string{"ALIBABA_CLOUD_IMDS_ENDPOINT": imds.URL}
	if r := e.runEnv(context.Background(), "", vars, "ls", "oss://bkt", "--mode", "EcsRamRole"); r.code != ExitOK || !strings.Contains(r.stdout, "a.txt") {
		t.Fatalf("%+v", r)
	}
	// A role named in the config file is enough, as with ossutil's ecsRoleName=.
	e.writeConfig(t, "[Credentials]\nendpoint="+e.endpoint+"\necsRoleName=jindo-role\n")
	if r := e.runEnv(context.Background(), "", vars, "cat", "oss://bkt/a.txt"); r.code != ExitOK || !strings.HasPrefix(r.stdout, "x") {
		t.Fatalf("%+v", r)
	}
	if r := e.runEnv(context.Background(), "", vars, "ls", "oss://bkt", "--mode", "EcsRamRole", "--ecs-role-name", "other"); r.code != ExitFailed || !strings.Contains(r.stderr, "ECS RAM role other") {
		t.Fatalf("unknown role: %+v", r)
	}
}

var akInAuthorization = regexp.MustCompile(`^OSS (STS\.ak-\d+):`)

func TestRotatingRoleCredentialsKeepALongCommandWorking(t *testing.T) {
	imds := newFakeIMDS(t, 2*time.Second) // refreshed every 0.5-1 s
	e := newTestEnvWith(t, serverKeys(100))
	e.writeConfig(t, "[Credentials]\nendpoint="+e.endpoint+"\n")
	var mu sync.Mutex
	used := map[string]bool{}
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		m := akInAuthorization.FindStringSubmatch(r.Header.Get("Authorization"))
		if m == nil {
			return false // the test's own checks, signed with "ak"
		}
		imds.mu.Lock()
		exp, ok := imds.issued[m[1]]
		imds.mu.Unlock()
		if !ok || time.Now().After(exp) {
			// As OSS does with an expired STS token.
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, "<Error><Code>InvalidAccessKeyId</Code><Message>expired</Message></Error>")
			return true
		}
		mu.Lock()
		used[m[1]] = true
		mu.Unlock()
		time.Sleep(60 * time.Millisecond) // the command runs ~3 s: past several expiries
		return false
	})
	src := t.TempDir()
	files := map[string]string{}
	for i := range 50 {
		files["f"+strconv.Itoa(i)] = strings.Repeat("d", i)
	}
	writeTree(t, src, files)
	vars := map[string]string{"ALIBABA_CLOUD_IMDS_ENDPOINT": imds.URL, "ALIBABA_CLOUD_ECS_METADATA": "jindo-role"}
	r := e.runEnv(context.Background(), "", vars, "cp", "-r", "-f", "-j", "1", src, "oss://bkt/up/")
	if r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if got := len(e.keys(t, "up/")); got != 50 {
		t.Fatalf("%d objects uploaded", got)
	}
	if len(used) < 3 || imds.count() < 3 {
		t.Fatalf("keys used %v, %d issued: the credentials did not rotate", used, imds.count())
	}
}

func TestConfigWritesAPrivateFileOssutilCanRead(t *testing.T) {
	e := newTestEnv(t)
	path := filepath.Join(t.TempDir(), "sub", "cfg")
	if r := e.run(t, "config", "-c", path, "-e", e.endpoint, "-i", "ak", "-k", "sk"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("%v %v", st.Mode(), err)
	}
	text, _ := os.ReadFile(path)
	if want := "[Credentials]\nlanguage = EN\nendpoint = " + e.endpoint + "\naccessKeyID = ak\naccessKeySecret = sk\n"; string(text) != want {
		t.Fatalf("wrote %q, want ossutil's layout %q", text, want)
	}
	if r := e.run(t, "ls", "oss://bkt", "-c", path); r.code != ExitOK {
		t.Fatalf("reading it back: %+v", r)
	}
	// Interactively, into another profile: [Credentials] is kept.
	r := e.runCtx(context.Background(), e.endpoint+"\nak\nsk\n\n", "config", "-c", path, "--profile", "prod")
	// The questions go to stderr; stdout has only the result.
	if r.code != ExitOK || !strings.Contains(r.stderr, "Please enter accessKeySecret") || r.stdout != "Wrote [prod] of "+path+".\n" {
		t.Fatalf("%+v", r)
	}
	if r := e.run(t, "ls", "oss://bkt", "-c", path, "--profile", "prod"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	text, _ = os.ReadFile(path)
	if !strings.HasPrefix(string(text), "[Credentials]\nlanguage = EN\nendpoint = ") || !strings.Contains(string(text), "[prod]\nendpoint = ") || strings.Contains(string(text), "stsToken") {
		t.Fatalf("%s", text)
	}
	// Updating one key keeps the others.
	if r := e.run(t, "config", "-c", path, "-k", "new-sk"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if text, _ = os.ReadFile(path); !strings.Contains(string(text), "accessKeyID = ak\naccessKeySecret = new-sk\n[prod]") {
		t.Fatalf("%s", text)
	}
}
