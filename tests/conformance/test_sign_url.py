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
