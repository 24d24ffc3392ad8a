package server

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// The throttled body reader and writer account every byte to their pacer: its virtual clock
// moves by size/rate (less the one burst an idle pacer may spend at once).
func TestThrottledBodiesArePaced(t *testing.T) {
	const rate = 64 << 20 // bytes per second
	data := bytes.Repeat([]byte("x"), 4<<20)
	minAdvance := time.Duration(float64(len(data)-newPacer(rate).burst) / rate * float64(time.Second))

	w := throttledWriter{w: io.Discard, p: newPacer(rate)}
	start := time.Now()
	if n, err := w.Write(data); n != len(data) || err != nil {
		t.Fatalf("write %d %v", n, err)
	}
	if adv := w.p.due.Sub(start); adv < minAdvance {
		t.Fatalf("writer paced %v of traffic, want at least %v", adv, minAdvance)
	}

	r := throttledReader{r: bytes.NewReader(data), p: newPacer(rate)}
	start = time.Now()
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	if adv := r.p.due.Sub(start); adv < minAdvance {
		t.Fatalf("reader paced %v of traffic, want at least %v", adv, minAdvance)
	}
}

func TestRestoreState(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	cold := store.ObjectInfo{Attrs: store.Attrs{StorageClass: store.ClassColdArchive}}
	if readable(cold, now) || restoreInfo(cold, now) != "" {
		t.Fatal("an archived object never restored is readable or reports a restore")
	}
	cold.RestoreReady, cold.RestoreExpiry = now.Add(time.Second), now.Add(24*time.Hour)
	if readable(cold, now) || restoreInfo(cold, now) != `ongoing-request="true"` {
		t.Fatalf("restoring: %q", restoreInfo(cold, now))
	}
	later := now.Add(time.Minute)
	if !readable(cold, later) || restoreInfo(cold, later) != `ongoing-request="false", expiry-date="Wed, 02 Jan 2030 00:00:00 GMT"` {
		t.Fatalf("restored: %q", restoreInfo(cold, later))
	}
	expired := now.Add(25 * time.Hour)
	if readable(cold, expired) || restoreInfo(cold, expired) != "" {
		t.Fatal("an expired restore still counts")
	}
	if !readable(store.ObjectInfo{Attrs: store.Attrs{StorageClass: store.ClassIA}}, now) {
		t.Fatal("IA is unreadable")
	}
}

func TestWildcardMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		fold, want bool
	}{
		{"*", "anything", false, true},
		{"https://*.example.com", "https://a.example.com", false, true},
		{"https://*.example.com", "https://example.com", false, false},
		{"x-oss-*", "X-OSS-META-A", true, true},
		{"x-oss-*", "X-OSS-META-A", false, false},
		{"exact", "exact", false, true},
		{"ab*ba", "aba", false, false}, // prefix and suffix may not overlap
	} {
		if got := wildcardMatch(c.pattern, c.s, c.fold); got != c.want {
			t.Errorf("wildcardMatch(%q, %q, %v) = %v", c.pattern, c.s, c.fold, got)
		}
	}
}

func TestTagsRoundTrip(t *testing.T) {
	tags := []tag{{"a b", "c&d"}, {"+=/", ""}, {"中文", "值"}}
	s := joinTags(tags)
	if n, e := parseTagging(s); e != nil || n != 3 {
		t.Fatalf("parseTagging(%q) = %d, %v", s, n, e)
	}
	got := tagPairs(s)
	if len(got) != 3 || got[0] != tags[0] || got[1] != tags[1] || got[2] != tags[2] || strings.Count(s, "&") != 2 {
		t.Fatalf("round trip %q -> %+v", s, got)
	}
}
