"""oss2's checkpoint records shared with pyjindo (issue 22, item 3): a resumable_upload or
resumable_download interrupted under one resumes under the other, sending or fetching only what
is missing; a record whose file or object changed is discarded; the record is gone after success.

Jobs are interrupted the way a program dies mid-transfer, deterministically: one thread, and a
progress_callback (called before each part, by both) that raises once N parts are done.
"""
import json
import os
import threading
import time

import oss2
import pytest

import pyjindo

KB = 1024
PART = 100 * KB
SIZE = 5 * PART - 7 * KB  # five parts, the last short
UPLOAD_FIELDS = {"op_type", "upload_id", "file_path", "size", "mtime", "bucket", "key", "part_size"}
DOWNLOAD_FIELDS = {"op_type", "bucket", "key", "size", "mtime", "etag", "part_size", "file_path", "tmp_suffix", "parts"}


class Interrupted(Exception):
    pass


def stop_after(parts):
    def callback(consumed, total):
        if consumed >= parts * PART and consumed < total:
            raise Interrupted()
    return callback


def content(seed):
    return bytes((i * seed + i // 7) % 251 for i in range(SIZE))


@pytest.fixture
def pair(sides):
    """The same bucket through oss2 and through pyjindo."""
    b = sides.fresh_bucket(oss2)
    return b, pyjindo.Bucket(pyjindo.Auth(sides.server.access_key_id, sides.server.access_key_secret),
                             sides.server.endpoint, b.bucket_name)


def spy(bucket, method, calls):
    """Record each call of bucket.method (the instance's, not the class's): the part number of an
    upload_part, the byte_range of a get_object."""
    real = getattr(bucket, method)

    def wrapper(*args, **kwargs):
        calls.append(args[2] if method == "upload_part" else kwargs.get("byte_range"))
        return real(*args, **kwargs)
    setattr(bucket, method, wrapper)


def records(directory):
    return {name: json.load(open(os.path.join(directory, name))) for name in os.listdir(directory)}


def upload(oss, bucket, path, store_dir, **kw):
    kw.setdefault("num_threads", 1)
    return oss.resumable_upload(bucket, "obj", str(path), store=oss.ResumableStore(root=str(store_dir)),
                                multipart_threshold=PART, part_size=PART, **kw)


def download(oss, bucket, path, store_dir, **kw):
    kw.setdefault("num_threads", 1)
    oss.resumable_download(bucket, "obj", str(path), store=oss.ResumableDownloadStore(root=str(store_dir)),
                           multiget_threshold=PART, part_size=PART, **kw)


@pytest.mark.parametrize("first,second", [(oss2, pyjindo), (pyjindo, oss2)], ids=["oss2-then-pyjindo", "pyjindo-then-oss2"])
def test_interrupted_upload_resumes_under_the_other(pair, tmp_path, first, second):
    buckets = {oss2: pair[0], pyjindo: pair[1]}
    src = tmp_path / "src.bin"
    src.write_bytes(content(3))
    with pytest.raises(Interrupted):
        upload(first, buckets[first], src, tmp_path / "store", progress_callback=stop_after(2))

    (name, record), = records(str(tmp_path / "store" / ".py-oss-upload")).items()
    assert name == oss2.ResumableStore.make_store_key(pair[0].bucket_name, "obj", str(src))
    assert set(record) == UPLOAD_FIELDS
    assert (record["op_type"], record["file_path"], record["size"], record["part_size"], record["key"]) == \
        ("ResumableUpload", str(src), SIZE, PART, "obj")
    assert record["mtime"] == os.path.getmtime(str(src))
    stored = pair[0].list_parts("obj", record["upload_id"]).parts
    assert [p.part_number for p in stored] == [1, 2]

    sent = []
    spy(buckets[second], "upload_part", sent)
    upload(second, buckets[second], src, tmp_path / "store")
    assert sent == [3, 4, 5]  # parts 1 and 2 were not sent again
    assert pair[0].get_object("obj").read() == content(3)
    assert pair[0].head_object("obj").etag.endswith("-5")
    assert records(str(tmp_path / "store" / ".py-oss-upload")) == {}
    assert list(oss2.MultipartUploadIterator(pair[0])) == []


@pytest.mark.parametrize("first,second", [(oss2, pyjindo), (pyjindo, oss2)], ids=["oss2-then-pyjindo", "pyjindo-then-oss2"])
def test_interrupted_download_resumes_under_the_other(pair, tmp_path, first, second):
    buckets = {oss2: pair[0], pyjindo: pair[1]}
    pair[0].put_object("obj", content(5))
    target = tmp_path / "out.bin"
    with pytest.raises(Interrupted):
        download(first, buckets[first], target, tmp_path / "store", progress_callback=stop_after(2))

    (name, record), = records(str(tmp_path / "store" / ".py-oss-download")).items()
    assert name == oss2.ResumableDownloadStore.make_store_key(pair[0].bucket_name, "obj", str(target))
    assert set(record) == DOWNLOAD_FIELDS
    head = pair[0].head_object("obj")
    assert (record["op_type"], record["size"], record["etag"], record["mtime"], record["part_size"]) == \
        ("ResumableDownload", SIZE, head.etag, head.last_modified, PART)
    assert record["tmp_suffix"].startswith(".tmp-") and len(record["tmp_suffix"]) == 17
    assert [(p["part_number"], p["start"], p["end"]) for p in record["parts"]] == [(1, 0, PART), (2, PART, 2 * PART)]
    assert all(isinstance(p["part_crc"], int) for p in record["parts"])
    assert not target.exists() and os.path.exists(str(target) + record["tmp_suffix"])

    fetched = []
    spy(buckets[second], "get_object", fetched)
    download(second, buckets[second], target, tmp_path / "store")
    assert fetched == [(2 * PART, 3 * PART - 1), (3 * PART, 4 * PART - 1), (4 * PART, SIZE - 1)]
    assert target.read_bytes() == content(5)
    assert records(str(tmp_path / "store" / ".py-oss-download")) == {}
    assert sorted(os.listdir(str(tmp_path))) == ["out.bin", "store"]  # the temporary file was renamed


@pytest.mark.parametrize("first", [oss2, pyjindo], ids=["oss2-record", "pyjindo-record"])
def test_changed_file_discards_the_record_and_aborts_its_upload(pair, tmp_path, first):
    buckets = {oss2: pair[0], pyjindo: pair[1]}
    src = tmp_path / "src.bin"
    src.write_bytes(content(3))
    with pytest.raises(Interrupted):
        upload(first, buckets[first], src, tmp_path / "store", progress_callback=stop_after(2))
    (old,) = records(str(tmp_path / "store" / ".py-oss-upload")).values()

    src.write_bytes(content(7))
    os.utime(str(src), (old["mtime"] + 10, old["mtime"] + 10))
    sent = []
    spy(pair[1], "upload_part", sent)
    upload(pyjindo, pair[1], src, tmp_path / "store")
    assert sent == [1, 2, 3, 4, 5]
    assert pair[0].get_object("obj").read() == content(7)
    with pytest.raises(oss2.exceptions.NoSuchUpload):
        pair[0].list_parts("obj", old["upload_id"])  # aborted, not left to expire
    assert list(oss2.MultipartUploadIterator(pair[0])) == []
    assert records(str(tmp_path / "store" / ".py-oss-upload")) == {}


def test_changed_size_discards_the_record(pair, tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(content(3))
    with pytest.raises(Interrupted):
        upload(oss2, pair[0], src, tmp_path / "store", progress_callback=stop_after(2))
    (old,) = records(str(tmp_path / "store" / ".py-oss-upload")).values()
    src.write_bytes(content(3) + b"more")
    os.utime(str(src), (old["mtime"], old["mtime"]))  # the same mtime: the size alone tells
    upload(pyjindo, pair[1], src, tmp_path / "store")
    assert pair[0].get_object("obj").read() == content(3) + b"more"


@pytest.mark.parametrize("first", [oss2, pyjindo], ids=["oss2-record", "pyjindo-record"])
def test_changed_object_discards_the_download_record_and_its_temporary_file(pair, tmp_path, first):
    buckets = {oss2: pair[0], pyjindo: pair[1]}
    pair[0].put_object("obj", content(5))
    target = tmp_path / "out.bin"
    with pytest.raises(Interrupted):
        download(first, buckets[first], target, tmp_path / "store", progress_callback=stop_after(2))
    (old,) = records(str(tmp_path / "store" / ".py-oss-download")).values()

    pair[0].put_object("obj", content(9))
    fetched = []
    spy(pair[1], "get_object", fetched)
    download(pyjindo, pair[1], target, tmp_path / "store")
    assert len(fetched) == 5
    assert target.read_bytes() == content(9)
    assert not os.path.exists(str(target) + old["tmp_suffix"])
    assert records(str(tmp_path / "store" / ".py-oss-download")) == {}


def test_missing_temporary_file_discards_the_download_record(pair, tmp_path):
    pair[0].put_object("obj", content(5))
    target = tmp_path / "out.bin"
    with pytest.raises(Interrupted):
        download(oss2, pair[0], target, tmp_path / "store", progress_callback=stop_after(2))
    (old,) = records(str(tmp_path / "store" / ".py-oss-download")).values()
    os.remove(str(target) + old["tmp_suffix"])
    download(pyjindo, pair[1], target, tmp_path / "store")
    assert target.read_bytes() == content(5)


def test_default_stores_are_oss2s_directories_under_home(pair, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    src = tmp_path / "src.bin"
    src.write_bytes(content(3))
    with pytest.raises(Interrupted):
        pyjindo.resumable_upload(pair[1], "obj", str(src), multipart_threshold=PART, part_size=PART, num_threads=1,
                                 progress_callback=stop_after(1))
    assert len(os.listdir(str(tmp_path / "home" / ".py-oss-upload"))) == 1
    oss2.resumable_upload(pair[0], "obj", str(src), multipart_threshold=PART, part_size=PART)
    assert pair[0].get_object("obj").read() == content(3)
    assert os.listdir(str(tmp_path / "home" / ".py-oss-upload")) == []

    with pytest.raises(Interrupted):
        pyjindo.resumable_download(pair[1], "obj", str(tmp_path / "out"), multiget_threshold=PART, part_size=PART,
                                   num_threads=1, progress_callback=stop_after(1))
    assert len(os.listdir(str(tmp_path / "home" / ".py-oss-download"))) == 1
    oss2.resumable_download(pair[0], "obj", str(tmp_path / "out"), multiget_threshold=PART, part_size=PART)
    assert (tmp_path / "out").read_bytes() == content(3)
    assert os.listdir(str(tmp_path / "home" / ".py-oss-download")) == []


def test_resumed_upload_keeps_the_recorded_part_size(pair, tmp_path):
    """As oss2: a resumed upload splits the file as its record says, whatever part_size is given."""
    src = tmp_path / "src.bin"
    src.write_bytes(content(3))
    with pytest.raises(Interrupted):
        upload(oss2, pair[0], src, tmp_path / "store", progress_callback=stop_after(2))
    sent = []
    spy(pair[1], "upload_part", sent)
    pyjindo.resumable_upload(pair[1], "obj", str(src), store=pyjindo.ResumableStore(root=str(tmp_path / "store")),
                             multipart_threshold=PART, part_size=4 * PART)
    assert sorted(sent) == [3, 4, 5]
    assert pair[0].get_object("obj").read() == content(3)


def test_parts_run_on_num_threads_threads_and_a_failure_stops_the_rest(pair, tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(content(3) * 3)  # 15 parts
    threads, sent = set(), []
    real = pair[1].upload_part

    def upload_part(*args, **kwargs):
        threads.add(threading.get_ident())
        sent.append(args[2])
        time.sleep(0.02)  # long enough for every thread to take a part
        if args[2] == 6:
            raise Interrupted()
        return real(*args, **kwargs)
    pair[1].upload_part = upload_part
    with pytest.raises(Interrupted):
        upload(pyjindo, pair[1], src, tmp_path / "store", num_threads=3)
    assert len(threads) == 3
    assert len(sent) < 15  # parts after the failure were not started
    del pair[1].upload_part
    sent2 = []
    spy(pair[1], "upload_part", sent2)
    upload(pyjindo, pair[1], src, tmp_path / "store", num_threads=3)
    assert sorted(sent2 + [p for p in sent if p != 6]) == list(range(1, 16))
    assert pair[0].get_object("obj").read() == content(3) * 3


@pytest.mark.parametrize("first", [oss2, pyjindo], ids=["oss2-record", "pyjindo-record"])
def test_a_record_whose_upload_is_gone_starts_afresh(pair, tmp_path, first):
    buckets = {oss2: pair[0], pyjindo: pair[1]}
    src = tmp_path / "src.bin"
    src.write_bytes(content(3))
    with pytest.raises(Interrupted):
        upload(first, buckets[first], src, tmp_path / "store", progress_callback=stop_after(2))
    (old,) = records(str(tmp_path / "store" / ".py-oss-upload")).values()
    pair[0].abort_multipart_upload("obj", old["upload_id"])
    sent = []
    spy(pair[1], "upload_part", sent)
    upload(pyjindo, pair[1], src, tmp_path / "store")
    assert sent == [1, 2, 3, 4, 5]
    assert pair[0].get_object("obj").read() == content(3)


def test_a_garbled_record_is_discarded(pair, tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(content(3))
    store = pyjindo.ResumableStore(root=str(tmp_path / "store"))
    key = store.make_store_key(pair[1].bucket_name, "obj", str(src))
    store.put(key, {"op_type": "ResumableUpload", "upload_id": 7})
    upload(pyjindo, pair[1], src, tmp_path / "store")
    with open(os.path.join(store.dir, "x"), "w") as f:
        f.write("{not json")
    assert store.get("x") is None and not os.path.exists(os.path.join(store.dir, "x"))  # as oss2
    assert pair[0].get_object("obj").read() == content(3)


def test_a_part_failing_after_the_last_part_was_handed_out_is_raised():
    """The calling thread runs out of parts first; a part still in flight on another thread then
    fails: its error is raised (not a completion with a part missing)."""
    from pyjindo.resumable import _PartToProcess, _run_parts
    main = threading.get_ident()

    def work(part):
        time.sleep(0.05)
        if threading.get_ident() != main:
            time.sleep(0.1)
            raise Interrupted()
    with pytest.raises(Interrupted):
        _run_parts([_PartToProcess(1, 0, 1), _PartToProcess(2, 1, 2)], work, 2)


def test_ctrl_c_keeps_the_record_for_the_next_call(pair, tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(content(3))

    def ctrl_c(consumed, total):
        if 2 * PART <= consumed < total:
            raise KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):
        upload(pyjindo, pair[1], src, tmp_path / "store", progress_callback=ctrl_c, num_threads=2)
    (record,) = records(str(tmp_path / "store" / ".py-oss-upload")).values()
    assert len(pair[0].list_parts("obj", record["upload_id"]).parts) >= 2
    oss2.resumable_upload(pair[0], "obj", str(src), store=oss2.ResumableStore(root=str(tmp_path / "store")),
                          multipart_threshold=PART, part_size=PART)
    assert pair[0].get_object("obj").read() == content(3)
