package ops

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"

	"github.com/pyjindo/pyjindo/go/transfer"
)

func TestLatin1RoundTripsEveryByte(t *testing.T) {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	text := Latin1(b)
	if n := len([]rune(text)); n != 256 {
		t.Fatalf("latin1 text has %d characters, want one per byte", n)
	}
	if got := FromLatin1(text); got != string(b) {
		t.Fatalf("FromLatin1(Latin1(b)) = %q", got)
	}
	utf8Meta := []byte("测试")
	if got := Latin1(utf8Meta); got != "æµ\u008bè¯\u0095" {
		t.Fatalf("latin1 of UTF-8 bytes = %q, want what http.client gives oss2", got)
	}
	if got := FromLatin1("a测"); got != "a测" {
		t.Fatalf("a character beyond Latin-1 must be kept as UTF-8, got %q", got)
	}
}

func TestHeadersCrossAsLatin1(t *testing.T) {
	r := Target{Headers: Pairs{{"x-oss-meta-u", "æµ\u008bè¯\u0095"}}}.request(http.MethodPut)
	if got := r.Header.Get("x-oss-meta-u"); got != "测试" {
		t.Fatalf("header bytes = %q, want the UTF-8 bytes Python sent", got)
	}
	pairs := HeaderPairs(http.Header{"X-Oss-Meta-U": {"测试"}})
	if pairs[0][1] != "æµ\u008bè¯\u0095" {
		t.Fatalf("response header = %q", pairs[0][1])
	}
}

func TestPerRequestTransferOverrides(t *testing.T) {
	s := &Session{Transfer: transfer.Config{PartSize: 8 << 20, Concurrency: 3}, MultipartThreshold: -1}
	if cfg := s.transferConfig(0); cfg.PartSize != 8<<20 || cfg.Concurrency != 3 {
		t.Fatalf("no override: %+v", cfg)
	}
	if cfg := s.transferConfig(100 << 10); cfg.PartSize != 100<<10 || cfg.Concurrency != 3 {
		t.Fatalf("override: %+v", cfg)
	}
}

func TestArgumentsAreDecodedStrictly(t *testing.T) {
	op, _ := Lookup("request")
	var a RequestArgs
	if err := decode("request", []byte(`{"method": "PUT", "bucket": "b", "key": "k", "check_crc": true, "operation": "put_object"}`), &a, &op.shape); err != nil {
		t.Fatal(err)
	}
	if a.Bucket != "b" || !a.CheckCRC || a.Operation != "put_object" {
		t.Fatalf("decoded %+v", a)
	}
	for _, bad := range []string{`{"method": "GET", "bucket": "b", "key": "", "product": "oss"}`, `{"method": "GET", "bucket": 1, "key": ""}`,
		`{"method": "GET", "bucket": "b", "key": ""} {}`, `[]`} {
		if err := decode("request", []byte(bad), &a, &op.shape); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
	if _, err := NewSession([]byte(`{"endpoint": "e", "cloudbox_id": ""}`), "test"); err == nil {
		t.Error("a session config key Go does not know was accepted")
	}
}

// A key the caller forgot must not silently become its zero value: rename's overwrite false,
// complete_multipart's parts null (complete every part), an item's key "".
func TestAMissingRequiredArgumentIsAnError(t *testing.T) {
	for _, c := range []struct{ op, args, missing string }{
		{"rename", `{"bucket": "b", "src": "a", "dst": "c"}`, `"overwrite"`},
		{"complete_multipart", `{"bucket": "b", "key": "k", "upload_id": "u"}`, `"parts"`},
		{"complete_multipart", `{"bucket": "b", "key": "k", "upload_id": "u", "parts": [{"part_number": 1}]}`, `"parts[0].etag"`},
		{"get_many", `{"items": [{"bucket": "b", "key": "k"}, {"bucket": "b"}]}`, `"items[1].key"`},
		{"request", `{"bucket": "b", "key": "k"}`, `"method"`},
	} {
		_, err := run(t, nil, nil, c.op, c.args, nil)
		var ce *oss.ClientError
		if !errors.As(err, &ce) || !strings.Contains(ce.Message, "missing "+c.missing) {
			t.Errorf("%s %s: %v, want a ClientError naming %s", c.op, c.args, err, c.missing)
		}
	}
	// null is a value: complete_multipart's parts null completes every part.
	op, _ := Lookup("complete_multipart")
	var a CompleteMultipartArgs
	if err := decode("complete_multipart", []byte(`{"bucket": "b", "key": "k", "upload_id": "u", "parts": null}`), &a, &op.shape); err != nil {
		t.Fatal(err)
	}
}
