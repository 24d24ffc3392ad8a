package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func rmCommand() *command {
	return &command{name: "rm", args: "oss://bucket[/object|/prefix]", summary: "delete objects, multipart uploads or a bucket",
		options: []option{
			{"r", "recursive", flagBool, "delete every object whose name starts with the prefix (batch deletes of 1,000 keys); " +
				"as in ossutil, oss://b/dir also matches dir2/... and dirfile: end it with / for one directory"},
			{"f", "force", flagBool, "do not ask before deleting recursively"},
			{"m", "multipart", flagBool, "delete unfinished multipart uploads instead of objects"},
			{"a", "all-type", flagBool, "delete objects and unfinished multipart uploads"},
			{"b", "bucket", flagBool, "delete the bucket (with -r -f, everything in it first)"},
			{"", "include", flagList, "only names matching this glob (repeatable)"},
			{"", "exclude", flagList, "not names matching this glob (repeatable)"},
			{"", "dry-run", flagBool, "print what would be deleted, delete nothing"},
			{"", "version-id", flagString, "delete this version (or delete marker) of the object for good (versioned buckets)"},
			{"", "all-versions", flagBool, "delete every version and delete marker of the object, or with -r of every object under the prefix, for good"},
		}, run: runRm}
}

// batchKeys is how many keys one DeleteMultipleObjects request carries (the OSS maximum).
const batchKeys = 1000

func runRm(ctx context.Context, c *call) error {
	u, err := c.onlyCloudArg()
	if err != nil {
		return err
	}
	recursive, force, dryRun := c.opts.bool("recursive"), c.opts.bool("force"), c.opts.bool("dry-run")
	objects := !c.opts.bool("multipart") || c.opts.bool("all-type")
	uploads := c.opts.bool("multipart") || c.opts.bool("all-type")
	if c.opts.bool("bucket") {
		if u.key != "" {
			return usagef("rm -b takes a bucket, not an object: %s", c.opts.args[0])
		}
		if !recursive {
			if dryRun {
				c.entry("delete bucket", "", "oss://"+u.bucket)
				return c.rmSummary(true, 0, 0, 0, 0, 0)
			}
			if _, err := oss.DeleteBucket(ctx, c.client, u.bucket); err != nil {
				return wrapObject(u.bucket, "", err)
			}
			c.elapsed()
			return nil
		}
		objects, uploads = true, true
	}
	if u.key == "" && !recursive {
		return usagef("rm of a whole bucket's objects needs -r (and -b to delete the bucket itself)")
	}
	f, err := newFilter(c.raw)
	if err != nil {
		return err
	}
	if recursive && !force && !dryRun {
		what := "objects"
		if uploads && !objects {
			what = "multipart uploads"
		}
		if u.key != "" && !strings.HasSuffix(u.key, "/") {
			c.notice("note", fmt.Sprintf("Note: %s is a name prefix: it matches every object whose name starts with %q, "+
				"such as %q and %q, not only those under %q.", c.opts.args[0], u.key, u.key+"2/x", u.key+"file", u.key+"/"), nil)
		}
		yes, err := c.ask(ctx, fmt.Sprintf("Do you really mean to remove recursively %s of %s(y or N)? ", what, c.opts.args[0]))
		if err != nil {
			return err
		}
		if !yes {
			c.notice("note", "Nothing was removed.", nil)
			return nil
		}
	}
	var removed, scanned, removedUploads, scannedUploads int64
	failed, failedUploads := 0, 0 // failed counts the uploads too
	versionID, allVersions := c.opts.str("version-id"), c.opts.bool("all-versions")
	if versionID != "" && (recursive || allVersions || !objects || u.key == "") {
		return usagef("rm --version-id deletes one version of one object: no -r, -m, -a, -b or --all-versions")
	}
	if allVersions && (!objects || c.opts.bool("bucket")) {
		return usagef("rm --all-versions deletes objects' versions: no -m, -a or -b")
	}
	switch {
	case versionID != "" && dryRun:
		scanned = 1
		c.entry("delete version "+versionID+" of", "", cloudURL(u.bucket, u.key))
	case versionID != "":
		if _, err := oss.DeleteObjectVersion(ctx, c.client, u.bucket, u.key, versionID); err != nil {
			return wrapObject(u.bucket, u.key, err)
		}
		scanned, removed = 1, 1
	case allVersions:
		var err error
		scanned, removed, failed, err = removeVersions(ctx, c, u, recursive, dryRun, f)
		if err != nil {
			return interrupted(c, ctx, removed, 0, wrapObject(u.bucket, u.key, err))
		}
	case objects:
		if !recursive {
			// DeleteObject answers 204 for a missing key too: a HEAD first tells what there was
			// to remove, so the summary counts what was removed (as ossutil's does).
			_, err := headObject(ctx, c.client, u.bucket, u.key)
			var se *oss.ServiceError
			switch {
			case errors.As(err, &se) && se.Status == http.StatusNotFound:
				c.notice("note", fmt.Sprintf("Note: %s does not exist: nothing to remove", c.opts.args[0]), nil)
			case err != nil:
				return wrapObject(u.bucket, u.key, err)
			case dryRun:
				scanned = 1
				c.entry("delete", "", cloudURL(u.bucket, u.key))
			default:
				scanned = 1
				if _, err := oss.DeleteObject(ctx, c.client, u.bucket, u.key); err != nil {
					return wrapObject(u.bucket, u.key, err)
				}
				removed = 1
			}
		} else {
			// One page of keys at a time: listing and deleting alternate, so memory stays one
			// page and the listing's marker stays valid.
			var batch []string
			flush := func() error {
				if len(batch) == 0 {
					return nil
				}
				deleted, errs, err := transfer.DeleteMany(ctx, c.client, u.bucket, batch, 1, transfer.Meter{})
				removed += int64(len(deleted))
				if err != nil {
					return wrapObject(u.bucket, u.key, err)
				}
				failed += reportNotDeleted(c, u.bucket, len(batch)-len(deleted), errs)
				batch = batch[:0]
				return nil
			}
			err := walk(ctx, c.client, u.bucket, u.key, "", 0, func(o objectInfo) error {
				if !f.match(strings.TrimPrefix(o.Key, u.key)) {
					return nil
				}
				scanned++
				if dryRun {
					c.entry("delete", "", cloudURL(u.bucket, o.Key))
					return nil
				}
				batch = append(batch, o.Key)
				if len(batch) == batchKeys {
					return flush()
				}
				return nil
			}, nil)
			if err == nil {
				err = flush()
			}
			if err != nil {
				return interrupted(c, ctx, removed, 0, wrapObject(u.bucket, u.key, err))
			}
		}
	}
	if uploads && !allVersions {
		err := walkUploads(ctx, c.client, u.bucket, u.key, func(up uploadInfo) error {
			if (!recursive && up.Key != u.key) || !f.match(strings.TrimPrefix(up.Key, u.key)) {
				return nil
			}
			scannedUploads++
			if dryRun {
				c.entry("abort upload "+up.UploadID+" of", "", cloudURL(u.bucket, up.Key))
				return nil
			}
			if err := abortUpload(ctx, c.client, u.bucket, up.Key, up.UploadID); err != nil {
				c.reportError(wrapObject(u.bucket, up.Key, err))
				failed++
				failedUploads++
				return ctx.Err()
			}
			removedUploads++
			return nil
		})
		if err != nil {
			return interrupted(c, ctx, removed, removedUploads, wrapObject(u.bucket, u.key, err))
		}
	}
	if dryRun {
		if c.opts.bool("bucket") {
			c.entry("delete bucket", "", "oss://"+u.bucket)
		}
		return c.rmSummary(true, scanned, 0, scannedUploads, 0, 0)
	}
	if c.json() {
		// The bucket (rm -b -r) goes before the summary is printed: its outcome is part of it.
		if c.opts.bool("bucket") && failed == 0 {
			if _, err := oss.DeleteBucket(ctx, c.client, u.bucket); err != nil {
				return wrapObject(u.bucket, "", err)
			}
		}
		c.rmSummary(false, scanned, removed, scannedUploads, removedUploads, failed)
		if failed > 0 {
			return &someFailedError{n: failed}
		}
		return nil
	}
	if objects {
		if n := int64(failed - failedUploads); n > 0 {
			c.printf("FinishWithError: Total %d objects. Removed %d objects, Error %d objects.\n", scanned, removed, n)
		} else {
			c.printf("Succeed: Total %d objects. Removed %d objects.\n", scanned, removed)
		}
	}
	if uploads {
		if failedUploads > 0 {
			c.printf("FinishWithError: Total %d uploadIds. Removed %d uploadIds, Error %d uploadIds.\n", scannedUploads, removedUploads, failedUploads)
		} else {
			c.printf("Succeed: Total %d uploadIds. Removed %d uploadIds.\n", scannedUploads, removedUploads)
		}
	}
	if c.opts.bool("bucket") && failed == 0 {
		if _, err := oss.DeleteBucket(ctx, c.client, u.bucket); err != nil {
			return wrapObject(u.bucket, "", err)
		}
	}
	c.elapsed()
	if failed > 0 {
		return &someFailedError{n: failed}
	}
	return nil
}

// reportNotDeleted prints each key a batch delete reported it could not delete, with the error
// code and message, and a count of any others missing from the answer; it returns how many keys
// were not deleted.
func reportNotDeleted(c *call, bucket string, notDeleted int, errs []oss.DeleteError) int {
	for _, e := range errs {
		if c.json() {
			c.reportError(wrapObject(bucket, e.Key, &oss.ServiceError{Code: e.Code, Message: e.Message}))
		} else {
			fmt.Fprintf(c.env.Stderr, "Error: %s: ErrorCode=%s, ErrorMessage=%q\n", cloudURL(bucket, e.Key), e.Code, e.Message)
		}
	}
	if n := notDeleted - len(errs); n > 0 {
		c.reportError(fmt.Errorf("%d objects of oss://%s were not deleted and no reason was given", n, bucket))
	}
	return max(notDeleted, len(errs))
}

// interrupted makes an rm stopped by Ctrl-C say what it had removed by then; any other error
// passes through.
func interrupted(c *call, ctx context.Context, objects, uploads int64, err error) error {
	if ctx.Err() != nil && c.json() {
		c.closeEntries(map[string]any{"command": "rm", "outcome": "interrupted", "objects_removed": objects, "uploads_removed": uploads})
		return ctx.Err()
	}
	if ctx.Err() != nil {
		c.printf("Interrupted: Removed %d objects and %d uploadIds before the interrupt. The rest was not removed.\n", objects, uploads)
		return ctx.Err()
	}
	return err
}

// rmSummary prints what rm did, or under --dry-run would do: ossutil's lines, or the summary
// that ends the JSON document.
func (c *call) rmSummary(dryRun bool, scanned, removed, scannedUploads, removedUploads int64, failed int) error {
	if c.json() {
		outcome := "succeeded"
		switch {
		case dryRun:
			outcome = "dry_run"
		case failed > 0:
			outcome = "finished_with_errors"
		}
		c.closeEntries(map[string]any{"command": "rm", "outcome": outcome, "objects_scanned": scanned, "objects_removed": removed,
			"uploads_scanned": scannedUploads, "uploads_removed": removedUploads, "failed": failed, "seconds": time.Since(c.started).Seconds()})
		return nil
	}
	if dryRun {
		c.printf("Dry run: would remove %d objects and %d uploadIds. Nothing was changed.\n", scanned, scannedUploads)
	}
	return nil
}

// removeVersions deletes every version and delete marker of u's key (or, recursive, of every key
// under the prefix that the filter keeps), a page of the listing at a time in batch deletes.
func removeVersions(ctx context.Context, c *call, u ossURL, recursive, dryRun bool, f *filter) (scanned, removed int64, failed int, err error) {
	var keys, ids []string
	flush := func() error {
		if len(keys) == 0 {
			return nil
		}
		res, err := oss.DeleteObjects(ctx, c.client, &oss.DeleteObjectsRequest{Bucket: u.bucket, Keys: keys, VersionIDs: ids, Quiet: true})
		if err != nil {
			return err
		}
		removed += int64(len(keys) - len(res.Errors))
		failed += reportNotDeleted(c, u.bucket, len(res.Errors), res.Errors)
		keys, ids = keys[:0], ids[:0]
		return nil
	}
	err = walkVersions(ctx, c.client, u.bucket, u.key, func(v versionInfo) error {
		if (!recursive && v.Key != u.key) || !f.match(strings.TrimPrefix(v.Key, u.key)) {
			return nil
		}
		scanned++
		if dryRun {
			what := "delete version " + v.VersionID + " of"
			if v.DeleteMarker {
				what = "delete the delete marker " + v.VersionID + " of"
			}
			c.entry(what, "", cloudURL(u.bucket, v.Key))
			return nil
		}
		keys, ids = append(keys, v.Key), append(ids, v.VersionID)
		if len(keys) == batchKeys {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return scanned, removed, failed, err
}
