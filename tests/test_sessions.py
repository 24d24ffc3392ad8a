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
