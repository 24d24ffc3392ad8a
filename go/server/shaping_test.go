package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
	"github.com/pyjindo/pyjindo/go/server/store"
)

// serveShaped runs a server for cfg through Serve on a loopback listener, so connection shaping
// applies, and returns its base URL.
func serveShaped(t *testing.T, cfg Config) string {
	t.Helper()
	if cfg.Credentials == nil {
		cfg.Credentials = map[string]string{"ak": "sk"}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func plainClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableCompression: true}}
}

// signedRequest is a V1-signed request for bucket "bkt" and key.
func signedRequest(t *testing.T, method, base, key string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, base+"/bkt/"+key, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	signer.SignV1(method, "bkt", key, nil, req.Header, testCreds, time.Now())
	return req
}

// timedGet GETs key and reads the whole body; it returns the body and the wall time taken. The
// body goes into a buffer sized from Content-Length: io.ReadAll's regrowing is slow enough under
// the race detector to fall behind a 50 MB/s connection.
func timedGet(t *testing.T, c *http.Client, base, key string) ([]byte, time.Duration) {
	t.Helper()
	req := signedRequest(t, "GET", base, key, nil)
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		t.Error(err)
		return nil, 0
	}
	defer resp.Body.Close()
	var data []byte
	if resp.ContentLength > 0 {
		data = make([]byte, resp.ContentLength)
		_, err = io.ReadFull(resp.Body, data)
		if err == nil {
			var one [1]byte
			if n, _ := resp.Body.Read(one[:]); n != 0 {
				err = errors.New("body longer than Content-Length")
			}
		}
	} else {
		data, err = io.ReadAll(resp.Body)
	}
	elapsed := time.Since(start)
	if err != nil || (resp.StatusCode != 200 && key != "none") {
		t.Errorf("GET %s: %d %v", key, resp.StatusCode, err)
	}
	return data, elapsed
}

// within reports whether got is no faster than want allows (the cap holds: a tight bound) and
// not grossly slower (the pacer does not oversleep). The slow side is loose because a loaded CI
// machine delays goroutines; only the fast side says whether shaping works.
func within(got, want time.Duration, tolerance float64) bool {
	return float64(got) >= (1-tolerance)*float64(want) && got <= 10*want
}

func rateTime(n int, rate int64) time.Duration {
	return time.Duration(float64(n) / float64(rate) * float64(time.Second))
}

func patterned(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestBandwidthPerConn(t *testing.T) {
	t.Run("one connection", func(t *testing.T) {
		const rate = 50_000_000
		big := patterned(20_000_000)
		mem := store.NewMemory(nil)
		if _, err := mem.CreateBucket("bkt"); err != nil {
			t.Fatal(err)
		}
		if _, err := mem.Put("bkt", "big", bytes.NewReader(big), store.Attrs{}, store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		base := serveShaped(t, Config{Store: mem, BandwidthPerConn: rate})
		c := plainClient()
		defer c.CloseIdleConnections()
		// Open the connection first so the measurement is the transfer alone.
		if _, d := timedGet(t, c, base, "none"); d > time.Second {
			t.Fatalf("warm-up took %v", d)
		}
		data, elapsed := timedGet(t, c, base, "big")
		if !bytes.Equal(data, big) {
			t.Fatalf("body of %d bytes differs from the object", len(data))
		}
		t.Logf("20 MB in %v", elapsed)
		if want := rateTime(len(big), rate); !within(elapsed, want, 0.15) {
			t.Fatalf("20 MB at %d B/s took %v, want %v (-15%%, x10)", rate, elapsed, want)
		}
	})

	t.Run("per connection", func(t *testing.T) {
		// Two connections at once each get the full rate.
		const rate = 10_000_000
		obj := patterned(2_000_000)
		mem := store.NewMemory(nil)
		if _, err := mem.CreateBucket("bkt"); err != nil {
			t.Fatal(err)
		}
		if _, err := mem.Put("bkt", "obj", bytes.NewReader(obj), store.Attrs{}, store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		base := serveShaped(t, Config{Store: mem, BandwidthPerConn: rate})
		var wg sync.WaitGroup
		times := make([]time.Duration, 2)
		for i := range times {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := plainClient()
				defer c.CloseIdleConnections()
				data, d := timedGet(t, c, base, "obj")
				if !bytes.Equal(data, obj) {
					t.Errorf("body of %d bytes differs", len(data))
				}
				times[i] = d
			}()
		}
		wg.Wait()
		want := rateTime(len(obj), rate)
		for _, d := range times {
			if !within(d, want, 0.25) {
				t.Errorf("2 MB on its own connection took %v, want %v (-25%%, x10)", d, want)
			}
		}
	})

	t.Run("upload", func(t *testing.T) {
		const rate = 5_000_000
		body := patterned(1_000_000)
		mem := store.NewMemory(nil)
		if _, err := mem.CreateBucket("bkt"); err != nil {
			t.Fatal(err)
		}
		base := serveShaped(t, Config{Store: mem, BandwidthPerConn: rate})
		c := plainClient()
		defer c.CloseIdleConnections()
		timedGet(t, c, base, "none")
		req := signedRequest(t, "PUT", base, "up", body)
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		elapsed := time.Since(start)
		if resp.StatusCode != 200 {
			t.Fatalf("PUT: %d", resp.StatusCode)
		}
		if want := rateTime(len(body), rate); !within(elapsed, want, 0.25) {
			t.Fatalf("1 MB upload at %d B/s took %v, want %v (-25%%, x10)", rate, elapsed, want)
		}
	})
}

func TestLatency(t *testing.T) {
	const latency = 50 * time.Millisecond
	mem := store.NewMemory(nil)
	if _, err := mem.CreateBucket("bkt"); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Put("bkt", "k", bytes.NewReader([]byte("v")), store.Attrs{}, store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	base := serveShaped(t, Config{Store: mem, Latency: latency})
	c := plainClient()
	defer c.CloseIdleConnections()
	for _, key := range []string{"k", "k", "missing"} { // the second reuses the connection
		req := signedRequest(t, "GET", base, key, nil)
		start := time.Now()
		resp, err := c.Do(req) // returns once the status line and headers are in
		firstByte := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if firstByte < latency {
			t.Errorf("GET %s: first byte after %v, want at least %v", key, firstByte, latency)
		}
		if firstByte > latency+time.Second {
			t.Errorf("GET %s: first byte after %v", key, firstByte)
		}
		if resp.Header.Get("x-oss-request-id") == "" {
			t.Errorf("GET %s: no request id", key)
		}
	}
}
