"""Retries are on by default for idempotent calls and can be tuned or switched off per Bucket."""
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
