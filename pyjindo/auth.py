"""Credentials, shaped like oss2.auth. The Go client signs; these classes only hold the keys.

Differences from oss2: signing happens in Go (go/oss/signer), so these classes have no
`_sign_request` or `_sign_url` methods. V1, V2 and V4 signatures and presigned URLs are
produced as oss2 produces them.
"""
from .credentials import CredentialsProvider, StaticCredentialsProvider

AUTH_VERSION_1 = "v1"
AUTH_VERSION_2 = "v2"
AUTH_VERSION_4 = "v4"


class AuthBase(object):
    """Holds a credentials provider; auth_version() names the signature scheme."""

    _version = ""

    def __init__(self, credentials_provider: CredentialsProvider):
        self.credentials_provider = credentials_provider

    def auth_version(self):
        return self._version

    def _credentials(self):
        """(access_key_id, access_key_secret, security_token) as of now; providers may rotate."""
        c = self.credentials_provider.get_credentials()
        return c.get_access_key_id(), c.get_access_key_secret(), c.get_security_token() or ""

    def _go_credentials(self):
        """What the Go session signs with: a Go source's spec (JSON text) when the provider is
        one (pyjindo.credentials.GoCredentialsProvider), else the keys as of now."""
        spec = getattr(self.credentials_provider, "_go_spec", None)
        return spec() if spec is not None else self._credentials()

    def __repr__(self):  # never show the secret, nor fetch keys to show
        if hasattr(self.credentials_provider, "_go_spec"):
            return "<%s %r>" % (type(self).__name__, self.credentials_provider)
        return "<%s access_key_id=%r>" % (type(self).__name__, self._credentials()[0])


class ProviderAuth(AuthBase):
    _version = AUTH_VERSION_1


class ProviderAuthV2(AuthBase):
    """V2 signatures (OSS2, HMAC-SHA256 over every query parameter)."""

    _version = AUTH_VERSION_2


class ProviderAuthV4(AuthBase):
    """V4 signatures (OSS4-HMAC-SHA256); the Bucket needs `region=`."""

    _version = AUTH_VERSION_4


def _static(access_key_id, access_key_secret):
    return StaticCredentialsProvider(access_key_id.strip(), access_key_secret.strip())


class Auth(ProviderAuth):
    """V1 signatures (HMAC-SHA1) with a fixed key pair."""

    def __init__(self, access_key_id, access_key_secret):
        super().__init__(_static(access_key_id, access_key_secret))


class AuthV2(ProviderAuthV2):
    def __init__(self, access_key_id, access_key_secret):
        super().__init__(_static(access_key_id, access_key_secret))


class AuthV4(ProviderAuthV4):
    def __init__(self, access_key_id, access_key_secret):
        super().__init__(_static(access_key_id, access_key_secret))


class AnonymousAuth(object):
    """No signature: for public-read buckets."""

    def auth_version(self):
        return ""

    def _credentials(self):
        return "", "", ""

    _go_credentials = _credentials

    def __repr__(self):
        return "<AnonymousAuth>"


class StsAuth(object):
    """Temporary credentials from STS: the token travels as x-oss-security-token."""

    def __init__(self, access_key_id, access_key_secret, security_token, auth_version=AUTH_VERSION_1):
        provider = StaticCredentialsProvider(access_key_id, access_key_secret, security_token)
        cls = {AUTH_VERSION_2: ProviderAuthV2, AUTH_VERSION_4: ProviderAuthV4}.get(auth_version, ProviderAuth)
        self.__auth = cls(provider)

    def auth_version(self):
        return self.__auth.auth_version()

    def _credentials(self):
        return self.__auth._credentials()

    def _go_credentials(self):
        return self.__auth._go_credentials()

    def __repr__(self):
        return "<StsAuth access_key_id=%r>" % self._credentials()[0]


def make_auth(access_key_id, access_key_secret, auth_version=AUTH_VERSION_1):
    if auth_version == AUTH_VERSION_2:
        return AuthV2(access_key_id, access_key_secret)
    if auth_version == AUTH_VERSION_4:
        return AuthV4(access_key_id, access_key_secret)
    return Auth(access_key_id, access_key_secret)
