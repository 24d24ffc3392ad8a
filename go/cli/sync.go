package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func syncCommand() *command {
	return &command{name: "sync", args: "SRC DST", summary: "make DST (a prefix or a directory) like SRC: copy what differs",
		options: append(append([]option{}, transferOptions...),
			option{"", "delete", flagBool, "delete what DST has and SRC lacks"},
			option{"", "size-only", flagBool, "an entry differs only when its size does"},
			option{"", "checksum", flagBool, "an entry differs when its CRC64 does (reads every file)"},
		), run: runSync}
}

// entry is what the destination has under a relative name.
type entry struct {
	size  int64
	mtime time.Time
	crc   string // objects: from the listing's HEAD, filled only for --checksum
}

// syncer compares each source entry with the destination's listing, read once at the start.
type syncer struct {
	cp   *copier
	dst  map[string]entry
	mu   sync.Mutex
	seen map[string]bool
}

func runSync(ctx context.Context, c *call) error {
	if err := c.wantArgs(2, 2); err != nil {
		return err
	}
	cfg, err := c.cpConfig()
	if err != nil {
		return err
	}
	if cfg.sizeOnly && cfg.checksum {
		return usagef("--size-only and --checksum exclude each other")
	}
	cfg.recursive, cfg.force = true, true
	src, dst := syncRoot(c.opts.args[0]), syncRoot(c.opts.args[1])
	// sync makes a tree like another: a single file as the source would make --delete remove
	// everything else under the destination. ossutil refuses it too.
	if !isCloud(src) {
		if st, err := os.Stat(src); err != nil {
			return err
		} else if !st.IsDir() {
			return usagef("sync: source %s is not a directory (use cp for one file)", src)
		}
	}
	s := &syncer{dst: map[string]entry{}, seen: map[string]bool{}}
	del := c.opts.bool("delete")
	return transferTree(ctx, c, cfg, src, dst, func(cp *copier) error {
		s.cp = cp
		cp.decide = s.decide
		return s.listDestination(ctx)
	}, func(cp *copier) error {
		if !del {
			return nil
		}
		return s.deleteExtra(ctx)
	})
}

// syncRoot makes an oss:// argument name a prefix, as ossutil's sync does: "oss://b/dir" is
// "oss://b/dir/", so it neither lists the siblings "dir2/..." nor names them at the destination.
func syncRoot(arg string) string {
	if isCloud(arg) && !strings.HasSuffix(arg, "/") && strings.Contains(arg[len("oss://"):], "/") {
		return arg + "/"
	}
	return arg
}

// rel is a task's destination name relative to the destination root, slash-separated.
func (s *syncer) rel(t task) string {
	if s.cp.op == opDownload {
		r, err := filepath.Rel(s.cp.dstRoot, t.dst)
		if err != nil {
			return t.dst
		}
		return filepath.ToSlash(r)
	}
	return strings.TrimPrefix(t.dst, joinKey(s.cp.dstRoot, ""))
}

func (s *syncer) listDestination(ctx context.Context) error {
	cp := s.cp
	if cp.op == opDownload {
		root := cp.dstRoot
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			r, _ := filepath.Rel(root, p)
			s.dst[filepath.ToSlash(r)] = entry{size: info.Size(), mtime: info.ModTime()}
			return nil
		})
		return err
	}
	prefix := joinKey(cp.dstRoot, "")
	return walk(ctx, cp.c.client, cp.dstB, prefix, "", func(o objectInfo) error {
		s.dst[strings.TrimPrefix(o.Key, prefix)] = entry{size: o.Size, mtime: o.LastModified}
		return nil
	}, nil)
}

func (s *syncer) decide(ctx context.Context, t task) (bool, error) {
	rel := s.rel(t)
	s.mu.Lock()
	s.seen[rel] = true
	d, ok := s.dst[rel]
	s.mu.Unlock()
	if !ok {
		return true, nil
	}
	if t.size >= 0 && t.size != d.size {
		return true, nil
	}
	cfg := s.cp.cfg
	switch {
	case cfg.sizeOnly:
		return false, nil
	case cfg.checksum:
		a, err := s.crcOf(ctx, t.src, s.cp.op != opUpload, s.cp.srcB)
		if err != nil {
			return false, err
		}
		b, err := s.crcOf(ctx, t.dst, s.cp.op != opDownload, s.cp.dstB)
		if err != nil {
			return false, err
		}
		return a != b, nil
	default:
		return t.mtime.Truncate(time.Second).After(d.mtime.Truncate(time.Second)), nil
	}
}

// crcOf is a file's CRC64, read through, or an object's as OSS reports it.
func (s *syncer) crcOf(ctx context.Context, name string, object bool, bucket string) (string, error) {
	if object {
		h, err := headObject(ctx, s.cp.c.client, bucket, name)
		if err != nil {
			return "", wrapObject(bucket, name, err)
		}
		return h.Get("x-oss-hash-crc64ecma"), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	r := &crc.Reader{R: &ctxReader{ctx: ctx, r: f}}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return "", err
	}
	return strconv.FormatUint(r.Sum, 10), nil
}

// deleteExtra removes what the destination has and the source did not list (within the
// filters), with batch deletes for objects.
func (s *syncer) deleteExtra(ctx context.Context) error {
	cp := s.cp
	var extra []string
	for rel := range s.dst {
		if !s.seen[rel] && cp.cfg.filter.match(rel) {
			extra = append(extra, rel)
		}
	}
	for _, rel := range extra {
		if cp.cfg.dryRun {
			cp.c.printf("delete %s\n", s.dstName(rel))
		}
	}
	if cp.cfg.dryRun || len(extra) == 0 {
		return nil
	}
	if cp.op == opDownload {
		for _, rel := range extra {
			if err := os.Remove(filepath.Join(cp.dstRoot, filepath.FromSlash(rel))); err != nil {
				return err
			}
		}
		cp.c.printf("Deleted %d files.\n", len(extra))
		return nil
	}
	prefix := joinKey(cp.dstRoot, "")
	removed, notDeleted := 0, 0
	for i := 0; i < len(extra); i += batchKeys {
		var keys []string
		for _, rel := range extra[i:min(i+batchKeys, len(extra))] {
			keys = append(keys, prefix+rel)
		}
		deleted, errs, err := transfer.DeleteMany(ctx, cp.c.client, cp.dstB, keys, 1, transfer.Meter{})
		if err != nil {
			return wrapObject(cp.dstB, prefix, err)
		}
		removed += len(deleted)
		notDeleted += reportNotDeleted(cp.c, cp.dstB, len(keys)-len(deleted), errs)
	}
	cp.c.printf("Deleted %d objects.\n", removed)
	if notDeleted > 0 {
		return fmt.Errorf("%d objects could not be deleted", notDeleted)
	}
	return nil
}

func (s *syncer) dstName(rel string) string {
	if s.cp.op == opDownload {
		return filepath.Join(s.cp.dstRoot, filepath.FromSlash(rel))
	}
	return cloudURL(s.cp.dstB, joinKey(s.cp.dstRoot, rel))
}
