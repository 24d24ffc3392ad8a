package main

import (
	"os"
	"testing"
)

// /dev/null is a character device but no terminal: a question must not be asked on it.
func TestDevNullIsNoTerminal(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTTY(f) {
		t.Fatal("/dev/null taken for a terminal")
	}
}
