package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Any key the validator accepts round-trips through the disk store and never becomes a path.
func FuzzDiskKeys(f *testing.F) {
	for _, k := range []string{"a", "../x", "a/../../b", "/abs", "a\x00b", "ключ", strings.Repeat("k", 1024)} {
		f.Add(k)
	}
	root := f.TempDir()
	s, err := OpenDisk(filepath.Join(root, "data"), nil)
	if err != nil {
		f.Fatal(err)
	}
	s.CreateBucket("bkt")
	f.Fuzz(func(t *testing.T, key string) {
		if ValidateKey(key) != nil {
			if _, err := s.Put("bkt", key, strings.NewReader("x"), Attrs{}, PutOptions{}); err == nil {
				t.Fatalf("invalid key %q stored", key)
			}
			return
		}
		if _, err := s.Put("bkt", key, strings.NewReader(key), Attrs{}, PutOptions{}); err != nil {
			t.Fatal(err)
		}
		if info, _ := s.Stat("bkt", key); info.Key != key {
			t.Fatalf("stat %q", info.Key)
		}
		if entries, _ := os.ReadDir(root); len(entries) != 1 {
			t.Fatalf("something was written beside the root: %v", entries)
		}
	})
}
