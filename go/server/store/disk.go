package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Disk layout under the root (no path is ever built from an object key or a client's string):
//
//	account.json                  the account's settings (AccountInfo)
//	tmp/                          files being written; emptied at open
//	blobs/<id[:2]>/<id>           immutable contents, id random hex
//	buckets/<name>/bucket.json    bucket names are validated [a-z0-9-]
//	buckets/<name>/objects/<sha256(key)>.json   the key's versions (keyRecord)
//	buckets/<name>/uploads/<upload id>.json
//
// Every file appears by rename of a fully written, fsynced temporary file, so a crash leaves
// either the old or the new version. Blobs no metadata refers to are removed at open.

// OpenDisk opens (creating if needed) a Store under root; now may be nil (time.Now).
func OpenDisk(root string, now func() time.Time) (Store, error) {
	d := &disk{root: root}
	for _, dir := range []string{"tmp", "blobs", "buckets"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			return nil, err
		}
	}
	if err := d.clearTmp(); err != nil {
		return nil, err
	}
	c := newCore(d, d, now)
	if err := d.load(c); err != nil {
		return nil, err
	}
	return c, nil
}

type disk struct{ root string }

func (d *disk) clearTmp() error {
	tmp := filepath.Join(d.root, "tmp")
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	for _, e := range entries {
		os.RemoveAll(filepath.Join(tmp, e.Name()))
	}
	return nil
}

func randomHex() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// writeAtomic streams r into a temporary file, fsyncs it, renames it to path and fsyncs the
// directory, so the new name survives a power cut too.
func (d *disk) writeAtomic(path string, r io.Reader) (n int64, err error) {
	f, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "w-*")
	if err != nil {
		return 0, err
	}
	done := false
	defer func() { // also when r panics (a handler aborting mid-body)
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	n, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if errors.Is(err, fs.ErrNotExist) { // the first file of its directory; the directory once
		if err = os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			err = os.Rename(f.Name(), path)
		}
	}
	if err != nil {
		return 0, err
	}
	done = true
	syncDir(filepath.Dir(path))
	return n, nil
}

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

func (d *disk) writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = d.writeAtomic(path, strings.NewReader(string(b)))
	return err
}

func (d *disk) blobPath(id string) (string, error) {
	if len(id) < 3 || !isHex(id) {
		return "", fmt.Errorf("store: bad blob id %q", id)
	}
	return filepath.Join(d.root, "blobs", id[:2], id), nil
}

func (d *disk) write(r io.Reader, _ int64) (string, int64, error) {
	id := randomHex()
	path, _ := d.blobPath(id)
	n, err := d.writeAtomic(path, r)
	return id, n, err
}

func (d *disk) open(id string) (io.ReaderAt, io.Closer, error) {
	path, err := d.blobPath(id)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f, nil
}

func (d *disk) remove(id string) {
	if path, err := d.blobPath(id); err == nil {
		os.Remove(path)
	}
}

func (d *disk) bucketDir(name string) string { return filepath.Join(d.root, "buckets", name) }

func keyFile(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:]) + ".json"
}

func (d *disk) putAccount(a AccountInfo) error {
	return d.writeJSON(filepath.Join(d.root, "account.json"), a)
}

func (d *disk) putBucket(b BucketInfo) error {
	return d.writeJSON(filepath.Join(d.bucketDir(b.Name), "bucket.json"), b)
}

// deleteBucket moves the bucket's directory aside in one rename, so a crash never leaves half a
// bucket, then removes it.
func (d *disk) deleteBucket(name string) error {
	aside := filepath.Join(d.root, "tmp", "bucket-"+name+"-"+randomHex())
	if err := os.Rename(d.bucketDir(name), aside); err != nil {
		return err
	}
	syncDir(filepath.Join(d.root, "buckets"))
	return os.RemoveAll(aside)
}

// keyRecord is a key's file: its versions, newest first. A key holding only a null version (every
// key of a bucket whose versioning was never enabled) is written as that one object, as before
// versioning existed, so such stores read the same both ways.
type keyRecord struct {
	Info     *ObjectInfo `json:"info,omitempty"`
	Segments []segment   `json:"segments,omitempty"`
	Versions []*object   `json:"versions,omitempty"`
}

func (d *disk) putKey(bucket, key string, versions []*object) error {
	rec := keyRecord{Versions: versions}
	if len(versions) == 1 && versions[0].Info.VersionID == "" && !versions[0].Info.DeleteMarker {
		rec = keyRecord{Info: &versions[0].Info, Segments: versions[0].Segments}
	}
	return d.writeJSON(filepath.Join(d.bucketDir(bucket), "objects", keyFile(key)), rec)
}

func (r *keyRecord) versions() []*object {
	if len(r.Versions) > 0 {
		return r.Versions
	}
	if r.Info == nil {
		return nil
	}
	return []*object{{Info: *r.Info, Segments: r.Segments}}
}

func (d *disk) deleteKey(bucket, key string) error {
	err := os.Remove(filepath.Join(d.bucketDir(bucket), "objects", keyFile(key)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func (d *disk) putUpload(bucket string, u *upload) error {
	return d.writeJSON(filepath.Join(d.bucketDir(bucket), "uploads", u.Info.UploadID+".json"), u)
}

func (d *disk) deleteUpload(bucket, uploadID string) error {
	if !isHex(uploadID) {
		return nil
	}
	err := os.Remove(filepath.Join(d.bucketDir(bucket), "uploads", uploadID+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	return nil
}

func jsonFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, err
}

// load reads all metadata into c and removes blobs nothing refers to.
func (d *disk) load(c *core) error {
	if err := readJSON(filepath.Join(d.root, "account.json"), &c.account); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(d.root, "buckets"))
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for _, e := range entries {
		var info BucketInfo
		dir := d.bucketDir(e.Name())
		if err := readJSON(filepath.Join(dir, "bucket.json"), &info); errors.Is(err, fs.ErrNotExist) {
			os.RemoveAll(dir) // a creation cut off before bucket.json appeared: no bucket
			continue
		} else if err != nil {
			return err
		}
		b := newBucket(info)
		c.buckets[info.Name] = b
		files, err := jsonFiles(filepath.Join(dir, "objects"))
		if err != nil {
			return err
		}
		for _, f := range files {
			rec := &keyRecord{}
			if err := readJSON(f, rec); err != nil {
				return err
			}
			vs := rec.versions()
			if len(vs) == 0 {
				return fmt.Errorf("store: %s: no versions", f)
			}
			b.objects[vs[0].Info.Key] = vs
			for _, o := range vs {
				for _, s := range o.Segments {
					used[s.Blob] = true
				}
			}
		}
		if files, err = jsonFiles(filepath.Join(dir, "uploads")); err != nil {
			return err
		}
		for _, f := range files {
			u := &upload{}
			if err := readJSON(f, u); err != nil {
				return err
			}
			b.uploads[u.Info.UploadID] = u
		}
	}
	// An upload whose parts an object owns was completed just before a crash: finish removing it.
	for name, b := range c.buckets {
		for id, u := range b.uploads {
			completed := false
			for _, p := range u.Parts {
				completed = completed || used[p.Blob]
			}
			if completed {
				delete(b.uploads, id)
				if err := d.deleteUpload(name, id); err != nil {
					return err
				}
				continue
			}
			for _, p := range u.Parts {
				used[p.Blob] = true
			}
		}
	}
	return filepath.WalkDir(filepath.Join(d.root, "blobs"), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		if !used[e.Name()] {
			os.Remove(path)
		}
		return nil
	})
}
