package credentials

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environment variables of RRSA (RAM Roles for Service Accounts, ACK's OIDC federation), as
// the official SDKs name them; ALIBABA_CLOUD_STS_ENDPOINT (a host or URL) is pyjindo's, for
// tests and private endpoints, and wins over ALIBABA_CLOUD_STS_REGION.
const (
	EnvRoleArn            = "ALIBABA_CLOUD_ROLE_ARN"
	EnvOIDCProviderArn    = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"
	EnvOIDCTokenFile      = "ALIBABA_CLOUD_OIDC_TOKEN_FILE"
	EnvRoleSessionName    = "ALIBABA_CLOUD_ROLE_SESSION_NAME"
	EnvSTSEndpoint        = "ALIBABA_CLOUD_STS_ENDPOINT"
	EnvSTSRegion          = "ALIBABA_CLOUD_STS_REGION"
	EnvVPCEndpointEnabled = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"
)

// OIDC exchanges the OIDC token in TokenFile (re-read on every call: the kubelet rotates it)
// for STS credentials of RoleArn with AssumeRoleWithOIDC, an anonymous RPC call: the token
// is the proof, so nothing is signed. Each call asks STS: put it behind Refresh.
type OIDC struct {
	RoleArn, OIDCProviderArn, TokenFile string
	SessionName                         string        // default "pyjindo-<unix time>"
	Duration                            time.Duration // default 1 hour (STS's minimum is 15 minutes)
	Endpoint                            string        // host or URL; default https://sts.aliyuncs.com
	HTTP                                *http.Client  // default: a client with a 10 s timeout
	Now                                 func() time.Time
}

// OIDCFromEnv returns an OIDC configured from the environment, or an error wrapping
// ErrNotFound naming the variables when they are not all set.
func OIDCFromEnv(getenv Getenv) (*OIDC, error) {
	o := &OIDC{RoleArn: getenv.get(EnvRoleArn), OIDCProviderArn: getenv.get(EnvOIDCProviderArn),
		TokenFile: getenv.get(EnvOIDCTokenFile), SessionName: getenv.get(EnvRoleSessionName),
		Endpoint: getenv.get(EnvSTSEndpoint)}
	if o.RoleArn == "" || o.OIDCProviderArn == "" || o.TokenFile == "" {
		return nil, NotFound("RRSA: %s, %s and %s not all set", EnvRoleArn, EnvOIDCProviderArn, EnvOIDCTokenFile)
	}
	if o.Endpoint == "" {
		prefix := "sts"
		if strings.EqualFold(getenv.get(EnvVPCEndpointEnabled), "true") {
			prefix = "sts-vpc"
		}
		if region := getenv.get(EnvSTSRegion); region != "" {
			o.Endpoint = prefix + "." + region + ".aliyuncs.com"
		} else if prefix != "sts" {
			return nil, fmt.Errorf("RRSA: %s needs %s", EnvVPCEndpointEnabled, EnvSTSRegion)
		}
	}
	return o, nil
}

func (o *OIDC) endpoint() string {
	ep := strings.TrimRight(o.Endpoint, "/")
	switch {
	case ep == "":
		return "https://sts.aliyuncs.com"
	case !strings.Contains(ep, "://"):
		return "https://" + ep
	}
	return ep
}

func (o *OIDC) Credentials(ctx context.Context) (Credentials, error) {
	source := "RRSA role " + o.RoleArn
	token, err := os.ReadFile(o.TokenFile)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: read the OIDC token: %w", source, err)
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	duration := o.Duration
	if duration <= 0 {
		duration = time.Hour
	}
	session := o.SessionName
	if session == "" {
		session = "pyjindo-" + strconv.FormatInt(now().Unix(), 10)
	}
	q := url.Values{"Action": {"AssumeRoleWithOIDC"}, "Format": {"JSON"}, "Version": {"2015-04-01"},
		"Timestamp": {now().UTC().Format("2006-01-02T15:04:05Z")}}
	form := url.Values{"RoleArn": {o.RoleArn}, "OIDCProviderArn": {o.OIDCProviderArn},
		"OIDCToken": {strings.TrimSpace(string(token))}, "RoleSessionName": {session},
		"DurationSeconds": {strconv.Itoa(int(duration / time.Second))}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.endpoint()+"/?"+q.Encode(), strings.NewReader(form.Encode()))
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: %w", source, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := o.HTTP
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: %w", source, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadataBodyBytes))
	if err != nil {
		return Credentials{}, fmt.Errorf("%s: reading STS's answer: %w", source, err)
	}
	var v struct {
		Code, Message, RequestId string
		Credentials              *stsJSON
	}
	jerr := json.Unmarshal(body, &v)
	if resp.StatusCode != http.StatusOK {
		if jerr == nil && v.Code != "" {
			return Credentials{}, fmt.Errorf("%s: STS AssumeRoleWithOIDC: HTTP %d %s: %s (RequestId %s)", source, resp.StatusCode, v.Code, v.Message, v.RequestId)
		}
		return Credentials{}, fmt.Errorf("%s: STS AssumeRoleWithOIDC: HTTP %d", source, resp.StatusCode)
	}
	if jerr != nil || v.Credentials == nil {
		return Credentials{}, fmt.Errorf("%s: STS AssumeRoleWithOIDC answered without Credentials", source)
	}
	return v.Credentials.credentials(source)
}
