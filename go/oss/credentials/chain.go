package credentials

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// Chain tries its providers in order and uses the first that has credentials. Once one has
// answered, the Chain keeps asking that one (the sources do not come and go while a process
// runs, and a refreshing source must not be overtaken by a later one between refreshes).
type Chain struct {
	Providers []Provider

	mu   sync.Mutex
	last Provider
}

// NewChain returns a Chain of the providers, nil ones left out.
func NewChain(ps ...Provider) *Chain {
	c := &Chain{}
	for _, p := range ps {
		if p != nil {
			c.Providers = append(c.Providers, p)
		}
	}
	return c
}

// NoCredentialsError is a Chain in which no provider found credentials; Looked says where
// each one looked, in order.
type NoCredentialsError struct{ Looked []string }

func (e *NoCredentialsError) Error() string {
	return "no credentials found; looked in: " + strings.Join(e.Looked, "; ")
}

func (e *NoCredentialsError) Is(target error) bool { return target == ErrNotFound }

func (c *Chain) Credentials(ctx context.Context) (Credentials, error) {
	c.mu.Lock()
	last := c.last
	c.mu.Unlock()
	if last != nil {
		return last.Credentials(ctx)
	}
	var looked []string
	for _, p := range c.Providers {
		creds, err := p.Credentials(ctx)
		if err == nil {
			c.mu.Lock()
			c.last = p
			c.mu.Unlock()
			return creds, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return Credentials{}, err
		}
		var nc *NoCredentialsError
		if errors.As(err, &nc) {
			looked = append(looked, nc.Looked...)
		} else {
			looked = append(looked, err.Error())
		}
	}
	return Credentials{}, &NoCredentialsError{Looked: looked}
}

// DefaultChain is the one order of sources a default chain follows (the CLI's, and the
// "chain" Spec of Python's front ends): the key sources, in the caller's order; then the ECS
// RAM role, only when asked for (ecs non-nil), else a source whose absence says how to ask
// (notAsked), because off ECS probing the metadata address costs a connect timeout; then RRSA
// when its variables are set in getenv. refresh wraps the sources whose keys expire.
func DefaultChain(keys []Provider, ecs *ECSRole, notAsked string, getenv Getenv, refresh func(Provider) Provider) *Chain {
	chain := append([]Provider{}, keys...)
	if ecs != nil {
		chain = append(chain, refresh(ecs))
	} else {
		chain = append(chain, Absent(NotFound("%s", notAsked)))
	}
	if o, err := OIDCFromEnv(getenv); err != nil {
		chain = append(chain, Absent(err))
	} else {
		chain = append(chain, refresh(o))
	}
	return NewChain(chain...)
}

// Absent is a source that is not there; err (wrapping ErrNotFound for a chain to go on) says
// where it would have looked or how to configure it.
func Absent(err error) Provider { return absent{err} }

type absent struct{ err error }

func (a absent) Credentials(context.Context) (Credentials, error) { return Credentials{}, a.err }
