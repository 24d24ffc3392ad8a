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
        # Both sides' names have the same length, so lengths of documents naming them agree.
        name = name or "conf-%d-%05d-%s" % (os.getpid(), next(_counter), suffix or ("o" if oss is oss2 else "p"))
        auth = auth or oss.Auth(self.server.access_key_id, self.server.access_key_secret)
        return oss.Bucket(auth, self.server.endpoint, name, connect_timeout=30)

    def fresh_bucket(self, oss):
        b = self.bucket(oss)
        oss2.Bucket(oss2.Auth(self.server.access_key_id, self.server.access_key_secret), self.server.endpoint,
                    b.bucket_name, connect_timeout=30).create_bucket()
        return b

    def run(self, scenario):
        """Return (oss2 snapshot, pyjindo snapshot) after checking they are equal."""
        return self.run_pair(scenario, scenario)

    def run_pair(self, oss2_scenario, pyjindo_scenario):
        """As run, with a different scenario for each side (where oss2 needs a workaround)."""
        b1, b2 = self.fresh_bucket(oss2), self.fresh_bucket(pyjindo)
        expected = _neutral(compare.snapshot(compare.run(oss2_scenario, oss2, b1)), b1.bucket_name)
        actual = _neutral(compare.snapshot(compare.run(pyjindo_scenario, pyjindo, b2)), b2.bucket_name)
        compare.compare(expected, actual)
        return expected, actual


def _neutral(value, bucket_name):
    """The snapshot with the side's own bucket name replaced by a placeholder."""
    if isinstance(value, str):
        return value.replace(bucket_name, "<bucket>")
    if isinstance(value, list):
        return [_neutral(v, bucket_name) for v in value]
    if isinstance(value, dict):
        return {k: _neutral(v, bucket_name) for k, v in value.items()}
    return value


@pytest.fixture
def sides(server):
    return Sides(server)
