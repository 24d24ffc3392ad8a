package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

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
			dryRunOption, disableIgnoreError,
		},
		run: runSetMeta}
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
	dryRun := c.opts.bool("dry-run")
	if !force && !dryRun {
		confirm := func(question string) error {
			yes, err := c.ask(ctx, question)
			if err == nil && !yes {
				err = errCanceled
			}
			return err
		}
		if recursive {
			if err := confirm(fmt.Sprintf("Do you really mean to recursivlly set meta on objects of %s(y or N)? ", c.opts.args[0])); err == errCanceled {
				c.notice("note", "operation is canceled.", nil)
				return nil
			} else if err != nil {
				return err
			}
		}
		if !update && !del {
			if err := confirm("Warning: --update option means update the specified header, --delete option means delete the specified header, " +
				"miss both options means update the whole meta info, continue to update the whole meta info(y or N)? "); err != nil {
				return err
			}
		}
		if len(c.opts.args) < 2 {
			if err := confirm("Do you really mean the empty meta(or forget to input header:value pair)(y or N)? "); err != nil {
				return err
			}
		}
	}
	set := func(ctx context.Context, key string) (bool, error) {
		return setObjectMeta(ctx, c.client, u.bucket, key, pairs, update, del)
	}
	if recursive {
		return c.eachObject(ctx, opSetMeta, u, f, dryRun, set)
	}
	if dryRun {
		return c.dryRunOne(string(opSetMeta), cloudURL(u.bucket, u.key))
	}
	if _, err := set(ctx, u.key); err != nil {
		return wrapObject(u.bucket, u.key, err)
	}
	c.elapsed()
	return nil
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

// eachObject runs fn on every object under u's prefix that f passes, --jobs at once, as job o:
// errors are routed by the job and the summary is the monitor's. fn tells whether it skipped the
// object. A dry run lists the objects ("would set-meta oss://b/k") and runs nothing.
func (c *call) eachObject(ctx context.Context, o op, u ossURL, f *filter, dryRun bool, fn func(context.Context, string) (bool, error)) error {
	jobs := int(c.opts.int("jobs", defaultJobs))
	if jobs < 1 {
		return usagef("--jobs must be at least 1")
	}
	j := newJob(ctx, c, newMonitor(c, o), c.opts.bool("disable-ignore-error"))
	defer j.stop()
	keys := make(chan string, jobs)
	go func() {
		defer close(keys)
		err := walk(j.ctx, c.client, u.bucket, u.key, "", 0, func(obj objectInfo) error {
			if f != nil && !f.match(relativeKey(u.key, obj.Key)) {
				return nil
			}
			j.mon.scanned.Add(1)
			if dryRun {
				c.entry(string(o), "", cloudURL(u.bucket, obj.Key))
				j.mon.files.Add(1)
				return nil
			}
			select {
			case keys <- obj.Key:
				return nil
			case <-j.ctx.Done():
				return j.ctx.Err()
			}
		}, nil)
		if err != nil {
			j.fail(wrapObject(u.bucket, "", err))
		}
		j.mon.scanning.Store(false)
	}()
	one := func(key string) {
		if j.ctx.Err() != nil {
			return // drain: the listing stops at the cancelled context
		}
		switch skip, err := fn(j.ctx, key); {
		case err != nil:
			j.fail(wrapObject(u.bucket, key, err))
		case skip:
			j.mon.skipped.Add(1)
		default:
			j.mon.files.Add(1)
		}
	}
	// The first object goes alone, as in transferTree: wrong credentials or a bucket that refuses
	// the caller cost one request, not one per worker.
	if key, ok := <-keys; ok {
		one(key)
	}
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range keys {
				one(key)
			}
		}()
	}
	wg.Wait()
	return j.end(ctx, dryRun)
}
