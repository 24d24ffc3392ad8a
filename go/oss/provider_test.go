package oss

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/credentials"
	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// rotating hands out new keys on every call, as a provider does across a rotation.
type rotating struct{ n atomic.Int32 }

func (r *rotating) Credentials(context.Context) (credentials.Credentials, error) {
	n := r.n.Add(1)
	return credentials.NewStatic(fmt.Sprintf("ak-%d", n), "sk", "tok", "test").Creds, nil
}

func TestEveryAttemptIsSignedWithTheProvidersCurrentKeys(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization")+" "+r.Header.Get("x-oss-security-token"))
		first := len(auths) == 1
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, CredentialsProvider: &rotating{},
		Retry: retry.Policy{Retryer: retry.Standard{Attempts: 3}, Clock: instantClock{}}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Bucket: "b", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(auths) != 2 || !strings.HasPrefix(auths[0], "OSS ak-1:") || !strings.HasPrefix(auths[1], "OSS ak-2:") || !strings.HasSuffix(auths[1], " tok") {
		t.Fatalf("attempts signed %q", auths)
	}
}

type failing struct{}

func (failing) Credentials(context.Context) (credentials.Credentials, error) {
	return credentials.Credentials{}, errors.New("ECS RAM role r: metadata service unreachable")
}

func TestProviderFailureIsACredentialsErrorAndSendsNothing(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c, _ := New(Config{Endpoint: srv.URL, CredentialsProvider: failing{},
		Retry: retry.Policy{Retryer: retry.Standard{Attempts: 3}, Clock: instantClock{}}})
	_, err := c.Do(context.Background(), &Request{Method: http.MethodPut, Bucket: "b", Key: "k",
		Body: strings.NewReader("x"), ContentLength: 1, GetBody: func() io.Reader { return strings.NewReader("x") }})
	var ce *CredentialsError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "ECS RAM role r") || hits.Load() != 0 {
		t.Fatalf("%v, %d requests", err, hits.Load())
	}
	if _, err := c.PresignContext(context.Background(), &Request{Method: http.MethodGet, Bucket: "b", Key: "k"}, 60, true, nil, time.Now()); !errors.As(err, &ce) {
		t.Fatalf("presign: %v", err)
	}
}
