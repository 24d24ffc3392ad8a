"""The batch engine, the streaming writer and the seekable reader through their Python bindings
(pyjindo._batch, pyjindo._writer, pyjindo._reader) against jindo server, checked with oss2."""
import gc
import io
import os

import oss2
import pytest

import pyjindo
from pyjindo import _batch, _binding, exceptions
from pyjindo._reader import ObjectReader
from pyjindo._writer import ObjectWriter

PART = 100 * 1024


@pytest.fixture
def bucket(server):
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint,
                       "batch-%d-%s" % (os.getpid(), os.urandom(3).hex()), part_size=PART, concurrency=4,
                       multipart_threshold=3 * PART)
    b.create_bucket()
    return b


@pytest.fixture
def ref(server, bucket):
    """The same bucket through the real oss2, to check what is stored."""
    return oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, bucket.bucket_name)


def uploads(ref):
    return [u.key for u in oss2.MultipartUploadIterator(ref)]


def test_get_many_in_order_with_errors_in_place(bucket):
    data = {"k%03d" % i: os.urandom(i * 37) for i in range(150)}
    data["big"] = os.urandom(5 * PART + 3)  # parallel ranged parts
    for k, v in data.items():
        bucket.put_object(k, v)
    keys = list(data)
    keys.insert(7, "missing")
    got = _batch.get_many(bucket, keys, concurrency=8)
    assert len(got) == len(keys)
    for k, g in zip(keys, got):
        if k == "missing":
            assert isinstance(g, exceptions.NoSuchKey) and g.status == 404
        else:
            assert g == data[k] and type(g) is bytes
    # Sizes known (the zero-copy path), one of them wrong: the right bytes either way.
    sizes = [len(data[k]) if k != "missing" else None for k in keys]
    sizes[3] += 1
    got = _batch.get_many(bucket, keys, sizes=sizes)
    assert [g for k, g in zip(keys, got) if k != "missing"] == [data[k] for k in keys if k != "missing"]


def test_get_many_ranges_as_fsspec_cuts_them(bucket):
    data = os.urandom(3 * PART + 11)
    bucket.put_object("obj", data)
    n = len(data)
    ranges = [(10, 20), (n - 5, n + 100), (n, n + 10), (n + 5, None), (7, 7), (None, None), (PART - 3, None),
              (-9, None)]
    got = _batch.get_many(bucket, ["obj"] * len(ranges), ranges=ranges)
    assert got == [data[10:20], data[n - 5:], b"", b"", b"", data, data[PART - 3:], data[-9:]]
    assert _batch.get_many(bucket, ["obj"], ranges=[(5, 2)]) == [b""]


def test_get_many_ranges_match_fsspec_cat_file(bucket):
    fsspec = pytest.importorskip("fsspec")
    data = b"0123456789"
    bucket.put_object("ten", data)
    mem = fsspec.filesystem("memory", skip_instance_cache=True, global_store=False)
    mem.pipe_file("/ten", data)
    bounds = [None, -15, -10, -9, -3, -1, 0, 1, 3, 9, 10, 12]
    ranges = [(s, e) for s in bounds for e in bounds]
    got = _batch.get_many(bucket, ["ten"] * len(ranges), ranges=ranges)
    want = [mem.cat_file("/ten", s, e) for s, e in ranges]
    assert [(r, g) for r, g, w in zip(ranges, got, want) if g != w] == []
    # With the sizes known (written in place), and for an object of several parts.
    sizes = [len(w) for w in want]
    assert _batch.get_many(bucket, ["ten"] * len(ranges), ranges=ranges, sizes=sizes) == want
    big = os.urandom(3 * PART + 5)
    bucket.put_object("big", big)
    ranges = [(5, -PART), (-2 * PART, -3), (-2 * PART - 1, 2 * PART + 7), (PART, -1)]
    assert _batch.get_many(bucket, ["big"] * len(ranges), ranges=ranges) == [big[s:e] for s, e in ranges]


def test_get_many_other_bucket_and_progress(bucket, server):
    other = pyjindo.Bucket(bucket.auth, server.endpoint, bucket.bucket_name + "-o")
    other.create_bucket()
    other.put_object("x", b"other")
    bucket.put_object("x", b"mine!")
    calls = []
    got = _batch.get_many(bucket, ["x", (other.bucket_name, "x")], sizes=[5, 5],
                          progress_callback=lambda done, total: calls.append((done, total)))
    assert got == [b"mine!", b"other"]
    assert calls[-1] == (10, 10) and all(a <= b for (a, _), (b, _) in zip(calls, calls[1:]))


def test_progress_callback_exception_cancels_the_batch(bucket):
    for i in range(300):
        bucket.put_object("p%03d" % i, b"x" * 1000)

    def stop(done, total):
        if done:
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        _batch.get_many(bucket, ["p%03d" % i for i in range(300)], concurrency=2, progress_callback=stop)
    assert _batch.get_many(bucket, ["p000"]) == [b"x" * 1000]  # the session is fine afterwards


def test_get_many_to_files(bucket, tmp_path):
    bucket.put_object("a", b"aaa")
    bucket.put_object("d/b", os.urandom(4 * PART))
    targets = [str(tmp_path / "a"), str(tmp_path / "missing"), str(tmp_path / "sub" / "b")]
    got = _batch.get_many_to_files(bucket, ["a", "missing", "d/b"], targets)
    assert got[0].status == 200 and isinstance(got[1], exceptions.NoSuchKey) and got[2].status == 200
    assert open(targets[0], "rb").read() == b"aaa"
    assert open(targets[2], "rb").read() == bucket.get_object("d/b").read()
    assert sorted(os.listdir(tmp_path)) == ["a", "sub"]  # no file, temporary or partial, for the failure


def test_put_many_from_files(bucket, ref, tmp_path):
    small, big = b"small", os.urandom(4 * PART)
    (tmp_path / "s").write_bytes(small)
    (tmp_path / "b").write_bytes(big)
    got = _batch.put_many_from_files(bucket, [str(tmp_path / "s"), str(tmp_path / "nope"), str(tmp_path / "b")],
                                     ["up/s", "up/nope", "up/b"], headers=[{"Content-Type": "text/x-s"}, None, None])
    assert isinstance(got[1], exceptions.ClientError)
    assert got[0].etag == ref.head_object("up/s").etag and got[2].crc == ref.head_object("up/b").server_crc
    assert ref.get_object("up/s").read() == small and ref.get_object("up/s").content_type == "text/x-s"
    assert ref.get_object("up/b").read() == big and ref.head_object("up/b").object_type == "Multipart"


def test_head_many(bucket):
    bucket.put_object("h", b"12345", headers={"x-oss-meta-a": "b"})
    got = _batch.head_many(bucket, ["h", "nope"])
    assert got[0].content_length == 5 and got[0].headers["x-oss-meta-a"] == "b"
    assert got[0].etag == bucket.head_object("h").etag
    assert isinstance(got[1], exceptions.NotFound) and got[1].status == 404


def test_writer_streams_and_publishes_only_at_close(bucket, ref):
    data = os.urandom(7 * PART + 1234)
    with ObjectWriter(bucket, "w", headers={"Content-Type": "application/x-w"}) as f:
        view = memoryview(data)
        for i in range(0, len(data), 33333):  # writes that do not line up with parts
            assert f.write(view[i:i + 33333]) == len(view[i:i + 33333])
            assert not ref.object_exists("w")
        assert uploads(ref) == ["w"] and f.tell() == len(data)
    assert ref.get_object("w").read() == data and ref.head_object("w").content_type == "application/x-w"
    assert f.result.crc == ref.head_object("w").server_crc and f.closed
    # Smaller than a part: one PutObject at close.
    with ObjectWriter(bucket, "small") as f:
        f.write(b"tiny")
        assert uploads(ref) == []
    assert ref.get_object("small").read() == b"tiny" and ref.head_object("small").object_type == "Normal"
    with pytest.raises(ValueError):
        f.write(b"more")


def test_writer_aborts_on_exception_and_when_dropped(bucket, ref):
    with pytest.raises(ZeroDivisionError):
        with ObjectWriter(bucket, "e") as f:
            f.write(os.urandom(3 * PART))
            assert uploads(ref) == ["e"]
            1 / 0
    assert uploads(ref) == [] and not ref.object_exists("e")
    # Never closed, then garbage collected: aborted, not completed with what it had.
    f = ObjectWriter(bucket, "dropped")
    f.write(os.urandom(2 * PART))
    assert uploads(ref) == ["dropped"]
    del f
    gc.collect()
    assert uploads(ref) == [] and not ref.object_exists("dropped")
    # Explicit abort.
    f = ObjectWriter(bucket, "a")
    f.write(os.urandom(2 * PART))
    f.abort()
    f.abort()
    assert uploads(ref) == [] and not ref.object_exists("a") and f.closed


def test_writer_forbid_overwrite(bucket, ref):
    ref.put_object("taken", b"old")
    for size in (10, 3 * PART):  # one PutObject, and a multipart upload
        f = ObjectWriter(bucket, "taken", forbid_overwrite=True)
        f.write(os.urandom(size))
        with pytest.raises(exceptions.ServerError) as e:
            f.close()
        assert e.value.status == 409 and e.value.code == "FileAlreadyExists"
        assert ref.get_object("taken").read() == b"old" and uploads(ref) == []
    with ObjectWriter(bucket, "fresh", forbid_overwrite=True) as f:
        f.write(os.urandom(3 * PART))
    assert ref.object_exists("fresh")


def test_writer_failure_aborts(bucket, ref, server):
    # A bucket that does not exist: the first part fails; the writer is done and nothing is left.
    missing = pyjindo.Bucket(bucket.auth, server.endpoint, bucket.bucket_name + "-none", part_size=PART)
    f = ObjectWriter(missing, "x")
    with pytest.raises(exceptions.NoSuchBucket):
        f.write(os.urandom(PART))
    assert f.closed
    with pytest.raises(ValueError):
        f.write(b"more")


def test_reader_seeks_and_reads(bucket):
    data = os.urandom(20 * PART + 77)
    bucket.put_object("r", data)
    with ObjectReader(bucket, "r") as f:
        assert f.size == len(data) and f.info.etag == bucket.head_object("r").etag and f.seekable()
        assert f.seek(-8, io.SEEK_END) == len(data) - 8 and f.read(8) == data[-8:]
        assert f.read(5) == b"" and f.read() == b""
        f.seek(100)
        assert f.read(10) == data[100:110] and f.tell() == 110
        f.seek(1000, io.SEEK_CUR)
        assert f.read(3 * PART) == data[1110:1110 + 3 * PART]
        buf = bytearray(PART)
        f.seek(5)
        assert f.readinto(buf) == PART and bytes(buf) == data[5:5 + PART]
        f.seek(0)
        assert f.read() == data
        f.seek(len(data) + 10)
        assert f.read(1) == b""
        with pytest.raises(ValueError):
            f.seek(-1)
    assert f.closed
    with pytest.raises(ValueError):
        f.read(1)
    # Buffered for small reads.
    with io.BufferedReader(ObjectReader(bucket, "r")) as b:
        b.seek(len(data) - 10)
        assert b.read() == data[-10:]
    with pytest.raises(exceptions.NotFound):
        ObjectReader(bucket, "nope")


def test_reader_readinto_refuses_read_only_buffers(bucket):
    bucket.put_object("ro", b"Z" * 20)
    one = bytes([97])  # CPython's shared one-byte object: writing it would corrupt every b"a"
    eight = bytes(8)
    shared = bytearray(8)
    with ObjectReader(bucket, "ro") as f:
        for ro in (one, eight, memoryview(shared).toreadonly()):
            with pytest.raises(TypeError, match="read-write bytes-like object"):
                f.readinto(ro)
        assert f.tell() == 0
        assert f.read(1) == b"Z" and f.read(3) == b"ZZZ" and f.tell() == 4
        buf = bytearray(4)
        assert f.readinto(memoryview(buf)) == 4 and buf == b"ZZZZ"
    assert one == b"a" and bytes([97]) == b"a" and eight == bytes(8) and shared == bytearray(8)
    with pytest.raises(TypeError, match="read-write"):
        io.BytesIO(b"Z").readinto(b"q")  # the behaviour copied


def test_nothing_leaks(bucket):
    bucket.put_object("l", os.urandom(3 * PART))
    gc.collect()
    before = _binding.stats()
    for _ in range(20):
        _batch.get_many(bucket, ["l", "nope"] * 5)
        with ObjectReader(bucket, "l") as f:
            f.seek(PART)
            f.read(10)
        with ObjectWriter(bucket, "lw") as w:
            w.write(b"x")
    gc.collect()
    after = _binding.stats()
    assert after["handles"] == before["handles"], (before, after)


def test_delete_many(bucket, ref):
    keys = ["d/%04d" % i for i in range(2500)]
    for k in keys[:30]:
        ref.put_object(k, b"x")
    deleted = _batch.delete_many(bucket, keys)
    assert sorted(deleted) == keys  # missing keys are deleted too, as on OSS
    assert [o.key for o in oss2.ObjectIterator(ref, prefix="d/")] == []


def test_writer_abort_failing_after_ctrl_c_is_logged_and_ctrl_c_goes_on(caplog):
    from jindo_server import JindoServer

    with JindoServer("--bucket", "gone") as server:
        b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "gone")
        cut, failed = ObjectWriter(b, "cut-off", part_size=256 * 1024), ObjectWriter(b, "failed", part_size=256 * 1024)
        for f in (cut, failed):
            f.write(os.urandom(3 * 256 * 1024))  # parts up: an upload to abort
    # the server is gone: every abort fails
    with caplog.at_level("WARNING", logger="oss2.pyjindo.writer"):
        with pytest.raises(KeyboardInterrupt):
            with cut:
                raise KeyboardInterrupt
    [record] = [r for r in caplog.records if r.name == "oss2.pyjindo.writer"]
    assert "cut-off: the upload was not aborted after KeyboardInterrupt" in record.getMessage()
    with pytest.raises(exceptions.RequestError) as raised:  # an Exception: the failed abort is raised
        with failed:
            raise ValueError("the original failure")
    assert isinstance(raised.value.__context__, ValueError)
    with pytest.raises(exceptions.RequestError):  # asked again: the parts may still be there
        failed.abort()
