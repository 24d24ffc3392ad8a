package oss

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
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
		if path := nilSlice(reflect.ValueOf(v), kind); path != "" {
			t.Errorf("%s: %s is null, not a list", sample, path)
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

// Every typed kind decodes a document with none of its elements (a struct whose tags conflict
// fails here) into JSON.
func TestEveryTypedKindDecodes(t *testing.T) {
	for kind := range typedDocuments {
		v, err := ParseDocument(kind, []byte("<Root/>"))
		if err != nil {
			t.Errorf("%s: %v", kind, err)
			continue
		}
		if _, err := json.Marshal(v); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}

// nilSlice names the first nil slice within v (path: its Go field names), "" when there is none.
func nilSlice(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return nilSlice(v.Elem(), path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				if p := nilSlice(v.Field(i), path+"."+f.Name); p != "" {
					return p
				}
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return path
		}
		for i := 0; i < v.Len(); i++ {
			if p := nilSlice(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// BenchmarkParseListing decodes a page of 1000 listed objects and encodes it as Python receives
// it (the cost a list_objects call adds on top of the request).
func BenchmarkParseListing(b *testing.B) {
	var doc bytes.Buffer
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Prefix></Prefix><Marker></Marker>` +
		`<MaxKeys>1000</MaxKeys><Delimiter></Delimiter><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextMarker>k999</NextMarker>`)
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&doc, `<Contents><Key>dir%%2Fkey%%20%d</Key><LastModified>2012-02-24T08:42:32.000Z</LastModified>`+
			`<ETag>"5B3C1A2E053D763E1B002CC607C5A0FE"</ETag><Type>Normal</Type><Size>%d</Size><StorageClass>Standard</StorageClass>`+
			`<Owner><ID>0022</ID><DisplayName>user</DisplayName></Owner></Contents>`, i, i*100)
	}
	doc.WriteString(`</ListBucketResult>`)
	b.SetBytes(int64(doc.Len()))
	for i := 0; i < b.N; i++ {
		v, err := ParseDocument("list_objects", doc.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}
