package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func syncCommand() *command {
	return &command{name: "sync", args: "SRC DST", summary: "make DST (a prefix or a directory) like SRC: copy what differs",
		options: append(append([]option{}, transferOptions...),
			option{"", "delete", flagBool, "delete what DST has and SRC lacks: listed first, then asked on a terminal (y/N); -f deletes without asking; a local DST needs --backup-dir"},
			option{"", "backup-dir", flagString, "with --delete and a local DST: move the files to delete here, under their relative paths (nothing local is ever unlinked)"},
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
	cp        *copier
	consent   bool   // -f: delete without asking
	backupDir string // where local files to delete are moved
	dst       map[string]entry
	mu        sync.Mutex
	seen      map[string]bool
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
	defer cfg.snapshot.close()
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
	s := &syncer{dst: map[string]entry{}, seen: map[string]bool{}, consent: c.opts.bool("force"), backupDir: c.opts.str("backup-dir")}
	del := c.opts.bool("delete")
	if s.backupDir != "" && !del {
		return usagef("sync: --backup-dir is for --delete")
	}
	if del && !isCloud(dst) {
		if err := checkBackupDir(s.backupDir, dst); err != nil {
			return err
		}
	}
	return transferTree(ctx, c, cfg, src, dst, func(cp *copier) error {
		s.cp = cp
		cp.decide, cp.listed = s.decide, s.list
		return s.listDestination(ctx)
	}, func(ctx context.Context, cp *copier) error {
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
			if err != nil && p != root && !os.IsNotExist(err) {
				// An unreadable directory is that directory's error, as in the source's scan:
				// reported and counted (so --delete will delete nothing), and the listing goes on.
				cp.fail(err)
				return cp.job.ctx.Err()
			}
			if err != nil || d.IsDir() {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			info, err := d.Info()
			if os.IsNotExist(err) {
				return nil // removed since the directory was read
			} else if err != nil {
				cp.fail(err)
				return cp.job.ctx.Err()
			}
			r, _ := filepath.Rel(root, p)
			s.dst[filepath.ToSlash(r)] = entry{size: info.Size(), mtime: info.ModTime()}
			return nil
		})
		return err
	}
	prefix := joinKey(cp.dstRoot, "")
	return walk(ctx, cp.c.client, cp.dstB, prefix, "", 0, func(o objectInfo) error {
		s.dst[strings.TrimPrefix(o.Key, prefix)] = entry{size: o.Size, mtime: o.LastModified}
		return nil
	}, nil)
}

// list notes a source item: the destination's entry of that name is not extra, even when the
// item is not copied (unchanged, or skipped by --snapshot-path without a comparison).
func (s *syncer) list(t task) {
	s.mu.Lock()
	s.seen[s.rel(t)] = true
	s.mu.Unlock()
}

func (s *syncer) decide(ctx context.Context, t task) (bool, error) {
	s.mu.Lock()
	d, ok := s.dst[s.rel(t)]
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
// filters): it lists them, then needs consent (-f, or "y" on a terminal) before deleting
// anything. Objects go in batch deletes; local files are moved to --backup-dir.
func (s *syncer) deleteExtra(ctx context.Context) error {
	cp := s.cp
	var extra []string
	for rel := range s.dst {
		if !s.seen[rel] && cp.cfg.filter.match(rel) {
			extra = append(extra, rel)
		}
	}
	if len(extra) == 0 {
		return nil
	}
	sort.Strings(extra)
	what := "objects"
	if cp.op == opDownload {
		what = "files"
	}
	if cp.cfg.dryRun {
		for _, rel := range extra {
			if cp.op == opDownload {
				cp.c.entry("move", s.dstName(rel), backupName(filepath.Join(s.backupDir, filepath.FromSlash(rel))))
			} else {
				cp.c.entry("delete", "", s.dstName(rel))
			}
		}
		if cp.c.json() {
			return nil
		}
		if cp.op == opDownload {
			cp.c.printf("Dry run: would move %d files to %s.\n", len(extra), s.backupDir)
		} else {
			cp.c.printf("Dry run: would delete %d %s.\n", len(extra), what)
		}
		return nil
	}
	if !s.consent {
		if err := s.ask(ctx, extra, what); err != nil {
			return err
		}
	}
	if cp.op == opDownload {
		return s.moveToBackup(ctx, extra)
	}
	prefix := joinKey(cp.dstRoot, "")
	removed, notDeleted := 0, 0
	defer func() {
		cp.mon.deleted.Add(int64(removed))
		if !cp.c.json() {
			cp.c.printf("Deleted %d objects.\n", removed)
		}
	}()
	for i := 0; i < len(extra); i += batchKeys {
		var keys []string
		for _, rel := range extra[i:min(i+batchKeys, len(extra))] {
			keys = append(keys, prefix+rel)
		}
		deleted, errs, err := transfer.DeleteMany(ctx, cp.c.client, cp.dstB, keys, 1, transfer.Meter{})
		removed += len(deleted)
		if err != nil {
			return wrapObject(cp.dstB, prefix, err)
		}
		notDeleted += reportNotDeleted(cp.c, cp.dstB, len(keys)-len(deleted), errs)
	}
	if notDeleted > 0 {
		return fmt.Errorf("%d objects could not be deleted", notDeleted)
	}
	return nil
}

// shownExtra is how many names the question lists before counting the rest (--dry-run lists all).
const shownExtra = 100

// ask lists what would be deleted and asks on a terminal. Without a terminal nobody can answer:
// nothing is deleted and the user is told how to confirm.
func (s *syncer) ask(ctx context.Context, extra []string, what string) error {
	c := s.cp.c
	shown := extra[:min(len(extra), shownExtra)]
	names := make([]string, len(shown))
	var text strings.Builder
	fmt.Fprintf(&text, "sync --delete: %d %s at the destination are not in the source:", len(extra), what)
	for i, rel := range shown {
		names[i] = s.dstName(rel)
		fmt.Fprintf(&text, "\n  %s", names[i])
	}
	if len(extra) > shownExtra {
		fmt.Fprintf(&text, "\n  ... and %d more (--dry-run lists them all)", len(extra)-shownExtra)
	}
	c.notice("extra", text.String(), map[string]any{"count": len(extra), "destinations": names, "not_shown": len(extra) - len(shown)})
	if !c.env.Interactive {
		return fmt.Errorf("nothing was deleted: no terminal to ask on; run again with -f to delete these %d %s", len(extra), what)
	}
	verb := "Delete"
	if s.cp.op == opDownload {
		verb = "Move to " + s.backupDir
	}
	yes, err := c.ask(ctx, fmt.Sprintf("%s these %d %s (y or N)? ", verb, len(extra), what))
	if err != nil {
		return err
	}
	if !yes {
		return fmt.Errorf("nothing was deleted: not confirmed")
	}
	return nil
}

// checkBackupDir refuses a local --delete without a backup directory, or with one inside the
// destination (its files would be listed as extra by the next sync).
func checkBackupDir(backup, dst string) error {
	if backup == "" {
		return usagef("sync --delete to a local directory needs --backup-dir DIR: the files it removes are moved there, never unlinked")
	}
	b, err1 := resolvedPath(backup)
	d, err2 := resolvedPath(dst)
	if err1 != nil || err2 != nil {
		return usagef("sync: cannot resolve %s or %s", backup, dst)
	}
	if r, err := filepath.Rel(d, b); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return usagef("sync: --backup-dir %s is inside the destination %s", backup, dst)
	}
	return nil
}

// moveToBackup moves each extra local file to the backup directory under its relative path
// (moveNoReplace: an earlier backup of that name is kept, never overwritten). A move never
// copies: a backup directory on another file system is refused, file by file.
func (s *syncer) moveToBackup(ctx context.Context, extra []string) error {
	cp := s.cp
	moved := 0
	defer func() {
		cp.mon.deleted.Add(int64(moved))
		if !cp.c.json() {
			cp.c.printf("Moved %d files to %s.\n", moved, s.backupDir)
		}
	}()
	for _, rel := range extra {
		if err := ctx.Err(); err != nil {
			return err
		}
		from := filepath.Join(cp.dstRoot, filepath.FromSlash(rel))
		to := filepath.Join(s.backupDir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(to), 0o777); err != nil {
			return err
		}
		if err := moveNoReplace(from, to); err != nil {
			if errors.Is(err, syscall.EXDEV) {
				return fmt.Errorf("--backup-dir %s is on another file system than %s: files are moved, never copied and unlinked", s.backupDir, cp.dstRoot)
			}
			return err
		}
		moved++
	}
	return nil
}

// moveNoReplace moves from to the first free name of to, to.1, to.2, ...: a hard link, which
// fails rather than replace a name taken since it was looked at, then the old name removed.
func moveNoReplace(from, to string) error {
	name := to
	for i := 1; ; i++ {
		err := os.Link(from, name)
		if err == nil {
			return os.Remove(from)
		}
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EOPNOTSUPP) {
			// a file system without hard links: a rename to a name just found free
			return os.Rename(from, backupName(to))
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		name = to + "." + strconv.Itoa(i)
	}
}

// backupName is the first of name, name.1, name.2, ... that does not exist yet: the name a dry
// run says moveNoReplace would take.
func backupName(name string) string {
	to := name
	for i := 1; ; i++ {
		if _, err := os.Lstat(to); err != nil {
			return to // absent (or not readable: then the rename says why)
		}
		to = name + "." + strconv.Itoa(i)
	}
}

func (s *syncer) dstName(rel string) string {
	if s.cp.op == opDownload {
		return filepath.Join(s.cp.dstRoot, filepath.FromSlash(rel))
	}
	return cloudURL(s.cp.dstB, joinKey(s.cp.dstRoot, rel))
}

// resolvedPath is p made absolute with its symlinks followed, so that two names of one
// directory compare equal; the part of p that does not exist yet is kept as written.
func resolvedPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if dir == filepath.Dir(dir) {
			return abs, nil
		}
		rest = append([]string{filepath.Base(dir)}, rest...)
	}
}
