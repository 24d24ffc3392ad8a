package server

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
)

func enableVersioning(t *testing.T, e *env, status string) {
	t.Helper()
	body := []byte("<VersioningConfiguration><Status>" + status + "</Status></VersioningConfiguration>")
	e.do(t, "PUT", "/bkt/", qv("versioning"), nil, body).expectStatus(t, 200)
}

func putVersion(t *testing.T, e *env, key, body string) string {
	t.Helper()
	r := e.do(t, "PUT", "/bkt/"+key, nil, nil, []byte(body))
	r.expectStatus(t, 200)
	return r.header.Get("x-oss-version-id")
}

type versionsXML struct {
	IsTruncated         bool
	NextKeyMarker       string
	NextVersionIdMarker string
	Entries             []struct {
		XMLName   xml.Name
		Key       string
		VersionId string
		IsLatest  bool
		Size      *int64
	} `xml:",any"`
	CommonPrefixes []struct{ Prefix string }
}

func listVersionsPage(t *testing.T, e *env, kv ...string) versionsXML {
	t.Helper()
	r := e.do(t, "GET", "/bkt/", qv(append([]string{"versions", ""}, kv...)...), nil, nil)
	r.expectStatus(t, 200)
	var doc versionsXML
	if err := xml.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	var entries = doc.Entries[:0]
	for _, x := range doc.Entries { // xml:",any" also catches the header elements
		if x.XMLName.Local == "Version" || x.XMLName.Local == "DeleteMarker" {
			entries = append(entries, x)
		}
	}
	doc.Entries = entries
	return doc
}

func TestNeverVersionedBucketHasNoVersionHeaders(t *testing.T) {
	e := newEnv(t, Config{})
	if v := putVersion(t, e, "k", "x"); v != "" {
		t.Fatalf("version id %q", v)
	}
	r := e.do(t, "DELETE", "/bkt/k", nil, nil, nil)
	r.expectStatus(t, 204)
	if r.header.Get("x-oss-version-id") != "" || r.header.Get("x-oss-delete-marker") != "" {
		t.Fatalf("headers %v", r.header)
	}
	e.do(t, "GET", "/bkt/k", qv("versionId", "null"), nil, nil).expectError(t, 400, "InvalidArgument")
}

func TestVersionIDsOnEveryWrite(t *testing.T) {
	e := newEnv(t, Config{})
	enableVersioning(t, e, "Enabled")
	v1 := putVersion(t, e, "k", "one")
	v2 := putVersion(t, e, "k", "two")
	if v1 == "" || v2 == "" || v1 == v2 {
		t.Fatalf("ids %q %q", v1, v2)
	}
	r := e.do(t, "PUT", "/bkt/copy", nil, hdr("x-oss-copy-source", "/bkt/k?versionId="+v1), nil)
	r.expectStatus(t, 200)
	if r.header.Get("x-oss-version-id") == "" || r.header.Get("x-oss-copy-source-version-id") != v1 {
		t.Fatalf("copy headers %v", r.header)
	}
	if got := e.do(t, "GET", "/bkt/copy", nil, nil, nil); string(got.body) != "one" {
		t.Fatalf("copied %q", got.body)
	}
	e.do(t, "PUT", "/bkt/copy2", nil, hdr("x-oss-copy-source", "/bkt/k?versionId=CAEQnope"), nil).expectError(t, 404, "NoSuchVersion")
	a := e.do(t, "POST", "/bkt/log", qv("append", "", "position", "0"), nil, []byte("ab"))
	a.expectStatus(t, 200)
	b := e.do(t, "POST", "/bkt/log", qv("append", "", "position", "2"), nil, []byte("cd"))
	if a.header.Get("x-oss-version-id") == "" || b.header.Get("x-oss-version-id") != a.header.Get("x-oss-version-id") {
		t.Fatalf("append ids %q %q", a.header.Get("x-oss-version-id"), b.header.Get("x-oss-version-id"))
	}
	e.do(t, "POST", "/bkt/log", qv("append", "", "position", "4", "versionId", "x"), nil, []byte("e")).expectError(t, 400, "InvalidArgument")
}

func TestDeleteMarkersAndVersionedReads(t *testing.T) {
	e := newEnv(t, Config{})
	enableVersioning(t, e, "Enabled")
	v1 := putVersion(t, e, "k", "one")
	d := e.do(t, "DELETE", "/bkt/k", nil, nil, nil)
	d.expectStatus(t, 204)
	marker := d.header.Get("x-oss-version-id")
	if d.header.Get("x-oss-delete-marker") != "true" || marker == "" || marker == v1 {
		t.Fatalf("delete headers %v", d.header)
	}
	for _, m := range []string{"GET", "HEAD"} {
		r := e.do(t, m, "/bkt/k", nil, nil, nil)
		if r.status != 404 || r.header.Get("x-oss-delete-marker") != "true" || r.header.Get("x-oss-version-id") != marker {
			t.Fatalf("%s behind a marker: %d %v", m, r.status, r.header)
		}
	}
	e.do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 404, "NoSuchKey")
	e.do(t, "GET", "/bkt/k", qv("versionId", marker), nil, nil).expectError(t, 405, "MethodNotAllowed")
	e.do(t, "GET", "/bkt/k", qv("versionId", "CAEQnope"), nil, nil).expectError(t, 404, "NoSuchVersion")
	e.do(t, "GET", "/bkt/k", qv("versionId", ""), nil, nil).expectError(t, 400, "InvalidArgument")
	r := e.do(t, "GET", "/bkt/k", qv("versionId", v1), nil, nil)
	if r.status != 200 || string(r.body) != "one" || r.header.Get("x-oss-version-id") != v1 {
		t.Fatalf("GET v1: %d %q %v", r.status, r.body, r.header)
	}
	e.do(t, "HEAD", "/bkt/k", qv("objectMeta", "", "versionId", v1), nil, nil).expectStatus(t, 200)
	e.do(t, "GET", "/bkt/k", qv("acl", "", "versionId", marker), nil, nil).expectError(t, 405, "MethodNotAllowed")

	// Listing v1 and v2 skips the deleted key.
	l := e.do(t, "GET", "/bkt/", nil, nil, nil)
	if strings.Contains(string(l.body), "<Key>k</Key>") {
		t.Fatalf("listing shows a deleted key: %s", l.body)
	}
	// Removing the marker by id restores the object; the answer names the marker.
	r = e.do(t, "DELETE", "/bkt/k", qv("versionId", marker), nil, nil)
	if r.status != 204 || r.header.Get("x-oss-delete-marker") != "true" || r.header.Get("x-oss-version-id") != marker {
		t.Fatalf("removing the marker: %d %v", r.status, r.header)
	}
	e.do(t, "GET", "/bkt/k", nil, nil, nil).expectStatus(t, 200)
	e.do(t, "DELETE", "/bkt/k", qv("versionId", v1), nil, nil).expectStatus(t, 204)
	e.do(t, "DELETE", "/bkt/k", qv("versionId", v1), nil, nil).expectStatus(t, 204) // gone: OSS does not check
	e.do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 404, "NoSuchKey")
}

func TestSuspendedVersioningUsesTheNullVersion(t *testing.T) {
	e := newEnv(t, Config{})
	enableVersioning(t, e, "Enabled")
	v := putVersion(t, e, "k", "kept")
	enableVersioning(t, e, "Suspended")
	if got := putVersion(t, e, "k", "a"); got != "null" {
		t.Fatalf("suspended put id %q", got)
	}
	putVersion(t, e, "k", "b")
	doc := listVersionsPage(t, e)
	if len(doc.Entries) != 2 || doc.Entries[0].VersionId != "null" || !doc.Entries[0].IsLatest || doc.Entries[1].VersionId != v {
		t.Fatalf("versions %+v", doc.Entries)
	}
	if r := e.do(t, "GET", "/bkt/k", qv("versionId", "null"), nil, nil); string(r.body) != "b" {
		t.Fatalf("null version %q", r.body)
	}
	// x-oss-forbid-overwrite has no effect once versioning was enabled.
	e.do(t, "PUT", "/bkt/k", nil, hdr("x-oss-forbid-overwrite", "true"), []byte("c")).expectStatus(t, 200)
}

func TestListObjectVersionsPaging(t *testing.T) {
	e := newEnv(t, Config{})
	enableVersioning(t, e, "Enabled")
	var want []string
	for _, k := range []string{"a", "b"} {
		var ids []string
		for i := 0; i < 3; i++ {
			ids = append(ids, putVersion(t, e, k, fmt.Sprint(i)))
		}
		for i := len(ids) - 1; i >= 0; i-- {
			want = append(want, k+"@"+ids[i])
		}
	}
	m := e.do(t, "DELETE", "/bkt/b", nil, nil, nil).header.Get("x-oss-version-id")
	want = append(want[:3], append([]string{"b@" + m}, want[3:]...)...)
	putVersion(t, e, "d/x", "1")
	putVersion(t, e, "d/y", "1")

	var got, prefixes []string
	keyMarker, idMarker := "", ""
	for pages := 0; ; pages++ {
		doc := listVersionsPage(t, e, "max-keys", "3", "delimiter", "/", "key-marker", keyMarker, "version-id-marker", idMarker)
		if n := len(doc.Entries) + len(doc.CommonPrefixes); n > 3 || pages > 10 {
			t.Fatalf("page of %d", n)
		}
		for _, x := range doc.Entries {
			got = append(got, x.Key+"@"+x.VersionId)
			if x.XMLName.Local == "DeleteMarker" && (x.VersionId != m || !x.IsLatest || x.Size != nil) {
				t.Fatalf("marker entry %+v", x)
			}
		}
		for _, p := range doc.CommonPrefixes {
			prefixes = append(prefixes, p.Prefix)
		}
		if !doc.IsTruncated {
			break
		}
		keyMarker, idMarker = doc.NextKeyMarker, doc.NextVersionIdMarker
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || strings.Join(prefixes, " ") != "d/" {
		t.Fatalf("listed %v %v\nwant %v", got, prefixes, want)
	}
	e.do(t, "GET", "/bkt/", qv("versions", "", "version-id-marker", "x"), nil, nil).expectError(t, 400, "InvalidArgument")
	r := e.do(t, "GET", "/bkt/", qv("versions", "", "prefix", "d/", "encoding-type", "url"), nil, nil)
	if !strings.Contains(string(r.body), "<Key>d%2Fx</Key>") {
		t.Fatalf("url encoding: %s", r.body)
	}
}

func TestDeleteMultipleWithVersions(t *testing.T) {
	e := newEnv(t, Config{})
	enableVersioning(t, e, "Enabled")
	v1 := putVersion(t, e, "k", "one")
	putVersion(t, e, "k", "two")
	body := []byte(`<Delete><Quiet>false</Quiet><Object><Key>k</Key><VersionId>` + v1 + `</VersionId></Object>` +
		`<Object><Key>k</Key></Object></Delete>`)
	r := e.do(t, "POST", "/bkt/", qv("delete", ""), hdr("Content-MD5", md5b64(body)), body)
	r.expectStatus(t, 200)
	var doc struct {
		Deleted []struct {
			Key                   string
			VersionId             string
			DeleteMarker          bool
			DeleteMarkerVersionId string
		}
	}
	if err := xml.Unmarshal(r.body, &doc); err != nil || len(doc.Deleted) != 2 {
		t.Fatalf("%v %s", err, r.body)
	}
	if d := doc.Deleted[0]; d.VersionId != v1 || d.DeleteMarker {
		t.Fatalf("version removal %+v", d)
	}
	if d := doc.Deleted[1]; !d.DeleteMarker || d.DeleteMarkerVersionId == "" || d.VersionId != "" {
		t.Fatalf("marker added %+v", d)
	}
	quiet := []byte(`<Delete><Quiet>true</Quiet><Object><Key>k</Key><VersionId>` + doc.Deleted[1].DeleteMarkerVersionId + `</VersionId></Object></Delete>`)
	r = e.do(t, "POST", "/bkt/", qv("delete", ""), hdr("Content-MD5", md5b64(quiet)), quiet)
	if r.status != 200 || strings.Contains(string(r.body), "<Deleted>") {
		t.Fatalf("quiet: %d %s", r.status, r.body)
	}
	e.do(t, "GET", "/bkt/k", nil, nil, nil).expectStatus(t, 200)
}

func TestVersionedSubresources(t *testing.T) {
	e := newEnv(t, Config{})
	enableVersioning(t, e, "Enabled")
	v1 := putVersion(t, e, "k", "one")
	putVersion(t, e, "k", "two")
	tags := []byte("<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>")
	e.do(t, "PUT", "/bkt/k", qv("tagging", "", "versionId", v1), nil, tags).expectStatus(t, 200)
	if r := e.do(t, "GET", "/bkt/k", qv("tagging", "", "versionId", v1), nil, nil); !strings.Contains(string(r.body), "<Key>a</Key>") {
		t.Fatalf("v1 tags %s", r.body)
	}
	if r := e.do(t, "GET", "/bkt/k", qv("tagging", ""), nil, nil); strings.Contains(string(r.body), "<Key>a</Key>") {
		t.Fatalf("latest got v1's tags %s", r.body)
	}
	e.do(t, "PUT", "/bkt/k", qv("acl", "", "versionId", v1), hdr("x-oss-object-acl", "public-read"), nil).expectStatus(t, 200)
	if r := e.do(t, "GET", "/bkt/k", qv("acl", "", "versionId", v1), nil, nil); !strings.Contains(string(r.body), "public-read") {
		t.Fatalf("v1 acl %s", r.body)
	}
	e.do(t, "PUT", "/bkt/k", qv("acl", "", "versionId", "CAEQnope"), hdr("x-oss-object-acl", "private"), nil).expectError(t, 404, "NoSuchVersion")
}

func TestBucketWithVersionsIsNotEmpty(t *testing.T) {
	e := newEnv(t, Config{})
	enableVersioning(t, e, "Enabled")
	v := putVersion(t, e, "k", "x")
	m := e.do(t, "DELETE", "/bkt/k", nil, nil, nil).header.Get("x-oss-version-id")
	e.do(t, "DELETE", "/bkt", nil, nil, nil).expectError(t, 409, "BucketNotEmpty")
	e.do(t, "DELETE", "/bkt/k", qv("versionId", v), nil, nil).expectStatus(t, 204)
	e.do(t, "DELETE", "/bkt/k", qv("versionId", m), nil, nil).expectStatus(t, 204)
	e.do(t, "DELETE", "/bkt", nil, nil, nil).expectStatus(t, 204)
}

// A truncated page names both next markers, NextVersionIdMarker empty when it ends on a common
// prefix (oss2 reads both elements whenever IsTruncated is true); the last page names neither.
func TestListObjectVersionsMarkersOnEveryTruncatedPage(t *testing.T) {
	e := newEnv(t, Config{})
	enableVersioning(t, e, "Enabled")
	putVersion(t, e, "d/x", "1")
	putVersion(t, e, "e", "1")
	r := e.do(t, "GET", "/bkt/", qv("versions", "", "delimiter", "/", "max-keys", "1"), nil, nil)
	body := string(r.body)
	if !strings.Contains(body, "<NextKeyMarker>d/</NextKeyMarker>") || !strings.Contains(body, "<NextVersionIdMarker></NextVersionIdMarker>") {
		t.Fatalf("truncated page after a prefix: %s", body)
	}
	r = e.do(t, "GET", "/bkt/", qv("versions", "", "delimiter", "/"), nil, nil)
	if body := string(r.body); strings.Contains(body, "NextKeyMarker") || strings.Contains(body, "NextVersionIdMarker") {
		t.Fatalf("last page: %s", body)
	}
}
