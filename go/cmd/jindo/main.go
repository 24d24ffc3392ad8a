// Command jindo is pyjindo's command-line tool: the ops commands of ossutil 1.x (cp, sync, ls,
// stat, du, rm, mb, rb, cat, presign, hash, mkdir, run, config; see go/cli) and `jindo server`, the
// local OSS-compatible server used by the demo, the tests and the benchmarks.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/pyjindo/pyjindo/go/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// Ctrl-C (or SIGTERM) cancels the command's context: transfers stop, multipart uploads are
	// aborted and temporary files removed before the process exits. A second Ctrl-C kills at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	home, _ := os.UserHomeDir()
	env := cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Home: home,
		// A dumb terminal (an Emacs shell) cannot draw the progress bar but can answer a question.
		Terminal: isTTY(os.Stderr) && os.Getenv("TERM") != "dumb", Interactive: isTTY(os.Stdin)}
	os.Exit(run(ctx, os.Args[1:], env))
}

func usage(w io.Writer) {
	fmt.Fprint(w, "usage: jindo <command> [options] (jindo <command> -h for its options)\n\ncommands:\n")
	cli.Usage(w)
	fmt.Fprint(w, "  server    run a local OSS-compatible server\n  version   print the version\n")
}

func run(ctx context.Context, args []string, env cli.Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return cli.ExitUsage
	}
	switch args[0] {
	case "server":
		return runServer(args[1:], env.Stdout, env.Stderr)
	case "version", "--version":
		fmt.Fprintln(env.Stdout, version)
		return 0
	case "-h", "--help", "help":
		usage(env.Stdout)
		return 0
	}
	for _, name := range cli.Names() {
		if name == args[0] {
			cliGC()
			return cli.Run(ctx, args, env)
		}
	}
	if cli.WantsJSON(args[1:]) {
		return cli.Run(ctx, args, env) // which says so as a JSON error line
	}
	fmt.Fprintf(env.Stderr, "jindo: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return cli.ExitUsage
}

// cliGC lets a command's heap grow to three times what is live, not two, unless GOGC says
// otherwise. A command's live heap is a few MiB (its connections' buffers) and a tree of small
// files makes garbage at every file, so Go's default collected every few MiB, each collection
// stopping every thread. 1,000 downloads of 16 KiB, uncapped (20 alternated runs): 8 -> 3
// collections, client CPU 156 -> 146 ms, median wall 135 -> 126 ms, peak RSS 25 -> 30 MiB; the
// 1 GiB transfers make little garbage and keep their RSS. jindo server keeps Go's default.
func cliGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}
