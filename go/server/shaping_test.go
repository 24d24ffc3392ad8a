package server

import (
	"bytes"
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

// timedGet GETs key and reads the whole body; it returns the body and the wall time taken.
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
	data, err := io.ReadAll(resp.Body)
	elapsed := time.Since(start)
	if err != nil || (resp.StatusCode != 200 && key != "none") {
		t.Errorf("GET %s: %d %v", key, resp.StatusCode, err)
	}
	return data, elapsed
}

func within(got, want time.Duration, tolerance float64) bool {
	d := float64(got - want)
	return d <= tolerance*float64(want) && -d <= tolerance*float64(want)
}

var rateForTest int64 = 50_000_000

func TestBandwidthPerConn(t *testing.T) {
	const rate = 50_000_000
	mem := store.NewMemory(nil)
	if _, err := mem.CreateBucket("bkt"); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 20_000_000)
	for i := range big {
		big[i] = byte(i * 7)
	}
	half := big[:10_000_000]
	for key, data := range map[string][]byte{"big": big, "half": half} {
		if _, err := mem.Put("bkt", key, bytes.NewReader(data), store.Attrs{}, store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	base := serveShaped(t, Config{Store: mem, BandwidthPerConn: rateForTest})

	t.Run("one connection", func(t *testing.T) {
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
		want := time.Duration(float64(len(big)) / rate * float64(time.Second))
		if !within(elapsed, want, 0.15) {
			t.Fatalf("20 MB at %d B/s took %v, want %v ±15%%", rate, elapsed, want)
		}
	})

	t.Run("per connection", func(t *testing.T) {
		// Two connections at once each get the full rate: 10 MB each in about 0.2 s.
		var wg sync.WaitGroup
		times := make([]time.Duration, 2)
		for i := range times {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := plainClient()
				defer c.CloseIdleConnections()
				data, d := timedGet(t, c, base, "half")
				if !bytes.Equal(data, half) {
					t.Errorf("body of %d bytes differs", len(data))
				}
				times[i] = d
			}()
		}
		wg.Wait()
		want := time.Duration(float64(len(half)) / rate * float64(time.Second))
		for _, d := range times {
			if !within(d, want, 0.25) {
				t.Errorf("10 MB on its own connection took %v, want %v ±25%%", d, want)
			}
		}
	})

	t.Run("upload", func(t *testing.T) {
		c := plainClient()
		defer c.CloseIdleConnections()
		timedGet(t, c, base, "none")
		req := signedRequest(t, "PUT", base, "up", half)
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
		want := time.Duration(float64(len(half)) / rate * float64(time.Second))
		if !within(elapsed, want, 0.25) {
			t.Fatalf("10 MB upload took %v, want %v ±25%%", elapsed, want)
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
