"""Fixtures for pyjindo.fs: a jindo server, an OSSFileSystem on it, and the "oss" protocol.

pyjindo is imported from the source tree here (make test does not install it), so the
`fsspec.specs` entry point in setup.py is not seen; registering the class by name does what the
entry point does for an installed pyjindo (tests/install checks the entry point itself).
"""
import secrets

import fsspec
import pytest

from pyjindo.fs import OSSFileSystem

fsspec.register_implementation("oss", "pyjindo.fs.OSSFileSystem", clobber=True)


@pytest.fixture(scope="session")
def oss_options(server):
    return {"endpoint": server.endpoint, "key": server.access_key_id, "secret": server.access_key_secret}


@pytest.fixture(scope="session")
def ossfs(oss_options):
    return fsspec.filesystem("oss", skip_instance_cache=True, **oss_options)


@pytest.fixture
def bucket(ossfs):
    """A fresh bucket for one test, removed with everything in it afterwards."""
    name = "fs-" + secrets.token_hex(6)
    ossfs.mkdir(name)
    yield name
    ossfs.rm(name + "/", recursive=True)
    ossfs.rmdir(name)
    # filesystems fsspec cached for the test (pandas') hold a Go session per bucket they used
    OSSFileSystem.clear_instance_cache()
