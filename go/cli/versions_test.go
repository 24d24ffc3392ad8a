package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
)

// On a versioned bucket: ls --all-versions lists versions and delete markers, cp --version-id
// downloads or copies an old version, rm --version-id and rm --all-versions delete versions for good.
func TestVersionsThroughTheCLI(t *testing.T) {
	e := newTestEnv(t)
	c := e.client(t)
	ctx := context.Background()
	doc := `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`
	resp, err := c.Do(ctx, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Query: [][2]string{{"versioning", ""}},
		Body: strings.NewReader(doc), ContentLength: int64(len(doc))})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var ids []string
	for _, body := range []string{"one", "two"} {
		res, err := c.Do(ctx, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "k", Body: strings.NewReader(body), ContentLength: int64(len(body))})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		ids = append(ids, res.Header.Get("x-oss-version-id"))
	}
	versions := func() []map[string]any {
		t.Helper()
		r := e.run(t, "ls", "oss://bkt/k", "--all-versions", "--output-format", "json")
		var doc struct{ Entries []map[string]any }
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &doc) != nil {
			t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
		}
		return doc.Entries
	}
	if v := versions(); len(v) != 2 || v[0]["version_id"] != ids[1] || v[0]["is_latest"] != true || v[1]["version_id"] != ids[0] {
		t.Fatalf("%v", v)
	}
	out := filepath.Join(t.TempDir(), "old")
	if r := e.run(t, "cp", "oss://bkt/k", out, "--version-id", ids[0]); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "one" {
		t.Fatalf("downloaded %q", b)
	}
	if r := e.run(t, "cp", "oss://bkt/k", "oss://bkt/restored", "--version-id", ids[0]); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if b := e.get(t, "restored"); string(b) != "one" {
		t.Fatalf("copied %q", b)
	}
	if r := e.run(t, "rm", "oss://bkt/k"); r.code != 0 { // a delete marker
		t.Fatalf("%q", r.stderr)
	}
	if v := versions(); len(v) != 3 || v[0]["type"] != "delete_marker" || v[0]["is_latest"] != true {
		t.Fatalf("%v", v)
	}
	if r := e.run(t, "rm", "oss://bkt/k", "--version-id", ids[0]); r.code != 0 || !strings.Contains(r.stdout, "Removed 1 objects") {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	if v := versions(); len(v) != 2 {
		t.Fatalf("%v", v)
	}
	r := e.run(t, "rm", "oss://bkt/k", "--all-versions", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "would delete the delete marker") || len(versions()) != 2 {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	if r := e.run(t, "rm", "oss://bkt/k", "--all-versions"); r.code != 0 || !strings.Contains(r.stdout, "Removed 2 objects") {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	if v := versions(); len(v) != 0 {
		t.Fatalf("left %v", v)
	}
	if r := e.run(t, "cp", "-r", "oss://bkt/", t.TempDir(), "--version-id", ids[0]); r.code != ExitUsage {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
}
