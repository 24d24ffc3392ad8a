"""Listings and service errors, oss2 vs pyjindo."""
import pytest

from .compare import Raised


def _raised(call):
    try:
        return call()
    except Exception as e:  # noqa: BLE001
        return Raised(e)


def test_listing_2500_keys_with_delimiter_and_marker_paging(sides):
    keys = ["dir%d/file%04d" % (i % 5, i) for i in range(2450)] + ["top%02d" % i for i in range(50)]

    def scenario(oss, bucket):
        batch = 1000
        for i in range(0, len(keys), batch):
            # put in parallel through the module itself to keep the scenario fast
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(16) as ex:
                list(ex.map(lambda k: bucket.put_object(k, b""), keys[i:i + batch]))
        flat = [o.key for o in oss.ObjectIterator(bucket, max_keys=333)]
        top = [(o.key, o.is_prefix()) for o in oss.ObjectIterator(bucket, delimiter="/")]
        pages, marker = [], ""
        while True:
            r = bucket.list_objects(prefix="dir1/", delimiter="/", marker=marker, max_keys=100)
            pages.append((len(r.object_list), r.prefix_list, r.is_truncated, r.next_marker))
            if not r.is_truncated:
                break
            marker = r.next_marker
        first = bucket.list_objects(max_keys=3, delimiter="/")
        return flat, top, pages, first
    sides.run(scenario)


@pytest.mark.parametrize("max_keys", [0, 1001, -1])
def test_list_objects_max_keys_out_of_range(sides, max_keys):
    sides.run(lambda oss, bucket: _raised(lambda: bucket.list_objects(max_keys=max_keys)))


def test_wrong_secret_and_missing_bucket(sides):
    def scenario(oss, bucket):
        bad = oss.Bucket(oss.Auth(sides.server.access_key_id, "wrong-secret"), bucket.endpoint, bucket.bucket_name)
        missing = oss.Bucket(bucket.auth, bucket.endpoint, "no-such-bucket-here")
        return [_raised(lambda: bad.put_object("k", b"v")),
                _raised(lambda: bad.get_object("k")),
                _raised(lambda: bad.head_object("k")),
                _raised(lambda: missing.get_object("k")),
                _raised(lambda: missing.put_object("k", b"v")),
                _raised(lambda: missing.list_objects()),
                _raised(lambda: missing.object_exists("k"))]
    sides.run(scenario)


def test_invalid_endpoint_and_bucket_name(sides):
    def scenario(oss, bucket):
        return [_raised(lambda: oss.Bucket(bucket.auth, "http://bad host", "b")),
                _raised(lambda: oss.Bucket(bucket.auth, bucket.endpoint, "Bad_Name"))]
    sides.run(scenario)


def test_multipart_calls(sides):
    def scenario(oss, bucket):
        init = bucket.init_multipart_upload("mp.bin")
        uid = init.upload_id
        p1 = bucket.upload_part("mp.bin", uid, 1, b"a" * 102400)
        p2 = bucket.upload_part("mp.bin", uid, 2, b"b" * 10)
        parts = bucket.list_parts("mp.bin", uid)
        uploads = bucket.list_multipart_uploads()
        done = bucket.complete_multipart_upload("mp.bin", uid, [oss.models.PartInfo(1, p1.etag),
                                                               oss.models.PartInfo(2, p2.etag)])
        small = bucket.init_multipart_upload("small")
        s1 = bucket.upload_part("small", small.upload_id, 1, b"x")
        s2 = bucket.upload_part("small", small.upload_id, 2, b"y")
        too_small = _raised(lambda: bucket.complete_multipart_upload(
            "small", small.upload_id, [oss.models.PartInfo(1, s1.etag), oss.models.PartInfo(2, s2.etag)]))
        abort = bucket.abort_multipart_upload("small", small.upload_id)
        no_upload = _raised(lambda: bucket.upload_part("small", small.upload_id, 1, b"x"))
        return [type(uid).__name__, len(uid), p1, p2, parts.parts, uploads.upload_list and len(uploads.upload_list),
                done, bucket.head_object("mp.bin"), too_small, abort, no_upload]
    sides.run(scenario)
