// Command gocall is the pure-Go anchor of the per-call rows (bench/run.py --only percall): COUNT
// calls of one small request through go/oss, the client pyjindo's core uses, with nothing
// between the caller and the client. Prints one JSON line as bench/case.py does.
//
//	go run ./bench/gocall ENDPOINT AK SK BUCKET OP COUNT   (OP: head, get, put, exists)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/signer"
)

const key = "percall/16k"

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	if len(os.Args) != 7 {
		fmt.Fprintln(os.Stderr, "usage: gocall ENDPOINT AK SK BUCKET OP COUNT")
		os.Exit(2)
	}
	endpoint, ak, sk, bucket, op := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	count, _ := strconv.Atoi(os.Args[6])
	c, err := oss.New(oss.Config{Endpoint: endpoint, Credentials: signer.Credentials{AccessKeyID: ak, AccessKeySecret: sk}})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	blob := make([]byte, 16*1024)
	call := func() error {
		r := &oss.Request{Bucket: bucket, Key: key, Header: http.Header{}, ContentLength: -1}
		switch op {
		case "head":
			r.Method = http.MethodHead
		case "exists":
			r.Method, r.Query = http.MethodHead, [][2]string{{"objectMeta", ""}}
		case "get":
			r.Method = http.MethodGet
		case "put":
			r.Method, r.Key, r.ContentLength = http.MethodPut, key+"-put-go", int64(len(blob))
			r.Body = bytes.NewReader(blob)
			r.GetBody = func() io.Reader { return bytes.NewReader(blob) }
		}
		resp, err := c.Do(ctx, r)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return err
	}
	for i := 0; i < 100; i++ {
		if err := call(); err != nil {
			panic(err)
		}
	}
	c0, t0 := cpu(), time.Now()
	for i := 0; i < count; i++ {
		if err := call(); err != nil {
			panic(err)
		}
	}
	wall, used := time.Since(t0), cpu()-c0
	n := 0
	if op == "get" || op == "put" {
		n = len(blob) * count
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	json.NewEncoder(os.Stdout).Encode(map[string]any{"bytes": n, "seconds": wall.Seconds(), "calls": count,
		"cpu_us_per_call":  float64(used.Microseconds()) / float64(count),
		"wall_us_per_call": float64(wall.Microseconds()) / float64(count), "peak_rss_kib": ru.Maxrss})
}
