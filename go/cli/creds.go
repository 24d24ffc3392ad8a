package cli

import (
	"fmt"
	"strings"

	"github.com/pyjindo/pyjindo/go/oss/credentials"
)

// keysChain picks the credentials provider for --mode (or the config file's mode=):
//   - "" (default): credentials.DefaultChain over the keys from flags, environment and config file (merged
//     per field, as ossutil merges options with its config file); the ECS RAM role when a
//     role is named (--ecs-role-name, ecsRoleName=, ALIBABA_CLOUD_ECS_METADATA); RRSA when
//     ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE
//     are set. The metadata service is never probed unasked: off ECS that costs a timeout.
//   - AK: the keys, without a token; StsToken: the keys and a token;
//   - EcsRamRole: only the instance's RAM role (its name found by asking the instance when
//     not given);
//   - RamRoleArn (AssumeRole signed with an AccessKey) is refused: it needs the RPC signer,
//     which pyjindo does not have.
//
// Nothing is fetched here; Run asks the provider once before the command runs, so a missing
// source is a usage error listing every place looked.
func keysChain(p *parsed, env *Env, warn func(string), s *settings, file map[string]string, where string) (credentials.Provider, error) {
	mode := strings.ToLower(first(p.str("mode"), file["mode"]))
	role := first(p.str("ecs-role-name"), file["ecsrolename"])
	getenv := credentials.Getenv(env.Getenv)
	keys := s.Credentials
	looked := []string{
		"flags -i/-k",
		fmt.Sprintf("environment %s/%s and %s/%s", credentials.EnvAccessKeyID, credentials.EnvAccessKeySecret, credentials.EnvOSSAccessKeyID, credentials.EnvOSSAccessKeySecr),
		"accessKeyID/accessKeySecret in " + where,
	}
	static := func(token bool) credentials.Provider {
		if keys.AccessKeyID == "" || keys.AccessKeySecret == "" {
			return credentials.Absent(&credentials.NoCredentialsError{Looked: looked})
		}
		if !token {
			keys.SecurityToken = ""
		}
		return credentials.NewStatic(keys.AccessKeyID, keys.AccessKeySecret, keys.SecurityToken, "flags, environment and config file")
	}
	refresh := func(p credentials.Provider) credentials.Provider {
		r := credentials.Refresh(p)
		r.Logf = func(format string, a ...any) { warn(fmt.Sprintf(format, a...)) }
		return r
	}
	switch mode {
	case "ak":
		return credentials.NewChain(static(false)), nil
	case "ststoken":
		if keys.SecurityToken == "" {
			return nil, usagef("--mode StsToken needs an STS token: give -t, set %s or %s, or write stsToken= in %s", credentials.EnvSecurityToken, credentials.EnvOSSSessionToken, where)
		}
		return credentials.NewChain(static(true)), nil
	case "ecsramrole":
		return refresh(credentials.ECSRoleFromEnv(getenv, role)), nil
	case "ramrolearn":
		return nil, usagef("--mode RamRoleArn is not supported by jindo: use RRSA (%s, ...), --mode EcsRamRole, or keys from an STS token", credentials.EnvRoleArn)
	case "":
	default:
		return nil, usagef("--mode must be AK, StsToken or EcsRamRole, not %q", mode)
	}
	var ecs *credentials.ECSRole
	if role != "" || getenv(credentials.EnvECSRoleName) != "" {
		ecs = credentials.ECSRoleFromEnv(getenv, role)
	}
	notAsked := fmt.Sprintf("ECS RAM role: not asked for (--mode EcsRamRole, --ecs-role-name, ecsRoleName= in %s, or %s)", where, credentials.EnvECSRoleName)
	return credentials.DefaultChain([]credentials.Provider{static(true)}, ecs, notAsked, getenv, refresh), nil
}
