package oss

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/server"
)

func enableVersioning(t *testing.T, c *Client) {
	t.Helper()
	doc := `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`
	resp, err := c.Do(context.Background(), &Request{Method: http.MethodPut, Bucket: "bkt", Query: [][2]string{{"versioning", ""}},
		Body: strings.NewReader(doc), ContentLength: int64(len(doc))})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// Versions and delete markers come in the listing's order across pages, names decoded; a batch
// delete with version ids removes exactly those versions.
func TestObjectVersionsListAndDelete(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	ctx := context.Background()
	enableVersioning(t, c)
	put(t, c, "v/a+b", []byte("1"))
	put(t, c, "v/a+b", []byte("2"))
	if _, err := DeleteObject(ctx, c, "bkt", "v/a+b"); err != nil { // a delete marker
		t.Fatal(err)
	}
	put(t, c, "v/c", []byte("3"))
	var kinds []string
	var versions []ObjectVersion
	err := WalkObjectVersions(ctx, c, ListObjectVersionsRequest{Bucket: "bkt", Prefix: "v/", MaxKeys: 2}, func(p *ListObjectVersionsResult) error {
		for _, v := range p.Versions {
			kind := v.Key + ":version"
			if v.DeleteMarker() {
				kind = v.Key + ":marker"
			}
			kinds = append(kinds, kind)
			versions = append(versions, v)
		}
		return nil
	})
	want := "v/a+b:marker v/a+b:version v/a+b:version v/c:version"
	if err != nil || strings.Join(kinds, " ") != want || !versions[0].IsLatest || versions[1].IsLatest {
		t.Fatalf("%q (want %q): %v", kinds, want, err)
	}
	res, err := DeleteObjects(ctx, c, &DeleteObjectsRequest{Bucket: "bkt", Keys: []string{"v/a+b", "v/a+b"},
		VersionIDs: []string{versions[0].VersionID, versions[2].VersionID}})
	if err != nil || len(res.Deleted) != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := DeleteObjectVersion(ctx, c, "bkt", "v/c", versions[3].VersionID); err != nil {
		t.Fatal(err)
	}
	page, err := ListObjectVersions(ctx, c, &ListObjectVersionsRequest{Bucket: "bkt", Prefix: "v/"})
	if err != nil || len(page.Versions) != 1 || page.Versions[0].VersionID != versions[1].VersionID {
		t.Fatalf("left %+v %v", page, err)
	}
	if got := get(t, c, "v/a+b"); string(got) != "2" {
		t.Fatalf("the latest is now %q", got)
	}
}
