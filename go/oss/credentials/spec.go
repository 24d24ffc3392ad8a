package credentials

import (
	"fmt"
	"net/url"
	"strings"
)

// Spec names a credentials source by configuration, for callers that cannot hand over a Go
// value: go/capi decodes it from the "credentials" object of a session config (pyjindo's
// Python API, fsspec and torch front ends).
//
// Env is the environment the sources read (the Env provider, and the variables of the ECS
// RAM role and RRSA); the process's own environment is never read, because in a library
// loaded by Python the Go runtime sees only the environment of the moment it started.
type Spec struct {
	// Source is one of "static", "env", "profile", "json_file", "ecs_ram_role", "rrsa" or
	// "chain" (env, profile, the ECS RAM role when asked for, RRSA when configured).
	Source string `json:"source"`

	AccessKeyID     string `json:"access_key_id,omitempty"` // static
	AccessKeySecret string `json:"access_key_secret,omitempty"`
	SecurityToken   string `json:"security_token,omitempty"`

	Env map[string]string `json:"env,omitempty"`

	ConfigFile string `json:"config_file,omitempty"` // profile (and chain): ossutil's config file
	Profile    string `json:"profile,omitempty"`     // its section; default DefaultProfile
	Path       string `json:"path,omitempty"`        // json_file
	RoleName   string `json:"role_name,omitempty"`   // ecs_ram_role: "" = EnvECSRoleName, else discover
	// URL is oss2's auth_host for ecs_ram_role: the metadata service's credentials URL,
	// http://100.100.100.200/latest/meta-data/ram/security-credentials/<role>; it gives the
	// endpoint and the role and wins over the environment's.
	URL string `json:"url,omitempty"`
}

// Provider builds the provider the Spec names. The ECS RAM role and RRSA sit behind a
// Refreshing cache whose failed refreshes go to logf (nil: not logged).
func (s *Spec) Provider(logf func(format string, args ...any)) (Provider, error) {
	getenv := Getenv(func(name string) string { return s.Env[name] })
	refresh := func(p Provider) Provider {
		r := Refresh(p)
		r.Logf = logf
		return r
	}
	switch s.Source {
	case "static":
		return NewStatic(s.AccessKeyID, s.AccessKeySecret, s.SecurityToken, "static keys"), nil
	case "env":
		return &Env{Getenv: getenv}, nil
	case "profile":
		if s.ConfigFile == "" {
			return nil, fmt.Errorf("credentials source profile needs config_file")
		}
		return &Profile{Path: s.ConfigFile, Section: s.Profile}, nil
	case "json_file":
		if s.Path == "" {
			return nil, fmt.Errorf("credentials source json_file needs path")
		}
		return &JSONFile{Path: s.Path}, nil
	case "ecs_ram_role":
		e, err := s.ecsRole(getenv)
		if err != nil {
			return nil, err
		}
		return refresh(e), nil
	case "rrsa":
		o, err := OIDCFromEnv(getenv)
		if err != nil {
			return nil, err
		}
		return refresh(o), nil
	case "chain":
		keys := []Provider{&Env{Getenv: getenv}}
		if s.ConfigFile != "" {
			keys = append(keys, &Profile{Path: s.ConfigFile, Section: s.Profile})
		}
		var ecs *ECSRole
		if s.RoleName != "" || s.URL != "" || getenv.get(EnvECSRoleName) != "" {
			var err error
			if ecs, err = s.ecsRole(getenv); err != nil {
				return nil, err
			}
		}
		return DefaultChain(keys, ecs, fmt.Sprintf("ECS RAM role: not asked for (%s not set)", EnvECSRoleName), getenv, refresh), nil
	}
	return nil, fmt.Errorf("unknown credentials source %q (static, env, profile, json_file, ecs_ram_role, rrsa or chain)", s.Source)
}

func (s *Spec) ecsRole(getenv Getenv) (*ECSRole, error) {
	e := ECSRoleFromEnv(getenv, s.RoleName)
	if s.URL == "" {
		return e, nil
	}
	base, role, err := splitMetadataURL(s.URL)
	if err != nil {
		return nil, err
	}
	e.Endpoint, e.RoleName = base, role
	return e, nil
}

// splitMetadataURL splits oss2's auth_host into the metadata service's address and the role
// ("" when the URL ends at the role list, to be discovered).
func splitMetadataURL(raw string) (base, role string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", fmt.Errorf("ECS RAM role: bad metadata URL %q", raw)
	}
	rest, ok := strings.CutPrefix(u.Path, imdsCredentialsPath)
	if !ok && u.Path+"/" != imdsCredentialsPath {
		return "", "", fmt.Errorf("ECS RAM role: metadata URL %q does not end in %s<role>", raw, imdsCredentialsPath)
	}
	if strings.Contains(strings.Trim(rest, "/"), "/") {
		return "", "", fmt.Errorf("ECS RAM role: metadata URL %q names more than a role", raw)
	}
	return u.Scheme + "://" + u.Host, strings.Trim(rest, "/"), nil
}
