package credentials

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestEnvPrefersAlibabaCloudNamesAndTakesEachFamilyWhole(t *testing.T) {
	ctx := context.Background()
	c, err := (&Env{Getenv: envOf(map[string]string{
		EnvAccessKeyID: "ali", EnvAccessKeySecret: "ali-sk",
		EnvOSSAccessKeyID: "oss", EnvOSSAccessKeySecr: "oss-sk", EnvOSSSessionToken: "oss-tok",
	})}).Credentials(ctx)
	if err != nil || c.AccessKeyID != "ali" || c.SecurityToken != "" || !strings.Contains(c.Source, EnvAccessKeyID) {
		t.Fatalf("%+v %v", c, err)
	}
	c, err = (&Env{Getenv: envOf(map[string]string{EnvOSSAccessKeyID: "oss", EnvOSSAccessKeySecr: "oss-sk", EnvOSSSessionToken: "tok"})}).Credentials(ctx)
	if err != nil || c.AccessKeyID != "oss" || c.SecurityToken != "tok" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err = (&Env{Getenv: envOf(map[string]string{EnvAccessKeyID: "half"})}).Credentials(ctx); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("half a key pair must be an error, not absence: %v", err)
	}
	if _, err = (&Env{Getenv: envOf(nil)}).Credentials(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no variables: %v", err)
	}
}

func TestProfileReadsSectionsInOssutilSpellings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg")
	os.WriteFile(path, []byte("[Credentials]\nlanguage=EN\nendpoint = ep\naccessKeyID = id1\naccessKeySecret = sk1\n\n[prod]\naccess_key_id=id2\naccess-key-secret=sk2\nsts_token=tok2\n"), 0o600)
	ctx := context.Background()
	c, err := (&Profile{Path: path}).Credentials(ctx)
	if err != nil || c.AccessKeyID != "id1" || c.AccessKeySecret != "sk1" || c.SecurityToken != "" {
		t.Fatalf("%+v %v", c, err)
	}
	c, err = (&Profile{Path: path, Section: "prod"}).Credentials(ctx)
	if err != nil || c.AccessKeyID != "id2" || c.AccessKeySecret != "sk2" || c.SecurityToken != "tok2" || !strings.Contains(c.Source, "[prod]") {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err = (&Profile{Path: path, Section: "nope"}).Credentials(ctx); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "[nope]") {
		t.Fatalf("missing section: %v", err)
	}
	if _, err = (&Profile{Path: path + ".missing"}).Credentials(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestWriteProfileKeepsOtherSectionsAndIsPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cfg")
	os.WriteFile(path, []byte("[Credentials]\nlanguage=CH\naccessKeyID=old\noutputDir=/x\n[Bucket-Endpoint]\nb1=e1\n"), 0o644)
	names := []string{"endpoint", "accessKeyID", "accessKeySecret", "stsToken"}
	if err := WriteProfile(path, "Credentials", names, map[string]string{"endpoint": "ep", "accessKeyID": "new", "accessKeySecret": "sk"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteProfile(path, "prod", names, map[string]string{"accessKeyID": "p", "accessKeySecret": "psk"}); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	kv, err := ReadProfile(path, "Credentials")
	if err != nil || kv["accesskeyid"] != "new" || kv["accesskeysecret"] != "sk" || kv["language"] != "CH" || kv["outputdir"] != "/x" || kv["endpoint"] != "ep" {
		t.Fatalf("%v %v", kv, err)
	}
	if kv, _ := ReadProfile(path, "Bucket-Endpoint"); kv["b1"] != "e1" {
		t.Fatalf("other section lost: %v", kv)
	}
	if kv, _ := ReadProfile(path, "prod"); kv["accesskeyid"] != "p" {
		t.Fatalf("new section: %v", kv)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("temporary files left: %v", ents)
	}
}

func TestJSONFileIsReadAgainWhenItChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cred.json")
	write := func(ak string, mtime time.Time) {
		os.WriteFile(path, []byte(`{"AccessKeyId":"`+ak+`","AccessKeySecret":"sk","SecurityToken":"tok","Expiration":"2099-01-02T03:04:05Z"}`), 0o600)
		os.Chtimes(path, mtime, mtime)
	}
	base := time.Now().Add(-time.Hour)
	write("ak-1", base)
	j := &JSONFile{Path: path}
	c, err := j.Credentials(context.Background())
	if err != nil || c.AccessKeyID != "ak-1" || c.SecurityToken != "tok" || c.Expiration.Year() != 2099 {
		t.Fatalf("%+v %v", c, err)
	}
	write("ak-2", base.Add(time.Second))
	if c, _ = j.Credentials(context.Background()); c.AccessKeyID != "ak-2" {
		t.Fatalf("changed file not read again: %+v", c)
	}
	os.WriteFile(path, []byte(`{"AccessKeyId":""}`), 0o600)
	if _, err = j.Credentials(context.Background()); err == nil {
		t.Fatal("a file without keys must fail")
	}
	if _, err = (&JSONFile{Path: path + ".no"}).Credentials(context.Background()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestChainUsesFirstFoundAndListsEveryPlaceItLooked(t *testing.T) {
	ctx := context.Background()
	empty := &Env{Getenv: envOf(nil)}
	missing := &Profile{Path: "/nonexistent/cfg"}
	_, err := NewChain(empty, missing, nil).Credentials(ctx)
	var nc *NoCredentialsError
	if !errors.As(err, &nc) || len(nc.Looked) != 2 || !strings.Contains(err.Error(), EnvAccessKeyID) || !strings.Contains(err.Error(), "/nonexistent/cfg") {
		t.Fatalf("%v", err)
	}
	c, err := NewChain(empty, NewStatic("a", "b", "", "flags")).Credentials(ctx)
	if err != nil || c.AccessKeyID != "a" {
		t.Fatalf("%+v %v", c, err)
	}
	broken := &Env{Getenv: envOf(map[string]string{EnvAccessKeyID: "half"})}
	if _, err = NewChain(broken, NewStatic("a", "b", "", "flags")).Credentials(ctx); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("a broken source must stop the chain: %v", err)
	}
}

func TestMutableHandsOutTheKeysSetLast(t *testing.T) {
	m := NewMutable(NewStatic("", "", "", "python").Creds)
	if c, err := m.Credentials(context.Background()); err != nil || c.AccessKeyID != "" {
		t.Fatalf("empty keys: %+v %v", c, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 100; i++ {
			m.Credentials(context.Background())
		}
	}()
	m.Set(NewStatic("ak-2", "sk-2", "tok-2", "python").Creds)
	<-done
	if c, _ := m.Credentials(context.Background()); c.AccessKeyID != "ak-2" || c.SecurityToken != "tok-2" {
		t.Fatalf("after Set: %+v", c)
	}
}
