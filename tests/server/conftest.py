import itertools
import os

import oss2
import pytest

_names = itertools.count()


@pytest.fixture
def auth(server):
    return oss2.Auth(server.access_key_id, server.access_key_secret)


@pytest.fixture
def bucket(server, auth):
    """A new, empty bucket for one test."""
    b = oss2.Bucket(auth, server.endpoint, "srv-%d-%d" % (os.getpid(), next(_names)))
    b.create_bucket()
    return b
