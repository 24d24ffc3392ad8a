//go:build !linux

package transfer

import (
	"errors"
	"os"
)

var errNoUnnamed = errors.New("unnamed files need Linux's O_TMPFILE")

// openUnnamed is Linux-only (see unnamed_linux.go): elsewhere the caller uses a named temporary file.
func openUnnamed(string) (*os.File, error) { return nil, errNoUnnamed }

func nameUnnamed(*os.File, string) error { return errNoUnnamed }
