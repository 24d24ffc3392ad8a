package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseByteRate(t *testing.T) {
	cases := map[string]int64{
		"0": 0, "50MB": 50_000_000, "50MB/s": 50_000_000, "1MiB": 1 << 20,
		"1.5KB": 1500, "123": 123, "2GiB": 2 << 30,
	}
	for in, want := range cases {
		got, err := parseByteRate(in)
		if err != nil || got != want {
			t.Errorf("parseByteRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MB", "-1MB", "fast", "50XB"} {
		if _, err := parseByteRate(bad); err == nil {
			t.Errorf("parseByteRate(%q) accepted a bad rate", bad)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1GiB": 1 << 30, "512MiB": 512 << 20, "2GB": 2e9, "1000": 1000} {
		if got, err := parseByteSize(in); err != nil || got != want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "1GiB/s", "-1", "lots"} {
		if _, err := parseByteSize(bad); err == nil {
			t.Errorf("parseByteSize(%q) accepted a bad size", bad)
		}
	}
}

func TestMaxMemoryFlag(t *testing.T) {
	for _, args := range [][]string{
		{"--anonymous", "--max-memory", "lots"},
		{"--anonymous", "--root", t.TempDir(), "--max-memory", "1GiB"},
	} {
		var out, errs bytes.Buffer
		if code := runServer(args, &out, &errs); code != 2 || !strings.Contains(errs.String(), "--max-memory") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs.String())
		}
	}
}
