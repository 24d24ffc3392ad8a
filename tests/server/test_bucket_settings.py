"""The real oss2 against jindo server: bucket settings (CORS and the preflight answer, lifecycle,
referer, website, policy, encryption, logging, versioning, request payment), stored and returned
as put, their "no such configuration" errors, and bucket stat, location and info."""
import datetime
import json

import oss2
import pytest
import requests
from oss2 import exceptions
from oss2.models import (BucketCors, BucketLifecycle, BucketLogging, BucketReferer, BucketVersioningConfig,
                         BucketWebsite, CorsRule, LifecycleExpiration, LifecycleRule, ServerSideEncryptionRule)


def test_cors(bucket):
    with pytest.raises(exceptions.NoSuchCors):
        bucket.get_bucket_cors()
    rules = [CorsRule(allowed_origins=["https://*.example.com"], allowed_methods=["GET", "PUT"],
                      allowed_headers=["x-oss-*", "Content-Type"], expose_headers=["ETag", "x-oss-request-id"],
                      max_age_seconds=600),
             CorsRule(allowed_origins=["*"], allowed_methods=["HEAD"])]
    bucket.put_bucket_cors(BucketCors(rules))
    got = bucket.get_bucket_cors().rules
    assert [(r.allowed_origins, r.allowed_methods, r.allowed_headers, r.expose_headers, r.max_age_seconds)
            for r in got] == [(["https://*.example.com"], ["GET", "PUT"], ["x-oss-*", "Content-Type"],
                               ["ETag", "x-oss-request-id"], 600), (["*"], ["HEAD"], [], [], None)]
    assert bucket.delete_bucket_cors().status == 204
    with pytest.raises(exceptions.NoSuchCors):
        bucket.get_bucket_cors()


@pytest.mark.parametrize("doc,error", [
    ("<CORSConfiguration></CORSConfiguration>", exceptions.MalformedXml),
    ("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
     exceptions.MalformedXml),
    ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>"
     "</CORSRule></CORSConfiguration>", exceptions.InvalidArgument),
    ("<Other/>", exceptions.MalformedXml),
    ("<CORSConfiguration>", exceptions.MalformedXml),
])
def test_invalid_cors_is_refused(bucket, doc, error):
    with pytest.raises(error):
        bucket.put_bucket_cors(doc)
    with pytest.raises(exceptions.NoSuchCors):
        bucket.get_bucket_cors()


def _preflight(server, bucket, origin, method, headers=None, key="obj"):
    h = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        h["Access-Control-Request-Headers"] = headers
    return requests.options("%s/%s/%s" % (server.endpoint, bucket.bucket_name, key), headers=h, timeout=10)


def test_preflight(server, bucket):
    r = _preflight(server, bucket, "https://app.example.com", "PUT")
    assert r.status_code == 403 and b"<Code>AccessForbidden</Code>" in r.content  # no CORS yet
    bucket.put_bucket_cors(BucketCors([CorsRule(allowed_origins=["https://*.example.com"], allowed_methods=["GET", "PUT"],
                                                allowed_headers=["x-oss-*", "content-type"], expose_headers=["ETag"],
                                                max_age_seconds=600)]))
    r = _preflight(server, bucket, "https://app.example.com", "PUT", "X-Oss-Meta-A, Content-Type")
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert r.headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert r.headers["Access-Control-Allow-Headers"] == "X-Oss-Meta-A, Content-Type"
    assert r.headers["Access-Control-Expose-Headers"] == "ETag"
    assert r.headers["Access-Control-Max-Age"] == "600"
    assert _preflight(server, bucket, "https://app.example.com", "GET", key="").status_code == 200
    for origin, method, headers in [("https://evil.org", "PUT", None), ("https://app.example.com", "DELETE", None),
                                    ("https://app.example.com", "PUT", "Authorization")]:
        r = _preflight(server, bucket, origin, method, headers)
        assert r.status_code == 403 and b"<Code>AccessForbidden</Code>" in r.content, (origin, method, headers)


def test_lifecycle(bucket):
    with pytest.raises(exceptions.NoSuchLifecycle):
        bucket.get_bucket_lifecycle()
    rules = [LifecycleRule("expire-logs", "logs/", status=LifecycleRule.ENABLED, expiration=LifecycleExpiration(days=30)),
             LifecycleRule("old", "tmp/", status=LifecycleRule.DISABLED,
                           expiration=LifecycleExpiration(created_before_date=datetime.date(2024, 1, 2)))]
    bucket.put_bucket_lifecycle(BucketLifecycle(rules))
    got = bucket.get_bucket_lifecycle().rules
    assert [(r.id, r.prefix, r.status) for r in got] == [("expire-logs", "logs/", "Enabled"), ("old", "tmp/", "Disabled")]
    assert got[0].expiration.days == 30
    assert got[1].expiration.created_before_date == datetime.date(2024, 1, 2)
    with pytest.raises(exceptions.MalformedXml):
        bucket.put_bucket_lifecycle("<LifecycleConfiguration><Rule><ID>x</ID><Prefix/><Status>On</Status></Rule>"
                                    "</LifecycleConfiguration>")
    assert bucket.delete_bucket_lifecycle().status == 204
    with pytest.raises(exceptions.NoSuchLifecycle):
        bucket.get_bucket_lifecycle()


def test_referer(bucket):
    got = bucket.get_bucket_referer()
    assert (got.allow_empty_referer, got.referers) == (True, [])
    bucket.put_bucket_referer(BucketReferer(False, ["https://*.example.com", "https://a.org"],
                                            allow_truncate_query_string=False, black_referers=["https://bad.org"]))
    got = bucket.get_bucket_referer()
    assert (got.allow_empty_referer, got.referers, got.allow_truncate_query_string, got.black_referers) == \
        (False, ["https://*.example.com", "https://a.org"], False, ["https://bad.org"])
    with pytest.raises(exceptions.MalformedXml):
        bucket.put_bucket_referer("<RefererConfiguration><AllowEmptyReferer>maybe</AllowEmptyReferer></RefererConfiguration>")


def test_website(bucket):
    with pytest.raises(exceptions.NoSuchWebsite):
        bucket.get_bucket_website()
    bucket.put_bucket_website(BucketWebsite("index.html", "error.html"))
    got = bucket.get_bucket_website()
    assert (got.index_file, got.error_file) == ("index.html", "error.html")
    with pytest.raises(exceptions.MalformedXml):
        bucket.put_bucket_website("<WebsiteConfiguration></WebsiteConfiguration>")
    assert bucket.delete_bucket_website().status == 204
    with pytest.raises(exceptions.NoSuchWebsite):
        bucket.get_bucket_website()


def test_policy(bucket):
    with pytest.raises(exceptions.NoSuchBucketPolicy):
        bucket.get_bucket_policy()
    policy = json.dumps({"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["oss:GetObject"],
                                                        "Principal": ["*"], "Resource": ["acs:oss:*:*:b/*"]}]})
    bucket.put_bucket_policy(policy)
    assert bucket.get_bucket_policy().policy == policy
    with pytest.raises(exceptions.ServerError) as e:
        bucket.put_bucket_policy("{not json")
    assert (e.value.status, e.value.code) == (400, "InvalidPolicyDocument")
    assert bucket.delete_bucket_policy().status == 204
    with pytest.raises(exceptions.NoSuchBucketPolicy):
        bucket.get_bucket_policy()


def test_encryption_shows_in_bucket_info(bucket):
    with pytest.raises(exceptions.NoSuchServerSideEncryptionRule):
        bucket.get_bucket_encryption()
    assert bucket.get_bucket_info().bucket_encryption_rule.sse_algorithm is None
    bucket.put_bucket_encryption(ServerSideEncryptionRule("KMS", "key-1", "SM4"))
    got = bucket.get_bucket_encryption()
    assert (got.sse_algorithm, got.kms_master_keyid, got.kms_data_encryption) == ("KMS", "key-1", "SM4")
    rule = bucket.get_bucket_info().bucket_encryption_rule
    assert (rule.sse_algorithm, rule.kms_master_keyid, rule.kms_data_encryption) == ("KMS", "key-1", "SM4")
    bucket.put_bucket_encryption(ServerSideEncryptionRule("AES256"))
    assert bucket.get_bucket_encryption().kms_master_keyid is None
    with pytest.raises(exceptions.InvalidArgument):
        bucket.put_bucket_encryption(ServerSideEncryptionRule("ROT13"))
    with pytest.raises(exceptions.InvalidArgument):
        bucket.put_bucket_encryption(ServerSideEncryptionRule("AES256", "key-1"))
    assert bucket.delete_bucket_encryption().status == 204
    with pytest.raises(exceptions.NoSuchServerSideEncryptionRule):
        bucket.get_bucket_encryption()


def test_logging(server, auth, bucket):
    got = bucket.get_bucket_logging()
    assert (got.target_bucket, got.target_prefix) == ("", "")
    bucket.put_bucket_logging(BucketLogging(bucket.bucket_name, "access/"))
    got = bucket.get_bucket_logging()
    assert (got.target_bucket, got.target_prefix) == (bucket.bucket_name, "access/")
    with pytest.raises(exceptions.ServerError) as e:
        bucket.put_bucket_logging(BucketLogging("no-such-target-bucket", "x/"))
    assert (e.value.status, e.value.code) == (400, "InvalidTargetBucketForLogging")
    assert bucket.delete_bucket_logging().status == 204
    assert bucket.get_bucket_logging().target_bucket == ""


def test_versioning_is_stored_and_reported(bucket):
    assert bucket.get_bucket_versioning().status is None
    assert bucket.get_bucket_info().versioning_status is None
    bucket.put_bucket_versioning(BucketVersioningConfig("Enabled"))
    assert bucket.get_bucket_versioning().status == "Enabled"
    assert bucket.get_bucket_info().versioning_status == "Enabled"
    bucket.put_bucket_versioning(BucketVersioningConfig("Suspended"))
    assert bucket.get_bucket_versioning().status == "Suspended"
    with pytest.raises(exceptions.MalformedXml):
        bucket.put_bucket_versioning(BucketVersioningConfig("Sometimes"))


def test_request_payment(bucket):
    assert bucket.get_bucket_request_payment().payer == "BucketOwner"
    bucket.put_bucket_request_payment("Requester")
    assert bucket.get_bucket_request_payment().payer == "Requester"
    with pytest.raises(exceptions.MalformedXml):
        bucket.put_bucket_request_payment("Nobody")
    assert bucket.get_bucket_request_payment().payer == "Requester"


def test_settings_of_a_missing_bucket(server, auth):
    b = oss2.Bucket(auth, server.endpoint, "settings-missing-bucket")
    for call in (b.get_bucket_cors, b.get_bucket_lifecycle, b.get_bucket_policy, b.get_bucket_referer,
                 b.get_bucket_stat, b.get_bucket_location, b.get_bucket_versioning, b.delete_bucket_cors,
                 lambda: b.put_bucket_versioning(BucketVersioningConfig("Enabled"))):
        with pytest.raises(exceptions.NoSuchBucket):
            call()


def test_bucket_stat_counts(bucket):
    st = bucket.get_bucket_stat()
    assert (st.storage_size_in_bytes, st.object_count, st.multi_part_upload_count) == (0, 0, 0)
    bucket.put_object("a", b"12345")
    bucket.put_object("b", b"123", headers={"x-oss-storage-class": "IA"})
    bucket.put_object("c", b"1234567", headers={"x-oss-storage-class": "Archive"})
    upload = bucket.init_multipart_upload("mp").upload_id
    bucket.upload_part("mp", upload, 1, b"x")
    bucket.upload_part("mp", upload, 2, b"y")
    st = bucket.get_bucket_stat()
    assert (st.storage_size_in_bytes, st.object_count, st.multi_part_upload_count, st.multipart_part_count) == (15, 3, 1, 2)
    assert (st.standard_storage, st.standard_object_count) == (5, 1)
    assert (st.infrequent_access_storage, st.infrequent_access_object_count) == (3, 1)
    assert (st.archive_storage, st.archive_object_count) == (7, 1)
    assert st.last_modified_time > 0


def test_bucket_location(server, bucket):
    assert bucket.get_bucket_location().location == "oss-cn-hangzhou"


def test_settings_survive_a_restart(tmp_path):
    from jindo_server import JindoServer
    root = str(tmp_path / "root")
    with JindoServer("--root", root) as s:
        keys = (s.access_key_id, s.access_key_secret)
        b = oss2.Bucket(oss2.Auth(*keys), s.endpoint, "persist")
        b.create_bucket()
        b.put_bucket_cors(BucketCors([CorsRule(allowed_origins=["*"], allowed_methods=["GET"])]))
        b.put_bucket_versioning(BucketVersioningConfig("Enabled"))
        b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
        b.put_object("k", b"x", headers={"x-oss-tagging": "t=1", "x-oss-object-acl": "private"})
        b.put_symlink("k", "link")
    with JindoServer("--root", root, access_key_id=keys[0], access_key_secret=keys[1]) as s:
        b = oss2.Bucket(oss2.Auth(*keys), s.endpoint, "persist")
        assert b.get_bucket_cors().rules[0].allowed_methods == ["GET"]
        assert b.get_bucket_versioning().status == "Enabled"
        assert b.get_bucket_acl().acl == "public-read"
        assert b.get_object_acl("k").acl == "private"
        assert b.get_object_tagging("k").tag_set.tagging_rule == {"t": "1"}
        assert b.get_symlink("link").target_key == "k"
