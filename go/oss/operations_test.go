package oss

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/server"
)

func TestBatchDeleteDocumentEscapesAsOss2(t *testing.T) {
	doc, err := MarshalDeleteDocument([]string{"a\x01b", "c\x0cd", "e\tf", `<&>"'`}, false)
	if err != nil {
		t.Fatal(err)
	}
	// What oss2 (xml.etree.ElementTree) writes for the same keys.
	want := "<Delete><Quiet>false</Quiet><Object><Key>a\x01b</Key></Object><Object><Key>c\x0cd</Key></Object>" +
		"<Object><Key>e\tf</Key></Object><Object><Key>&lt;&amp;&gt;\"'</Key></Object></Delete>"
	if string(doc) != want {
		t.Fatalf("document:\n got  %q\n want %q", doc, want)
	}
}

func TestBatchDeleteRemovesExactlyTheNamedKeys(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	ctx := context.Background()
	keys := []string{"ctrl\x01key", "form\x0cfeed", "tab\tkey", "cr\rkey", "a&b<c>", "中文 +%"}
	for _, k := range keys {
		put(t, c, k, []byte("x"))
		put(t, c, k+"\ufffd", []byte("keep")) // what a U+FFFD substitution would delete instead
	}
	res, err := DeleteObjects(ctx, c, &DeleteObjectsRequest{Bucket: "bkt", Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Keys()
	slices.Sort(got)
	want := slices.Clone(keys)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("deleted %q, want %q", got, want)
	}
	left, err := ListAllObjects(ctx, c, "bkt", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != len(keys) {
		t.Fatalf("%d objects left, want the %d others: %v", len(left), len(keys), left)
	}
	for _, o := range left {
		if !strings.HasSuffix(o.Key, "\ufffd") {
			t.Errorf("%q was not deleted", o.Key)
		}
	}
	if _, err := DeleteObjects(ctx, c, &DeleteObjectsRequest{Bucket: "bkt"}); err == nil {
		t.Fatal("an empty key list must be refused before sending")
	}
}

func TestCompleteDocumentQuotesAndEscapesETags(t *testing.T) {
	doc, err := MarshalCompleteDocument([]CompletePart{{1, `"AB"`}, {2, `C<&D`}})
	if err != nil {
		t.Fatal(err)
	}
	want := `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&#34;AB&#34;</ETag></Part>` +
		`<Part><PartNumber>2</PartNumber><ETag>&#34;C&lt;&amp;D&#34;</ETag></Part></CompleteMultipartUpload>`
	if string(doc) != want {
		t.Fatalf("document:\n got  %s\n want %s", doc, want)
	}
}

func TestMultipartRoundTrip(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	ctx := context.Background()
	for _, all := range []bool{false, true} {
		key := fmt.Sprintf("mp-%v", all)
		init, err := InitiateMultipartUpload(ctx, c, &InitiateMultipartUploadRequest{Bucket: "bkt", Key: key})
		if err != nil {
			t.Fatal(err)
		}
		part := strings.Repeat("p", 100<<10)
		resp, err := c.Do(ctx, &Request{Method: http.MethodPut, Bucket: "bkt", Key: key, Body: strings.NewReader(part),
			ContentLength: int64(len(part)), Query: [][2]string{{"uploadId", init.UploadID}, {"partNumber", "1"}}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		req := &CompleteMultipartUploadRequest{Bucket: "bkt", Key: key, UploadID: init.UploadID}
		if !all {
			req.Parts = []CompletePart{{1, resp.Header.Get("ETag")}}
		}
		done, err := CompleteMultipartUpload(ctx, c, req)
		if err != nil {
			t.Fatalf("complete (all=%v): %v", all, err)
		}
		if !done.Parsed || done.Key != key || done.ETag == "" || done.Status != 200 {
			t.Fatalf("complete result %+v", done)
		}
		if got := get(t, c, key); string(got) != part {
			t.Fatalf("object holds %d bytes", len(got))
		}
	}
	init, err := InitiateMultipartUpload(ctx, c, &InitiateMultipartUploadRequest{Bucket: "bkt", Key: "gone"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AbortMultipartUpload(ctx, c, "bkt", "gone", init.UploadID); err != nil {
		t.Fatal(err)
	}
	_, err = CompleteMultipartUpload(ctx, c, &CompleteMultipartUploadRequest{Bucket: "bkt", Key: "gone", UploadID: init.UploadID, Parts: []CompletePart{}})
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "NoSuchUpload" {
		t.Fatalf("complete of an aborted upload: %v", err)
	}
}

func TestListMultipartUploadsDecodesKeysAndPages(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	ctx := context.Background()
	keys := []string{"u/a&b", "u/ctrl\x01", "u/sub/x", "v"}
	ids := map[string]string{}
	for _, k := range keys {
		init, err := InitiateMultipartUpload(ctx, c, &InitiateMultipartUploadRequest{Bucket: "bkt", Key: k})
		if err != nil {
			t.Fatal(err)
		}
		ids[k] = init.UploadID
	}
	page, err := ListMultipartUploads(ctx, c, &ListMultipartUploadsRequest{Bucket: "bkt", Prefix: "u/", Delimiter: "/", MaxUploads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !page.IsTruncated || len(page.Uploads) != 1 || page.Uploads[0].Key != "u/a&b" || page.Uploads[0].UploadID != ids["u/a&b"] {
		t.Fatalf("first page %+v", page)
	}
	if _, ok := page.Uploads[0].InitiatedTime(); !ok {
		t.Fatalf("Initiated %q unreadable", page.Uploads[0].Initiated)
	}
	page, err = ListMultipartUploads(ctx, c, &ListMultipartUploadsRequest{Bucket: "bkt", Prefix: "u/", Delimiter: "/",
		KeyMarker: page.NextKeyMarker, UploadIDMarker: page.NextUploadIDMarker})
	if err != nil {
		t.Fatal(err)
	}
	if bool(page.IsTruncated) || len(page.Uploads) != 1 || page.Uploads[0].Key != "u/ctrl\x01" ||
		!slices.Equal(page.CommonPrefixes, []string{"u/sub/"}) {
		t.Fatalf("second page %+v", page)
	}
}

func TestListObjectsDecodesKeysAndPages(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	ctx := context.Background()
	keys := []string{"d/a+b", "d/ctrl\x01", "d/sub/x", "d/中 文", "e"}
	for _, k := range keys {
		put(t, c, k, []byte(k))
	}
	page, err := ListObjects(ctx, c, &ListObjectsRequest{Bucket: "bkt", Prefix: "d/", Delimiter: "/", MaxKeys: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !page.IsTruncated || len(page.Contents) != 2 || page.Contents[0].Key != "d/a+b" || page.Contents[1].Key != "d/ctrl\x01" {
		t.Fatalf("first page %+v", page)
	}
	page, err = ListObjects(ctx, c, &ListObjectsRequest{Bucket: "bkt", Prefix: "d/", Delimiter: "/", Marker: page.NextMarker})
	if err != nil {
		t.Fatal(err)
	}
	if bool(page.IsTruncated) || len(page.Contents) != 1 || page.Contents[0].Key != "d/中 文" ||
		!slices.Equal(page.CommonPrefixes, []string{"d/sub/"}) || page.Contents[0].Size != int64(len("d/中 文")) {
		t.Fatalf("second page %+v", page)
	}
	all, err := ListAllObjects(ctx, c, "bkt", "d/")
	if err != nil || len(all) != 4 {
		t.Fatalf("ListAllObjects: %d objects, %v", len(all), err)
	}
}

func TestCopyDeleteHeadAndBuckets(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	ctx := context.Background()
	put(t, c, "src a+b", []byte("data"))
	if _, err := CopyObject(ctx, c, &CopyObjectRequest{Bucket: "bkt", Key: "dst", SourceBucket: "bkt", SourceKey: "src a+b"}); err != nil {
		t.Fatal(err)
	}
	_, err := CopyObject(ctx, c, &CopyObjectRequest{Bucket: "bkt", Key: "dst", SourceBucket: "bkt", SourceKey: "src a+b", ForbidOverwrite: true})
	var se *ServiceError
	if !errors.As(err, &se) || se.Status != http.StatusConflict {
		t.Fatalf("forbidden overwrite: %v", err)
	}
	head, err := HeadObject(ctx, c, "bkt", "dst")
	if err != nil || head.Header.Get("Content-Length") != "4" || head.RequestID() == "" {
		t.Fatalf("head: %+v %v", head, err)
	}
	if _, err := DeleteObject(ctx, c, "bkt", "dst"); err != nil {
		t.Fatal(err)
	}
	if _, err := HeadObject(ctx, c, "bkt", "dst"); !errors.As(err, &se) || se.Status != 404 {
		t.Fatalf("head after delete: %v", err)
	}
	if _, err := CreateBucket(ctx, c, &CreateBucketRequest{Bucket: "other", ACL: "private", StorageClass: "IA"}); err != nil {
		t.Fatal(err)
	}
	list, err := ListBuckets(ctx, c, "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list.Buckets {
		names = append(names, b.Name)
	}
	if !slices.Equal(names, []string{"bkt", "other"}) {
		t.Fatalf("buckets %v", names)
	}
	info, err := GetBucketInfo(ctx, c, "other")
	if err != nil || info.Name != "other" || info.StorageClass != "IA" || info.ACL != "private" || info.CreationDate == "" {
		t.Fatalf("bucket info %+v %v", info, err)
	}
	if _, err := DeleteBucket(ctx, c, "other"); err != nil {
		t.Fatal(err)
	}
}

func TestUnquoteIsPythonsUnquote(t *testing.T) {
	for in, want := range map[string]string{"a%2Bb+c": "a+b+c", "%E4%B8%AD": "中", "50%": "50%", "%zz%4": "%zz%4", "%01": "\x01"} {
		if got := unquote(in); got != want {
			t.Errorf("unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

type answer struct{ body string }

func (a answer) Do(_ context.Context, r *Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"X-Oss-Request-Id": {"rid"}},
		Body: io.NopCloser(strings.NewReader(a.body))}, nil
}

func TestDeleteResultDocument(t *testing.T) {
	res, err := DeleteObjects(context.Background(), answer{deleteResultDoc}, &DeleteObjectsRequest{Bucket: "b", Keys: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	version := "CAEQNRiBgIDyz.6C0BYiIGQ2NWEwNmVhNTA3ZTQ3MzM5ODliYjM1ZTdjYjA4****"
	want := []DeletedObject{{Key: "multipart.data"}, {Key: "test .jpg", DeleteMarker: true,
		DeleteMarkerVersionID: "CAEQMhiBgIDXiaaB0BYiIGQzYmRkZGUxMTM1ZDRjOTZhNjk4YjRjMTAyZjhl****", VersionID: &version}}
	if !reflect.DeepEqual(res.Deleted, want) || res.RequestID() != "rid" {
		t.Fatalf("deleted %+v", res.Deleted)
	}
	if res, err := DeleteObjects(context.Background(), answer{""}, &DeleteObjectsRequest{Keys: []string{"x"}}); err != nil || len(res.Deleted) != 0 {
		t.Fatalf("quiet answer: %+v %v", res, err)
	}
	if _, err := DeleteObjects(context.Background(), answer{"<DeleteResult><Deleted>"}, &DeleteObjectsRequest{Keys: []string{"x"}}); err == nil {
		t.Fatal("a broken answer was accepted")
	}
}

func TestDeleteResultErrors(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<DeleteResult>
  <EncodingType>url</EncodingType>
  <Deleted><Key>gone</Key></Deleted>
  <Error><Key>locked%2Fa%20b</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
  <Error><Key>v</Key><VersionId>v1</VersionId><Code>InternalError</Code><Message>try again</Message></Error>
</DeleteResult>`
	res, err := DeleteObjects(context.Background(), answer{doc}, &DeleteObjectsRequest{Bucket: "b", Keys: []string{"gone", "locked/a b", "v"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []DeleteError{{Key: "locked/a b", Code: "AccessDenied", Message: "Access Denied"},
		{Key: "v", VersionID: "v1", Code: "InternalError", Message: "try again"}}
	if !slices.Equal(res.Errors, want) || !slices.Equal(res.Keys(), []string{"gone"}) {
		t.Fatalf("errors %+v, deleted %q", res.Errors, res.Keys())
	}
}

const deleteResultDoc = `<?xml version="1.0" encoding="UTF-8"?>
<DeleteResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <EncodingType>url</EncodingType>
    <Deleted>
       <Key>multipart.data</Key>
    </Deleted>
    <Deleted>
       <Key>test%20.jpg</Key>
       <DeleteMarker>true</DeleteMarker>
       <DeleteMarkerVersionId>CAEQMhiBgIDXiaaB0BYiIGQzYmRkZGUxMTM1ZDRjOTZhNjk4YjRjMTAyZjhl****</DeleteMarkerVersionId>
       <VersionId>CAEQNRiBgIDyz.6C0BYiIGQ2NWEwNmVhNTA3ZTQ3MzM5ODliYjM1ZTdjYjA4****</VersionId>
    </Deleted>
</DeleteResult>`
