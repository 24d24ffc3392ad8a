package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/pyjindo/pyjindo/go/oss/credentials"
)

// configKeys are the keys `config` writes, spelt as ossutil 1.x writes them, so that each
// tool reads what the other wrote.
var configKeys = []struct{ name, option, prompt string }{
	{"endpoint", "endpoint", "endpoint"},
	{"accessKeyID", "access-key-id", "accessKeyID"},
	{"accessKeySecret", "access-key-secret", "accessKeySecret"},
	{"stsToken", "sts-token", "stsToken"},
}

func configCommand() *command {
	return &command{name: "config", args: "[-e ENDPOINT] [-i ID] [-k SECRET] [-t TOKEN]",
		summary: "write endpoint and credentials to the config file (asks for them when no option is given)",
		offline: true,
		options: []option{
			{"e", "endpoint", flagString, "OSS endpoint"},
			{"i", "access-key-id", flagString, "AccessKeyID"},
			{"k", "access-key-secret", flagString, "AccessKeySecret"},
			{"t", "sts-token", flagString, "STS token (-t '' removes it)"},
			{"c", "config-file", flagString, "config file (default ~/.ossutilconfig)"},
			{"", "profile", flagString, "section to write (default Credentials); other sections are kept"},
			{"L", "language", flagString, "language= written to a new [Credentials] section (default EN)"},
		},
		run: runConfig}
}

// runConfig updates one section of the config file. Without -e/-i/-k/-t it asks for each key
// on stdin, as ossutil does; an empty answer keeps the value the file has (ossutil would drop
// it). The file is written 0600 through a temporary file renamed over it.
func runConfig(ctx context.Context, c *call) error {
	if err := c.wantArgs(0, 0); err != nil {
		return err
	}
	path := c.opts.str("config-file")
	if path == "" {
		path = filepath.Join(c.env.Home, ".ossutilconfig")
	}
	section := first(c.opts.str("profile"), credentials.DefaultProfile)
	values := map[string]string{}
	var names []string
	interactive := true
	for _, k := range configKeys {
		if c.opts.set[k.option] {
			interactive = false
			names = append(names, k.name)
			values[k.name] = strings.TrimSpace(c.opts.str(k.option))
		}
	}
	if interactive {
		// The questions go to stderr, so stdout carries only the result (one document under json).
		c.notice("note", fmt.Sprintf("Writing [%s] of %s. Press Enter to keep a value as it is.", section, path), nil)
		for _, k := range configKeys {
			line, err := c.answer(ctx, fmt.Sprintf("Please enter %s: ", k.prompt))
			if err != nil && err != io.EOF {
				return err // Ctrl-C: nothing written
			}
			if v := strings.TrimSpace(line); v != "" {
				names = append(names, k.name)
				values[k.name] = v
			}
			if err == io.EOF {
				if !c.json() {
					fmt.Fprintln(c.env.Stderr) // end the unanswered question's line
				}
				break // end of input: keep what was answered
			}
		}
	}
	if section == credentials.DefaultProfile {
		// ossutil writes language= first in [Credentials]; keep one there.
		kv, err := credentials.ReadProfile(path, section)
		if err != nil || kv["language"] == "" {
			names = append([]string{"language"}, names...)
			values["language"] = first(c.opts.str("language"), "EN")
		}
	}
	if len(names) == 0 {
		if c.json() {
			return c.printJSON(map[string]any{"summary": map[string]any{"command": "config", "outcome": "unchanged", "file": path, "profile": section}})
		}
		fmt.Fprintln(c.env.Stdout, "Nothing to change.")
		return nil
	}
	if err := credentials.WriteProfile(path, section, names, values); err != nil {
		return fmt.Errorf("write config file: %w", err)
	}
	if c.json() {
		return c.printJSON(map[string]any{"summary": map[string]any{"command": "config", "outcome": "succeeded", "file": path, "profile": section}})
	}
	fmt.Fprintf(c.env.Stdout, "Wrote [%s] of %s.\n", section, path)
	return nil
}
