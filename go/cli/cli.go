// Package cli implements the jindo commands that speak ossutil 1.x's language: cp, sync, ls,
// stat, du, rm, mb, rb, cat, presign (sign), hash, mkdir, run and config. A command is a function of
// its arguments, standard streams, environment and context, so tests run it in-process;
// go/cmd/jindo only wires it to the process (signals, terminal, exit status).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/credentials"
)

// Exit statuses, as ossutil's: 0 all done, 1 something failed, 2 the command line is wrong; and
// as a shell's, 130 interrupted (128 + SIGINT).
const (
	ExitOK          = 0
	ExitFailed      = 1
	ExitUsage       = 2
	ExitInterrupted = 130
	outputJSON      = "json"
	outputPlain     = "plain"
)

// Env is what a command may use of its process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Home           string // where ~/.ossutilconfig is looked for
	// Terminal tells that stderr is a terminal: progress is drawn as a bar there; otherwise only
	// ossutil's summary lines are printed.
	Terminal bool
	// Interactive tells that stdin is a terminal, so a question (sync --delete) can be answered;
	// without one a command that needs consent does nothing and says how to give it (-f).
	Interactive bool
	// limits, set by jindo run for its lines, are the speed limiters all the lines' clients
	// share: --maxupspeed/--maxdownspeed bound the process, as ossutil's do.
	limits *speedLimits
}

// command is one subcommand.
type command struct {
	name, args, summary string
	options             []option
	offline             bool // needs no endpoint or credentials
	run                 func(ctx context.Context, c *call) error
}

// call is one running command: its parsed line, client and output.
type call struct {
	env      *Env
	cmd      *command
	opts     *parsed
	raw      []string // the arguments after the command name, for order-sensitive options
	settings *settings
	client   *oss.Client
	observer *oss.Observer // --loglevel's, nil without
	out      *lockedWriter
	stdout   *countingWriter
	format   string // outputPlain or outputJSON
	oneLine  bool   // under json: the document goes to stderr (sideDocument), so it is one line
	started  time.Time
	askMu    sync.Mutex // one question at a time on the terminal

	entriesMu sync.Mutex
	entries   *jsonList // under json: what a dry run would do, streamed
	openList  *jsonList // under json: a document begun on stdout and not yet ended
}

// lockedWriter serialises writes from parallel workers so lines never interleave.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (c *call) printf(format string, a ...any) { fmt.Fprintf(c.out, format, a...) }

// someFailedError reports that a command ran to its end but some items failed (exit 1); the
// items' errors were already printed.
type someFailedError struct{ n int }

func (e *someFailedError) Error() string { return fmt.Sprintf("%d items failed", e.n) }

// errInterrupted is the cause of the context's cancellation on Ctrl-C.
var errInterrupted = errors.New("interrupted")

func commands() []*command {
	return []*command{cpCommand(), syncCommand(), lsCommand(), statCommand(), duCommand(), rmCommand(),
		mbCommand(), rbCommand(), catCommand(), presignCommand(), hashCommand(), mkdirCommand(), runCommand(),
		configCommand(), setMetaCommand(), restoreCommand()}
}

func lookup(name string) *command {
	if name == "sign" {
		name = "presign"
	}
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// Names lists the commands this package runs, for the dispatcher.
func Names() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return append(out, "sign")
}

// Usage writes the list of commands.
func Usage(w io.Writer) {
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
}

// Run runs one command line (args[0] is the command name) and returns the exit status.
// Cancelling ctx stops it: transfers are aborted, temporary files removed.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	// Workers, the progress bar and --loglevel's lines all write to stderr: one write at a time.
	env.Stderr = &lockedWriter{w: env.Stderr}
	stdout := &countingWriter{w: env.Stdout}
	c := &call{env: &env, out: &lockedWriter{w: stdout}, stdout: stdout, format: outputPlain, started: time.Now()}
	if len(args) > 0 && outputFormat(args[1:]) == outputJSON {
		c.format = outputJSON // every error of the line in JSON, those of parsing it too
	}
	if len(args) == 0 {
		c.reportError(usagef("no command"))
		return ExitUsage
	}
	cmd := lookup(args[0])
	if cmd == nil {
		c.reportError(usagef("no such command: %q", args[0]))
		return ExitUsage
	}
	c.cmd, c.raw = cmd, args[1:]
	specs := specsOf(cmd)
	err := func() error {
		var err error
		if c.opts, err = parseOptions(cmd.name, specs, args[1:]); err != nil {
			return err
		}
		if c.opts.bool("help") {
			help(env.Stdout, cmd, specs)
			return nil
		}
		if err := c.parseOutputFormat(); err != nil {
			return err
		}
		if err := c.decodeArgs(); err != nil {
			return err
		}
		if !cmd.offline {
			if c.settings, err = resolveSettings(c.opts, &env, func(m string) { c.notice("warning", "Warning: "+m, nil) }); err != nil {
				return err
			}
			// Ask for the keys once now, so that no source at all is a usage error naming
			// every place looked, and a failing one (the metadata service) fails before
			// any work starts.
			if _, err := c.settings.Provider.Credentials(ctx); err != nil {
				var nc *credentials.NoCredentialsError
				if errors.As(err, &nc) {
					return usagef("%v", err)
				}
				return fmt.Errorf("credentials: %w", err)
			}
			conns := int(max(c.opts.int("jobs", 0)*c.opts.int("parallel", 0), c.opts.int("jobs", 0)))
			if c.client, err = c.settings.client(conns, c.tuneClient); err != nil {
				var ue *usageError
				if errors.As(err, &ue) {
					return err
				}
				return usagef("%v", err)
			}
			defer c.client.Close()
		}
		return cmd.run(ctx, c)
	}()
	return c.finish(ctx, err)
}

// specsOf is every option cmd takes: its own and the shared ones.
func specsOf(cmd *command) []option {
	specs := append([]option{{"h", "help", flagBool, "show this help"}, outputOption}, cmd.options...)
	if !hasOption(cmd.options, "endpoint") {
		// Offline commands accept them too (and ignore them), so one alias with -c fits all.
		specs = append(specs, credentialOptions...)
	}
	return append(specs, extraOptions(cmd)...)
}

func (c *call) finish(ctx context.Context, err error) int {
	var ue *usageError
	var sf *someFailedError
	if err != nil && c.openList != nil {
		// A listing cut short still ends as one document, saying how it ended.
		outcome := "failed"
		if ctx.Err() != nil {
			outcome = "interrupted"
		}
		c.openList.closeWith("summary", map[string]any{"command": c.cmd.name, "outcome": outcome, "error": errorFields(err)})
	}
	switch {
	case err == nil:
		if c.json() && c.stdout.n.Load() == 0 {
			// A command with nothing to show (mb, rm of one key, ...) still answers a document.
			c.printJSON(map[string]any{"summary": map[string]any{"outcome": "succeeded", "seconds": time.Since(c.started).Seconds()}})
		}
		return ExitOK
	case errors.As(err, &ue):
		c.reportError(ue)
		return ExitUsage
	case ctx.Err() != nil:
		c.reportError(errInterrupted)
		return ExitInterrupted
	case errors.As(err, &sf):
		return ExitFailed
	default:
		c.reportError(err)
		return ExitFailed
	}
}

// elapsed prints ossutil's closing line (not under json: the document is the whole output).
func (c *call) elapsed() {
	if c.json() {
		return
	}
	c.printf("\n%.6f(s) elapsed\n", time.Since(c.started).Seconds())
}

func help(w io.Writer, cmd *command, specs []option) {
	fmt.Fprintf(w, "usage: jindo %s %s\n\n%s\n\noptions:\n", cmd.name, cmd.args, cmd.summary)
	sorted := append([]option(nil), specs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].long < sorted[j].long })
	for _, o := range sorted {
		name := "    --" + o.long
		if o.short != "" {
			name = "-" + o.short + ", --" + o.long
		}
		if o.kind != flagBool {
			name += " VALUE"
		}
		fmt.Fprintf(w, "  %-32s %s\n", name, o.help)
	}
}

// objectError is an error about one object, printed with its bucket and key as ossutil does.
type objectError struct {
	bucket, key string
	err         error
}

func (e *objectError) Error() string { return e.err.Error() }
func (e *objectError) Unwrap() error { return e.err }

func wrapObject(bucket, key string, err error) error {
	if err == nil {
		return nil
	}
	var oe *objectError
	if errors.As(err, &oe) {
		return err
	}
	return &objectError{bucket: bucket, key: key, err: err}
}

// describeError renders an error as ossutil does: the OSS status, code, message and request id.
func describeError(err error) string {
	var se *oss.ServiceError
	var oe *objectError
	errors.As(err, &oe)
	if errors.As(err, &se) {
		var b strings.Builder
		msg := se.Message
		if msg == "" {
			msg = http.StatusText(se.Status)
		}
		fmt.Fprintf(&b, "oss: service returned error: StatusCode=%d, ErrorCode=%s, ErrorMessage=%q, RequestId=%s", se.Status, se.Code, msg, se.RequestID)
		if se.EC != "" {
			fmt.Fprintf(&b, ", Ec=%s", se.EC)
		}
		if oe != nil {
			fmt.Fprintf(&b, ", Bucket=%s", oe.bucket)
			if oe.key != "" {
				fmt.Fprintf(&b, ", Object=%s", oe.key)
			}
		}
		return b.String()
	}
	if oe != nil {
		return fmt.Sprintf("%s: %v", cloudURL(oe.bucket, oe.key), oe.err)
	}
	return err.Error()
}

// cloudURL is oss://bucket/key.
func cloudURL(bucket, key string) string { return "oss://" + bucket + "/" + key }

// ossURL is a parsed oss://bucket/key.
type ossURL struct{ bucket, key string }

func isCloud(s string) bool { return strings.HasPrefix(strings.ToLower(s), "oss://") }

func parseCloud(s string) (ossURL, error) {
	if !isCloud(s) {
		return ossURL{}, usagef("%q is not an oss:// URL", s)
	}
	rest := s[len("oss://"):]
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return ossURL{}, usagef("%q names no bucket", s)
	}
	return ossURL{bucket: bucket, key: key}, nil
}

// cloudArg parses the command's n-th argument as an oss:// URL.
func (c *call) cloudArg(i int) (ossURL, error) {
	if len(c.opts.args) <= i {
		return ossURL{}, usagef("%s needs %s", c.cmd.name, c.cmd.args)
	}
	return parseCloud(c.opts.args[i])
}

// onlyCloudArg is the one argument of a command that takes a single oss:// URL.
func (c *call) onlyCloudArg() (ossURL, error) {
	if err := c.wantArgs(1, 1); err != nil {
		return ossURL{}, err
	}
	return c.cloudArg(0)
}

func (c *call) wantArgs(min, max int) error {
	if n := len(c.opts.args); n < min || n > max {
		return usagef("%s takes %s", c.cmd.name, c.cmd.args)
	}
	return nil
}

func hasOption(specs []option, long string) bool {
	for _, o := range specs {
		if o.long == long {
			return true
		}
	}
	return false
}
