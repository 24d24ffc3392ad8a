package credentials

import (
	"context"
	"sync"
)

// Mutable holds keys that their owner replaces while requests use them: pyjindo pushes the
// keys of a Python provider into a live session when they change. Every attempt signs with the
// keys held when it starts, so the parts of a long transfer pick new keys up as they come. The
// keys are handed out as they are, empty ones too (they are signed, and OSS refuses them).
type Mutable struct {
	mu    sync.Mutex
	creds Credentials
}

// NewMutable returns a Mutable holding c.
func NewMutable(c Credentials) *Mutable { return &Mutable{creds: c} }

// Set replaces the keys for the requests that start from now on.
func (m *Mutable) Set(c Credentials) {
	m.mu.Lock()
	m.creds = c
	m.mu.Unlock()
}

func (m *Mutable) Credentials(context.Context) (Credentials, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.creds, nil
}
