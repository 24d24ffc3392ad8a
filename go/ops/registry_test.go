package ops

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/pyjindo/pyjindo/go/server"
	"github.com/pyjindo/pyjindo/go/server/store"
)

// testSession is a session on an in-process jindo server holding bucket "bkt".
func testSession(t testing.TB, extra string) *Session {
	t.Helper()
	st := store.NewMemory(nil)
	if _, err := st.CreateBucket("bkt"); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Store: st, Credentials: map[string]string{"ak": "sk"}})
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s, err := NewSession([]byte(fmt.Sprintf(`{"endpoint": %q, "access_key_id": "ak", "access_key_secret": "sk", "enable_crc": true%s}`,
		ln.Addr().String(), extra)), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// table is a buffer table (pointer, length words) naming bufs, as pyjindo's _BufferTable; the
// caller keeps bufs alive until the operation is done. The buffers are pinned until the test
// ends: a number does not follow a buffer that a stack growth moves (nor does pinning let one
// live on a stack).
func table(t testing.TB, bufs ...[]byte) []byte {
	var pin runtime.Pinner
	t.Cleanup(pin.Unpin)
	words := make([]uintptr, 0, 2*len(bufs))
	for _, b := range bufs {
		pin.Pin(&b[0])
		words = append(words, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), len(words)*int(unsafe.Sizeof(uintptr(0))))
}

// registryRun runs operations through the registry and checks each result the way a caller
// reads it: encoded as JSON, with exactly the keys Describe announces.
type registryRun struct {
	t       *testing.T
	s       *Session
	h       *testHandles
	covered map[string]bool
}

func (r *registryRun) call(name, args string, buf []byte) map[string]any {
	r.t.Helper()
	res, err := run(r.t, r.s, r.h, name, args, buf)
	if err != nil {
		r.t.Fatalf("%s %s: %v", name, args, err)
	}
	r.covered[name] = true
	enc, err := json.Marshal(res)
	if err != nil {
		r.t.Fatalf("%s: encode result: %v", name, err)
	}
	var got any
	if err := json.Unmarshal(enc, &got); err != nil {
		r.t.Fatal(err)
	}
	first, _ := got.(map[string]any)
	if list, ok := got.([]any); ok {
		if len(list) == 0 {
			r.t.Fatalf("%s: empty result list", name)
		}
		first, _ = list[0].(map[string]any)
		got = map[string]any{"items": list}
	}
	want := Describe()[name].Result
	var keys []string
	for k := range first {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// omitempty keys may be absent
	for _, k := range keys {
		if !slices.Contains(want, k) {
			r.t.Fatalf("%s: result key %q not in the description %v", name, k, want)
		}
	}
	return got.(map[string]any)
}

func handle(t *testing.T, v any) uint64 {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not a handle: %v", v)
	}
	return uint64(m["$handle"].(float64))
}

// Every registered operation runs once through the registry against jindo server: an
// operation that panics, mis-decodes its arguments or cannot encode its result fails here.
func TestEveryOperationRunsThroughTheRegistry(t *testing.T) {
	s := testSession(t, `, "part_size": 102400, "multipart_threshold": 204800`)
	r := &registryRun{t: t, s: s, h: newTestHandles(), covered: map[string]bool{}}
	defer r.h.closeAll()
	data := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320,000 bytes: multipart
	small := []byte("hello")

	r.call("request", `{"method": "PUT", "bucket": "bkt", "key": "big", "check_crc": true, "operation": "put_object"}`, data)
	r.call("request", `{"method": "PUT", "bucket": "bkt", "key": "small", "check_crc": true, "operation": "put_object"}`, small)
	got := r.call("request", `{"method": "GET", "bucket": "bkt", "key": "", "params": [["prefix", ""]], "parse": "list_objects"}`, nil)
	if body := got["body"].(map[string]any); len(body["contents"].([]any)) != 2 {
		t.Fatalf("listing %v", body)
	}
	r.call("request", `{"method": "POST", "bucket": "bkt", "key": "app", "params": [["append", ""], ["position", "0"]],
		"check_crc": true, "operation": "append_object", "init_crc": "0"}`, small)
	f, err := os.CreateTemp(t.TempDir(), "body")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	defer f.Close()
	r.call("request", fmt.Sprintf(`{"method": "PUT", "bucket": "bkt", "key": "fromfd", "fd": %d, "offset": 10, "size": 1000,
		"multipart_threshold": -1, "check_crc": true, "operation": "put_object"}`, f.Fd()), nil)

	if u := r.call("sign_url", `{"method": "GET", "bucket": "bkt", "key": "small", "expires": 60}`, nil)["url"].(string); !strings.Contains(u, "small") {
		t.Fatalf("url %s", u)
	}
	dir := t.TempDir()
	r.call("get_to_file", fmt.Sprintf(`{"bucket": "bkt", "key": "big", "filename": %q, "check_crc": true}`, filepath.Join(dir, "big")), nil)
	if b, _ := os.ReadFile(filepath.Join(dir, "big")); !bytes.Equal(b, data) {
		t.Fatal("get_to_file wrote other bytes")
	}

	opened := r.call("get_open", `{"bucket": "bkt", "key": "big"}`, nil)
	st := handle(t, opened["stream"])
	part := make([]byte, 1000)
	if rd := r.call("stream_read", fmt.Sprintf(`{"stream": %d}`, st), part); rd["n"].(float64) != 1000 || !bytes.Equal(part, data[:1000]) {
		t.Fatalf("stream_read %v", rd)
	}
	r.h.free(st)
	opened = r.call("get_open", `{"bucket": "bkt", "key": "big"}`, nil)
	st = handle(t, opened["stream"])
	all := make([]byte, len(data))
	if rd := r.call("stream_read_all", fmt.Sprintf(`{"stream": %d}`, st), all); rd["eof"] != true || !bytes.Equal(all, data) {
		t.Fatalf("stream_read_all %v", rd)
	}
	r.h.free(st)

	init := r.call("request", `{"method": "POST", "bucket": "bkt", "key": "mp", "params": [["uploads", ""]], "parse": "init_multipart_upload"}`, nil)
	uploadID := init["body"].(map[string]any)["upload_id"].(string)
	up := r.call("request", fmt.Sprintf(`{"method": "PUT", "bucket": "bkt", "key": "mp", "params": [["partNumber", "1"], ["uploadId", %q]],
		"check_crc": true, "operation": "upload_part"}`, uploadID), small)
	etag := ""
	for _, kv := range up["headers"].([]any) {
		if p := kv.([]any); strings.EqualFold(p[0].(string), "etag") {
			etag = p[1].(string)
		}
	}
	r.call("complete_multipart", fmt.Sprintf(`{"bucket": "bkt", "key": "mp", "upload_id": %q, "parts": [{"part_number": 1, "etag": %q}]}`,
		uploadID, etag), nil)

	r.call("rename", `{"bucket": "bkt", "src": "mp", "dst": "moved", "overwrite": true}`, nil)
	r.call("copy_multipart", `{"src_bucket": "bkt", "src_key": "big", "bucket": "bkt", "key": "copied", "overwrite": true,
		"part_size": 102400, "concurrency": 2}`, nil)

	into, tooSmall := make([]byte, len(small)), make([]byte, 1)
	many := r.call("get_many", `{"items": [{"bucket": "bkt", "key": "small"}, {"bucket": "bkt", "key": "big", "start": 5, "end": 9}],
		"concurrency": 2}`, table(t, into, tooSmall))
	runtime.KeepAlive(tooSmall) // the table holds its address as a number only
	items := many["items"].([]any)
	if !bytes.Equal(into, small) || items[1].(map[string]any)["in_place"] != false {
		t.Fatalf("get_many %v", many)
	}
	held := handle(t, many["held"])
	out := make([]byte, 4)
	r.call("many_take", fmt.Sprintf(`{"held": %d, "indices": [1]}`, held), table(t, out))
	if string(out) != "5678" {
		t.Fatalf("many_take gave %q", out)
	}
	r.h.free(held)

	r.call("get_many_to_files", fmt.Sprintf(`{"items": [{"bucket": "bkt", "key": "small", "filename": %q}], "concurrency": 2}`,
		filepath.Join(dir, "a", "small")), nil)
	r.call("put_many_from_files", fmt.Sprintf(`{"items": [{"bucket": "bkt", "key": "up/small", "filename": %q, "headers": [["Content-Type", "text/plain"]]}]}`,
		filepath.Join(dir, "a", "small")), nil)
	heads := r.call("head_many", `{"items": [{"bucket": "bkt", "key": "up/small"}, {"bucket": "bkt", "key": "none"}]}`, nil)["items"].([]any)
	if heads[0].(map[string]any)["error"] != nil || heads[1].(map[string]any)["error"].(map[string]any)["code"] != "NoSuchKey" {
		t.Fatalf("head_many %v", heads)
	}

	w := handle(t, r.call("writer_open", `{"bucket": "bkt", "key": "written", "headers": [], "forbid_overwrite": true}`, nil)["writer"])
	r.call("writer_write", fmt.Sprintf(`{"writer": %d}`, w), data[:102400])
	if res := r.call("writer_close", fmt.Sprintf(`{"writer": %d}`, w), data[102400:200000]); res["multipart"] != true {
		t.Fatalf("writer_close %v", res)
	}
	r.h.free(w)
	w = handle(t, r.call("writer_open", `{"bucket": "bkt", "key": "aborted"}`, nil)["writer"])
	r.call("writer_abort", fmt.Sprintf(`{"writer": %d}`, w), nil)
	r.h.free(w)

	rd := r.call("reader_open", `{"bucket": "bkt", "key": "written"}`, nil)
	if rd["size"].(float64) != 200000 {
		t.Fatalf("reader_open %v", rd)
	}
	rh := handle(t, rd["reader"])
	if n := r.call("reader_read", fmt.Sprintf(`{"reader": %d, "pos": 102395}`, rh), out)["n"].(float64); n != 4 || string(out) != "bcde" {
		t.Fatalf("reader_read %v %q", n, out)
	}
	r.h.free(rh)

	r.call("batch_delete", `{"bucket": "bkt", "keys": ["moved", "copied"]}`, nil)
	if del := r.call("delete_many", `{"bucket": "bkt", "keys": ["written", "up/small"], "concurrency": 2}`, nil); len(del["deleted"].([]any)) != 2 {
		t.Fatalf("delete_many %v", del)
	}
	if c := r.call("credentials", `{}`, nil); c["access_key_id"] != "ak" {
		t.Fatalf("credentials %v", c)
	}
	r.call("set_credentials", `{"access_key_id": "ak", "access_key_secret": "sk", "security_token": ""}`, nil)
	if e := r.call("endpoint", `{}`, nil); !strings.HasPrefix(e["endpoint"].(string), "http://127.0.0.1:") || e["region"] != "" {
		t.Fatalf("endpoint %v", e)
	}
	r.runCrypto(data)

	for _, name := range Names() {
		if !r.covered[name] {
			t.Errorf("operation %s is registered but not run by this test", name)
		}
	}
}

// An empty argument object is refused (or served) by every operation without a panic.
func TestEveryOperationRefusesMissingArgumentsWithoutPanicking(t *testing.T) {
	s := testSession(t, "")
	for _, name := range Names() {
		d := Describe()[name]
		_, err := run(t, s, nil, name, `{}`, nil)
		if len(d.Args.Required) > 0 && err == nil {
			t.Errorf("%s accepted {} although it requires %v", name, d.Args.Required)
		}
	}
}

// The description names every argument key of every operation once, as required or optional.
func TestDescriptionListsEachKeyOnce(t *testing.T) {
	desc := Describe()
	if _, ok := desc[SessionConfigName]; !ok {
		t.Fatal("no session configuration in the description")
	}
	for name, d := range desc {
		var all []string
		all = append(all, d.Args.Required...)
		all = append(all, d.Args.Optional...)
		slices.Sort(all)
		if len(slices.Compact(slices.Clone(all))) != len(all) {
			t.Errorf("%s: a key is listed twice: %v", name, all)
		}
	}
	if got := desc["request"].Args.Required; !slices.Equal(got, []string{"bucket", "key", "method"}) {
		t.Errorf("request requires %v", got)
	}
}

// runCrypto writes data encrypted (a parallel multipart put) and reads it back from an unaligned
// offset: the key made and opened by an RSA master key, the stream decrypting after a discard.
func (r *registryRun) runCrypto(data []byte) {
	t := r.t
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	pub := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.PublicKey)})
	provider := fmt.Sprintf(`{"wrap": "rsa", "public_key": %q, "private_key": %q}`, pub, priv)
	r.call("crypto_check", fmt.Sprintf(`{"provider": %s}`, provider), nil)
	keys := r.call("crypto_rsa_generate", `{"bits": 1024, "passphrase": "pw"}`, nil)
	r.call("crypto_check", fmt.Sprintf(`{"provider": {"wrap": "rsa-oaep", "public_key": %q, "private_key": %q, "passphrase": "pw"}}`,
		keys["public_key"], keys["private_key"]), nil)
	m := r.call("crypto_material", fmt.Sprintf(`{"provider": %s}`, provider), nil)
	opened := r.call("crypto_unwrap", fmt.Sprintf(`{"provider": %s, "encrypted_key": %q, "encrypted_iv": %q}`,
		provider, m["encrypted_key"], m["encrypted_iv"]), nil)
	if opened["key"] != m["key"] || opened["iv"] != m["iv"] {
		t.Fatalf("crypto_unwrap %v, made %v", opened, m)
	}
	r.call("request", fmt.Sprintf(`{"method": "PUT", "bucket": "bkt", "key": "enc", "check_crc": true, "operation": "put_object",
		"cipher": {"key": %q, "iv": %q}}`, m["key"], m["iv"]), data)
	got := r.call("get_open", `{"bucket": "bkt", "key": "enc", "headers": [["Range", "bytes=16-"]]}`, nil)
	st := handle(t, got["stream"])
	r.call("stream_decrypt", fmt.Sprintf(`{"stream": %d, "key": %q, "iv": %q, "discard": 5}`, st, m["key"], m["iv"]), nil)
	rest := make([]byte, len(data)-21)
	if rd := r.call("stream_read_all", fmt.Sprintf(`{"stream": %d}`, st), rest); rd["eof"] != true || !bytes.Equal(rest, data[21:]) {
		t.Fatalf("decrypted stream %v", rd)
	}
	r.h.free(st)
}
