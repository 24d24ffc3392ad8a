"""Credentials providers, as oss2.credentials has them, plus the sources of go/oss/credentials.

Providers that subclass GoCredentialsProvider are not asked by Python: they name a source
(`_go_spec()`) that the Go core builds into the session and asks before every request, with
its refresh ahead of expiry, one refresh for any number of concurrent requests, and a failed
refresh tolerated while the old keys last. Any other CredentialsProvider (a custom one) is asked
by Python at the start of each call and every half second while one runs; keys that changed are
handed to the live Go session (see ProviderAuth).

The Go runtime sees only the environment of the moment it started, so the environment reaches
it as a snapshot taken in Python: EnvironmentVariableCredentialsProvider takes one at every
request (as oss2 reads the variables at every request); the other sources take one when they
are made.
"""
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Tuple

logger = logging.getLogger("oss2.pyjindo.credentials")


class Credentials(object):
    """One set of keys, as oss2's: an AccessKey pair and, for STS keys, a security token ("" or
    None when there is none)."""

    def __init__(self, access_key_id: str = "", access_key_secret: str = "",
                 security_token: Optional[str] = "") -> None:
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token

    def get_access_key_id(self) -> str:
        """The AccessKey id."""
        return self.access_key_id

    def get_access_key_secret(self) -> str:
        """The AccessKey secret."""
        return self.access_key_secret

    def get_security_token(self) -> Optional[str]:
        """The STS security token, "" or None for long-term keys."""
        return self.security_token


#: how long ECS role credentials last when the metadata service does not say (seconds)
DEFAULT_ECS_SESSION_TOKEN_DURATION_SECONDS = 3600 * 6
#: credentials are renewed once this fraction of their lifetime has passed
DEFAULT_ECS_SESSION_EXPIRED_FACTOR = 0.85


class EcsRamRoleCredential(Credentials):
    """Temporary credentials of an ECS instance's RAM role, expiring at `expiration` (epoch)."""

    def __init__(self, access_key_id: str, access_key_secret: str, security_token: str, expiration: int,
                 duration: float, expired_factor: Optional[float] = None) -> None:
        super().__init__(access_key_id, access_key_secret, security_token)
        self.expiration = expiration
        self.duration = duration
        self.expired_factor = expired_factor or DEFAULT_ECS_SESSION_EXPIRED_FACTOR

    def will_soon_expire(self) -> bool:
        """True once less than (1 - expired_factor) of the lifetime is left."""
        return self.duration * (1.0 - self.expired_factor) > self.expiration - int(time.time())


class CredentialsProvider(object):
    """Subclass and return a Credentials from get_credentials(); it is asked at the start of each
    call and every half second while one runs (see ProviderAuth)."""

    def get_credentials(self) -> Optional[Credentials]:
        """The keys to sign the next request with; this base class has none (None), as oss2's.
        Keys that changed go into the Bucket's live Go session, for the requests made from then
        on (the running call's later parts included)."""
        return None


class StaticCredentialsProvider(CredentialsProvider):
    """The same keys for every request, as oss2's."""

    def __init__(self, access_key_id: str = "", access_key_secret: str = "",
                 security_token: Optional[str] = "") -> None:
        self.credentials = Credentials(access_key_id, access_key_secret, security_token)

    def get_credentials(self) -> Credentials:
        """The keys given to the constructor."""
        return self.credentials


#: the variables go/oss/credentials reads: keys (ALIBABA_CLOUD_* win over OSS_*, each family
#: taken whole), the ECS RAM role, RRSA, and the test overrides of the metadata and STS addresses
_ENV_PREFIXES = ("ALIBABA_CLOUD_", "OSS_")
_KEY_VARIABLES = ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
                  "OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "OSS_SESSION_TOKEN")
#: ossutil's config file, the chain's profile source
DEFAULT_CONFIG_FILE = "~/.ossutilconfig"


def _environment_snapshot(names=None):
    """The variables Go's credentials sources read, as they are now in os.environ."""
    if names is not None:
        return {n: os.environ[n] for n in names if os.environ.get(n)}
    return {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES) and v}


def _go_message(e):
    """The message of a ClientError raised from Go, without oss2's "ClientError: " prefix."""
    body = e.body.decode("utf-8", "replace") if isinstance(e.body, bytes) else str(e.body)
    return body.split(": ", 1)[1] if body.startswith("ClientError: ") else body


class GoCredentialsProvider(CredentialsProvider):
    """A credentials source of the Go core (go/oss/credentials), named by a spec such as
    {"source": "chain", "env": {...}}. Not in oss2. Requests are signed with what Go finds;
    get_credentials() asks Go once (for code that reads the keys itself)."""

    def __init__(self, source: str, **params: Any) -> None:
        self._spec = dict(params, source=source)
        self._spec_json = json.dumps(self._spec, sort_keys=True)
        self._asker: Optional[Tuple[str, Any]] = None  # (spec json, session Handle) that answers get_credentials()
        self._lock = threading.Lock()

    def _go_spec(self):
        """The source as the session config's "credentials" JSON; a new one makes a new session."""
        return self._spec_json

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_asker"], state["_lock"] = None, None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self):
        return "<%s source=%r>" % (type(self).__name__, self._spec["source"])

    def describe(self) -> Dict[str, Any]:
        """What Go finds now: {"access_key_id", "access_key_secret", "security_token", "expiration"
        (Unix seconds, 0 for keys that do not expire), "source"}. Raises CredentialsError naming
        every place looked when there are none."""
        from . import _binding, _ops

        spec = self._go_spec()
        with self._lock:
            asker = self._asker
            if asker is None or asker[0] != spec or not asker[1].alive():
                # Only the provider is used: the endpoint is never contacted.
                config = {"endpoint": "127.0.0.1", "credentials": json.loads(spec)}
                self._asker = asker = (spec, _binding.new_session(config))
        return _binding.call(asker[1], _ops.CREDENTIALS, {})

    def get_credentials(self) -> Credentials:
        """The keys Go finds now (as describe(), without the expiration); raises CredentialsError
        when there are none. Not needed to sign: requests ask Go themselves."""
        d = self.describe()
        return Credentials(d["access_key_id"], d["access_key_secret"], d["security_token"])


class EnvironmentVariableCredentialsProvider(GoCredentialsProvider):
    """Keys from the environment, read at each request: ALIBABA_CLOUD_ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN, else oss2's
    OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_SESSION_TOKEN (pyjindo reads the official
    SDKs' names too, and they win). Without them a request raises CredentialsError, a
    ClientError, as oss2 raises ClientError."""

    def __init__(self) -> None:
        super().__init__("env")

    def _go_spec(self):
        return json.dumps({"source": "env", "env": _environment_snapshot(_KEY_VARIABLES)}, sort_keys=True)


class ChainCredentialsProvider(GoCredentialsProvider):
    """Not in oss2: the first source that has keys, in this order: the environment (as
    EnvironmentVariableCredentialsProvider), ossutil's config file (`config_file`, section
    `profile`), the ECS RAM role when ALIBABA_CLOUD_ECS_METADATA names it, RRSA when
    ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are
    set. The environment is read when the provider is made."""

    def __init__(self, config_file: Optional[str] = DEFAULT_CONFIG_FILE, profile: Optional[str] = "") -> None:
        super().__init__("chain", env=_environment_snapshot(),
                         config_file=os.path.expanduser(config_file) if config_file else "", profile=profile or "")


class ProfileCredentialsProvider(GoCredentialsProvider):
    """Not in oss2: accessKeyID, accessKeySecret and stsToken from a section of ossutil's config
    file, read again at each request."""

    def __init__(self, config_file: str = DEFAULT_CONFIG_FILE, profile: Optional[str] = "") -> None:
        super().__init__("profile", config_file=os.path.expanduser(config_file), profile=profile or "")


class JsonFileCredentialsProvider(GoCredentialsProvider):
    """Not in oss2: osstorchconnector's credentials file, {"AccessKeyId", "AccessKeySecret",
    "SecurityToken", "Expiration"}, read again whenever it changes; keys past their Expiration
    are an error naming the file."""

    def __init__(self, path: str) -> None:
        super().__init__("json_file", path=os.path.abspath(os.path.expanduser(path)))


class RrsaCredentialsProvider(GoCredentialsProvider):
    """Not in oss2: RRSA (ACK's OIDC federation): the token file in ALIBABA_CLOUD_OIDC_TOKEN_FILE
    exchanged for STS keys of ALIBABA_CLOUD_ROLE_ARN by STS AssumeRoleWithOIDC (at
    ALIBABA_CLOUD_STS_ENDPOINT when set), refreshed ahead of expiry."""

    def __init__(self) -> None:
        super().__init__("rrsa", env=_environment_snapshot())


class EcsRamRoleCredentialsProvider(GoCredentialsProvider):
    """The RAM role credentials of the ECS instance, from its metadata service at `auth_host`
    (the full URL, e.g. http://100.100.100.200/latest/meta-data/ram/security-credentials/<role>).

    Requests are signed with keys Go fetches (an IMDSv2 token first, IMDSv1 if the service
    gives none; refreshed ahead of expiry with jitter, one refresh however many requests wait;
    a failed refresh keeps the old keys while they last). get_credentials(), for code that
    calls it, fetches and renews as oss2's does, with oss2's results and errors."""

    def __init__(self, auth_host: str, max_retries: int = 3, timeout: float = 10) -> None:
        super().__init__("ecs_ram_role", url=auth_host,
                         env=_environment_snapshot(("ALIBABA_CLOUD_IMDSV1_DISABLED",)))
        self.fetcher = EcsRamRoleCredentialsFetcher(auth_host)
        self.max_retries = max_retries
        self.timeout = timeout
        self.credentials: Optional[EcsRamRoleCredential] = None

    # Optional as in oss2: with max_retries=0 nothing is fetched and None comes back
    def get_credentials(self) -> Optional[EcsRamRoleCredential]:  # type: ignore[override]
        """oss2's behaviour, for code that reads the keys itself (requests do not call it): the
        role's keys from the metadata service, fetched again once they will soon expire; a failed
        renewal is logged and the old keys returned. Raises ClientError when the first fetch
        fails (after max_retries attempts)."""
        if self.credentials is None or self.credentials.will_soon_expire():
            with self._lock:
                if self.credentials is None or self.credentials.will_soon_expire():
                    try:
                        self.credentials = self.fetcher.fetch(self.max_retries, self.timeout)
                    except Exception as e:
                        logger.error("Exception: {0}".format(e))
                        if self.credentials is None:
                            raise
        return self.credentials


class EcsRamRoleCredentialsFetcher(object):
    """Reads one set of credentials from the ECS metadata service, as oss2's fetcher does."""

    def __init__(self, auth_host: str) -> None:
        self.auth_host = auth_host

    def fetch(self, retry_times: int = 3, timeout: float = 10) -> Optional[EcsRamRoleCredential]:
        """One set of credentials from auth_host, tried up to retry_times (None when that is 0, as
        oss2); raises ClientError with the last failure when none succeeds."""
        from .exceptions import ClientError

        for attempt in range(retry_times):
            try:
                return self._fetch_once(timeout)
            except Exception as e:
                if attempt == retry_times - 1:
                    logger.error("Exception: {0}".format(e))
                    raise ClientError("Failed to get credentials from ECS metadata service. {0}".format(e))
        return None

    def _fetch_once(self, timeout):
        from .exceptions import ClientError
        from .utils import to_unixtime

        try:
            with urllib.request.urlopen(self.auth_host, timeout=timeout) as resp:
                status, body = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        if status != 200:
            raise ClientError("Failed to fetch credentials url, http code:{0}, msg:{1}".format(
                status, body.decode("utf-8", "replace")))
        doc = json.loads(body.decode("utf-8"))
        if doc.get("Code") != "Success":
            raise ClientError("Get credentials from ECS metadata service error, code: {0}".format(doc.get("Code")))
        expiration = to_unixtime(doc.get("Expiration"), "%Y-%m-%dT%H:%M:%SZ")
        duration = DEFAULT_ECS_SESSION_TOKEN_DURATION_SECONDS
        if doc.get("LastUpdated") is not None:
            duration = expiration - to_unixtime(doc["LastUpdated"], "%Y-%m-%dT%H:%M:%SZ")
        return EcsRamRoleCredential(doc.get("AccessKeyId"), doc.get("AccessKeySecret"), doc.get("SecurityToken"),
                                    expiration, duration, DEFAULT_ECS_SESSION_EXPIRED_FACTOR)
