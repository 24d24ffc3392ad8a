"""Custom domains (CNAME) and HTTPS: oss2's parameter and result classes, read from the typed
JSON of their go/oss structs (`resp.parsed`; an absent optional element is None)."""
from typing import Optional
from .common import _parsed, RequestResult, _ResponseLike


class _CnameTokenResult(RequestResult):
    def __init__(self, resp: _ResponseLike) -> None:
        super(_CnameTokenResult, self).__init__(resp)
        self.bucket = None
        self.cname = None
        self.token = None
        self.expire_time = None
        body = _parsed(resp)  # go/oss CnameToken
        if body:
            self.bucket = body["bucket"]
            self.cname = body["cname"]
            self.token = body["token"]
            self.expire_time = body["expire_time"]


class CreateBucketCnameTokenResult(_CnameTokenResult):
    """create_bucket_cname_token's result: `bucket`, `cname`, `token` (to publish in the domain's
    DNS TXT record), `expire_time` (an HTTP date)."""


class GetBucketCnameTokenResult(_CnameTokenResult):
    """get_bucket_cname_token's result: `bucket`, `cname`, `token`, `expire_time`."""


class CnameInfo(RequestResult):
    """One custom domain of list_bucket_cname: `domain`, `last_modified`, `status`,
    `is_purge_cdn_cache` (text), `certificate` (CertificateInfo or None). A RequestResult
    without a response, as in oss2."""

    def __init__(self) -> None:
        self.domain: Optional[str] = None
        self.last_modified: Optional[str] = None
        self.status: Optional[str] = None
        self.is_purge_cdn_cache: Optional[str] = None
        self.certificate: Optional["CertificateInfo"] = None


class CertificateInfo(object):
    """The certificate bound to a custom domain: `type` (CAS or Upload), `cert_id`, `status`,
    `creation_date`, `fingerprint`, `valid_start_date`, `valid_end_date`."""

    def __init__(self):
        self.type = None
        self.cert_id = None
        self.status = None
        self.creation_date = None
        self.fingerprint = None
        self.valid_start_date = None
        self.valid_end_date = None


class ListBucketCnameResult(RequestResult):
    """list_bucket_cname's result: `bucket`, `owner`, `cname` (CnameInfo list)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListBucketCnameResult, self).__init__(resp)
        self.bucket = None
        self.owner = None
        self.cname = []
        body = _parsed(resp)  # go/oss ListCnameResult
        if not body:
            return
        self.bucket = body["bucket"]
        self.owner = body["owner"]
        for c in body["cnames"] or ():
            info = CnameInfo()
            info.domain = c["domain"]
            info.last_modified = c["last_modified"]
            info.status = c["status"]
            info.is_purge_cdn_cache = c["is_purge_cdn_cache"]
            cert = c["certificate"]
            if cert is not None:
                info.certificate = CertificateInfo()
                for field in ("type", "cert_id", "status", "creation_date", "fingerprint", "valid_start_date",
                              "valid_end_date"):
                    setattr(info.certificate, field, cert[field])
            self.cname.append(info)


class PutBucketCnameRequest(object):
    """put_bucket_cname's argument: the `domain` and an optional `cert` (CertInfo)."""

    def __init__(self, domain, cert=None):
        self.domain = domain
        self.cert = cert


class CertInfo(RequestResult):
    """The certificate of a put_bucket_cname: a certificate service id, or an uploaded PEM
    `certificate` and `private_key`; `previous_cert_id` or `force` to replace one,
    `delete_certificate` to unbind it. A RequestResult without a response, as in oss2."""

    def __init__(self, cert_id: Optional[str] = None, certificate: Optional[str] = None,
                 private_key: Optional[str] = None, previous_cert_id: Optional[str] = None,
                 force: Optional[bool] = None, delete_certificate: Optional[bool] = None) -> None:
        self.cert_id = cert_id
        self.certificate = certificate
        self.private_key = private_key
        self.previous_cert_id = previous_cert_id
        self.force = force
        self.delete_certificate = delete_certificate


class BucketTlsVersion(object):
    """put_bucket_https_config's argument: `tls_enabled` and the `tls_version` list
    ("TLSv1.2", ...)."""

    def __init__(self, tls_enabled=False, tls_version=None):
        self.tls_enabled = tls_enabled
        self.tls_version = tls_version


class HttpsConfigResult(RequestResult):
    """get_bucket_https_config's result: `tls_enabled` (bool) and `tls_version` (list)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(HttpsConfigResult, self).__init__(resp)
        self.tls_enabled = None
        self.tls_version = []
        body = _parsed(resp)  # go/oss HttpsConfiguration
        if not body:
            return
        self.tls_enabled = body["enable"]
        if body["tls_versions"]:
            self.tls_version = list(body["tls_versions"])

__all__ = ["CreateBucketCnameTokenResult", "GetBucketCnameTokenResult", "CnameInfo", "CertificateInfo",
           "ListBucketCnameResult", "PutBucketCnameRequest", "CertInfo", "BucketTlsVersion", "HttpsConfigResult"]
