package transfer

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// presigned is a URL for method on bkt/key, valid for a minute, and an unsigned request for it.
func (e *env) presigned(method, key string, h http.Header) *oss.Request {
	if h == nil {
		h = http.Header{}
	}
	u := e.client.Presign(&oss.Request{Method: method, Bucket: "bkt", Key: key, Header: h}, 60, false, nil, time.Now())
	return &oss.Request{Method: method, Bucket: "bkt", Key: key, Header: h.Clone(), URL: u}
}

// A presigned GET URL is fetched in parallel ranged parts, the Range header outside the
// signature, and the parts add up to the object.
func TestPresignedURLDownloadsInParts(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(5*testPart + 17)
	e.put(t, "obj", data)
	dl, err := Open(context.Background(), e.client, e.presigned(http.MethodGet, "obj", nil), Config{PartSize: testPart})
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Close()
	if !dl.ranged || dl.Status != http.StatusOK || dl.Length != int64(len(data)) {
		t.Fatalf("ranged %v, status %d, length %d", dl.ranged, dl.Status, dl.Length)
	}
	got, sum, err := fillBuffer(t, dl)
	if err != nil || !bytes.Equal(got, data) || sum != crc.Checksum(data) {
		t.Fatalf("fill: %v, equal %v", err, bytes.Equal(got, data))
	}

	// An open range is sent as it is: the signature covers x-oss-range-behavior.
	dl, err = Open(context.Background(), e.client, e.presigned(http.MethodGet, "obj", http.Header{"Range": {"bytes=10-"}}), Config{PartSize: testPart})
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Close()
	got, _, err = fillBuffer(t, dl)
	if err != nil || dl.Status != http.StatusPartialContent || !bytes.Equal(got, data[10:]) {
		t.Fatalf("open range: %v, status %d, equal %v", err, dl.Status, bytes.Equal(got, data[10:]))
	}

	file := filepath.Join(t.TempDir(), "f")
	res, err := DownloadFile(context.Background(), e.client, e.presigned(http.MethodGet, "obj", nil), file, Config{PartSize: testPart}, true, Meter{})
	if err != nil || res.CRC != crc.Checksum(data) {
		t.Fatalf("DownloadFile: %v", err)
	}
	if b, _ := os.ReadFile(file); !bytes.Equal(b, data) {
		t.Fatal("file differs")
	}
}

// A presigned PUT goes up in one request whatever its size, and a URL that is not signed for
// the request is refused by the server (not re-signed by the client).
func TestPresignedURLPutIsOneRequest(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(3 * testPart)
	res, err := Put(context.Background(), e.client, e.presigned(http.MethodPut, "up", nil), bytes.NewReader(data), int64(len(data)), 1, Config{PartSize: testPart}, Meter{})
	if err != nil || res.Multipart || res.CRC != crc.Checksum(data) {
		t.Fatalf("put: %v (multipart %v)", err, res != nil && res.Multipart)
	}
	head, err := oss.HeadObject(context.Background(), e.client, "bkt", "up")
	if err != nil || head.Header.Get("x-oss-object-type") != "Normal" {
		t.Fatalf("head: %v %v", err, head.Header)
	}
	r := e.presigned(http.MethodGet, "up", nil) // signed for GET, sent as PUT
	r.Method = http.MethodPut
	_, err = Put(context.Background(), e.client, r, bytes.NewReader(data), int64(len(data)), -1, Config{}, Meter{})
	var se *oss.ServiceError
	if !errors.As(err, &se) || se.Code != "SignatureDoesNotMatch" {
		t.Fatalf("PUT to a GET URL: %v", err)
	}
}
