package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pyjindo/pyjindo/go/transfer"
)

func runCommand() *command {
	return &command{name: "run", args: "FILE|-", summary: "run the commands in FILE (one a line, as given to jindo) in parallel",
		offline: true,
		options: append([]option{{"j", "jobs", flagInt, "commands at once (default 8)"}}, credentialOptions...),
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

func runRun(ctx context.Context, c *call) error {
	if err := c.wantArgs(1, 1); err != nil {
		return err
	}
	if c.json() {
		// run's output is its commands', each line prefixed with its line number: not one document.
		return usagef("run: give --output-format json on the lines of the file; their outputs are printed after their line numbers")
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
	// a "--" in the line (after which everything is an argument) keep their meaning.
	var shared []string
	for _, o := range credentialOptions {
		if v, ok := c.opts.vals[o.long]; ok {
			shared = append(shared, "--"+o.long+"="+v)
		}
	}
	type numbered struct {
		n     int // the line's number in the file, from 1
		words []string
	}
	var lines []numbered
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words, err := splitLine(line)
		if err != nil {
			return usagef("run: line %d: %v", n, err)
		}
		if len(words) > 0 && words[0] == "jindo" {
			words = words[1:]
		}
		if len(words) == 0 {
			continue
		}
		if cmd := lookup(words[0]); cmd == nil || cmd.name == "run" {
			return usagef("run: line %d: no such command %q in %q", n, words[0], line)
		}
		lines = append(lines, numbered{n, append(append([]string{words[0]}, shared...), words[1:]...)})
	}
	if err := sc.Err(); err != nil {
		return err
	}
	jobs := int(c.opts.int("jobs", 8))
	if jobs < 1 {
		return usagef("--jobs must be at least 1")
	}
	var (
		mu     sync.Mutex
		failed []int
	)
	// A failed line does not stop the others (its output says why), so no call returns an error.
	transfer.Each(ctx, len(lines), jobs, false, func(ctx context.Context, _, i int) error {
		l := lines[i]
		// Each command's output is kept whole, so parallel commands never interleave lines.
		var out, errOut bytes.Buffer
		env := *c.env
		env.Stdout, env.Stderr, env.Terminal, env.Interactive = &out, &errOut, false, false
		// Parallel commands cannot share one stdin (and it may be the command file): a question
		// (rm -r, cp without -f) reads no answer, as from </dev/null, and `cp - oss://...`
		// fails instead of storing an empty object.
		env.Stdin = noStdin{}
		rc := Run(ctx, l.words, env)
		mu.Lock()
		defer mu.Unlock()
		// Every line of output says which line of the file it came from.
		prefix := []byte("line " + strconv.Itoa(l.n) + ": ")
		c.env.Stdout.Write(prefixLines(prefix, out.Bytes()))
		c.env.Stderr.Write(prefixLines(prefix, errOut.Bytes()))
		if rc != ExitOK {
			failed = append(failed, l.n)
		}
		return nil
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(failed) > 0 {
		sort.Ints(failed)
		nums := make([]string, len(failed))
		for i, n := range failed {
			nums[i] = strconv.Itoa(n)
		}
		fmt.Fprintf(c.env.Stderr, "Error: %d of %d commands failed: line %s\n", len(failed), len(lines), strings.Join(nums, ", "))
		return &someFailedError{n: len(failed)}
	}
	return nil
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
