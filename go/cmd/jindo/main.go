// Command jindo is pyjindo's command-line tool. Today it has one subcommand, `jindo server`, which
// runs the local OSS-compatible server used by the demo, the tests and the benchmarks.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: jindo <command> [flags]

commands:
  server    run a local OSS-compatible server (jindo server -h for flags)
  version   print the version
`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "server":
		return runServer(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, version)
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "jindo: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
