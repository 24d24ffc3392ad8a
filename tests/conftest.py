"""Session-wide fixtures: one jindo server (in memory) for every test that needs OSS."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from jindo_server import JindoServer  # noqa: E402


@pytest.fixture(scope="session")
def server():
    with JindoServer() as s:
        yield s
