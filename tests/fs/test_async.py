"""OSSFileSystem(asynchronous=True): fsspec's AsyncFileSystem coroutines on pyjindo.aio, with the
same results and errors as the synchronous filesystem's methods."""
import asyncio

import fsspec
import pytest

from pyjindo.fs import AsyncOSSFileSystem, OSSFileSystem


def _async_fs(oss_options):
    return fsspec.filesystem("oss", asynchronous=True, skip_instance_cache=True, **oss_options)


def test_asynchronous_true_gives_fsspecs_async_filesystem(oss_options):
    async def make():
        return _async_fs(oss_options)
    fs = asyncio.run(make())
    assert isinstance(fs, AsyncOSSFileSystem) and isinstance(fs, OSSFileSystem)
    assert fs.async_impl and fs.asynchronous
    assert type(fsspec.filesystem("oss", skip_instance_cache=True, **oss_options)) is OSSFileSystem


def test_the_async_path_gives_what_the_sync_filesystem_gives(ossfs, oss_options, bucket, tmp_path):
    data = bytes(range(256)) * 1000
    (tmp_path / "up.bin").write_bytes(data)

    async def run():
        fs = _async_fs(oss_options)
        await fs._pipe_file(bucket + "/d/a.bin", data)
        await asyncio.gather(*[fs._pipe_file("%s/d/many/%d" % (bucket, i), b"%d" % i) for i in range(50)])
        await fs._put_file(str(tmp_path / "up.bin"), bucket + "/d/up.bin")
        assert await fs._cat_file(bucket + "/d/a.bin") == data
        assert await fs._cat_file(bucket + "/d/a.bin", start=10, end=20) == data[10:20]
        assert await fs._cat_file(bucket + "/d/a.bin", start=-5) == data[-5:]
        assert await fs._cat_ranges([bucket + "/d/a.bin", bucket + "/d/up.bin"], [0, 100], [5, 110]) == \
            [data[0:5], data[100:110]]
        many = await fs._cat([bucket + "/d/many/%d" % i for i in range(50)])
        assert many == {"%s/d/many/%d" % (bucket, i): b"%d" % i for i in range(50)}
        info = await fs._info(bucket + "/d/a.bin")
        listing = await fs._ls(bucket + "/d")
        found = await fs._find(bucket + "/d", withdirs=True)
        ossfs.invalidate_cache()  # the sync filesystem's answers on the same objects
        assert info == ossfs.info(bucket + "/d/a.bin")
        assert listing == ossfs.ls(bucket + "/d")
        assert found == ossfs.find(bucket + "/d", withdirs=True)
        assert await fs._exists(bucket + "/d/up.bin") and not await fs._exists(bucket + "/nothing")
        assert await fs._isdir(bucket + "/d/many")
        await fs._get_file(bucket + "/d/up.bin", str(tmp_path / "down.bin"))
        with pytest.raises(FileNotFoundError):
            await fs._cat_file(bucket + "/nothing")
        with pytest.raises(FileNotFoundError):
            await fs._get_file(bucket + "/nothing", str(tmp_path / "never.bin"))
        await fs._rm_file(bucket + "/d/up.bin")
        await fs._rm(bucket + "/d/many", recursive=True)
        return await fs._find(bucket, withdirs=True)
    after = asyncio.run(run())
    assert (tmp_path / "down.bin").read_bytes() == data
    assert not (tmp_path / "never.bin").exists()
    assert after == [bucket, bucket + "/d", bucket + "/d/a.bin"]


def test_the_async_filesystem_refuses_a_file_object_rather_than_block(oss_options, bucket, ossfs):
    ossfs.pipe_file(bucket + "/f", b"data")

    async def run():
        fs = _async_fs(oss_options)
        with pytest.raises(OSError, match="await the method"):
            with fs.open(bucket + "/f", "rb") as f:
                f.read()
    asyncio.run(run())


def test_an_object_beyond_one_answer_reads_whole(oss_options, bucket):
    """A body larger than the quick door's first answer is a Go stream: the method that opened it
    and read it runs several times under pyjindo.aio, and the stream keeps the one Handle it was
    opened with (another run's Handle of the same number freed it: "bad stream handle")."""
    data = bytes(range(256)) * (16 << 10)  # 4 MiB

    async def run():
        fs = _async_fs(oss_options)
        await fs._pipe_file(bucket + "/big.bin", data)
        return [await fs._cat_file(bucket + "/big.bin") for _ in range(3)]
    assert asyncio.run(run()) == [data] * 3


def test_a_listing_builds_each_page_once(oss_options, bucket, monkeypatch):
    """Each page of a listing is a nested public call whose result later runs reuse: building
    the earlier pages again at every page made an async listing quadratic in its pages."""
    import pyjindo.fs
    import pyjindo.models
    monkeypatch.setattr(pyjindo.fs, "_LIST_PAGE", 10)
    built = []
    init = pyjindo.models.ListObjectsResult.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        init(self, *args, **kwargs)
    monkeypatch.setattr(pyjindo.models.ListObjectsResult, "__init__", counting)

    async def run():
        fs = _async_fs(oss_options)
        await asyncio.gather(*[fs._pipe_file("%s/p/%02d" % (bucket, i), b"x") for i in range(50)])
        del built[:]
        return await fs._find(bucket + "/p")
    found = asyncio.run(run())
    assert found == ["%s/p/%02d" % (bucket, i) for i in range(50)]
    assert len(built) == 5  # 50 keys, 10 a page (all five pages built again and again: 15)
