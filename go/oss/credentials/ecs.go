package credentials

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Environment variables of the ECS RAM role provider. ALIBABA_CLOUD_ECS_METADATA (the role
// name) and ALIBABA_CLOUD_IMDSV1_DISABLED are the official SDKs' names. No official SDK lets
// the metadata address be changed; ALIBABA_CLOUD_IMDS_ENDPOINT is pyjindo's, for tests and
// for proxies in front of the metadata service.
const (
	EnvECSRoleName       = "ALIBABA_CLOUD_ECS_METADATA"
	EnvIMDSv1Disabled    = "ALIBABA_CLOUD_IMDSV1_DISABLED"
	EnvIMDSEndpoint      = "ALIBABA_CLOUD_IMDS_ENDPOINT"
	DefaultIMDSEndpoint  = "http://100.100.100.200"
	imdsTokenTTLSeconds  = 21600
	imdsCredentialsPath  = "/latest/meta-data/ram/security-credentials/"
	imdsTokenPath        = "/latest/api/token"
	imdsTokenHeader      = "X-aliyun-ecs-metadata-token"
	imdsTokenTTLHeader   = "X-aliyun-ecs-metadata-token-ttl-seconds"
	defaultIMDSTimeout   = 5 * time.Second
	maxMetadataBodyBytes = 64 << 10
)

// ECSRole fetches the STS credentials of the RAM role attached to the ECS instance from its
// metadata service. It asks for an IMDSv2 token first (PUT /latest/api/token) and sends it
// with each request; if the token cannot be had, it goes on without one (IMDSv1) unless
// DisableIMDSv1. With no RoleName it asks the service which role the instance has. Each call
// asks the service: put it behind Refresh.
type ECSRole struct {
	Endpoint      string // default DefaultIMDSEndpoint
	RoleName      string // "" = discover
	DisableIMDSv1 bool
	HTTP          *http.Client // default: a client with a 5 s timeout

	mu         sync.Mutex
	discovered string
}

// ECSRoleFromEnv returns an ECSRole configured from the environment (EnvIMDSEndpoint,
// EnvECSRoleName, EnvIMDSv1Disabled); roleName, when not "", wins over the environment's.
func ECSRoleFromEnv(getenv Getenv, roleName string) *ECSRole {
	if roleName == "" {
		roleName = getenv.get(EnvECSRoleName)
	}
	return &ECSRole{Endpoint: getenv.get(EnvIMDSEndpoint), RoleName: roleName,
		DisableIMDSv1: strings.EqualFold(getenv.get(EnvIMDSv1Disabled), "true")}
}

func (e *ECSRole) base() string {
	if e.Endpoint == "" {
		return DefaultIMDSEndpoint
	}
	ep := strings.TrimRight(e.Endpoint, "/")
	if !strings.Contains(ep, "://") {
		ep = "http://" + ep
	}
	return ep
}

func (e *ECSRole) client() *http.Client {
	if e.HTTP != nil {
		return e.HTTP
	}
	return &http.Client{Timeout: defaultIMDSTimeout}
}

func (e *ECSRole) Credentials(ctx context.Context) (Credentials, error) {
	token, err := e.token(ctx)
	if err != nil {
		if e.DisableIMDSv1 {
			return Credentials{}, fmt.Errorf("ECS RAM role: metadata token from %s (IMDSv1 disabled): %w", e.base(), err)
		}
		token = "" // fall back to IMDSv1, as the official SDKs do
	}
	role, err := e.role(ctx, token)
	if err != nil {
		return Credentials{}, err
	}
	source := "ECS RAM role " + role
	body, err := e.get(ctx, token, imdsCredentialsPath+role)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: %w", source, err)
	}
	var v stsJSON
	if err := json.Unmarshal(body, &v); err != nil {
		return Credentials{}, fmt.Errorf("%s: metadata answer is not JSON: %w", source, err)
	}
	if v.Code != "Success" {
		return Credentials{}, fmt.Errorf("%s: metadata service answered Code %q", source, v.Code)
	}
	return v.credentials(source)
}

func (e *ECSRole) role(ctx context.Context, token string) (string, error) {
	if e.RoleName != "" {
		return e.RoleName, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.discovered != "" {
		return e.discovered, nil
	}
	body, err := e.get(ctx, token, imdsCredentialsPath)
	if err != nil {
		return "", fmt.Errorf("ECS RAM role: find the instance's role: %w", err)
	}
	role, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
	if role = strings.TrimSpace(role); role == "" {
		return "", fmt.Errorf("ECS RAM role: the instance has no RAM role attached (%s%s is empty)", e.base(), imdsCredentialsPath)
	}
	e.discovered = role
	return role, nil
}

func (e *ECSRole) token(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, e.base()+imdsTokenPath, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set(imdsTokenTTLHeader, strconv.Itoa(imdsTokenTTLSeconds))
	body, err := e.do(req)
	return strings.TrimSpace(string(body)), err
}

func (e *ECSRole) get(ctx context.Context, token, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base()+path, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set(imdsTokenHeader, token)
	}
	return e.do(req)
}

func (e *ECSRole) do(req *http.Request) ([]byte, error) {
	resp, err := e.client().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadataBodyBytes))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: HTTP %d: %s", req.Method, req.URL, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return body, nil
}
