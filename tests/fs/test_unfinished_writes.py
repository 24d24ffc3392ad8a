"""Nothing partial is ever published (issue 19, item 2): a file opened for writing that is not
closed (garbage collected, the process interrupted) or left by an exception (KeyboardInterrupt
too) aborts its upload: no object, no multipart upload left, with or without compression, and
through fsspec.open's and pandas' `with` blocks too. fsspec's AbstractBufferedFile (and so s3fs
and ossfs) would close, and so publish, what was written so far."""
import bz2
import gc
import gzip
import io
import lzma
import os
import signal
import subprocess
import sys
import textwrap
import zipfile

import fsspec
import pytest

from pyjindo import exceptions
from pyjindo.fs import OSSFileSystem
from jindo_server import JindoServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PART = 128 * 1024


@pytest.fixture
def fs(oss_options):
    return OSSFileSystem(part_size=PART, skip_instance_cache=True, **oss_options)


def uploads(fs, bucket):
    return [u.key for u in fs._bucket(bucket).list_multipart_uploads().upload_list]


@pytest.mark.parametrize("mode,size", [("wb", 3 * PART + 5), ("wb", 1000), ("xb", 3 * PART), ("w", 3 * PART)])
def test_garbage_collected_without_close_publishes_nothing(fs, bucket, mode, size):
    path = bucket + "/dropped"
    f = fs.open(path, mode)
    f.write("x" * size if mode == "w" else os.urandom(size))
    if size > PART:
        assert uploads(fs, bucket) == ["dropped"]  # parts went up
    del f
    gc.collect()
    assert not fs.exists(path)
    assert uploads(fs, bucket) == []


@pytest.mark.parametrize("mode", ["wb", "w"])
@pytest.mark.parametrize("exc", [KeyboardInterrupt, ValueError])
def test_exception_in_the_with_block_publishes_nothing(fs, bucket, mode, exc):
    path = bucket + "/interrupted"
    with pytest.raises(exc):
        with fs.open(path, mode) as f:
            f.write("y" * (2 * PART + 1) if mode == "w" else os.urandom(2 * PART + 1))
            raise exc()
    assert f.closed
    assert not fs.exists(path)
    assert uploads(fs, bucket) == []


@pytest.mark.parametrize("mode", ["wb", "w"])
def test_close_and_a_normal_with_block_publish(fs, bucket, mode):
    data = "z" * (2 * PART + 3) if mode == "w" else os.urandom(2 * PART + 3)
    with fs.open(bucket + "/a", mode) as f:
        f.write(data)
    f = fs.open(bucket + "/b", mode)
    f.write(data)
    f.close()
    del f
    gc.collect()
    want = data.encode() if mode == "w" else data
    assert fs.cat(bucket + "/a") == want and fs.cat(bucket + "/b") == want
    assert uploads(fs, bucket) == []


CHILD = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, sys.argv[1])
    from pyjindo.fs import OSSFileSystem
    endpoint, key, secret, path = sys.argv[2:6]
    fs = OSSFileSystem(endpoint=endpoint, key=key, secret=secret, part_size=128 * 1024)
    f = fs.open(path, "wb")
    f.write(os.urandom(5 * 128 * 1024))
    print("WRITTEN", flush=True)
    while True:  # a long job writing on, until Ctrl-C
        f.write(os.urandom(1024))
        time.sleep(0.01)
""")


def test_ctrl_c_of_a_process_writing_publishes_nothing(oss_options, fs, bucket):
    path = bucket + "/ctrl-c"
    child = subprocess.Popen([sys.executable, "-c", CHILD, ROOT, oss_options["endpoint"], oss_options["key"],
                              oss_options["secret"], path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "WRITTEN"
        assert uploads(fs, bucket) == ["ctrl-c"]
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert "KeyboardInterrupt" in err
    assert not fs.exists(path)
    assert uploads(fs, bucket) == []


# Every compression fsspec offers without extra packages ("lzma" is the same LZMAFile as "xz").
DECOMPRESS = {"gzip": gzip.decompress, "bz2": bz2.decompress, "xz": lzma.decompress,
              "zip": lambda b: zipfile.ZipFile(io.BytesIO(b)).read("file")}


@pytest.mark.parametrize("compression", sorted(DECOMPRESS))
@pytest.mark.parametrize("mode", ["wb", "w"])
def test_compressed_write_publishes_on_close_and_reads_back(fs, bucket, compression, mode):
    """fsspec's own open returns the compressor, which never closes the OSSFile under it: the
    object was never published."""
    data = os.urandom(PART).hex() if mode == "w" else os.urandom(3 * PART)
    path = bucket + "/c." + compression
    with fs.open(path, mode, compression=compression) as f:
        f.write(data)
    want = data.encode() if mode == "w" else data
    assert DECOMPRESS[compression](fs.cat(path)) == want
    with fs.open(path, "r" if mode == "w" else "rb", compression=compression) as f:
        assert f.read() == data
    f = fs.open(bucket + "/closed.gz", mode, compression="infer")
    f.write(data)
    f.close()
    assert f.closed
    assert gzip.decompress(fs.cat(bucket + "/closed.gz")) == want
    assert uploads(fs, bucket) == []


@pytest.mark.parametrize("compression,exc", [("gzip", KeyboardInterrupt)] + [(c, ValueError) for c in sorted(DECOMPRESS)])
@pytest.mark.parametrize("mode", ["wb", "w"])
def test_exception_in_a_compressed_with_block_publishes_nothing(fs, bucket, compression, mode, exc):
    path = bucket + "/c." + compression
    with pytest.raises(exc):
        with fs.open(path, mode, compression=compression) as f:
            for _ in range(16):  # bz2 and lzma hold up to about 1 MiB before their first output
                f.write(os.urandom(PART).hex() if mode == "w" else os.urandom(2 * PART))
                if uploads(fs, bucket):
                    break
            assert uploads(fs, bucket) == ["c." + compression]
            raise exc()
    assert f.closed
    assert not fs.exists(path)
    assert uploads(fs, bucket) == []


@pytest.mark.parametrize("mode", ["wb", "w"])
def test_compressed_file_garbage_collected_without_close_publishes_nothing(fs, bucket, mode, recwarn):
    path = bucket + "/dropped.zip"
    f = fs.open(path, mode, compression="zip")  # zip's own finalizer writes its directory
    f.write(os.urandom(4 * PART).hex() if mode == "w" else os.urandom(4 * PART))
    del f
    gc.collect()
    assert not fs.exists(path)
    assert uploads(fs, bucket) == []


@pytest.mark.parametrize("mode,compression", [("wb", None), ("w", None), ("wb", "gzip"), ("w", "infer")])
@pytest.mark.parametrize("exc", [KeyboardInterrupt, ValueError])
def test_exception_in_a_with_block_of_fsspec_open_publishes_nothing(oss_options, fs, bucket, mode, compression,
                                                                       exc):
    """fsspec's OpenFile.__exit__ closes every layer however the block ended; OSSFile.close()
    called from there while an exception propagates aborts."""
    url = "oss://%s/opened.gz" % bucket
    data = os.urandom(3 * PART).hex() if mode == "w" else os.urandom(3 * PART)
    with pytest.raises(exc):
        with fsspec.open(url, mode, compression=compression, part_size=PART, **oss_options) as f:
            f.write(data)
            raise exc()
    assert not fs.exists(url)
    assert uploads(fs, bucket) == []
    with fsspec.open(url, mode, compression=compression, part_size=PART, **oss_options) as f:
        f.write(data)
    raw = fs.cat(url)
    assert (gzip.decompress(raw) if compression else raw) == (data.encode() if mode == "w" else data)


def test_a_deliberate_close_in_an_except_block_publishes(oss_options, fs, bucket):
    url = "oss://%s/kept" % bucket
    f = fsspec.open(url, "wb", **oss_options).open()
    try:
        f.write(b"what was written")
        raise ValueError()
    except ValueError:
        f.close()
    g = fs.open(bucket + "/kept2", "wb")
    try:
        g.write(b"also")
        raise ValueError()
    except ValueError:
        g.close()
    assert fs.cat(url) == b"what was written" and fs.cat(bucket + "/kept2") == b"also"


class _Unprintable(object):
    def __str__(self):
        raise ValueError("no text for this cell")


def test_pandas_writer_failing_midway_publishes_nothing(oss_options, fs, bucket):
    """pandas' IOHandles.__exit__ closes its files however to_csv ended."""
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"n": list(range(20000)) + [0], "s": ["x" * 10] * 20000 + [_Unprintable()]})
    url = "oss://%s/frame.csv" % bucket
    with pytest.raises(ValueError, match="no text"):  # after 20 chunks, some parts, were written
        df.to_csv(url, chunksize=1000, storage_options=dict(oss_options, part_size=PART))
    assert not fs.exists(url)
    assert uploads(fs, bucket) == []
    df.iloc[:3].to_csv(url, index=False, storage_options=oss_options)
    assert fs.cat(url) == b"n,s\n0,xxxxxxxxxx\n1,xxxxxxxxxx\n2,xxxxxxxxxx\n"


@pytest.mark.parametrize("compression", [None, "gzip"])
def test_an_abort_failing_with_the_network_down_closes_and_is_raised_after_the_original(compression):
    with JindoServer("--bucket", "gone") as server:
        fs = OSSFileSystem(endpoint=server.endpoint, key=server.access_key_id, secret=server.access_key_secret,
                           part_size=PART, skip_instance_cache=True)
        f = fs.open("gone/cut-off", "wb", compression=compression)
        f.write(os.urandom(3 * PART))  # parts up: an upload to abort
    with pytest.raises(OSError) as raised:
        with f:
            raise ValueError("the original failure")
    assert isinstance(raised.value.__cause__, exceptions.RequestError)
    assert "connection refused" in str(raised.value)
    assert isinstance(raised.value.__cause__.__context__, ValueError)
    assert f.closed
    with pytest.raises(ValueError):
        f.write(b"more")
    f.discard()  # closed: nothing more to do, nothing raised
    f.close()


@pytest.mark.parametrize("compression", [None, "gzip"])
def test_an_abort_failing_after_ctrl_c_is_logged_and_ctrl_c_goes_on(compression, caplog):
    """KeyboardInterrupt must reach the caller as it is: the failed abort is a WARNING record."""
    with JindoServer("--bucket", "gone") as server:
        fs = OSSFileSystem(endpoint=server.endpoint, key=server.access_key_id, secret=server.access_key_secret,
                           part_size=PART, skip_instance_cache=True)
        f = fs.open("gone/cut-off", "wb", compression=compression)
        f.write(os.urandom(3 * PART))
    with caplog.at_level("WARNING", logger="oss2.pyjindo.writer"):
        with pytest.raises(KeyboardInterrupt):
            with f:
                raise KeyboardInterrupt
    assert f.closed
    [record] = [r for r in caplog.records if r.name == "oss2.pyjindo.writer"]
    assert "cut-off: the upload was not aborted after KeyboardInterrupt" in record.getMessage()
    assert "connection refused" in record.getMessage()


def test_pandas_failing_to_set_up_its_writer_publishes_nothing(oss_options, fs, bucket):
    """pandas' get_handle closes the file it opened in a `finally` when setting up the handle
    fails (a bad compression option): that close must not replace the object with nothing."""
    pd = pytest.importorskip("pandas")
    url = "oss://%s/frame.csv.gz" % bucket
    fs.pipe(url, b"the old object")
    with pytest.raises(TypeError):
        pd.DataFrame({"n": [1, 2]}).to_csv(url, compression={"method": "gzip", "bogus": 1},
                                           storage_options=oss_options)
    assert fs.cat(url) == b"the old object"
    assert uploads(fs, bucket) == []
