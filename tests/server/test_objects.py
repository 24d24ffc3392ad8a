"""The real oss2 against jindo server: object operations, ranges, append, copy, metadata, CRC."""
import base64
import hashlib
import io
import os

import oss2
import pytest


def crc64(data):
    c = oss2.utils.Crc64()
    c.update(data)
    return c.crc
from oss2 import exceptions

KEYS = ["plain", "with space", "plus+sign", "question?mark", "hash#tag", "per%cent", "ключ/ユニコード",
        "dir/", "deep/dir/trailing/", "a%2Fb", "&=;,:@$!'()*"]


@pytest.mark.parametrize("key", KEYS)
def test_put_get_head_delete_round_trip(bucket, key):
    data = os.urandom(1000)
    put = bucket.put_object(key, data)
    md5 = hashlib.md5(data).hexdigest().upper()
    assert put.status == 200 and put.etag == md5 and put.crc == crc64(data)
    assert put.request_id and put.headers["x-oss-request-id"] == put.request_id
    got = bucket.get_object(key)
    assert got.read() == data
    assert (got.status, got.content_length, got.etag, got.object_type) == (200, 1000, md5, "Normal")
    assert got.server_crc == put.crc
    head = bucket.head_object(key)
    assert (head.content_length, head.etag, head.object_type) == (1000, md5, "Normal")
    meta = bucket.get_object_meta(key)
    assert (meta.content_length, meta.etag) == (1000, md5) and meta.last_modified == head.last_modified
    assert bucket.object_exists(key)
    assert bucket.delete_object(key).status == 204
    assert not bucket.object_exists(key)


def test_empty_object(bucket):
    put = bucket.put_object("empty", b"")
    assert put.etag == hashlib.md5(b"").hexdigest().upper() and put.crc == 0
    got = bucket.get_object("empty")
    assert got.read() == b"" and got.content_length == 0
    # Any range on an empty object is unsatisfiable: OSS answers 200 with the (empty) object.
    assert bucket.get_object("empty", byte_range=(0, 10)).status == 200


def test_str_bytes_and_file_bodies(bucket, tmp_path):
    bucket.put_object("s", "héllo")
    assert bucket.get_object("s").read() == "héllo".encode()
    bucket.put_object("f", io.BytesIO(b"from a file object"))
    assert bucket.get_object("f").read() == b"from a file object"
    path = tmp_path / "up.bin"
    path.write_bytes(os.urandom(300000))
    bucket.put_object_from_file("ff", str(path))
    out = tmp_path / "down.bin"
    bucket.get_object_to_file("ff", str(out))
    assert out.read_bytes() == path.read_bytes()


# OSS's default ("compatible") behaviour ignores any range that reaches past the object (200, the
# whole object); `x-oss-range-behavior: standard` cuts it to fit (206) and refuses a start past the end.
@pytest.mark.parametrize("byte_range,status,expect,standard", [
    ((0, 0), 206, slice(0, 1), None),
    ((10, 19), 206, slice(10, 20), None),
    ((0, 99), 206, slice(0, 100), None),
    ((90, 200), 200, slice(0, 100), (206, slice(90, 100))),      # end beyond the object
    ((0, 100), 200, slice(0, 100), (206, slice(0, 100))),        # end one past the object
    ((10, 99999999), 200, slice(0, 100), (206, slice(10, 100))),
    ((None, 30), 206, slice(70, 100), None),                      # last 30 bytes
    ((None, 100), 206, slice(0, 100), None),
    ((None, 500), 200, slice(0, 100), (206, slice(0, 100))),      # suffix longer than the object
    ((50, None), 206, slice(50, 100), None),
    ((100, 200), 200, slice(0, 100), (416, None)),                # start past the end
    ((100, None), 200, slice(0, 100), (416, None)),
    ((30, 20), 200, slice(0, 100), (416, None)),                  # start after end
])
def test_ranges(bucket, byte_range, status, expect, standard):
    data = bytes(range(100))
    bucket.put_object("r", data)
    for headers, (want_status, want) in [(None, (status, expect)),
                                         ({"x-oss-range-behavior": "standard"}, standard or (status, expect))]:
        if want_status == 416:
            with pytest.raises(exceptions.ServerError) as e:
                bucket.get_object("r", byte_range=byte_range, headers=headers)
            assert (e.value.status, e.value.code) == (416, "InvalidRange")
            continue
        got = bucket.get_object("r", byte_range=byte_range, headers=headers)
        body = got.read()
        assert (got.status, body) == (want_status, data[want]), headers
        if want_status == 206:
            assert got.headers["Content-Range"] == "bytes %d-%d/100" % (want.start, want.stop - 1)
            assert got.content_length == len(body)
        else:
            assert "Content-Range" not in got.headers and got.content_length == 100


def test_invalid_range_with_standard_behavior_is_416(bucket):
    bucket.put_object("r", b"0123456789")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.get_object("r", byte_range=(20, 30), headers={"x-oss-range-behavior": "standard"})
    assert (e.value.status, e.value.code) == (416, "InvalidRange")


def test_user_metadata_and_content_type(bucket):
    bucket.put_object("m.json", b"{}", headers={"x-oss-meta-Owner": "alice", "x-oss-meta-n": "1",
                                                "Cache-Control": "no-cache"})
    head = bucket.head_object("m.json")
    assert head.headers["x-oss-meta-owner"] == "alice" and head.headers["x-oss-meta-n"] == "1"
    assert head.content_type == "application/json"  # oss2 guesses from the extension
    assert head.headers["Cache-Control"] == "no-cache"


def test_content_md5_is_checked(bucket):
    good = base64.b64encode(hashlib.md5(b"data").digest()).decode()
    bucket.put_object("md5", b"data", headers={"Content-MD5": good})
    bad = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(exceptions.ServerError) as e:
        bucket.put_object("md5", b"data!", headers={"Content-MD5": bad})
    assert (e.value.status, e.value.code) == (400, "InvalidDigest")
    assert bucket.get_object("md5").read() == b"data"  # the failed write changed nothing


def test_crc_checking_catches_a_wrong_server_crc(bucket, monkeypatch):
    bucket.put_object("c", b"abc")
    # oss2 compares its own CRC with x-oss-hash-crc64ecma; make the server's value look wrong.
    real = oss2.utils.Crc64.crc
    monkeypatch.setattr(oss2.utils.Crc64, "crc", property(lambda self: real.fget(self) ^ 1))
    with pytest.raises(exceptions.InconsistentError):
        bucket.put_object("c2", b"abc")


def test_append(bucket):
    r = bucket.append_object("ap", 0, b"hello ")
    assert r.next_position == 6 and r.crc == crc64(b"hello ")
    r = bucket.append_object("ap", 6, b"world", init_crc=r.crc)
    assert r.next_position == 11
    got = bucket.get_object("ap")
    assert got.read() == b"hello world" and got.object_type == "Appendable"
    assert got.headers["x-oss-next-append-position"] == "11"
    with pytest.raises(exceptions.PositionNotEqualToLength) as e:
        bucket.append_object("ap", 3, b"x")
    assert e.value.status == 409 and e.value.next_position == 11
    bucket.put_object("normal", b"n")
    with pytest.raises(exceptions.ObjectNotAppendable) as e:
        bucket.append_object("normal", 1, b"x")
    assert e.value.status == 409


def test_copy_keeps_or_replaces_metadata(bucket):
    bucket.put_object("src", b"payload", headers={"x-oss-meta-a": "1", "Content-Type": "text/plain"})
    r = bucket.copy_object(bucket.bucket_name, "src", "dst")
    assert r.etag == hashlib.md5(b"payload").hexdigest().upper()
    head = bucket.head_object("dst")
    assert head.headers["x-oss-meta-a"] == "1" and head.content_type == "text/plain"
    bucket.copy_object(bucket.bucket_name, "src", "dst2", headers={
        "x-oss-metadata-directive": "REPLACE", "x-oss-meta-b": "2", "Content-Type": "image/png"})
    head = bucket.head_object("dst2")
    assert "x-oss-meta-a" not in head.headers and head.headers["x-oss-meta-b"] == "2"
    assert head.content_type == "image/png"
    assert bucket.get_object("dst2").read() == b"payload"
    with pytest.raises(exceptions.NoSuchKey):
        bucket.copy_object(bucket.bucket_name, "missing", "dst3")


def test_copy_between_buckets_with_special_key(server, auth, bucket):
    other = oss2.Bucket(auth, server.endpoint, bucket.bucket_name + "-b")
    other.create_bucket()
    key = "sp ace/+plus?#ключ"
    other.put_object(key, b"x" * 10)
    bucket.copy_object(other.bucket_name, key, key)
    assert bucket.get_object(key).read() == b"x" * 10


def test_conditional_get(bucket):
    etag = bucket.put_object("cond", b"v1").etag
    assert bucket.get_object("cond", headers={"If-Match": '"%s"' % etag}).read() == b"v1"
    with pytest.raises(exceptions.PreconditionFailed):
        bucket.get_object("cond", headers={"If-Match": '"0000"'})
    with pytest.raises(exceptions.NotModified):
        bucket.get_object("cond", headers={"If-None-Match": '"%s"' % etag})


def test_forbid_overwrite(bucket):
    bucket.put_object("once", b"1")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.put_object("once", b"2", headers={"x-oss-forbid-overwrite": "true"})
    assert (e.value.status, e.value.code) == (409, "FileAlreadyExists")


def test_delete_missing_key_is_204(bucket):
    assert bucket.delete_object("never-was").status == 204


def test_batch_delete(bucket):
    keys = ["b/%d" % i for i in range(10)] + ["sp ace", "ключ"]
    for k in keys:
        bucket.put_object(k, b"x")
    r = bucket.batch_delete_objects(keys + ["missing"])
    assert sorted(r.deleted_keys) == sorted(keys + ["missing"])
    assert list(oss2.ObjectIterator(bucket)) == []
    with pytest.raises(exceptions.ClientError):
        bucket.batch_delete_objects([])


def test_batch_delete_refuses_more_than_1000(bucket):
    with pytest.raises(exceptions.ServerError) as e:
        bucket.batch_delete_objects(["k%d" % i for i in range(1001)])
    assert (e.value.status, e.value.code) == (400, "MalformedXML")
