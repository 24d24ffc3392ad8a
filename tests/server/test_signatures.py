"""Presigned URLs (V1, V2, V4), V2 headers, V4 details (Host as an additional header, the signing
region) verified by jindo server, each signed by oss2 itself."""
import datetime
import http.client
import types
from urllib.parse import urlsplit

import oss2
import pytest
import requests
from oss2 import exceptions

from jindo_server import JindoServer

VERSIONS = ["v1", "v2", "v4"]


@pytest.fixture(scope="module")
def anonymous_server():
    with JindoServer("--anonymous") as s:
        yield s


@pytest.fixture(params=["signed only", "anonymous too"])
def any_server(request, server, anonymous_server):
    """The shared server, and one that also serves unsigned requests."""
    return server if request.param == "signed only" else anonymous_server


def _bucket(server, version, name, secret=None, region="cn-hangzhou"):
    auth = oss2.make_auth(server.access_key_id, secret or server.access_key_secret, auth_version=version)
    return oss2.Bucket(auth, server.endpoint, name, region=region)


@pytest.fixture
def two_buckets(any_server):
    """Two buckets on any_server, made with V1 signatures."""
    names = []
    for suffix in ("a", "b"):
        b = _bucket(any_server, "v1", "sig-%s-%s" % (id(any_server) % 10000, suffix))
        try:
            b.create_bucket()
        except exceptions.ServerError:
            pass
        names.append(b.bucket_name)
    return any_server, names


def _replace_signature(url):
    for name in ("Signature=", "x-oss-signature="):
        i = url.find("&" + name)
        if i >= 0:
            j = i + 1 + len(name)
            return url[:j] + ("A" if url[j] != "A" else "B") + url[j + 1:]
    raise AssertionError("no signature in " + url)


@pytest.mark.parametrize("version", VERSIONS)
def test_presigned_url_get_and_put(two_buckets, version):
    server, (name, _) = two_buckets
    b = _bucket(server, version, name)
    headers = {"Content-Type": "text/plain", "x-oss-meta-k": "v"}
    put = b.sign_url("PUT", "dir/a b+c.txt", 60, headers=dict(headers))
    r = requests.put(put, data=b"put via " + version.encode(), headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    get = b.sign_url("GET", "dir/a b+c.txt", 60)
    r = requests.get(get, timeout=10)
    assert r.status_code == 200 and r.content == b"put via " + version.encode()
    assert r.headers["x-oss-meta-k"] == "v"


@pytest.mark.parametrize("version", VERSIONS)
def test_presigned_url_refused_when_expired_tampered_or_for_another_object(two_buckets, version, monkeypatch):
    server, (name, other_bucket) = two_buckets
    b = _bucket(server, version, name)
    b.put_object("k", b"secret")
    url = b.sign_url("GET", "k", 60)
    assert requests.get(url, timeout=10).status_code == 200

    def refused(u, method="GET", **kw):
        r = requests.request(method, u, timeout=10, **kw)
        assert r.status_code == 403, (u, r.status_code, r.text)
        return r

    refused(_replace_signature(url))
    refused(_replace_signature(b.sign_url("PUT", "k", 60)), "PUT", data=b"overwritten")
    refused(url.replace("/%s/k?" % name, "/%s/other?" % name))
    refused(url.replace("/%s/k?" % name, "/%s/k?" % other_bucket))
    refused(url, "DELETE")
    refused(_bucket(server, version, name, secret="other-secret").sign_url("GET", "k", 60))
    assert b.get_object("k").read() == b"secret"

    # Signed two hours ago for one minute.
    past = datetime.datetime.utcnow() - datetime.timedelta(hours=2)

    class _Past(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return past

    monkeypatch.setattr(oss2.auth, "datetime", _Past)
    monkeypatch.setattr(oss2.auth, "time", types.SimpleNamespace(
        time=lambda: past.replace(tzinfo=datetime.timezone.utc).timestamp()))
    expired = b.sign_url("GET", "k", 60)
    monkeypatch.undo()
    assert "expired" in refused(expired).text


def test_v4_presigned_url_with_a_bad_date_or_region(two_buckets):
    server, (name, _) = two_buckets
    b = _bucket(server, "v4", name)
    b.put_object("k", b"v")
    url = b.sign_url("GET", "k", 60)
    bad_date = url.replace("x-oss-date=", "x-oss-date=1")
    assert requests.get(bad_date, timeout=10).status_code == 403
    other_region = _bucket(server, "v4", name, region="cn-beijing").sign_url("GET", "k", 60)
    r = requests.get(other_region, timeout=10)
    assert r.status_code == 400 and "<Code>InvalidArgument</Code>" in r.text
    assert "<EC>0002-00000226</EC>" in r.text


@pytest.mark.parametrize("version", ["v2", "v4"])
def test_presigned_url_signing_host_path_and_virtual_hosted(server, bucket, version):
    bucket.put_object("h", b"host signed")
    b = _bucket(server, version, bucket.bucket_name)
    url = b.sign_url("GET", "h", 60, headers={"Host": server.address}, additional_headers=["host"])
    assert "x-oss-additional-headers=host" in url
    assert requests.get(url, timeout=10).content == b"host signed"

    vhost = "%s.oss-cn-hangzhou.aliyuncs.com" % bucket.bucket_name
    vb = oss2.Bucket(b.auth, "http://oss-cn-hangzhou.aliyuncs.com", bucket.bucket_name, region="cn-hangzhou")
    vurl = urlsplit(vb.sign_url("GET", "h", 60, headers={"Host": vhost}, additional_headers=["host"]))
    assert vurl.netloc == vhost
    for host, status in ((vhost, 200), ("%s.oss-cn-beijing.aliyuncs.com" % bucket.bucket_name, 403)):
        conn = http.client.HTTPConnection(*server.address.rsplit(":", 1), timeout=10)
        conn.request("GET", vurl.path + "?" + vurl.query, headers={"Host": host})
        resp = conn.getresponse()
        assert resp.status == status, resp.read()
        conn.close()


def _send(server, req):
    headers = {k: v for k, v in req.headers.items() if v is not None}
    path = urlsplit(req.url)
    conn = http.client.HTTPConnection(*server.address.rsplit(":", 1), timeout=10)
    conn.request(req.method, path.path, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


@pytest.mark.parametrize("style", ["path", "virtual-hosted"])
def test_v4_header_signature_with_host_in_additional_headers(server, bucket, style):
    # As osstorchconnector signs every request: AdditionalHeaders=host.
    bucket.put_object("h", b"host signed")
    name = bucket.bucket_name
    host, url = server.address, "%s/%s/h" % (server.endpoint, name)
    if style == "virtual-hosted":
        host, url = "%s.oss-cn-hangzhou.aliyuncs.com" % name, "http://%s.oss-cn-hangzhou.aliyuncs.com/h" % name
    auth = oss2.ProviderAuthV4(oss2.credentials.StaticCredentialsProvider(server.access_key_id, server.access_key_secret))
    req = oss2.http.Request("GET", url, headers={"Host": host}, region="cn-hangzhou", product="oss")
    auth._sign_request(req, name, "h", ["host"])
    assert "AdditionalHeaders=host" in req.headers["authorization"]
    assert _send(server, req) == (200, b"host signed")
    req.headers["Host"] = "elsewhere.example"
    if style == "path":
        assert _send(server, req)[0] == 403


def test_v4_wrong_region_is_invalid_argument(server, bucket):
    b = _bucket(server, "v4", bucket.bucket_name, region="cn-beijing")
    with pytest.raises(exceptions.InvalidArgument) as e:
        b.get_object("k")
    assert e.value.status == 400 and e.value.ec == "0002-00000226"
    assert e.value.message == "Invalid signing region in Authorization header."


def test_auth_v2_headers(server, bucket):
    b = _bucket(server, "v2", bucket.bucket_name)
    b.put_object("v2 key+ü", b"signed with v2", headers={"x-oss-meta-a": "b", "Content-Type": "text/plain"})
    assert b.get_object("v2 key+ü").read() == b"signed with v2"
    assert b.get_object("v2 key+ü", byte_range=(0, 5)).read() == b"signed"  # Range is a V2 additional header
    assert [o.key for o in oss2.ObjectIterator(b, prefix="v2", max_keys=1)] == ["v2 key+ü"]
    assert b.head_object("v2 key+ü").headers["x-oss-meta-a"] == "b"
    b.delete_object("v2 key+ü")
    with pytest.raises(exceptions.SignatureDoesNotMatch) as e:
        _bucket(server, "v2", bucket.bucket_name, secret="wrong").get_object("v2 key+ü")
    assert e.value.status == 403


def test_signed_requests_are_never_anonymous(anonymous_server):
    # A bad signature is refused even where unsigned requests are served.
    s = anonymous_server
    b = oss2.Bucket(oss2.AnonymousAuth(), s.endpoint, "anon-sig")
    b.create_bucket()
    b.put_object("k", b"open")
    for version in VERSIONS:
        bad = _bucket(s, version, "anon-sig", secret="wrong")
        with pytest.raises(exceptions.SignatureDoesNotMatch):
            bad.put_object("k", b"overwritten")
        r = requests.put(bad.sign_url("PUT", "k", 60), data=b"overwritten", timeout=10)
        assert r.status_code == 403
    assert b.get_object("k").read() == b"open"


def test_region_flag_sets_the_v4_signing_region():
    with JindoServer("--region", "cn-shanghai", "--bucket", "region-b") as s:
        assert _bucket(s, "v4", "region-b", region="cn-shanghai").get_bucket_info().location == "oss-cn-shanghai"
        with pytest.raises(exceptions.InvalidArgument):
            _bucket(s, "v4", "region-b", region="cn-hangzhou").get_bucket_info()


def test_malformed_signatures_get_the_documented_answers(any_server):
    """README: a malformed Authorization header is 400 InvalidArgument; a malformed query-string
    signature 403 AccessDenied, with or without --anonymous."""
    url = any_server.endpoint + "/anon-sig-malformed/k"
    r = requests.get(url, headers={"Authorization": "OSS garbage"}, timeout=10)
    assert r.status_code == 400 and "<Code>InvalidArgument</Code>" in r.text
    r = requests.get(url + "?OSSAccessKeyId=" + any_server.access_key_id + "&Signature=x", timeout=10)
    assert r.status_code == 403 and "<Code>AccessDenied</Code>" in r.text
