package oss

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateSamples = flag.Bool("update", false, "rewrite testdata/documents/*.json from ParseDocument")

// TestDocumentSamples decodes each OSS response sample testdata/documents/KIND[.CASE].xml as the
// document kind KIND and compares the JSON pyjindo receives with KIND[.CASE].json (go test
// -update rewrites them). tests/test_pymodules.py builds pyjindo's models from the same JSON
// and compares them with oss2's parse of the same XML, so the two halves of the schema meet here.
func TestDocumentSamples(t *testing.T) {
	samples, err := filepath.Glob(filepath.Join("testdata", "documents", "*.xml"))
	if err != nil || len(samples) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	kinds := map[string]bool{}
	for _, sample := range samples {
		kind, _, _ := strings.Cut(filepath.Base(sample), ".")
		kinds[kind] = true
		doc, err := os.ReadFile(sample)
		if err != nil {
			t.Fatal(err)
		}
		v, err := ParseDocument(kind, doc)
		if err != nil {
			t.Errorf("%s: %v", sample, err)
			continue
		}
		got, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		golden := strings.TrimSuffix(sample, ".xml") + ".json"
		if *updateSamples {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test -run TestDocumentSamples -update writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s decodes to\n%s\nwant (%s)\n%s", sample, got, golden, want)
		}
	}
	for kind := range typedDocuments {
		if !kinds[kind] {
			t.Errorf("document kind %q has no sample in testdata/documents", kind)
		}
	}
}
