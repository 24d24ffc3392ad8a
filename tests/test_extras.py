"""pyjindo's additions to oss2's API: mkdir and rename."""
import os

import pytest

import pyjindo
from pyjindo import exceptions


@pytest.fixture
def bucket(server):
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint,
                       "extras-%d-%s" % (os.getpid(), os.urandom(3).hex()))
    b.create_bucket()
    return b


def keys(bucket, prefix=""):
    return [o.key for o in pyjindo.ObjectIterator(bucket, prefix=prefix)]


def test_mkdir_adds_the_slash_once(bucket):
    assert bucket.mkdir("a").status == 200
    bucket.mkdir("b/")
    assert keys(bucket) == ["a/", "b/"]
    assert bucket.get_object("a/").read() == b""


def test_rename_one_object(bucket):
    bucket.put_object("src", b"payload", headers={"x-oss-meta-k": "v"})
    r = bucket.rename("src", "dst")
    assert r.status == 204 and r.request_id
    assert keys(bucket) == ["dst"]
    assert bucket.get_object("dst").read() == b"payload"
    assert bucket.head_object("dst").headers["x-oss-meta-k"] == "v"


def test_rename_missing_source_changes_nothing(bucket):
    bucket.put_object("other", b"x")
    with pytest.raises(exceptions.NoSuchKey):
        bucket.rename("missing", "dst")
    assert keys(bucket) == ["other"]


def test_rename_without_overwrite_keeps_both(bucket):
    bucket.put_object("src", b"new")
    bucket.put_object("dst", b"old")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.rename("src", "dst", overwrite=False)
    assert (e.value.status, e.value.code) == (409, "FileAlreadyExists")
    assert bucket.get_object("dst").read() == b"old" and bucket.get_object("src").read() == b"new"
    bucket.rename("src", "dst")  # overwrite=True is the default
    assert keys(bucket) == ["dst"] and bucket.get_object("dst").read() == b"new"


def test_rename_a_prefix_moves_everything_under_it(bucket):
    names = ["dir/", "dir/a", "dir/sub/b", "dir/sp ace+ключ"] + ["dir/n%03d" % i for i in range(30)]
    for n in names:
        bucket.put_object(n, n.encode())
    bucket.put_object("dirx", b"not under the prefix")
    bucket.rename("dir/", "moved")
    assert keys(bucket, "dir/") == []
    assert sorted(keys(bucket, "moved/")) == sorted("moved/" + n[len("dir/"):] for n in names)
    assert bucket.get_object("moved/sp ace+ключ").read() == "dir/sp ace+ключ".encode()
    assert bucket.object_exists("dirx")
    with pytest.raises(exceptions.ClientError):
        bucket.rename("empty/", "elsewhere/")


def test_rename_refuses_same_source_and_target(bucket):
    with pytest.raises(exceptions.ClientError):
        bucket.rename("k", "k")


def test_rename_refuses_a_target_that_is_its_source_or_inside_it(bucket):
    for n in ["p/1", "p/2", "a/b/x", "a/b/b/x"]:
        bucket.put_object(n, n.encode())
    before = sorted(keys(bucket))
    # "p" as a prefix target is "p/", the source itself; the others would move a prefix into
    # itself or onto another of its own objects. Each was a copy onto the source, then its delete.
    for src, dst in [("p/", "p"), ("p/", "p/"), ("p/", "p/in"), ("a/b/", "a/")]:
        with pytest.raises(exceptions.ClientError):
            bucket.rename(src, dst)
        assert sorted(keys(bucket)) == before, (src, dst)
    assert bucket.get_object("p/1").read() == b"p/1"
