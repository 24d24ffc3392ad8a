package cli

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func mbCommand() *command {
	return &command{name: "mb", args: "oss://bucket", summary: "create a bucket",
		options: []option{
			{"", "acl", flagString, "private, public-read or public-read-write"},
			{"", "storage-class", flagString, "Standard, IA, Archive or ColdArchive"},
			dryRunOption,
		}, run: func(ctx context.Context, c *call) error {
			u, err := c.onlyCloudArg()
			if err != nil {
				return err
			}
			if u.key != "" {
				return usagef("mb takes a bucket, not an object: %s", c.opts.args[0])
			}
			if c.opts.bool("dry-run") {
				return c.dryRunOne("make bucket", "oss://"+u.bucket)
			}
			req := &oss.CreateBucketRequest{Bucket: u.bucket, ACL: c.opts.str("acl"), StorageClass: c.opts.str("storage-class")}
			if _, err := oss.CreateBucket(ctx, c.client, req); err != nil {
				return wrapObject(u.bucket, "", err)
			}
			c.elapsed()
			return nil
		}}
}

func rbCommand() *command {
	return &command{name: "rb", args: "oss://bucket", summary: "delete an empty bucket",
		options: []option{dryRunOption},
		run: func(ctx context.Context, c *call) error {
			u, err := c.onlyCloudArg()
			if err != nil {
				return err
			}
			if u.key != "" {
				return usagef("rb takes a bucket, not an object: %s", c.opts.args[0])
			}
			if c.opts.bool("dry-run") {
				return c.dryRunOne("remove bucket", "oss://"+u.bucket)
			}
			if _, err := oss.DeleteBucket(ctx, c.client, u.bucket); err != nil {
				return wrapObject(u.bucket, "", err)
			}
			c.elapsed()
			return nil
		}}
}

func mkdirCommand() *command {
	return &command{name: "mkdir", args: "oss://bucket/dir", summary: "create a directory (an empty object whose key ends in /)",
		options: []option{dryRunOption},
		run: func(ctx context.Context, c *call) error {
			u, err := c.onlyCloudArg()
			if err != nil {
				return err
			}
			if u.key == "" {
				return usagef("mkdir needs a directory name: oss://bucket/dir")
			}
			if !strings.HasSuffix(u.key, "/") {
				u.key += "/"
			}
			if c.opts.bool("dry-run") {
				return c.dryRunOne("make directory", cloudURL(u.bucket, u.key))
			}
			if _, err := transfer.Put(ctx, c.client, &oss.Request{Method: http.MethodPut, Bucket: u.bucket, Key: u.key},
				strings.NewReader(""), 0, -1, transfer.Config{}, transfer.Meter{}); err != nil {
				return wrapObject(u.bucket, u.key, err)
			}
			c.elapsed()
			return nil
		}}
}

func catCommand() *command {
	return &command{name: "cat", args: "oss://bucket/object", summary: "write an object to standard output",
		options: []option{
			{"", "parallel", flagInt, "parts fetched at once (default 12)"},
			{"", "part-size", flagString, "bytes per part, e.g. 8M (default 8 MiB)"},
		}, run: func(ctx context.Context, c *call) error {
			u, err := c.onlyCloudArg()
			if err != nil {
				return err
			}
			if u.key == "" {
				return usagef("cat needs an object: oss://bucket/object")
			}
			cfg, err := c.transferConfig()
			if err != nil {
				return err
			}
			dl, err := transfer.Open(ctx, c.client, &oss.Request{Method: http.MethodGet, Bucket: u.bucket, Key: u.key}, cfg)
			if err != nil {
				return wrapObject(u.bucket, u.key, err)
			}
			defer dl.Close()
			// Standard output is the data: json's summary goes to stderr, as with cp ... -.
			c.sideDocument()
			_, sum, err := transfer.StreamTo(ctx, dl, c.env.Stdout, 0, transfer.Meter{})
			if err != nil {
				return wrapObject(u.bucket, u.key, err)
			}
			if err := oss.CheckCRC(oss.OpGetObject, sum, dl.Header); err != nil {
				return wrapObject(u.bucket, u.key, fmt.Errorf("the data written differs from the object: %w", err))
			}
			return nil
		}}
}

func presignCommand() *command {
	return &command{name: "presign", args: "oss://bucket/object", summary: "print a signed URL for the object (alias: sign)",
		options: []option{
			{"", "timeout", flagInt, "seconds the URL stays valid (default 60)"},
			{"", "expires-duration", flagString, "how long the URL stays valid, e.g. 1h30m (instead of --timeout)"},
			{"", "method", flagString, "HTTP method the URL is for (default GET)"},
			{"", "content-type", flagString, "the Content-Type the request will send (signed into the URL: a PUT must then send exactly this)"},
		}, run: runPresign}
}

func runPresign(ctx context.Context, c *call) error {
	u, err := c.onlyCloudArg()
	if err != nil {
		return err
	}
	if u.key == "" {
		return usagef("presign needs an object: oss://bucket/object")
	}
	expires := c.opts.int("timeout", 60)
	if v := c.opts.str("expires-duration"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			if d, err = time.ParseDuration(v + "s"); err != nil {
				return usagef("--expires-duration: bad duration %q", v)
			}
		}
		expires = int64(d / time.Second)
	}
	if expires <= 0 {
		return usagef("the URL must stay valid for at least a second")
	}
	method := strings.ToUpper(c.opts.str("method"))
	if method == "" {
		method = http.MethodGet
	}
	h := http.Header{}
	if ct := c.opts.str("content-type"); ct != "" {
		h.Set("Content-Type", ct)
	}
	now := time.Now()
	url, err := c.client.PresignContext(ctx, &oss.Request{Method: method, Bucket: u.bucket, Key: u.key, Header: h}, expires, true, nil, now)
	if err != nil {
		return err
	}
	if c.json() {
		doc := map[string]any{"url": url, "method": method, "expires": now.Add(time.Duration(expires) * time.Second).UTC().Format(time.RFC3339)}
		if ct := h.Get("Content-Type"); ct != "" {
			doc["content_type"] = ct
		}
		return c.printJSON(doc)
	}
	c.printf("%s\n", url)
	c.elapsed()
	return nil
}

func hashCommand() *command {
	return &command{name: "hash", args: "FILE", summary: "CRC64 (as OSS computes it) or MD5 of a local file",
		offline: true,
		options: []option{{"", "type", flagString, "crc64 (default) or md5"}},
		run: func(ctx context.Context, c *call) error {
			if err := c.wantArgs(1, 1); err != nil {
				return err
			}
			kind := strings.ToLower(c.opts.str("type"))
			if kind == "" {
				kind = "crc64"
			}
			if kind != "crc64" && kind != "md5" {
				return usagef("--type must be crc64 or md5, not %q", kind)
			}
			f, err := os.Open(c.opts.args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			r := io.Reader(&ctxReader{ctx: ctx, r: f})
			if kind == "md5" {
				h := md5.New()
				if _, err := io.Copy(h, r); err != nil {
					return fmt.Errorf("hash %s: %w", c.opts.args[0], err)
				}
				sum := h.Sum(nil)
				if c.json() {
					return c.printJSON(map[string]string{"file": c.opts.args[0], "md5": fmt.Sprintf("%X", sum), "content_md5": base64.StdEncoding.EncodeToString(sum)})
				}
				c.printf("%-28s: %X\n", "MD5", sum)
				c.printf("%-28s: %s\n", "Content-MD5", base64.StdEncoding.EncodeToString(sum))
			} else {
				cr := &crc.Reader{R: r}
				if _, err := io.Copy(io.Discard, cr); err != nil {
					return fmt.Errorf("hash %s: %w", c.opts.args[0], err)
				}
				if c.json() {
					return c.printJSON(map[string]any{"file": c.opts.args[0], "crc64ecma": strconv.FormatUint(cr.Sum, 10)})
				}
				c.printf("%-28s: %d\n", "CRC64-ECMA", cr.Sum)
			}
			c.elapsed()
			return nil
		}}
}

// ctxReader stops a long local read when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r *ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
