//go:build !unix

package transfer

import "os"

// Without flock a live download's temporary file cannot be told from a stale one: none is removed.
func lockTemp(*os.File)    {}
func removeIfStale(string) {}
