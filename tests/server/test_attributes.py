"""The real oss2 against jindo server: bucket and object attributes OSS stores and returns (storage
class, ACL, server-side encryption, tagging), the archive state, batch delete of keys with control
characters, and re-creating a bucket one owns."""
import base64
import hashlib
import os

import oss2
import pytest
from oss2 import exceptions

from jindo_server import JindoServer

# oss2 2.19.1 names none of these headers in oss2.headers.
OSS_OBJECT_TAGGING = "x-oss-tagging"
OSS_SERVER_SIDE_ENCRYPTION = "x-oss-server-side-encryption"
OSS_STORAGE_CLASS = "x-oss-storage-class"

_names = iter(range(1 << 30))


def _new_bucket(server, auth, **kw):
    b = oss2.Bucket(auth, server.endpoint, "attr-%d-%d" % (os.getpid(), next(_names)))
    b.create_bucket(**kw)
    return b


def test_batch_delete_of_keys_with_control_characters(bucket):
    # oss2 writes these raw into the request XML (which XML 1.0 forbids) and asks encoding-type=url.
    keys = ["ctrl\x01-key", "\x0c", "tab\tand\x1fus", "cr\rkey"]
    for k in keys:
        bucket.put_object(k, b"x")
    result = bucket.batch_delete_objects(keys + ["plain-missing"])
    assert sorted(result.deleted_keys) == sorted(keys + ["plain-missing"])
    for k in keys:
        assert not bucket.object_exists(k)


def _post_delete(bucket, body):
    """A batch delete with a hand-written body, signed by oss2."""
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    return bucket._do("POST", bucket.bucket_name, "", data=body,
                      params={"delete": "", "encoding-type": "url"}, headers={"Content-MD5": md5})


def test_batch_delete_of_private_use_and_noncharacter_keys(bucket):
    # U+E000 is what the server's own escaping uses; U+FFFE/U+FFFF are forbidden by XML like the
    # control characters, and oss2 writes them raw too.
    keys = ["a\ue000A", "a\ue000", "\ue000\ue000x", "a\uffff", "b\ufffe", "c\x7f"]
    for k in keys + ["a\x01"]:
        bucket.put_object(k, b"x")
    result = bucket.batch_delete_objects(keys)
    assert sorted(result.deleted_keys) == sorted(keys)
    assert [o.key for o in oss2.ObjectIterator(bucket)] == ["a\x01"]


def test_a_character_reference_deletes_the_key_it_names(bucket):
    bucket.put_object("a\ue000A", b"x")
    bucket.put_object("a\x01", b"y")
    for ref in ["&#xE000;", "&#57344;"]:
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>false</Quiet>"
                "<Object><Key>a%sA</Key></Object><Object><Key>z\x02</Key></Object></Delete>" % ref).encode()
        resp = _post_delete(bucket, body)
        assert resp.status == 200
        assert b"<Key>a%EE%80%80A</Key>" in resp.read()
        assert [o.key for o in oss2.ObjectIterator(bucket)] == ["a\x01"]


def test_batch_delete_of_1000_keys_that_need_escaping(bucket):
    # 1000 keys of 1023 bytes of '&' are about 5 MB once escaped (&amp;): a legal batch delete.
    keys = ["%04d" % i + "&" * 1019 for i in range(1000)]
    bucket.put_object(keys[0], b"x")
    bucket.put_object(keys[999], b"x")
    result = bucket.batch_delete_objects(keys)
    assert sorted(result.deleted_keys) == keys
    assert not bucket.object_exists(keys[0]) and not bucket.object_exists(keys[999])


def test_request_documents_with_many_attributes_are_refused(bucket):
    body = ("<Delete><Object" + "".join(' a%d=""' % i for i in range(100000)) +
            "><Key>k</Key></Object></Delete>").encode()
    with pytest.raises(exceptions.ServerError) as e:
        _post_delete(bucket, body)
    assert (e.value.status, e.value.code) == (400, "MalformedXML")


def test_creating_a_bucket_one_owns_is_a_no_op(server, auth):
    b = _new_bucket(server, auth, permission=oss2.BUCKET_ACL_PUBLIC_READ,
                    input=oss2.models.BucketCreateConfig(oss2.BUCKET_STORAGE_CLASS_IA))
    b.put_object("k", b"kept")
    again = b.create_bucket()
    assert again.status == 200
    info = b.get_bucket_info()
    assert (info.storage_class, info.acl.grant) == ("IA", "public-read")
    assert b.get_object("k").read() == b"kept"


def test_bucket_storage_class_acl_and_encryption_rule(server, auth):
    plain = _new_bucket(server, auth)
    info = plain.get_bucket_info()
    assert (info.storage_class, info.acl.grant, info.data_redundancy_type) == ("Standard", "private", "LRS")
    rule = info.bucket_encryption_rule
    assert rule is not None and (rule.sse_algorithm, rule.kms_master_keyid) == (None, None)

    archive = _new_bucket(server, auth, permission=oss2.BUCKET_ACL_PUBLIC_READ_WRITE,
                          input=oss2.models.BucketCreateConfig(oss2.BUCKET_STORAGE_CLASS_ARCHIVE))
    info = archive.get_bucket_info()
    assert (info.storage_class, info.acl.grant) == ("Archive", "public-read-write")
    listed = {b.name: b.storage_class for b in oss2.BucketIterator(oss2.Service(auth, server.endpoint))}
    assert listed[archive.bucket_name] == "Archive"
    # Objects inherit the bucket's class unless the request names one.
    archive.put_object("inherits", b"cold")
    assert archive.head_object("inherits").headers[OSS_STORAGE_CLASS] == "Archive"


@pytest.mark.parametrize("field,value,code", [
    ("acl", "public", "InvalidArgument"),
    ("class", "Glacier", "InvalidArgument"),
])
def test_bucket_creation_refuses_invalid_values(server, auth, field, value, code):
    b = oss2.Bucket(auth, server.endpoint, "bad-%d-%d" % (os.getpid(), next(_names)))
    kw = {"permission": value} if field == "acl" else {"input": oss2.models.BucketCreateConfig(value)}
    with pytest.raises(exceptions.ServerError) as e:
        b.create_bucket(**kw)
    assert (e.value.status, e.value.code) == (400, code)
    with pytest.raises(exceptions.NoSuchBucket):
        b.get_bucket_info()


def test_object_storage_class_and_encryption_are_stored_and_returned(bucket):
    put = bucket.put_object("ia", b"data", headers={OSS_STORAGE_CLASS: "IA", OSS_SERVER_SIDE_ENCRYPTION: "AES256"})
    assert put.headers[OSS_SERVER_SIDE_ENCRYPTION] == "AES256"
    for r in (bucket.head_object("ia"), bucket.get_object("ia")):
        assert r.headers[OSS_STORAGE_CLASS] == "IA" and r.headers[OSS_SERVER_SIDE_ENCRYPTION] == "AES256"
    bucket.put_object("std", b"data")
    head = bucket.head_object("std")
    assert head.headers[OSS_STORAGE_CLASS] == "Standard" and OSS_SERVER_SIDE_ENCRYPTION not in head.headers
    classes = {o.key: o.storage_class for o in oss2.ObjectIterator(bucket)}
    assert classes == {"ia": "IA", "std": "Standard"}
    assert {o.key: o.storage_class for o in oss2.ObjectIteratorV2(bucket)} == classes


def test_multipart_and_copy_carry_the_requested_attributes(bucket):
    init = bucket.init_multipart_upload("mp", headers={OSS_STORAGE_CLASS: "ColdArchive",
                                                       OSS_SERVER_SIDE_ENCRYPTION: "KMS"})
    assert init.headers[OSS_SERVER_SIDE_ENCRYPTION] == "KMS"
    up = init.upload_id
    p = bucket.upload_part("mp", up, 1, b"part")
    bucket.complete_multipart_upload("mp", up, [oss2.models.PartInfo(1, p.etag)])
    head = bucket.head_object("mp")
    assert head.headers[OSS_STORAGE_CLASS] == "ColdArchive" and head.headers[OSS_SERVER_SIDE_ENCRYPTION] == "KMS"

    bucket.put_object("src", b"source", headers={OSS_STORAGE_CLASS: "IA"})
    bucket.copy_object(bucket.bucket_name, "src", "dst", headers={OSS_STORAGE_CLASS: "Archive"})
    assert bucket.head_object("dst").headers[OSS_STORAGE_CLASS] == "Archive"
    bucket.copy_object(bucket.bucket_name, "src", "dst2")
    assert bucket.head_object("dst2").headers[OSS_STORAGE_CLASS] == "Standard"  # the bucket's class


@pytest.mark.parametrize("cls", ["Archive", "ColdArchive", "DeepColdArchive"])
def test_archived_objects_cannot_be_read_until_restored(bucket, cls):
    bucket.put_object("frozen", b"cold data", headers={OSS_STORAGE_CLASS: cls})
    head = bucket.head_object("frozen")
    assert head.content_length == 9 and head.headers[OSS_STORAGE_CLASS] == cls
    with pytest.raises(exceptions.ServerError) as e:
        bucket.get_object("frozen")
    assert (e.value.status, e.value.code) == (403, "InvalidObjectState")
    assert e.value.message == "The operation is not valid for the object's state"
    assert e.value.ec == "0016-00000404"
    with pytest.raises(exceptions.ServerError) as e:
        bucket.get_object("frozen", byte_range=(0, 3))
    assert e.value.code == "InvalidObjectState"
    with pytest.raises(exceptions.ServerError) as e:
        bucket.copy_object(bucket.bucket_name, "frozen", "thawed")
    assert e.value.code == "InvalidObjectState"


@pytest.mark.parametrize("headers,code", [
    ({OSS_STORAGE_CLASS: "Glacier"}, "InvalidArgument"),
    ({OSS_STORAGE_CLASS: ""}, "InvalidArgument"),
    ({OSS_SERVER_SIDE_ENCRYPTION: "DES"}, "InvalidEncryptionAlgorithmError"),
    ({OSS_OBJECT_TAGGING: "=a&b=a"}, "InvalidArgument"),
    ({OSS_OBJECT_TAGGING: "a=b&a=b"}, "InvalidArgument"),
    ({OSS_OBJECT_TAGGING: "k" * 129 + "=v"}, "InvalidArgument"),
    ({OSS_OBJECT_TAGGING: "k=" + "v" * 257}, "InvalidArgument"),
    ({OSS_OBJECT_TAGGING: "&".join("k%d=v" % i for i in range(11))}, "InvalidArgument"),
    ({OSS_OBJECT_TAGGING: "aa=bb=cc"}, "InvalidArgument"),
])
def test_invalid_attributes_are_refused(bucket, headers, code):
    for call in (lambda: bucket.put_object("k", b"data", headers=headers),
                 lambda: bucket.init_multipart_upload("k", headers=headers),
                 lambda: bucket.append_object("k", 0, b"data", headers=headers)):
        with pytest.raises(exceptions.ServerError) as e:
            call()
        assert (e.value.status, e.value.code) == (400, code)
    assert not bucket.object_exists("k")
    assert bucket.list_multipart_uploads().upload_list == []


def test_valid_tagging_is_accepted_and_counted(bucket):
    tagging = "a=&b=c&" + oss2.compat.urlquote("+:/") + "=" + oss2.compat.urlquote("中文".encode())
    bucket.put_object("t", b"data", headers={OSS_OBJECT_TAGGING: tagging})
    assert bucket.head_object("t").headers["x-oss-tagging-count"] == "3"
    bucket.put_object("untagged", b"")
    assert "x-oss-tagging-count" not in bucket.head_object("untagged").headers


def test_attributes_survive_a_restart(tmp_path):
    root = str(tmp_path / "data")
    args = ("--root", root)
    with JindoServer(*args, access_key_id="ak", access_key_secret="sk") as s:
        b = oss2.Bucket(oss2.Auth("ak", "sk"), s.endpoint, "keep")
        b.create_bucket(oss2.BUCKET_ACL_PUBLIC_READ, oss2.models.BucketCreateConfig(oss2.BUCKET_STORAGE_CLASS_IA))
        b.put_object("k", b"v", headers={OSS_STORAGE_CLASS: "Archive", OSS_SERVER_SIDE_ENCRYPTION: "SM4",
                                         OSS_OBJECT_TAGGING: "x=1"})
        up = b.init_multipart_upload("mp", headers={OSS_STORAGE_CLASS: "Standard"}).upload_id
    with JindoServer(*args, access_key_id="ak", access_key_secret="sk") as s:
        b = oss2.Bucket(oss2.Auth("ak", "sk"), s.endpoint, "keep")
        info = b.get_bucket_info()
        assert (info.storage_class, info.acl.grant) == ("IA", "public-read")
        head = b.head_object("k")
        assert head.headers[OSS_STORAGE_CLASS] == "Archive" and head.headers[OSS_SERVER_SIDE_ENCRYPTION] == "SM4"
        assert head.headers["x-oss-tagging-count"] == "1"
        p = b.upload_part("mp", up, 1, b"p")
        b.complete_multipart_upload("mp", up, [oss2.models.PartInfo(1, p.etag)])
        assert b.head_object("mp").headers[OSS_STORAGE_CLASS] == "Standard"
