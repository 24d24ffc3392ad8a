"""Credentials that rotate while threads share a Bucket: every call still runs on a live session."""
import itertools
import os
import threading

import pytest

import pyjindo
from pyjindo.credentials import Credentials, CredentialsProvider
from jindo_server import JindoServer


class Rotating(CredentialsProvider):
    """The same key pair with a new security token on every call (the server does not check
    tokens), so each call sees new credentials and the Bucket makes a new Go session."""

    def __init__(self, ak, sk):
        self.ak, self.sk = ak, sk
        self.counter = itertools.count()

    def get_credentials(self):
        return Credentials(self.ak, self.sk, "token-%d" % next(self.counter))


def test_rotating_credentials_never_pull_a_session_from_under_a_call(server):
    auth = pyjindo.ProviderAuth(Rotating(server.access_key_id, server.access_key_secret))
    bucket = pyjindo.Bucket(auth, server.endpoint, "rotate-%d" % os.getpid())
    bucket.create_bucket()
    bucket.put_object("k", b"v" * 100000)
    errors = []

    def worker():
        try:
            for _ in range(40):
                assert bucket.get_object("k").read() == b"v" * 100000
        except BaseException as e:  # noqa: B902 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert pyjindo._binding.stats()["handles"] < 20  # old sessions were freed, not leaked


def test_a_new_auth_object_signs_its_own_way_as_oss2s_bucket_auth(server):
    """oss2 signs each request with whatever bucket.auth is now: replacing AnonymousAuth by Auth
    (or Auth by AuthV4) changes how requests are signed, not only the keys."""
    name = "swap-%d" % os.getpid()
    pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, name).create_bucket()
    b = pyjindo.Bucket(pyjindo.AnonymousAuth(), server.endpoint, name)
    try:
        b.put_object("k", b"v")
        raise AssertionError("an anonymous put was accepted")
    except pyjindo.exceptions.AccessDenied:
        pass
    b.auth = pyjindo.Auth(server.access_key_id, server.access_key_secret)
    assert b.put_object("k", b"v").status == 200
    b.auth = pyjindo.AuthV4(server.access_key_id, server.access_key_secret)
    b.region = "cn-hangzhou"
    assert b.get_object("k").read() == b"v"
    b.auth = pyjindo.AnonymousAuth()
    try:
        b.get_object("k").read()
        raise AssertionError("an anonymous get of a private object was accepted")
    except pyjindo.exceptions.AccessDenied:
        pass


def test_fixed_keys_changed_in_place_sign_the_next_call(server):
    """A call that finds the same auth takes its session without the lock, but keys changed in
    the auth's own provider (as oss2 would sign with them) still reach Go."""
    name = "inplace-%d" % os.getpid()
    auth = pyjindo.Auth(server.access_key_id, server.access_key_secret)
    b = pyjindo.Bucket(auth, server.endpoint, name)
    b.create_bucket()
    b.put_object("k", b"v")
    auth.credentials_provider.credentials = Credentials(server.access_key_id, "not-the-secret")
    with pytest.raises(pyjindo.exceptions.SignatureDoesNotMatch):
        b.head_object("k")
    auth.credentials_provider.credentials.access_key_secret = server.access_key_secret
    assert b.head_object("k").content_length == 1


class CallingProvider(CredentialsProvider):
    """Fixed keys, whose every asking makes a call of another Bucket (from the wait loop of a
    call still running)."""

    def __init__(self, ak, sk, other):
        self.ak, self.sk, self.other, self.seen = ak, sk, other, []

    def get_credentials(self):
        self.seen.append(self.other.head_object("other").content_length)
        return Credentials(self.ak, self.sk)


def test_a_quick_call_that_waits_asks_its_provider_from_the_wait_loop_which_may_call_too(monkeypatch):
    # 150 ms before each answer: the head does not end in its first 50 ms slice, so its tick is
    # made then, and (every slice here) asks the provider, which makes a quick call of its own
    monkeypatch.setattr(pyjindo._session, "PROVIDER_POLL_SECONDS", 0.0)
    with JindoServer("--latency", "150ms", "--bucket", "slow") as s:
        other = pyjindo.Bucket(pyjindo.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "slow")
        other.put_object("other", b"x" * 7)
        other.put_object("k", b"y" * 3)
        provider = CallingProvider(s.access_key_id, s.access_key_secret, other)
        b = pyjindo.Bucket(pyjindo.ProviderAuth(provider), s.endpoint, "slow")
        result = b.head_object("k")
        assert (result.content_length, result.headers["Content-Length"]) == (3, "3")
        assert len(provider.seen) >= 2 and set(provider.seen) == {7}  # at the start, then from the loop
