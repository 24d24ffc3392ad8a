"""resumable_upload / resumable_download with explicit thresholds and part sizes, oss2 vs pyjindo
(issue 9, item 13): the same object type, ETag (so part count) and content as oss2."""
import pytest

import pyjindo
from pyjindo import _binding

KB = 1024


@pytest.mark.parametrize("size,threshold,part_size", [
    (300 * KB, 100 * KB, 100 * KB),   # the case: Multipart, ETag ...-3
    (300 * KB, 100 * KB, 50 * KB),    # parts below defaults.min_part_size grow to it: 3 parts
    (300 * KB, 100 * KB, 130 * KB),   # 3 parts, the last short
    (300 * KB, 100 * KB, 1024 * KB),  # a part size above the size: one part
    (300 * KB, 300 * KB, None),       # exactly the threshold: multipart, default part size (one part)
    (300 * KB, 300 * KB + 1, 100 * KB),  # below it: a single PutObject
], ids=["3-parts", "min-part-size", "short-last", "one-part", "at-threshold", "below-threshold"])
def test_resumable_upload_honours_threshold_and_part_size(sides, tmp_path, size, threshold, part_size):
    path = tmp_path / "src.bin"
    path.write_bytes(bytes(range(256)) * (size // 256))

    def scenario(oss, bucket):
        result = oss.resumable_upload(bucket, "obj.txt", str(path), store=oss.ResumableStore(root=str(tmp_path)),
                                      multipart_threshold=threshold, part_size=part_size)
        return result, bucket.head_object("obj.txt"), bucket.get_object("obj.txt").read()
    _, got = sides.run(scenario)
    assert got[1]["object_type"] == ("Multipart" if size >= threshold else "Normal")


def test_resumable_upload_uses_changed_defaults(sides, tmp_path, monkeypatch):
    """Without arguments the thresholds are oss2's defaults module values, which users change."""
    import oss2
    for mod in (oss2, pyjindo):
        monkeypatch.setattr(mod.defaults, "multipart_threshold", 200 * KB)
        monkeypatch.setattr(mod.defaults, "part_size", 100 * KB)
    path = tmp_path / "src.bin"
    path.write_bytes(b"z" * (250 * KB))

    def scenario(oss, bucket):
        result = oss.resumable_upload(bucket, "obj", str(path), store=oss.ResumableStore(root=str(tmp_path)))
        return result, bucket.head_object("obj")
    _, got = sides.run(scenario)
    assert got[0]["etag"].endswith("-3")


def test_determine_part_size_is_oss2s():
    import oss2
    for total in (0, 1, 99 * KB, 100 * KB, 10 * 1024 * KB, 10 ** 11, 10 ** 12):
        for preferred in (None, 1, 50 * KB, 100 * KB, 8 * 1024 * KB):
            assert pyjindo.determine_part_size(total, preferred) == oss2.determine_part_size(total, preferred)


def test_resumable_download_content_matches(sides, tmp_path):
    def scenario(oss, bucket):
        bucket.put_object("obj", bytes(range(256)) * 1200)
        out = []
        for i, (threshold, part_size) in enumerate([(100 * KB, 100 * KB), (10 * 1024 * KB, None), (None, 64 * KB)]):
            target = tmp_path / ("%s-%d" % (oss.__name__, i))
            oss.resumable_download(bucket, "obj", str(target), multiget_threshold=threshold, part_size=part_size,
                                   store=oss.ResumableDownloadStore(root=str(tmp_path)))
            out.append(target.read_bytes())
        return out
    sides.run(scenario)


@pytest.mark.parametrize("threshold,part_size,expected", [
    (100 * KB, 100 * KB, [100 * KB] * 3),   # ranges of part_size
    (100 * KB, 50 * KB, [100 * KB] * 3),    # grown to defaults.min_part_size, as oss2
    (100 * KB, 130 * KB, [130 * KB, 130 * KB, 40 * KB]),
    (400 * KB, 100 * KB, 300 * KB),   # below the threshold: one GET
    (None, 100 * KB, 300 * KB),       # default threshold (100 MiB): one GET
    (100 * KB, None, [300 * KB]),     # default part size (10 MiB) above the size: one range
], ids=["parts", "min-part", "short-last", "below", "default-threshold", "default-part"])
def test_resumable_download_asks_go_for_oss2s_ranges(sides, tmp_path, monkeypatch, threshold, part_size, expected):
    """The ranges of the download are oss2's (checked on what reaches the Go core): ranged GETs
    from the threshold, one get_to_file of the whole object below it."""
    bucket = sides.fresh_bucket(pyjindo)
    bucket.put_object("obj", b"x" * (300 * KB))
    sent = []
    call = bucket._call
    monkeypatch.setattr(bucket, "_call", lambda name, args, *a, **kw: (sent.append((name, args)), call(name, args, *a, **kw))[1])
    quick = bucket._quick

    def spy_quick(kind, block, *a, **kw):  # get_object's quick door: its block's headers (go/ops quick.go)
        if kind == _binding.QUICK_GET:
            f = block.decode().split("\0")
            h = f[6 + 2 * int(f[5]):]
            sent.append(("get_open", {"headers": list(zip(h[::2], h[1::2]))}))
        return quick(kind, block, *a, **kw)
    monkeypatch.setattr(bucket, "_quick", spy_quick)
    pyjindo.resumable_download(bucket, "obj", str(tmp_path / "out"), multiget_threshold=threshold, part_size=part_size,
                               store=pyjindo.ResumableDownloadStore(root=str(tmp_path)), num_threads=1)
    if isinstance(expected, list):
        ranges = [dict((k.lower(), v) for k, v in a["headers"])["range"] for n, a in sent if n == "get_open"]
        sizes = [int(r.split("-")[1]) - int(r.split("=")[1].split("-")[0]) + 1 for r in ranges]
        assert sizes == expected
    else:
        assert [a.get("part_size") for n, a in sent if n == "get_to_file"] == [expected]
    assert (tmp_path / "out").read_bytes() == b"x" * (300 * KB)
