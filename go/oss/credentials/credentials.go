// Package credentials finds the keys OSS requests are signed with: static keys, the
// environment, ossutil's config file, a JSON credentials file, the ECS instance metadata
// service (RAM role) and RRSA (STS AssumeRoleWithOIDC), tried in order by a Chain, with a
// Refreshing cache in front of the sources whose credentials expire.
//
// It holds no package-level state: every provider is a value the caller builds, and the
// environment is read through a Getenv the caller passes, so go/capi can hand in the
// configuration Python gives it instead of the process's environment.
package credentials

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
)

// Credentials are signing keys with their lifetime and origin.
type Credentials struct {
	signer.Credentials
	// Expiration is when the keys stop working; zero means they do not expire.
	Expiration time.Time
	// Source names where they came from ("environment ALIBABA_CLOUD_*", "ECS RAM role x", ...),
	// for messages.
	Source string
}

// Expired tells whether the credentials have expired at now.
func (c Credentials) Expired(now time.Time) bool {
	return !c.Expiration.IsZero() && !now.Before(c.Expiration)
}

// Provider gives the credentials to sign a request with now. It is called for every request
// (and every retry), so a provider whose source is slow must sit behind a Refreshing cache.
type Provider interface {
	Credentials(ctx context.Context) (Credentials, error)
}

// ErrNotFound is wrapped by the error of a provider whose source holds no credentials (a
// variable not set, a file missing): a Chain then tries the next provider. Any other error
// is a source that exists but failed, and stops the Chain.
var ErrNotFound = errors.New("no credentials")

// notFound says where a provider looked and what was missing.
type notFound struct{ where string }

func (e *notFound) Error() string        { return e.where }
func (e *notFound) Is(target error) bool { return target == ErrNotFound }

// NotFound returns an error wrapping ErrNotFound that describes where a provider looked.
func NotFound(format string, args ...any) error {
	return &notFound{where: fmt.Sprintf(format, args...)}
}

// Static is a provider of fixed keys (flags, a config file already read, go/capi's session).
type Static struct{ Creds Credentials }

// NewStatic returns a Static provider of the keys, named source.
func NewStatic(id, secret, token, source string) *Static {
	return &Static{Creds: Credentials{Credentials: signer.Credentials{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token}, Source: source}}
}

func (s *Static) Credentials(context.Context) (Credentials, error) {
	if s.Creds.AccessKeyID == "" || s.Creds.AccessKeySecret == "" {
		return Credentials{}, NotFound("%s: no AccessKeyID and AccessKeySecret", s.Creds.Source)
	}
	return s.Creds, nil
}

// Getenv reads a variable; nil means os.Getenv.
type Getenv func(string) string

func (g Getenv) get(name string) string {
	if g == nil {
		return os.Getenv(name)
	}
	return strings.TrimSpace(g(name))
}

// Environment variables, in the order Env reads them. The ALIBABA_CLOUD_* names are the
// official Alibaba Cloud SDKs' and win; the OSS_* names are oss2's and ossutil's.
const (
	EnvAccessKeyID      = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeySecret  = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvSecurityToken    = "ALIBABA_CLOUD_SECURITY_TOKEN"
	EnvOSSAccessKeyID   = "OSS_ACCESS_KEY_ID"
	EnvOSSAccessKeySecr = "OSS_ACCESS_KEY_SECRET"
	EnvOSSSessionToken  = "OSS_SESSION_TOKEN"
)

// Env reads keys from the environment: the ALIBABA_CLOUD_* triple when its id and secret are
// both set, else the OSS_* triple. A triple is taken whole, so a token of one family never
// goes with the keys of the other.
type Env struct{ Getenv Getenv }

func (e *Env) Credentials(context.Context) (Credentials, error) {
	for _, names := range [][3]string{
		{EnvAccessKeyID, EnvAccessKeySecret, EnvSecurityToken},
		{EnvOSSAccessKeyID, EnvOSSAccessKeySecr, EnvOSSSessionToken},
	} {
		id, secret := e.Getenv.get(names[0]), e.Getenv.get(names[1])
		switch {
		case id != "" && secret != "":
			return NewStatic(id, secret, e.Getenv.get(names[2]), "environment "+names[0]).Creds, nil
		case id != "" || secret != "":
			return Credentials{}, fmt.Errorf("environment: %s and %s must be set together", names[0], names[1])
		}
	}
	return Credentials{}, NotFound("environment %s/%s or %s/%s: not set", EnvAccessKeyID, EnvAccessKeySecret, EnvOSSAccessKeyID, EnvOSSAccessKeySecr)
}
