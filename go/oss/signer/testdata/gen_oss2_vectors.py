"""Regenerates oss2_extra.json: signing cases beyond /work/shared/vectors/signing.json,
with the intermediate strings (V1 string to sign, V4 canonical request and string to
sign) that oss2 2.19.1 computes. Run: python3 gen_oss2_vectors.py > oss2_extra.json
"""
import datetime as _dt
import json

import oss2
import oss2.auth
import oss2.utils
from oss2.http import Request

AK, SK = "test-ak", "test-sk-secret"
NOW = _dt.datetime(2026, 11, 24, 10, 0, 0)
HTTP_DATE = "Tue, 24 Nov 2026 10:00:00 GMT"


class _FixedDatetime(_dt.datetime):
    @classmethod
    def utcnow(cls):
        return NOW


oss2.auth.datetime = _FixedDatetime
oss2.utils.http_date = lambda *a, **k: HTTP_DATE


def _headers(req):
    return {k: v for k, v in req.headers.items() if v is not None and k != "User-Agent"}


def v1(method, bucket, key, params, headers, token=""):
    provider = oss2.credentials.StaticCredentialsProvider(AK, SK, token or None)
    auth = oss2.auth.ProviderAuth(provider)
    req = Request(method, "http://example", params=dict(params), headers=dict(headers))
    auth._sign_request(req, bucket, key)
    sts = auth._ProviderAuth__get_bytes_to_sign(req, bucket, key).decode("utf-8")
    return {
        "method": method, "bucket": bucket, "key": key, "params": params,
        "headers_in": headers, "token": token,
        "headers": _headers(req), "string_to_sign": sts,
        "authorization": req.headers["authorization"],
    }


def v4(method, bucket, key, params, headers, region, additional, token=""):
    provider = oss2.credentials.StaticCredentialsProvider(AK, SK, token or None)
    auth = oss2.auth.ProviderAuthV4(provider)
    req = Request(method, "http://example", params=dict(params), headers=dict(headers),
                  region=region, product="oss")
    auth._sign_request(req, bucket, key, additional)
    extra = auth._ProviderAuthV4__get_additional_signed_headers(additional)
    cr = auth._ProviderAuthV4__get_canonical_request_bytes(req, bucket, key, extra)
    sts = auth._ProviderAuthV4__get_string_to_sign_bytes(req, cr, NOW.strftime("%Y%m%dT%H%M%SZ"))
    return {
        "method": method, "bucket": bucket, "key": key, "params": params,
        "headers_in": headers, "token": token, "region": region,
        "additional_headers": additional,
        "headers": _headers(req), "canonical_request": cr.decode("utf-8"),
        "string_to_sign": sts, "authorization": req.headers["authorization"],
    }


out = {
    "access_key_id": AK, "access_key_secret": SK, "now": "2026-11-24T10:00:00Z",
    "v1": [
        v1("GET", "", "", {}, {}),
        v1("GET", "", "", {"prefix": "p", "max-keys": "10"}, {}),
        v1("GET", "bkt", "", {"acl": ""}, {}),
        v1("PUT", "bkt", "obj", {}, {"X-Oss-Meta-Zed": "z", "x-oss-meta-alpha": "A b",
                                     "x-oss-date": "Wed, 25 Nov 2026 00:00:00 GMT",
                                     "Content-Type": "application/octet-stream"}, token="sts-token-1"),
        v1("GET", "bkt", "img.png", {"x-oss-process": "image/resize,w_100", "versionId": "v1",
                                     "not-a-subresource": "x",
                                     "response-content-disposition": 'attachment; filename="a b.txt"'}, {}),
        v1("DELETE", "bkt", "a?b#c%20d/..", {"uploadId": "u/1+2"}, {}),
    ],
    "v4": [
        v4("GET", "bkt", "obj", {}, {"Range": "bytes=0-1", "Referer": "http://r", "Host": "bkt.example"},
           "cn-hangzhou", ["Referer", "Range", "host", "x-oss-meta-a", "Content-Type", "if-modified-since"]),
        v4("GET", "", "", {"prefix": "p/q", "max-keys": "10", "marker": ""}, {}, "cn-shanghai", None,
           token="sts-token-2"),
        v4("GET", "bkt", "ü/中文 key", {"x-oss-process": "image/resize,w_100", "a b": "c/d+e~",
                                        "response-content-type": "text/html; charset=utf-8"},
           {"Content-Type": "text/html", "X-Oss-Meta-B": " spaced "}, "cn-beijing", []),
        v4("PUT", "bkt", "", {"acl": ""}, {"x-oss-acl": "private"}, "us-west-1", None),
        v4("PUT", "bkt", "a?b#c%20d/..", {"uploadId": "u/1+2", "partNumber": "3"}, {}, "cn-hangzhou", None),
    ],
}
print(json.dumps(out, ensure_ascii=False, indent=1))
