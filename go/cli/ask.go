package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// ask writes question to stderr (c.question: a JSON line under --output-format json) and tells
// whether the answer on stdin is y or yes. Questions from parallel workers (cp's overwrites) are
// asked one at a time, and the progress bar waits for the answer.
func (c *call) ask(ctx context.Context, question string) (bool, error) {
	c.askMu.Lock()
	defer c.askMu.Unlock()
	if c.env.Terminal && !c.json() {
		fmt.Fprint(c.env.Stderr, "\r\033[K") // the progress bar's line (it is not drawn while we ask)
	}
	line, err := c.answer(ctx, question)
	if err != nil && err != io.EOF {
		return false, err
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

// answer asks question and returns the line typed on stdin, without its newline (io.EOF with
// what came before the end of input). The line is read a byte at a time, so that a later
// question finds its own answer still unread. A read cannot be cancelled, so it runs aside:
// Ctrl-C while the question waits ends the command at once (ctx's error), instead of after the
// next Enter.
func (c *call) answer(ctx context.Context, question string) (string, error) {
	c.question(question)
	type read struct {
		line string
		err  error
	}
	answer := make(chan read, 1)
	go func() {
		var line []byte
		b := make([]byte, 1)
		for len(line) < 1024 {
			n, err := c.env.Stdin.Read(b)
			if n == 1 {
				if b[0] == '\n' {
					break
				}
				line = append(line, b[0])
			}
			if err != nil {
				answer <- read{string(line), io.EOF}
				return
			}
		}
		answer <- read{string(line), nil}
	}()
	select {
	case <-ctx.Done():
		if !c.json() {
			fmt.Fprintln(c.env.Stderr) // end the unanswered question's line
		}
		return "", ctx.Err()
	case r := <-answer:
		return r.line, r.err
	}
}
