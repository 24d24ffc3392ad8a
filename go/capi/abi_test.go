package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The cffi declarations in pyjindo/_binding.py are written by hand; this test builds the library
// as setup.py does and compares them with the header cgo generates, so the two cannot drift.
func TestCdefMatchesTheCgoHeader(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the shared library")
	}
	dir := t.TempDir()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(gobin, "build", "-buildmode=c-shared", "-o", filepath.Join(dir, "_jindo.so"), ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildmode=c-shared: %v\n%s", err, out)
	}
	header, err := os.ReadFile(filepath.Join(dir, "_jindo.h"))
	if err != nil {
		t.Fatal(err)
	}
	binding, err := os.ReadFile(filepath.Join("..", "..", "pyjindo", "_binding.py"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)CDEF = """(.*?)"""`).FindSubmatch(binding)
	if m == nil {
		t.Fatal(`no CDEF = """...""" in pyjindo/_binding.py`)
	}
	exported := declarations(t, string(header), true)
	declared := declarations(t, string(m[1]), false)
	if !slices.Equal(exported, declared) {
		t.Fatalf("cffi cdef and cgo header differ:\n cgo:  %q\n cffi: %q", exported, declared)
	}
	if len(exported) < 10 {
		t.Fatalf("only %d exports found: %q", len(exported), exported)
	}
}

var declRE = regexp.MustCompile(`^(?:extern\s+)?([\w\s\*]+?)\s*\b(pj_\w+)\s*\(([^)]*)\)\s*;$`)

// declarations returns each pj_ function as "ret name(type, type)", sorted, parameter names
// dropped and pointer spacing normalised.
func declarations(t *testing.T, src string, onlyExtern bool) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if !strings.Contains(line, "pj_") || (onlyExtern && !strings.HasPrefix(line, "extern ")) {
			continue
		}
		m := declRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("cannot read declaration %q", line)
		}
		var params []string
		for _, p := range strings.Split(m[3], ",") {
			params = append(params, paramType(p))
		}
		out = append(out, strings.ReplaceAll(normType(m[1]), " ", "")+" "+m[2]+"("+strings.Join(params, ", ")+")")
	}
	slices.Sort(out)
	return out
}

// paramType drops the parameter's name: "char **err" and "char** errOut" are both "char**".
func paramType(p string) string {
	p = normType(p)
	if p == "void" {
		return p
	}
	if i := strings.LastIndexAny(p, "* "); i >= 0 {
		p = p[:i+1]
	}
	return strings.ReplaceAll(p, " ", "")
}

// normType writes a type with its stars together after the base type: "char **" is "char**".
func normType(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for strings.Contains(s, " *") {
		s = strings.ReplaceAll(s, " *", "*")
	}
	return strings.Replace(strings.TrimSpace(s), "*", "* ", 1)
}
