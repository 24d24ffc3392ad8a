"""Metadata calls, iterators and progress callbacks, oss2 vs pyjindo."""
import os

import pytest


def test_exists_head_and_meta(sides):
    def scenario(oss, bucket):
        bucket.put_object("here.txt", b"text", headers={"x-oss-meta-colour": "blue"})
        out = [bucket.object_exists("here.txt"), bucket.object_exists("gone"),
               bucket.head_object("here.txt"), bucket.get_object_meta("here.txt")]
        for call in (bucket.head_object, bucket.get_object_meta):
            try:
                call("gone")
            except oss.exceptions.NotFound as e:
                out.append((type(e).__name__, e.status, e.code))
        try:  # object_exists says False only for a missing key
            out.append(oss.Bucket(bucket.auth, bucket.endpoint, "no-such-bucket-here").object_exists("here.txt"))
        except oss.exceptions.NoSuchBucket as e:
            out.append((type(e).__name__, e.status, e.code))
        return out
    sides.run(scenario)


def test_object_iterators(sides):
    def scenario(oss, bucket):
        for k in ["a/1", "a/2", "a/b/3", "b", "c/", "c/d"]:
            bucket.put_object(k, k.encode())
        flat = [(o.key, o.size, o.etag, o.is_prefix()) for o in oss.ObjectIterator(bucket, max_keys=2)]
        tree = [(o.key, o.is_prefix()) for o in oss.ObjectIterator(bucket, delimiter="/", max_keys=1)]
        under = [o.key for o in oss.ObjectIterator(bucket, prefix="a/", delimiter="/")]
        after = [o.key for o in oss.ObjectIterator(bucket, marker="a/b/3")]
        v2 = [o.key for o in oss.ObjectIteratorV2(bucket, delimiter="/", max_keys=2)]
        return flat, tree, under, after, v2, bucket.list_objects(prefix="a/", max_keys=1)
    sides.run(scenario)


def test_progress_callback_reports_the_total(sides, tmp_path):
    def scenario(oss, bucket):
        calls = {"put": [], "get": [], "file": []}
        data = b"p" * 300000
        bucket.put_object("p", data, progress_callback=lambda c, t: calls["put"].append((c, t)))
        got = bucket.get_object("p", progress_callback=lambda c, t: calls["get"].append((c, t))).read()
        bucket.get_object_to_file("p", str(tmp_path / ("f-" + oss.__name__)),
                                  progress_callback=lambda c, t: calls["file"].append((c, t)))
        out = [got == data]
        for name, seq in sorted(calls.items()):
            consumed = [c for c, _ in seq]
            out.append((name, seq[-1], consumed == sorted(consumed)))
        return out
    sides.run(scenario)


@pytest.mark.parametrize("headers", [{"Content-Type": "text/x-custom"}, {"Cache-Control": "max-age=60",
                                                                        "Content-Disposition": "inline"}])
def test_headers_pass_through(sides, headers):
    def scenario(oss, bucket):
        bucket.put_object("h", b"body", headers=headers)
        got = bucket.get_object("h")
        return got.content_type, {k: got.headers.get(k) for k in headers}
    sides.run(scenario)


def test_large_object_through_the_parallel_path_looks_like_one_get(sides, tmp_path):
    """20 MiB: pyjindo fetches it in ranged parts, yet status, headers and fields equal oss2's."""
    data = os.urandom(20 * 1024 * 1024 + 7)

    def scenario(oss, bucket):
        put = bucket.put_object("big.bin", data)
        whole = bucket.get_object("big.bin")
        body = whole.read()
        ranged = bucket.get_object("big.bin", byte_range=(1000, 12 * 1024 * 1024))
        part = ranged.read()
        to_file = bucket.get_object_to_file("big.bin", str(tmp_path / ("f-" + oss.__name__)))
        return put, whole, body == data, ranged, part == data[1000:12 * 1024 * 1024 + 1], to_file
    sides.run(scenario)
