//go:build !unix

package transfer

import "errors"

// Elsewhere the store's slabs are heap memory.
func mapAnon(int) ([]byte, error) { return nil, errors.New("no anonymous mappings") }

func unmapAnon([]byte) {}
