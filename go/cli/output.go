package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
)

// Output under --output-format json, for every command: stdout carries exactly one JSON
// document (or data: cat, cp ... -, whose document goes to stderr as one line), and every line on
// stderr is one JSON object: errors, questions, notes, warnings, log events. Keys are snake_case, sizes are
// integers and times RFC 3339, whatever the command. Listings are {"entries": [...], "count": N};
// transfers add "summary"; a command with nothing to list prints {"summary": {...}}.

var outputOption = option{"", "output-format", flagString, "plain (default) or json: one JSON document on stdout, every stderr line a JSON object (errors, questions, notes)"}

// WantsJSON tells whether a command line asks for --output-format json (for the errors of a
// line cli does not run, such as an unknown command).
func WantsJSON(args []string) bool { return outputFormat(args) == outputJSON }

// outputFormat finds --output-format in a raw command line before it is parsed, so that even a
// line that does not parse (an unknown option, a missing value) reports its error in the format
// asked for. It reads the options as parseOptions does: the last one wins, "--" ends them.
func outputFormat(args []string) string {
	f := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--output-format="); ok {
			f = v
		} else if a == "--output-format" && i+1 < len(args) {
			i++
			f = args[i]
		}
	}
	return f
}

// parseOutputFormat checks --output-format (any command takes it).
func (c *call) parseOutputFormat() error {
	switch f := c.opts.str("output-format"); f {
	case "", outputPlain:
		c.format = outputPlain
	case outputJSON:
		c.format = outputJSON
	default:
		c.format = outputPlain
		return usagef("--output-format must be plain or json, not %q", f)
	}
	return nil
}

func (c *call) json() bool { return c.format == outputJSON }

// printJSON writes one JSON document: indented on stdout, one line where the document goes to
// stderr beside the error lines (c.sideDocument).
func (c *call) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if c.oneLine {
		b, err = json.Marshal(v)
	}
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	c.printf("%s\n", b)
	return nil
}

// reportError prints an error on stderr: ossutil's text, or one JSON line.
func (c *call) reportError(err error) {
	if !c.json() {
		fmt.Fprintf(c.env.Stderr, "Error: %s\n", describeError(err))
		return
	}
	fmt.Fprintf(c.env.Stderr, "%s\n", errorLine(err))
}

// errorLine is an error as the JSON object of one stderr line.
func errorLine(err error) []byte {
	b, _ := json.Marshal(map[string]any{"error": errorFields(err)})
	return b
}

// notice tells the user something on stderr that is neither an error nor the output: the text
// as a line, or under json one line {kind: fields}, the text under fields["message"].
func (c *call) notice(kind, text string, fields map[string]any) {
	if !c.json() {
		fmt.Fprintln(c.env.Stderr, text)
		return
	}
	f := map[string]any{"message": text}
	for k, v := range fields {
		f[k] = v
	}
	b, _ := json.Marshal(map[string]any{kind: f})
	fmt.Fprintf(c.env.Stderr, "%s\n", b)
}

// question asks on stderr, the answer to be read from stdin: the text with no newline, so it is
// typed after it, or under json one line {"question": text}.
func (c *call) question(text string) {
	if !c.json() {
		fmt.Fprint(c.env.Stderr, text)
		return
	}
	b, _ := json.Marshal(map[string]string{"question": strings.TrimSpace(text)})
	fmt.Fprintf(c.env.Stderr, "%s\n", b)
}

// sideDocument sends the command's document (its summary) to stderr, as one line beside the
// error lines, because stdout carries data (cat, cp ... -).
func (c *call) sideDocument() {
	c.stdout = &countingWriter{w: c.env.Stderr}
	c.out = &lockedWriter{w: c.stdout}
	c.oneLine = true
}

// errorFields are an error's parts as JSON: what OSS said (status, code, message, request id,
// ec), which object, and the whole message.
func errorFields(err error) map[string]any {
	f := map[string]any{"message": err.Error()}
	var se *oss.ServiceError
	var ue *usageError
	var oe *objectError
	switch {
	case errors.As(err, &se):
		f["status"], f["code"], f["request_id"] = se.Status, se.Code, se.RequestID
		if se.Message != "" {
			f["message"] = se.Message
		}
		if se.EC != "" {
			f["ec"] = se.EC
		}
	case errors.As(err, &ue):
		f["code"] = "UsageError"
	case errors.Is(err, errInterrupted):
		f["code"] = "Interrupted"
	}
	if errors.As(err, &oe) {
		f["bucket"] = oe.bucket
		if oe.key != "" {
			f["key"] = oe.key
		}
	}
	return f
}

// headerFields describes an object by its response headers: each header name in snake_case
// (x-oss- dropped), sizes as integers, times as RFC 3339, the ETag unquoted, and user metadata
// (x-oss-meta-*) gathered under "meta".
func headerFields(h http.Header, hidden map[string]bool) map[string]any {
	out := map[string]any{}
	meta := map[string]string{}
	for name := range h {
		if hidden[name] {
			continue
		}
		v := h.Get(name)
		lower := strings.ToLower(name)
		if m, ok := strings.CutPrefix(lower, "x-oss-meta-"); ok {
			meta[m] = v
			continue
		}
		key := strings.ReplaceAll(strings.TrimPrefix(lower, "x-oss-"), "-", "_")
		switch lower {
		case "etag":
			out[key] = strings.Trim(v, `"`)
		case "content-length", "x-oss-next-append-position":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				out[key] = n
				continue
			}
			out[key] = v
		case "last-modified", "expires":
			if t, err := http.ParseTime(v); err == nil {
				out[key] = t.UTC().Format(time.RFC3339)
				continue
			}
			out[key] = v
		default:
			out[key] = v
		}
	}
	if len(meta) > 0 {
		out["meta"] = meta
	}
	return out
}

// countingWriter tells whether a command wrote anything to stdout, so that under json a command
// that printed no document still prints its summary.
type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n atomic.Int64
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	cw.n.Add(int64(len(p)))
	return cw.w.Write(p)
}

// snakeCase turns "ExtranetEndpoint" or "ACL" into "extranet_endpoint" or "acl".
func snakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 && (rs[i-1] < 'A' || rs[i-1] > 'Z' || (i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z')) {
			b.WriteByte('_')
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// entry reports one thing a dry run would do: a line of text, or an entry of the JSON document.
func (c *call) entry(action, from, to string) {
	if !c.json() {
		if from == "" {
			c.printf("would %s %s\n", action, to)
		} else {
			c.printf("would %s %s -> %s\n", action, from, to)
		}
		return
	}
	c.entriesMu.Lock()
	defer c.entriesMu.Unlock()
	if c.entries == nil {
		c.entries = &jsonList{c: c}
	}
	e := map[string]string{"type": "action", "action": action, "destination": to}
	if from != "" {
		e["source"] = from
	}
	c.entries.add(e)
}

// dryRunOne is the dry run of a command that changes one thing: it says what would be done.
func (c *call) dryRunOne(action, target string) error {
	c.entry(action, "", target)
	if c.json() {
		c.closeEntries(map[string]any{"command": c.cmd.name, "outcome": "dry_run"})
		return nil
	}
	c.printf("Dry run: nothing was changed.\n")
	return nil
}

// closeEntries ends the JSON document of a command that reports entries (possibly none) and a
// summary.
func (c *call) closeEntries(summary map[string]any) {
	c.entriesMu.Lock()
	defer c.entriesMu.Unlock()
	if c.entries == nil {
		c.entries = &jsonList{c: c}
	}
	c.entries.closeWith("summary", summary)
}
