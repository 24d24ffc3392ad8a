package ops

import (
	"context"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/credentials"
	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// Session is a configured OSS client, one per Python Bucket/Service and credentials.
type Session struct {
	Client    *oss.Client
	EnableCRC bool
	Transfer  transfer.Config
	// MultipartThreshold is the body size from which a PutObject becomes a parallel multipart
	// upload; negative means never.
	MultipartThreshold int64

	// keys are the keys the session signs with when its configuration gives keys (replaced by
	// set_credentials); nil when a credentials source signs.
	keys *credentials.Mutable
	// warnings are the failed refreshes of a credentials source, nil with keys.
	warnings *warningLog
	workers  *workers
	// quick runs the quick calls from an event loop, as many at once as the session's
	// connections (StartQuick).
	quick quickQueue
	// results are quick results' buffers handed back (quickbuffers.go)
	results sync.Pool
}

// Close releases the client's connections (the waiting workers end on their own).
func (s *Session) Close() { s.Client.Close() }

// Go runs an operation of the session on its own goroutine, one kept from an earlier operation
// when there is one.
func (s *Session) Go(f func()) {
	if s.workers == nil { // a Session not made by NewSession
		go f()
		return
	}
	s.workers.Go(f)
}

// transferConfig is the session's transfer configuration with partSize, if positive, instead of
// its own.
func (s *Session) transferConfig(partSize int64) transfer.Config {
	cfg := s.Transfer
	if partSize > 0 {
		cfg.PartSize = partSize
	}
	return cfg
}

// SessionConfigName is the session configuration's entry in Describe.
const SessionConfigName = "$session"

// SessionConfig is a session's JSON configuration. Every key is optional: zero means the
// default.
type SessionConfig struct {
	Endpoint        string  `json:"endpoint"`
	IsCname         bool    `json:"is_cname"`
	IsPathStyle     bool    `json:"is_path_style"`
	ConnectTimeout  float64 `json:"connect_timeout"`
	EnableCRC       bool    `json:"enable_crc"`
	Region          string  `json:"region"`
	SignVersion     string  `json:"sign_version"`
	AccessKeyID     string  `json:"access_key_id"`
	AccessKeySecret string  `json:"access_key_secret"`
	SecurityToken   string  `json:"security_token"`
	// Credentials, instead of the keys above, names a source in go/oss/credentials (the
	// environment snapshot Python passes, ossutil's config file, a JSON file, the ECS RAM
	// role, RRSA, or their chain), asked before every request. Without it the session signs
	// with the keys above, which set_credentials replaces.
	Credentials *credentials.Spec `json:"credentials"`
	AppName     string            `json:"app_name"`
	Proxy       string            `json:"proxy"`
	// Transfer tuning; zero means the transfer package's default, threshold -1 means never.
	MultipartThreshold int64   `json:"multipart_threshold"`
	PartSize           int64   `json:"part_size"`
	Concurrency        int     `json:"concurrency"`
	RetryAttempts      int     `json:"retry_attempts"`
	RetryTime          float64 `json:"retry_time"` // seconds
	// MaxConns is the idle connections kept per host (0: go/oss's 64); pyjindo.aio sizes it to
	// its calls in flight so that each reuses one, and as many idle workers wait (workers.go).
	MaxConns int `json:"max_conns"`
}

// NewSession makes a session from its JSON configuration; version goes into the User-Agent.
func NewSession(raw []byte, version string) (*Session, error) {
	var cfg SessionConfig
	if err := decode("session", raw, &cfg, &shape{}); err != nil {
		return nil, err
	}
	ua := "pyjindo/" + version
	if cfg.AppName != "" {
		ua += "/" + cfg.AppName
	}
	// One policy for every request, part and page (0: the defaults).
	policy := retry.New(cfg.RetryAttempts, time.Duration(cfg.RetryTime*float64(time.Second)))
	var provider credentials.Provider
	var keys *credentials.Mutable
	var warnings *warningLog
	if cfg.Credentials != nil {
		if cfg.AccessKeyID != "" || cfg.AccessKeySecret != "" || cfg.SecurityToken != "" {
			return nil, clientErrorf("session: give credentials or access keys, not both")
		}
		warnings = &warningLog{}
		var err error
		if provider, err = cfg.Credentials.Provider(warnings.add); err != nil {
			return nil, clientErrorf("%v", err)
		}
	} else {
		keys = newKeys(cfg.AccessKeyID, cfg.AccessKeySecret, cfg.SecurityToken)
		provider = keys
	}
	client, err := oss.New(oss.Config{
		Endpoint:            cfg.Endpoint,
		IsCname:             cfg.IsCname,
		PathStyle:           cfg.IsPathStyle,
		ConnectTimeout:      time.Duration(cfg.ConnectTimeout * float64(time.Second)),
		CredentialsProvider: provider,
		SignVersion:         cfg.SignVersion,
		Region:              cfg.Region,
		UserAgent:           ua,
		Retry:               policy,
		Proxy:               cfg.Proxy,
		MaxConns:            cfg.MaxConns,
	})
	if err != nil {
		return nil, err
	}
	tc := transfer.Config{PartSize: cfg.PartSize, Concurrency: cfg.Concurrency, Retry: policy, CheckCRC: cfg.EnableCRC}
	return &Session{Client: client, EnableCRC: cfg.EnableCRC, Transfer: tc, MultipartThreshold: cfg.MultipartThreshold,
		keys: keys, warnings: warnings, workers: newWorkers(workerIdle, cfg.MaxConns),
		quick: quickQueue{limit: client.MaxConns()}}, nil
}

// InlineReady tells whether the session's quick operations may run on their caller's thread
// (go/capi pj_call): its client makes direct exchanges and its keys are given (pushed), so that
// asking for them never waits on a credentials service.
func (s *Session) InlineReady() bool { return s.keys != nil && s.Client.Direct() }

func init() {
	register("endpoint", NoBuffer, endpoint)
}

type EndpointResult struct {
	Endpoint string `json:"endpoint"` // with its scheme, as oss2's Bucket.endpoint
	Region   string `json:"region"`   // the region the endpoint names, or ""
}

// endpoint is the session's endpoint as go/oss reads it (oss.ParseEndpoint, the one rule):
// pyjindo's Bucket and Service ask it when made, so an endpoint Go refuses fails there, as in
// oss2, and the front ends take the region for V4 from it.
func endpoint(_ context.Context, c *Call, _ *Empty) (EndpointResult, error) {
	e := c.Session.Client.Endpoint()
	return EndpointResult{Endpoint: e.URL(), Region: e.Region}, nil
}
