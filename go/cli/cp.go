package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// Defaults chosen by measurement (bench/): 64 files in flight hide the request latency of small
// files. OSS limits each connection, so a big file goes as fast as the parts in flight allow:
// ossutil 1.7.19 runs 10 for a 1 GiB file (12 for its largest); jindo runs 12 (1 GiB at 50 MB/s
// per connection and 8 ms: 560-600 MB/s down and 480-510 MB/s up; ossutil 460 and 360-415).
const (
	defaultJobs      = 64
	defaultParallel  = 12
	defaultPartSize  = transfer.DefaultPartSize
	defaultThreshold = 16 << 20
	// directMax is the largest item whose requests are direct exchanges (go/oss direct.go): each
	// written and read on its worker's goroutine, the request's head and body in one write,
	// none of net/http's hand-offs to a connection's two goroutines. 1,000 files of 16 KiB,
	// uncapped: client CPU 70 -> 58 ms up, 142 -> 124 ms down. Larger items keep net/http (go/oss
	// sends a body over 1 MiB through it anyway), as the big-file rows were measured with.
	directMax = 1 << 20
	// firstListPage is the first listing page of a download or copy of a prefix: the copies
	// begin once its keys are parsed, not those of a whole page of 1000 (ossutil lists 100 a
	// page throughout). 1,000 objects of 16 KiB down: the first GET came 11 -> 2 ms after the
	// listing's answer.
	firstListPage = 100
)

var transferOptions = []option{
	{"r", "recursive", flagBool, "copy a directory or a prefix, everything under it"},
	{"f", "force", flagBool, "overwrite without asking"},
	{"u", "update", flagBool, "copy only when the source is newer than the destination (or it is missing)"},
	{"", "include", flagList, "only names matching this glob (repeatable; order matters with --exclude)"},
	{"", "exclude", flagList, "not names matching this glob (repeatable)"},
	{"j", "jobs", flagInt, "files at once (default 64)"},
	{"", "parallel", flagInt, "parts at once per file (default 12)"},
	{"", "part-size", flagString, "bytes per part, e.g. 8M (default 8 MiB)"},
	{"", "bigfile-threshold", flagString, "files from this size go up as multipart uploads (default 16M)"},
	{"", "checkpoint-dir", flagString, "keep multipart uploads' progress here, to resume after a crash"},
	{"", "disable-crc64", flagBool, "do not check CRC64"},
	{"", "dry-run", flagBool, "print what would be copied, copy nothing"},
	disableIgnoreError,
}

// disableIgnoreError makes every error end a batch, as ossutil's option of that name.
var disableIgnoreError = option{"", "disable-ignore-error", flagBool,
	"stop at the first error of any kind (by default an error about one file or object is reported and the rest go on)"}

func cpCommand() *command {
	return &command{name: "cp", args: "SRC DST", summary: "copy files to OSS, objects to files, or objects within OSS; - streams standard input or output",
		options: append(append([]option{}, transferOptions...), option{"", "range", flagString, "download only this byte range: a-b, a- or -b"},
			option{"", "version-id", flagString, "the version of the source object to download or copy (versioned buckets)"}),
		run: runCp}
}

// cpConfig is a transfer's settings from the command line.
type cpConfig struct {
	recursive, force, update, dryRun, verify bool
	stopOnError                              bool // --disable-ignore-error
	jobs                                     int
	threshold                                int64
	transfer                                 transfer.Config
	checkpointDir, rng, versionID            string
	filter                                   *filter
	// sync: compare by size only, or by CRC64 content; nil decides by size and time.
	sizeOnly, checksum bool
	headers            http.Header // --meta, --acl, --storage-class, --tagging (headers.go)
	snapshot           *snapshot   // --snapshot-path (snapshot.go)
}

func (c *call) cpConfig() (*cpConfig, error) {
	cfg := &cpConfig{recursive: c.opts.bool("recursive"), force: c.opts.bool("force"), update: c.opts.bool("update"),
		dryRun: c.opts.bool("dry-run"), verify: !c.opts.bool("disable-crc64"), jobs: int(c.opts.int("jobs", defaultJobs)),
		stopOnError:   c.opts.bool("disable-ignore-error"),
		checkpointDir: c.opts.str("checkpoint-dir"), rng: c.opts.str("range"), versionID: c.opts.str("version-id"),
		sizeOnly: c.opts.bool("size-only"), checksum: c.opts.bool("checksum")}
	if cfg.jobs < 1 {
		return nil, usagef("--jobs and --parallel must be at least 1")
	}
	var err error
	if cfg.transfer, err = c.transferConfig(); err != nil {
		return nil, err
	}
	// The SDK's repair: a whole-object download whose parts do not add up to the object's CRC64
	// fetches the wrong parts again instead of failing the file.
	cfg.transfer.CheckCRC = cfg.verify
	cfg.threshold = defaultThreshold
	if v := c.opts.str("bigfile-threshold"); v != "" {
		if cfg.threshold, err = parseSize(v); err != nil {
			return nil, usagef("--bigfile-threshold: %v", err)
		}
	}
	if cfg.filter, err = newFilter(c.raw); err != nil {
		return nil, err
	}
	if cfg.headers, err = c.cpHeaders(); err != nil {
		return nil, err
	}
	if err := c.snapshotConfig(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// transferConfig is how a command moves one object's bytes (cp, sync, cat): --parallel parts
// at once, --part-size, and the parts' retries under --retry-times, as the requests' (with
// the zero Policy a part would get 3 attempts whatever the command line said).
func (c *call) transferConfig() (transfer.Config, error) {
	cfg := transfer.Config{Concurrency: int(c.opts.int("parallel", defaultParallel)), PartSize: defaultPartSize}
	if cfg.Concurrency < 1 {
		return cfg, usagef("--parallel must be at least 1")
	}
	if v := c.opts.str("part-size"); v != "" {
		var err error
		if cfg.PartSize, err = parseSize(v); err != nil || cfg.PartSize < 100<<10 {
			return cfg, usagef("--part-size must be a size of at least 100K, not %q", v)
		}
	}
	if c.settings != nil {
		cfg.Retry = retry.New(c.settings.Attempts, 0)
		cfg.Retry.Notify = c.retryNotifier()
	}
	return cfg, nil
}

// task is one file or object to copy.
type task struct {
	src, dst string    // local path or key
	size     int64     // -1 unknown
	mtime    time.Time // zero unknown
	dir      bool      // a directory: an empty one becomes "name/" in OSS, and the reverse
}

// copier runs tasks on cfg.jobs workers, routing their errors through its job.
type copier struct {
	*job
	c                *call
	cfg              *cpConfig
	op               op
	srcB             string   // source bucket (download, copy)
	dstB             string   // destination bucket (upload, copy)
	srcRoot, dstRoot string   // the prefix or directory given on the command line
	madeDirs         sync.Map // local directories known to exist: one MkdirAll each, not one a file
	// decide, when set, replaces -f/-u/asking: sync compares with the destination's listing.
	decide func(ctx context.Context, t task) (bool, error)
	// listed, when set, is told of every item the source has (within the filters) as it is
	// found, whether it is then copied or skipped (sync --delete keeps what it was told of).
	listed func(t task)
}

func runCp(ctx context.Context, c *call) error {
	if err := c.wantArgs(2, 2); err != nil {
		return err
	}
	cfg, err := c.cpConfig()
	if err != nil {
		return err
	}
	if src, dst := c.opts.args[0], c.opts.args[1]; isStream(src, dst) {
		return runStream(ctx, c, cfg, src, dst) // stream.go
	}
	defer cfg.snapshot.close()
	return transferTree(ctx, c, cfg, c.opts.args[0], c.opts.args[1], nil, nil)
}

// transferTree copies src to dst (cp, and sync's copying half). setup, when given, runs once
// the direction is known and before any copy; plan after all copies succeeded (sync --delete).
func transferTree(ctx context.Context, c *call, cfg *cpConfig, src, dst string, setup func(*copier) error, plan func(context.Context, *copier) error) error {
	cp := &copier{c: c, cfg: cfg}
	var produce func(ctx context.Context, out chan<- task) error
	switch {
	case !isCloud(src) && isCloud(dst):
		u, err := parseCloud(dst)
		if err != nil {
			return err
		}
		cp.op, cp.dstB, cp.srcRoot, cp.dstRoot = opUpload, u.bucket, src, u.key
		produce, err = cp.uploads(src, u.key)
		if err != nil {
			return err
		}
	case isCloud(src) && !isCloud(dst):
		u, err := parseCloud(src)
		if err != nil {
			return err
		}
		cp.op, cp.srcB, cp.srcRoot, cp.dstRoot = opDownload, u.bucket, u.key, dst
		produce, err = cp.downloads(ctx, u.key, dst)
		if err != nil {
			return err
		}
	case isCloud(src) && isCloud(dst):
		s, err := parseCloud(src)
		if err != nil {
			return err
		}
		d, err := parseCloud(dst)
		if err != nil {
			return err
		}
		if cfg.recursive && s.bucket == d.bucket {
			if err := overlapping(s, d); err != nil {
				return err
			}
		}
		cp.op, cp.srcB, cp.dstB, cp.srcRoot, cp.dstRoot = opCopy, s.bucket, d.bucket, s.key, d.key
		produce, err = cp.copies(ctx, s.key, d.key)
		if err != nil {
			return err
		}
	default:
		return usagef("%s: one of SRC and DST must be an oss:// URL", c.cmd.name)
	}
	if cfg.rng != "" && (cp.op != opDownload || cfg.recursive) {
		return usagef("--range is for downloading one object")
	}
	if cfg.versionID != "" && (cp.op == opUpload || cfg.recursive) {
		return usagef("--version-id names a version of one source object: it is for downloading or copying one object")
	}
	cp.job = newJob(ctx, c, newMonitor(c, cp.op), cfg.stopOnError)
	defer cp.stop()
	if setup != nil {
		if err := setup(cp); err != nil {
			// Nothing can be compared without the destination's listing: the job ends here,
			// with its summary, as after any job-ending error (or Ctrl-C).
			if ctx.Err() == nil {
				cp.halt(err)
			}
			return cp.end(ctx, cfg.dryRun)
		}
	}
	jobCtx := cp.job.ctx
	tasks := make(chan task, cfg.jobs)
	go func() {
		defer close(tasks)
		if err := produce(jobCtx, tasks); err != nil {
			cp.fail(err)
		}
		cp.mon.scanning.Store(false)
	}()
	// The first item goes alone: if the credentials, the bucket or the endpoint are wrong, one
	// request finds out, not one per worker. Once it is done the others go cfg.jobs at once.
	for alone := true; alone; {
		t, ok := <-tasks
		if !ok {
			break
		}
		if jobCtx.Err() != nil {
			continue // drain: the producer stops at the cancelled context
		}
		skipped := cp.mon.skipped.Load()
		err := cp.run(jobCtx, t)
		if err != nil {
			cp.fail(err)
		}
		// sync's skips are decided from the listing, with no request: they prove nothing
		// about the job, so the next item goes alone too.
		alone = err == nil && cp.decide != nil && cp.mon.skipped.Load() != skipped
	}
	// Workers that live for the job, as eachObject's, not a goroutine per item: each new one
	// grew its stack again down the request path (1,000 files of 16 KiB: 79 -> 70 ms of CPU).
	var wg sync.WaitGroup
	for range cfg.jobs {
		wg.Go(func() {
			for t := range tasks {
				if jobCtx.Err() != nil {
					continue // drain: the producer stops at the cancelled context
				}
				if err := cp.run(jobCtx, t); err != nil {
					cp.fail(err)
				}
			}
		})
	}
	wg.Wait()
	if plan != nil && jobCtx.Err() == nil {
		if n := cp.mon.failed.Load(); n > 0 {
			// As rsync does after I/O errors: what failed to copy must not look extra.
			c.reportError(fmt.Errorf("%d items failed: nothing was deleted at the destination", n))
		} else if err := plan(jobCtx, cp); err != nil {
			cp.fail(err)
		}
	}
	return cp.end(ctx, cfg.dryRun)
}

// overlapping refuses a recursive copy within one bucket whose source prefix and destination
// prefix contain one another, as ossutil does: a destination under the source is listed as source
// while it is being written (each copy copied again, and again), and a source under the
// destination can be overwritten by the copies of other source objects before it is read.
func overlapping(src, dst ossURL) error {
	switch {
	case strings.HasPrefix(dst.key, src.key):
		return usagef("%s is inside %s: a recursive copy would copy its own copies again", cloudURL(dst.bucket, dst.key), cloudURL(src.bucket, src.key))
	case strings.HasPrefix(src.key, dst.key):
		return usagef("%s is inside %s: a recursive copy could overwrite source objects before they are copied", cloudURL(src.bucket, src.key), cloudURL(dst.bucket, dst.key))
	}
	return nil
}

// joinKey puts a relative name under a prefix, adding the "/" a directory-like prefix lacks.
func joinKey(prefix, rel string) string {
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return prefix + rel
}

// uploads enumerates local files: one file, or with -r a directory tree (streamed as walked).
func (cp *copier) uploads(src, prefix string) (func(context.Context, chan<- task) error, error) {
	st, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		key := prefix
		if key == "" || strings.HasSuffix(key, "/") {
			key += filepath.Base(src)
		}
		return func(ctx context.Context, out chan<- task) error {
			return cp.emit(ctx, out, task{src: src, dst: key, size: st.Size(), mtime: st.ModTime()})
		}, nil
	}
	if !cp.cfg.recursive {
		return nil, usagef("%s is a directory: give -r to copy it", src)
	}
	// WalkDir hands out cleaned paths ("src/" walks as "src/a", "./src" as "src/a"): names are
	// taken relative to the cleaned root, so any spelling of the source gives the same keys.
	root := filepath.Clean(src)
	return func(ctx context.Context, out chan<- task) error {
		return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root {
					return err
				}
				// One unreadable directory or vanished file: reported, and the scan goes on
				// (a directory's contents are skipped). A full disk or an interrupt still ends it.
				cp.fail(err)
				return cp.job.ctx.Err()
			}
			if p == root {
				return nil
			}
			r, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			rel := filepath.ToSlash(r)
			if d.IsDir() {
				if empty, _ := isEmptyDir(p); !empty || !cp.cfg.filter.match(rel+"/") {
					return nil
				}
				return cp.emit(ctx, out, task{src: p, dst: joinKey(prefix, rel) + "/", dir: true})
			}
			if !cp.cfg.filter.match(rel) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				cp.fail(err)
				return cp.job.ctx.Err()
			}
			if !info.Mode().IsRegular() {
				if info, err = os.Stat(p); err != nil || !info.Mode().IsRegular() {
					return nil // sockets, devices, broken links
				}
			}
			return cp.emit(ctx, out, task{src: p, dst: joinKey(prefix, rel), size: info.Size(), mtime: info.ModTime()})
		})
	}, nil
}

func isEmptyDir(p string) (bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	return len(names) == 0 && err != nil, nil
}

func (cp *copier) emit(ctx context.Context, out chan<- task, t task) error {
	if cp.listed != nil {
		cp.listed(t)
	}
	cp.mon.scanned.Add(1)
	if t.size > 0 {
		cp.mon.total.Add(t.size)
	}
	select {
	case out <- t:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// relativeKey is the name an object listed under prefix keeps at the destination: what follows
// the prefix's last "/", as ossutil names it. A prefix without a trailing "/" also lists its
// siblings ("dir" lists "dir/a" and "dirfile"), so their names keep that last component
// ("dir/a", "dirfile") instead of losing part of it to the prefix ("/a", "file").
func relativeKey(prefix, key string) string {
	return key[strings.LastIndex(prefix, "/")+1:]
}

// safeRel refuses object names that would land outside the target directory.
func safeRel(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part == ".." {
			return false
		}
	}
	return !strings.HasPrefix(rel, "/")
}

// downloads enumerates objects: one, or with -r every object under the prefix (streamed).
func (cp *copier) downloads(ctx context.Context, key, dst string) (func(context.Context, chan<- task) error, error) {
	if !cp.cfg.recursive {
		if key == "" || strings.HasSuffix(key, "/") {
			return nil, usagef("%s names no object: give -r to copy a prefix", cloudURL(cp.srcB, key))
		}
		target := dst
		if st, err := os.Stat(dst); (err == nil && st.IsDir()) || strings.HasSuffix(dst, "/") || strings.HasSuffix(dst, string(filepath.Separator)) {
			target = filepath.Join(dst, path.Base(key))
		}
		return func(ctx context.Context, out chan<- task) error {
			return cp.emit(ctx, out, task{src: key, dst: target, size: -1})
		}, nil
	}
	return func(ctx context.Context, out chan<- task) error {
		return walk(ctx, cp.c.client, cp.srcB, key, "", firstListPage, func(o objectInfo) error {
			rel := relativeKey(key, o.Key)
			if rel == "" || !cp.cfg.filter.match(rel) {
				return nil
			}
			if !safeRel(rel) {
				cp.fail(fmt.Errorf("%s: the name leaves the target directory; skipped", cloudURL(cp.srcB, o.Key)))
				return nil
			}
			t := task{src: o.Key, dst: filepath.Join(dst, filepath.FromSlash(rel)), size: o.Size, mtime: o.LastModified}
			if strings.HasSuffix(rel, "/") {
				t.dir, t.size = true, 0
			}
			return cp.emit(ctx, out, t)
		}, nil)
	}, nil
}

// copies enumerates objects to copy within OSS.
func (cp *copier) copies(ctx context.Context, key, dstKey string) (func(context.Context, chan<- task) error, error) {
	if !cp.cfg.recursive {
		if key == "" {
			return nil, usagef("%s names no object: give -r to copy a prefix", cloudURL(cp.srcB, key))
		}
		if dstKey == "" || strings.HasSuffix(dstKey, "/") {
			dstKey += path.Base(key)
		}
		return func(ctx context.Context, out chan<- task) error {
			return cp.emit(ctx, out, task{src: key, dst: dstKey, size: -1})
		}, nil
	}
	return func(ctx context.Context, out chan<- task) error {
		return walk(ctx, cp.c.client, cp.srcB, key, "", firstListPage, func(o objectInfo) error {
			rel := relativeKey(key, o.Key)
			if rel == "" || !cp.cfg.filter.match(rel) {
				return nil
			}
			return cp.emit(ctx, out, task{src: o.Key, dst: joinKey(dstKey, rel), size: o.Size, mtime: o.LastModified})
		}, nil)
	}, nil
}

// dstState is what is at a task's destination: whether it exists, its size and time.
func (cp *copier) dstState(ctx context.Context, t task) (exists bool, size int64, mtime time.Time, err error) {
	if cp.op == opDownload {
		st, err := os.Stat(t.dst)
		if errors.Is(err, fs.ErrNotExist) {
			return false, 0, time.Time{}, nil
		}
		if err != nil {
			return false, 0, time.Time{}, err
		}
		return true, st.Size(), st.ModTime(), nil
	}
	h, err := headObject(ctx, cp.c.client, cp.dstB, t.dst)
	var se *oss.ServiceError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return false, 0, time.Time{}, nil
	}
	if err != nil {
		return false, 0, time.Time{}, wrapObject(cp.dstB, t.dst, err)
	}
	size, _ = strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	mtime, _ = http.ParseTime(h.Get("Last-Modified"))
	return true, size, mtime, nil
}

// proceed decides whether a task runs: -u compares times, without -f an existing destination
// is asked about on stdin (no answer: left alone).
func (cp *copier) proceed(ctx context.Context, t task) (bool, error) {
	if cp.decide != nil {
		return cp.decide(ctx, t)
	}
	if cp.cfg.force && !cp.cfg.update {
		return true, nil
	}
	exists, _, mtime, err := cp.dstState(ctx, t)
	if err != nil || !exists {
		return err == nil, err
	}
	if cp.cfg.update {
		if t.mtime.IsZero() {
			if _, _, srcTime, err := cp.srcState(ctx, t); err == nil {
				t.mtime = srcTime
			}
		}
		// Object times have whole seconds: a source within the same second is not newer.
		return t.mtime.Truncate(time.Second).After(mtime.Truncate(time.Second)), nil
	}
	return cp.c.ask(ctx, fmt.Sprintf("cp: overwrite %q(y or N)? ", cp.dstURL(t)))
}

func (cp *copier) srcState(ctx context.Context, t task) (bool, int64, time.Time, error) {
	h, err := headObject(ctx, cp.c.client, cp.srcB, t.src)
	if err != nil {
		return false, 0, time.Time{}, err
	}
	size, _ := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	mtime, _ := http.ParseTime(h.Get("Last-Modified"))
	return true, size, mtime, nil
}

func (cp *copier) dstURL(t task) string {
	if cp.op == opDownload {
		return t.dst
	}
	return cloudURL(cp.dstB, t.dst)
}

func (cp *copier) srcURL(t task) string {
	if cp.op == opUpload {
		return t.src
	}
	return cloudURL(cp.srcB, t.src)
}

func (cp *copier) skip(t task) {
	cp.mon.skipped.Add(1)
	if t.size > 0 {
		cp.mon.skippedBytes.Add(t.size)
		cp.mon.total.Add(-t.size)
	}
}

// run copies one task. The bytes it moved count in the summary only if it succeeds: a file
// refused after its body was sent was not transferred.
func (cp *copier) run(ctx context.Context, t task) error {
	if t.size >= 0 && t.size <= directMax {
		ctx = oss.WithDirect(ctx, &oss.DirectRun{})
	}
	done, err := cp.snapshotSkips(ctx, &t)
	if err != nil {
		return err
	}
	ok := !done
	if ok {
		if ok, err = cp.proceed(ctx, t); err != nil {
			return err
		}
	}
	if !ok {
		cp.skip(t)
		return nil
	}
	if cp.cfg.dryRun {
		cp.c.entry(string(cp.op), cp.srcURL(t), cp.dstURL(t))
		cp.count(t)
		return nil
	}
	var moved atomic.Int64
	add := func(n int64) {
		moved.Add(n)
		cp.mon.addBytes(n)
	}
	switch cp.op {
	case opUpload:
		err = cp.upload(ctx, t, add)
	case opDownload:
		err = cp.download(ctx, t, add)
	default:
		err = cp.copyObject(ctx, t, add)
	}
	if err != nil {
		cp.mon.addBytes(-moved.Load())
		return err
	}
	cp.count(t)
	return cp.snapshotRecord(t)
}

func (cp *copier) count(t task) {
	if t.dir {
		cp.mon.dirs.Add(1)
	} else {
		cp.mon.files.Add(1)
	}
}

func (cp *copier) upload(ctx context.Context, t task, add func(int64)) error {
	req := &oss.Request{Method: http.MethodPut, Bucket: cp.dstB, Key: t.dst, Header: cp.cfg.objectHeader()}
	if t.dir {
		_, err := transfer.Put(ctx, cp.c.client, req, strings.NewReader(""), 0, -1, cp.cfg.transfer, transfer.Meter{})
		return wrapObject(cp.dstB, t.dst, err)
	}
	// Go's table, as ossutil guesses. pyjindo's Python uploads guess as oss2 does, with Python's
	// mimetypes (pyjindo/utils.py): the two tools' tables differ, and each front end keeps its own.
	if ct := mime.TypeByExtension(path.Ext(t.src)); ct != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", ct)
	}
	f, err := os.Open(t.src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() != t.size { // grew or shrank since listed: send what is there now
		cp.mon.total.Add(st.Size() - t.size)
	}
	var h http.Header
	var sum uint64
	if cp.cfg.checkpointDir != "" && st.Size() >= max(cp.cfg.threshold, 1) {
		h, sum, err = cp.resumableUpload(ctx, req, f, st, add)
	} else {
		var res *transfer.PutResult
		if res, err = transfer.Put(ctx, cp.c.client, req, f, st.Size(), cp.cfg.threshold, cp.cfg.transfer, transfer.Meter{Add: add}); err == nil {
			h, sum = res.Header, res.CRC
		}
	}
	if err != nil {
		return wrapObject(cp.dstB, t.dst, err)
	}
	if cp.cfg.verify {
		if err := oss.CheckCRC(oss.OpPutObject, sum, h); err != nil {
			return wrapObject(cp.dstB, t.dst, fmt.Errorf("the object differs from the file %s: %w", t.src, err))
		}
	}
	return nil
}

func (cp *copier) download(ctx context.Context, t task, add func(int64)) error {
	if t.dir {
		return cp.mkdirAll(t.dst)
	}
	if err := cp.mkdirAll(filepath.Dir(t.dst)); err != nil {
		return err
	}
	req := &oss.Request{Method: http.MethodGet, Bucket: cp.srcB, Key: t.src, Header: http.Header{}}
	if cp.cfg.versionID != "" {
		req.Query = [][2]string{{"versionId", cp.cfg.versionID}}
	}
	if cp.cfg.rng != "" {
		req.Header.Set("Range", "bytes="+cp.cfg.rng)
	}
	counted := t.size >= 0
	res, err := transfer.DownloadFile(ctx, cp.c.client, req, t.dst, cp.cfg.transfer, cp.cfg.verify && cp.cfg.rng == "", transfer.Meter{Add: add})
	if err != nil {
		return wrapObject(cp.srcB, t.src, err)
	}
	h := res.Header
	if !counted {
		n, _ := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
		cp.mon.total.Add(n)
	}
	if res.Stream {
		return nil // a device or a FIFO written through keeps its times
	}
	if !t.mtime.IsZero() {
		os.Chtimes(t.dst, t.mtime, t.mtime) // -u compares times: the file takes the object's
	} else if lm, err := http.ParseTime(h.Get("Last-Modified")); err == nil {
		os.Chtimes(t.dst, lm, lm)
	}
	return nil
}

func (cp *copier) mkdirAll(dir string) error {
	if _, ok := cp.madeDirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	cp.madeDirs.Store(dir, true)
	return nil
}

// copyObject copies within OSS, server-side: CopyObject, or UploadPartCopy parts (--parallel at
// once) for a source larger than 1 GiB, which CopyObject refuses.
func (cp *copier) copyObject(ctx context.Context, t task, add func(int64)) error {
	if t.size < 0 { // one object named on the command line: its size picks the way to copy
		if res, err := oss.HeadObjectVersion(ctx, cp.c.client, cp.srcB, t.src, cp.cfg.versionID); err == nil {
			t.size, _ = strconv.ParseInt(res.Header.Get("Content-Length"), 10, 64)
		}
	}
	req := transfer.CopyRequest{SrcBucket: cp.srcB, SrcKey: t.src, SrcVersionID: cp.cfg.versionID, DstBucket: cp.dstB, DstKey: t.dst,
		Overwrite: true, Size: t.size, Header: cp.cfg.headers}
	var err error
	if t.size > transfer.MultipartCopyThreshold {
		_, err = transfer.CopyMultipart(ctx, cp.c.client, req, transfer.CopyPartSize, cp.cfg.transfer.Concurrency,
			transfer.Meter{Add: add})
	} else if _, err = transfer.Copy(ctx, cp.c.client, req); err == nil && t.size > 0 {
		add(t.size)
	}
	if err != nil {
		return wrapObject(cp.dstB, t.dst, err)
	}
	return nil
}
