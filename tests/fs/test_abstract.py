"""fsspec's own abstract test suite (fsspec.tests.abstract) against jindo server, wired as s3fs
wires it to moto (s3fs/tests/derived)."""
import fsspec.tests.abstract as abstract
import pytest

from pyjindo.fs import OSSFileSystem


class OSSFixtures(abstract.AbstractFixtures):
    @pytest.fixture(scope="class")
    @classmethod
    def fs(cls, server):
        fs = OSSFileSystem(endpoint=server.endpoint, key=server.access_key_id, secret=server.access_key_secret,
                           skip_instance_cache=True)
        if not fs.exists("abstract"):
            fs.mkdir("abstract")
        yield fs

    @pytest.fixture
    def fs_path(self):
        return "abstract"

    @pytest.fixture
    def supports_empty_directories(self):
        # mkdir, put and cp of a directory write its `key/` marker, so empty directories exist
        return True


class TestOSSCopy(abstract.AbstractCopyTests, OSSFixtures):
    pass


class TestOSSGet(abstract.AbstractGetTests, OSSFixtures):
    pass


class TestOSSPut(abstract.AbstractPutTests, OSSFixtures):
    pass


class TestOSSPipe(abstract.AbstractPipeTests, OSSFixtures):
    pass


class TestOSSOpen(abstract.AbstractOpenTests, OSSFixtures):
    pass
