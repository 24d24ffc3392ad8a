package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
)

func setMetaCommand() *command {
	return &command{name: "set-meta", args: "oss://bucket/object|prefix [Name:value#Name:value...]",
		summary: "set, update (-u) or delete (--delete) the headers of objects already uploaded",
		options: []option{
			{"u", "update", flagBool, "change only the headers given, keep the others"},
			{"", "delete", flagBool, "remove the headers named (give names without values)"},
			{"r", "recursive", flagBool, "every object whose name starts with the prefix"},
			{"f", "force", flagBool, "do not ask before changing"},
			{"j", "jobs", flagInt, "objects at once (default 64)"},
			{"", "include", flagList, "only names matching this glob (repeatable; with -r)"},
			{"", "exclude", flagList, "not names matching this glob (repeatable; with -r)"},
		},
		run: runSetMeta}
}

// ask writes question to stderr and tells whether the answer on stdin is y or yes. It reads the
// line a byte at a time, so that a later question finds its own answer still unread.
func (c *call) ask(question string) bool {
	c.question(question)
	var line []byte
	b := make([]byte, 1)
	for len(line) < 1024 {
		n, err := c.env.Stdin.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if err != nil {
			break
		}
	}
	a := strings.ToLower(strings.TrimSpace(string(line)))
	return a == "y" || a == "yes"
}

var errCanceled = errors.New("operation is canceled")

// runSetMeta is ossutil's set-meta: without --update or --delete the given headers replace all
// of the object's (Content-Type, x-oss-meta-*, ...: what is not given is gone); --update merges
// them into the existing ones (an object that has them all already is skipped), --delete removes
// the names given. Each object is copied onto itself with x-oss-metadata-directive: REPLACE; its
// tags stay.
func runSetMeta(ctx context.Context, c *call) error {
	if err := c.wantArgs(1, 2); err != nil {
		return err
	}
	u, err := c.cloudArg(0)
	if err != nil {
		return err
	}
	update, del, recursive, force := c.opts.bool("update"), c.opts.bool("delete"), c.opts.bool("recursive"), c.opts.bool("force")
	if u.key == "" && !recursive {
		return usagef("set object meta invalid cloud url: %s, object empty. Set bucket meta is not supported, if you mean batch set meta on objects, please use --recursive", c.opts.args[0])
	}
	f, err := newFilter(c.raw)
	if err != nil {
		return err
	}
	if !recursive && len(f.rules) > 0 {
		return usagef("--include or --exclude only work with --recursive")
	}
	if update && del {
		return usagef("--update option and --delete option are not supported for %s at the same time, please check", c.opts.args[0])
	}
	var pairs []metaPair
	if len(c.opts.args) > 1 {
		if pairs, err = parseMeta(strings.TrimSpace(c.opts.args[1]), del, c.cmd.name); err != nil {
			return err
		}
		if err := metaHeader(http.Header{}, pairs); err != nil { // values checked before anything changes
			return err
		}
	}
	if recursive && !force && !c.ask(fmt.Sprintf("Do you really mean to recursivlly set meta on objects of %s(y or N)? ", c.opts.args[0])) {
		c.notice("note", "operation is canceled.", nil)
		return nil
	}
	if !update && !del && !force && !c.ask("Warning: --update option means update the specified header, --delete option means delete the specified header, "+
		"miss both options means update the whole meta info, continue to update the whole meta info(y or N)? ") {
		return errCanceled
	}
	if len(c.opts.args) < 2 && !force && !c.ask("Do you really mean the empty meta(or forget to input header:value pair)(y or N)? ") {
		return errCanceled
	}
	set := func(ctx context.Context, key string) (bool, error) {
		return setObjectMeta(ctx, c.client, u.bucket, key, pairs, update, del)
	}
	if !recursive {
		if _, err := set(ctx, u.key); err != nil {
			return wrapObject(u.bucket, u.key, err)
		}
		c.elapsed()
		return nil
	}
	return c.eachObject(ctx, u, f, "Setted meta on", set)
}

// setObjectMeta sets key's headers: pairs alone, or (update, del) pairs merged into its current
// headers and ACL, as ossutil merges them. It tells whether an update found nothing to change.
func setObjectMeta(ctx context.Context, d oss.Doer, bucket, key string, pairs []metaPair, update, del bool) (bool, error) {
	if update || del {
		head, err := oss.HeadObject(ctx, d, bucket, key)
		if err != nil {
			return false, err
		}
		acl, err := oss.ObjectACL(ctx, d, bucket, key)
		if err != nil {
			return false, err
		}
		current := map[string]string{}
		for name := range head.Header {
			if knownHeader(name) != "" || strings.HasPrefix(strings.ToLower(name), "x-oss-meta-") {
				current[strings.ToLower(name)] = head.Header.Get(name)
			}
		}
		current["x-oss-object-acl"] = acl
		if update {
			same := 0
			for _, p := range pairs {
				if v, ok := current[strings.ToLower(p.name)]; ok && v == p.value {
					same++
				}
			}
			if same == len(pairs) {
				return true, nil
			}
			for _, p := range pairs {
				current[strings.ToLower(p.name)] = p.value
			}
		}
		if del {
			for _, p := range pairs {
				delete(current, strings.ToLower(p.name))
			}
		}
		pairs = pairs[:0:0]
		for _, name := range sortedNames(current) {
			pairs = append(pairs, metaPair{name, current[name]})
		}
	}
	h := http.Header{}
	if err := metaHeader(h, pairs); err != nil {
		return false, err
	}
	h.Set("x-oss-metadata-directive", "REPLACE")
	_, err := oss.CopyObject(ctx, d, &oss.CopyObjectRequest{Bucket: bucket, Key: key, SourceBucket: bucket, SourceKey: key, Header: h})
	return false, err
}

// eachObject runs fn on every object under u's prefix that f passes, --jobs at once, printing
// each failure and ossutil's closing line ("Succeed: Total 3 objects. <done> 3 objects(skip 0
// objects)."). fn tells whether it skipped the object.
func (c *call) eachObject(ctx context.Context, u ossURL, f *filter, done string, fn func(context.Context, string) (bool, error)) error {
	jobs := int(c.opts.int("jobs", defaultJobs))
	if jobs < 1 {
		return usagef("--jobs must be at least 1")
	}
	keys := make(chan string, jobs)
	var total, ok, skipped, failed atomic.Int64
	var listErr error
	go func() {
		defer close(keys)
		listErr = walk(ctx, c.client, u.bucket, u.key, "", func(o objectInfo) error {
			if f != nil && !f.match(relativeKey(u.key, o.Key)) {
				return nil
			}
			total.Add(1)
			select {
			case keys <- o.Key:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}, nil)
	}()
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range keys {
				if ctx.Err() != nil {
					continue
				}
				skip, err := fn(ctx, key)
				switch {
				case err != nil && ctx.Err() == nil:
					failed.Add(1)
					c.reportError(wrapObject(u.bucket, key, err))
				case err != nil:
				case skip:
					skipped.Add(1)
				default:
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if listErr != nil {
		return wrapObject(u.bucket, "", listErr)
	}
	n := failed.Load()
	switch {
	case c.json():
		outcome := "succeeded"
		if n > 0 {
			outcome = "finished_with_errors"
		}
		c.printJSON(map[string]any{"summary": map[string]any{"command": c.cmd.name, "outcome": outcome, "scanned": total.Load(),
			"ok": ok.Load(), "skipped": skipped.Load(), "failed": n, "seconds": time.Since(c.started).Seconds()}})
	case n > 0:
		c.printf("FinishWithError: Total %d objects. %s %d objects(skip %d objects), Error %d objects.\n", total.Load(), done, ok.Load(), skipped.Load(), n)
	default:
		c.printf("Succeed: Total %d objects. %s %d objects(skip %d objects).\n", total.Load(), done, ok.Load(), skipped.Load())
	}
	c.elapsed()
	if n > 0 {
		return &someFailedError{n: int(n)}
	}
	return nil
}
