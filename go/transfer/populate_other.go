//go:build !linux

package transfer

func populate([]byte) {}

func preferHuge([]byte) {}
