"""Header values, oss2 vs pyjindo (issue 9, item 10): bytes go on the wire as they are, str as
Latin-1 (what http.client does for oss2), and response header values come back decoded as Latin-1,
on every call that takes headers."""
import pytest

from . import compare

UTF8 = "测试".encode()  # what oss2 users pass for non-Latin-1 metadata
LATIN1_BYTES = "café".encode("latin-1")
VALUES = [UTF8, LATIN1_BYTES, b"plain", "plain str"]
IDS = ["utf8-bytes", "latin1-bytes", "ascii-bytes", "ascii-str"]


def meta(bucket, key):
    """What users read back: HEAD's headers and result, and the GetObjectMeta result."""
    head = bucket.head_object(key)
    return head, head.headers.get("x-oss-meta-u"), bucket.get_object_meta(key)


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_put_and_put_from_file(sides, tmp_path, value):
    src = tmp_path / "src.txt"
    src.write_bytes(b"from a file")

    def scenario(oss, bucket):
        bucket.put_object("put", b"x", headers={"x-oss-meta-u": value})
        bucket.put_object_from_file("from-file", str(src), headers={"x-oss-meta-u": value})
        return meta(bucket, "put"), meta(bucket, "from-file"), bucket.get_object("put").headers.get("x-oss-meta-u")
    sides.run(scenario)


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_append_copy_and_update_meta(sides, value):
    def scenario(oss, bucket):
        bucket.append_object("app", 0, b"abc", headers={"x-oss-meta-u": value})
        bucket.put_object("src", b"source")
        bucket.copy_object(bucket.bucket_name, "src", "copy",
                           headers={"x-oss-metadata-directive": b"REPLACE", "x-oss-meta-u": value})
        bucket.put_object("upd", b"y")
        bucket.update_object_meta("upd", {"x-oss-meta-u": value})
        return meta(bucket, "app"), meta(bucket, "copy"), meta(bucket, "upd")
    sides.run(scenario)


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_multipart_upload(sides, value):
    def scenario(oss, bucket):
        init = bucket.init_multipart_upload("mp", headers={"x-oss-meta-u": value, "Content-Type": "text/plain"})
        part = bucket.upload_part("mp", init.upload_id, 1, b"part one", headers={"x-oss-meta-ignored": value})
        done = bucket.complete_multipart_upload("mp", init.upload_id,
                                                [oss.models.PartInfo(1, part.etag)], headers={"x-oss-meta-x": value})
        return done, meta(bucket, "mp")
    sides.run(scenario)


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_resumable_upload(sides, tmp_path, value):
    src = tmp_path / "src.bin"
    src.write_bytes(b"r" * 250_000)

    def scenario(oss, bucket):
        store = oss.ResumableStore(root=str(tmp_path))
        oss.resumable_upload(bucket, "single", str(src), store=store, headers={"x-oss-meta-u": value})
        oss.resumable_upload(bucket, "multi", str(src), store=store, headers={"x-oss-meta-u": value},
                             multipart_threshold=100 * 1024, part_size=100 * 1024)
        return meta(bucket, "single"), meta(bucket, "multi")
    sides.run(scenario)


def test_request_headers_on_reads_and_deletes(sides, tmp_path):
    """Conditional and other request headers given as bytes on GET, HEAD, get-to-file, listing and
    deletes (a bytes If-Match that does not match must fail as it does with oss2)."""
    def scenario(oss, bucket):
        etag = bucket.put_object("k", b"body").etag
        good, bad = ('"%s"' % etag).encode(), b'"0123"'
        out = [bucket.get_object("k", headers={"If-Match": good}).read(),
               bucket.head_object("k", headers={"If-Match": good}),
               bucket.get_object_meta("k", headers={"x-oss-meta-none": b"v"}),
               bucket.get_object_to_file("k", str(tmp_path / oss.__name__), headers={"If-Match": good}).content_length,
               bucket.list_objects(headers={"x-oss-meta-none": b"v"}).object_list[0].key]
        for call in (lambda: bucket.get_object("k", headers={"If-Match": bad}),
                     lambda: bucket.head_object("k", headers={"If-Match": bad})):
            out.append(compare.run(lambda oss, b: call(), oss, bucket))
        bucket.put_object("d1", b"1")
        bucket.put_object("d2", b"2")
        out.append(bucket.delete_object("d1", headers={"x-oss-meta-none": b"v"}).status)
        out.append(bucket.batch_delete_objects(["d2"], headers={"x-oss-meta-none": b"v"}).deleted_keys)
        return out
    sides.run(scenario)


def test_values_oss2_cannot_send(sides):
    """A str outside Latin-1 raises UnicodeEncodeError and a non-str, non-bytes value TypeError,
    before anything is sent, as with oss2."""
    def scenario(oss, bucket):
        out = []
        for value in ("测试", 5):
            out.append(compare.run(lambda oss, b: b.put_object("bad", b"x", headers={"x-oss-meta-u": value}),
                                   oss, bucket))
        out.append(bucket.object_exists("bad"))
        return out
    _, got = sides.run(scenario)
    assert [r["__raised__"]["cls"] for r in got[:2]] == ["UnicodeEncodeError", "TypeError"]


def test_latin1_str_where_oss2_is_buggy(sides):
    """oss2 2.19.1 signs a str value as UTF-8 and sends it as Latin-1, so a str such as 'café'
    fails with SignatureDoesNotMatch. pyjindo signs the bytes it sends: the object is stored exactly
    as oss2 stores the same value given as Latin-1 bytes."""
    import oss2
    raised = compare.run(lambda oss, b: b.put_object("k", b"x", headers={"x-oss-meta-u": "café"}),
                         oss2, sides.fresh_bucket(oss2))
    assert raised.code == "SignatureDoesNotMatch"

    def scenario(value):
        def run(oss, bucket):
            bucket.put_object("k", b"x", headers={"x-oss-meta-u": value})
            return meta(bucket, "k")
        return run
    _, got = sides.run_pair(scenario("café".encode("latin-1")), scenario("café"))
    assert got[1] == "café"
