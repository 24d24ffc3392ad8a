package cli

import (
	"context"
	"fmt"
	"strings"
)

// ask writes question to stderr (c.question: a JSON line under --output-format json) and tells whether the answer on stdin is y or yes. Questions
// from parallel workers (cp's overwrites) are asked one at a time. The line is read a byte at a
// time, so that a later question finds its own answer still unread. A read cannot be
// cancelled, so it runs aside: Ctrl-C while the question waits ends the command at once
// (ctx's error), instead of after the next Enter.
func (c *call) ask(ctx context.Context, question string) (bool, error) {
	c.askMu.Lock()
	defer c.askMu.Unlock()
	c.question(question)
	answer := make(chan string, 1)
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
				break
			}
		}
		answer <- string(line)
	}()
	select {
	case <-ctx.Done():
		if !c.json() {
			fmt.Fprintln(c.env.Stderr) // end the unanswered question's line
		}
		return false, ctx.Err()
	case line := <-answer:
		a := strings.ToLower(strings.TrimSpace(line))
		return a == "y" || a == "yes", nil
	}
}
