"""Fixtures for the conformance suite: one jindo server, a fresh bucket per side per scenario."""
import itertools
import os
import subprocess
import sys

import oss2
import pytest

import pyjindo

from . import compare

_counter = itertools.count()


class Sides(object):
    """Runs a scenario through oss2 and pyjindo against the same server, in separate buckets."""

    def __init__(self, server):
        self.server = server

    def bucket(self, oss, suffix=None, auth=None, name=None):
        name = name or "conf-%d-%d-%s" % (os.getpid(), next(_counter), suffix or oss.__name__)
        auth = auth or oss.Auth(self.server.access_key_id, self.server.access_key_secret)
        return oss.Bucket(auth, self.server.endpoint, name, connect_timeout=30)

    def fresh_bucket(self, oss):
        b = self.bucket(oss)
        oss2.Bucket(oss2.Auth(self.server.access_key_id, self.server.access_key_secret), self.server.endpoint,
                    b.bucket_name, connect_timeout=30).create_bucket()
        return b

    def run(self, scenario):
        """Return (oss2 snapshot, pyjindo snapshot) after checking they are equal."""
        expected = compare.snapshot(compare.run(scenario, oss2, self.fresh_bucket(oss2)))
        actual = compare.snapshot(compare.run(scenario, pyjindo, self.fresh_bucket(pyjindo)))
        compare.compare(expected, actual)
        return expected, actual


@pytest.fixture
def sides(server):
    return Sides(server)
