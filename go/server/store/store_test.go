package store

import (
	"bytes"
	"crypto/md5"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
)

// backends runs a test against Memory and Disk.
func backends(t *testing.T, fn func(t *testing.T, s Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, NewMemory(nil)) })
	t.Run("disk", func(t *testing.T) {
		s, err := OpenDisk(t.TempDir(), nil)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s)
	})
}

func mustBucket(t *testing.T, s Store, name string) {
	t.Helper()
	if _, err := s.CreateBucket(name); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, s Store, bucket, key string) []byte {
	t.Helper()
	info, r, err := s.Open(bucket, key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([]byte, info.Size)
	if _, err := r.ReadAt(buf, 0); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	return buf
}

func TestPutOpenDelete(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		body := []byte("hello world")
		info, err := s.Put("bkt", "a/b", bytes.NewReader(body), Attrs{ContentType: "text/plain", Meta: map[string]string{"x": "1"}}, PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sum := md5.Sum(body)
		if info.Size != 11 || info.ETag != strings.ToUpper(string(hexs(sum[:]))) || info.CRC64 != crc.Checksum(body) || info.Type != TypeNormal {
			t.Fatalf("info %+v", info)
		}
		if got := readAll(t, s, "bkt", "a/b"); !bytes.Equal(got, body) {
			t.Fatalf("read %q", got)
		}
		st, _ := s.Stat("bkt", "a/b")
		if st.Meta["x"] != "1" || st.ContentType != "text/plain" {
			t.Fatalf("stat %+v", st)
		}
		if err := s.Delete("bkt", "a/b"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Stat("bkt", "a/b"); err != ErrNoSuchKey {
			t.Fatalf("after delete: %v", err)
		}
		if _, err := s.Put("nope", "k", strings.NewReader(""), Attrs{}, PutOptions{}); err != ErrNoSuchBucket {
			t.Fatalf("missing bucket: %v", err)
		}
	})
}

func hexs(b []byte) string { return strings.ToUpper(fmtHex(b)) }

func fmtHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("connection reset")
	}
	f.n--
	p[0] = 'x'
	return 1, nil
}

func TestFailedWritesLeaveOldVersion(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		s.Put("bkt", "k", strings.NewReader("old"), Attrs{}, PutOptions{})
		if _, err := s.Put("bkt", "k", strings.NewReader("new"), Attrs{}, PutOptions{ContentMD5: make([]byte, 16)}); err != ErrBadDigest {
			t.Fatalf("bad digest: %v", err)
		}
		if _, err := s.Put("bkt", "k", &failingReader{n: 3}, Attrs{}, PutOptions{}); err == nil {
			t.Fatal("reader error swallowed")
		}
		if got := readAll(t, s, "bkt", "k"); string(got) != "old" {
			t.Fatalf("old version lost: %q", got)
		}
	})
}

func TestAppend(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		if _, err := s.Append("bkt", "ap", 3, strings.NewReader("x"), Attrs{}, PutOptions{}); !isPos(err, 0) {
			t.Fatalf("append to missing at 3: %v", err)
		}
		info, err := s.Append("bkt", "ap", 0, strings.NewReader("abc"), Attrs{ContentType: "a/b"}, PutOptions{})
		if err != nil || info.Size != 3 || info.Type != TypeAppendable {
			t.Fatalf("first append %+v %v", info, err)
		}
		if _, err := s.Append("bkt", "ap", 2, strings.NewReader("x"), Attrs{}, PutOptions{}); !isPos(err, 3) {
			t.Fatalf("wrong position: %v", err)
		}
		info, err = s.Append("bkt", "ap", 3, strings.NewReader("defg"), Attrs{ContentType: "c/d"}, PutOptions{})
		if err != nil || info.Size != 7 || info.CRC64 != crc.Checksum([]byte("abcdefg")) || info.ContentType != "a/b" {
			t.Fatalf("second append %+v %v", info, err)
		}
		if got := readAll(t, s, "bkt", "ap"); string(got) != "abcdefg" {
			t.Fatalf("content %q", got)
		}
		s.Put("bkt", "normal", strings.NewReader("n"), Attrs{}, PutOptions{})
		if _, err := s.Append("bkt", "normal", 1, strings.NewReader("x"), Attrs{}, PutOptions{}); err != ErrNotAppendable {
			t.Fatalf("append to normal: %v", err)
		}
	})
}

func isPos(err error, length int64) bool {
	var pe *PositionError
	return errors.As(err, &pe) && pe.Length == length
}

func TestMultipart(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		u, err := s.InitUpload("bkt", "mp", Attrs{Meta: map[string]string{"m": "v"}})
		if err != nil {
			t.Fatal(err)
		}
		p1 := bytes.Repeat([]byte("1"), MinPartSize)
		p2 := []byte("tail")
		i1, _ := s.PutPart("bkt", "mp", u.UploadID, 1, bytes.NewReader(p1), PutOptions{})
		i2, _ := s.PutPart("bkt", "mp", u.UploadID, 2, bytes.NewReader(p2), PutOptions{})
		small, _ := s.PutPart("bkt", "mp", u.UploadID, 3, bytes.NewReader(p2), PutOptions{})
		if _, err := s.PutPart("bkt", "mp", "nope", 1, bytes.NewReader(p2), PutOptions{}); err != ErrNoSuchUpload {
			t.Fatalf("no such upload: %v", err)
		}
		parts, _ := s.ListParts("bkt", "mp", u.UploadID)
		if len(parts) != 3 || parts[0].Number != 1 || parts[1].Size != 4 {
			t.Fatalf("parts %+v", parts)
		}
		for _, tc := range []struct {
			parts []CompletePart
			err   error
		}{
			{[]CompletePart{{2, i2.ETag}, {3, small.ETag}}, ErrEntityTooSmall},
			{[]CompletePart{{2, i2.ETag}, {1, i1.ETag}}, ErrInvalidPartOrder},
			{[]CompletePart{{1, "00"}}, ErrInvalidPart},
			{[]CompletePart{{4, i1.ETag}}, ErrInvalidPart},
		} {
			if _, err := s.Complete("bkt", "mp", u.UploadID, tc.parts, PutOptions{}); err != tc.err {
				t.Fatalf("complete %v: %v, want %v", tc.parts, err, tc.err)
			}
		}
		info, err := s.Complete("bkt", "mp", u.UploadID, []CompletePart{{1, i1.ETag}, {2, strings.ToLower(i2.ETag)}}, PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		whole := append(append([]byte{}, p1...), p2...)
		if info.Type != TypeMultipart || info.Size != int64(len(whole)) || info.CRC64 != crc.Checksum(whole) || !strings.HasSuffix(info.ETag, "-2") || info.Meta["m"] != "v" {
			t.Fatalf("completed %+v", info)
		}
		if got := readAll(t, s, "bkt", "mp"); !bytes.Equal(got, whole) {
			t.Fatal("content differs")
		}
		if ups, _ := s.ListUploads("bkt"); len(ups) != 0 {
			t.Fatalf("uploads left %+v", ups)
		}
		u2, _ := s.InitUpload("bkt", "mp2", Attrs{})
		if err := s.Abort("bkt", "mp2", u2.UploadID); err != nil {
			t.Fatal(err)
		}
		if err := s.Abort("bkt", "mp2", u2.UploadID); err != ErrNoSuchUpload {
			t.Fatalf("double abort: %v", err)
		}
	})
}

func TestListOrderPrefixAfter(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		for _, k := range []string{"b", "a/2", "a/1", "a", "c", "a/1/x"} {
			s.Put("bkt", k, strings.NewReader(k), Attrs{}, PutOptions{})
		}
		list := func(o ListOptions) string {
			var keys []string
			s.List("bkt", o, func(i ObjectInfo) bool { keys = append(keys, i.Key); return true })
			return strings.Join(keys, ",")
		}
		if got := list(ListOptions{}); got != "a,a/1,a/1/x,a/2,b,c" {
			t.Fatal(got)
		}
		if got := list(ListOptions{Prefix: "a/"}); got != "a/1,a/1/x,a/2" {
			t.Fatal(got)
		}
		if got := list(ListOptions{Prefix: "a/", After: "a/1"}); got != "a/1/x,a/2" {
			t.Fatal(got)
		}
		if got := list(ListOptions{After: "a/9"}); got != "b,c" {
			t.Fatal(got)
		}
	})
}

func TestBucketLifecycle(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		if _, err := s.CreateBucket("bkt"); err != ErrBucketExists {
			t.Fatal(err)
		}
		if _, err := s.CreateBucket("Bad_Name"); err != ErrInvalidBucket {
			t.Fatal(err)
		}
		s.Put("bkt", "k", strings.NewReader("x"), Attrs{}, PutOptions{})
		if err := s.DeleteBucket("bkt"); err != ErrBucketNotEmpty {
			t.Fatal(err)
		}
		s.Delete("bkt", "k")
		if err := s.DeleteBucket("bkt"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Bucket("bkt"); err != ErrNoSuchBucket {
			t.Fatal(err)
		}
	})
}

func TestValidateKey(t *testing.T) {
	for _, k := range []string{"", "/abs", "\\x", "a\x00b", strings.Repeat("k", 1024), "\xff\xfe", "../x", "a/../../b", "..", "a/..", "a\\..\\b"} {
		if ValidateKey(k) == nil {
			t.Errorf("key %q accepted", k)
		}
	}
	for _, k := range []string{"a", "..x", "a..b/...", "./a", "a/./b", "dir/", "sp ace+?#%", "ключ", strings.Repeat("k", 1023)} {
		if err := ValidateKey(k); err != nil {
			t.Errorf("key %q refused: %v", k, err)
		}
	}
}

// Keys that look like paths stay inside the root: every file written is under it, and no file
// name contains the key.
func TestDiskKeysNeverBecomePaths(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "root")
	s, err := OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustBucket(t, s, "bkt")
	for _, k := range []string{"../x", "a/../../b", "../../../../etc/passwd", ".."} {
		if _, err := s.Put("bkt", k, strings.NewReader(k), Attrs{}, PutOptions{}); err != ErrInvalidKey {
			t.Fatalf("%q: %v, want ErrInvalidKey", k, err)
		}
	}
	for _, k := range []string{"..x", "./passwd", ".", "x/./b"} {
		if _, err := s.Put("bkt", k, strings.NewReader(k), Attrs{}, PutOptions{}); err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		if got := readAll(t, s, "bkt", k); string(got) != k {
			t.Fatalf("%q read back %q", k, got)
		}
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Fatalf("files outside root: %v", entries)
	}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if strings.Contains(d.Name(), "passwd") || d.Name() == "x" || d.Name() == "b" {
			t.Errorf("key became a path: %s", p)
		}
		return nil
	})
}

func TestDiskSurvivesRestart(t *testing.T) {
	root := t.TempDir()
	s, _ := OpenDisk(root, nil)
	mustBucket(t, s, "bkt")
	s.Put("bkt", "obj", strings.NewReader("object"), Attrs{Meta: map[string]string{"k": "v"}}, PutOptions{})
	s.Append("bkt", "ap", 0, strings.NewReader("abc"), Attrs{}, PutOptions{})
	u, _ := s.InitUpload("bkt", "mp", Attrs{})
	p1 := bytes.Repeat([]byte("p"), MinPartSize)
	i1, _ := s.PutPart("bkt", "mp", u.UploadID, 1, bytes.NewReader(p1), PutOptions{})
	s.Close()
	// A stray temp file and an unreferenced blob, as a crash would leave them.
	os.WriteFile(filepath.Join(root, "tmp", "w-123"), []byte("junk"), 0o644)
	os.MkdirAll(filepath.Join(root, "blobs", "ab"), 0o755)
	os.WriteFile(filepath.Join(root, "blobs", "ab", "abcdef"), []byte("junk"), 0o644)

	s, err := OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, s, "bkt", "obj"); string(got) != "object" {
		t.Fatalf("obj %q", got)
	}
	if info, err := s.Append("bkt", "ap", 3, strings.NewReader("def"), Attrs{}, PutOptions{}); err != nil || info.Size != 6 {
		t.Fatalf("append after restart %+v %v", info, err)
	}
	i2, err := s.PutPart("bkt", "mp", u.UploadID, 2, strings.NewReader("end"), PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Complete("bkt", "mp", u.UploadID, []CompletePart{{1, i1.ETag}, {2, i2.ETag}}, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, s, "bkt", "mp"); len(got) != MinPartSize+3 {
		t.Fatalf("mp size %d", len(got))
	}
	for _, p := range []string{filepath.Join(root, "tmp", "w-123"), filepath.Join(root, "blobs", "ab", "abcdef")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s not cleaned at open", p)
		}
	}
}

// Many appends do not leave an object in hundreds of pieces (each a file to open on every read).
func TestManyAppendsAreCompacted(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		var want []byte
		for i := 0; i < 200; i++ {
			piece := []byte(strings.Repeat(string(rune('a'+i%26)), i%7+1))
			if _, err := s.Append("bkt", "log", int64(len(want)), bytes.NewReader(piece), Attrs{}, PutOptions{}); err != nil {
				t.Fatal(i, err)
			}
			want = append(want, piece...)
		}
		c := s.(*core)
		deadline := time.Now().Add(5 * time.Second)
		for {
			c.mu.RLock()
			n := len(c.buckets["bkt"].objects["log"][0].Segments)
			c.mu.RUnlock()
			if n <= maxSegments+1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d segments after 200 appends", n)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if got := readAll(t, s, "bkt", "log"); !bytes.Equal(got, want) {
			t.Fatal("content differs after compaction")
		}
		info, _ := s.Stat("bkt", "log")
		if info.CRC64 != crc.Checksum(want) || info.Size != int64(len(want)) {
			t.Fatalf("info %+v", info)
		}
	})
}

func TestNoOverwriteIsAtomic(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		errs := make(chan error, 8)
		for i := 0; i < 8; i++ {
			go func() {
				_, err := s.Put("bkt", "once", strings.NewReader("v"), Attrs{}, PutOptions{NoOverwrite: true})
				errs <- err
			}()
		}
		ok := 0
		for i := 0; i < 8; i++ {
			if err := <-errs; err == nil {
				ok++
			} else if err != ErrObjectExists {
				t.Fatal(err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d writers succeeded, want 1", ok)
		}
	})
}

func TestHalfCreatedBucketIsIgnoredAtOpen(t *testing.T) {
	root := t.TempDir()
	s, _ := OpenDisk(root, nil)
	mustBucket(t, s, "keep")
	os.MkdirAll(filepath.Join(root, "buckets", "half", "objects"), 0o755) // a crash before bucket.json
	s, err := OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bs, _ := s.ListBuckets(); len(bs) != 1 || bs[0].Name != "keep" {
		t.Fatalf("buckets %+v", bs)
	}
}
