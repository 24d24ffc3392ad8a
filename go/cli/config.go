package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/credentials"
	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// credentialOptions are the options every command that talks to OSS takes, as ossutil names them.
var credentialOptions = []option{
	{"e", "endpoint", flagString, "OSS endpoint, e.g. oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9000"},
	{"i", "access-key-id", flagString, "AccessKeyID"},
	{"k", "access-key-secret", flagString, "AccessKeySecret"},
	{"t", "sts-token", flagString, "STS token"},
	{"c", "config-file", flagString, "config file (default ~/.ossutilconfig)"},
	{"", "sign-version", flagString, "signature version: v1 (default) or v4"},
	{"", "region", flagString, "region, needed by v4 (e.g. cn-hangzhou)"},
	{"", "retry-times", flagInt, "attempts per request (default 3)"},
	{"", "profile", flagString, "section of the config file to read (default Credentials)"},
	{"", "mode", flagString, "credentials: AK, StsToken or EcsRamRole (default: the first found, see README)"},
	{"", "ecs-role-name", flagString, "RAM role of the ECS instance (--mode EcsRamRole; default: ask the instance)"},
}

// settings are where to send requests and how to sign them. The endpoint and region come from
// flags, environment and the config file, merged per setting as ossutil merges options with its
// file (the first that gives a value wins); the keys come whole from one source (keysChain).
type settings struct {
	Endpoint string
	// Provider signs the requests: keys from flags, environment or file, or the ECS RAM role,
	// or RRSA (see keysChain).
	Provider    credentials.Provider
	SignVersion string
	Region      string
	Attempts    int
}

// readConfigFile reads a section of an ossutil config file (keys as credentials.ConfigKey
// names them). A missing file is no error unless it was named explicitly; a missing section
// is no error unless it was asked for with --profile.
func readConfigFile(path string, explicit bool, section string, asked bool) (map[string]string, error) {
	kv, err := credentials.ReadProfile(path, section)
	switch {
	case err == nil:
		return kv, nil
	case !errors.Is(err, credentials.ErrNotFound):
		return nil, err
	case explicit && !fileExists(path):
		return nil, fmt.Errorf("read config file: %w", err)
	case asked && fileExists(path):
		return nil, usagef("--profile %s: %v", section, err)
	}
	return map[string]string{}, nil
}

func fileExists(path string) bool { _, err := os.Stat(path); return err == nil }

// resolveSettings finds the endpoint, region and signing options (command-line options, then
// OSS_ENDPOINT / OSS_REGION, then the config file's section: [Credentials], or --profile's),
// and the credentials provider (keysChain). warn prints what a credentials refresh warns about.
func resolveSettings(p *parsed, env *Env, warn func(string)) (*settings, error) {
	path, explicit := p.str("config-file"), p.set["config-file"]
	if !explicit {
		path = filepath.Join(env.Home, ".ossutilconfig")
	}
	section := first(p.str("profile"), credentials.DefaultProfile)
	file, err := readConfigFile(path, explicit, section, p.set["profile"])
	if err != nil {
		return nil, err
	}
	getenv := credentials.Getenv(env.Getenv)
	s := &settings{
		Endpoint:    first(p.str("endpoint"), getenv("OSS_ENDPOINT"), file["endpoint"]),
		SignVersion: strings.ToLower(first(p.str("sign-version"), "v1")),
		Region:      first(p.str("region"), getenv("OSS_REGION"), file["region"]),
		Attempts:    int(p.int("retry-times", 3)),
	}
	if s.Endpoint == "" {
		return nil, usagef("no endpoint: give -e, set OSS_ENDPOINT, or write endpoint= in [%s] of %s", section, path)
	}
	profile := &credentials.Profile{Path: path, Section: section}
	if s.Provider, err = keysChain(p, env, warn, file, profile, fmt.Sprintf("[%s] of %s", section, path)); err != nil {
		return nil, err
	}
	if s.SignVersion != "v1" && s.SignVersion != "v4" {
		return nil, usagef("--sign-version must be v1 or v4, not %q", s.SignVersion)
	}
	if s.SignVersion == "v4" && s.Region == "" {
		if e, err := oss.ParseEndpoint(s.Endpoint); err == nil {
			s.Region = e.Region // a bad endpoint is refused when the client is made
		}
		if s.Region == "" {
			return nil, usagef("--sign-version v4 needs --region (or OSS_REGION)")
		}
	}
	return s, nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// client makes the command's client; tune, when given, adjusts its configuration first.
func (s *settings) client(conns int, tune func(*oss.Config) error) (*oss.Client, error) {
	cfg := oss.Config{
		Endpoint: s.Endpoint, CredentialsProvider: s.Provider, SignVersion: s.SignVersion, Region: s.Region,
		UserAgent: "jindo-cli", MaxConns: max(conns, 64), Retry: retry.New(s.Attempts, 0),
	}
	if tune != nil {
		if err := tune(&cfg); err != nil {
			return nil, err
		}
	}
	return oss.New(cfg)
}
