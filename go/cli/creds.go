package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/pyjindo/pyjindo/go/oss/credentials"
)

// keysChain picks the credentials provider for --mode (or the config file's mode=). Keys come
// from whole sources, and the first source holding an id and a secret gives them with its own
// token: a half pair, or a token, never joins the keys of another source (ossutil 1.7.19 does
// merge -i/-k/-t with its config file key by key, and so signs with a mixed pair, or sends the
// file's stale stsToken= with -i -k). The key sources, in order:
//  1. flags -i -k [-t], one source: one of -i/-k without the other, or -t alone, is a usage error;
//  2. credentials.Env: ALIBABA_CLOUD_*, else OSS_*, each family whole;
//  3. credentials.Profile: the config file's section (where, e.g. "[Credentials] of ~/.ossutilconfig").
//
// Modes:
//   - "" (default): credentials.DefaultChain over them, then the ECS RAM role when a role is named
//     (--ecs-role-name, ecsRoleName=, ALIBABA_CLOUD_ECS_METADATA), then RRSA when its variables
//     are set. The metadata service is never probed unasked: off ECS that costs a timeout.
//   - AK: the keys found, their token dropped (as ossutil's AK mode); StsToken: the keys found,
//     which must come with a token;
//   - EcsRamRole: only the instance's RAM role (its name asked of the instance when not given);
//   - RamRoleArn (AssumeRole signed with an AccessKey) is refused: it needs the RPC signer,
//     which pyjindo does not have.
//
// Nothing is fetched here; Run asks the provider once before the command runs, so a missing
// source is a usage error listing every place looked.
func keysChain(p *parsed, env *Env, warn func(string), file map[string]string, profile *credentials.Profile, where string) (credentials.Provider, error) {
	mode := strings.ToLower(first(p.str("mode"), file["mode"]))
	role := first(p.str("ecs-role-name"), file["ecsrolename"])
	getenv := credentials.Getenv(env.Getenv)
	flags, err := flagKeys(p)
	if err != nil {
		return nil, err
	}
	// The file is read once: a command's keys do not change under it, and reading it for every
	// request costs as much as a tenth of a small request.
	keys := []credentials.Provider{flags, &credentials.Env{Getenv: getenv}, credentials.Refresh(profile)}
	refresh := func(p credentials.Provider) credentials.Provider {
		r := credentials.Refresh(p)
		r.Logf = func(format string, a ...any) { warn(fmt.Sprintf(format, a...)) }
		return r
	}
	switch mode {
	case "ak":
		return &modeKeys{keys: credentials.NewChain(keys...)}, nil
	case "ststoken":
		return &modeKeys{keys: credentials.NewChain(keys...), token: true, where: where}, nil
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
	return credentials.DefaultChain(keys, ecs, notAsked, getenv, refresh), nil
}

// flagKeys is the source of the keys given on the command line.
func flagKeys(p *parsed) (credentials.Provider, error) {
	id, secret, token := p.str("access-key-id"), p.str("access-key-secret"), p.str("sts-token")
	const whole = "the keys are taken whole from one place (flags, environment or config file), never combined"
	switch {
	case id != "" && secret != "":
		return credentials.NewStatic(id, secret, token, "flags -i/-k"), nil
	case id != "":
		return nil, usagef("-i (AccessKeyID) given without -k (AccessKeySecret): %s", whole)
	case secret != "":
		return nil, usagef("-k (AccessKeySecret) given without -i (AccessKeyID): %s", whole)
	case token != "":
		return nil, usagef("-t (STS token) given without -i and -k: a token goes with the keys it was issued with")
	}
	return credentials.Absent(credentials.NotFound("flags -i/-k: not given")), nil
}

// modeKeys are the keys of --mode AK (their token dropped) or StsToken (token required).
type modeKeys struct {
	keys  credentials.Provider
	token bool
	where string
}

func (m *modeKeys) Credentials(ctx context.Context) (credentials.Credentials, error) {
	c, err := m.keys.Credentials(ctx)
	switch {
	case err != nil:
		return c, err
	case !m.token:
		c.SecurityToken = ""
	case c.SecurityToken == "":
		return credentials.Credentials{}, usagef("--mode StsToken needs an STS token with the keys of %s: give -t with -i -k, set %s (or %s) beside its family's keys, or write stsToken= in %s",
			c.Source, credentials.EnvSecurityToken, credentials.EnvOSSSessionToken, m.where)
	}
	return c, nil
}
