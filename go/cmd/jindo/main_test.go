package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/cli"
)

// An unknown command answers in the format asked for: one JSON error line under json, the usage
// in text.
func TestUnknownCommandAnswersInTheFormatAskedFor(t *testing.T) {
	var out, errs bytes.Buffer
	env := cli.Env{Stdout: &out, Stderr: &errs}
	if code := run(context.Background(), []string{"nosuch", "--output-format", "json"}, env); code != cli.ExitUsage {
		t.Fatalf("exit %d", code)
	}
	var line struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(errs.Bytes(), &line); err != nil || line.Error.Code != "UsageError" || !strings.Contains(line.Error.Message, "nosuch") {
		t.Fatalf("%v %q", err, errs.String())
	}
	errs.Reset()
	if code := run(context.Background(), []string{"nosuch"}, env); code != cli.ExitUsage || !strings.Contains(errs.String(), "unknown command \"nosuch\"") || !strings.Contains(errs.String(), "commands:") {
		t.Fatalf("exit %d %q", code, errs.String())
	}
}
