package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// cp with "-": standard input to an object (`tar c . | jindo cp - oss://b/k`) and an object to
// standard output (`jindo cp oss://b/k - | tar x`), as s5cmd, `aws s3 cp` and rclone rcat/cat
// do. ossutil 1.x has no such mode. The bytes go through go/transfer (UploadStream, StreamTo):
// parts in parallel, memory bounded by the part size times the parts in flight.

// stdio is the argument that names standard input or output.
const stdio = "-"

// isStream tells whether a cp line streams (an argument is "-").
func isStream(src, dst string) bool { return src == stdio || dst == stdio }

func runStream(ctx context.Context, c *call, cfg *cpConfig, src, dst string) error {
	switch {
	case src == stdio && dst == stdio:
		return usagef("cp: - cannot be both SRC and DST")
	case cfg.recursive:
		return usagef("cp: -r copies trees: it cannot read from standard input or write to standard output")
	case cfg.update:
		return usagef("cp: -u compares modification times: standard input and output have none")
	case src == stdio && !isCloud(dst), dst == stdio && !isCloud(src):
		return usagef("cp: with -, the other argument must be an oss:// URL")
	}
	if src == stdio {
		return streamUpload(ctx, c, cfg, dst)
	}
	return streamDownload(ctx, c, cfg, src)
}

// object parses an oss:// URL that must name one object.
func streamObject(arg string) (ossURL, error) {
	u, err := parseCloud(arg)
	if err != nil {
		return u, err
	}
	if u.key == "" || strings.HasSuffix(u.key, "/") {
		return u, usagef("cp: %s names no object: a stream needs the object's full name", arg)
	}
	return u, nil
}

// streamDone ends a stream's monitor with the summary and returns what cp returns; a note, if
// any, follows the error.
func streamDone(ctx context.Context, c *call, mon *monitor, err error, note string, dryRun bool) error {
	if err != nil && ctx.Err() == nil {
		mon.failed.Add(1)
		c.reportError(err)
		if note != "" {
			c.notice("note", note, nil)
		}
	}
	if err == nil {
		mon.files.Add(1)
	}
	if ctx.Err() != nil {
		mon.finish(outcomeInterrupted, dryRun)
		return ctx.Err()
	}
	mon.finish(outcomeCompleted, dryRun)
	c.elapsed()
	if err != nil {
		return &someFailedError{n: 1}
	}
	return nil
}

// countingReader counts what is read: the total of a stream, known only as it is read.
type countingReader struct {
	r   io.Reader
	add func(int64)
}

func (r countingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.add(int64(n))
	return n, err
}

// streamUpload stores standard input as one object.
//
// Overwriting: cp asks before replacing an object unless -f is given, reading the answer on
// standard input. Here standard input is the data, so there is no asking, and neither ossutil's
// default when no answer comes (skip: the stream would be read for nothing, or not read at all
// and the pipe's writer killed by SIGPIPE) nor s5cmd's and aws's (overwrite silently) keeps
// cp's promise that an existing object is only replaced with consent. So without -f an
// existing object is an error (exit 1, nothing read), found by a HEAD before any byte is read
// and, against a writer racing us, by x-oss-forbid-overwrite on the PutObject or the completion
// (OSS checks it atomically; the upload is then aborted). -f overwrites, as in every other cp.
func streamUpload(ctx context.Context, c *call, cfg *cpConfig, dst string) error {
	switch {
	case cfg.rng != "":
		return usagef("--range is for downloading one object")
	case cfg.checkpointDir != "":
		return usagef("--checkpoint-dir cannot resume standard input: it cannot be read again")
	}
	u, err := streamObject(dst)
	if err != nil {
		return err
	}
	mon := newMonitor(c, opUpload)
	mon.scanned.Add(1)
	mon.scanning.Store(false)
	if !cfg.force {
		_, err := headObject(ctx, c.client, u.bucket, u.key)
		var se *oss.ServiceError
		switch {
		case err == nil:
			return streamDone(ctx, c, mon, existsError(u), "", false)
		case !errors.As(err, &se) || se.Status != http.StatusNotFound:
			return streamDone(ctx, c, mon, wrapObject(u.bucket, u.key, err), "", false)
		}
	}
	if cfg.dryRun {
		c.entry("upload", "(standard input)", cloudURL(u.bucket, u.key))
		return streamDone(ctx, c, mon, nil, "", true)
	}
	req := &oss.Request{Method: http.MethodPut, Bucket: u.bucket, Key: u.key, Header: cfg.objectHeader()}
	in := countingReader{c.env.Stdin, func(n int64) { mon.total.Add(n) }}
	// No --bigfile-threshold: the size is unknown until the end, so a stream that ends within
	// its first part is one PutObject and any longer one a multipart upload.
	res, err := transfer.UploadStream(ctx, c.client, req, in, cfg.transfer, !cfg.force, transfer.Meter{Add: mon.addBytes})
	switch {
	case isCode(err, "FileAlreadyExists"):
		err = existsError(u) // created by someone else while we read
	case err != nil:
		err = wrapObject(u.bucket, u.key, err)
	case cfg.verify:
		if cerr := oss.CheckCRC(oss.OpPutObject, res.CRC, res.Header); cerr != nil {
			err = wrapObject(u.bucket, u.key, fmt.Errorf("the object differs from the data read from standard input (it is corrupt): %w", cerr))
		}
	}
	return streamDone(ctx, c, mon, err, "", false)
}

func existsError(u ossURL) error {
	return wrapObject(u.bucket, u.key, errors.New("the object exists: give -f to overwrite it (cp cannot ask: standard input is the data)"))
}

func isCode(err error, code string) bool {
	var se *oss.ServiceError
	return errors.As(err, &se) && se.Code == code
}

// stdoutWriter remembers a failure of standard output, to tell it from a failure of OSS.
type stdoutWriter struct {
	w   io.Writer
	err error
}

func (s *stdoutWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// streamDownload writes one object to standard output, in order, parts fetched in parallel a
// bounded window ahead and pinned to the first answer's ETag. Standard output carries the data
// only: the summary, the dry run's line and errors go to standard error.
func streamDownload(ctx context.Context, c *call, cfg *cpConfig, src string) error {
	c.sideDocument()
	if cfg.checkpointDir != "" {
		return usagef("--checkpoint-dir is for uploads")
	}
	u, err := streamObject(src)
	if err != nil {
		return err
	}
	mon := newMonitor(c, opDownload)
	mon.scanned.Add(1)
	mon.scanning.Store(false)
	if cfg.dryRun {
		h, err := headObject(ctx, c.client, u.bucket, u.key)
		if err == nil {
			n, _ := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
			mon.total.Add(n)
			c.entry("download", cloudURL(u.bucket, u.key), "(standard output)")
		}
		return streamDone(ctx, c, mon, wrapObject(u.bucket, u.key, err), "", true)
	}
	req := &oss.Request{Method: http.MethodGet, Bucket: u.bucket, Key: u.key, Header: http.Header{}}
	if cfg.versionID != "" {
		req.Query = [][2]string{{"versionId", cfg.versionID}}
	}
	if cfg.rng != "" {
		req.Header.Set("Range", "bytes="+cfg.rng)
	}
	dl, err := transfer.Open(ctx, c.client, req, cfg.transfer)
	if err != nil {
		return streamDone(ctx, c, mon, wrapObject(u.bucket, u.key, err), "", false)
	}
	defer dl.Close()
	out := &stdoutWriter{w: c.env.Stdout}
	note := ""
	n, sum, err := transfer.StreamTo(ctx, dl, out, 0, transfer.Meter{Add: mon.addBytes, SetTotal: func(n int64) { mon.total.Store(n) }})
	switch {
	case out.err != nil:
		err = wrapObject(u.bucket, u.key, fmt.Errorf("writing standard output after %d bytes: %w", n, out.err))
	case err != nil:
		err = wrapObject(u.bucket, u.key, err)
		if n > 0 {
			note = fmt.Sprintf("The first %d bytes were already written to standard output: the output is incomplete.", n)
		}
	case cfg.verify && dl.Status == http.StatusOK:
		// The whole object (a --range that OSS ignored as invalid too): its CRC64 checks the
		// stream. A part of it has no CRC to compare with.
		if cerr := oss.CheckCRC(oss.OpGetObject, sum, dl.Header); cerr != nil {
			err = wrapObject(u.bucket, u.key, fmt.Errorf("the %d bytes written to standard output differ from the object: "+
				"the output is corrupt, and was already written: %w", n, cerr))
		}
	}
	return streamDone(ctx, c, mon, err, note, false)
}
