package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func runCommand() *command {
	options := append([]option{{"j", "jobs", flagInt, "commands at once (default 8)"}}, credentialOptions...)
	return &command{name: "run", args: "FILE|-", summary: "run the commands in FILE (one a line, as given to jindo) in parallel",
		offline: true,
		options: append(options, speedOptions...),
		run:     runRun}
}

// splitLine splits a command line as a shell would for plain words: whitespace separates, single
// and double quotes group, a backslash escapes the next character outside single quotes.
func splitLine(line string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		have  bool
		quote rune
	)
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == '\'' && r != '\'':
			cur.WriteRune(r)
		case r == '\\' && quote != '\'' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
			have = true
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '\'' || r == '"'):
			quote, have = r, true
		case quote == 0 && (r == ' ' || r == '\t'):
			if have {
				words = append(words, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if quote != 0 {
		return nil, usagef("unclosed quote in %q", line)
	}
	if have {
		words = append(words, cur.String())
	}
	return words, nil
}

// runLine is one command of a run file.
type runLine struct {
	n     int // the line's number in the file, from 1
	words []string
	// data: the command writes data to standard output (cat, cp ... -), which goes through
	// unprefixed; its text goes to stderr.
	data bool
}

func runRun(ctx context.Context, c *call) error {
	if err := c.wantArgs(1, 1); err != nil {
		return err
	}
	var in io.Reader = c.env.Stdin
	if name := c.opts.args[0]; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	// The credential options given to run apply to every command that does not give its own:
	// they go right after the command's name, so the line's own options (later, so they win) and
	// a "--" in the line (after which everything is an argument) keep their meaning. The keys
	// (-i -k -t) are one source: a line giving any of them gets none of run's. Under json every
	// line answers in json, its document an entry of run's.
	var shared, sharedKeys []string
	for _, o := range credentialOptions {
		if v, ok := c.opts.vals[o.long]; ok {
			if keyOptions[o.long] {
				sharedKeys = append(sharedKeys, "--"+o.long+"="+v)
			} else {
				shared = append(shared, "--"+o.long+"="+v)
			}
		}
	}
	if c.json() {
		shared = append(shared, "--output-format="+outputJSON)
	}
	lines, err := readRunLines(in, shared, sharedKeys)
	if err != nil {
		return err
	}
	limits, err := c.runLimits(lines)
	if err != nil {
		return err
	}
	jobs := int(c.opts.int("jobs", 8))
	if jobs < 1 {
		return usagef("--jobs must be at least 1")
	}
	var (
		mu     sync.Mutex // run's stdout and stderr: one line's output at a time
		failed []int
		js     = &jsonList{c: c}
	)
	// A failed line does not stop the others (its output says why), so no call returns an error.
	transfer.Each(ctx, len(lines), jobs, false, func(ctx context.Context, _, i int) error {
		l := lines[i]
		// Each command's text is kept whole, so parallel commands never interleave lines.
		var out, errOut bytes.Buffer
		env := *c.env
		env.Stdout, env.Stderr, env.Terminal, env.Interactive, env.limits = &out, &errOut, false, false, limits
		// Parallel commands cannot share one stdin (and it may be the command file): a question
		// (rm -r, cp without -f) reads no answer, as from </dev/null, and `cp - oss://...`
		// fails instead of storing an empty object.
		env.Stdin = noStdin{}
		var data *heldWriter
		rc := ExitUsage
		switch {
		case c.json() && l.data:
			fmt.Fprintf(&errOut, "%s\n", errorLine(usagef("run: under --output-format json standard output is run's document: "+
				"line %d cannot write an object to it", l.n)))
		case c.json() && outputFormat(l.words[1:]) != outputJSON:
			fmt.Fprintf(&errOut, "%s\n", errorLine(usagef("run: under --output-format json every line's output is an entry of run's document: "+
				"line %d cannot ask for another format", l.n)))
		case l.data:
			// Data goes straight through, in order, as it arrives: never held in memory.
			data = &heldWriter{mu: &mu, w: c.env.Stdout}
			env.Stdout = data
			fallthrough
		default:
			rc = Run(ctx, l.words, env)
		}
		if data != nil {
			data.hold()
		} else {
			mu.Lock()
		}
		defer mu.Unlock()
		if rc != ExitOK {
			failed = append(failed, l.n)
		}
		if c.json() {
			js.add(runEntry(l.n, rc, out.Bytes(), errOut.Bytes()))
			return nil
		}
		// Every line of text says which line of the file it came from.
		prefix := []byte("line " + strconv.Itoa(l.n) + ": ")
		c.env.Stdout.Write(prefixLines(prefix, out.Bytes()))
		c.env.Stderr.Write(prefixLines(prefix, errOut.Bytes()))
		return nil
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	sort.Ints(failed)
	if c.json() {
		outcome := "succeeded"
		if len(failed) > 0 {
			outcome = "finished_with_errors"
		}
		js.closeWith("summary", map[string]any{"command": "run", "outcome": outcome, "lines": len(lines),
			"failed_lines": append([]int{}, failed...), "seconds": time.Since(c.started).Seconds()})
	}
	if len(failed) > 0 {
		nums := make([]string, len(failed))
		for i, n := range failed {
			nums[i] = strconv.Itoa(n)
		}
		if !c.json() { // the summary says it
			fmt.Fprintf(c.env.Stderr, "Error: %d of %d commands failed: line %s\n", len(failed), len(lines), strings.Join(nums, ", "))
		}
		return &someFailedError{n: len(failed)}
	}
	return nil
}

// readRunLines reads a run file: one command a line, "jindo" optional before it, blank lines and
// "#" comments skipped; shared goes right after each command's name.
// keyOptions are the options that give keys: one source, never mixed with another's.
var keyOptions = map[string]bool{"access-key-id": true, "access-key-secret": true, "sts-token": true}

// givesKeys tells whether a command line gives any of keyOptions.
func givesKeys(p *parsed) bool {
	for name := range keyOptions {
		if p.set[name] {
			return true
		}
	}
	return false
}

func readRunLines(in io.Reader, shared, sharedKeys []string) ([]runLine, error) {
	var lines []runLine
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words, err := splitLine(line)
		if err != nil {
			return nil, usagef("run: line %d: %v", n, err)
		}
		if len(words) > 0 && words[0] == "jindo" {
			words = words[1:]
		}
		if len(words) == 0 {
			continue
		}
		cmd := lookup(words[0])
		if cmd == nil || cmd.name == "run" {
			return nil, usagef("run: line %d: no such command %q in %q", n, words[0], line)
		}
		own := words[1:]
		if p, err := parseOptions(cmd.name, specsOf(cmd), own); err != nil || !givesKeys(p) {
			own = append(append([]string(nil), sharedKeys...), own...)
		}
		l := runLine{n: n, words: append(append([]string{words[0]}, shared...), own...)}
		if p, err := parseOptions(cmd.name, specsOf(cmd), l.words[1:]); err == nil {
			l.data = cmd.name == "cat" || cmd.name == "cp" && len(p.args) == 2 && p.args[1] == stdio && p.args[0] != stdio
		}
		lines = append(lines, l)
	}
	return lines, sc.Err()
}

// runLimits makes the limiters every line of a run shares. ossutil's --maxupspeed and
// --maxdownspeed bound its process; run's lines are one process, so one limit binds them all:
// run's own option or any line's, and lines that give different ones are refused.
func (c *call) runLimits(lines []runLine) (*speedLimits, error) {
	limits := &speedLimits{}
	for _, d := range []struct {
		name  string
		limit **oss.Limiter
	}{{"maxupspeed", &limits.up}, {"maxdownspeed", &limits.down}} {
		kb, from := c.opts.int(d.name, 0), "run's command line"
		if kb < 0 {
			return nil, usagef("invalid value,%s %d less than 0", d.name, kb)
		}
		if !c.opts.set[d.name] {
			from = ""
		}
		for _, l := range lines {
			cmd := lookup(l.words[0])
			p, err := parseOptions(cmd.name, specsOf(cmd), l.words[1:])
			if err != nil || !p.set[d.name] {
				continue // a line that does not parse fails when it runs
			}
			v := p.int(d.name, 0)
			if from != "" && v != kb {
				return nil, usagef("run: line %d gives --%s %d and %s %d: one limit binds every line of a run, as ossutil's binds its process",
					l.n, d.name, v, from, kb)
			}
			kb, from = v, "line "+strconv.Itoa(l.n)
		}
		if kb > 0 {
			*d.limit = oss.NewLimiter(kb * 1024)
		}
	}
	return limits, nil
}

// runEntry is one line's entry in run's JSON document: its number, exit status, the document it
// printed and the JSON lines it wrote to stderr (errors, notes); text that is not JSON (a line's
// -h) is kept as a string.
func runEntry(n, rc int, out, errOut []byte) map[string]any {
	e := map[string]any{"line": n, "exit_code": rc}
	if v := jsonOrText(bytes.TrimSpace(out)); v != nil {
		e["output"] = v
	}
	messages := []any{}
	for _, line := range bytes.Split(bytes.TrimSpace(errOut), []byte("\n")) {
		if v := jsonOrText(line); v != nil {
			messages = append(messages, v)
		}
	}
	e["messages"] = messages
	return e
}

func jsonOrText(b []byte) any {
	switch {
	case len(b) == 0:
		return nil
	case json.Valid(b):
		return json.RawMessage(b)
	}
	return string(b)
}

// heldWriter writes a line's data straight to run's stdout. It takes run's output lock at the
// first byte and keeps it until the line has ended (hold, then the worker's unlock), so no other
// line's output lands inside the data; the others' wait, kept whole, meanwhile.
type heldWriter struct {
	mu   *sync.Mutex
	w    io.Writer
	held bool
}

func (h *heldWriter) Write(p []byte) (int, error) {
	h.hold()
	return h.w.Write(p)
}

func (h *heldWriter) hold() {
	if !h.held {
		h.mu.Lock()
		h.held = true
	}
}

// prefixLines puts prefix before every line of b.
func prefixLines(prefix, b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if len(line) > 0 {
			out.Write(prefix)
			out.Write(line)
		}
	}
	return out.Bytes()
}

// noStdin is the standard input of the commands run runs: reading it fails.
type noStdin struct{}

func (noStdin) Read([]byte) (int, error) {
	return 0, errors.New("standard input is not available to the commands of jindo run")
}
