"""Credentials that rotate while threads share a Bucket: every call still runs on a live session."""
import itertools
import os
import threading

import pyjindo
from pyjindo.credentials import Credentials, CredentialsProvider


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
