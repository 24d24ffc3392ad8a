"""Credentials providers, as oss2.credentials has them."""
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request

logger = logging.getLogger("oss2.pyjindo.credentials")


class Credentials(object):
    def __init__(self, access_key_id="", access_key_secret="", security_token=""):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token

    def get_access_key_id(self):
        return self.access_key_id

    def get_access_key_secret(self):
        return self.access_key_secret

    def get_security_token(self):
        return self.security_token


#: how long ECS role credentials last when the metadata service does not say (seconds)
DEFAULT_ECS_SESSION_TOKEN_DURATION_SECONDS = 3600 * 6
#: credentials are renewed once this fraction of their lifetime has passed
DEFAULT_ECS_SESSION_EXPIRED_FACTOR = 0.85


class EcsRamRoleCredential(Credentials):
    """Temporary credentials of an ECS instance's RAM role, expiring at `expiration` (epoch)."""

    def __init__(self, access_key_id, access_key_secret, security_token, expiration, duration, expired_factor=None):
        super().__init__(access_key_id, access_key_secret, security_token)
        self.expiration = expiration
        self.duration = duration
        self.expired_factor = expired_factor or DEFAULT_ECS_SESSION_EXPIRED_FACTOR

    def will_soon_expire(self):
        """True once less than (1 - expired_factor) of the lifetime is left."""
        return self.duration * (1.0 - self.expired_factor) > self.expiration - int(time.time())


class CredentialsProvider(object):
    """Subclass and return a Credentials from get_credentials(); it is asked before each request."""

    def get_credentials(self):
        return None


class StaticCredentialsProvider(CredentialsProvider):
    def __init__(self, access_key_id="", access_key_secret="", security_token=""):
        self.credentials = Credentials(access_key_id, access_key_secret, security_token)

    def get_credentials(self):
        return self.credentials


class EnvironmentVariableCredentialsProvider(CredentialsProvider):
    """Reads OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_SESSION_TOKEN at each request."""

    def get_credentials(self):
        from .exceptions import ClientError

        access_key_id = os.getenv("OSS_ACCESS_KEY_ID")
        access_key_secret = os.getenv("OSS_ACCESS_KEY_SECRET")
        if not access_key_id:
            raise ClientError("Access key id should not be null or empty.")
        if not access_key_secret:
            raise ClientError("Secret access key should not be null or empty.")
        return Credentials(access_key_id, access_key_secret, os.getenv("OSS_SESSION_TOKEN"))


class EcsRamRoleCredentialsProvider(CredentialsProvider):
    """The RAM role credentials of the ECS instance, from its metadata service at `auth_host`
    (the full URL, e.g. http://100.100.100.200/latest/meta-data/ram/security-credentials/<role>),
    fetched on first use and again when they are about to expire. If a renewal fails, the old
    credentials are kept while they last."""

    def __init__(self, auth_host, max_retries=3, timeout=10):
        self.fetcher = EcsRamRoleCredentialsFetcher(auth_host)
        self.max_retries = max_retries
        self.timeout = timeout
        self.credentials = None
        self.__lock = threading.Lock()

    def get_credentials(self):
        if self.credentials is None or self.credentials.will_soon_expire():
            with self.__lock:
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

    def __init__(self, auth_host):
        self.auth_host = auth_host

    def fetch(self, retry_times=3, timeout=10):
        from .exceptions import ClientError

        for attempt in range(retry_times):
            try:
                return self._fetch_once(timeout)
            except Exception as e:
                if attempt == retry_times - 1:
                    logger.error("Exception: {0}".format(e))
                    raise ClientError("Failed to get credentials from ECS metadata service. {0}".format(e))

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
