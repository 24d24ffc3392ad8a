package transfer

import (
	"errors"

	"github.com/pyjindo/pyjindo/go/oss"
)

// OSSError is err as go/oss's error types tell it to a caller that knows only those (pyjindo
// maps them to oss2's exceptions): an object that changed during a download is an
// *oss.InconsistentError, a Writer used after Close or Abort (a misuse, not a network failure)
// an *oss.ClientError. Other errors are returned unchanged.
func OSSError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrChanged):
		return &oss.InconsistentError{Message: err.Error()}
	case errors.Is(err, ErrWriterClosed):
		return &oss.ClientError{Message: err.Error()}
	}
	return err
}
