"""The real oss2 against jindo server: object and bucket ACLs, stored, reported and enforced for
unsigned requests (a server without --anonymous judges them by the ACLs, as OSS does)."""
import oss2
import pytest
import requests
from oss2 import exceptions


@pytest.fixture
def anon(server, bucket):
    """The same bucket, seen by a client that signs nothing."""
    return oss2.Bucket(oss2.AnonymousAuth(), server.endpoint, bucket.bucket_name)


def test_object_acl_is_stored_and_reported(bucket):
    bucket.put_object("k", b"x")
    assert bucket.get_object_acl("k").acl == oss2.OBJECT_ACL_DEFAULT
    for acl in (oss2.OBJECT_ACL_PUBLIC_READ, oss2.OBJECT_ACL_PRIVATE, oss2.OBJECT_ACL_PUBLIC_READ_WRITE,
                oss2.OBJECT_ACL_DEFAULT):
        assert bucket.put_object_acl("k", acl).status == 200
        assert bucket.get_object_acl("k").acl == acl
    assert bucket.get_object("k").read() == b"x"  # the content is untouched


@pytest.mark.parametrize("write", ["put", "copy", "multipart", "append"])
def test_object_acl_header_on_writes(bucket, write):
    headers = {"x-oss-object-acl": oss2.OBJECT_ACL_PUBLIC_READ}
    if write == "put":
        bucket.put_object("k", b"x", headers=headers)
    elif write == "copy":
        bucket.put_object("src", b"x", headers={"x-oss-object-acl": oss2.OBJECT_ACL_PRIVATE})
        bucket.copy_object(bucket.bucket_name, "src", "k", headers=headers)
    elif write == "multipart":
        upload = bucket.init_multipart_upload("k", headers=headers).upload_id
        part = bucket.upload_part("k", upload, 1, b"x")
        bucket.complete_multipart_upload("k", upload, [oss2.models.PartInfo(1, part.etag)])
    else:
        bucket.append_object("k", 0, b"x", headers=headers)
    assert bucket.get_object_acl("k").acl == oss2.OBJECT_ACL_PUBLIC_READ


def test_copy_does_not_take_the_source_acl(bucket):
    bucket.put_object("src", b"x", headers={"x-oss-object-acl": oss2.OBJECT_ACL_PUBLIC_READ})
    bucket.copy_object(bucket.bucket_name, "src", "dst")
    assert bucket.get_object_acl("dst").acl == oss2.OBJECT_ACL_DEFAULT


def test_invalid_object_acl_is_refused(bucket):
    bucket.put_object("k", b"x")
    with pytest.raises(exceptions.InvalidArgument):
        bucket.put_object_acl("k", "public")
    with pytest.raises(exceptions.InvalidArgument):
        bucket.put_object("other", b"x", headers={"x-oss-object-acl": "world"})
    assert not bucket.object_exists("other")
    assert bucket.get_object_acl("k").acl == oss2.OBJECT_ACL_DEFAULT


def test_object_acl_of_a_missing_object(bucket):
    with pytest.raises(exceptions.NoSuchKey):
        bucket.get_object_acl("missing")
    with pytest.raises(exceptions.NoSuchKey):
        bucket.put_object_acl("missing", oss2.OBJECT_ACL_PRIVATE)


def test_bucket_acl_is_stored_and_reported(bucket):
    assert bucket.get_bucket_acl().acl == oss2.BUCKET_ACL_PRIVATE
    bucket.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ_WRITE)
    assert bucket.get_bucket_acl().acl == oss2.BUCKET_ACL_PUBLIC_READ_WRITE
    assert bucket.get_bucket_info().acl.grant == oss2.BUCKET_ACL_PUBLIC_READ_WRITE
    with pytest.raises(exceptions.InvalidArgument):
        bucket.put_bucket_acl("everyone")
    assert bucket.get_bucket_acl().acl == oss2.BUCKET_ACL_PUBLIC_READ_WRITE


def test_bucket_acl_of_a_missing_bucket(server, auth):
    b = oss2.Bucket(auth, server.endpoint, "acl-missing-bucket")
    with pytest.raises(exceptions.NoSuchBucket):
        b.get_bucket_acl()
    with pytest.raises(exceptions.NoSuchBucket):
        b.put_bucket_acl(oss2.BUCKET_ACL_PRIVATE)


def test_unsigned_reads_follow_the_object_acl(bucket, anon):
    bucket.put_object("public", b"open", headers={"x-oss-object-acl": oss2.OBJECT_ACL_PUBLIC_READ})
    bucket.put_object("private", b"closed")
    assert anon.get_object("public").read() == b"open"
    assert anon.head_object("public").content_length == 4
    assert anon.get_object_meta("public").content_length == 4
    with pytest.raises(exceptions.AccessDenied):
        anon.get_object("private")
    # A public object stays unwritable for anyone but the owner.
    with pytest.raises(exceptions.AccessDenied):
        anon.put_object("public", b"changed")
    with pytest.raises(exceptions.AccessDenied):
        anon.put_object_acl("public", oss2.OBJECT_ACL_PUBLIC_READ_WRITE)
    with pytest.raises(exceptions.AccessDenied):
        anon.delete_object("public")
    assert bucket.get_object("public").read() == b"open"


def test_unsigned_reads_inherit_a_public_read_bucket(bucket, anon):
    bucket.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    bucket.put_object("inherits", b"open")
    bucket.put_object("own", b"closed", headers={"x-oss-object-acl": oss2.OBJECT_ACL_PRIVATE})
    assert anon.get_object("inherits").read() == b"open"
    assert [o.key for o in oss2.ObjectIterator(anon)] == ["inherits", "own"]
    with pytest.raises(exceptions.AccessDenied):
        anon.get_object("own")  # the object's own ACL wins
    with pytest.raises(exceptions.AccessDenied):
        anon.put_object("new", b"x")
    with pytest.raises(exceptions.AccessDenied):
        anon.get_bucket_acl()


def test_unsigned_writes_need_public_read_write(bucket, anon):
    with pytest.raises(exceptions.AccessDenied):
        anon.list_objects()
    bucket.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ_WRITE)
    anon.put_object("w", b"written")
    anon.append_object("a", 0, b"appended")
    assert bucket.get_object("w").read() == b"written"
    assert anon.get_object("a").read() == b"appended"
    anon.delete_object("w")
    assert not bucket.object_exists("w")
    with pytest.raises(exceptions.AccessDenied):
        anon.put_bucket_acl(oss2.BUCKET_ACL_PRIVATE)
    with pytest.raises(exceptions.AccessDenied):
        anon.put_object_acl("a", oss2.OBJECT_ACL_PRIVATE)


def test_unsigned_write_to_a_public_read_write_object(bucket, anon):
    bucket.put_object("rw", b"x", headers={"x-oss-object-acl": oss2.OBJECT_ACL_PUBLIC_READ_WRITE})
    anon.put_object("rw", b"y")
    assert bucket.get_object("rw").read() == b"y"


def test_plain_http_get_of_a_public_object(server, bucket):
    bucket.put_object("page.html", b"<p>hi</p>", headers={"x-oss-object-acl": oss2.OBJECT_ACL_PUBLIC_READ})
    r = requests.get("%s/%s/page.html" % (server.endpoint, bucket.bucket_name), timeout=10)
    assert (r.status_code, r.content) == (200, b"<p>hi</p>")
    bucket.put_object_acl("page.html", oss2.OBJECT_ACL_PRIVATE)
    r = requests.get("%s/%s/page.html" % (server.endpoint, bucket.bucket_name), timeout=10)
    assert r.status_code == 403 and b"<Code>AccessDenied</Code>" in r.content
