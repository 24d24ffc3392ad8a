"""Retries on the log (issue 19, item 5): Go's retries reach the "oss2" logger as one record per
retry, named by the public method the user called, the batch engine logs a summary per call, and
with logging off Go is not even asked to collect them. Faults come from jindo server's
x-jindo-fault header: "503=N" answers SlowDown to the first N requests of a kind (method, path,
Range) and serves the next; "reset" drops the connection halfway through the request's body."""
import asyncio
import logging
import re

import pytest

import pyjindo
import pyjindo.aio
from pyjindo import _binding
from pyjindo.fs import OSSFileSystem
from jindo_server import JindoServer

BUCKET = "retrylog"
MiB = 1024 * 1024
REQUEST_ID = r"[0-9A-F]{24}"  # jindo server's x-oss-request-id


@pytest.fixture(scope="module")
def server():
    with JindoServer("--fault-header", "--bucket", BUCKET) as s:
        yield s


@pytest.fixture
def bucket(server):
    return pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, BUCKET)


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def named(self, name):
        return [r for r in self.records if r.name == name]


@pytest.fixture
def oss2_log():
    """A handler on the "oss2" logger at `level` (INFO unless the test sets it), removed after."""
    log = logging.getLogger("oss2")
    saved = log.level
    handler = Records()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    yield handler
    log.removeHandler(handler)
    log.setLevel(saved)


class _Spy(object):
    """The loaded library with pj_start's and pj_call's flags and pj_events calls recorded."""

    def __init__(self, lib):
        self._lib = lib
        self.flags = []
        self.doors = []  # "start" (the JSON door) or "call" (the quick door), per operation
        self.drains = 0

    def pj_start(self, *args):
        self.flags.append(args[-2])
        self.doors.append("start")
        return self._lib.pj_start(*args)

    def pj_call(self, *args):  # the quick door (go/capi/quick.go): its flags are args[6]
        self.flags.append(args[6])
        self.doors.append("call")
        return self._lib.pj_call(*args)

    def pj_events(self, op):
        self.drains += 1
        return self._lib.pj_events(op)

    def __getattr__(self, name):
        return getattr(self._lib, name)


@pytest.fixture
def spy(monkeypatch):
    s = _Spy(_binding.lib())
    monkeypatch.setattr(_binding, "_lib", s)
    return s


def test_a_put_that_succeeds_on_its_third_attempt_logs_two_retries(bucket, oss2_log, spy):
    result = bucket.put_object("third-time", b"data", headers={"x-jindo-fault": "503=2"})
    assert result.status == 200
    records = oss2_log.named("oss2.pyjindo.retry")
    assert len(records) == 2, [r.getMessage() for r in oss2_log.records]
    for n, r in enumerate(records, 1):
        f = r.oss_retry
        assert r.levelno == logging.INFO
        assert re.fullmatch(REQUEST_ID, f["request_id"]), f
        assert 0 < f["backoff"] <= 0.1 * 2 ** (n - 1)  # full jitter under 100 ms doubling
        assert r.getMessage() == (
            "Retry put_object, PUT bucket: retrylog, key: third-time: attempt %d of 3 failed: status: 503, "
            "code: SlowDown, request_id: %s; next attempt in %.3f s" % (n, f["request_id"], f["backoff"]))
        assert (f["operation"], f["method"], f["bucket"], f["key"], f["attempt"], f["max_attempts"], f["status"],
                f["code"], f["connection"]) == ("put_object", "PUT", BUCKET, "third-time", n, 3, 503, "SlowDown", False)
    assert records[0].oss_retry["request_id"] != records[1].oss_retry["request_id"]
    assert spy.flags == [_binding.RETRY_EVENTS]


def test_with_the_retry_log_on_small_calls_still_take_the_quick_door(bucket, oss2_log, spy):
    # logging.basicConfig(level=logging.INFO) turns the retry log on: small calls keep their
    # one crossing, and one retried after a failure on the caller's thread logs it
    bucket.put_object("small", b"data")
    assert bucket.get_object("small").read() == b"data"
    assert bucket.head_object("small").content_length == 4
    assert bucket.object_exists("small") and not bucket.object_exists("small-missing")
    assert spy.doors == ["call"] * 5 and spy.flags == [_binding.RETRY_EVENTS] * 5
    assert oss2_log.named("oss2.pyjindo.retry") == []
    assert bucket.get_object("small", headers={"x-jindo-fault": "503=1"}).read() == b"data"
    assert bucket.head_object("small", headers={"x-jindo-fault": "503=2"}).content_length == 4
    assert spy.doors == ["call"] * 7
    assert [(r.oss_retry["operation"], r.oss_retry["method"], r.oss_retry["key"], r.oss_retry["attempt"],
             r.oss_retry["status"], r.oss_retry["code"]) for r in oss2_log.named("oss2.pyjindo.retry")] == [
        ("get_object", "GET", "small", 1, 503, "SlowDown"),
        ("head_object", "HEAD", "small", 1, 503, "SlowDown"), ("head_object", "HEAD", "small", 2, 503, "SlowDown")]
    assert all(re.fullmatch(REQUEST_ID, r.oss_retry["request_id"]) for r in oss2_log.named("oss2.pyjindo.retry"))


def test_a_put_through_pyjindo_aio_logs_its_retries_as_the_sync_one(server, oss2_log):
    b = pyjindo.aio.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, BUCKET)
    result = asyncio.run(b.put_object("third-time-aio", b"data", headers={"x-jindo-fault": "503=2"}))
    assert result.status == 200
    records = oss2_log.named("oss2.pyjindo.retry")
    assert [(r.oss_retry["operation"], r.oss_retry["attempt"], r.oss_retry["status"], r.oss_retry["key"])
            for r in records] == [("put_object", 1, 503, "third-time-aio"), ("put_object", 2, 503, "third-time-aio")]


def test_a_connection_error_is_logged_as_one(bucket, oss2_log):
    # every attempt's connection is dropped halfway through the body: 3 attempts, 2 retries
    with pytest.raises(pyjindo.exceptions.RequestError):
        bucket.put_object("reset", b"x" * 4096, headers={"x-jindo-fault": "reset"})
    records = oss2_log.named("oss2.pyjindo.retry")
    assert len(records) == 2, [r.getMessage() for r in oss2_log.records]
    for n, r in enumerate(records, 1):
        f = r.oss_retry
        assert (f["operation"], f["method"], f["key"], f["attempt"], f["max_attempts"], f["connection"], f["status"],
                f["code"], f["request_id"]) == ("put_object", "PUT", "reset", n, 3, True, 0, "", "")
        assert f["error"]
        assert r.getMessage() == (
            "Retry put_object, PUT bucket: retrylog, key: reset: attempt %d of 3 failed: connection error: %s; "
            "next attempt in %.3f s" % (n, f["error"], f["backoff"]))


def test_a_retry_is_named_by_the_method_the_user_called(bucket, oss2_log, tmp_path):
    src = tmp_path / "src"
    src.write_bytes(b"file data")
    bucket.put_object_from_file("from-file", str(src), headers={"x-jindo-fault": "503=1"})
    bucket.get_object_to_file("from-file", str(tmp_path / "dst"), headers={"x-jindo-fault": "503=1"})
    assert [(r.oss_retry["operation"], r.oss_retry["method"]) for r in oss2_log.named("oss2.pyjindo.retry")] == [
        ("put_object_from_file", "PUT"), ("get_object_to_file", "GET")]
    assert oss2_log.named("oss2.pyjindo.retry")[1].getMessage().startswith(
        "Retry get_object_to_file, GET bucket: retrylog, key: from-file: attempt 1 of 3 failed: status: 503")


def test_a_large_get_logs_its_ranged_part_retries(bucket, oss2_log):
    data = bytes(range(256)) * (20 * MiB // 256)
    bucket.put_object("large", data)
    del oss2_log.records[:]
    # every GET of its own range fails once: the first (Client.Do's retry), then each part
    assert bucket.get_object("large", headers={"x-jindo-fault": "503=1"}).read() == data
    records = oss2_log.named("oss2.pyjindo.retry")
    first, parts = records[0].oss_retry, [r.oss_retry for r in records[1:]]
    assert (first["operation"], first["method"], first["key"], first["part"], first["attempt"], first["status"]) == (
        "get_object", "GET", "large", "", 1, 503)
    # the parts are fetched by read(), on the stream get_object opened: named after it
    assert parts and all((p["operation"], p["method"], p["attempt"], p["max_attempts"], p["code"]) == (
        "get_object", "GET", 1, 3, "SlowDown") for p in parts)
    ranges = sorted(tuple(int(x) for x in re.fullmatch(r"bytes=(\d+)-(\d+)", p["part"]).groups()) for p in parts)
    assert ranges[0][0] == 8 * MiB and ranges[-1][1] == 20 * MiB - 1  # the parts after the first, each once
    assert all(a[1] + 1 == b[0] for a, b in zip(ranges, ranges[1:]))
    for r in records[1:]:
        p = r.oss_retry
        assert r.getMessage() == (
            "Retry get_object, GET bucket: retrylog, key: large, part: %s: attempt 1 of 3 failed: status: 503, "
            "code: SlowDown, request_id: %s; next attempt in %.3f s" % (p["part"], p["request_id"], p["backoff"]))


def test_fs_cat_of_a_list_logs_one_batch_summary(server, bucket, oss2_log):
    bucket.put_object("cat/a", b"a" * 1000)
    bucket.put_object("cat/b", b"b" * 2000)
    fs = OSSFileSystem(skip_instance_cache=True, endpoint=server.endpoint, key=server.access_key_id,
                           secret=server.access_key_secret)
    del oss2_log.records[:]
    paths = [BUCKET + "/cat/a", BUCKET + "/cat/b", BUCKET + "/cat/missing"]
    got = fs.cat(paths, on_error="return")
    assert got[paths[0]] == b"a" * 1000 and isinstance(got[paths[2]], FileNotFoundError)
    records = oss2_log.named("oss2.pyjindo.batch")
    assert len(records) == 1, [r.getMessage() for r in oss2_log.records]
    f = records[0].oss_batch
    assert (f["operation"], f["ok"], f["failed"], f["bytes"], f["retries"]) == ("get_many", 2, 1, 3000, 0)
    assert records[0].levelno == logging.INFO
    assert records[0].getMessage() == "Batch get_many: 2 ok, 1 failed, 3000 bytes in %.3f s, 0 retries" % f["seconds"]


def test_batch_summary_counts_the_retries_of_its_items(bucket, oss2_log, tmp_path):
    from pyjindo import _batch

    files = []
    for i in range(3):
        files.append(str(tmp_path / ("f%d" % i)))
        with open(files[-1], "wb") as f:
            f.write(b"x" * 100)
    del oss2_log.records[:]
    fault = {"x-jindo-fault": "503=1"}  # each PUT fails once
    results = _batch.put_many_from_files(bucket, files + [str(tmp_path / "missing")],
                                         ["up/0", "up/1", "up/2", "up/3"], headers=[fault] * 4)
    assert isinstance(results[3], Exception) and not any(isinstance(r, Exception) for r in results[:3])
    retries = oss2_log.named("oss2.pyjindo.retry")
    assert sorted(r.oss_retry["key"] for r in retries) == ["up/0", "up/1", "up/2"]
    assert all(r.oss_retry["operation"] == "put_many_from_files" for r in retries)
    (summary,) = oss2_log.named("oss2.pyjindo.batch")
    f = summary.oss_batch
    assert (f["operation"], f["ok"], f["failed"], f["bytes"], f["retries"]) == ("put_many_from_files", 3, 1, 300, 3)


def test_with_logging_off_nothing_is_logged_or_collected(server, bucket, oss2_log, spy):
    logging.getLogger("oss2").setLevel(logging.WARNING)
    bucket.put_object("off", b"data", headers={"x-jindo-fault": "503=2"})  # retried twice, silently
    assert bucket.get_object("off").read() == b"data"
    fs = OSSFileSystem(skip_instance_cache=True, endpoint=server.endpoint, key=server.access_key_id,
                           secret=server.access_key_secret)
    fs.cat([BUCKET + "/off", BUCKET + "/missing"], on_error="return")
    assert oss2_log.records == []
    assert spy.flags and set(spy.flags) == {0}  # Go was never asked to collect retries
    assert spy.drains == 0


def test_the_retry_logger_alone_can_be_silenced(bucket, oss2_log, spy):
    logging.getLogger("oss2.pyjindo.retry").setLevel(logging.WARNING)
    try:
        bucket.put_object("quiet", b"data", headers={"x-jindo-fault": "503=1"})
    finally:
        logging.getLogger("oss2.pyjindo.retry").setLevel(logging.NOTSET)
    assert oss2_log.named("oss2.pyjindo.retry") == [] and spy.flags == [0]
