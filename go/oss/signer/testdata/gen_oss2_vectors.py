"""Regenerates oss2_extra.json: signing cases beyond signing.json (the V1 and V4 vectors oss2 computed, copied from the design notes),
with the intermediate strings (V1 string to sign, V2 string to sign, V4 canonical request
and string to sign) that oss2 2.19.1 computes, and the query parameters of presigned URLs
(V1, V2, V4) that oss2's Bucket.sign_url builds.
Run: python3 gen_oss2_vectors.py > oss2_extra.json

oss2 keeps V2's additional headers in a set, so with two or more of them the order in its
Authorization (and in a V2 URL's x-oss-additional-headers) depends on the string hash seed;
the string to sign sorts them. Header cases record the Authorization as produced (the Go
test compares the list as a set); presigned V2 cases use at most one additional header.
"""
import calendar
import datetime as _dt
import json
import types
from urllib.parse import unquote

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
oss2.auth.time = types.SimpleNamespace(time=lambda: float(calendar.timegm(NOW.timetuple())))
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


def v2(method, bucket, key, params, headers, token=""):
    provider = oss2.credentials.StaticCredentialsProvider(AK, SK, token or None)
    auth = oss2.auth.ProviderAuthV2(provider)
    req = Request(method, "http://example", params=dict(params), headers=dict(headers))
    auth._sign_request(req, bucket, key)
    extra = auth._ProviderAuthV2__get_additional_headers(req, oss2.auth._DEFAULT_ADDITIONAL_HEADERS)
    sts = auth._ProviderAuthV2__get_bytes_to_sign(req, bucket, key, extra).decode("utf-8")
    return {
        "method": method, "bucket": bucket, "key": key, "params": params,
        "headers_in": headers, "token": token,
        "headers": _headers(req), "string_to_sign": sts,
        "authorization": req.headers["authorization"],
    }


def presign(version, method, key, params, headers, additional=None, token="", expires=60, region="cn-hangzhou"):
    """The query of oss2's Bucket.sign_url, as ordered (name, value) pairs."""
    if token:
        auth = oss2.StsAuth(AK, SK, token, auth_version=version)
    else:
        auth = oss2.make_auth(AK, SK, auth_version=version)
    b = oss2.Bucket(auth, "http://oss-cn-hangzhou.aliyuncs.com", "bkt", region=region)
    kw = {} if additional is None else {"additional_headers": additional}
    url = b.sign_url(method, key, expires, headers=dict(headers), params=dict(params), **kw)
    query = url.split("?", 1)[1]
    pairs = [[unquote(k), unquote(v)] for k, _, v in (p.partition("=") for p in query.split("&"))]
    return {
        "version": version, "method": method, "bucket": "bkt", "key": key, "params": [list(p) for p in params],
        "headers_in": headers, "additional_headers": additional, "token": token, "region": region,
        "expires": expires, "url": url, "query": pairs,
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
        # oss2 signs a request's additional headers as listed: a name twice stays twice
        v4("GET", "bkt", "obj", {}, {"Range": "bytes=0-1"}, "cn-hangzhou", ["Range", "range"]),
    ],
    "v2": [
        v2("GET", "", "", {}, {}),
        v2("GET", "bkt", "", {"prefix": "p/q", "max-keys": "10", "marker": ""}, {}, token="sts-token-3"),
        v2("GET", "bkt", "ü/中文 key", {"x-oss-process": "image/resize,w_100", "a b": "c/d+e~",
                                        "response-content-type": "text/html; charset=utf-8"},
           {"Content-Type": "text/html", "X-Oss-Meta-B": "spaced", "Range": "bytes=0-9", "Referer": "r"}),
        v2("GET", "bkt", "obj", {}, {"Range": "bytes=1-", "If-Modified-Since": "Mon, 23 Nov 2026 10:00:00 GMT"}),
        v2("PUT", "bkt", "", {"acl": ""}, {"x-oss-acl": "private", "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}),
        v2("DELETE", "bkt", "a?b#c%20d/..", {"uploadId": "u/1+2"}, {}),
    ],
    "presign": [
        presign("v1", "GET", "dir/a b+c?#%.txt", [], {}),
        presign("v1", "PUT", "up/ключ", [["response-content-type", "text/plain"]],
                {"Content-Type": "text/plain", "x-oss-meta-k": "v"}, token="sts-token-4", expires=300),
        presign("v2", "GET", "dir/a b+c?#%.txt", [], {}),
        presign("v2", "GET", "obj", [["response-content-type", "text/plain"], ["x-oss-process", "image/resize,w_1"]],
                {"Range": "bytes=0-1", "Referer": "r"}, additional=["Range", "if-none-match"]),
        presign("v2", "PUT", "up/ключ", [], {"Content-Type": "text/plain", "x-oss-meta-k": "v"},
                token="sts-token-5", expires=300),
        presign("v4", "GET", "dir/a b+c?#%.txt", [], {}),
        presign("v4", "GET", "obj", [["response-content-type", "text/plain"], ["acl", ""]],
                {"Host": "bkt.oss-cn-hangzhou.aliyuncs.com", "Range": "bytes=0-1", "Referer": "r",
                 "x-oss-meta-a": "b"},
                additional=["range", "Host", "x-oss-meta-a", "content-type", "if-match"], region="cn-beijing"),
        presign("v4", "PUT", "up/ключ", [], {"Content-Type": "text/plain", "x-oss-meta-k": "v"},
                token="sts-token-6", expires=3600),
        # sign_url keeps additional headers in a set: one of each
        presign("v4", "GET", "obj", [], {"Range": "bytes=0-1"}, additional=["Range", "range"]),
        presign("v2", "GET", "obj", [], {"Range": "bytes=0-1"}, additional=["Range", "range"]),
        # str header values are signed as UTF-8
        presign("v1", "PUT", "obj", [], {"x-oss-meta-u": "测试", "Content-Type": "类型"}),
        presign("v2", "PUT", "obj", [], {"x-oss-meta-u": "测试", "Referer": "ü"}, additional=["referer"]),
        presign("v4", "PUT", "obj", [], {"x-oss-meta-u": "测试", "Referer": "ü"}, additional=["referer"]),
        # a caller's parameter named like a signature parameter is overwritten in place (and,
        # for V2 and V4, a caller's x-oss-signature is signed before it is overwritten)
        presign("v1", "GET", "obj", [["Expires", "5"], ["a", "1"], ["Signature", "s"], ["security-token", "t"],
                                     ["OSSAccessKeyId", "o"]], {}, token="sts-token-7"),
        presign("v2", "GET", "obj", [["x-oss-expires", "5"], ["x-oss-signature", "s"], ["a", "1"],
                                     ["x-oss-additional-headers", "h"], ["security-token", "t"],
                                     ["x-oss-access-key-id", "o"], ["x-oss-signature-version", "v"]],
                {"Range": "bytes=0-1"}, additional=["range"]),
        presign("v4", "GET", "obj", [["x-oss-expires", "5"], ["x-oss-signature", "s"], ["a", "1"],
                                     ["x-oss-additional-headers", "h"], ["x-oss-security-token", "t"],
                                     ["x-oss-credential", "c"], ["x-oss-date", "d"], ["x-oss-signature-version", "v"]],
                {}, token="sts-token-9"),
        presign("v4", "GET", "obj", [["x-oss-additional-headers", "h"], ["x-oss-expires", "5"]],
                {"Range": "bytes=0-1"}, additional=["range"]),
    ],
}
print(json.dumps(out, ensure_ascii=False, indent=1))
