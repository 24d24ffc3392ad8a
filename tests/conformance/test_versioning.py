"""Object versions (issue 22, item 1), oss2 vs pyjindo on the same jindo server: version ids on
put, delete markers, reads and deletes by version, NoSuchVersion, version sub-resources (tagging,
ACL, restore), copies from a version, list_object_versions paging with key and version-id markers
and a delimiter, and delete_object_versions with and without version ids.

Version ids are the server's own random strings, different in the two buckets: each snapshot has
every version id it carries replaced by a placeholder numbered in order of first appearance
(`null` stays), so the comparison still checks which version each field names."""
import re

from . import compare
from .conftest import _neutral

# Fields and headers whose value is a version id.
_ID_FIELDS = {"versionid", "next_versionid_marker", "versionid_marker", "delete_marker_versionid",
              "x-oss-version-id", "VersionId"}


def _ids(value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            if k in _ID_FIELDS and isinstance(v, str) and v not in ("", "null") and v not in out:
                out.append(v)
            _ids(v, out)
    elif isinstance(value, list):
        for v in value:
            _ids(v, out)
    return out


def _placeholders(value, ids):
    if isinstance(value, str):
        for i, vid in enumerate(ids):
            value = value.replace(vid, "<v%d>" % i)
        return value
    if isinstance(value, list):
        return [_placeholders(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _placeholders(v, ids) for k, v in value.items()}
    return value


def _versioned_snapshot(scenario, oss, bucket):
    snap = _neutral(compare.snapshot(compare.run(scenario, oss, bucket)), bucket.bucket_name)
    return _placeholders(snap, _ids(snap, []))


def run(sides, scenario):
    """sides.run for a versioned scenario: (oss2 snapshot, pyjindo snapshot), checked equal."""
    import oss2

    import pyjindo

    b1, b2 = sides.fresh_bucket(oss2), sides.fresh_bucket(pyjindo)
    expected = _versioned_snapshot(scenario, oss2, b1)
    actual = _versioned_snapshot(scenario, pyjindo, b2)
    compare.compare(expected, actual)
    return expected, actual


def enable(oss, bucket, status="Enabled"):
    config = oss.models.BucketVersioningConfig()
    config.status = status
    bucket.put_bucket_versioning(config)


def _raised(f, *args, **kwargs):
    try:
        f(*args, **kwargs)
    except Exception as e:  # compared by class, status, code, message and details
        return compare.Raised(e)
    return "returned"


def test_put_gives_version_ids_and_delete_a_delete_marker(sides):
    def scenario(oss, bucket):
        enable(oss, bucket)
        v1 = bucket.put_object("k", b"one")
        v2 = bucket.put_object("k", b"two")
        assert v1.versionid and v2.versionid and v1.versionid != v2.versionid
        deleted = bucket.delete_object("k")
        assert deleted.delete_marker is True and deleted.versionid
        return v1, v2, deleted, bucket.get_bucket_versioning()
    _, got = run(sides, scenario)
    assert got[2]["delete_marker"] is True and got[2]["versionid"] == "<v2>"


def test_get_head_and_meta_by_version(sides):
    def scenario(oss, bucket):
        enable(oss, bucket)
        v1 = bucket.put_object("k", b"first", headers={"x-oss-meta-n": "1"}).versionid
        v2 = bucket.put_object("k", b"second!").versionid
        old = bucket.get_object("k", params={"versionId": v1})
        body = old.read()
        latest = bucket.get_object("k")
        return (old, body, latest, latest.read(), bucket.head_object("k", params={"versionId": v1}),
                bucket.get_object_meta("k", params={"versionId": v1}), bucket.head_object("k"),
                bucket.get_object("k", byte_range=(1, 3), params={"versionId": v2}).read(),
                bucket.object_exists("k"))
    _, got = run(sides, scenario)
    assert got[1]["__bytes__"] == 5 and got[3]["__bytes__"] == 7
    assert got[0]["versionid"] == "<v0>" and got[4]["headers"]["x-oss-meta-n"] == "1"


def test_a_large_version_read_in_parallel_parts_and_to_a_file(sides, tmp_path):
    """pyjindo reads a large object in ranged parts: every part carries the versionId."""
    first, second = bytes(range(256)) * 1600, b"x" * 409600  # 409,600 bytes each: 4 parts of 100 KiB

    def scenario(oss, bucket):
        enable(oss, bucket)
        if oss.__name__ == "pyjindo":
            bucket = oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name, part_size=100 * 1024,
                                multipart_threshold=None)
        v1 = bucket.put_object("big", first).versionid
        bucket.put_object("big", second)
        whole = bucket.get_object("big", params={"versionId": v1}).read()
        target = str(tmp_path / ("big-" + oss.__name__))
        to_file = bucket.get_object_to_file("big", target, params={"versionId": v1})
        with open(target, "rb") as f:
            on_disk = f.read()
        return whole == first, on_disk == first, {"versionid": to_file.versionid}, to_file.content_length
    _, got = run(sides, scenario)
    assert got[:2] == [True, True]


def test_delete_marker_and_missing_version_errors(sides):
    def scenario(oss, bucket):
        enable(oss, bucket)
        bucket.put_object("k", b"v")
        marker = bucket.delete_object("k").versionid
        return ({"versionid": marker},
                _raised(bucket.get_object, "k"),
                _raised(bucket.head_object, "k"),
                _raised(bucket.get_object_meta, "k"),
                bucket.object_exists("k"),
                _raised(bucket.get_object, "k", params={"versionId": marker}),
                _raised(bucket.head_object, "k", params={"versionId": marker}),
                _raised(bucket.get_object, "k", params={"versionId": "CAEQnosuchversion"}),
                _raised(bucket.head_object, "k", params={"versionId": "CAEQnosuchversion"}),
                _raised(bucket.get_object_meta, "k", params={"versionId": "CAEQnosuchversion"}),
                _raised(bucket.delete_object, "k", params={"versionId": "CAEQnosuchversion"}),
                _raised(bucket.get_object_tagging, "k", params={"versionId": "CAEQnosuchversion"}))
    _, got = run(sides, scenario)
    no_such_version = got[7]["__raised__"]
    assert no_such_version["cls"] == "ServerError" or no_such_version["code"] == "NoSuchVersion"
    assert no_such_version["status"] == 404 and no_such_version["code"] == "NoSuchVersion"
    assert got[5]["__raised__"]["status"] == 405


def test_deleting_versions_and_markers_by_id(sides):
    def scenario(oss, bucket):
        enable(oss, bucket)
        v1 = bucket.put_object("k", b"one").versionid
        v2 = bucket.put_object("k", b"two").versionid
        marker = bucket.delete_object("k").versionid
        out = [bucket.delete_object("k", params={"versionId": marker}), bucket.get_object("k").read()]
        out += [bucket.delete_object("k", params={"versionId": v2}), bucket.get_object("k").read()]
        out += [bucket.delete_object("k", params={"versionId": v1}), _raised(bucket.get_object, "k")]
        return out
    _, got = run(sides, scenario)
    assert got[0]["delete_marker"] is True and got[2]["delete_marker"] is None


def test_suspended_bucket_writes_null_versions(sides):
    def scenario(oss, bucket):
        enable(oss, bucket)
        kept = bucket.put_object("k", b"kept")
        enable(oss, bucket, "Suspended")
        null = bucket.put_object("k", b"null")
        return kept, null, bucket.get_object("k", params={"versionId": "null"}).read(), \
            bucket.delete_object("k"), bucket.list_object_versions()
    _, got = run(sides, scenario)
    assert got[1]["versionid"] == "null"


def test_copy_from_a_version_and_version_sub_resources(sides):
    def scenario(oss, bucket):
        enable(oss, bucket)
        v1 = bucket.put_object("src", b"old").versionid
        bucket.put_object("src", b"newer")
        copied = bucket.copy_object(bucket.bucket_name, "src", "dst", params={"versionId": v1})
        rule = oss.models.TaggingRule()
        rule.add("t", "v1")
        put_tag = bucket.put_object_tagging("src", oss.models.Tagging(rule), params={"versionId": v1})
        tags_old = bucket.get_object_tagging("src", params={"versionId": v1})
        tags_new = bucket.get_object_tagging("src")
        del_tag = bucket.delete_object_tagging("src", params={"versionId": v1})
        put_acl = bucket.put_object_acl("src", oss.OBJECT_ACL_PUBLIC_READ, params={"versionId": v1})
        acl_old = bucket.get_object_acl("src", params={"versionId": v1})
        acl_new = bucket.get_object_acl("src")
        return (copied, bucket.get_object("dst").read(), put_tag, tags_old.tag_set.tagging_rule,
                tags_new.tag_set.tagging_rule, del_tag, put_acl, acl_old, acl_new,
                bucket.get_object_tagging("src", params={"versionId": v1}).tag_set.tagging_rule)
    _, got = run(sides, scenario)
    assert got[3] == {"t": "v1"} and got[4] == {} and got[7]["acl"] == "public-read"
    assert got[0]["headers"]["x-oss-copy-source-version-id"].startswith("<v")


def test_copy_of_a_version_in_parts(sides):
    """A source version larger than CopyObject takes is copied as oss2 does it: UploadPartCopy
    parts whose x-oss-copy-source carries ?versionId= (params={"versionId": ...})."""
    old = bytes(range(256)) * 1300  # 332,800 bytes: 4 parts of 100 KiB, the last shorter

    def scenario(oss, bucket):
        enable(oss, bucket)
        v1 = bucket.put_object("src", old).versionid
        bucket.put_object("src", b"newer")
        upload = bucket.init_multipart_upload("dst").upload_id
        parts, step = [], 100 * 1024
        for n, first in enumerate(range(0, len(old), step), 1):
            part = bucket.upload_part_copy(bucket.bucket_name, "src", (first, min(first + step, len(old)) - 1),
                                           "dst", upload, n, params={"versionId": v1})
            parts.append(oss.models.PartInfo(n, part.etag))
        done = bucket.complete_multipart_upload("dst", upload, parts)
        missing = _raised(bucket.upload_part_copy, bucket.bucket_name, "src", (0, 9), "dst",
                          bucket.init_multipart_upload("dst").upload_id, 1, params={"versionId": "nosuchversion"})
        return parts, done, bucket.get_object("dst").read() == old, bucket.get_object("src").read(), missing
    _, got = run(sides, scenario)
    assert got[2] is True and len(got[0]) == 4


def test_restore_a_version(sides):
    def scenario(oss, bucket):
        enable(oss, bucket)
        v1 = bucket.put_object("cold", b"a", headers={"x-oss-storage-class": "Archive"}).versionid
        bucket.put_object("cold", b"b", headers={"x-oss-storage-class": "Archive"})
        return bucket.restore_object("cold", params={"versionId": v1}), \
            _raised(bucket.restore_object, "cold", params={"versionId": v1}), \
            bucket.head_object("cold", params={"versionId": v1}).headers.get("x-oss-restore")
    run(sides, scenario)


def _fill(oss, bucket):
    enable(oss, bucket)
    for key in ("a", "b", "dir/x", "dir/y", "dir/sub/z", "e%&<>", "中文"):
        bucket.put_object(key, b"1" + key.encode())
        bucket.put_object(key, b"2")
    bucket.delete_object("b")
    bucket.delete_object("dir/y")


def test_list_object_versions_whole(sides):
    def scenario(oss, bucket):
        _fill(oss, bucket)
        return bucket.list_object_versions(max_keys=1000)
    _, got = run(sides, scenario)
    assert len(got["versions"]) == 14 and len(got["delete_marker"]) == 2
    assert got["is_truncated"] is False and got["next_key_marker"] == ""


def _pages(bucket, **kw):
    pages, key_marker, vid_marker = [], "", ""
    while True:
        page = bucket.list_object_versions(key_marker=key_marker, versionid_marker=vid_marker, **kw)
        pages.append(page)
        if not page.is_truncated:
            return pages
        key_marker, vid_marker = page.next_key_marker, page.next_versionid_marker


def test_list_object_versions_pages_with_markers(sides):
    def scenario(oss, bucket):
        _fill(oss, bucket)
        return _pages(bucket, max_keys=3)
    _, got = run(sides, scenario)
    assert len(got) == 6 and got[0]["is_truncated"] is True and got[0]["next_versionid_marker"]
    assert sum(len(p["versions"]) + len(p["delete_marker"]) for p in got) == 16


def test_list_object_versions_pages_with_a_delimiter(sides):
    """A page may end on a common prefix: its next_versionid_marker is then empty."""
    def scenario(oss, bucket):
        _fill(oss, bucket)
        return _pages(bucket, delimiter="/", max_keys=2), _pages(bucket, prefix="dir/", delimiter="/", max_keys=1)
    _, got = run(sides, scenario)
    for pages, prefix in ((got[0], "dir/"), (got[1], "dir/sub/")):
        assert [cp for p in pages for cp in p["common_prefix"]] == [prefix]
        assert any(p["is_truncated"] and p["next_key_marker"] == prefix and p["next_versionid_marker"] == ""
                   for p in pages)
    assert sum(len(p["versions"]) + len(p["delete_marker"]) for p in got[1]) == 5  # dir/x twice, dir/y twice and its delete marker


def test_list_object_versions_with_prefix_delimiter_and_key_marker_alone(sides):
    def scenario(oss, bucket):
        _fill(oss, bucket)
        return (bucket.list_object_versions(delimiter="/"),
                bucket.list_object_versions(prefix="dir/", delimiter="/"),
                bucket.list_object_versions(prefix="dir/", delimiter="/", max_keys=4),
                bucket.list_object_versions(key_marker="dir/x"),
                bucket.list_object_versions(prefix="nothing"),
                bucket.list_object_versions(prefix="e%&<>", headers={"x-oss-meta-ignored": "1"}))
    _, got = run(sides, scenario)
    assert got[0]["common_prefix"] == ["dir/"] and got[1]["common_prefix"] == ["dir/sub/"]
    assert got[4]["versions"] == [] and got[5]["versions"][0]["key"] == "e%&<>"


def test_list_object_versions_of_an_unversioned_bucket_and_errors(sides):
    def scenario(oss, bucket):
        bucket.put_object("plain", b"x")
        missing = oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name + "-missing")
        return bucket.list_object_versions(), _raised(missing.list_object_versions)
    _, got = run(sides, scenario)
    assert got[0]["versions"][0]["versionid"] == "null"


def _version_list(oss, entries):
    out = oss.models.BatchDeleteObjectVersionList()
    for key, vid in entries:
        out.append(oss.models.BatchDeleteObjectVersion(key, vid))
    return out


def test_delete_object_versions_with_and_without_version_ids(sides):
    def scenario(oss, bucket):
        enable(oss, bucket)
        v1 = bucket.put_object("k", b"one").versionid
        bucket.put_object("k", b"two")
        bucket.put_object("other", b"x")
        bucket.put_object("m", b"m")
        marker = bucket.delete_object("m").versionid
        first = bucket.delete_object_versions(_version_list(oss, [("k", v1), ("other", None), ("m", marker),
                                                                  ("never", "")]))
        return first, bucket.list_object_versions(), \
            bucket.delete_object_versions(_version_list(oss, [("k", "")]), headers={"x-oss-meta-x": "1"})
    _, got = run(sides, scenario)
    versions = {d["key"]: d for d in got[0]["delete_versions"]}
    assert versions["k"]["versionid"] == "<v0>" and versions["other"]["delete_marker"] is True
    assert versions["m"]["delete_marker"] is True


def test_delete_object_versions_of_odd_keys(sides):
    keys = ["a&b", "<x>", "sp ace", "中文", "q?versionId=1"]

    def scenario(oss, bucket):
        enable(oss, bucket)
        entries = [(k, bucket.put_object(k, b"x").versionid) for k in keys]
        return bucket.delete_object_versions(_version_list(oss, entries)), bucket.list_object_versions()
    _, got = run(sides, scenario)
    assert sorted(got[0]["deleted_keys"]) == sorted(keys) and got[1]["versions"] == []


def test_delete_object_versions_refuses_an_empty_list():
    import pyjindo

    b = pyjindo.Bucket(pyjindo.Auth("ak", "sk"), "127.0.0.1:9", "bkt")
    for empty in ([], None, pyjindo.models.BatchDeleteObjectVersionList()):
        try:
            b.delete_object_versions(empty)
        except pyjindo.exceptions.ClientError as e:
            assert re.search("keylist_versions should not be empty", str(e))
        else:
            raise AssertionError("accepted %r" % (empty,))
