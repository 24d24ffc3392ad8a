package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// timeText is how ossutil prints times: local time with offset and zone name.
func timeText(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05 -0700 MST") }

func lsCommand() *command {
	return &command{name: "ls", args: "[oss://bucket[/prefix]]", summary: "list buckets, objects or multipart uploads",
		options: []option{
			{"s", "short-format", flagBool, "print only the object URLs"},
			{"d", "directory", flagBool, "list one level: objects and directories (common prefixes)"},
			{"m", "multipart", flagBool, "list unfinished multipart uploads"},
			{"", "limited-num", flagInt, "stop after this many entries"},
			{"", "all-versions", flagBool, "list every version and delete marker (versioned buckets)"},
		}, run: runLs}
}

// stopListing ends a walk early once --limited-num entries were printed.
var stopListing = errors.New("limit reached")

// jsonList streams a JSON document {"entries": [...], "count": N} one entry at a time, so a
// listing of any size takes one page of memory.
type jsonList struct {
	c     *call
	count int
}

func (j *jsonList) add(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	sep := j.nl(",\n ")
	if j.count == 0 {
		sep = j.nl("{\"entries\": [\n ")
		j.c.openList = j // closed by finish if the command fails before closing it
	}
	j.count++
	j.c.printf("%s%s", sep, b)
	return nil
}

// nl is s as written: with its line breaks on stdout, without them where the document must be
// one line (c.oneLine).
func (j *jsonList) nl(s string) string {
	if j.c.oneLine {
		return strings.ReplaceAll(s, "\n", "")
	}
	return s
}

func (j *jsonList) close() { j.closeWith("", nil) }

// closeWith ends the document with one more member after the count (a transfer's summary).
func (j *jsonList) closeWith(key string, v any) {
	j.c.openList = nil
	if j.count == 0 {
		j.c.printf("{\"entries\": [")
	}
	extra := ""
	if key != "" {
		b, _ := json.Marshal(v)
		extra = fmt.Sprintf(", %q: %s", key, b)
	}
	j.c.printf("%s], \"count\": %d%s}\n", j.nl("\n"), j.count, extra)
}

func runLs(ctx context.Context, c *call) error {
	if err := c.wantArgs(0, 1); err != nil {
		return err
	}
	format := c.format
	limit := c.opts.int("limited-num", -1)
	if len(c.opts.args) == 0 || c.opts.args[0] == "oss://" {
		return lsBuckets(ctx, c, format, limit)
	}
	u, err := c.cloudArg(0)
	if err != nil {
		return err
	}
	count := int64(0)
	js := &jsonList{c: c}
	more := func() error {
		if limit >= 0 && count >= limit {
			return stopListing
		}
		count++
		return nil
	}
	short := c.opts.bool("short-format")
	if c.opts.bool("multipart") {
		err = walkUploads(ctx, c.client, u.bucket, u.key, func(up uploadInfo) error {
			if err := more(); err != nil {
				return err
			}
			switch {
			case format == outputJSON:
				return js.add(map[string]any{"type": "upload", "key": up.Key, "upload_id": up.UploadID, "initiated": up.Initiated, "url": cloudURL(u.bucket, up.Key)})
			case count == 1 && short:
				c.printf("%-32s\t%s\n", "UploadID", "ObjectName")
			case count == 1:
				c.printf("%-30s\t%-32s\t%s\n", "InitiatedTime", "UploadID", "ObjectName")
			}
			if short {
				c.printf("%-32s\t%s\n", up.UploadID, cloudURL(u.bucket, up.Key))
			} else {
				c.printf("%-30s\t%-32s\t%s\n", timeText(up.Initiated), up.UploadID, cloudURL(u.bucket, up.Key))
			}
			return nil
		})
		return c.closeListing(err, format, js, "UploadID Number is: %d\n", count)
	}
	delimiter := ""
	if c.opts.bool("directory") {
		delimiter = "/"
	}
	if c.opts.bool("all-versions") {
		err = walkVersions(ctx, c.client, u.bucket, u.key, func(v versionInfo) error {
			if err := more(); err != nil {
				return err
			}
			switch {
			case format == outputJSON:
				kind := "version"
				if v.DeleteMarker {
					kind = "delete_marker"
				}
				return js.add(struct {
					Type string `json:"type"`
					versionInfo
					URL string `json:"url"`
				}{kind, v, cloudURL(u.bucket, v.Key)})
			case short:
				c.printf("%s\t%s\n", cloudURL(u.bucket, v.Key), v.VersionID)
			default:
				if count == 1 {
					c.printf("%-30s%12s  %12s   %-36s  %-36s  %-8s  %-13s  %s\n", "LastModifiedTime", "Size(B)", "StorageClass", "ETAG",
						"VERSIONID", "IS-LATEST", "DELETE-MARKER", "ObjectName")
				}
				c.printf("%-30s%12d  %12s   %-36s  %-36s  %-8t  %-13t  %s\n", timeText(v.LastModified), v.Size, v.StorageClass, v.ETag,
					v.VersionID, v.IsLatest, v.DeleteMarker, cloudURL(u.bucket, v.Key))
			}
			return nil
		})
		return c.closeListing(wrapObject(u.bucket, u.key, err), format, js, "Object Number is: %d\n", count)
	}
	err = walk(ctx, c.client, u.bucket, u.key, delimiter, 0, func(o objectInfo) error {
		if err := more(); err != nil {
			return err
		}
		switch {
		case format == outputJSON:
			return js.add(struct {
				Type string `json:"type"`
				objectInfo
				URL string `json:"url"`
			}{"object", o, cloudURL(u.bucket, o.Key)})
		case short || delimiter != "":
			c.printf("%s\n", cloudURL(u.bucket, o.Key))
		default:
			if count == 1 {
				c.printf("%-30s%12s  %12s   %-36s  %s\n", "LastModifiedTime", "Size(B)", "StorageClass", "ETAG", "ObjectName")
			}
			c.printf("%-30s%12d  %12s   %-36s  %s\n", timeText(o.LastModified), o.Size, o.StorageClass, o.ETag, cloudURL(u.bucket, o.Key))
		}
		return nil
	}, func(p string) error {
		if err := more(); err != nil {
			return err
		}
		if format == outputJSON {
			return js.add(map[string]string{"type": "directory", "key": p, "url": cloudURL(u.bucket, p)})
		}
		c.printf("%s\n", cloudURL(u.bucket, p))
		return nil
	})
	summary := "Object Number is: %d\n"
	if delimiter != "" {
		summary = "Object and Directory Number is: %d\n"
	}
	return c.closeListing(wrapObject(u.bucket, u.key, err), format, js, summary, count)
}

func (c *call) closeListing(err error, format string, js *jsonList, summary string, count int64) error {
	if errors.Is(err, stopListing) {
		err = nil
	}
	if err != nil {
		return err
	}
	if format == outputJSON {
		js.close()
		return nil
	}
	c.printf(summary, count)
	c.elapsed()
	return nil
}

func lsBuckets(ctx context.Context, c *call, format string, limit int64) error {
	js := &jsonList{c: c}
	count := int64(0)
	err := walkBuckets(ctx, c.client, func(b bucketInfo) error {
		if limit >= 0 && count >= limit {
			return stopListing
		}
		count++
		switch {
		case format == outputJSON:
			return js.add(b)
		case c.opts.bool("short-format"):
			c.printf("oss://%s\n", b.Name)
		default:
			if count == 1 {
				c.printf("%-30s %20s\t%12s\t%s\n", "CreationTime", "Region", "StorageClass", "BucketName")
			}
			c.printf("%-30s %20s\t%12s\t%s\n", timeText(b.CreationDate), b.Location, b.StorageClass, "oss://"+b.Name)
		}
		return nil
	})
	return c.closeListing(err, format, js, "Bucket Number is: %d\n", count)
}
