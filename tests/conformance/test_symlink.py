"""Symlinks (issue 12, family 3), oss2 vs pyjindo on the same server."""
import pytest

from .recorder import sent_by_both


@pytest.mark.parametrize("target", ["target.txt", "dir/with space/中文?#%"])
def test_symlink_round_trip(sides, target):
    def scenario(oss, bucket):
        bucket.put_object(target, b"target data")
        put = bucket.put_symlink(target, "link", headers={"x-oss-meta-a": "1", "Content-Type": "text/plain"})
        got = bucket.get_symlink("link")
        return put, got, bucket.head_object("link"), bucket.get_object_meta("link"), bucket.get_object("link").read(), \
            bucket.get_symlink("link", params={}, headers={})
    _, got = sides.run(scenario)
    assert got[1]["target_key"] == target
    assert got[2]["object_type"] == "Symlink"


@pytest.mark.parametrize("call", [
    lambda oss, b: b.get_symlink("missing"),
    lambda oss, b: (b.put_object("plain", b"x"), b.get_symlink("plain")),
    lambda oss, b: (b.put_symlink("missing-target", "dangling"), b.get_object("dangling")),
    lambda oss, b: b.put_symlink("t", ""),
    lambda oss, b: b.get_symlink(""),
], ids=["missing", "not-symlink", "dangling", "empty-link", "empty-get"])
def test_symlink_errors(sides, call):
    expected, _ = sides.run(call)
    assert "__raised__" in str(expected)


def test_symlink_requests_are_oss2s():
    o, p = sent_by_both(lambda oss, b: b.put_symlink("a b/中文", "link", headers={"x-oss-object-acl": "private"}))
    assert o == p
