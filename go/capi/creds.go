package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// opCredentials asks the session's credentials source once: the keys requests would be
// signed with now, their expiry (Unix seconds, 0 = none) and where they came from. Python
// asks it when a file system or dataset is made, so missing credentials fail there, and for
// oss2's get_credentials().
func opCredentials(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var a struct{}
	if err := decodeArgs("credentials", raw, &a); err != nil {
		return nil, err
	}
	c, err := s.client.CurrentCredentials(ctx)
	if err != nil {
		return nil, err
	}
	var exp int64
	if !c.Expiration.IsZero() {
		exp = c.Expiration.Unix()
	}
	return map[string]any{"access_key_id": c.AccessKeyID, "access_key_secret": c.AccessKeySecret,
		"security_token": c.SecurityToken, "expiration": exp, "source": c.Source}, nil
}

// logRefreshFailure reports a failed refresh of credentials still valid: nothing fails yet,
// but the source (metadata service, STS) needs looking at before the keys expire.
func logRefreshFailure(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s pyjindo: warning: %s\n", time.Now().Format(time.RFC3339), fmt.Sprintf(format, args...))
}
