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
    def op(oss, b, cb):
        b.put_object("k", b"r" * size)
        b.get_object("k", progress_callback=cb).read()
        b.get_object("k", progress_callback=cb).read(4096)
    theirs, mine = run_calls(sides, op)
    assert theirs == mine  # read() reports once per read, exactly as oss2


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
