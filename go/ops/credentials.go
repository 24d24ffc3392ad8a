package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/pyjindo/pyjindo/go/oss/credentials"
	"github.com/pyjindo/pyjindo/go/oss/signer"
)

// A session's credentials: either keys its caller gives (and replaces while the session lives,
// set_credentials), or a source of go/oss/credentials named in its configuration, whose failed
// refreshes the session keeps for its caller to log (CredentialWarnings).

func init() {
	register("credentials", NoBuffer, currentCredentials)
	register("set_credentials", NoBuffer, setCredentials)
}

// staticSource names the keys a caller gives, in CredentialsResult.Source.
const staticSource = "static keys"

func newKeys(id, secret, token string) *credentials.Mutable {
	return credentials.NewMutable(credentials.Credentials{
		Credentials: signer.Credentials{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token},
		Source:      staticSource})
}

type CredentialsResult struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"security_token"`
	Expiration      int64  `json:"expiration"` // Unix seconds, 0: none
	Source          string `json:"source"`
}

// currentCredentials asks the session's credentials source once: the keys requests would be
// signed with now, their expiry and where they came from. Python asks it when a file system or
// dataset is made, so missing credentials fail there, and for oss2's get_credentials().
func currentCredentials(ctx context.Context, c *Call, _ *Empty) (CredentialsResult, error) {
	cr, err := c.Session.Client.CurrentCredentials(ctx)
	if err != nil {
		return CredentialsResult{}, err
	}
	var exp int64
	if !cr.Expiration.IsZero() {
		exp = cr.Expiration.Unix()
	}
	return CredentialsResult{AccessKeyID: cr.AccessKeyID, AccessKeySecret: cr.AccessKeySecret,
		SecurityToken: cr.SecurityToken, Expiration: exp, Source: cr.Source}, nil
}

type SetCredentialsArgs struct {
	AccessKeyID     string `json:"access_key_id" arg:"required"`
	AccessKeySecret string `json:"access_key_secret" arg:"required"`
	SecurityToken   string `json:"security_token"`
}

// setCredentials replaces the keys of a session made with keys: Python pushes the keys of its
// provider here when they change, so the requests and parts of calls under way sign with them
// from their next attempt on, on the same connections.
func setCredentials(_ context.Context, c *Call, a *SetCredentialsArgs) (Empty, error) {
	if c.Session.keys == nil {
		return Empty{}, ClientErrorf("set_credentials: this session signs with a credentials source, not with keys given to it")
	}
	c.Session.keys.Set(credentials.Credentials{
		Credentials: signer.Credentials{AccessKeyID: a.AccessKeyID, AccessKeySecret: a.AccessKeySecret, SecurityToken: a.SecurityToken},
		Source:      staticSource})
	return Empty{}, nil
}

// credentialWarningsSize bounds the warnings a session keeps between two drains; a refresh
// that failed is tried again a second later at the soonest, so few ever wait.
const credentialWarningsSize = 20

// warningLog is a session's failed credential refreshes not yet drained: the source's
// Refreshing cache reports them from its own goroutine, and the caller (Python, after each
// call and while one runs) drains and logs them on its own thread.
type warningLog struct {
	mu       sync.Mutex
	messages []string
	dropped  int
}

// add is a Refreshing cache's Logf.
func (l *warningLog) add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.messages) == credentialWarningsSize {
		l.dropped++
		return
	}
	l.messages = append(l.messages, msg)
}

// CredentialWarnings returns the failed refreshes of the session's credentials source since
// the last call, as JSON {"warnings": [...], "dropped": n}, or nil when there were none.
func (s *Session) CredentialWarnings() []byte {
	if s.warnings == nil {
		return nil
	}
	s.warnings.mu.Lock()
	messages, dropped := s.warnings.messages, s.warnings.dropped
	s.warnings.messages, s.warnings.dropped = nil, 0
	s.warnings.mu.Unlock()
	if len(messages) == 0 && dropped == 0 {
		return nil
	}
	b, err := json.Marshal(map[string]any{"warnings": messages, "dropped": dropped})
	if err != nil {
		return nil
	}
	return b
}
