//go:build !unix

package transfer

import "os"

// Without flock a live download's temporary file cannot be told from a stale one: none is removed.
func holdTemp(*os.File, bool) (*os.File, error) { return nil, nil }
func removeIfStale(string) bool                 { return false }
