"""Where `jindo` finds its keys, run as a process against `jindo server` and the credential
doubles of tests/credential_doubles.py (the order of sources is pinned in go/cli/creds_test.go)."""
import os
import subprocess

from credential_doubles import CREDENTIAL_VARIABLE_PREFIXES, STS, KeyIssuer, LoggingServer
from jindo_server import ensure_built

ROLE_ARN = "acs:ram::1:role/jindo-cli"


def test_cp_and_ls_work_with_only_the_rrsa_variables(tmp_path):
    issuer = KeyIssuer(tmp_path / "keys.json", life=3600, prefix="rrsa")
    # The server accepts only the keys STS issues.
    server = LoggingServer(tmp_path / "server.log", "--keys-file", issuer.keys_file, "--bucket", "bkt")
    sts = STS(issuer, ROLE_ARN, trusted_tokens={"jwt-cli"})
    try:
        token = tmp_path / "oidc-token"
        token.write_text("jwt-cli")
        home = tmp_path / "home"  # without ~/.ossutilconfig
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(CREDENTIAL_VARIABLE_PREFIXES)}
        env.update(HOME=str(home), OSS_ENDPOINT=server.endpoint, ALIBABA_CLOUD_ROLE_ARN=ROLE_ARN,
                   ALIBABA_CLOUD_OIDC_PROVIDER_ARN="acs:ram::1:oidc-provider/ack",
                   ALIBABA_CLOUD_OIDC_TOKEN_FILE=str(token), ALIBABA_CLOUD_STS_ENDPOINT=sts.url)
        local = tmp_path / "up.txt"
        local.write_bytes(b"through rrsa")

        def jindo(*args):
            return subprocess.run(ensure_built() + list(args), capture_output=True, text=True, env=env, timeout=60)

        done = jindo("cp", str(local), "oss://bkt/rrsa.txt")
        assert done.returncode == 0, done.stderr
        done = jindo("ls", "oss://bkt")
        assert done.returncode == 0 and "oss://bkt/rrsa.txt" in done.stdout, done.stderr
        assert sts.tokens_seen == ["jwt-cli", "jwt-cli"]  # one exchange per process
        refused = [line for line in server.log_lines() if "msg=request" in line and "status=403" in line]
        assert not refused, refused
    finally:
        sts.close()
        server.stop()
