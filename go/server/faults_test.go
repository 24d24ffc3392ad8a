package server

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

func faultyServer(t *testing.T) string {
	st := store.NewMemory(nil)
	st.CreateBucket("bkt")
	st.Put("bkt", "obj", strings.NewReader(strings.Repeat("0123456789", 1000)), store.Attrs{}, store.PutOptions{})
	return serve(t, Config{Store: st, Anonymous: true, Faults: &Faults{Header: true, Stall: 50 * time.Millisecond}})
}

func getWithFault(t *testing.T, addr, fault string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/bkt/obj", nil)
	req.Header.Set(FaultHeader, fault)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestFaultHeaderKinds(t *testing.T) {
	addr := faultyServer(t)
	want := strings.Repeat("0123456789", 1000)
	for _, code := range []string{"500", "503"} {
		resp, _, err := getWithFault(t, addr, code)
		if err != nil || resp.Status[:3] != code {
			t.Fatalf("%s: %v %v", code, resp, err)
		}
	}
	_, body, err := getWithFault(t, addr, "reset=1000")
	if err == nil || len(body) != 1000 {
		t.Fatalf("reset=1000: got %d bytes, err %v", len(body), err)
	}
	// reset=random cuts at a different place each time, always short of the whole body
	cuts := map[int]bool{}
	for range 20 {
		_, body, err = getWithFault(t, addr, "reset=random")
		if err == nil || len(body) >= len(want) || string(body) != want[:len(body)] {
			t.Fatalf("reset=random: got %d bytes, err %v", len(body), err)
		}
		cuts[len(body)] = true
	}
	if len(cuts) < 5 {
		t.Fatalf("reset=random cut at %v only", cuts)
	}
	_, body, err = getWithFault(t, addr, "corrupt")
	if err != nil || len(body) != len(want) || string(body) == want {
		t.Fatalf("corrupt: %d bytes, err %v, changed %v", len(body), err, string(body) != want)
	}
	start := time.Now()
	if _, body, err = getWithFault(t, addr, "stall=200ms"); err != nil || string(body) != want || time.Since(start) < 200*time.Millisecond {
		t.Fatalf("stall: err %v after %v", err, time.Since(start))
	}
}

// 503=N answers the first N requests of a kind (same path and Range) and serves the next, so a
// client's retry log can be checked exactly.
func TestFaultHeaderCountFailsOnlyTheFirstRequests(t *testing.T) {
	addr := faultyServer(t)
	get := func(rng string) int {
		req, _ := http.NewRequest("GET", "http://"+addr+"/bkt/obj", nil)
		req.Header.Set(FaultHeader, "503=2")
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for i, want := range []int{503, 503, 200, 200} {
		if got := get(""); got != want {
			t.Fatalf("request %d: status %d, want %d", i+1, got, want)
		}
	}
	for i, want := range []int{503, 503, 206} {
		if got := get("bytes=0-9"); got != want {
			t.Fatalf("ranged request %d: status %d, want %d", i+1, got, want)
		}
	}
}

func TestFaultHeaderIgnoredWhenNotEnabled(t *testing.T) {
	addr := serve(t, Config{Anonymous: true})
	req, _ := http.NewRequest("GET", "http://"+addr+"/bkt/", nil)
	req.Header.Set(FaultHeader, "500")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: a server without faults honoured the header", resp.StatusCode)
	}
}

func TestParseFaultKinds(t *testing.T) {
	if k, err := ParseFaultKinds("500, reset,corrupt,reset=random"); err != nil || len(k) != 4 {
		t.Fatal(k, err)
	}
	if _, err := ParseFaultKinds("explode"); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

// A body cut off mid-write (the reset fault) leaves no temporary file in a disk store.
func TestAbortedBodyLeavesNoTempFile(t *testing.T) {
	root := t.TempDir()
	st, err := store.OpenDisk(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.CreateBucket("bkt")
	addr := serve(t, Config{Store: st, Anonymous: true, Faults: &Faults{Header: true}})
	req, _ := http.NewRequest("PUT", "http://"+addr+"/bkt/k", strings.NewReader(strings.Repeat("x", 100000)))
	req.Header.Set(FaultHeader, "reset=50000")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		entries, _ := os.ReadDir(filepath.Join(root, "tmp"))
		if len(entries) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("temporary files left: %v", entries)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := st.Stat("bkt", "k"); err == nil {
		t.Fatal("a partial object was stored")
	}
}
