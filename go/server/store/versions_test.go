package store

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func setVersioning(t *testing.T, s Store, bucket, state string) {
	t.Helper()
	if _, err := s.UpdateBucket(bucket, func(b *BucketInfo) error { b.Versioning = state; return nil }); err != nil {
		t.Fatal(err)
	}
}

func put(t *testing.T, s Store, bucket, key, body string) ObjectInfo {
	t.Helper()
	info, err := s.Put(bucket, key, strings.NewReader(body), Attrs{}, PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func readVersion(t *testing.T, s Store, bucket, key, versionID string) string {
	t.Helper()
	info, r, err := s.OpenVersion(bucket, key, versionID)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	buf := make([]byte, info.Size)
	if _, err := r.ReadAt(buf, 0); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	return string(buf)
}

type listed struct {
	key, version   string
	marker, latest bool
}

func listVersions(t *testing.T, s Store, bucket string, opts ListOptions) []listed {
	t.Helper()
	var out []listed
	if err := s.ListVersions(bucket, opts, func(v ObjectInfo, latest bool) bool {
		out = append(out, listed{v.Key, v.VersionID, v.DeleteMarker, latest})
		return true
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEnabledBucketKeepsEveryVersion(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		setVersioning(t, s, "bkt", VersioningEnabled)
		v1 := put(t, s, "bkt", "k", "one")
		v2 := put(t, s, "bkt", "k", "two")
		if v1.VersionID == "" || v2.VersionID == "" || v1.VersionID == v2.VersionID {
			t.Fatalf("version ids %q %q", v1.VersionID, v2.VersionID)
		}
		if got := readVersion(t, s, "bkt", "k", ""); got != "two" {
			t.Fatalf("latest %q", got)
		}
		if got := readVersion(t, s, "bkt", "k", v1.VersionID); got != "one" {
			t.Fatalf("v1 %q", got)
		}
		if _, err := s.StatVersion("bkt", "k", "CAEQnope"); !errors.Is(err, ErrNoSuchVersion) {
			t.Fatalf("unknown version: %v", err)
		}
		want := []listed{{"k", v2.VersionID, false, true}, {"k", v1.VersionID, false, false}}
		if got := listVersions(t, s, "bkt", ListOptions{}); !equalListed(got, want) {
			t.Fatalf("versions %+v", got)
		}
	})
}

func equalListed(a, b []listed) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDeleteAddsMarkerAndVersionDeleteRemoves(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		setVersioning(t, s, "bkt", VersioningEnabled)
		v1 := put(t, s, "bkt", "k", "one")
		m, err := s.DeleteVersion("bkt", "k", "")
		if err != nil || !m.DeleteMarker || m.VersionID == "" {
			t.Fatalf("marker %+v %v", m, err)
		}
		var dm *DeleteMarkerError
		if _, err := s.Stat("bkt", "k"); !errors.As(err, &dm) || dm.VersionID != m.VersionID || !errors.Is(err, ErrNoSuchKey) {
			t.Fatalf("stat behind marker: %v", err)
		}
		if _, err := s.StatVersion("bkt", "k", m.VersionID); !errors.As(err, &dm) {
			t.Fatalf("stat of the marker: %v", err)
		}
		n := 0
		s.List("bkt", ListOptions{}, func(ObjectInfo) bool { n++; return true })
		if n != 0 {
			t.Fatalf("List shows a deleted key")
		}
		if got := readVersion(t, s, "bkt", "k", v1.VersionID); got != "one" {
			t.Fatalf("v1 behind marker %q", got)
		}
		if err := s.DeleteBucket("bkt"); !errors.Is(err, ErrBucketNotEmpty) {
			t.Fatalf("bucket with versions deleted: %v", err)
		}
		gone, err := s.DeleteVersion("bkt", "k", m.VersionID)
		if err != nil || !gone.DeleteMarker {
			t.Fatalf("removing the marker: %+v %v", gone, err)
		}
		if got := readVersion(t, s, "bkt", "k", ""); got != "one" {
			t.Fatalf("latest after marker removed %q", got)
		}
		if _, err := s.DeleteVersion("bkt", "k", v1.VersionID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteVersion("bkt", "k", v1.VersionID); !errors.Is(err, ErrNoSuchVersion) {
			t.Fatalf("second removal: %v", err)
		}
		if err := s.DeleteBucket("bkt"); err != nil {
			t.Fatalf("empty bucket: %v", err)
		}
	})
}

func TestSuspendedWritesReplaceTheNullVersion(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		put(t, s, "bkt", "k", "before") // null: versioning never enabled yet
		setVersioning(t, s, "bkt", VersioningEnabled)
		v := put(t, s, "bkt", "k", "versioned")
		setVersioning(t, s, "bkt", VersioningSuspended)
		n := put(t, s, "bkt", "k", "suspended")
		if n.VersionID != "" {
			t.Fatalf("suspended put got id %q", n.VersionID)
		}
		want := []listed{{"k", "", false, true}, {"k", v.VersionID, false, false}}
		if got := listVersions(t, s, "bkt", ListOptions{}); !equalListed(got, want) {
			t.Fatalf("the null version was not replaced: %+v", got)
		}
		if got := readVersion(t, s, "bkt", "k", NullVersion); got != "suspended" {
			t.Fatalf("null version %q", got)
		}
		m, err := s.DeleteVersion("bkt", "k", "")
		if err != nil || !m.DeleteMarker || m.VersionID != "" {
			t.Fatalf("suspended delete %+v %v", m, err)
		}
		want = []listed{{"k", "", true, true}, {"k", v.VersionID, false, false}}
		if got := listVersions(t, s, "bkt", ListOptions{}); !equalListed(got, want) {
			t.Fatalf("the null marker did not replace the null version: %+v", got)
		}
	})
}

func TestNullVersionBlobsAreFreed(t *testing.T) {
	s := NewMemory(nil)
	mustBucket(t, s, "bkt")
	setVersioning(t, s, "bkt", VersioningSuspended)
	put(t, s, "bkt", "k", "0123456789")
	put(t, s, "bkt", "k", "abcdefghij")
	if got := memOf(s).inUse(); got != 10 {
		t.Fatalf("in use %d after replacing the null version", got)
	}
	s.DeleteVersion("bkt", "k", "")
	if got := memOf(s).inUse(); got != 0 {
		t.Fatalf("in use %d after a null marker", got)
	}
}

func TestListVersionsResumesInsideAKey(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		setVersioning(t, s, "bkt", VersioningEnabled)
		a1 := put(t, s, "bkt", "a", "1")
		a2 := put(t, s, "bkt", "a", "2")
		b1 := put(t, s, "bkt", "b", "1")
		got := listVersions(t, s, "bkt", ListOptions{After: "a", AfterVersion: a2.VersionID})
		want := []listed{{"a", a1.VersionID, false, false}, {"b", b1.VersionID, false, true}}
		if !equalListed(got, want) {
			t.Fatalf("resumed %+v", got)
		}
		if got := listVersions(t, s, "bkt", ListOptions{After: "a"}); !equalListed(got, want[1:]) {
			t.Fatalf("after key %+v", got)
		}
	})
}

func TestAppendInVersionedBucketExtendsTheLatestVersion(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		setVersioning(t, s, "bkt", VersioningEnabled)
		a, err := s.Append("bkt", "log", 0, strings.NewReader("ab"), Attrs{}, PutOptions{})
		if err != nil || a.VersionID == "" {
			t.Fatalf("%+v %v", a, err)
		}
		b, err := s.Append("bkt", "log", 2, strings.NewReader("cd"), Attrs{}, PutOptions{})
		if err != nil || b.VersionID != a.VersionID {
			t.Fatalf("an append made a new version: %+v %v", b, err)
		}
		s.DeleteVersion("bkt", "log", "")
		c, err := s.Append("bkt", "log", 0, strings.NewReader("new"), Attrs{}, PutOptions{})
		if err != nil || c.VersionID == a.VersionID {
			t.Fatalf("append behind a marker: %+v %v", c, err)
		}
		if got := readVersion(t, s, "bkt", "log", a.VersionID); got != "abcd" {
			t.Fatalf("old appendable %q", got)
		}
		if got := len(listVersions(t, s, "bkt", ListOptions{})); got != 3 {
			t.Fatalf("%d versions", got)
		}
	})
}

func TestCompleteAndNoOverwriteInVersionedBucket(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		setVersioning(t, s, "bkt", VersioningEnabled)
		v1 := put(t, s, "bkt", "k", "one")
		// x-oss-forbid-overwrite has no effect once versioning is on: the old version is kept.
		if _, err := s.Put("bkt", "k", strings.NewReader("two"), Attrs{}, PutOptions{NoOverwrite: true}); err != nil {
			t.Fatal(err)
		}
		u, _ := s.InitUpload("bkt", "k", Attrs{})
		p, err := s.PutPart("bkt", "k", u.UploadID, 1, strings.NewReader("three"), PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Complete("bkt", "k", u.UploadID, []CompletePart{{1, p.ETag}}, PutOptions{})
		if err != nil || info.VersionID == "" || info.VersionID == v1.VersionID {
			t.Fatalf("%+v %v", info, err)
		}
		if got := len(listVersions(t, s, "bkt", ListOptions{})); got != 3 {
			t.Fatalf("%d versions", got)
		}
		if got := readVersion(t, s, "bkt", "k", v1.VersionID); got != "one" {
			t.Fatalf("v1 %q", got)
		}
	})
}

func TestUpdateObjectVersionChangesOnlyThatVersion(t *testing.T) {
	backends(t, func(t *testing.T, s Store) {
		mustBucket(t, s, "bkt")
		setVersioning(t, s, "bkt", VersioningEnabled)
		v1 := put(t, s, "bkt", "k", "one")
		put(t, s, "bkt", "k", "two")
		if _, err := s.UpdateObjectVersion("bkt", "k", v1.VersionID, func(o *ObjectInfo) error {
			o.Tagging = "a=1"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		old, _ := s.StatVersion("bkt", "k", v1.VersionID)
		cur, _ := s.Stat("bkt", "k")
		if old.Tagging != "a=1" || cur.Tagging != "" || old.VersionID != v1.VersionID {
			t.Fatalf("old %+v cur %+v", old, cur)
		}
	})
}

func TestDiskKeepsVersionsAcrossRestart(t *testing.T) {
	root := t.TempDir()
	s, err := OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustBucket(t, s, "bkt")
	setVersioning(t, s, "bkt", VersioningEnabled)
	v1 := put(t, s, "bkt", "k", "one")
	v2 := put(t, s, "bkt", "k", "two")
	m, _ := s.DeleteVersion("bkt", "k", "")
	put(t, s, "bkt", "plain", "x")
	s.Close()

	s, err = OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []listed{{"k", m.VersionID, true, true}, {"k", v2.VersionID, false, false}, {"k", v1.VersionID, false, false}}
	if got := listVersions(t, s, "bkt", ListOptions{Prefix: "k"}); !equalListed(got, want) {
		t.Fatalf("after restart %+v", got)
	}
	if got := readVersion(t, s, "bkt", "k", v1.VersionID); got != "one" {
		t.Fatalf("v1 %q", got)
	}
	if b, _ := s.Bucket("bkt"); b.Versioning != VersioningEnabled {
		t.Fatalf("versioning state lost: %q", b.Versioning)
	}
	// No blob a version still needs was collected as unreferenced at open.
	blobs := 0
	filepath.WalkDir(filepath.Join(root, "blobs"), func(_ string, e os.DirEntry, _ error) error {
		if e != nil && !e.IsDir() {
			blobs++
		}
		return nil
	})
	if blobs != 3 {
		t.Fatalf("%d blobs on disk, want 3", blobs)
	}
}

func TestDiskWritesUnversionedKeysAsBefore(t *testing.T) {
	root := t.TempDir()
	s, _ := OpenDisk(root, nil)
	mustBucket(t, s, "bkt")
	put(t, s, "bkt", "k", "one")
	raw, err := os.ReadFile(filepath.Join(root, "buckets", "bkt", "objects", keyFile("k")))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte(`{"info":`)) || bytes.Contains(raw, []byte("versions")) {
		t.Fatalf("record %s", raw)
	}
}
