package oss

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/server"
)

// Every Walk* goes through every page, decodes names (a "+" stays a "+"), and stops at fn's error.
func TestPaginatorsWalkEveryPage(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	ctx := context.Background()
	var want []string
	for i := range 7 {
		k := fmt.Sprintf("w/a+b %d", i)
		put(t, c, k, []byte("x"))
		want = append(want, k)
	}
	var got []string
	pages := 0
	err := WalkObjects(ctx, c, ListObjectsRequest{Bucket: "bkt", Prefix: "w/", MaxKeys: 3}, func(p *ListObjectsResult) error {
		pages++
		for _, o := range p.Contents {
			got = append(got, o.Key)
		}
		return nil
	})
	if err != nil || !slices.Equal(got, want) || pages != 3 {
		t.Fatalf("objects %q in %d pages: %v", got, pages, err)
	}
	stop := fmt.Errorf("stop")
	if err := WalkObjects(ctx, c, ListObjectsRequest{Bucket: "bkt", MaxKeys: 1}, func(*ListObjectsResult) error { return stop }); err != stop {
		t.Fatalf("fn's error: %v", err)
	}

	init, err := InitiateMultipartUpload(ctx, c, &InitiateMultipartUploadRequest{Bucket: "bkt", Key: "mp+1"})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 5; n++ {
		part := strings.Repeat("p", 100<<10)
		resp, err := c.Do(ctx, &Request{Method: http.MethodPut, Bucket: "bkt", Key: "mp+1", Body: strings.NewReader(part),
			ContentLength: int64(len(part)), Query: [][2]string{{"uploadId", init.UploadID}, {"partNumber", fmt.Sprint(n)}}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	var numbers []int
	var size int64
	err = WalkParts(ctx, c, ListPartsRequest{Bucket: "bkt", Key: "mp+1", UploadID: init.UploadID, MaxParts: 2}, func(p *ListPartsResult) error {
		for _, part := range p.Parts {
			numbers = append(numbers, part.Number)
			size += part.Size
		}
		return nil
	})
	if err != nil || !slices.Equal(numbers, []int{1, 2, 3, 4, 5}) || size != 5*100<<10 {
		t.Fatalf("parts %v (%d bytes): %v", numbers, size, err)
	}
	var uploads []string
	err = WalkMultipartUploads(ctx, c, ListMultipartUploadsRequest{Bucket: "bkt", MaxUploads: 1}, func(p *ListMultipartUploadsResult) error {
		for _, u := range p.Uploads {
			uploads = append(uploads, u.Key)
		}
		return nil
	})
	if err != nil || !slices.Equal(uploads, []string{"mp+1"}) {
		t.Fatalf("uploads %q: %v", uploads, err)
	}
	var buckets []string
	if err := WalkBuckets(ctx, c, "", func(p *ListBucketsResult) error {
		for _, b := range p.Buckets {
			buckets = append(buckets, b.Name)
		}
		return nil
	}); err != nil || !slices.Equal(buckets, []string{"bkt"}) {
		t.Fatalf("buckets %q: %v", buckets, err)
	}
}
