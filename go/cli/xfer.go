package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// putObject sends size bytes of src as req: one PUT below threshold, else a parallel multipart
// upload (aborted on failure). It returns the answer's headers and the CRC64 of what was sent.
func putObject(ctx context.Context, c *oss.Client, req *oss.Request, src io.ReaderAt, size, threshold int64, cfg transfer.Config, add func(int64)) (http.Header, uint64, error) {
	if size >= max(threshold, 1) {
		up, err := transfer.UploadMultipart(ctx, c, req, src, size, cfg, add)
		if err != nil {
			return nil, 0, err
		}
		return up.Response.Header, up.CRC, nil
	}
	r := *req
	var body *crc.Reader
	r.GetBody = func() io.Reader {
		if body != nil {
			add(-body.N)
		}
		body = &crc.Reader{R: io.NewSectionReader(src, 0, size), Progress: add}
		return body
	}
	r.Body, r.ContentLength = r.GetBody(), size
	resp, err := c.Do(ctx, &r)
	if err != nil {
		return nil, 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Header, body.Sum, nil
}

// downloadFile fetches req into filename through a temporary file beside it, renamed over it
// only when complete (and, with verify, when the CRC64 matches): never a partial file.
func downloadFile(ctx context.Context, c *oss.Client, req *oss.Request, filename string, cfg transfer.Config, verify bool, add func(int64)) (http.Header, error) {
	dl, err := transfer.Open(ctx, c, req, cfg)
	if err != nil {
		return nil, err
	}
	defer dl.Close()
	dir, base := filepath.Split(filename)
	var rnd [6]byte
	rand.Read(rnd[:])
	f, err := os.OpenFile(filepath.Join(dir, "."+base+".jindo-"+hex.EncodeToString(rnd[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, err
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// Each worker reads into a buffer of this size: a 1 MiB buffer per small object would make
	// a tree of small files allocation-bound.
	bufSize := int(min(max(dl.Length, 32<<10), 1<<20))
	sum, err := dl.Fill(ctx, transfer.Sink{WriteAt: func(off int64, b []byte) error {
		_, err := f.WriteAt(b, off)
		return err
	}, Progress: add}, bufSize)
	if err != nil {
		return nil, err
	}
	if want := dl.Header.Get("x-oss-hash-crc64ecma"); verify && dl.Status == http.StatusOK && want != "" && want != strconv.FormatUint(sum, 10) {
		return nil, &oss.InconsistentError{Message: fmt.Sprintf("CRC64 of the data %d differs from OSS %s", sum, want), RequestID: dl.Header.Get("x-oss-request-id")}
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(f.Name(), filename); err != nil {
		return nil, err
	}
	done = true
	return dl.Header, nil
}
