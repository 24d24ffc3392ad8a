"""progress_callback, oss2 vs pyjindo (issue 9, item 12).

oss2 calls it as bytes move: consumed never goes backwards, the last call of a transfer is
(total, total), total is None when the size cannot be known in advance (an iterable, starting
with (0, None)), and a body of known size 0 gives no call. pyjindo polls Go's counters, so how
many calls come between differs; what is compared is the protocol: the totals, the last call,
monotony, and whether there were calls at all. pyjindo also always starts a known-size transfer
with (0, total), as oss2's resumable transfers do.
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


def check_start(calls, total):
    if total:
        assert calls[0] == (0, total), calls[:3]
        assert calls[-1] == (total, total), calls[-3:]
    else:
        assert calls == []


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_put_object_bytes_and_file_object(sides, size):
    data = b"d" * size
    _, mine = run_calls(sides, lambda oss, b, cb: b.put_object("k", data, progress_callback=cb))
    check_start(mine, size)
    _, mine = run_calls(sides, lambda oss, b, cb: b.put_object("k", io.BytesIO(data), progress_callback=cb))
    check_start(mine, size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_put_object_from_file(sides, tmp_path, size):
    path = tmp_path / "src"
    path.write_bytes(b"f" * size)
    _, mine = run_calls(sides, lambda oss, b, cb: b.put_object_from_file("k", str(path), progress_callback=cb))
    check_start(mine, size)


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
    _, mine = run_calls(sides, lambda oss, b, cb: b.append_object("k", 0, data, progress_callback=cb))
    check_start(mine, size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_get_object_to_file(sides, tmp_path, size):
    def op(oss, b, cb):
        b.put_object("k", b"t" * size)
        b.get_object_to_file("k", str(tmp_path / oss.__name__), progress_callback=cb)
    _, mine = run_calls(sides, op)
    check_start(mine, size)


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
    check_start(mine, size)
    if size >= 100 * 1024:
        assert theirs[0] == (0, size)  # oss2's multipart resumable upload starts with (0, total) too

    def down(oss, b, cb):
        b.put_object("k", b"u" * size)
        oss.resumable_download(b, "k", str(tmp_path / oss.__name__), store=oss.ResumableDownloadStore(str(tmp_path)),
                               multiget_threshold=100 * 1024, part_size=100 * 1024, progress_callback=cb)
    _, mine = run_calls(sides, down)
    check_start(mine, size)
