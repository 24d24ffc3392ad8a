import itertools
import os

import pytest

_names = itertools.count()


@pytest.fixture
def fresh_bucket_name():
    return "rel-%d-%d" % (os.getpid(), next(_names))
