"""OSSFileSystem(version_aware=True), as s3fs spells it: version_id= on open, cat_file and info,
`?versionId=` in paths, object_version_info; without version_aware a version id is refused."""
import asyncio
import secrets

import fsspec
import pytest

import pyjindo
from pyjindo.fs import OSSFileSystem
from pyjindo.models import BatchDeleteObjectVersion, BatchDeleteObjectVersionList, BucketVersioningConfig


@pytest.fixture
def vfs(oss_options):
    return OSSFileSystem(version_aware=True, skip_instance_cache=True, **oss_options)


@pytest.fixture
def versioned(server, vfs):
    """A fresh versioned bucket; every version and delete marker is removed afterwards."""
    name = "fsv-" + secrets.token_hex(6)
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, name)
    b.create_bucket()
    b.put_bucket_versioning(BucketVersioningConfig("Enabled"))
    yield b
    while True:
        page = b.list_object_versions(max_keys=1000)
        entries = [BatchDeleteObjectVersion(v.key, v.versionid) for v in page.versions + page.delete_marker]
        if entries:
            b.delete_object_versions(BatchDeleteObjectVersionList(entries))
        if not page.is_truncated:
            break
    b.delete_bucket()
    OSSFileSystem.clear_instance_cache()


def test_versions_by_argument_and_by_path(vfs, versioned, oss_options):
    name = versioned.bucket_name
    v1 = versioned.put_object("k", b"first").versionid
    v2 = versioned.put_object("k", b"second!").versionid
    path = name + "/k"
    assert vfs.cat_file(path) == b"second!"
    assert vfs.cat_file(path, version_id=v1) == b"first"
    assert vfs.cat_file("oss://%s?versionId=%s" % (path, v1)) == b"first"
    assert vfs.cat("%s?versionId=%s" % (path, v1)) == b"first"
    assert vfs.cat_file(path, start=1, end=3, version_id=v1) == b"ir"
    assert vfs.cat_file(path, start=-2, version_id=v1) == b"st"
    assert vfs.cat_file(path, start=-4, end=-1, version_id=v1) == b"irs"
    assert vfs.cat_ranges(["%s?versionId=%s" % (path, v1), path], [-3, -3], [None, -1]) == [b"rst", b"nd"]
    with vfs.open(path, version_id=v1) as f:
        assert f.read() == b"first"
        f.seek(2)
        assert f.read(2) == b"rs"
    with vfs.open("%s?versionId=%s" % (path, v1), "rb") as f:
        assert f.read() == b"first"
    with fsspec.open("oss://%s?versionId=%s" % (path, v1), "rb", version_aware=True, skip_instance_cache=True,
                     **oss_options) as f:
        assert f.read() == b"first"
    info = vfs.info(path, version_id=v1)
    assert info["size"] == 5 and info["VersionId"] == v1 and info["name"] == path
    assert vfs.info("%s?versionId=%s" % (path, v1))["size"] == 5
    assert vfs.info(path)["VersionId"] == v2
    vfs.ls(name)  # a listing in the cache: info still carries the version id
    assert vfs.info(path)["VersionId"] == v2
    many = vfs.cat([path, "%s?versionId=%s" % (path, v1)])
    assert many == {path: b"second!", "%s?versionId=%s" % (path, v1): b"first"}
    with pytest.raises(ValueError, match="differs"):
        vfs.cat_file("%s?versionId=%s" % (path, v1), version_id=v2)


def test_a_large_version_reads_in_parts(vfs, versioned, tmp_path):
    data = bytes(range(256)) * 4096  # 1 MiB
    v1 = versioned.put_object("big", data).versionid
    versioned.put_object("big", b"small")
    path = versioned.bucket_name + "/big"
    with vfs.open(path, version_id=v1, block_size=256 * 1024) as f:  # the Go prefetching reader
        assert f.size == len(data) and f.details["size"] == len(data)
        f.seek(300000)
        assert f.read(100000) == data[300000:400000]
        versioned.put_object("big", b"newest")  # a newer latest changes nothing for this version
        f.seek(900000)
        assert f.read() == data[900000:]
        f.seek(10)
        assert f.read(10) == data[10:20]
    vfs.get_file("%s?versionId=%s" % (path, v1), str(tmp_path / "big"))
    assert (tmp_path / "big").read_bytes() == data
    vfs.get("%s?versionId=%s" % (path, v1), str(tmp_path / "viaget"))  # fsspec's get: "?" is no glob here
    (tmp_path / "into").mkdir()
    vfs.get("%s?versionId=%s" % (path, v1), str(tmp_path / "into"))
    assert (tmp_path / "viaget").read_bytes() == (tmp_path / "into" / "big").read_bytes() == data


def test_object_version_info_and_deleting_a_version(vfs, versioned):
    name = versioned.bucket_name
    ids = [versioned.put_object("k", b"x" * n).versionid for n in (1, 2, 3)]
    versioned.put_object("k2", b"other key")
    versioned.delete_object("k")  # a delete marker: not a version
    got = vfs.object_version_info(name + "/k")
    assert [v["VersionId"] for v in got] == ids[::-1]
    assert [v["Size"] for v in got] == [3, 2, 1] and not any(v["IsLatest"] for v in got)
    assert set(got[0]) == {"Key", "VersionId", "IsLatest", "LastModified", "ETag", "Size", "StorageClass"}
    assert got[0]["LastModified"].tzinfo is not None
    with pytest.raises(FileNotFoundError):
        vfs.info(name + "/k")
    assert vfs.cat_file(name + "/k", version_id=ids[0]) == b"x"
    vfs.rm_file("%s/k?versionId=%s" % (name, ids[0]))  # that version, for good
    assert [v["VersionId"] for v in vfs.object_version_info(name + "/k")] == ids[:0:-1]
    with pytest.raises(FileNotFoundError):
        vfs.cat_file(name + "/k", version_id=ids[0])


def test_ls_and_find_list_every_version(vfs, versioned):
    """versions=True as s3fs: one entry a version named `key?versionId=ID`, delete markers left
    out (a deleted key's versions stay listed), directories as usual, nothing cached."""
    name = versioned.bucket_name
    k1 = versioned.put_object("d/k", b"1").versionid
    k2 = versioned.put_object("d/k", b"22").versionid
    gone = versioned.put_object("d/gone", b"x").versionid
    versioned.delete_object("d/gone")
    sub = versioned.put_object("d/sub/x", b"xyz").versionid
    at = (name + "/d/%s?versionId=%s").__mod__
    assert vfs.ls(name + "/d", detail=False) == [name + "/d/k", name + "/d/sub"]
    listed = vfs.ls(name + "/d", versions=True)
    assert [e["name"] for e in listed] == sorted([at(("gone", gone)), at(("k", k1)), at(("k", k2)), name + "/d/sub"])
    by_id = {e.get("VersionId"): e for e in listed}
    assert by_id[k1]["size"] == 1 and by_id[k2]["size"] == 2 and by_id[k2]["IsLatest"] and not by_id[k1]["IsLatest"]
    assert by_id[gone]["type"] == "file" and not by_id[gone]["IsLatest"]
    assert vfs.cat(at(("k", k1))) == b"1"
    assert vfs.ls(name + "/d/k", versions=True, detail=False) == sorted([at(("k", k1)), at(("k", k2))])
    versioned.put_object("d/k", b"333")  # not cached: a new version shows at once
    assert len(vfs.ls(name + "/d", versions=True)) == 5
    assert vfs.find(name + "/d", versions=True)[-1] == at(("sub/x", sub))
    assert len(vfs.find(name + "/d", versions=True)) == 5
    assert vfs.find(name + "/d", maxdepth=1, versions=True) == vfs.ls(name + "/d", versions=True, detail=False)[:-1]
    assert vfs.find(name + "/d/k", versions=True, detail=True)[at(("k", k2))]["VersionId"] == k2
    with pytest.raises(FileNotFoundError):
        vfs.ls(name + "/nothing", versions=True)
    assert vfs.find(name + "/nothing", versions=True) == []
    versioned.put_bucket_versioning(BucketVersioningConfig("Suspended"))
    versioned.put_object("n", b"null version")
    assert vfs.ls(name + "/n", versions=True, detail=True)[0]["name"] == name + "/n"  # the null version


def test_async_ls_and_find_with_versions(vfs, versioned, oss_options):
    name = versioned.bucket_name
    ids = [versioned.put_object("d/k", b).versionid for b in (b"1", b"22")]

    async def run():
        fs = fsspec.filesystem("oss", asynchronous=True, version_aware=True, skip_instance_cache=True, **oss_options)
        return (await fs._ls(name + "/d", versions=True, detail=False), await fs._find(name, versions=True),
                await fs._find(name, maxdepth=2, versions=True))
    want = sorted("%s/d/k?versionId=%s" % (name, v) for v in ids)
    assert asyncio.run(run()) == (want, want, want) and vfs.find(name, versions=True) == want


def test_writing_a_version_is_refused(vfs, versioned):
    v = versioned.put_object("k", b"x").versionid
    with pytest.raises(ValueError):
        vfs.open(versioned.bucket_name + "/k", "wb", version_id=v)
    with pytest.raises(ValueError):
        vfs.open("%s/k?versionId=%s" % (versioned.bucket_name, v), "wb")


def test_without_version_aware_a_version_id_is_refused(ossfs, versioned):
    name = versioned.bucket_name
    v = versioned.put_object("k", b"x").versionid
    assert not ossfs.version_aware
    for call in (lambda: ossfs.cat_file(name + "/k", version_id=v), lambda: ossfs.open(name + "/k", version_id=v),
                 lambda: ossfs.info(name + "/k", version_id=v), lambda: ossfs.object_version_info(name + "/k")):
        with pytest.raises(ValueError, match="version"):
            call()
    # "?versionId=" is then part of the key, as before
    ossfs.pipe_file("%s/q?versionId=1" % name, b"literal")
    assert versioned.get_object("q?versionId=1").read() == b"literal"
    assert ossfs.cat_file("%s/q?versionId=1" % name) == b"literal"
    assert "VersionId" not in ossfs.info(name + "/k")
    for call in (lambda: ossfs.ls(name, versions=True), lambda: ossfs.find(name, versions=True),
                 lambda: ossfs.find(name, maxdepth=1, versions=True)):
        with pytest.raises(ValueError, match="versions cannot be specified if the filesystem is not version aware"):
            call()


def test_copying_a_version_whole_and_in_parts(vfs, versioned, monkeypatch):
    import pyjindo.fs as pjfs
    name = versioned.bucket_name
    old = bytes(range(256)) * 1200  # 300 KiB
    v1 = versioned.put_object("src", old, headers={"x-oss-meta-gen": "one"}).versionid
    versioned.put_object("src", b"newer", headers={"x-oss-meta-gen": "two"})
    vfs.cp_file("%s/src?versionId=%s" % (name, v1), name + "/whole")
    assert vfs.cat_file(name + "/whole") == old
    monkeypatch.setattr(pjfs, "MULTIPART_COPY_THRESHOLD", 100 * 1024)
    monkeypatch.setattr(pjfs, "_COPY_PART", 100 * 1024)
    vfs.cp_file("%s/src?versionId=%s" % (name, v1), name + "/parts")
    head = versioned.head_object("parts")
    assert head.object_type == "Multipart" and head.headers["x-oss-meta-gen"] == "one"
    assert vfs.cat_file(name + "/parts") == old
    assert vfs.cat_file(name + "/src") == b"newer"
    vfs.copy("%s/src?versionId=%s" % (name, v1), name + "/c")  # fsspec's copy: "?" is no glob here
    vfs.copy("%s/src?versionId=%s" % (name, v1), name + "/into/")
    assert vfs.cat_file(name + "/c") == vfs.cat_file(name + "/into/src") == old
