package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeRunFile(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cmds")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// run --output-format json prints one document: an entry per line with its number, exit status,
// the document it printed and its stderr lines, and a summary naming the lines that failed. A
// line that would write data to stdout, or asks for text, cannot be part of it.
func TestRunUnderJSONIsOneDocumentOfLines(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "a", []byte("abc"))
	file := writeRunFile(t, "ls oss://bkt/", "# comment", "stat oss://bkt/missing", "cat oss://bkt/a", "ls oss://bkt --output-format plain")
	r := e.run(t, "run", file, "--output-format", "json")
	if r.code != ExitFailed || r.stderr != "" {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	var doc struct {
		Entries []struct {
			Line     int               `json:"line"`
			ExitCode int               `json:"exit_code"`
			Output   map[string]any    `json:"output"`
			Messages []json.RawMessage `json:"messages"`
		} `json:"entries"`
		Count   int            `json:"count"`
		Summary map[string]any `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not one document: %v\n%s", err, r.stdout)
	}
	if doc.Count != 4 || doc.Summary["outcome"] != "finished_with_errors" || doc.Summary["lines"] != 4.0 {
		t.Fatalf("%s", r.stdout)
	}
	if got, _ := json.Marshal(doc.Summary["failed_lines"]); string(got) != "[3,4,5]" {
		t.Fatalf("failed lines %s", got)
	}
	for _, en := range doc.Entries {
		msgs := string(bytes.Join(func() [][]byte {
			var b [][]byte
			for _, m := range en.Messages {
				b = append(b, m)
			}
			return b
		}(), []byte("\n")))
		switch en.Line {
		case 1:
			if en.ExitCode != 0 || en.Output["count"] != 1.0 || len(en.Messages) != 0 {
				t.Errorf("line 1: %+v", en)
			}
		case 3:
			if en.ExitCode != ExitFailed || !strings.Contains(msgs, `"code":"NoSuchKey"`) {
				t.Errorf("line 3: %+v %s", en, msgs)
			}
		case 4, 5:
			if en.ExitCode != ExitUsage || !strings.Contains(msgs, `"code":"UsageError"`) || en.Output != nil {
				t.Errorf("line %d: %+v %s", en.Line, en, msgs)
			}
		default:
			t.Errorf("entry for line %d", en.Line)
		}
	}
}

// Under run (text), a line writing an object to stdout writes its bytes straight through, not
// prefixed and not split by other lines' output; its summary goes to stderr with its prefix.
func TestRunStreamsDataLinesThroughWhole(t *testing.T) {
	e := newTestEnv(t)
	data := bytes.Repeat([]byte("0123456789abcdef"), 40<<10) // 640 KiB: several parts
	e.put(t, "big", data)
	e.put(t, "small", []byte("tiny\n"))
	var lines []string
	for range 3 {
		lines = append(lines, "cp oss://bkt/big - --part-size 100K --parallel 2", "ls -s oss://bkt/")
	}
	lines = append(lines, "cat oss://bkt/small")
	r := e.run(t, "run", writeRunFile(t, lines...), "-j", "4")
	if r.code != 0 {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if n := bytes.Count([]byte(r.stdout), data); n != 3 || !strings.Contains(r.stdout, "tiny\n") {
		t.Fatalf("%d whole copies of the object on stdout, want 3", n)
	}
	rest := strings.ReplaceAll(strings.ReplaceAll(r.stdout, string(data), ""), "tiny\n", "")
	for _, l := range strings.Split(strings.TrimSpace(rest), "\n") {
		if !strings.HasPrefix(l, "line ") {
			t.Fatalf("text without its line number: %q", l)
		}
	}
	if strings.Count(r.stderr, ": Succeed: Total num: 1, size: 655,360.") != 3 {
		t.Fatalf("stderr %q", r.stderr)
	}
}

// --maxupspeed binds every line of a run together, as ossutil's binds its process: two lines
// uploading at once at 256 KB/s each take as long as one limiter allows for both.
func TestRunLinesShareOneSpeedLimit(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a": strings.Repeat("a", 256<<10), "b": strings.Repeat("b", 256<<10)})
	file := writeRunFile(t, "cp -f "+filepath.Join(dir, "a")+" oss://bkt/a --maxupspeed 256",
		"cp -f "+filepath.Join(dir, "b")+" oss://bkt/b --maxupspeed 256")
	start := time.Now()
	if r := e.run(t, "run", file, "-j", "2"); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	// 512 KiB at 256 KiB/s after a 64 KiB burst: 1.75 s (two limiters: 0.75 s).
	if d := time.Since(start); d < 1500*time.Millisecond || d > 10*time.Second {
		t.Fatalf("took %v, want about 1.75s", d)
	}
	file = writeRunFile(t, "cp -f "+filepath.Join(dir, "a")+" oss://bkt/a --maxupspeed 256", "sync "+dir+" oss://bkt/s/ --maxupspeed 100")
	if r := e.run(t, "run", file); r.code != ExitUsage || !strings.Contains(r.stderr, "line 2 gives --maxupspeed 100 and line 1 256") {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if r := e.run(t, "run", writeRunFile(t, "ls oss://bkt"), "--maxdownspeed", "-1"); r.code != ExitUsage || !strings.Contains(r.stderr, "less than 0") {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
}
