"""Nothing partial is ever published (issue 19, item 2): a file opened for writing that is not
closed (garbage collected, the process interrupted) or left by an exception (KeyboardInterrupt
too) aborts its upload: no object, no multipart upload left. fsspec's AbstractBufferedFile (and
so s3fs and ossfs) would close, and so publish, what was written so far."""
import gc
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from pyjindo.fs import OSSFileSystem

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
