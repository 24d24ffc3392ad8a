package cli

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
)

func statCommand() *command {
	return &command{name: "stat", args: "oss://bucket[/object]", summary: "show a bucket's or an object's description",
		run: runStat}
}

// statHidden are response headers that describe the request, not the object.
var statHidden = map[string]bool{"Date": true, "X-Oss-Request-Id": true, "Server": true, "X-Oss-Server-Time": true, "Connection": true}

func runStat(ctx context.Context, c *call) error {
	if err := c.wantArgs(1, 1); err != nil {
		return err
	}
	format := c.format
	u, err := c.cloudArg(0)
	if err != nil {
		return err
	}
	if u.key == "" {
		return statBucket(ctx, c, u.bucket, format)
	}
	h, err := headObject(ctx, c.client, u.bucket, u.key)
	if err != nil {
		return wrapObject(u.bucket, u.key, err)
	}
	attrs := map[string]string{}
	var names []string
	width := 0
	for name := range h {
		width = max(width, len(name))
		if statHidden[name] {
			continue
		}
		v := h.Get(name)
		switch name {
		case "Etag":
			v = strings.Trim(v, `"`)
		case "Last-Modified":
			if t, err := http.ParseTime(v); err == nil {
				v = timeText(t)
			}
		}
		attrs[name] = v
		names = append(names, name)
	}
	if format == outputJSON {
		doc := headerFields(h, statHidden)
		doc["bucket"], doc["key"], doc["url"] = u.bucket, u.key, cloudURL(u.bucket, u.key)
		return c.printJSON(doc)
	}
	sort.Strings(names)
	for _, n := range names {
		c.printf("%-*s: %s\n", width+2, n, attrs[n])
	}
	c.elapsed()
	return nil
}

// orBlank is an optional element's text, "" when OSS left it out.
func orBlank(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func statBucket(ctx context.Context, c *call, bucket, format string) error {
	b, err := oss.GetBucketInfo(ctx, c.client, bucket)
	if err != nil {
		return wrapObject(bucket, "", err)
	}
	created := b.CreationDate
	if t, err := time.Parse(time.RFC3339, created); err == nil {
		created = timeText(t)
	}
	rows := [][2]string{{"Name", b.Name}, {"Location", b.Location}, {"CreationDate", created},
		{"ExtranetEndpoint", b.ExtranetEndpoint}, {"IntranetEndpoint", b.IntranetEndpoint}, {"ACL", b.ACL},
		{"Owner", orBlank(b.Owner.ID)}, {"StorageClass", b.StorageClass}, {"RedundancyType", orBlank(b.DataRedundancyType)},
		{"TransferAcceleration", orBlank(b.TransferAcceleration)}, {"CrossRegionReplication", orBlank(b.CrossRegionReplication)},
		{"AccessMonitor", orBlank(b.AccessMonitor)}}
	if format == outputJSON {
		m := map[string]string{}
		for _, r := range rows {
			m[snakeCase(r[0])] = r[1]
		}
		if t, err := time.Parse(time.RFC3339, b.CreationDate); err == nil {
			m["creation_date"] = t.UTC().Format(time.RFC3339)
		}
		return c.printJSON(m)
	}
	for _, r := range rows {
		c.printf("%-22s: %s\n", r[0], r[1])
	}
	c.elapsed()
	return nil
}

func duCommand() *command {
	return &command{name: "du", args: "oss://bucket[/prefix]", summary: "total size of the objects (and unfinished parts) under a prefix",
		run: runDu}
}

func runDu(ctx context.Context, c *call) error {
	if err := c.wantArgs(1, 1); err != nil {
		return err
	}
	format := c.format
	u, err := c.cloudArg(0)
	if err != nil {
		return err
	}
	type class struct {
		count, size int64
	}
	classes := map[string]*class{}
	var objects, objectSize, parts, partSize int64
	err = walk(ctx, c.client, u.bucket, u.key, "", 0, func(o objectInfo) error {
		cl := classes[o.StorageClass]
		if cl == nil {
			cl = &class{}
			classes[o.StorageClass] = cl
		}
		cl.count++
		cl.size += o.Size
		objects++
		objectSize += o.Size
		return nil
	}, nil)
	if err != nil {
		return wrapObject(u.bucket, u.key, err)
	}
	err = walkUploads(ctx, c.client, u.bucket, u.key, func(up uploadInfo) error {
		n, size, err := partsOf(ctx, c.client, u.bucket, up)
		parts += n
		partSize += size
		return err
	})
	if err != nil {
		return wrapObject(u.bucket, u.key, err)
	}
	names := make([]string, 0, len(classes))
	for n := range classes {
		names = append(names, n)
	}
	sort.Strings(names)
	if format == outputJSON {
		byClass := map[string]map[string]int64{}
		for _, n := range names {
			byClass[n] = map[string]int64{"object_count": classes[n].count, "size": classes[n].size}
		}
		return c.printJSON(map[string]any{"storage_classes": byClass, "object_count": objects, "object_size": objectSize,
			"part_count": parts, "part_size": partSize, "total_size": objectSize + partSize})
	}
	c.printf("%-14s\t%-20s\t%-30s\n", "storage class", "object count", "sum size(byte)")
	c.printf("----------------------------------------------------------\n")
	for _, n := range names {
		c.printf("%-14s\t%-20d\t%-30d\n", n, classes[n].count, classes[n].size)
	}
	c.printf("----------------------------------------------------------\n")
	c.printf("total object count: %-20d\ttotal object sum size: %d\n", objects, objectSize)
	c.printf("total part count:   %-20d\ttotal part sum size:   %d\n", parts, partSize)
	c.printf("\ntotal du size(byte):%d\n", objectSize+partSize)
	c.elapsed()
	return nil
}

// partsOf counts the uploaded parts of an unfinished upload and their bytes.
func partsOf(ctx context.Context, c *oss.Client, bucket string, up uploadInfo) (count, size int64, err error) {
	req := oss.ListPartsRequest{Bucket: bucket, Key: up.Key, UploadID: up.UploadID, MaxParts: 1000}
	err = oss.WalkParts(ctx, c, req, func(page *oss.ListPartsResult) error {
		for _, p := range page.Parts {
			count++
			size += p.Size
		}
		return nil
	})
	return count, size, err
}
