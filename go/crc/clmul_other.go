//go:build !amd64

package crc

import "hash/crc64"

func update(crc uint64, p []byte) uint64 { return crc64.Update(crc, Table, p) }
