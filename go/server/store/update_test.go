package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// UpdateObject and UpdateBucket change attributes and settings atomically and keep the rest.
func TestUpdateObjectAndBucket(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		put, _ := s.Put("bkt", "obj", strings.NewReader("data"), Attrs{Meta: map[string]string{"k": "v"}}, PutOptions{})
		ready := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
		info, err := s.UpdateObject("bkt", "obj", func(o *ObjectInfo) error {
			o.ACL, o.Tagging, o.RestoreReady, o.Size = "public-read", "a=b", ready, 99
			return nil
		})
		if err != nil || info.ACL != "public-read" || info.Tagging != "a=b" || !info.RestoreReady.Equal(ready) || info.Size != put.Size {
			t.Fatalf("update %+v %v", info, err)
		}
		if got := readAll(t, s, "bkt", "obj"); string(got) != "data" {
			t.Fatalf("content after update %q", got)
		}
		boom := errors.New("boom")
		if _, err := s.UpdateObject("bkt", "obj", func(o *ObjectInfo) error { o.ACL = "private"; return boom }); err != boom {
			t.Fatalf("fn error %v", err)
		}
		if got, _ := s.Stat("bkt", "obj"); got.ACL != "public-read" {
			t.Fatalf("a failed update changed the object: %+v", got)
		}
		if _, err := s.UpdateObject("bkt", "nope", func(*ObjectInfo) error { return nil }); !errors.Is(err, ErrNoSuchKey) {
			t.Fatalf("missing key %v", err)
		}
		b, err := s.UpdateBucket("bkt", func(b *BucketInfo) error {
			b.ACL, b.Name = "public-read", "renamed"
			b.Configs["cors"] = "<CORSConfiguration/>"
			return nil
		})
		if err != nil || b.Name != "bkt" || b.ACL != "public-read" || b.Configs["cors"] != "<CORSConfiguration/>" {
			t.Fatalf("bucket update %+v %v", b, err)
		}
		// The map fn got was a copy: a failed update leaves the stored one alone.
		s.UpdateBucket("bkt", func(b *BucketInfo) error { b.Configs["cors"] = "x"; return boom })
		if got, _ := s.Bucket("bkt"); got.Configs["cors"] != "<CORSConfiguration/>" {
			t.Fatalf("failed bucket update leaked %+v", got)
		}
		if _, err := s.UpdateBucket("nope", func(*BucketInfo) error { return nil }); !errors.Is(err, ErrNoSuchBucket) {
			t.Fatalf("missing bucket %v", err)
		}
	})
}

func TestDiskKeepsNewAttributesAcrossRestart(t *testing.T) {
	root := t.TempDir()
	s, _ := OpenDisk(root, nil)
	mustBucket(t, s, "bkt")
	s.Put("bkt", "obj", strings.NewReader("x"), Attrs{ACL: "private", Tagging: "t=1"}, PutOptions{})
	s.Put("bkt", "link", strings.NewReader(""), Attrs{SymlinkTarget: "obj"}, PutOptions{Type: TypeSymlink})
	exp := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	s.UpdateObject("bkt", "obj", func(o *ObjectInfo) error { o.RestoreExpiry = exp; return nil })
	s.UpdateBucket("bkt", func(b *BucketInfo) error { b.Configs["policy"] = `{"Version":"1"}`; return nil })
	s.Close()

	s, err := OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	o, _ := s.Stat("bkt", "obj")
	l, _ := s.Stat("bkt", "link")
	b, _ := s.Bucket("bkt")
	if o.ACL != "private" || o.Tagging != "t=1" || !o.RestoreExpiry.Equal(exp) || l.Type != TypeSymlink || l.SymlinkTarget != "obj" || b.Configs["policy"] != `{"Version":"1"}` {
		t.Fatalf("after restart: %+v %+v %+v", o, l, b)
	}
}

// A store written before these attributes existed still loads.
func TestDiskLoadsOlderFiles(t *testing.T) {
	root := t.TempDir()
	s, _ := OpenDisk(root, nil)
	mustBucket(t, s, "bkt")
	s.Close()
	old := `{"name":"bkt","creation_date":"2024-01-01T00:00:00Z","storage_class":"Standard"}`
	if err := os.WriteFile(filepath.Join(root, "buckets", "bkt", "bucket.json"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Bucket("bkt")
	if err != nil || b.ACL != "" || b.Configs != nil {
		t.Fatalf("old bucket %+v %v", b, err)
	}
	if _, err := s.UpdateBucket("bkt", func(b *BucketInfo) error { b.Configs["cors"] = "c"; return nil }); err != nil {
		t.Fatal(err)
	}
}
