// Command gosdk_v4 records requests exactly as aliyun-oss-go-sdk v3.0.2 (the SDK of ossutil
// 1.7.19) signs them with AuthV4: timed by the Date header, no x-oss-date. It regenerates
// ../gosdk_v4_date.json (the Date it records is the time it ran):
//
//	cd go/server/testdata/gosdk_v4 && GOFLAGS=-mod=mod go run . | python3 -m json.tool > ../gosdk_v4_date.json
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

type rec struct {
	Method  string            `json:"method"`
	Host    string            `json:"host"`
	Path    string            `json:"raw_path"`
	Query   string            `json:"raw_query"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func main() {
	var recs []rec
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h := map[string]string{}
		for k, v := range r.Header {
			if k == "User-Agent" || k == "Accept-Encoding" {
				continue
			}
			h[k] = strings.Join(v, ",")
		}
		recs = append(recs, rec{r.Method, r.Host, r.URL.EscapedPath(), r.URL.RawQuery, h, string(b)})
		if r.Method == "GET" && r.URL.RawQuery != "" {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>bkt</Name><Prefix></Prefix><Marker></Marker><MaxKeys>10</MaxKeys><Delimiter></Delimiter><IsTruncated>false</IsTruncated></ListBucketResult>`)
		}
	}))
	defer ts.Close()
	client, err := oss.New(ts.URL, "test-ak", "test-sk-secret", oss.AuthVersion(oss.AuthV4), oss.Region("cn-hangzhou"), oss.ForcePathStyle(true))
	if err != nil {
		panic(err)
	}
	b, _ := client.Bucket("bkt")
	must(b.PutObject("dir/a b+c.txt", strings.NewReader("hello v4"), oss.ContentType("text/plain"), oss.Meta("k", "v")))
	_, err = b.ListObjects(oss.Prefix("dir/"), oss.MaxKeys(10))
	must(err)
	must(b.DeleteObject("dir/a b+c.txt"))
	json.NewEncoder(os.Stdout).Encode(recs)
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
