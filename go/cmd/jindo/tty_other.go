//go:build !linux

package main

import "os"

// isTTY tells whether f is a character device: a terminal, or on these systems possibly
// /dev/null, whose empty answer to a question is a no.
func isTTY(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
