package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/pyjindo/pyjindo/go/oss"
)

func restoreCommand() *command {
	return &command{name: "restore", args: "oss://bucket/object|prefix [restore.xml]",
		summary: "make Archive, ColdArchive or DeepColdArchive objects readable (RestoreObject)",
		options: []option{
			{"r", "recursive", flagBool, "every object whose name starts with the prefix"},
			{"f", "force", flagBool, "do not ask before restoring recursively"},
			{"j", "jobs", flagInt, "objects at once (default 64)"},
			dryRunOption, disableIgnoreError,
		},
		run: runRestore}
}

// runRestore is ossutil's restore: RestoreObject of one object, or with -r of every object under
// a prefix. The optional local XML file is the RestoreRequest document (Days,
// JobParameters/Tier), sent as it is. A restore already under way counts as done, as in ossutil.
func runRestore(ctx context.Context, c *call) error {
	if err := c.wantArgs(1, 2); err != nil {
		return err
	}
	u, err := c.cloudArg(0)
	if err != nil {
		return err
	}
	recursive := c.opts.bool("recursive")
	if u.key == "" && !recursive {
		return usagef("restore object invalid cloud url: %s, object empty. Restore bucket is not supported, if you mean batch restore objects, please use --recursive", c.opts.args[0])
	}
	var doc []byte
	if len(c.opts.args) > 1 {
		if doc, err = os.ReadFile(c.opts.args[1]); err != nil {
			return fmt.Errorf("read restore configuration: %w", err)
		}
	}
	restore := func(ctx context.Context, key string) (bool, error) {
		_, err := oss.RestoreObject(ctx, c.client, &oss.RestoreObjectRequest{Bucket: u.bucket, Key: key, Document: doc})
		var se *oss.ServiceError
		if errors.As(err, &se) && se.Status == http.StatusConflict && se.Code == "RestoreAlreadyInProgress" {
			return false, nil
		}
		return false, err
	}
	dryRun := c.opts.bool("dry-run")
	if !recursive {
		if dryRun {
			return c.dryRunOne(string(opRestore), cloudURL(u.bucket, u.key))
		}
		if _, err := restore(ctx, u.key); err != nil {
			return wrapObject(u.bucket, u.key, err)
		}
		c.elapsed()
		return nil
	}
	if !c.opts.bool("force") && !dryRun {
		yes, err := c.ask(ctx, fmt.Sprintf("Do you really mean to recursivlly restore objects of %s(y or N)? ", c.opts.args[0]))
		if err != nil {
			return err
		}
		if !yes {
			c.notice("note", "operation is canceled.", nil)
			return nil
		}
	}
	return c.eachObject(ctx, opRestore, u, nil, dryRun, restore)
}
