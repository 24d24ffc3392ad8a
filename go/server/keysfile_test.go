package server

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
)

func TestKeysFileAcceptsRotatingTemporaryKeysUntilTheyExpire(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	write := func(body string) {
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	write(`[{"AccessKeyId": "STS.1", "AccessKeySecret": "s1", "SecurityToken": "t1", "Expiration": "` + exp + `"}]`)
	e := newEnv(t, Config{KeysFile: path})
	as := func(id, secret, token string) *env {
		return e.with(func(e *env) {
			e.creds = signer.Credentials{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token}
		})
	}
	as("STS.1", "s1", "t1").do(t, "PUT", "/bkt/k", nil, nil, []byte("x")).expectStatus(t, 200)
	e.do(t, "GET", "/bkt/k", nil, nil, nil).expectStatus(t, 200) // the static keys still work
	as("STS.1", "s1", "").do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 403, "InvalidAccessKeyId")
	as("STS.1", "s1", "t2").do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 403, "InvalidAccessKeyId")
	as("STS.1", "wrong", "t1").do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 403, "SignatureDoesNotMatch")
	as("STS.2", "s2", "t2").do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 403, "InvalidAccessKeyId")

	// A rewritten file is read again: the new key works, an expired one is refused as OSS does.
	write(`[{"AccessKeyId": "STS.1", "AccessKeySecret": "s1", "SecurityToken": "t1", "Expiration": "` + past + `"},
	        {"AccessKeyId": "STS.2", "AccessKeySecret": "s2", "SecurityToken": "t2", "Expiration": "` + exp + `"}]`)
	as("STS.2", "s2", "t2").do(t, "GET", "/bkt/k", nil, nil, nil).expectStatus(t, 200)
	if doc := as("STS.1", "s1", "t1").do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 403, "InvalidAccessKeyId"); doc.Message != "The security token you provided has expired." {
		t.Fatalf("expired key: %+v", doc)
	}
}
