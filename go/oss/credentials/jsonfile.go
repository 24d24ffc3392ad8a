package credentials

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// JSONFile reads credentials from a JSON file in osstorchconnector's cred_path format,
//
//	{"AccessKeyId": "...", "AccessKeySecret": "...", "SecurityToken": "...", "Expiration": "2026-12-01T10:00:00Z"}
//
// (SecurityToken and Expiration optional), and reads it again whenever its modification time
// or size changes: an agent beside the process rewrites it with fresh keys (preferably by
// rename, so a reader never sees it half-written). Keys past their Expiration are an error
// naming the file, not keys to sign with.
type JSONFile struct {
	Path string

	mu    sync.Mutex
	mtime time.Time
	size  int64
	cur   Credentials
}

func (j *JSONFile) Credentials(context.Context) (Credentials, error) {
	st, err := os.Stat(j.Path)
	if os.IsNotExist(err) {
		return Credentials{}, NotFound("credentials file %s: does not exist", j.Path)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials file: %w", err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if !st.ModTime().Equal(j.mtime) || st.Size() != j.size || j.cur.AccessKeyID == "" {
		data, err := os.ReadFile(j.Path)
		if err != nil {
			return Credentials{}, fmt.Errorf("credentials file: %w", err)
		}
		c, err := parseSTSJSON(data, "credentials file "+j.Path)
		if err != nil {
			return Credentials{}, err
		}
		j.cur, j.mtime, j.size = c, st.ModTime(), st.Size()
	}
	if j.cur.Expired(time.Now()) {
		return Credentials{}, fmt.Errorf("%s: the keys expired at %s; write fresh ones into it", j.cur.Source, j.cur.Expiration.Format(time.RFC3339))
	}
	return j.cur, nil
}

// stsJSON is the shape the metadata service, STS and cred_path files share.
type stsJSON struct {
	Code            string `json:"Code"`
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

func parseSTSJSON(data []byte, source string) (Credentials, error) {
	var v stsJSON
	if err := json.Unmarshal(data, &v); err != nil {
		return Credentials{}, fmt.Errorf("%s: not JSON credentials: %w", source, err)
	}
	return v.credentials(source)
}

func (v *stsJSON) credentials(source string) (Credentials, error) {
	if v.AccessKeyID == "" || v.AccessKeySecret == "" {
		return Credentials{}, fmt.Errorf("%s: no AccessKeyId and AccessKeySecret in the answer", source)
	}
	c := NewStatic(v.AccessKeyID, v.AccessKeySecret, v.SecurityToken, source).Creds
	if v.Expiration != "" {
		exp, err := time.Parse(time.RFC3339, v.Expiration)
		if err != nil {
			return Credentials{}, fmt.Errorf("%s: bad Expiration %q", source, v.Expiration)
		}
		c.Expiration = exp
	}
	return c, nil
}
