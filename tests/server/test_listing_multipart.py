"""The real oss2 against jindo server: listings, multipart uploads, resumable transfers, buckets."""
import os

import oss2
import pytest
from oss2 import exceptions
from oss2.models import PartInfo


@pytest.fixture(scope="module")
def big_listing(server):
    """A bucket of 2,500 keys: 25 directories of 99 objects each, plus 25 top-level objects."""
    auth = oss2.Auth(server.access_key_id, server.access_key_secret)
    b = oss2.Bucket(auth, server.endpoint, "listing-%d" % os.getpid())
    b.create_bucket()
    keys = []
    for d in range(25):
        keys += ["dir%02d/obj%03d" % (d, i) for i in range(99)]
        keys.append("top%02d" % d)
    for k in keys:
        b.put_object(k, b"")
    return b, sorted(keys)


def test_list_2500_keys_in_pages(big_listing):
    b, keys = big_listing
    got, marker, pages = [], "", 0
    while True:
        r = b.list_objects(marker=marker, max_keys=1000)
        got += [o.key for o in r.object_list]
        pages += 1
        if not r.is_truncated:
            assert r.next_marker == ""
            break
        assert r.next_marker == got[-1]
        marker = r.next_marker
    assert got == keys and pages == 3
    assert [o.key for o in oss2.ObjectIterator(b)] == keys  # 100 per page


def test_list_with_delimiter(big_listing):
    b, keys = big_listing
    r = b.list_objects(delimiter="/", max_keys=1000)
    assert r.prefix_list == ["dir%02d/" % d for d in range(25)]
    assert [o.key for o in r.object_list] == ["top%02d" % d for d in range(25)]
    # Pages of 10 entries mix prefixes and keys, and never repeat a prefix.
    entries = [o.key for o in oss2.ObjectIterator(b, delimiter="/", max_keys=10)]
    assert entries == sorted(["dir%02d/" % d for d in range(25)] + ["top%02d" % d for d in range(25)])
    under = [o.key for o in oss2.ObjectIterator(b, prefix="dir03/", delimiter="/", max_keys=7)]
    assert under == ["dir03/obj%03d" % i for i in range(99)]


def test_list_v2(big_listing):
    b, keys = big_listing
    assert [o.key for o in oss2.ObjectIteratorV2(b, max_keys=333)] == keys
    r = b.list_objects_v2(delimiter="/", max_keys=30, fetch_owner=True)
    assert len(r.object_list) + len(r.prefix_list) == 30 and r.is_truncated and r.next_continuation_token
    assert r.object_list[0].owner is not None
    r2 = b.list_objects_v2(delimiter="/", max_keys=30, continuation_token=r.next_continuation_token)
    assert len(r2.prefix_list) + len(r2.object_list) == 20 and not r2.is_truncated
    assert [o.key for o in b.list_objects_v2(start_after="top23").object_list] == ["top24"]


def test_listing_special_keys_round_trip(bucket):
    keys = ["a b", "a+b", "a?b", "a#b", "a%b", "ключ", "dir/", "dir/x", "tab\tkey", "amp&lt;"]
    for k in keys:
        bucket.put_object(k, b"1")
    assert [o.key for o in oss2.ObjectIterator(bucket)] == sorted(keys)
    assert [o.key for o in oss2.ObjectIterator(bucket, prefix="dir/")] == ["dir/", "dir/x"]
    info = bucket.list_objects().object_list[0]
    assert info.size == 1 and info.etag and info.type == "Normal" and info.storage_class == "Standard"
    assert isinstance(info.last_modified, int)


def test_list_max_keys_out_of_range(bucket):
    with pytest.raises(exceptions.InvalidArgument) as e:
        bucket.list_objects(max_keys=1001)
    assert e.value.status == 400


def test_multipart_upload_full_cycle(bucket):
    data = os.urandom(250 * 1024 + 17)
    up = bucket.init_multipart_upload("mp", headers={"x-oss-meta-k": "v", "Content-Type": "text/csv"})
    p1 = bucket.upload_part("mp", up.upload_id, 1, data[:128 * 1024])
    p2 = bucket.upload_part("mp", up.upload_id, 2, data[128 * 1024:])
    listed = bucket.list_parts("mp", up.upload_id)
    assert [(p.part_number, p.size, p.etag) for p in listed.parts] == [
        (1, 128 * 1024, p1.etag), (2, len(data) - 128 * 1024, p2.etag)]
    uploads = bucket.list_multipart_uploads()
    assert [(u.key, u.upload_id) for u in uploads.upload_list] == [("mp", up.upload_id)]
    done = bucket.complete_multipart_upload("mp", up.upload_id, [PartInfo(1, p1.etag), PartInfo(2, p2.etag)])
    assert done.status == 200 and done.crc is not None
    got = bucket.get_object("mp")
    assert got.read() == data and got.object_type == "Multipart" and got.server_crc == done.crc
    assert bucket.head_object("mp").headers["x-oss-meta-k"] == "v"
    assert bucket.list_multipart_uploads().upload_list == []


def test_multipart_errors(bucket):
    up = bucket.init_multipart_upload("mp").upload_id
    small = bucket.upload_part("mp", up, 1, b"small")
    last = bucket.upload_part("mp", up, 2, b"last")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.complete_multipart_upload("mp", up, [PartInfo(1, small.etag), PartInfo(2, last.etag)])
    assert (e.value.status, e.value.code) == (400, "EntityTooSmall")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.complete_multipart_upload("mp", up, [PartInfo(1, "0" * 32)])
    assert (e.value.status, e.value.code) == (400, "InvalidPart")
    bucket.abort_multipart_upload("mp", up)
    with pytest.raises(exceptions.NoSuchUpload) as e:
        bucket.upload_part("mp", up, 3, b"x")
    assert e.value.status == 404
    with pytest.raises(exceptions.NoSuchUpload):
        bucket.list_parts("mp", up)
    assert not bucket.object_exists("mp")


def test_complete_with_forbid_overwrite(bucket):
    # OSS checks x-oss-forbid-overwrite on CompleteMultipartUpload too: an existing object is
    # refused with 409 FileAlreadyExists, the upload stays (to be aborted or completed elsewhere).
    bucket.put_object("taken", b"old")
    up = bucket.init_multipart_upload("taken").upload_id
    p1 = bucket.upload_part("taken", up, 1, b"new")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.complete_multipart_upload("taken", up, [PartInfo(1, p1.etag)], headers={"x-oss-forbid-overwrite": "true"})
    assert (e.value.status, e.value.code) == (409, "FileAlreadyExists")
    assert bucket.get_object("taken").read() == b"old"
    assert [u.upload_id for u in bucket.list_multipart_uploads().upload_list] == [up]
    bucket.abort_multipart_upload("taken", up)
    # A free key is created; "false" does not forbid.
    up = bucket.init_multipart_upload("free").upload_id
    p1 = bucket.upload_part("free", up, 1, b"v")
    bucket.complete_multipart_upload("free", up, [PartInfo(1, p1.etag)], headers={"x-oss-forbid-overwrite": "true"})
    assert bucket.get_object("free").read() == b"v"
    up = bucket.init_multipart_upload("free").upload_id
    p1 = bucket.upload_part("free", up, 1, b"w")
    bucket.complete_multipart_upload("free", up, [PartInfo(1, p1.etag)], headers={"x-oss-forbid-overwrite": "false"})
    assert bucket.get_object("free").read() == b"w"


def test_upload_part_copy(bucket):
    src = os.urandom(300 * 1024)
    bucket.put_object("src", src)
    up = bucket.init_multipart_upload("dst").upload_id
    p1 = bucket.upload_part_copy(bucket.bucket_name, "src", (0, 200 * 1024 - 1), "dst", up, 1)
    p2 = bucket.upload_part_copy(bucket.bucket_name, "src", (200 * 1024, len(src) - 1), "dst", up, 2)
    bucket.complete_multipart_upload("dst", up, [PartInfo(1, p1.etag), PartInfo(2, p2.etag)])
    assert bucket.get_object("dst").read() == src


def test_resumable_upload_and_download_30mb(bucket, tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(30 * 1000 * 1000))
    oss2.resumable_upload(bucket, "big", str(src), store=oss2.ResumableStore(root=str(tmp_path)),
                          multipart_threshold=10 * 1024 * 1024, part_size=4 * 1024 * 1024, num_threads=4)
    assert bucket.head_object("big").object_type == "Multipart"
    dst = tmp_path / "dst.bin"
    oss2.resumable_download(bucket, "big", str(dst), store=oss2.ResumableDownloadStore(root=str(tmp_path)),
                            multiget_threshold=10 * 1024 * 1024, part_size=4 * 1024 * 1024, num_threads=4)
    assert dst.read_bytes() == src.read_bytes()
    assert bucket.list_multipart_uploads().upload_list == []


def test_bucket_lifecycle_and_info(server, auth):
    name = "life-%d" % os.getpid()
    b = oss2.Bucket(auth, server.endpoint, name)
    b.create_bucket()
    info = b.get_bucket_info()
    assert info.name == name and info.storage_class == "Standard" and info.location
    names = [x.name for x in oss2.BucketIterator(oss2.Service(auth, server.endpoint))]
    assert name in names
    with pytest.raises(exceptions.BucketNotEmpty):
        b.put_object("k", b"")
        b.delete_bucket()
    b.delete_object("k")
    b.delete_bucket()
    with pytest.raises(exceptions.NoSuchBucket):
        b.get_bucket_info()
    with pytest.raises(exceptions.NoSuchBucket) as e:
        b.get_object("k")
    assert e.value.status == 404 and e.value.request_id


def test_list_multipart_uploads_pages(bucket):
    ids = sorted(bucket.init_multipart_upload("k").upload_id for _ in range(6))
    for key in ("a/x", "a/y", "b"):
        bucket.init_multipart_upload(key)
    paged = [(u.key, u.upload_id) for u in oss2.MultipartUploadIterator(bucket, prefix="k", max_uploads=2)]
    assert paged == [("k", i) for i in ids]
    tree = [(u.key, u.is_prefix()) for u in oss2.MultipartUploadIterator(bucket, delimiter="/", max_uploads=1)]
    assert tree == [("a/", True), ("b", False)] + [("k", False)] * 6
