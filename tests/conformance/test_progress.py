"""progress_callback, oss2 vs pyjindo (issue 9, item 12).

oss2 calls it as bytes move: consumed never goes backwards, the last call of a transfer is
(total, total), total is None when the size cannot be known in advance (an iterable, starting
with (0, None)), and a body of known size 0 gives no call. A single request of known size starts
with real progress; only oss2's resumable multipart upload and multiget download start with
(0, total). pyjindo polls Go's counters, so how many calls come between differs for large
transfers: for those the protocol is compared (first call (0, x) or not, totals, last call,
monotony); a small transfer (one 16 KiB block for oss2) gives exactly oss2's calls.
"""
import io
import os

import pytest

SIZES = [0, 10, 300 * 1024, 1024 * 1024 + 7]
IDS = ["empty", "small", "300k", "1m"]


def summary(calls):
    consumed = [c for c, _ in calls]
    return {"called": bool(calls), "totals": sorted({t for _, t in calls}, key=str), "last": calls[-1] if calls else None,
            "monotone": consumed == sorted(consumed), "in_range": all(t is None or 0 <= c <= t for c, t in calls)}


def pyjindo_bucket(oss, bucket):
    """pyjindo with parallel multipart puts from 200 KiB, so the larger sizes take the multipart path."""
    if oss.__name__ == "oss2":
        return bucket
    return oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name, multipart_threshold=200 * 1024,
                      part_size=100 * 1024)


def run_calls(sides, op):
    """Run op(oss, bucket, callback) on both sides; return (oss2 calls, pyjindo calls) after comparing
    their summaries."""
    recorded = {}

    def scenario(oss, bucket):
        calls = recorded.setdefault(oss.__name__, [])
        op(oss, pyjindo_bucket(oss, bucket), lambda c, t: calls.append((c, t)))
        return summary(calls)
    sides.run(scenario)
    return recorded["oss2"], recorded["pyjindo"]


def check_start(theirs, mine, total):
    """mine starts with (0, x) exactly when oss2's calls do, ends as oss2's; a small transfer's calls
    are oss2's."""
    if total <= 16 * 1024:
        assert mine == theirs
    assert bool(mine) == bool(theirs) == bool(total), (theirs[:3], mine[:3])
    if total:
        assert (mine[0][0] == 0) == (theirs[0][0] == 0), (theirs[:3], mine[:3])
        assert mine[-1] == theirs[-1] == (total, total), (theirs[-3:], mine[-3:])


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_put_object_bytes_and_file_object(sides, size):
    data = b"d" * size
    theirs, mine = run_calls(sides, lambda oss, b, cb: b.put_object("k", data, progress_callback=cb))
    check_start(theirs, mine, size)
    theirs, mine = run_calls(sides, lambda oss, b, cb: b.put_object("k", io.BytesIO(data), progress_callback=cb))
    check_start(theirs, mine, size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_put_object_from_file(sides, tmp_path, size):
    path = tmp_path / "src"
    path.write_bytes(b"f" * size)
    theirs, mine = run_calls(sides, lambda oss, b, cb: b.put_object_from_file("k", str(path), progress_callback=cb))
    check_start(theirs, mine, size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_put_object_from_a_generator_has_no_total(sides, size):
    data = b"g" * size

    def op(oss, b, cb):
        b.put_object("k", (data[i:i + 65536] for i in range(0, size, 65536)), progress_callback=cb)
    theirs, mine = run_calls(sides, op)
    assert theirs[0] == mine[0] == (0, None)
    assert mine[-1] == (size, None)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_append_object(sides, size):
    data = b"a" * size
    theirs, mine = run_calls(sides, lambda oss, b, cb: b.append_object("k", 0, data, progress_callback=cb))
    check_start(theirs, mine, size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_upload_part(sides, size):
    def op(oss, b, cb):
        upload_id = b.init_multipart_upload("k").upload_id
        b.upload_part("k", upload_id, 1, b"p" * size, progress_callback=cb)
    theirs, mine = run_calls(sides, op)
    check_start(theirs, mine, size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_get_object_to_file(sides, tmp_path, size):
    def op(oss, b, cb):
        b.put_object("k", b"t" * size)
        b.get_object_to_file("k", str(tmp_path / oss.__name__), progress_callback=cb)
    theirs, mine = run_calls(sides, op)
    check_start(theirs, mine, size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_get_object_read_reports_per_read_as_oss2(sides, size):
    def read_all(oss, b, cb):
        b.put_object("k", b"r" * size)
        b.get_object("k", progress_callback=cb).read()

    def read_some(oss, b, cb):
        b.put_object("k", b"r" * size)
        b.get_object("k", progress_callback=cb).read(4096)
    theirs, mine = run_calls(sides, read_some)
    assert theirs == mine  # read(n) reports once per read, exactly as oss2
    theirs, mine = run_calls(sides, read_all)
    # read() is one read for oss2, so one call; pyjindo's also reports every 50 ms while its
    # bytes arrive (none here, where a read takes less), and its last call is oss2's
    assert mine[-1:] == theirs[-1:] == ([(size, size)] if size else [])
    assert all(0 < c < size and t == size for c, t in mine[:-1]), mine


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_resumable_upload_and_download(sides, tmp_path, size):
    path = tmp_path / "src"
    path.write_bytes(b"u" * size)

    def up(oss, b, cb):
        oss.resumable_upload(b, "k", str(path), store=oss.ResumableStore(root=str(tmp_path)),
                             multipart_threshold=100 * 1024, part_size=100 * 1024, progress_callback=cb)
    theirs, mine = run_calls(sides, up)
    check_start(theirs, mine, size)
    if size >= 100 * 1024:
        assert mine[0] == theirs[0] == (0, size)  # oss2's multipart upload starts with (0, total)

    def down(oss, b, cb):
        b.put_object("k", b"u" * size)
        oss.resumable_download(b, "k", str(tmp_path / oss.__name__), store=oss.ResumableDownloadStore(str(tmp_path)),
                               multiget_threshold=100 * 1024, part_size=100 * 1024, progress_callback=cb)
    theirs, mine = run_calls(sides, down)
    check_start(theirs, mine, size)
    if size >= 100 * 1024:
        assert mine[0] == theirs[0] == (0, size)  # and its multiget download


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_resumable_defaults_are_single_requests(sides, tmp_path, size):
    """Below oss2's default thresholds resumable transfers are one PUT / GET: no (0, total) first."""
    path = tmp_path / "src"
    path.write_bytes(b"v" * size)

    def up(oss, b, cb):
        oss.resumable_upload(b, "k", str(path), store=oss.ResumableStore(root=str(tmp_path)), progress_callback=cb)

    def down(oss, b, cb):
        b.put_object("k", path.read_bytes())
        oss.resumable_download(b, "k", str(tmp_path / oss.__name__), store=oss.ResumableDownloadStore(str(tmp_path)),
                               progress_callback=cb)
    for op in (up, down):
        theirs, mine = run_calls(sides, op)
        check_start(theirs, mine, size)


MIB4 = 4 * 1024 * 1024


@pytest.fixture(scope="module")
def capped():
    """A server whose connections move 8 MB/s, so 4 MiB take half a second."""
    from jindo_server import JindoServer
    from .conftest import Sides
    with JindoServer("--bandwidth-per-conn", "8MB") as s:
        yield Sides(s)


def timed_calls(sides, prepare, op):
    """As run_calls, after prepare(oss, bucket) (not timed), with each call's time since op began
    and op's length: (oss2 calls, oss2 seconds, pyjindo calls, pyjindo seconds)."""
    import time
    recorded = {}

    def scenario(oss, bucket):
        prepare(oss, bucket)
        calls = []
        t0 = time.monotonic()
        op(oss, bucket, lambda c, t: calls.append((time.monotonic() - t0, c, t)))
        recorded[oss.__name__] = calls, time.monotonic() - t0
        return summary([(c, t) for _, c, t in calls])
    sides.run(scenario)
    return recorded["oss2"] + recorded["pyjindo"]


def _nothing(oss, b, path):
    pass


def _put_file(oss, b, path):
    b.put_object_from_file("k", path)


# name: (prepare(oss, bucket, path), op(oss, bucket, path, callback))
CAPPED = {
    "put_object": (_nothing, lambda oss, b, path, cb: b.put_object("k", open(path, "rb").read(), progress_callback=cb)),
    "put_object_from_file": (_nothing, lambda oss, b, path, cb: b.put_object_from_file("k", path, progress_callback=cb)),
    "append_object": (_nothing, lambda oss, b, path, cb: b.append_object("k", 0, open(path, "rb").read(),
                                                                         progress_callback=cb)),
    "upload_part": (_nothing, lambda oss, b, path, cb: b.upload_part("k", b.init_multipart_upload("k").upload_id, 1,
                                                                     open(path, "rb").read(), progress_callback=cb)),
    "get_object_read": (_put_file, lambda oss, b, path, cb: b.get_object("k", progress_callback=cb).read()),
    "get_object_to_file": (_put_file, lambda oss, b, path, cb: b.get_object_to_file("k", path + "." + oss.__name__,
                                                                                   progress_callback=cb)),
}


@pytest.mark.parametrize("name", sorted(CAPPED))
def test_progress_while_bytes_move_on_a_slow_link(capped, tmp_path, name):
    """4 MiB at 8 MB/s: oss2 calls back per 8 or 16 KiB chunk; pyjindo polls Go's byte counters
    every 50 ms, which single requests now advance as their bytes move. The calls' shape is
    oss2's (first call real progress, never (0, total); monotonic; last (total, total)); their
    number is bounded by the polls (at most one per 50 ms, so a callback costs at most a
    2% of the time), and a download, whose bytes arrive over the half second, is reported at
    least every 100 ms (every poll, with room for a busy machine). An upload is handed to the
    kernel's socket buffers (several MB on loopback) in well under 50 ms by both clients: there
    the bytes move before the first poll."""
    path = str(tmp_path / "src")
    with open(path, "wb") as f:
        f.write(os.urandom(MIB4))
    prepare, op = CAPPED[name]
    theirs, their_time, mine, my_time = timed_calls(capped, lambda oss, b: prepare(oss, b, path),
                                                    lambda oss, b, cb: op(oss, b, path, cb))
    assert their_time > 0.3 and my_time > 0.3, (their_time, my_time)  # the cap holds
    for calls in (theirs, mine):
        consumed = [c for _, c, _ in calls]
        assert consumed == sorted(consumed) and consumed[0] > 0, calls[:3]
        assert calls[-1][1:] == (MIB4, MIB4) and all(t == MIB4 for _, _, t in calls), calls[-3:]
    assert 1 <= len(mine) <= my_time / 0.05 + 2, (len(mine), my_time)
    if name.startswith("get_"):
        times = [0] + [t for t, _, _ in mine]
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert len(mine) >= my_time / 0.1 and max(gaps) < 0.25, ([round(t, 3) for t in times], my_time)
