"""The real oss2 against jindo server: symlinks (put_symlink, get_symlink, reads through a link)."""
import oss2
import pytest
from oss2 import exceptions


def test_put_and_get_symlink(bucket):
    bucket.put_object("dir/target file+", b"hello")
    assert bucket.put_symlink("dir/target file+", "link").status == 200
    assert bucket.get_symlink("link").target_key == "dir/target file+"


def test_reads_through_a_link_return_the_target(bucket):
    target = bucket.put_object("target", b"hello", headers={"x-oss-meta-side": "target"})
    bucket.put_symlink("target", "link", headers={"x-oss-meta-key1": "value1", "X-Oss-Meta-Key2": "value2"})
    head = bucket.head_object("link")
    assert head.object_type == "Symlink"
    assert (head.content_length, head.etag) == (5, target.etag)
    assert head.headers["x-oss-hash-crc64ecma"] == target.headers["x-oss-hash-crc64ecma"]
    # The link's own metadata, not the target's.
    assert (head.headers["x-oss-meta-key1"], head.headers["x-oss-meta-key2"]) == ("value1", "value2")
    assert "x-oss-meta-side" not in head.headers
    got = bucket.get_object("link")
    assert got.read() == b"hello" and got.object_type == "Symlink"
    assert bucket.get_object("link", byte_range=(1, 3)).read() == b"ell"
    # The link follows its target's changes.
    bucket.put_object("target", b"changed")
    assert bucket.get_object("link").read() == b"changed"
    # A copy of the link copies the target's content.
    bucket.copy_object(bucket.bucket_name, "link", "copy")
    assert bucket.get_object("copy").read() == b"changed"
    assert bucket.head_object("copy").object_type == "Normal"


def test_link_lists_as_symlink(bucket):
    bucket.put_object("target", b"hello")
    bucket.put_symlink("target", "link")
    listed = {o.key: o.type for o in oss2.ObjectIterator(bucket)}
    assert listed == {"target": "Normal", "link": "Symlink"}


def test_get_symlink_of_a_plain_object_is_not_symlink(bucket):
    bucket.put_object("plain", b"x")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.get_symlink("plain")
    assert (e.value.status, e.value.code) == (400, "NotSymlink")


def test_get_symlink_of_missing_key_and_bucket(server, auth, bucket):
    with pytest.raises(exceptions.NoSuchKey):
        bucket.get_symlink("missing")
    with pytest.raises(exceptions.NoSuchBucket):
        oss2.Bucket(auth, server.endpoint, "symlink-missing-bucket").get_symlink("link")


def test_dangling_link(bucket):
    bucket.put_symlink("not-there", "dangling")  # OSS does not check the target
    assert bucket.get_symlink("dangling").target_key == "not-there"
    with pytest.raises(exceptions.NoSuchKey) as e:
        bucket.get_object("dangling")
    assert "symlink target" in e.value.message
    with pytest.raises(exceptions.NoSuchKey):
        bucket.head_object("dangling")
    bucket.delete_object("dangling")
    with pytest.raises(exceptions.NoSuchKey):
        bucket.get_symlink("dangling")


def test_symlink_attributes(bucket):
    bucket.put_object("target", b"x")
    bucket.put_symlink("target", "link", headers={"x-oss-object-acl": oss2.OBJECT_ACL_PUBLIC_READ,
                                                  "x-oss-tagging": "a=1&b=2",
                                                  "x-oss-storage-class": "IA"})
    assert bucket.get_object_acl("link").acl == oss2.OBJECT_ACL_PUBLIC_READ
    assert bucket.get_object_tagging("link").tag_set.tagging_rule == {"a": "1", "b": "2"}
    assert bucket.head_object("link").headers["x-oss-storage-class"] == "IA"
    with pytest.raises(exceptions.InvalidArgument):
        bucket.put_symlink("target", "bad", headers={"x-oss-tagging": "&".join("k%d=v" % i for i in range(11))})
    with pytest.raises(exceptions.ServerError) as e:
        bucket.put_symlink("target", "link", headers={"x-oss-forbid-overwrite": "true"})
    assert (e.value.status, e.value.code) == (409, "FileAlreadyExists")
