"""Object and bucket ACL (issue 12, family 1), oss2 vs pyjindo on the same server."""
import pytest

from .recorder import sent_by_both


def test_object_acl_round_trip(sides):
    def scenario(oss, bucket):
        bucket.put_object("obj", b"data")
        before = bucket.get_object_acl("obj")
        put = bucket.put_object_acl("obj", oss.OBJECT_ACL_PUBLIC_READ)
        after = bucket.get_object_acl("obj")
        back = bucket.put_object_acl("obj", oss.OBJECT_ACL_DEFAULT, params={}, headers={"x-oss-meta-a": "1"})
        return before, put, after, back, bucket.get_object_acl("obj", params={}, headers={})
    _, got = sides.run(scenario)
    assert [got[0]["acl"], got[2]["acl"], got[4]["acl"]] == ["default", "public-read", "default"]
    assert got[1]["__class__"] == "RequestResult"


def test_bucket_acl_round_trip(sides):
    def scenario(oss, bucket):
        before = bucket.get_bucket_acl()
        put = bucket.put_bucket_acl(oss.BUCKET_ACL_PUBLIC_READ_WRITE)
        return before, put, bucket.get_bucket_acl(), bucket.get_bucket_info().acl.grant
    _, got = sides.run(scenario)
    assert (got[0]["acl"], got[2]["acl"], got[3]) == ("private", "public-read-write", "public-read-write")


@pytest.mark.parametrize("call", [
    lambda oss, b: b.get_object_acl("missing"),
    lambda oss, b: b.put_object_acl("missing", oss.OBJECT_ACL_PRIVATE),
    lambda oss, b: (b.put_object("k", b""), b.put_object_acl("k", "everyone")),
    lambda oss, b: b.put_bucket_acl("everyone"),
    lambda oss, b: b.put_object_acl("", oss.OBJECT_ACL_PRIVATE),
    lambda oss, b: b.get_object_acl(""),
], ids=["get-missing", "put-missing", "put-invalid", "bucket-invalid", "put-empty-key", "get-empty-key"])
def test_acl_errors(sides, call):
    expected, _ = sides.run(call)
    assert "__raised__" in str(expected)


def test_acl_headers_on_put_copy_multipart_and_create_bucket(sides):
    """x-oss-object-acl / x-oss-acl given as headers (and create_bucket's permission) take effect."""
    def scenario(oss, bucket):
        acl = {"x-oss-object-acl": oss.OBJECT_ACL_PUBLIC_READ}
        bucket.put_object("put", b"x", headers=acl)
        bucket.copy_object(bucket.bucket_name, "put", "copy", headers={"x-oss-object-acl": "private"})
        up = bucket.init_multipart_upload("mp", headers=acl)
        part = bucket.upload_part("mp", up.upload_id, 1, b"part")
        bucket.complete_multipart_upload("mp", up.upload_id, [oss.models.PartInfo(1, part.etag)])
        other = oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name + "-b")
        other.create_bucket(oss.BUCKET_ACL_PUBLIC_READ)
        try:
            made = other.get_bucket_acl().acl
        finally:
            other.delete_bucket()
        return [bucket.get_object_acl(k).acl for k in ("put", "copy", "mp")], made
    _, got = sides.run(scenario)
    assert got == [["public-read", "private", "public-read"], "public-read"]


def test_acl_requests_are_oss2s():
    for call in (lambda oss, b: b.put_object_acl("k", "public-read"),
                 lambda oss, b: b.put_bucket_acl("private"),
                 lambda oss, b: b.create_bucket("public-read", input=oss.models.BucketCreateConfig("IA", "LRS"))):
        o, p = sent_by_both(call)
        assert o == p
