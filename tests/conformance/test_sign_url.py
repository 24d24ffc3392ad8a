"""sign_url builds the same URL as oss2, and the URL works."""
import copy

import oss2
import pytest
import requests

import pyjindo

CASES = [
    ("GET", "dir/a b+c?#%.txt", 60, None, None, False),
    ("GET", "dir/a b+c?#%.txt", 60, None, {"response-content-type": "text/plain"}, False),
    ("GET", "dir/a b+c?#%.txt", 60, None, None, True),
    ("PUT", "up/ключ", 300, {"Content-Type": "text/plain", "x-oss-meta-k": "v"}, None, False),
]


def both(server, bucket_name, case):
    o = oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, bucket_name)
    p = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, bucket_name)
    method, key, expires, headers, params, slash_safe = case
    for _ in range(3):  # the two may straddle a second, which changes Expires
        # copies: oss2 adds its signature parameters to the params dict it is given
        u1 = o.sign_url(method, key, expires, headers=copy.copy(headers), params=copy.copy(params), slash_safe=slash_safe)
        u2 = p.sign_url(method, key, expires, headers=copy.copy(headers), params=copy.copy(params), slash_safe=slash_safe)
        if u1 == u2:
            break
    return o, u1, u2


@pytest.mark.parametrize("case", CASES)
def test_sign_url_matches_oss2_and_works(server, case):
    name = "sign-%d" % CASES.index(case)
    admin = oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, name)
    try:
        admin.create_bucket()
    except oss2.exceptions.ServerError:
        pass
    o, u1, u2 = both(server, name, case)
    assert u2 == u1
    method, key, _, headers, _, _ = case
    if method == "GET":
        o.put_object(key, b"signed content")
        assert requests.get(u2, timeout=10).content == b"signed content"
    else:
        assert requests.put(u2, data=b"put via url", headers=headers, timeout=10).status_code == 200
        assert o.get_object(key).read() == b"put via url"
        assert o.head_object(key).headers["x-oss-meta-k"] == "v"


# (auth version, method, key, expires, headers, params, additional_headers, security token)
VERSIONED = [
    ("v4", "GET", "dir/a b+c?#%.txt", 60, None, None, None, ""),
    ("v4", "GET", "dir/a b+c?#%.txt", 60, {"Range": "bytes=0-5", "Referer": "r"},
     {"response-content-type": "text/plain"}, ["range", "referer", "if-match", "x-oss-meta-a", "Content-Type"], ""),
    ("v4", "PUT", "up/ключ", 300, {"Content-Type": "text/plain", "x-oss-meta-k": "v"}, None, None, ""),
    ("v4", "GET", "dir/a b+c?#%.txt", 60, None, None, None, "sts-token"),
    ("v2", "GET", "dir/a b+c?#%.txt", 60, None, None, None, ""),
    ("v2", "GET", "dir/a b+c?#%.txt", 60, {"Range": "bytes=0-5"}, {"response-content-type": "text/plain"},
     ["range", "if-match"], ""),
    ("v2", "PUT", "up/ключ", 300, {"Content-Type": "text/plain", "x-oss-meta-k": "v"}, None, None, ""),
    ("v2", "GET", "dir/a b+c?#%.txt", 60, None, None, None, "sts-token"),
]


def _versioned_auth(oss, server, version, token):
    if token:
        return oss.StsAuth(server.access_key_id, server.access_key_secret, token, auth_version=version)
    return oss.make_auth(server.access_key_id, server.access_key_secret, auth_version=version)


def _signed_pair(server, bucket_name, case):
    version, method, key, expires, headers, params, additional, token = case
    urls = []
    for _ in range(3):  # the two may straddle a second, which changes x-oss-date or x-oss-expires
        urls = []
        for oss in (oss2, pyjindo):
            b = oss.Bucket(_versioned_auth(oss, server, version, token), server.endpoint, bucket_name,
                           region="cn-hangzhou")
            kw = {} if additional is None else {"additional_headers": list(additional)}
            urls.append(b.sign_url(method, key, expires, headers=copy.copy(headers), params=copy.copy(params), **kw))
        if urls[0] == urls[1]:
            break
    return urls


@pytest.mark.parametrize("case", VERSIONED, ids=lambda c: "%s-%s-%d" % (c[0], c[1], VERSIONED.index(c)))
def test_v2_and_v4_sign_url_match_oss2_and_work(server, case):
    name = "signv-%d" % VERSIONED.index(case)
    admin = oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, name)
    try:
        admin.create_bucket()
    except oss2.exceptions.ServerError:
        pass
    u1, u2 = _signed_pair(server, name, case)
    assert u2 == u1
    version, method, key, _, headers, _, _, _ = case
    marker = {"v2": "x-oss-signature-version=OSS2", "v4": "x-oss-signature-version=OSS4-HMAC-SHA256"}[version]
    assert marker in u2
    if method == "GET":
        admin.put_object(key, b"signed content")
        r = requests.get(u2, headers=headers, timeout=10)
        assert r.content == (b"signed content"[:6] if headers else b"signed content")
    else:
        assert requests.put(u2, data=b"put via url", headers=headers, timeout=10).status_code == 200
        assert admin.get_object(key).read() == b"put via url"
        assert admin.head_object(key).headers["x-oss-meta-k"] == "v"


def test_additional_headers_need_a_v2_or_v4_auth_as_in_oss2(server):
    for oss in (oss2, pyjindo):
        for auth in (oss.Auth("ak", "sk"), oss.AnonymousAuth(), oss.StsAuth("ak", "sk", "t", auth_version="v4")):
            b = oss.Bucket(auth, server.endpoint, "sign-0", region="cn-hangzhou")
            with pytest.raises(TypeError):
                b.sign_url("GET", "k", 60, additional_headers=["range"])


def test_sign_url_rejects_what_oss2_rejects(server):
    for oss in (oss2, pyjindo):
        b = oss.Bucket(oss.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "sign-0")
        with pytest.raises(oss.exceptions.ClientError):
            b.sign_url("GET", " ", 60)
        with pytest.raises(oss.exceptions.ClientError):
            b.sign_url("GET", "?key", 60)


# (auth version, method, headers, params, additional_headers): cases where pyjindo's URL once
# differed from oss2's.
EDGE = [
    # sign_url signs a str header value as UTF-8 (oss2's to_bytes); a request would send Latin-1
    ("v1", "PUT", {"x-oss-meta-u": "测试", "Content-Type": "text/ü"}, None, None),
    ("v2", "PUT", {"x-oss-meta-u": "测试", "Referer": "ü"}, None, ["referer"]),
    ("v4", "PUT", {"x-oss-meta-u": "测试", "Referer": "ü"}, None, ["referer"]),
    # one of each additional header, whatever the case it is listed in
    ("v4", "GET", {"Range": "bytes=0-5"}, None, ["Range", "range"]),
    ("v4", "GET", {"Range": "bytes=0-5", "Referer": "r"}, None, ["referer", "RANGE", "Referer", "range"]),
    ("v2", "GET", {"Range": "bytes=0-5"}, None, ["Range", "range"]),
    # a parameter named like a signature parameter is overwritten where it stands
    ("v1", "GET", None, {"Expires": "5", "a": "1", "Signature": "s", "OSSAccessKeyId": "o"}, None),
    ("v2", "GET", {"Range": "bytes=0-5"}, {"x-oss-expires": "5", "x-oss-signature": "s", "a": "1",
                                           "x-oss-additional-headers": "h", "x-oss-access-key-id": "o",
                                           "x-oss-signature-version": "v"}, ["range"]),
    ("v4", "GET", None, {"x-oss-expires": "5", "x-oss-signature": "s", "a": "1", "x-oss-credential": "c",
                         "x-oss-date": "d", "x-oss-signature-version": "v", "x-oss-additional-headers": "h"}, None),
    ("v4", "GET", None, {"x-oss-expires": "5"}, None),
]


@pytest.mark.parametrize("case", EDGE, ids=lambda c: "%s-%d" % (c[0], EDGE.index(c)))
def test_sign_url_edge_cases_match_oss2(server, case):
    version, method, headers, params, additional = case
    u1, u2 = _signed_pair(server, "sign-edge", (version, method, "k", 60, headers, params, additional, ""))
    assert u2 == u1


def test_sign_url_non_ascii_header_value_works_as_utf8(server):
    """The URL signs '测试' as its UTF-8 bytes, so sending those bytes with it is accepted."""
    admin = oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "sign-utf8")
    try:
        admin.create_bucket()
    except oss2.exceptions.ServerError:
        pass
    for version in ("v1", "v2", "v4"):
        b = pyjindo.Bucket(_versioned_auth(pyjindo, server, version, ""), server.endpoint, "sign-utf8",
                           region="cn-hangzhou")
        url = b.sign_url("PUT", "u-" + version, 60, headers={"x-oss-meta-u": "测试"})
        r = requests.put(url, data=b"x", headers={"x-oss-meta-u": "测试".encode()}, timeout=10)
        assert r.status_code == 200, (version, r.text)
        assert admin.head_object("u-" + version).headers["x-oss-meta-u"].encode("latin-1") == "测试".encode()


def test_sign_url_overwritten_expiry_parameter_works(server):
    admin = oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "sign-utf8")
    try:
        admin.create_bucket()
    except oss2.exceptions.ServerError:
        pass
    admin.put_object("k", b"content")
    for version, name in (("v1", "Expires"), ("v2", "x-oss-expires"), ("v4", "x-oss-expires")):
        b = pyjindo.Bucket(_versioned_auth(pyjindo, server, version, ""), server.endpoint, "sign-utf8",
                           region="cn-hangzhou")
        url = b.sign_url("GET", "k", 60, params={name: "5"})
        assert url.count(name + "=") == 1
        assert requests.get(url, timeout=10).content == b"content", version
