"""Versioning in jindo server, driven by the real oss2: version ids, delete markers, versionId on
reads, deletes, copies and sub-resources, ListObjectVersions paging, batch deletes with versions,
and a --root server that keeps every version across a restart."""
import oss2
import pytest
from oss2.models import BatchDeleteObjectVersion, BatchDeleteObjectVersionList, BucketVersioningConfig

from jindo_server import JindoServer


def enable(bucket, status="Enabled"):
    config = BucketVersioningConfig()
    config.status = status
    bucket.put_bucket_versioning(config)


def versions_of(bucket, **kw):
    """Every (key, version id, is delete marker, is latest) in listing order, page by page."""
    out, key_marker, vid_marker = [], "", ""
    while True:
        r = bucket.list_object_versions(key_marker=key_marker, versionid_marker=vid_marker, **kw)
        # oss2 parses markers and versions into separate lists; the server orders them together.
        entries = [(v.key, v.versionid, False, v.is_latest) for v in r.versions]
        entries += [(m.key, m.versionid, True, m.is_latest) for m in r.delete_marker]
        out.append((entries, r.common_prefix))
        if not r.is_truncated:
            return out
        key_marker, vid_marker = r.next_key_marker, r.next_versionid_marker


def test_unversioned_bucket_sends_no_version_headers(bucket):
    r = bucket.put_object("k", b"v")
    assert r.versionid is None
    assert "x-oss-version-id" not in bucket.get_object("k").headers
    assert bucket.delete_object("k").versionid is None


def test_put_get_head_delete_with_version_ids(bucket):
    enable(bucket)
    assert bucket.get_bucket_versioning().status == "Enabled"
    v1 = bucket.put_object("k", b"one").versionid
    v2 = bucket.put_object("k", b"two").versionid
    assert v1 and v2 and v1 != v2
    assert bucket.get_object("k").read() == b"two"
    got = bucket.get_object("k", params={"versionId": v1})
    assert got.read() == b"one" and got.versionid == v1
    assert bucket.head_object("k", params={"versionId": v1}).content_length == 3
    assert bucket.get_object_meta("k", params={"versionId": v1}).content_length == 3

    d = bucket.delete_object("k")
    assert d.delete_marker and d.versionid not in (None, v1, v2)
    with pytest.raises(oss2.exceptions.NoSuchKey) as e:
        bucket.get_object("k")
    assert e.value.headers.get("x-oss-delete-marker") == "true"
    with pytest.raises(oss2.exceptions.NotFound):
        bucket.head_object("k")
    assert not bucket.object_exists("k")
    # A delete marker named by its version id: 405, as OSS documents.
    with pytest.raises(oss2.exceptions.ServerError) as e:
        bucket.get_object("k", params={"versionId": d.versionid})
    assert e.value.status == 405
    with pytest.raises(oss2.exceptions.ServerError) as e:
        bucket.get_object("k", params={"versionId": "CAEQnosuchversion"})
    assert e.value.status == 404 and e.value.code == "NoSuchVersion"

    # Removing the marker by its id brings the object back.
    r = bucket.delete_object("k", params={"versionId": d.versionid})
    assert r.delete_marker and r.versionid == d.versionid
    assert bucket.get_object("k").read() == b"two"
    r = bucket.delete_object("k", params={"versionId": v2})
    assert not r.delete_marker and r.versionid == v2
    assert bucket.get_object("k").read() == b"one"


def test_listing_shows_only_live_latest_versions(bucket):
    enable(bucket)
    bucket.put_object("gone", b"x")
    bucket.put_object("kept", b"x")
    bucket.put_object("kept", b"y")
    bucket.delete_object("gone")
    assert [o.key for o in oss2.ObjectIterator(bucket)] == ["kept"]
    assert [o.key for o in oss2.ObjectIteratorV2(bucket)] == ["kept"]


def test_suspended_bucket_writes_null_versions(bucket):
    bucket.put_object("k", b"before")
    enable(bucket)
    v = bucket.put_object("k", b"versioned").versionid
    enable(bucket, "Suspended")
    assert bucket.put_object("k", b"a").versionid == "null"
    assert bucket.put_object("k", b"b").versionid == "null"
    pages = versions_of(bucket)
    assert [(k, vid) for k, vid, _, _ in pages[0][0]] == [("k", "null"), ("k", v)]
    assert bucket.get_object("k", params={"versionId": "null"}).read() == b"b"
    d = bucket.delete_object("k")
    assert d.delete_marker and d.versionid == "null"
    assert bucket.get_object("k", params={"versionId": v}).read() == b"versioned"


def test_list_object_versions_pages_with_markers_and_delimiter(bucket):
    enable(bucket)
    ids = {}
    for key in ["a", "b", "c"]:
        ids[key] = [bucket.put_object(key, key.encode() * n).versionid for n in (1, 2, 3)]
    marker = bucket.delete_object("b").versionid
    bucket.put_object("dir/x", b"1")
    bucket.put_object("dir/y", b"2")

    pages = versions_of(bucket, max_keys=2, delimiter="/")
    flat = [e for entries, _ in pages for e in entries]
    prefixes = [p for _, ps in pages for p in ps]
    want = []
    for key in ["a", "b", "c"]:
        versions = [(key, vid, False) for vid in reversed(ids[key])]
        if key == "b":
            versions.insert(0, ("b", marker, True))
        want += versions
    assert sorted((k, vid, m) for k, vid, m, _ in flat) == sorted(want)
    # oss2 splits a page into versions and markers; the versions keep the server's order.
    assert [(k, vid) for k, vid, m, _ in flat if not m] == [(k, vid) for k, vid, m in want if not m]
    assert prefixes == ["dir/"]
    latest = {(k, vid) for k, vid, _, is_latest in flat if is_latest}
    assert latest == {("a", ids["a"][2]), ("b", marker), ("c", ids["c"][2])}
    assert all(len(entries) + len(ps) <= 2 for entries, ps in pages)

    # One page holding everything, in OSS's order: by key, newest first.
    r = bucket.list_object_versions(prefix="a")
    assert [v.versionid for v in r.versions] == list(reversed(ids["a"]))
    assert [v.is_latest for v in r.versions] == [True, False, False]
    assert r.versions[0].size == 3 and r.versions[0].etag


def test_batch_delete_with_versions(bucket):
    enable(bucket)
    v1 = bucket.put_object("k", b"one").versionid
    v2 = bucket.put_object("k", b"two").versionid
    bucket.put_object("other", b"x")
    r = bucket.batch_delete_objects(["other"])
    assert r.deleted_keys == ["other"]
    assert r.delete_versions[0].delete_marker and r.delete_versions[0].delete_marker_versionid
    marker = r.delete_versions[0].delete_marker_versionid

    todo = BatchDeleteObjectVersionList()
    todo.append(BatchDeleteObjectVersion("k", v1))
    todo.append(BatchDeleteObjectVersion("other", marker))
    r = bucket.delete_object_versions(todo)
    got = {(d.key, d.versionid): d for d in r.delete_versions}
    assert not got[("k", v1)].delete_marker
    assert got[("other", marker)].delete_marker and got[("other", marker)].delete_marker_versionid == marker
    assert bucket.get_object("other").read() == b"x"  # its marker is gone
    assert [v.versionid for v in bucket.list_object_versions(prefix="k").versions] == [v2]


def test_copy_from_a_version_and_version_sub_resources(bucket):
    enable(bucket)
    v1 = bucket.put_object("src", b"first").versionid
    bucket.put_object("src", b"second")
    r = bucket.copy_object(bucket.bucket_name, "src", "dst", params={"versionId": v1})
    assert r.versionid and r.headers.get("x-oss-copy-source-version-id") == v1
    assert bucket.get_object("dst").read() == b"first"

    rule = oss2.models.TaggingRule()
    rule.add("v", "1")
    bucket.put_object_tagging("src", oss2.models.Tagging(rule), params={"versionId": v1})
    assert bucket.get_object_tagging("src", params={"versionId": v1}).tag_set.tagging_rule == {"v": "1"}
    assert bucket.get_object_tagging("src").tag_set.tagging_rule == {}
    bucket.put_object_acl("src", oss2.OBJECT_ACL_PUBLIC_READ, params={"versionId": v1})
    assert bucket.get_object_acl("src", params={"versionId": v1}).acl == oss2.OBJECT_ACL_PUBLIC_READ
    assert bucket.get_object_acl("src").acl == oss2.OBJECT_ACL_DEFAULT


def test_append_and_multipart_get_version_ids(bucket):
    enable(bucket)
    a = bucket.append_object("log", 0, b"ab")
    b = bucket.append_object("log", 2, b"cd")
    assert a.versionid and b.versionid == a.versionid  # an append keeps its version
    up = bucket.init_multipart_upload("mp").upload_id
    part = bucket.upload_part("mp", up, 1, b"data")
    done = bucket.complete_multipart_upload("mp", up, [oss2.models.PartInfo(1, part.etag)])
    assert done.versionid
    assert bucket.head_object("mp").versionid == done.versionid


def test_root_server_keeps_versions_across_restart(tmp_path):
    root = str(tmp_path / "store")
    with JindoServer("--root", root, access_key_id="ak", access_key_secret="sk") as s:
        b = oss2.Bucket(oss2.Auth("ak", "sk"), s.endpoint, "vers")
        b.create_bucket()
        enable(b)
        v1 = b.put_object("k", b"one").versionid
        v2 = b.put_object("k", b"two").versionid
        marker = b.delete_object("k").versionid
    with JindoServer("--root", root, access_key_id="ak", access_key_secret="sk") as s:
        b = oss2.Bucket(oss2.Auth("ak", "sk"), s.endpoint, "vers")
        assert b.get_bucket_versioning().status == "Enabled"
        r = b.list_object_versions()
        assert [m.versionid for m in r.delete_marker] == [marker]
        assert [v.versionid for v in r.versions] == [v2, v1]
        assert not b.object_exists("k")
        assert b.get_object("k", params={"versionId": v1}).read() == b"one"
        assert b.put_object("k", b"three").versionid not in (v1, v2, marker)
