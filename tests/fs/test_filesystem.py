"""OSSFileSystem's methods against jindo server: listing, ranges, writes, errors, file objects."""
import datetime
import io
import os
import pickle

import fsspec
import pytest
import requests

import pyjindo
from pyjindo import fs as pjfs
from pyjindo.fs import OSSFileSystem


def test_protocol_oss_resolves_to_pyjindo(oss_options):
    fs = fsspec.filesystem("oss", **oss_options)
    assert isinstance(fs, OSSFileSystem)
    assert fsspec.get_filesystem_class("oss") is OSSFileSystem


def test_paths_with_and_without_protocol_are_the_same(ossfs, bucket):
    ossfs.pipe_file("oss://%s/a/b.txt" % bucket, b"x")
    assert ossfs.cat_file(bucket + "/a/b.txt") == b"x"
    assert ossfs.ls("oss://" + bucket, detail=False) == [bucket + "/a"]


def test_ls_shows_prefixes_and_markers_as_directories(ossfs, bucket):
    ossfs.pipe({bucket + "/d/f1": b"1", bucket + "/d/sub/f2": b"22", bucket + "/top": b"t"})
    ossfs.mkdir(bucket + "/d/empty")  # a `key/` marker only
    listing = ossfs.ls(bucket + "/d", detail=True)
    assert {(e["name"], e["type"]) for e in listing} == {
        (bucket + "/d/f1", "file"), (bucket + "/d/sub", "directory"), (bucket + "/d/empty", "directory")}
    assert ossfs.ls(bucket + "/d/empty") == []
    assert ossfs.isdir(bucket + "/d/empty") and ossfs.isdir(bucket + "/d/sub")
    assert ossfs.isfile(bucket + "/top") and not ossfs.isdir(bucket + "/top")
    assert ossfs.ls(bucket + "/top", detail=False) == [bucket + "/top"]
    with pytest.raises(FileNotFoundError):
        ossfs.ls(bucket + "/nothing")
    assert not ossfs.exists(bucket + "/d/f")  # a prefix of a name is not a directory


def test_listing_cache_is_invalidated_by_writes(ossfs, bucket):
    ossfs.pipe_file(bucket + "/c/one", b"1")
    assert ossfs.ls(bucket + "/c", detail=False) == [bucket + "/c/one"]
    ossfs.pipe_file(bucket + "/c/two", b"2")
    assert ossfs.ls(bucket + "/c", detail=False) == [bucket + "/c/one", bucket + "/c/two"]
    with ossfs.open(bucket + "/c/three", "wb") as f:
        f.write(b"3")
    assert len(ossfs.ls(bucket + "/c")) == 3
    ossfs.rm(bucket + "/c/one")
    assert ossfs.ls(bucket + "/c", detail=False) == [bucket + "/c/three", bucket + "/c/two"]


def test_find_maxdepth_withdirs_and_glob(ossfs, bucket):
    ossfs.pipe({bucket + "/r/a": b"", bucket + "/r/x/b": b"", bucket + "/r/x/y/c.csv": b""})
    r = bucket + "/r"
    assert ossfs.find(r) == [r + "/a", r + "/x/b", r + "/x/y/c.csv"]
    assert ossfs.find(r, withdirs=True) == [r, r + "/a", r + "/x", r + "/x/b", r + "/x/y", r + "/x/y/c.csv"]
    assert ossfs.find(r, maxdepth=1) == [r + "/a"]
    assert ossfs.find(r, maxdepth=2, withdirs=True) == [r, r + "/a", r + "/x", r + "/x/b", r + "/x/y"]
    assert ossfs.glob(r + "/**/*.csv") == [r + "/x/y/c.csv"]
    assert ossfs.glob("oss://" + r + "/x/*") == [r + "/x/b", r + "/x/y"]
    assert ossfs.du(r) == 0
    assert ossfs.find(r + "/a") == [r + "/a"]


def test_cat_file_ranges_as_python_slices(ossfs, bucket):
    data = bytes(range(256)) * 4
    path = bucket + "/ranges"
    ossfs.pipe_file(path, data)
    for start, end in [(None, None), (0, 10), (10, None), (-5, None), (5, -5), (1000, 2000), (2000, None),
                       (20, 10), (None, 3), (-2000, 4)]:
        assert ossfs.cat_file(path, start, end) == data[start:end], (start, end)
    assert ossfs.cat_ranges([path, path, bucket + "/missing"], [0, 100, 0], [4, 104, 1]) [:2] == [
        data[0:4], data[100:104]]
    assert isinstance(ossfs.cat_ranges([bucket + "/missing"], [0], [1])[0], FileNotFoundError)


def test_cat_of_many_paths_keeps_order_and_reports_errors_per_path(ossfs, bucket):
    paths = [bucket + "/many/%03d" % i for i in range(50)]
    ossfs.pipe({p: p.encode() for p in paths})
    out = ossfs.cat(paths)
    assert list(out) == paths and all(out[p] == p.encode() for p in paths)
    out = ossfs.cat([paths[0], bucket + "/many/none"], on_error="return")
    assert out[paths[0]] == paths[0].encode() and isinstance(out[bucket + "/many/none"], FileNotFoundError)
    assert list(ossfs.cat([paths[0], bucket + "/many/none"], on_error="omit")) == [paths[0]]
    with pytest.raises(FileNotFoundError):
        ossfs.cat([paths[0], bucket + "/many/none"])


def test_large_objects_go_up_multipart_and_come_down_whole(oss_options, bucket, tmp_path):
    fs = OSSFileSystem(multipart_threshold=1024 * 1024, part_size=256 * 1024, skip_instance_cache=True,
                       **oss_options)
    data = os.urandom(3 * 1024 * 1024 + 5)
    fs.pipe_file(bucket + "/big", data)
    assert fs.info(bucket + "/big")["object_type"] == "Multipart"
    assert fs.cat_file(bucket + "/big") == data
    local = tmp_path / "big"
    local.write_bytes(data[::-1])
    fs.put_file(str(local), bucket + "/big2")
    fs.get_file(bucket + "/big2", str(tmp_path / "back"))
    assert (tmp_path / "back").read_bytes() == data[::-1]
    assert sorted(os.listdir(tmp_path)) == ["back", "big"]  # no temporary file left behind


def test_pipe_create_refuses_an_existing_object(ossfs, bucket):
    path = bucket + "/once"
    ossfs.pipe_file(path, b"1", mode="create")
    with pytest.raises(FileExistsError):
        ossfs.pipe_file(path, b"2", mode="create")
    assert ossfs.cat_file(path) == b"1"


def test_cp_is_server_side_and_multipart_above_threshold(ossfs, bucket, monkeypatch):
    data = os.urandom(700 * 1024)
    ossfs.pipe_file(bucket + "/src", data)
    ossfs.cp_file(bucket + "/src", bucket + "/dst")
    assert ossfs.cat_file(bucket + "/dst") == data
    monkeypatch.setattr(pjfs, "MULTIPART_COPY_THRESHOLD", 100 * 1024)
    monkeypatch.setattr(pjfs, "_COPY_PART", 200 * 1024)
    ossfs.cp_file(bucket + "/src", bucket + "/dst2")
    assert ossfs.info(bucket + "/dst2")["object_type"] == "Multipart"
    assert ossfs.cat_file(bucket + "/dst2") == data
    ossfs.mv(bucket + "/dst2", bucket + "/moved")
    assert not ossfs.exists(bucket + "/dst2") and ossfs.cat_file(bucket + "/moved") == data


def test_rm_recursive_deletes_everything_under_a_prefix_in_batches(ossfs, bucket):
    paths = {bucket + "/del/%04d" % i: b"" for i in range(1200)}
    paths[bucket + "/keep"] = b""
    ossfs.pipe(paths)
    ossfs.mkdir(bucket + "/del/marker")
    ossfs.rm(bucket + "/del", recursive=True)
    assert ossfs.find(bucket, withdirs=True) == [bucket, bucket + "/keep"]


def test_errors_are_builtin_oserrors(ossfs, oss_options, bucket):
    with pytest.raises(FileNotFoundError):
        ossfs.cat_file(bucket + "/missing")
    with pytest.raises(FileNotFoundError):
        ossfs.info("no-such-bucket-here/key")
    with pytest.raises(FileNotFoundError):
        ossfs.open(bucket + "/missing", "rb")
    bad = OSSFileSystem(endpoint=oss_options["endpoint"], key=oss_options["key"], secret="wrong",
                        skip_instance_cache=True)
    with pytest.raises(PermissionError) as e:
        bad.cat_file(bucket + "/x")
    assert isinstance(e.value.__cause__, pyjindo.exceptions.OssError)
    anon = OSSFileSystem(endpoint=oss_options["endpoint"], anonymous=True, skip_instance_cache=True)
    with pytest.raises(PermissionError):
        anon.pipe_file(bucket + "/x", b"")
    with pytest.raises(FileExistsError):
        ossfs.makedirs(bucket)
    ossfs.pipe_file(bucket + "/full/x", b"")
    with pytest.raises(OSError):
        ossfs.rmdir(bucket)


def test_credentials_provider_is_asked_for_each_request(oss_options, bucket):
    class Rotating(pyjindo.CredentialsProvider):
        calls = 0

        def get_credentials(self):
            Rotating.calls += 1
            return pyjindo.credentials.Credentials(oss_options["key"], oss_options["secret"], "")

    fs = OSSFileSystem(endpoint=oss_options["endpoint"], auth=Rotating(), skip_instance_cache=True)
    fs.pipe_file(bucket + "/p", b"1")
    before = Rotating.calls
    assert fs.cat_file(bucket + "/p") == b"1"
    assert Rotating.calls > before


def test_metadata_checksum_and_signed_url(ossfs, bucket):
    ossfs.pipe_file(bucket + "/m", b"hello")
    t = ossfs.modified(bucket + "/m")
    assert t.tzinfo is not None and abs(datetime.datetime.now(datetime.timezone.utc) - t).total_seconds() < 300
    assert ossfs.created(bucket + "/m") == t
    first = ossfs.checksum(bucket + "/m")
    assert first == ossfs.info(bucket + "/m")["crc64"]
    ossfs.pipe_file(bucket + "/m", b"world")
    assert ossfs.checksum(bucket + "/m") != first
    assert ossfs.ukey(bucket + "/m")
    url = ossfs.sign(bucket + "/m", expiration=60)
    assert requests.get(url, timeout=10).content == b"world"


def test_open_rb_reads_randomly_and_wb_streams_multipart(oss_options, bucket):
    fs = OSSFileSystem(part_size=128 * 1024, skip_instance_cache=True, **oss_options)
    data = os.urandom(600 * 1024)
    with fs.open(bucket + "/w", "wb") as f:
        for i in range(0, len(data), 50000):
            f.write(data[i:i + 50000])
    assert fs.info(bucket + "/w")["object_type"] == "Multipart"
    with fs.open(bucket + "/w", "rb") as f:
        assert f.read(10) == data[:10]
        chunks = [f.read(30000) for _ in range(5)]  # sequential: Go's reader prefetches ahead
        assert b"".join(chunks) == data[10:150010] and f.tell() == 150010
        f.seek(500000)
        assert f.read(100) == data[500000:500100]
        f.seek(-7, io.SEEK_END)
        assert f.read() == data[-7:]
        f.seek(0)
        assert f.read() == data


def test_wb_aborted_when_the_with_block_raises(oss_options, bucket):
    fs = OSSFileSystem(part_size=128 * 1024, skip_instance_cache=True, **oss_options)
    with pytest.raises(RuntimeError):
        with fs.open(bucket + "/aborted", "wb") as f:
            f.write(os.urandom(300 * 1024))  # two parts handed to Go: the multipart upload exists
            assert [u.key for u in fs._bucket(bucket).list_multipart_uploads().upload_list] == ["aborted"]
            raise RuntimeError("stop")
    assert not fs.exists(bucket + "/aborted")
    assert fs._bucket(bucket).list_multipart_uploads().upload_list == []


def test_xb_refuses_an_object_created_while_writing(ossfs, bucket):
    with ossfs.open(bucket + "/x", "xb") as f:
        f.write(b"mine")
    with pytest.raises(FileExistsError):
        ossfs.open(bucket + "/x", "xb")
    f = ossfs.open(bucket + "/race", "xb")
    f.write(b"late")
    ossfs.pipe_file(bucket + "/race", b"first")
    with pytest.raises(FileExistsError):
        f.close()
    assert ossfs.cat_file(bucket + "/race") == b"first"


def test_filesystem_pickles_without_its_sessions(ossfs, bucket):
    ossfs.pipe_file(bucket + "/pk", b"1")
    clone = pickle.loads(pickle.dumps(ossfs))
    assert clone.cat_file(bucket + "/pk") == b"1"


@pytest.mark.parametrize("on_error", ["raise", "omit", "return"])
def test_cat_on_error_with_missing_paths(ossfs, bucket, on_error):
    present = [bucket + "/oe/%d" % i for i in range(5)]
    ossfs.pipe({p: p.encode() for p in present})
    missing = [bucket + "/oe/none-a", bucket + "/oe/none-b"]
    paths = present[:2] + [missing[0]] + present[2:] + [missing[1]]
    if on_error == "raise":
        with pytest.raises(FileNotFoundError) as e:
            ossfs.cat(paths, on_error="raise")
        assert e.value.filename == missing[0]  # the first failure, in path order
        assert isinstance(e.value.__cause__, pyjindo.exceptions.NoSuchKey)
        return
    out = ossfs.cat(paths, on_error=on_error)
    if on_error == "omit":
        assert list(out) == present and all(out[p] == p.encode() for p in present)
    else:
        assert list(out) == sorted(paths)  # fsspec's expand_path sorts
        assert all(out[p] == p.encode() for p in present)
        assert all(isinstance(out[p], FileNotFoundError) and out[p].filename == p for p in missing)


def test_cat_ranges_raise_and_cat_with_a_range(ossfs, bucket):
    ossfs.pipe({bucket + "/cr/a": b"0123456789", bucket + "/cr/b": b"abcdefghij"})
    paths = [bucket + "/cr/a", bucket + "/cr/b"]
    assert ossfs.cat(paths, start=2, end=5) == {paths[0]: b"234", paths[1]: b"cde"}
    assert ossfs.cat_ranges(paths, [-3, 8], [None, -1]) == [b"789", b"i"]
    with pytest.raises(FileNotFoundError):
        ossfs.cat_ranges(paths + [bucket + "/cr/none"], 0, 1, on_error="raise")
    assert ossfs.sizes(paths + [bucket + "/cr"]) == [10, 10, 0]


def test_get_and_put_many_files(ossfs, bucket, tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    for i in range(30):
        (src / ("sub" if i % 2 else "") / ("f%02d" % i)).write_bytes(b"%d" % i * (i + 1))
    ossfs.put(str(src) + "/", bucket + "/up/", recursive=True)
    assert len(ossfs.find(bucket + "/up")) == 30
    with pytest.raises(FileExistsError):
        ossfs.put(str(src / "f00"), bucket + "/up/f00", mode="create")
    ossfs.get(bucket + "/up/", str(tmp_path / "back") + "/", recursive=True)
    for f in src.rglob("f*"):
        assert (tmp_path / "back" / f.relative_to(src)).read_bytes() == f.read_bytes()
    with pytest.raises(FileNotFoundError):
        ossfs.get([bucket + "/up/f00", bucket + "/up/none"], [str(tmp_path / "x0"), str(tmp_path / "x1")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back", "src", "x0"]  # no partial file


def test_wb_shows_nothing_until_close(oss_options, bucket):
    fs = OSSFileSystem(part_size=128 * 1024, skip_instance_cache=True, **oss_options)
    other = OSSFileSystem(skip_instance_cache=True, **oss_options)  # no listing cache shared
    data = os.urandom(400 * 1024 + 7)
    f = fs.open(bucket + "/streamed", "wb")
    f.write(data[:300 * 1024])  # two full parts: uploaded in the background
    assert isinstance(f._writer, pyjindo._writer.ObjectWriter)
    assert not other.exists(bucket + "/streamed")
    f.write(data[300 * 1024:])
    assert f.tell() == len(data) and not other.exists(bucket + "/streamed")
    f.close()
    assert other.cat_file(bucket + "/streamed") == data
    assert other.info(bucket + "/streamed")["object_type"] == "Multipart"
    assert fs._bucket(bucket).list_multipart_uploads().upload_list == []


def test_wb_discard_and_failed_part_leave_no_upload(oss_options, bucket):
    fs = OSSFileSystem(part_size=128 * 1024, skip_instance_cache=True, **oss_options)
    f = fs.open(bucket + "/dropped", "wb")
    f.write(os.urandom(200 * 1024))
    f.discard()
    assert f.closed and not fs.exists(bucket + "/dropped")
    assert fs._bucket(bucket).list_multipart_uploads().upload_list == []
    with pytest.raises(NotImplementedError):
        fs.open(bucket + "/dropped", "ab")
