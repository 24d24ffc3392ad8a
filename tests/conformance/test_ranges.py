"""byte_range, oss2 vs pyjindo, on objects read in one GET and on ones pyjindo reads in parallel parts.

OSS's default ("compatible") range behaviour ignores a range that reaches past the object (200 and
the whole object, no Content-Range); `x-oss-range-behavior: standard` cuts it to fit (206) and
answers 416 for a start past the end. pyjindo's parallel get must give exactly what oss2's single
GET gives in every case.
"""
import os

import pytest

SMALL = 1000
MEDIUM = 1024 * 1024 + 7  # 11 parts of 100 KiB for pyjindo below
STANDARD = {"x-oss-range-behavior": "standard"}


def _ranges(n):
    return [
        (0, 9), (10, n - 1), (0, n - 1), (n - 1, n - 1),     # valid
        (10, n), (0, n), (10, 99999999), (n - 5, n + 5),     # end beyond the object
        (None, 30), (None, n), (None, n + 1), (None, 2000 * 1000 * 1000),  # suffixes, some longer
        (n, n + 10), (n + 5, None), (99999999, 999999999),   # start beyond the end
        (5, None), (0, None), (n - 5, None),                 # open end
        (50, 10), (None, None),
    ]


def _bucket(oss, bucket):
    """pyjindo with 100 KiB parts, so a 1 MiB object takes the parallel path."""
    if oss.__name__ == "pyjindo":
        return oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name, connect_timeout=30,
                          part_size=100 * 1024, concurrency=4)
    return bucket


def _get_all(oss, bucket, key, data, tmp_path, headers):
    out = []
    for i, byte_range in enumerate(_ranges(len(data))):
        try:
            r = bucket.get_object(key, byte_range=byte_range, headers=headers)
            body = r.read()
            got = (byte_range, r, r.status, r.content_length, r.headers.get("Content-Range"), body)
        except oss.exceptions.OssError as e:
            got = (byte_range, type(e).__name__, e.status, e.code)
        path = tmp_path / ("%s-%s-%d" % (oss.__name__, key, i))
        try:
            r = bucket.get_object_to_file(key, str(path), byte_range=byte_range, headers=headers)
            got += (r, r.status, r.headers.get("Content-Range"), path.read_bytes())
        except oss.exceptions.OssError as e:  # (oss2 leaves an empty file; pyjindo none, by design)
            got += (type(e).__name__, e.status, e.code)
        out.append(got)
    return out


@pytest.mark.parametrize("size", [SMALL, MEDIUM], ids=["small", "parallel"])
@pytest.mark.parametrize("headers", [None, STANDARD], ids=["compatible", "standard"])
def test_byte_ranges_give_what_one_get_gives(sides, tmp_path, size, headers):
    data = os.urandom(size)

    def scenario(oss, bucket):
        bucket = _bucket(oss, bucket)
        bucket.put_object("r", data)
        return _get_all(oss, bucket, "r", data, tmp_path, headers)
    sides.run(scenario)


def test_byte_ranges_on_a_large_object_with_the_default_part_size(sides, tmp_path):
    """20 MiB with pyjindo's default 8 MiB parts: ranges past the end after several parts."""
    data = os.urandom(20 * 1024 * 1024 + 3)
    n = len(data)
    ranges = [(10, 99999999), (1000, n), (None, n + 1), (1000, None), (n - 10, None), (9 * 1024 * 1024, n - 1)]

    def scenario(oss, bucket):
        bucket.put_object("big", data)
        out = []
        for headers in (None, STANDARD):
            for byte_range in ranges:
                r = bucket.get_object("big", byte_range=byte_range, headers=headers)
                body = r.read()
                out.append((byte_range, headers, r.status, r.headers.get("Content-Range"), r.content_length, body))
        return out
    sides.run(scenario)
