"""The parallel paths behind the plain oss2 calls: reassembly at every size, ranges, files, uploads."""
import hashlib
import os

import pytest

import pyjindo
from pyjindo import exceptions
from jindo_server import JindoServer

PART = 100 * 1024  # the smallest part size, so small objects exercise many parts


@pytest.fixture
def bucket(server):
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint,
                       "xfer-%d-%s" % (os.getpid(), os.urandom(3).hex()), part_size=PART, concurrency=4,
                       multipart_threshold=3 * PART)
    b.create_bucket()
    return b


SIZES = [0, 1, 2, PART - 1, PART, PART + 1, 3 * PART, 3 * PART + 1, 7 * PART + 12345]


@pytest.mark.parametrize("size", SIZES)
def test_read_reassembles_parts(bucket, size):
    data = os.urandom(size)
    bucket.put_object("obj", data)
    got = bucket.get_object("obj")
    assert got.content_length == size and got.status == 200 and got.content_range is None
    assert got.read() == data
    assert got.client_crc == got.server_crc


@pytest.mark.parametrize("size", SIZES)
def test_read_in_pieces_and_iterate(bucket, size):
    data = os.urandom(size)
    bucket.put_object("obj", data)
    r = bucket.get_object("obj")
    pieces = []
    while True:
        chunk = r.read(33333)
        if not chunk:
            break
        pieces.append(chunk)
    assert b"".join(pieces) == data
    assert b"".join(bucket.get_object("obj")) == data
    # A few small reads, then the rest in one call.
    r = bucket.get_object("obj")
    head = r.read(10)
    assert head + r.read() == data


@pytest.mark.parametrize("size", [0, 1, PART + 1, 5 * PART + 7])
def test_get_object_to_file(bucket, tmp_path, size):
    data = os.urandom(size)
    bucket.put_object("obj", data)
    target = tmp_path / "out.bin"
    r = bucket.get_object_to_file("obj", str(target))
    assert target.read_bytes() == data and r.status == 200 and r.content_length == size
    assert sorted(os.listdir(tmp_path)) == ["out.bin"]  # no temporary file left


@pytest.mark.parametrize("byte_range", [(0, 0), (5, PART * 2), (PART - 1, PART), (PART * 3, None), (None, 10),
                                        (10 * PART, None)])
def test_ranges_through_the_parallel_path(bucket, byte_range):
    data = os.urandom(4 * PART + 99)
    bucket.put_object("obj", data)
    start, end = byte_range
    if start is None:
        want = data[-end:]
    elif start >= len(data):
        want = data  # unsatisfiable: the whole object, as OSS answers
    else:
        want = data[start:(len(data) if end is None else end + 1)]
    r = bucket.get_object("obj", byte_range=byte_range)
    assert r.read() == want and r.content_length == len(want)


@pytest.mark.parametrize("size", [3 * PART, 3 * PART + 1, 8 * PART + 5])
def test_large_put_goes_multipart(bucket, tmp_path, size):
    data = os.urandom(size)
    r = bucket.put_object("big", data)
    head = bucket.head_object("big")
    assert head.object_type == "Multipart" and r.etag == head.etag and r.crc == head.server_crc
    assert bucket.get_object("big").read() == data
    path = tmp_path / "src"
    path.write_bytes(data)
    bucket.put_object_from_file("from-file", str(path))
    assert hashlib.md5(bucket.get_object("from-file").read()).digest() == hashlib.md5(data).digest()
    assert bucket.list_multipart_uploads().upload_list == []


def test_multipart_threshold_none_keeps_single_put(server, bucket):
    single = pyjindo.Bucket(bucket.auth, server.endpoint, bucket.bucket_name, multipart_threshold=None)
    data = os.urandom(5 * PART)
    r = single.put_object("one", data)
    assert r.etag == hashlib.md5(data).hexdigest().upper()
    assert single.head_object("one").object_type == "Normal"


@pytest.fixture(scope="module")
def slow_server():
    with JindoServer("--bandwidth-per-conn", "2MB", "--bucket", "slow") as s:
        yield s


def test_interrupted_multipart_upload_leaves_nothing(slow_server):
    """An exception from the progress callback (as Ctrl-C would) stops the upload mid-way: the
    multipart upload is aborted, nothing is visible."""
    bucket = pyjindo.Bucket(pyjindo.Auth(slow_server.access_key_id, slow_server.access_key_secret),
                            slow_server.endpoint, "slow", part_size=PART, concurrency=2, multipart_threshold=PART)
    data = os.urandom(40 * PART)  # 4 MB: about a second on two 2 MB/s connections
    seen = []

    def stop_midway(consumed, total):
        seen.append(consumed)
        if consumed > 4 * PART:
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        bucket.put_object("big", data, progress_callback=stop_midway)
    assert seen[-1] < len(data)  # it really stopped part-way
    assert bucket.list_multipart_uploads().upload_list == []
    assert not bucket.object_exists("big")


def test_missing_object_raises_from_get_object(bucket, tmp_path):
    with pytest.raises(exceptions.NoSuchKey):
        bucket.get_object("missing")
    with pytest.raises(exceptions.NoSuchKey):
        bucket.get_object_to_file("missing", str(tmp_path / "x"))
    assert os.listdir(tmp_path) == []


@pytest.fixture(scope="module")
def fault_server():
    with JindoServer("--fault-header", "--bucket", "faults") as s:
        yield s


def test_corrupted_body_is_detected_and_leaves_no_file(fault_server, tmp_path):
    b = pyjindo.Bucket(pyjindo.Auth(fault_server.access_key_id, fault_server.access_key_secret),
                       fault_server.endpoint, "faults", part_size=PART, concurrency=4)
    data = os.urandom(5 * PART + 3)
    b.put_object("c", data)
    corrupt = {"x-jindo-fault": "corrupt"}  # the server flips one byte of every body it sends
    with pytest.raises(exceptions.InconsistentError):
        b.get_object("c", headers=corrupt).read()
    with pytest.raises(exceptions.InconsistentError):
        b.get_object_to_file("c", str(tmp_path / "out"), headers=corrupt)
    assert os.listdir(tmp_path) == []
    small = pyjindo.Bucket(b.auth, fault_server.endpoint, "faults")  # one request, no parts
    b.put_object("s", b"short body")
    with pytest.raises(exceptions.InconsistentError):
        small.get_object("s", headers=corrupt).read()


def test_broken_connections_are_resumed(fault_server, tmp_path):
    b = pyjindo.Bucket(pyjindo.Auth(fault_server.access_key_id, fault_server.access_key_secret),
                       fault_server.endpoint, "faults", part_size=PART, concurrency=4)
    data = os.urandom(6 * PART + 1)
    b.put_object("r", data)
    # Every response breaks off half-way through a part; each retry resumes from the byte reached,
    # so every part completes on its second attempt and the download comes out whole.
    flaky = {"x-jindo-fault": "reset=%d" % (PART // 2)}
    assert b.get_object("r", headers=flaky).read() == data
    b.get_object_to_file("r", str(tmp_path / "out"), headers=flaky)
    assert (tmp_path / "out").read_bytes() == data


def test_broken_connection_while_reading_in_pieces(fault_server):
    b = pyjindo.Bucket(pyjindo.Auth(fault_server.access_key_id, fault_server.access_key_secret),
                       fault_server.endpoint, "faults", part_size=PART, concurrency=4)
    data = os.urandom(6 * PART + 1)
    b.put_object("p", data)
    flaky = {"x-jindo-fault": "reset=%d" % (PART // 2)}
    # Ranged parts resume where they broke off, the first response included.
    assert b"".join(b.get_object("p", headers=flaky)) == data
    # A suffix range is one GET passed through (206): when it breaks off it is resumed from the
    # byte reached like any part, never ended early with a short body.
    assert b"".join(b.get_object("p", byte_range=(None, PART), headers=flaky)) == data[-PART:]


def test_downloaded_files_get_the_modes_open_would_give(bucket, tmp_path):
    bucket.put_object("m", b"mode")
    old = os.umask(0o077)
    try:
        bucket.get_object_to_file("m", str(tmp_path / "private"))
    finally:
        os.umask(old)
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o600
    existing = tmp_path / "existing"
    existing.write_bytes(b"old")
    existing.chmod(0o640)
    bucket.get_object_to_file("m", str(existing))
    assert existing.read_bytes() == b"mode" and existing.stat().st_mode & 0o777 == 0o640
    # Through a symlink to the file it names, as open(filename, "wb") writes.
    link = tmp_path / "link"
    link.symlink_to(existing)
    bucket.put_object("m", b"via link")
    bucket.get_object_to_file("m", str(link))
    assert link.is_symlink() and existing.read_bytes() == b"via link"


def test_callback_uploads_keep_a_single_put(bucket):
    """OSS calls x-oss-callback only for a single PUT, so a body over the multipart threshold with a
    callback is not split (this server ignores the callback itself)."""
    data = os.urandom(4 * PART)
    bucket.put_object("cb", data, headers={"x-oss-callback": "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly8xMjcuMC4wLjE6MS8ifQ=="})
    assert bucket.head_object("cb").object_type == "Normal"
