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

func TestSpecReadsOnlyTheEnvironmentItIsGiven(t *testing.T) {
	t.Setenv(EnvOSSAccessKeyID, "process-ak")
	t.Setenv(EnvOSSAccessKeySecr, "process-sk")
	p, err := (&Spec{Source: "env", Env: map[string]string{EnvAccessKeyID: "ak", EnvAccessKeySecret: "sk"}}).Provider(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := p.Credentials(context.Background()); err != nil || c.AccessKeyID != "ak" {
		t.Fatalf("%+v %v", c, err)
	}
	p, _ = (&Spec{Source: "env"}).Provider(nil)
	if _, err := p.Credentials(context.Background()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the process's environment was read: %v", err)
	}
}

func TestSpecChainListsEveryPlaceAndTakesTheFirstFound(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ossutilconfig")
	p, err := (&Spec{Source: "chain", ConfigFile: cfg}).Provider(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Credentials(context.Background())
	var nc *NoCredentialsError
	if !errors.As(err, &nc) || len(nc.Looked) != 4 {
		t.Fatalf("%v", err)
	}
	for i, want := range []string{EnvAccessKeyID, cfg, EnvECSRoleName, EnvRoleArn} {
		if !strings.Contains(nc.Looked[i], want) {
			t.Errorf("looked[%d] = %q, want it to name %s", i, nc.Looked[i], want)
		}
	}
	os.WriteFile(cfg, []byte("[Credentials]\naccessKeyID = pak\naccessKeySecret = psk\n"), 0o600)
	p, _ = (&Spec{Source: "chain", ConfigFile: cfg}).Provider(nil)
	if c, err := p.Credentials(context.Background()); err != nil || c.AccessKeyID != "pak" || !strings.Contains(c.Source, cfg) {
		t.Fatalf("%+v %v", c, err)
	}
	p, _ = (&Spec{Source: "chain", ConfigFile: cfg, Env: map[string]string{EnvOSSAccessKeyID: "eak", EnvOSSAccessKeySecr: "esk"}}).Provider(nil)
	if c, err := p.Credentials(context.Background()); err != nil || c.AccessKeyID != "eak" {
		t.Fatalf("the environment comes before the config file: %+v %v", c, err)
	}
}

func TestSpecChainAsksTheMetadataServiceOnlyWhenARoleIsNamed(t *testing.T) {
	f := newFakeIMDS(t)
	p, _ := (&Spec{Source: "chain", Env: map[string]string{EnvIMDSEndpoint: f.URL}}).Provider(nil)
	if _, err := p.Credentials(context.Background()); !errors.Is(err, ErrNotFound) || len(f.requests) != 0 {
		t.Fatalf("%v, %d requests", err, len(f.requests))
	}
	p, _ = (&Spec{Source: "chain", Env: map[string]string{EnvIMDSEndpoint: f.URL, EnvECSRoleName: "my-role"}}).Provider(nil)
	if c, err := p.Credentials(context.Background()); err != nil || c.Source != "ECS RAM role my-role" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, ok := p.(*Chain).Providers[1].(*Refreshing); !ok {
		t.Fatalf("the ECS role is not behind a Refreshing cache")
	}
}

func TestSpecTakesOss2sMetadataURL(t *testing.T) {
	f := newFakeIMDS(t)
	p, err := (&Spec{Source: "ecs_ram_role", URL: f.URL + "/latest/meta-data/ram/security-credentials/my-role"}).Provider(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := p.Credentials(context.Background()); err != nil || c.AccessKeyID != "STS.ak-1" {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{"http://h/other/my-role", "not a url", "http://h/latest/meta-data/ram/security-credentials/a/b"} {
		if _, err := (&Spec{Source: "ecs_ram_role", URL: bad}).Provider(nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if base, role, err := splitMetadataURL("http://100.100.100.200/latest/meta-data/ram/security-credentials/"); err != nil || base != "http://100.100.100.200" || role != "" {
		t.Errorf("%q %q %v", base, role, err)
	}
	if _, err := (&Spec{Source: "nope"}).Provider(nil); err == nil || !strings.Contains(err.Error(), "chain") {
		t.Errorf("%v", err)
	}
}

func TestJSONFileRefusesExpiredKeysNamingTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cred.json")
	os.WriteFile(path, []byte(`{"AccessKeyId":"ak","AccessKeySecret":"sk","Expiration":"`+time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)+`"}`), 0o600)
	p, _ := (&Spec{Source: "json_file", Path: path}).Provider(nil)
	_, err := p.Credentials(context.Background())
	if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("%v", err)
	}
	os.WriteFile(path, []byte(`{"AccessKeyId": "ak",`), 0o600)
	if _, err := p.Credentials(context.Background()); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not JSON") {
		t.Fatalf("%v", err)
	}
}
