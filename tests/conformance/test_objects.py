"""Object calls, oss2 vs pyjindo: every scenario runs through both and must agree field by field."""
import io
import os

import pytest

from . import compare

KEYS = ["plain.txt", "with space.bin", "plus+sign", "question?mark", "hash#tag", "per%cent", "unicode-中文-ü",
        "trailing/", "a/b/c.json"]


def put_get(data):
    def scenario(oss, bucket):
        put = bucket.put_object("obj", data)
        got = bucket.get_object("obj")
        return put, got, got.read()
    return scenario


@pytest.mark.parametrize("data", [b"", b"x", b"hello world", "unicode str ✓"], ids=["empty", "one", "bytes", "str"])
def test_put_then_get_returns_same_fields_and_bytes(sides, data):
    sides.run(put_get(data))


@pytest.mark.parametrize("data", [bytearray(b"bytes" * 1000), memoryview(b"view" * 10)], ids=["bytearray", "memoryview"])
def test_bytes_like_data_where_oss2_is_buggy(sides, data):
    """oss2 2.19.1 with CRC on wraps bytearray/memoryview in a reader that calls data.read() and
    fails with AttributeError inside urllib3: a bug (they are bytes-like, and oss2 documents bytes
    data). pyjindo accepts them and behaves exactly as oss2 does for the equal bytes."""
    import oss2
    import pyjindo
    expected = compare.snapshot(compare.run(put_get(data), oss2, sides.fresh_bucket(oss2)))
    assert expected["__raised__"]["cls"] == "AttributeError"
    sides.run_pair(put_get(bytes(data)), put_get(data))


def test_put_from_file_like_and_real_file(sides, tmp_path):
    path = tmp_path / "src.bin"
    path.write_bytes(os.urandom(300_000))

    def scenario(oss, bucket):
        r1 = bucket.put_object("from-bytesio", io.BytesIO(b"abc" * 1000))
        with open(path, "rb") as f:
            f.read(1000)  # oss2 sends from the current position
            r2 = bucket.put_object("from-file-offset", f)
            pos = f.tell()
        r3 = bucket.put_object_from_file("from-file.txt", str(path))
        return r1, r2, pos, r3, bucket.get_object("from-file-offset").read(), bucket.head_object("from-file.txt")
    sides.run(scenario)


@pytest.mark.parametrize("key", KEYS)
def test_special_keys_round_trip(sides, key):
    def scenario(oss, bucket):
        put = bucket.put_object(key, b"data for " + key.encode())
        return put, bucket.get_object(key).read(), bucket.get_object_meta(key), bucket.object_exists(key), \
            [o.key for o in oss.ObjectIterator(bucket)]
    sides.run(scenario)


def test_get_result_fields_and_metadata_headers(sides):
    def scenario(oss, bucket):
        bucket.put_object("m.json", b"{}", headers={"x-oss-meta-Color": "blue", "Cache-Control": "no-cache",
                                                   "Content-Disposition": "attachment"})
        r = bucket.get_object("m.json")
        fields = (r.status, r.content_length, r.etag, r.object_type, r.content_type, r.server_crc,
                  r.headers.get("x-oss-meta-color"), r.headers.get("Cache-Control"))
        body = r.read()
        return fields, body, r.client_crc, bucket.head_object("m.json"), bucket.get_object_meta("m.json")
    sides.run(scenario)


@pytest.mark.parametrize("byte_range", [(0, 9), (5, None), (None, 7), (0, 0), (95, 10_000), (0, 99),
                                        (50, 10), (200, 300), (None, 500), (None, None)],
                         ids=str)
def test_byte_ranges(sides, byte_range):
    def scenario(oss, bucket):
        bucket.put_object("r", bytes(range(100)))
        r = bucket.get_object("r", byte_range=byte_range)
        return r.status, r.content_length, r.headers.get("Content-Range"), r.read()
    sides.run(scenario)


def test_byte_range_standard_behaviour_refuses_unsatisfiable(sides):
    def scenario(oss, bucket):
        bucket.put_object("r", b"0123456789")
        return bucket.get_object("r", byte_range=(20, 30), headers={"x-oss-range-behavior": "standard"})
    sides.run(scenario)


def test_read_in_pieces_and_iterate(sides):
    data = os.urandom(200_000)

    def scenario(oss, bucket):
        bucket.put_object("p", data)
        r = bucket.get_object("p")
        pieces = [r.read(1), r.read(10), r.read(100_000), r.read(), r.read()]
        chunks = b"".join(bucket.get_object("p"))
        with bucket.get_object("p") as r2:
            head = r2.read(5)
        return [len(p) for p in pieces], b"".join(pieces) == data, chunks == data, head
    sides.run(scenario)


def test_get_object_to_file(sides, tmp_path):
    data = os.urandom(123_457)

    def scenario(oss, bucket):
        bucket.put_object("f", data)
        target = tmp_path / ("out-" + oss.__name__)
        r = bucket.get_object_to_file("f", str(target))
        ranged = tmp_path / ("ranged-" + oss.__name__)
        r2 = bucket.get_object_to_file("f", str(ranged), byte_range=(10, 19))
        return r.status, r.content_length, r.etag, target.read_bytes() == data, r2.status, ranged.read_bytes()
    sides.run(scenario)


def test_get_object_to_file_writes_into_a_fifo(sides, tmp_path):
    """A target that is not a regular file is written through, as open(name, "wb") does: a FIFO
    stays a FIFO (and, as root, /dev/null stays a device rather than being replaced)."""
    import stat
    import threading

    data = os.urandom(300_001)

    def scenario(oss, bucket):
        bucket.put_object("f", data)
        fifo = tmp_path / ("fifo-" + oss.__name__)
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
        reader.start()
        r = bucket.get_object_to_file("f", str(fifo))
        is_fifo = stat.S_ISFIFO(os.lstat(fifo).st_mode)
        if not is_fifo:  # the reader stays blocked on the replaced FIFO: do not wait for it
            return r.status, is_fifo
        reader.join(30)
        return r.status, is_fifo, got == [data]
    expected, _ = sides.run(scenario)
    assert expected == [200, True, True]


def test_missing_key_errors(sides, tmp_path):
    def scenario(oss, bucket):
        out = []
        for call in (lambda: bucket.get_object("nope"),
                     lambda: bucket.head_object("nope"),
                     lambda: bucket.get_object_meta("nope"),
                     lambda: bucket.object_exists("nope"),
                     lambda: bucket.delete_object("nope"),
                     lambda: bucket.copy_object(bucket.bucket_name, "nope", "dst")):
            try:
                out.append(call())
            except Exception as e:  # noqa: BLE001 - the comparison is the point
                from .compare import Raised
                out.append(Raised(e))
        return out
    sides.run(scenario)


def test_missing_key_to_file_leaves_no_file(sides, tmp_path):
    """oss2 truncates the target before the request fails; pyjindo leaves nothing (documented)."""
    import pyjindo

    bucket = sides.fresh_bucket(pyjindo)
    target = tmp_path / "absent"
    with pytest.raises(pyjindo.exceptions.NoSuchKey):
        bucket.get_object_to_file("nope", str(target))
    assert not target.exists()
    assert os.listdir(tmp_path) == []


def test_append_positions(sides):
    def scenario(oss, bucket):
        from .compare import Raised
        r1 = bucket.append_object("log", 0, b"abc")
        r2 = bucket.append_object("log", r1.next_position, "défg")
        try:
            bucket.append_object("log", 1, b"x")
        except Exception as e:  # noqa: BLE001
            wrong = Raised(e)
        bucket.put_object("normal", b"n")
        try:
            bucket.append_object("normal", 1, b"x")
        except Exception as e:  # noqa: BLE001
            not_appendable = Raised(e)
        r3 = bucket.append_object("log", r2.next_position, b"z", init_crc=r2.crc)
        return r1, r2, wrong, not_appendable, r3, bucket.get_object("log").read(), bucket.head_object("log")
    sides.run(scenario)


def test_copy_object_and_metadata_directive(sides):
    def scenario(oss, bucket):
        bucket.put_object("src key+?#", b"payload", headers={"x-oss-meta-a": "1", "Content-Type": "text/plain"})
        c1 = bucket.copy_object(bucket.bucket_name, "src key+?#", "dst1")
        c2 = bucket.copy_object(bucket.bucket_name, "src key+?#", "dst2",
                                headers={"x-oss-metadata-directive": "REPLACE", "x-oss-meta-b": "2",
                                         "Content-Type": "application/json"})
        return c1, c2, bucket.head_object("dst1"), bucket.head_object("dst2"), bucket.get_object("dst2").read()
    sides.run(scenario)


def test_delete_and_batch_delete(sides):
    def scenario(oss, bucket):
        from .compare import Raised
        for k in ("a", "b", "c d", "e+f"):
            bucket.put_object(k, b"1")
        d = bucket.delete_object("a")
        batch = bucket.batch_delete_objects(["b", "c d", "e+f", "missing"])
        try:
            bucket.batch_delete_objects([])
        except Exception as e:  # noqa: BLE001
            empty = Raised(e)
        return d, batch, sorted(batch.deleted_keys), empty, [o.key for o in oss.ObjectIterator(bucket)]
    sides.run(scenario)


def test_batch_delete_keys_with_control_characters(sides):
    # XML 1.0 cannot carry '\x01' or '\x0c' even as a character reference; oss2 writes such keys raw
    # and OSS reads them so. Replacing them (encoding/xml writes U+FFFD) would delete another key:
    # the U+FFFD twins must survive.
    keys = ["ctrl\x01key", "form\x0cfeed", "tab\tkey", "\x01", "mix\x01\x0c\t&<>"]

    def scenario(oss, bucket):
        for k in keys:
            bucket.put_object(k, b"1")
            bucket.put_object(k.replace("\x01", "\ufffd").replace("\x0c", "\ufffd") + "-twin", b"2")
        batch = bucket.batch_delete_objects(keys)
        left = [o.key for o in oss.ObjectIterator(bucket)]
        gone = [bucket.object_exists(k) for k in keys]
        return batch, sorted(batch.deleted_keys), left, gone

    expected, actual = sides.run(scenario)
    for side in (expected, actual):
        assert side[1] == sorted(keys)
        assert all(k.endswith("-twin") for k in side[2]) and len(side[2]) == len(keys)
        assert side[3] == [False] * len(keys)


def test_bad_argument_types(sides):
    def scenario(oss, bucket):
        from .compare import Raised
        out = []
        for call in (lambda: bucket.put_object("k", 12345),
                     lambda: bucket.append_object("k2", "zero", b"x"),
                     lambda: bucket.get_object("k", byte_range=(1,)),
                     lambda: bucket.batch_delete_objects(None)):
            try:
                out.append(call())
            except Exception as e:  # noqa: BLE001
                out.append(Raised(e))
        return out
    sides.run(scenario)
