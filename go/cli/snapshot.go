package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// snapshot is cp's --snapshot-path: a record of every file uploaded and object downloaded with
// the modification time it had (ossutil 1.7.19 keeps the same record in a LevelDB). A later
// run with the same directory skips a file whose time is unchanged (upload) or an object whose
// Last-Modified is (download), without asking OSS.
//
// The store is one file, DIR/jindo-snapshot.jsonl: one JSON line per transfer,
// {"k": key, "t": unix seconds}, appended with one write each as transfers succeed. A crash can
// only leave a partial last line, which loading ignores, so the record never claims a transfer
// that did not finish. Loading rewrites the file without duplicates (a temporary file renamed
// over it) when it has some. Keys, as ossutil's: an upload is "ABSPATH==>oss://bucket/key"; a
// download is "oss://bucket/key==>ABSPATH" (ossutil's is the object alone, so downloading it to a
// second place would be skipped; jindo's names both ends, and downloads a file removed since).
type snapshot struct {
	mu    sync.Mutex
	f     *os.File
	times map[string]int64
}

const snapshotFile = "jindo-snapshot.jsonl"

type snapshotLine struct {
	K string `json:"k"`
	T int64  `json:"t"`
}

func openSnapshot(dir string) (*snapshot, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("load snapshot error, reason: %w", err)
	}
	name := filepath.Join(dir, snapshotFile)
	s := &snapshot{times: map[string]int64{}}
	lines, err := s.load(name)
	if err != nil {
		return nil, fmt.Errorf("load snapshot error, reason: %w", err)
	}
	if lines != len(s.times) {
		if err := s.rewrite(name); err != nil {
			return nil, fmt.Errorf("load snapshot error, reason: %w", err)
		}
	}
	if s.f, err = os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
		return nil, fmt.Errorf("load snapshot error, reason: %w", err)
	}
	return s, nil
}

// load reads the records; lines counts the lines read, whole or not.
func (s *snapshot) load(name string) (lines int, err error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines++
		var l snapshotLine
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.K != "" {
			s.times[l.K] = l.T
		}
	}
	return lines, sc.Err()
}

func (s *snapshot) rewrite(name string) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), snapshotFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	for _, k := range sortedTimes(s.times) {
		w.Write(encodeLine(k, s.times[k]))
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// encodeLine is one record, newline included; ">" stays as it is (json.Marshal would escape it).
func encodeLine(key string, t int64) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(snapshotLine{K: key, T: t})
	return b.Bytes()
}

func sortedTimes(m map[string]int64) []string {
	h := make(map[string]string, len(m))
	for k := range m {
		h[k] = ""
	}
	return sortedNames(h)
}

// unchanged tells whether key was recorded with the time t.
func (s *snapshot) unchanged(key string, t time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.times[key]
	return ok && v == t.Unix()
}

// record notes a finished transfer.
func (s *snapshot) record(key string, t time.Time) error {
	line := encodeLine(key, t.Unix())
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.Write(line); err != nil {
		return fmt.Errorf("dump snapshot error: %w", err)
	}
	s.times[key] = t.Unix()
	return nil
}

func (s *snapshot) close() {
	if s != nil {
		s.f.Close()
	}
}

// snapshotKey is the record's key for task t, and the time to record for it.
func (cp *copier) snapshotKey(t task) string {
	if cp.op == opUpload {
		abs, _ := filepath.Abs(t.src)
		return abs + "==>" + cloudURL(cp.dstB, t.dst)
	}
	abs, _ := filepath.Abs(t.dst)
	return cloudURL(cp.srcB, t.src) + "==>" + abs
}

// snapshotSkips tells whether the snapshot says t is done already; it fills t's source time
// when the listing did not give it (one object named on the command line).
func (cp *copier) snapshotSkips(ctx context.Context, t *task) (bool, error) {
	if cp.cfg.snapshot == nil || t.dir {
		return false, nil
	}
	if t.mtime.IsZero() && cp.op == opDownload {
		_, size, mtime, err := cp.srcState(ctx, *t)
		if err != nil {
			return false, wrapObject(cp.srcB, t.src, err)
		}
		t.mtime = mtime
		if t.size < 0 {
			t.size = size
		}
	}
	if !cp.cfg.snapshot.unchanged(cp.snapshotKey(*t), t.mtime) {
		return false, nil
	}
	if cp.op == opDownload { // unlike ossutil, a file removed since is downloaded again
		if _, err := os.Stat(t.dst); err != nil {
			return false, nil
		}
	}
	return true, nil
}

// snapshotRecord notes t as done.
func (cp *copier) snapshotRecord(t task) error {
	if cp.cfg.snapshot == nil || t.dir || t.mtime.IsZero() {
		return nil
	}
	return cp.cfg.snapshot.record(cp.snapshotKey(t), t.mtime)
}

// snapshotConfig opens --snapshot-path for cp. With it, as in ossutil, an upload not in the
// snapshot overwrites without asking (the question is only asked without -u and the snapshot)
// and a download is skipped when the file is as new as the object, as with -u.
func (c *call) snapshotConfig(cfg *cpConfig) error {
	dir := c.opts.str("snapshot-path")
	if dir == "" {
		return nil
	}
	if len(c.opts.args) == 2 && isCloud(c.opts.args[0]) && isCloud(c.opts.args[1]) {
		return usagef("CopyObject doesn't support option --snapshot-path")
	}
	if len(c.opts.args) == 2 && isCloud(c.opts.args[0]) {
		cfg.update = true
	} else if !cfg.update {
		cfg.force = true
	}
	var err error
	cfg.snapshot, err = openSnapshot(dir)
	return err
}
