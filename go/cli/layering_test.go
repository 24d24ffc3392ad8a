package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
)

// go/cli sends no request of its own and parses no response document: every OSS operation is a
// typed one of go/oss (or a transfer of go/transfer), so a behaviour is changed in one place.
func TestTheCLIBuildsNoRequestAndParsesNoDocument(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	sendsItself := regexp.MustCompile(`\.Do\(ctx|"encoding/xml"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := sendsItself.FindIndex(src); loc != nil {
			t.Errorf("%s sends a request or parses XML itself: %q", f, src[loc[0]:loc[1]])
		}
	}
}

// Listed names come decoded by go/oss as oss2 decodes them: a "+" stays a "+" (a query-string
// decoder would make it a space).
func TestListedNamesKeepTheirPlusSigns(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "p/a+b c", []byte("x"))
	dst := t.TempDir()
	if r := e.run(t, "cp", "-r", "oss://bkt/p/", dst); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "a+b c")); err != nil || string(b) != "x" {
		t.Fatalf("%q %v", b, err)
	}
	c := e.client(t)
	if _, err := oss.InitiateMultipartUpload(context.Background(), c, &oss.InitiateMultipartUploadRequest{Bucket: "bkt", Key: "mp/a+b c"}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	if err := walkUploads(context.Background(), c, "bkt", "", func(u uploadInfo) error {
		seen = append(seen, u.Key)
		return nil
	}); err != nil || len(seen) != 1 || seen[0] != "mp/a+b c" {
		t.Fatalf("%q %v", seen, err)
	}
}
