package main

/*
#include <stdint.h>
*/
import "C"

import (
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/credentials"
	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/oss/signer"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// session is a configured OSS client, one per Python Bucket/Service and credentials.
type session struct {
	client    *oss.Client
	enableCRC bool
	transfer  transfer.Config
	// multipartThreshold is the body size from which a PutObject becomes a parallel multipart
	// upload; negative means never.
	multipartThreshold int64
}

func (s *session) close() { s.client.Close() }

// transferConfig is the session's transfer configuration with partSize, if positive, instead of
// its own.
func (s *session) transferConfig(partSize int64) transfer.Config {
	cfg := s.transfer
	if partSize > 0 {
		cfg.PartSize = partSize
	}
	return cfg
}

type sessionConfig struct {
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
	// role, RRSA, or their chain), asked before every request.
	Credentials *credentials.Spec `json:"credentials"`
	AppName     string            `json:"app_name"`
	Proxy       string            `json:"proxy"`
	// Transfer tuning; zero means the transfer package's default, threshold -1 means never.
	MultipartThreshold int64   `json:"multipart_threshold"`
	PartSize           int64   `json:"part_size"`
	Concurrency        int     `json:"concurrency"`
	RetryAttempts      int     `json:"retry_attempts"`
	RetryTime          float64 `json:"retry_time"` // seconds
}

// pj_session_new creates a session from a JSON config; 0 and *errOut on failure.
//
//export pj_session_new
func pj_session_new(config *C.char, errOut **C.char) (h C.uintptr_t) {
	defer recoverInto(errOut)
	s, err := newSession([]byte(C.GoString(config)))
	if err != nil {
		*errOut = C.CString(string(errorJSON(err)))
		return 0
	}
	return newHandle(s)
}

func newSession(raw []byte) (*session, error) {
	var cfg sessionConfig
	if err := decodeArgs("session", raw, &cfg); err != nil {
		return nil, err
	}
	ua := "pyjindo/" + version
	if cfg.AppName != "" {
		ua += "/" + cfg.AppName
	}
	// One policy for every request, part and page (0: the defaults).
	policy := retry.New(cfg.RetryAttempts, time.Duration(cfg.RetryTime*float64(time.Second)))
	var provider credentials.Provider
	if cfg.Credentials != nil {
		if cfg.AccessKeyID != "" || cfg.AccessKeySecret != "" || cfg.SecurityToken != "" {
			return nil, clientErrorf("session: give credentials or access keys, not both")
		}
		var err error
		if provider, err = cfg.Credentials.Provider(logRefreshFailure); err != nil {
			return nil, clientErrorf("%v", err)
		}
	}
	client, err := oss.New(oss.Config{
		Endpoint:            cfg.Endpoint,
		IsCname:             cfg.IsCname,
		PathStyle:           cfg.IsPathStyle,
		ConnectTimeout:      time.Duration(cfg.ConnectTimeout * float64(time.Second)),
		Credentials:         signer.Credentials{AccessKeyID: cfg.AccessKeyID, AccessKeySecret: cfg.AccessKeySecret, SecurityToken: cfg.SecurityToken},
		CredentialsProvider: provider,
		SignVersion:         cfg.SignVersion,
		Region:              cfg.Region,
		UserAgent:           ua,
		Retry:               policy,
		Proxy:               cfg.Proxy,
	})
	if err != nil {
		return nil, err
	}
	tc := transfer.Config{PartSize: cfg.PartSize, Concurrency: cfg.Concurrency, Retry: policy, CheckCRC: cfg.EnableCRC}
	return &session{client: client, enableCRC: cfg.EnableCRC, transfer: tc,
		multipartThreshold: cfg.MultipartThreshold}, nil
}

func sessionFrom(h C.uintptr_t) (*session, error) {
	s, ok := handleValue[*session](h)
	if !ok {
		return nil, clientErrorf("bad session handle")
	}
	return s, nil
}
