package main

import "testing"

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
