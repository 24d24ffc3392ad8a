package server

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// keysFile holds the temporary keys of Config.KeysFile: a JSON list of STS answers,
//
//	[{"AccessKeyId": "STS.x", "AccessKeySecret": "...", "SecurityToken": "...", "Expiration": "2026-12-01T10:00:00Z"}]
//
// read again whenever its modification time or size changes, so a test's metadata service
// or STS double can hand out keys while the server runs (write it by rename). A key past its
// Expiration, or sent without its SecurityToken, is refused as OSS refuses them.
type keysFile struct {
	path string

	mu    sync.Mutex
	mtime time.Time
	size  int64
	keys  map[string]tempKey
	err   error
}

type tempKey struct {
	secret, token string
	expires       time.Time // zero: never
}

func (k *keysFile) lookup(id string) (tempKey, bool, error) {
	st, err := os.Stat(k.path)
	if err != nil {
		return tempKey{}, false, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.keys == nil || !st.ModTime().Equal(k.mtime) || st.Size() != k.size {
		k.keys, k.err = readKeysFile(k.path)
		k.mtime, k.size = st.ModTime(), st.Size()
	}
	if k.err != nil {
		return tempKey{}, false, k.err
	}
	key, ok := k.keys[id]
	return key, ok, nil
}

func readKeysFile(path string) (map[string]tempKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []struct{ AccessKeyId, AccessKeySecret, SecurityToken, Expiration string }
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	keys := map[string]tempKey{}
	for _, e := range list {
		k := tempKey{secret: e.AccessKeySecret, token: e.SecurityToken}
		if e.Expiration != "" {
			if k.expires, err = time.Parse(time.RFC3339, e.Expiration); err != nil {
				return nil, fmt.Errorf("keys file %s: key %s: %w", path, e.AccessKeyId, err)
			}
		}
		keys[e.AccessKeyId] = k
	}
	return keys, nil
}

// tempSecret is the secret of a key of the keys file, or OSS's refusal of it.
func (rq *request) tempSecret(id string) (string, *ossError, bool) {
	k, ok, err := rq.s.keys.lookup(id)
	if err != nil {
		rq.s.cfg.Logger.Error("keys file", "err", err)
		return "", nil, false
	}
	if !ok {
		return "", nil, false
	}
	token := rq.r.Header.Get("X-Oss-Security-Token")
	for _, name := range []string{"security-token", "x-oss-security-token"} {
		if token == "" {
			token = rq.query.Get(name)
		}
	}
	switch {
	case k.token != "" && token != k.token:
		return "", (&ossError{Status: 403, Code: "InvalidAccessKeyId", Message: "The security token you provided is invalid.",
			EC: "0002-00000902"}).with("OSSAccessKeyId", id), true
	case !k.expires.IsZero() && !rq.s.cfg.Now().Before(k.expires):
		return "", (&ossError{Status: 403, Code: "InvalidAccessKeyId", Message: "The security token you provided has expired.",
			EC: "0002-00000902"}).with("OSSAccessKeyId", id), true
	}
	return k.secret, nil, true
}
