"""Names oss2 users import (issue 12 item 7): modules oss2.headers, oss2.http, oss2.crc64_combine,
the models' constants, utils' adapters, Session, EcsRamRoleCredentialsProvider, and the
x-oss-traffic-limit header, compared with oss2 side by side."""
import http.server
import io
import json
import random
import threading
import time

import oss2
import pytest

import pyjindo
from pyjindo.exceptions import UnsupportedOperation


def _public(module):
    return {n: getattr(module, n) for n in dir(module) if not n.startswith("_")}


def _constants(module):
    return {n: v for n, v in _public(module).items() if n.isupper() and isinstance(v, (str, int, float))}


def test_headers_module_has_every_name_with_the_same_value():
    names = {n for n, v in _public(oss2.headers).items() if not isinstance(v, type(oss2))}
    assert names == {n for n, v in _public(pyjindo.headers).items() if not isinstance(v, type(oss2))}
    for n in names - {"RequestHeader"}:
        assert getattr(pyjindo.headers, n) == getattr(oss2.headers, n), n


@pytest.mark.parametrize("args", [("AES256",), ("KMS",), ("KMS", "key-id"), ("SM4",), (None,), ("AES256", "key-id")])
def test_request_header_encryption(args):
    results = []
    for oss in (oss2, pyjindo):
        h = oss.headers.RequestHeader({"x-oss-server-side-encryption": "old", "a": "b"})
        h.set_server_side_encryption(*args)
        results.append(dict(h))
    assert results[0] == results[1]


def test_models_constants_are_oss2s():
    expected, actual = _constants(oss2.models), _constants(pyjindo.models)
    assert sorted(set(expected) - set(actual)) == []
    assert {n: (v, actual[n]) for n, v in expected.items() if actual[n] != v} == {}
    assert pyjindo.models.OSS_TRAFFIC_LIMIT == "x-oss-traffic-limit"


# Names oss2 has at the top level that pyjindo does not: modules of features it lacks.
_NOT_IMPORTED = {"select_params", "select_response", "task_queue", "xml_utils"}


def test_top_level_names():
    assert sorted(set(_public(oss2)) - set(_public(pyjindo)) - _NOT_IMPORTED) == []
    for name in ("LiveChannelIterator",):
        with pytest.raises(UnsupportedOperation, match=name):
            getattr(pyjindo, name)()


def test_http_module():
    assert pyjindo.http.CaseInsensitiveDict is pyjindo.CaseInsensitiveDict
    assert set(oss2.Session.__init__.__code__.co_varnames[:3]) == set(pyjindo.Session.__init__.__code__.co_varnames[:3])
    s = pyjindo.http.Session(pool_size=5)
    assert s.pool_size == 5 and pyjindo.Session().pool_size == oss2.defaults.connection_pool_size
    with pytest.raises(UnsupportedOperation):
        s.do_request(None, 10)


def test_session_is_accepted_by_bucket_and_service(sides, server):
    def scenario(oss, bucket):
        session = oss.Session()
        b = oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name, session=session)
        b2 = oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name, session=session)
        b.put_object("s", b"shared session")
        svc = oss.Service(bucket.auth, bucket.endpoint, session=oss.http.Session(pool_size=3))
        names = [x.name for x in svc.list_buckets(prefix=bucket.bucket_name).buckets]
        return b2.get_object("s").read(), names
    sides.run(scenario)


def test_crc64_combine_module():
    rng = random.Random(12)
    for rev in (True, False):
        for init, xor_out in ((0, 0xFFFFFFFFFFFFFFFF), (~0, 0), (0x1234, 0xFFFFFFFFFFFFFFFF)):
            fo = oss2.crc64_combine.mkCombineFun(0x142F0E1EBA9EA3693, init, rev, xor_out)
            fp = pyjindo.crc64_combine.mkCombineFun(0x142F0E1EBA9EA3693, init, rev, xor_out)
            for n in (0, 1, 7, 8, 1 << 20, rng.randrange(1 << 40)):
                a, b = rng.getrandbits(64), rng.getrandbits(64)
                assert fp(a, b, n) == fo(a, b, n), (rev, init, xor_out, n)
    assert pyjindo.utils.mkCombineFun is pyjindo.crc64_combine.mkCombineFun
    with pytest.raises(ValueError):
        pyjindo.crc64_combine.mkCombineFun(0x5)


class _Unsized(object):
    """A file-like object with read only: no len, no seek/tell."""

    def __init__(self, data):
        self._f = io.BytesIO(data)

    def read(self, amt=None):
        return self._f.read(amt)


DATA = bytes(range(256)) * 100 + b"tail"
_SOURCES = {
    "bytes": lambda: DATA,
    "str": lambda: "text ✓" * 3000,
    "file": lambda: io.BytesIO(DATA),
    "unsized": lambda: _Unsized(DATA),
    "iterable": lambda: [DATA[:1000], DATA[1000:5000], DATA[5000:]],
    "empty": lambda: b"",
}


def _drain(adapter, how):
    if how == "iterate":
        return b"".join(adapter)
    if how == "read":
        return adapter.read()
    out = []
    while True:
        chunk = adapter.read(3000)
        if not chunk:
            return b"".join(out)
        out.append(chunk)


def _adapter_run(oss, kind, source, how, size=None, init_crc=0, discard=0):
    calls = []
    try:
        if kind == "progress":
            a = oss.utils.make_progress_adapter(_SOURCES[source](), lambda c, t: calls.append((c, t)), size=size)
        elif kind == "crc":
            a = oss.utils.make_crc_adapter(_SOURCES[source](), init_crc=init_crc, discard=discard)
        else:  # oss2's put_object_with_url: CRC over progress
            a = oss.utils.make_crc_adapter(oss.utils.make_progress_adapter(_SOURCES[source](),
                                                                           lambda c, t: calls.append((c, t))))
        if how == "read" and not hasattr(a, "read"):
            how = "iterate"
        data = _drain(a, how)
    except Exception as e:
        return type(e).__name__, str(e), calls
    return data, calls, getattr(a, "crc", None) if kind != "progress" else None, bool(a), getattr(a, "len", None)


@pytest.mark.parametrize("source", sorted(_SOURCES))
@pytest.mark.parametrize("how", ["iterate", "read", "chunks"])
@pytest.mark.parametrize("kind", ["progress", "crc", "both"])
def test_adapters_behave_as_oss2s(kind, source, how):
    assert _adapter_run(pyjindo, kind, source, how) == _adapter_run(oss2, kind, source, how)


@pytest.mark.parametrize("source,size,init_crc,discard", [
    ("bytes", 100, 0, 0), ("file", 5000, 0, 0), ("unsized", None, 7, 10), ("unsized", None, 0, 100000),
    ("bytes", None, 0, 5), ("iterable", None, 0, 5), ("file", None, 99, 0),
])
def test_adapter_options(source, size, init_crc, discard):
    for kind in ("progress", "crc"):
        assert _adapter_run(pyjindo, kind, source, "chunks", size, init_crc, discard) == \
            _adapter_run(oss2, kind, source, "chunks", size, init_crc, discard)


def test_put_object_takes_adapters(sides):
    def scenario(oss, bucket):
        calls = []
        data = oss.utils.make_crc_adapter(oss.utils.make_progress_adapter(DATA, lambda c, t: calls.append((c, t))))
        put = bucket.put_object("adapted", data)
        return put, data.crc == put.crc, calls[-1], bucket.get_object("adapted").read() == DATA
    sides.run(scenario)


# --- EcsRamRoleCredentialsProvider against a metadata service on loopback ----------------------

class _Metadata(object):
    """A tiny ECS metadata service: answers each GET with the next (status, document)."""

    def __init__(self):
        self.answers = []
        self.hits = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits += 1
                status, doc = outer.answers[min(outer.hits, len(outer.answers)) - 1]
                body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d/latest/meta-data/ram/security-credentials/role" % self.httpd.server_port

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def metadata():
    m = _Metadata()
    yield m
    m.close()


def _iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _role_doc(server, expires_in=3600, updated_ago=60, code="Success"):
    now = int(time.time())
    return {"Code": code, "AccessKeyId": server.access_key_id, "AccessKeySecret": server.access_key_secret,
            "SecurityToken": "role-token", "Expiration": _iso(now + expires_in), "LastUpdated": _iso(now - updated_ago)}


def _provider_run(oss, metadata, answers):
    metadata.answers, metadata.hits = answers, 0
    provider = oss.EcsRamRoleCredentialsProvider(metadata.url, max_retries=2, timeout=5)
    out = []
    for _ in range(2):
        try:
            c = provider.get_credentials()
        except oss.exceptions.OssError as e:
            out.append((type(e).__name__, str(e)))
            continue
        out.append((type(c).__name__, c.get_access_key_id(), c.get_access_key_secret(), c.get_security_token(),
                    c.duration, c.expired_factor, c.will_soon_expire()))
    return out, metadata.hits


@pytest.mark.parametrize("case", ["fresh", "soon-expiring", "http-error", "bad-code", "not-json", "renewal-fails"])
def test_ecs_ram_role_provider(server, metadata, case):
    answers = {
        "fresh": [(200, _role_doc(server))],
        "soon-expiring": [(200, _role_doc(server, expires_in=30, updated_ago=3600))],
        "http-error": [(404, b"no such role")],
        "bad-code": [(200, _role_doc(server, code="Failed"))],
        "not-json": [(200, b"<html>")],
        "renewal-fails": [(200, _role_doc(server, expires_in=30, updated_ago=3600)), (500, b"down")],
    }[case]
    assert _provider_run(pyjindo, metadata, answers) == _provider_run(oss2, metadata, answers)


def test_ecs_ram_role_credentials_sign_requests(sides, server, metadata):
    metadata.answers = [(200, _role_doc(server))]

    def scenario(oss, bucket):
        auth = oss.ProviderAuth(oss.EcsRamRoleCredentialsProvider(metadata.url))
        b = oss.Bucket(auth, bucket.endpoint, bucket.bucket_name)
        return b.put_object("role", b"x"), b.get_object("role").read()
    sides.run(scenario)


# --- x-oss-traffic-limit ----------------------------------------------------------------------

@pytest.mark.parametrize("limit", ["100", "838860801", "abc", "819200"])
def test_traffic_limit_header_is_sent(sides, limit):
    """The server checks the limit's range: an out-of-range value is oss2's InvalidArgument in
    both, an in-range one throttles (and succeeds)."""
    def scenario(oss, bucket):
        h = {oss.models.OSS_TRAFFIC_LIMIT: limit}
        put = bucket.put_object("limited", b"small body", headers=dict(h))
        got = bucket.get_object("limited", headers=dict(h))
        url = bucket.sign_url("GET", "limited", 60, params={oss.models.OSS_TRAFFIC_LIMIT: limit})
        return put, got, got.read(), bucket.get_object_with_url(url).read()
    expected, _ = sides.run(scenario)
    assert ("__raised__" in expected) == (limit != "819200")
