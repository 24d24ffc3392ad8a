package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jsonLines parses every line of s as one JSON object.
func jsonLines(t *testing.T, what, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if line == "" && s == "" {
			break
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("%s: a line is not JSON: %q (%v)\nall of it:\n%s", what, line, err, s)
		}
		out = append(out, v)
	}
	return out
}

// jsonDocument parses s as one JSON document (empty: none).
func jsonDocument(t *testing.T, what, s string) map[string]any {
	t.Helper()
	if s == "" {
		return nil
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: stdout is not one JSON document: %v\n%s", what, err, s)
	}
	return v
}

// Under --output-format json every line a command writes to stderr is a JSON object, whatever
// went wrong or was asked, and stdout is one document or nothing: errors in parsing the line,
// sync --delete's list and question, a damaged checkpoint's warning, config's questions, rm's
// question and notes, --loglevel's lines, and the summaries of commands whose stdout is data.
func TestJSONOutputLeavesNoTextOnStderr(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a": "1"})
	e.put(t, "x/extra", []byte("x"))
	e.put(t, "obj", []byte("data"))
	ckdir := filepath.Join(dir, "ck")
	big := filepath.Join(t.TempDir(), "big")
	os.WriteFile(big, bytes.Repeat([]byte("b"), 300<<10), 0o644)
	os.MkdirAll(ckdir, 0o700)
	os.WriteFile(checkpointPath(ckdir, big, "bkt", "big"), []byte(`{"version":2,"upload":{"upload_id":"gone","parts":[{`), 0o600)
	cases := []struct {
		stdin string
		code  int
		args  []string
		want  string // on stderr
	}{
		{"", ExitUsage, []string{"ls", "--bad"}, `"code":"UsageError"`},
		{"", ExitUsage, []string{"ls", "oss://bkt", "--part-size"}, "unknown option"},
		{"", ExitUsage, []string{"nosuch"}, "no such command"},
		{"", ExitFailed, []string{"sync", dir, "oss://bkt/x/", "--delete"}, `"extra":{"count":1,"destinations":["oss://bkt/x/extra"]`},
		{"", ExitOK, []string{"cp", big, "oss://bkt/big", "-f", "--checkpoint-dir", ckdir, "--bigfile-threshold", "100K"}, `"warning":`},
		{"http://e\nak\n", ExitOK, []string{"config", "-c", filepath.Join(dir, "cfg")}, `{"question":"Please enter accessKeyID:"}`},
		{"n\n", ExitOK, []string{"rm", "-r", "oss://bkt/x"}, `"message":"Nothing was removed."`},
		{"", ExitOK, []string{"ls", "oss://bkt/x/", "--loglevel", "debug"}, `"request":{`},
		{"", ExitOK, []string{"cat", "oss://bkt/obj"}, `{"summary":{"outcome":"succeeded"`},
		{"", ExitOK, []string{"cp", "oss://bkt/obj", "-"}, `{"bytes":4,"command":"cp"`},
		{"", ExitFailed, []string{"cat", "oss://bkt/missing"}, `"code":"NoSuchKey"`},
	}
	for _, c := range cases {
		name := strings.Join(c.args, " ")
		r := e.runCtx(t.Context(), c.stdin, append(c.args, "--output-format", "json")...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d (want %d), stderr lacks %s:\n%s", name, r.code, c.code, c.want, r.stderr)
		}
		jsonLines(t, name, r.stderr)
		if c.args[0] == "cat" || c.args[0] == "cp" && c.args[2] == "-" {
			if c.code == ExitOK && r.stdout != "data" {
				t.Errorf("%s: stdout %q", name, r.stdout)
			}
			continue
		}
		jsonDocument(t, name, r.stdout)
	}
}
