package oss

import (
	"bufio"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestAnAnswerReadsAsNetHTTPReadsIt reads each answer with readResponse and with
// http.ReadResponse and compares what they build, the body and what is left unread; the common
// shapes must be read by readCommonResponse itself.
func TestAnAnswerReadsAsNetHTTPReadsIt(t *testing.T) {
	oss := "HTTP/1.1 200 OK\r\nServer: AliyunOSS\r\nDate: Mon, 07 Dec 2026 14:42:16 GMT\r\nContent-Type: application/octet-stream\r\n" +
		"Content-Length: 5\r\nConnection: keep-alive\r\nx-oss-request-id: 6551DBCF4311A7303980C9A5\r\nAccept-Ranges: bytes\r\n" +
		"ETag: \"5B3C1A2E053D763E1B002CC607C5A0FE1\"\r\nLast-Modified: Mon, 07 Dec 2026 14:42:16 GMT\r\nx-oss-object-type: Normal\r\n" +
		"x-oss-hash-crc64ecma: 8063342081893541484\r\nx-oss-storage-class: Standard\r\nx-oss-meta-Mixed-CASE: a\tb \r\n" +
		"x-oss-meta-two: 1\r\nX-OSS-META-TWO:  2\r\nx-oss-meta-latin: caf\xe9\r\nx-oss-meta-empty:\r\n\r\nhello" + "HTTP/1.1 204"
	cases := []struct {
		name, method, raw string
		common            bool // read by readCommonResponse
	}{
		{"oss get", "GET", oss, true},
		{"oss head", "HEAD", strings.Replace(oss, "\r\n\r\nhello", "\r\n\r\n", 1), true},
		{"jindo put", "PUT", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nEtag: \"X\"\r\nX-Oss-Request-Id: 1\r\n\r\n", true},
		{"error", "GET", "HTTP/1.1 404 Not Found\r\nContent-Type: application/xml\r\nContent-Length: 7\r\n\r\n<Error>", true},
		{"head without length", "HEAD", "HTTP/1.1 200 OK\r\nEtag: x\r\n\r\n", true},
		{"no content with a length", "DELETE", "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n", true},
		{"not modified", "GET", "HTTP/1.1 304 Not Modified\r\nEtag: x\r\n\r\n", true},
		{"no reason", "GET", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", true},
		{"spaces before the status", "GET", "HTTP/1.1   500 Internal\r\nContent-Length: 0\r\n\r\n", true},
		{"a length with zeros", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 002\r\n\r\nok", true},
		// net/http's own
		{"continue", "PUT", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false},
		{"chunked", "GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false},
		{"to the end", "GET", "HTTP/1.1 200 OK\r\n\r\nall of it", false},
		{"closing", "GET", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", false},
		{"HTTP/1.0", "GET", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false},
		{"folded", "GET", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 0\r\n\r\n", false},
		{"bare LF", "GET", "HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0\r\n\r\n", false},
		{"space before the colon", "GET", "HTTP/1.1 200 OK\r\nX-A : 1\r\nContent-Length: 0\r\n\r\n", false},
		{"a control byte", "GET", "HTTP/1.1 200 OK\r\nX-A: 1\x01\r\nContent-Length: 0\r\n\r\n", false},
		{"two lengths", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", false},
		{"lengths that differ", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", false},
		{"a bad length", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok", false},
		{"a bad status", "GET", "HTTP/1.1 20x OK\r\nContent-Length: 0\r\n\r\n", false},
		{"a pragma", "GET", "HTTP/1.1 200 OK\r\nPragma: no-cache\r\nContent-Length: 0\r\n\r\n", false},
		{"a head not all here", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n", false},
		{"a short body", "GET", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, "http://h/k", nil)
			ours := bufio.NewReader(strings.NewReader(tc.raw))
			ours.Peek(1) // as a direct exchange has: what the first read brought (here, all of it)
			probe := bufio.NewReader(strings.NewReader(tc.raw))
			probe.Peek(1)
			if common := readCommonResponse(probe, req) != nil; common != tc.common {
				t.Errorf("read by readCommonResponse: %v, want %v", common, tc.common)
			}
			readsAsNetHTTP(t, ours, req, tc.raw)
		})
	}
}

// readsAsNetHTTP reads an answer from ours (raw, perhaps partly buffered) with readResponse and
// from raw with http.ReadResponse, and compares the two.
func readsAsNetHTTP(t *testing.T, ours *bufio.Reader, req *http.Request, raw string) {
	t.Helper()
	theirs := bufio.NewReader(strings.NewReader(raw))
	got, gotErr := readResponse(ours, req)
	want, wantErr := http.ReadResponse(theirs, req)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("error %v, net/http's %v", gotErr, wantErr)
	}
	if wantErr != nil {
		return
	}
	gotBody, gotReadErr := io.ReadAll(got.Body)
	wantBody, wantReadErr := io.ReadAll(want.Body)
	if string(gotBody) != string(wantBody) || (gotReadErr == nil) != (wantReadErr == nil) {
		t.Errorf("body %q, %v; net/http's %q, %v", gotBody, gotReadErr, wantBody, wantReadErr)
	}
	if got.Status != want.Status || got.StatusCode != want.StatusCode || got.Proto != want.Proto ||
		got.ProtoMajor != want.ProtoMajor || got.ProtoMinor != want.ProtoMinor || got.ContentLength != want.ContentLength ||
		got.Close != want.Close || got.Request != want.Request || !reflect.DeepEqual(got.TransferEncoding, want.TransferEncoding) {
		t.Errorf("got %+v\nnet/http's %+v", got, want)
	}
	if !reflect.DeepEqual(got.Header, want.Header) {
		t.Errorf("header %q\nnet/http's %q", got.Header, want.Header)
	}
	if (got.Body == http.NoBody) != (want.Body == http.NoBody) {
		t.Errorf("body %T, net/http's %T", got.Body, want.Body)
	}
	gotRest, _ := io.ReadAll(ours)
	wantRest, _ := io.ReadAll(theirs)
	if string(gotRest) != string(wantRest) {
		t.Errorf("left unread %q, net/http left %q", gotRest, wantRest)
	}
}

func FuzzReadResponse(f *testing.F) {
	f.Add("GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nx-oss-meta-a: b\r\n\r\nok", 1)
	f.Add("HEAD", "HTTP/1.1 404 Not Found\r\nx-oss-err: PEVycm9yPjwvRXJyb3I+\r\n\r\n", 40)
	f.Add("GET", "HTTP/1.1 204 No Content\r\nContent-Length: 00\r\nConnection: Keep-Alive\r\n\r\n", 0)
	f.Fuzz(func(t *testing.T, method, raw string, buffered int) {
		if method != "GET" && method != "HEAD" && method != "PUT" {
			return
		}
		req, _ := http.NewRequest(method, "http://h/k", nil)
		ours := bufio.NewReader(strings.NewReader(raw))
		ours.Peek(max(1, min(buffered, len(raw)))) // what the first reads brought
		readsAsNetHTTP(t, ours, req, raw)
	})
}
