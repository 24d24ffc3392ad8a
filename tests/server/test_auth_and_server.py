"""Signatures, access control, addressing styles, restart persistence and the CLI of jindo server."""
import http.client
import os

import oss2
import pytest
from oss2 import exceptions

from jindo_server import JindoServer


def test_wrong_secret_is_signature_does_not_match(server):
    b = oss2.Bucket(oss2.Auth(server.access_key_id, "wrong-secret"), server.endpoint, "any-bucket")
    with pytest.raises(exceptions.SignatureDoesNotMatch) as e:
        b.get_object("k")
    assert e.value.status == 403 and e.value.request_id and "StringToSign" in e.value.details


def test_unknown_access_key(server):
    b = oss2.Bucket(oss2.Auth("nobody", server.access_key_secret), server.endpoint, "any-bucket")
    with pytest.raises(exceptions.ServerError) as e:
        b.get_object("k")
    assert (e.value.status, e.value.code) == (403, "InvalidAccessKeyId")


def test_anonymous_is_access_denied(server, bucket):
    bucket.put_object("k", b"private")
    b = oss2.Bucket(oss2.AnonymousAuth(), server.endpoint, bucket.bucket_name)
    with pytest.raises(exceptions.AccessDenied) as e:
        b.get_object("k")
    assert e.value.status == 403


def test_clock_skew_is_refused(server, bucket, monkeypatch):
    monkeypatch.setattr(oss2.utils, "http_date", lambda timeval=None: "Sun, 01 Jan 2023 00:00:00 GMT")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.put_object("k", b"x")
    assert (e.value.status, e.value.code) == (403, "RequestTimeTooSkewed")


def test_v4_signing(server, bucket):
    provider = oss2.credentials.StaticCredentialsProvider(server.access_key_id, server.access_key_secret)
    b4 = oss2.Bucket(oss2.ProviderAuthV4(provider), server.endpoint, bucket.bucket_name, region="cn-hangzhou")
    b4.put_object("v4 key+ключ", b"signed with v4", headers={"x-oss-meta-a": "b"})
    assert b4.get_object("v4 key+ключ").read() == b"signed with v4"
    assert [o.key for o in oss2.ObjectIterator(b4, prefix="v4")] == ["v4 key+ключ"]
    bad = oss2.Bucket(oss2.AuthV4(server.access_key_id, "wrong"), server.endpoint, bucket.bucket_name,
                      region="cn-hangzhou")
    with pytest.raises(exceptions.SignatureDoesNotMatch):
        bad.get_object("v4 key+ключ")


def test_signed_url(server, bucket):
    bucket.put_object("shared", b"via url")
    url = bucket.sign_url("GET", "shared", 60)
    import requests
    assert requests.get(url, timeout=10).content == b"via url"
    expired = bucket.sign_url("GET", "shared", -1000)
    assert requests.get(expired, timeout=10).status_code == 403


def test_virtual_hosted_style(server, bucket):
    bucket.put_object("vh", b"virtual")
    req = oss2.http.Request("GET", server.endpoint + "/vh")
    oss2.Auth(server.access_key_id, server.access_key_secret)._sign_request(req, bucket.bucket_name, "vh")
    host, port = server.address.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {k: v for k, v in req.headers.items() if v is not None}
    headers["Host"] = "%s.oss-cn-hangzhou.aliyuncs.com" % bucket.bucket_name
    conn.request("GET", "/vh", headers=headers)
    resp = conn.getresponse()
    assert resp.status == 200 and resp.read() == b"virtual"
    conn.close()


def test_anonymous_server_accepts_unsigned_requests():
    with JindoServer("--anonymous", "--bucket", "pub") as s:
        b = oss2.Bucket(oss2.AnonymousAuth(), s.endpoint, "pub")
        b.put_object("k", b"open")
        assert b.get_object("k").read() == b"open"


def test_aborted_uploads_give_back_max_memory():
    # The reset fault aborts the handler mid-body (a panic in the body reader): what the body had
    # reserved must be given back, or the store ends up refusing everything with 507.
    with JindoServer("--max-memory", "20MB", "--fault-header") as s:
        b = oss2.Bucket(oss2.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "mem")
        b.create_bucket()
        for i in range(3):
            with pytest.raises(exceptions.RequestError):
                b.put_object("k%d" % i, b"x" * (8 << 20), headers={"x-jindo-fault": "reset"})
        assert list(oss2.ObjectIterator(b)) == []
        b.put_object("after", b"x" * (16 << 20))
        assert b.head_object("after").content_length == 16 << 20


def test_parts_and_appends_survive_restart(tmp_path):
    root = str(tmp_path / "data")
    part = os.urandom(150 * 1024)
    with JindoServer("--root", root, "--bucket", "keep", access_key_id="ak", access_key_secret="sk") as s:
        b = oss2.Bucket(oss2.Auth("ak", "sk"), s.endpoint, "keep")
        up = b.init_multipart_upload("mp").upload_id
        p1 = b.upload_part("mp", up, 1, part)
        b.append_object("ap", 0, b"first,")
        b.put_object("plain", b"plain")
    with JindoServer("--root", root, "--bucket", "keep", access_key_id="ak", access_key_secret="sk") as s:
        b = oss2.Bucket(oss2.Auth("ak", "sk"), s.endpoint, "keep")
        assert [p.part_number for p in b.list_parts("mp", up).parts] == [1]
        p2 = b.upload_part("mp", up, 2, b"tail")
        b.complete_multipart_upload("mp", up, [oss2.models.PartInfo(1, p1.etag), oss2.models.PartInfo(2, p2.etag)])
        assert b.get_object("mp").read() == part + b"tail"
        assert b.append_object("ap", 6, b"second").next_position == 12
        assert b.get_object("ap").read() == b"first,second"
        assert b.get_object("plain").read() == b"plain"
    # Nothing but the store's own layout lives under the root.
    assert sorted(os.listdir(root)) == ["blobs", "buckets", "tmp"]
    assert os.listdir(os.path.join(root, "tmp")) == []


@pytest.mark.parametrize("key", ["../x", "a/../../b", "../../../../etc/passwd", "/abs", "\\back", "nul\x00byte",
                                 "k" * 1024, "é" * 512])
def test_keys_that_escape_or_break_the_rules_are_refused(tmp_path, key):
    """Refused with OSS's InvalidObjectName before anything is written; the root holds no object."""
    root = tmp_path / "data"
    with JindoServer("--root", str(root), "--bucket", "keys") as s:
        b = oss2.Bucket(oss2.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "keys")
        for call in (lambda: b.put_object(key, b"payload"), lambda: b.append_object(key, 0, b"payload"),
                     lambda: b.init_multipart_upload(key)):
            with pytest.raises(exceptions.ServerError) as e:
                call()
            assert (e.value.status, e.value.code) == (400, "InvalidObjectName")
            assert e.value.request_id and e.value.message == "The specified object is not valid."
        assert list(oss2.ObjectIterator(b)) == []
        assert b.list_multipart_uploads().upload_list == []
    assert sorted(os.listdir(tmp_path)) == ["data"]
    assert os.listdir(root / "blobs") == [] and os.listdir(root / "tmp") == []
