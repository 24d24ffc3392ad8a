"""Presigned-URL transfers (get_object_with_url[_to_file], put_object_with_url[_from_file]):
oss2 and pyjindo send the same URLs and give the same results and errors."""
import os

import pytest

DATA = bytes(range(256)) * 4099  # ~1 MiB, not a multiple of anything round


def _small_parts(oss, bucket):
    """pyjindo's bucket with 100 KiB parts, so its presigned GETs go in parallel ranged parts."""
    if oss.__name__ != "pyjindo":
        return bucket
    return oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name, part_size=100 * 1024, concurrency=4)


def _read_file(path):
    with open(path, "rb") as f:
        return f.read()


def test_put_then_get_with_urls(sides, tmp_path):
    def scenario(oss, bucket):
        calls = []
        put_url = bucket.sign_url("PUT", "url/obj", 60)
        put = bucket.put_object_with_url(put_url, DATA, progress_callback=lambda c, t: calls.append((c, t)))
        bucket = _small_parts(oss, bucket)
        get_url = bucket.sign_url("GET", "url/obj", 60)
        whole = bucket.get_object_with_url(get_url)
        body = whole.read()
        ranged = bucket.get_object_with_url(get_url, byte_range=(10, 99))
        open_range = bucket.get_object_with_url(get_url, byte_range=(len(DATA) - 5, None))
        target = str(tmp_path / ("%s.bin" % oss.__name__))
        to_file = bucket.get_object_with_url_to_file(get_url, target)
        return {"put": put, "progress_end": calls[-1], "whole": whole, "body": body,
                "ranged": ranged, "ranged_body": ranged.read(), "open_range": open_range,
                "open_range_body": open_range.read(), "to_file": to_file, "file": _read_file(target),
                "object": bucket.get_object("url/obj").read(), "type": bucket.head_object("url/obj").object_type}
    expected, _ = sides.run(scenario)
    assert expected["body"] == expected["file"] == expected["object"]
    assert expected["progress_end"] == [len(DATA), len(DATA)]


def test_put_from_file_with_signed_headers(sides, tmp_path):
    src = tmp_path / "src.txt"
    src.write_bytes(b"from a file\n" * 1000)

    def scenario(oss, bucket):
        headers = {"Content-Type": "text/plain", "x-oss-meta-who": "url"}
        url = bucket.sign_url("PUT", "f.txt", 60, headers=dict(headers))
        put = bucket.put_object_with_url_from_file(url, str(src), headers=dict(headers))
        head = bucket.head_object("f.txt")
        target = str(tmp_path / ("%s-range.txt" % oss.__name__))
        part = bucket.get_object_with_url_to_file(bucket.sign_url("GET", "f.txt", 60), target, byte_range=(0, 11))
        return put, head.content_type, head.headers["x-oss-meta-who"], part, _read_file(target)
    sides.run(scenario)


def test_file_object_position_after_put_with_url(sides, tmp_path):
    src = tmp_path / "pos.bin"
    src.write_bytes(DATA)

    def scenario(oss, bucket):
        with open(str(src), "rb") as f:
            f.seek(1000)
            put = bucket.put_object_with_url(bucket.sign_url("PUT", "pos", 60), f)
            return put, f.tell(), bucket.get_object("pos").read() == DATA[1000:]
    sides.run(scenario)


@pytest.mark.parametrize("case", ["missing", "headers-not-signed", "get-url-for-put", "expired", "bad-signature"])
def test_url_errors(sides, tmp_path, case):
    def scenario(oss, bucket):
        bucket.put_object("k", b"content")
        if case == "missing":
            return bucket.get_object_with_url(bucket.sign_url("GET", "no-such-key", 60))
        if case == "headers-not-signed":
            url = bucket.sign_url("PUT", "k2", 60)
            return bucket.put_object_with_url(url, b"x", headers={"x-oss-meta-extra": "1"})
        if case == "get-url-for-put":
            return bucket.put_object_with_url(bucket.sign_url("GET", "k", 60), b"x")
        if case == "expired":
            return bucket.get_object_with_url_to_file(bucket.sign_url("GET", "k", -10),
                                                      str(tmp_path / ("%s-exp" % oss.__name__)))
        url = bucket.sign_url("GET", "k", 60)
        return bucket.get_object_with_url(url.replace("Signature=", "Signature=AAAA"))
    expected, _ = sides.run(scenario)
    assert "__raised__" in expected


@pytest.mark.parametrize("version", ["v1", "v2", "v4"])
@pytest.mark.parametrize("length", ["0", "10"])
def test_get_with_url_signed_with_content_length(sides, tmp_path, version, length):
    """A GET URL whose signature covers Content-Length (V2 and V4 sign it as an additional
    header) works when the same header is given: oss2 sends it, so must pyjindo (net/http drops
    a GET's Content-Length unless told)."""
    keys = sides.server.access_key_id, sides.server.access_key_secret

    def scenario(oss, bucket):
        bucket.put_object("cl", DATA)
        # pyjindo's GETs in parallel 100 KiB parts, each sending the signed header
        parts = {"part_size": 100 * 1024, "concurrency": 4} if oss.__name__ == "pyjindo" else {}
        b = oss.Bucket(oss.make_auth(keys[0], keys[1], auth_version=version), bucket.endpoint, bucket.bucket_name,
                       region="cn-hangzhou", **parts)
        headers = {"Content-Length": length}
        kw = {} if version == "v1" else {"additional_headers": ["content-length"]}
        url = b.sign_url("GET", "cl", 60, headers=dict(headers), **kw)
        whole = b.get_object_with_url(url, headers=dict(headers))
        target = str(tmp_path / ("%s-cl.bin" % oss.__name__))
        to_file = b.get_object_with_url_to_file(url, target, headers=dict(headers))
        return {"whole": whole, "body": whole.read() == DATA, "to_file": to_file, "file": _read_file(target) == DATA}
    expected, _ = sides.run(scenario)
    assert expected["body"] and expected["file"]
