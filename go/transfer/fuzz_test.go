package transfer

import "testing"

// Content-Range comes from the network: any value must parse to a sane range or be refused.
func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-99/100", "bytes 5-5/6", "bytes */100", "bytes 9-1/10", "bytes -1-2/3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		start, end, total, ok := parseContentRange(v)
		if ok && !(0 <= start && start <= end && end < total) {
			t.Fatalf("%q -> %d-%d/%d", v, start, end, total)
		}
	})
}

// The Range a user passes in headers= decides how a download is split.
func FuzzParseSimpleRange(f *testing.F) {
	for _, s := range []string{"", "bytes=0-0", "bytes=5-", "bytes=-5", "bytes=1-2,3-4", "bytes=9-1", "items=0-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		start, end, ok := parseSimpleRange(v)
		if ok && (start < 0 || (end != -1 && end < start)) {
			t.Fatalf("%q -> %d-%d", v, start, end)
		}
	})
}
