"""Credentials, shaped like oss2.auth. The Go client signs; these classes only hold the keys.

Differences from oss2: signing happens in Go (go/oss/signer), so these classes have no
`_sign_request` or `_sign_url` methods. V1, V2 and V4 signatures and presigned URLs are
produced as oss2 produces them.
"""
from __future__ import annotations

from .credentials import Credentials, CredentialsProvider, StaticCredentialsProvider

AUTH_VERSION_1 = "v1"
AUTH_VERSION_2 = "v2"
AUTH_VERSION_4 = "v4"


class AuthBase(object):
    """Holds a credentials provider; auth_version() names the signature scheme."""

    _version = ""

    def __init__(self, credentials_provider: CredentialsProvider) -> None:
        self.credentials_provider = credentials_provider

    def auth_version(self) -> str:
        """The signature version: "v1", "v2", "v4" ("" for no signature)."""
        return self._version

    def _credentials(self):
        """(access_key_id, access_key_secret, security_token) as of now; providers may rotate."""
        c = self.credentials_provider.get_credentials()
        return c.get_access_key_id(), c.get_access_key_secret(), c.get_security_token() or ""

    def _go_credentials(self):
        """What the Go session signs with: a Go source's spec (JSON text) when the provider is
        one (pyjindo.credentials.GoCredentialsProvider), else the keys as of now."""
        provider = self.credentials_provider
        if type(provider) is StaticCredentialsProvider:
            c = provider.credentials
            if type(c) is Credentials:  # what the getters return, read without them (every call asks)
                return c.access_key_id, c.access_key_secret, c.security_token or ""
        spec = getattr(provider, "_go_spec", None)
        return spec() if spec is not None else self._credentials()

    def _fixed_keys(self):
        """Whether the keys stay the same while a call runs (oss2's Auth classes): then a call
        asks for them at its start only, not again while it waits."""
        return type(self.credentials_provider) is StaticCredentialsProvider

    def __repr__(self):  # never show the secret, nor fetch keys to show
        if hasattr(self.credentials_provider, "_go_spec"):
            return "<%s %r>" % (type(self).__name__, self.credentials_provider)
        return "<%s access_key_id=%r>" % (type(self).__name__, self._credentials()[0])


class ProviderAuth(AuthBase):
    """V1 signatures (HMAC-SHA1) with keys from a credentials provider, as oss2.ProviderAuth.

    Requests sign with the provider's current keys. oss2 asks `get_credentials()` before each
    request; pyjindo's requests (the parts of a transfer, the pages of a listing) are made in
    Go, so a provider of yours (a CredentialsProvider subclass, StaticCredentialsProvider) is
    asked at the start of each call and every half second while a call runs
    (`_session.PROVIDER_POLL_SECONDS`); keys that changed are handed to the running call, whose
    later requests and part retries sign with them. A provider raising stops the call with its
    exception. pyjindo's own sources (EnvironmentVariableCredentialsProvider,
    EcsRamRoleCredentialsProvider, the other `pyjindo.credentials.GoCredentialsProvider`s) are
    not asked by Python: Go asks them before every request.
    """

    _version = AUTH_VERSION_1


class ProviderAuthV2(AuthBase):
    """V2 signatures (OSS2, HMAC-SHA256 over every query parameter) with keys from a credentials
    provider, as oss2.ProviderAuthV2."""

    _version = AUTH_VERSION_2


class ProviderAuthV4(AuthBase):
    """V4 signatures (OSS4-HMAC-SHA256) with keys from a credentials provider, as
    oss2.ProviderAuthV4; the Bucket or Service needs `region=` ("cn-hangzhou")."""

    _version = AUTH_VERSION_4


def _static(access_key_id, access_key_secret):
    return StaticCredentialsProvider(access_key_id.strip(), access_key_secret.strip())


class Auth(ProviderAuth):
    """V1 signatures (HMAC-SHA1) with a fixed key pair, as oss2.Auth. Keys are stripped of
    surrounding whitespace, as in oss2."""

    def __init__(self, access_key_id: str, access_key_secret: str) -> None:
        super().__init__(_static(access_key_id, access_key_secret))


class AuthV2(ProviderAuthV2):
    """V2 signatures with a fixed key pair, as oss2.AuthV2 (requests and presigned URLs)."""

    def __init__(self, access_key_id: str, access_key_secret: str) -> None:
        super().__init__(_static(access_key_id, access_key_secret))


class AuthV4(ProviderAuthV4):
    """V4 signatures with a fixed key pair, as oss2.AuthV4; the Bucket needs `region=`."""

    def __init__(self, access_key_id: str, access_key_secret: str) -> None:
        super().__init__(_static(access_key_id, access_key_secret))


class AnonymousAuth(object):
    """No signature, as oss2.AnonymousAuth: for public-read buckets. Requests carry no
    Authorization header, so a private bucket answers AccessDenied."""

    def auth_version(self) -> str:
        """"" (no signature)."""
        return ""

    def _credentials(self):
        return "", "", ""

    _go_credentials = _credentials

    def __repr__(self):
        return "<AnonymousAuth>"


class StsAuth(object):
    """Temporary credentials from STS, as oss2.StsAuth: the token travels as
    x-oss-security-token. `auth_version` picks V1, V2 or V4 signatures. The keys are fixed: for
    keys that refresh themselves use ProviderAuth with a provider."""

    def __init__(self, access_key_id: str, access_key_secret: str, security_token: str,
                 auth_version: str = AUTH_VERSION_1) -> None:
        provider = StaticCredentialsProvider(access_key_id, access_key_secret, security_token)
        cls = {AUTH_VERSION_2: ProviderAuthV2, AUTH_VERSION_4: ProviderAuthV4}.get(auth_version, ProviderAuth)
        self.__auth = cls(provider)

    def auth_version(self) -> str:
        """The signature version chosen at construction: "v1", "v2" or "v4"."""
        return self.__auth.auth_version()

    def _credentials(self):
        return self.__auth._credentials()

    def _go_credentials(self):
        return self.__auth._go_credentials()

    def _fixed_keys(self):
        return self.__auth._fixed_keys()

    def __repr__(self):
        return "<StsAuth access_key_id=%r>" % self._credentials()[0]


def make_auth(access_key_id: str, access_key_secret: str, auth_version: str = AUTH_VERSION_1) -> AuthBase:
    """Auth, AuthV2 or AuthV4 for `auth_version` ("v1", "v2", "v4"), as oss2.make_auth."""
    if auth_version == AUTH_VERSION_2:
        return AuthV2(access_key_id, access_key_secret)
    if auth_version == AUTH_VERSION_4:
        return AuthV4(access_key_id, access_key_secret)
    return Auth(access_key_id, access_key_secret)
