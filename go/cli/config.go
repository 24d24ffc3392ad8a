package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/oss/signer"
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
}

// settings are where to send requests and how to sign them, after flags, environment and the
// config file have been consulted (in that order: the first that gives a value wins).
type settings struct {
	Endpoint    string
	Credentials signer.Credentials
	SignVersion string
	Region      string
	Attempts    int
}

// readConfigFile reads the [Credentials] section of an ossutil config file. A missing file
// is no error when it was not named explicitly.
func readConfigFile(path string, explicit bool) (map[string]string, error) {
	out := map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return out, nil
		}
		return nil, fmt.Errorf("read config file: %w", err)
	}
	defer f.Close()
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' && strings.HasSuffix(line, "]") {
			section = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section != "Credentials" {
			continue
		}
		out[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read config file %s: %w", path, err)
	}
	return out, nil
}

// resolveSettings finds the endpoint and credentials: command-line options, then the
// environment (OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN, OSS_ENDPOINT,
// OSS_REGION), then the config file's [Credentials] section (endpoint, accessKeyID,
// accessKeySecret, stsToken).
func resolveSettings(p *parsed, env *Env) (*settings, error) {
	path, explicit := p.str("config-file"), p.set["config-file"]
	if !explicit {
		path = filepath.Join(env.Home, ".ossutilconfig")
	}
	file, err := readConfigFile(path, explicit)
	if err != nil {
		return nil, err
	}
	first := func(vals ...string) string {
		for _, v := range vals {
			if v != "" {
				return v
			}
		}
		return ""
	}
	s := &settings{
		Endpoint: first(p.str("endpoint"), env.Getenv("OSS_ENDPOINT"), file["endpoint"]),
		Credentials: signer.Credentials{
			AccessKeyID:     first(p.str("access-key-id"), env.Getenv("OSS_ACCESS_KEY_ID"), file["accesskeyid"]),
			AccessKeySecret: first(p.str("access-key-secret"), env.Getenv("OSS_ACCESS_KEY_SECRET"), file["accesskeysecret"]),
			SecurityToken:   first(p.str("sts-token"), env.Getenv("OSS_SESSION_TOKEN"), file["ststoken"]),
		},
		SignVersion: strings.ToLower(first(p.str("sign-version"), "v1")),
		Region:      first(p.str("region"), env.Getenv("OSS_REGION"), file["region"]),
		Attempts:    int(p.int("retry-times", 3)),
	}
	if s.Endpoint == "" {
		return nil, usagef("no endpoint: give -e, set OSS_ENDPOINT, or write endpoint= in [Credentials] of %s", path)
	}
	if s.Credentials.AccessKeyID == "" || s.Credentials.AccessKeySecret == "" {
		return nil, usagef("no credentials: give -i and -k, set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or write accessKeyID= and accessKeySecret= in [Credentials] of %s", path)
	}
	if s.SignVersion != "v1" && s.SignVersion != "v4" {
		return nil, usagef("--sign-version must be v1 or v4, not %q", s.SignVersion)
	}
	if s.SignVersion == "v4" && s.Region == "" {
		s.Region = regionFromEndpoint(s.Endpoint)
		if s.Region == "" {
			return nil, usagef("--sign-version v4 needs --region (or OSS_REGION)")
		}
	}
	return s, nil
}

// regionFromEndpoint reads the region from a public endpoint (oss-cn-hangzhou.aliyuncs.com ->
// cn-hangzhou), or "" when the endpoint does not name one.
func regionFromEndpoint(ep string) string {
	if i := strings.Index(ep, "://"); i >= 0 {
		ep = ep[i+3:]
	}
	label, _, _ := strings.Cut(ep, ".")
	label = strings.TrimSuffix(strings.TrimPrefix(label, "oss-"), "-internal")
	if label == "" || !strings.HasPrefix(ep, "oss-") {
		return ""
	}
	return label
}

// client makes the command's client; tune, when given, adjusts its configuration first.
func (s *settings) client(conns int, tune func(*oss.Config) error) (*oss.Client, error) {
	cfg := oss.Config{
		Endpoint: s.Endpoint, Credentials: s.Credentials, SignVersion: s.SignVersion, Region: s.Region,
		UserAgent: "jindo-cli", MaxConns: max(conns, 64), Retry: retry.New(s.Attempts, 0),
	}
	if tune != nil {
		if err := tune(&cfg); err != nil {
			return nil, err
		}
	}
	return oss.New(cfg)
}
