"""Retries are on by default for idempotent calls and can be tuned or switched off per Bucket."""
import collections
import http.client
import http.server
import threading
import urllib.parse

import pytest

import pyjindo
from pyjindo import exceptions
from jindo_server import JindoServer


@pytest.fixture(scope="module")
def flaky():
    """Half of all requests are answered 503 SlowDown."""
    with JindoServer("--fault-rate", "0.5", "--faults", "503", "--bucket", "flaky") as s:
        yield s


def bucket(server, **kw):
    return pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "flaky", **kw)


def test_idempotent_calls_get_through_with_retries(flaky):
    b = bucket(flaky, retry_attempts=30)
    for i in range(8):
        b.put_object("k%d" % i, b"v%d" % i)
        assert b.get_object("k%d" % i).read() == b"v%d" % i
        assert b.head_object("k%d" % i).content_length == len(b"v%d" % i)


def test_without_retries_the_faults_show(flaky):
    b = bucket(flaky, retry_attempts=1)
    errors = 0
    for i in range(20):
        try:
            b.get_object_meta("missing-or-not")
        except exceptions.NotFound:
            pass
        except exceptions.ServerError as e:
            assert (e.status, e.code) == (503, "SlowDown")
            errors += 1
    assert errors > 0  # with 20 tries at 50%, all passing has odds of one in a million


def test_appends_are_not_retried(flaky):
    b = bucket(flaky, retry_attempts=30)
    position, failures = 0, 0
    for i in range(20):
        try:
            position = b.append_object("log", position, b"line\n").next_position
        except exceptions.ServerError as e:
            assert e.code == "SlowDown"
            failures += 1
    assert failures > 0
    assert b.get_object("log").read() == b"line\n" * (position // 5)


class _ListingFaults(object):
    """A proxy in front of jindo server that counts listing requests per page (by marker) and
    answers 503 SlowDown to the first `fail` requests of each page (None: to all of them)."""

    def __init__(self, upstream, fail):
        self.upstream = upstream.split("://", 1)[1]
        self.fail = fail
        self.pages = collections.Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
                listing = "uploads" not in query and urllib.parse.urlsplit(self.path).path.rstrip("/").count("/") == 1
                if listing:
                    with proxy.lock:
                        marker = query.get("marker", [""])[0]
                        proxy.pages[marker] += 1
                        n = proxy.pages[marker]
                    if proxy.fail is None or n <= proxy.fail:
                        body = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                        self.send_response(503)
                        self.send_header("Content-Type", "application/xml")
                        self.send_header("Content-Length", str(len(body)))
                        self.send_header("x-oss-request-id", "fault")
                        self.end_headers()
                        self.wfile.write(body)
                        return
                conn = http.client.HTTPConnection(proxy.upstream, timeout=10)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn.request("GET", self.path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                conn.close()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def plain():
    with JindoServer("--bucket", "pages") as s:
        b = pyjindo.Bucket(pyjindo.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "pages")
        for i in range(5):
            b.put_object("k%d" % i, b"x")
        yield s


def _listing_bucket(server, proxy, **kw):
    return pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), proxy.endpoint, "pages", **kw)


def test_a_failing_listing_page_is_asked_for_at_most_retry_attempts_times(plain):
    # oss2's iterators retry a 5xx page themselves; pyjindo's pages are retried by Go under the
    # Bucket's policy only, not once more in Python (which made up to 9 requests of a page).
    proxy = _ListingFaults(plain.endpoint, None)
    try:
        b = _listing_bucket(plain, proxy, retry_attempts=3)
        with pytest.raises(exceptions.ServerError) as e:
            list(pyjindo.ObjectIterator(b, max_keys=2))
        assert (e.value.status, e.value.code) == (503, "SlowDown")
        assert dict(proxy.pages) == {"": 3}
    finally:
        proxy.close()


def test_listing_pages_under_503_get_through_within_retry_attempts(plain):
    proxy = _ListingFaults(plain.endpoint, 3)
    try:
        b = _listing_bucket(plain, proxy, retry_attempts=4)
        keys = [o.key for o in pyjindo.ObjectIterator(b, max_keys=2)]
        assert keys == ["k0", "k1", "k2", "k3", "k4"]
        assert dict(proxy.pages) == {"": 4, "k1": 4, "k3": 4}  # three pages, each asked for 4 times
    finally:
        proxy.close()
