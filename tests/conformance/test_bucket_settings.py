"""Bucket settings (issue 12, family 5), oss2 vs pyjindo on the same server: each setting put,
read back, deleted, its "no such configuration" error, and the request documents compared byte
for byte with oss2's."""
import datetime
import json

import pytest

from .recorder import sent_by_both


def _cors(oss):
    m = oss.models
    return m.BucketCors([m.CorsRule(allowed_origins=["https://*.example.com"], allowed_methods=["GET", "PUT"],
                                    allowed_headers=["x-oss-*"], expose_headers=["ETag"], max_age_seconds=600),
                         m.CorsRule(allowed_origins=["*"], allowed_methods=["HEAD"])], response_vary=True)


def _lifecycle(oss):
    m = oss.models
    tags = m.TaggingRule()
    tags.add("t", "v")
    return m.BucketLifecycle([
        m.LifecycleRule("days", "logs/", status=m.LifecycleRule.ENABLED, expiration=m.LifecycleExpiration(days=30),
                        abort_multipart_upload=m.AbortMultipartUpload(days=3),
                        storage_transitions=[m.StorageTransition(days=10, storage_class="IA", is_access_time=True,
                                                                 return_to_std_when_visit=False),
                                             m.StorageTransition(days=20, storage_class="Archive")],
                        tagging=m.Tagging(tags),
                        filter=m.LifecycleFilter([m.FilterNot("logs/keep", m.FilterNotTag("k", "v"))],
                                                 object_size_greater_than=10, object_size_less_than=1000)),
        m.LifecycleRule("date", "tmp/", status=m.LifecycleRule.DISABLED,
                        expiration=m.LifecycleExpiration(created_before_date=datetime.date(2024, 1, 2)),
                        abort_multipart_upload=m.AbortMultipartUpload(created_before_date=datetime.date(2024, 1, 3)),
                        storage_transitions=[m.StorageTransition(created_before_date=datetime.date(2023, 5, 6),
                                                                 storage_class="ColdArchive")]),
        m.LifecycleRule("versions", "v/", expiration=m.LifecycleExpiration(date=datetime.date(2030, 1, 1)),
                        noncurrent_version_expiration=m.NoncurrentVersionExpiration(40),
                        noncurrent_version_sotrage_transitions=[
                            m.NoncurrentVersionStorageTransition(12, "IA", is_access_time=True,
                                                                 return_to_std_when_visit=True)]),
    ])


def _website(oss, rules=True, flag=None):
    m = oss.models
    if not rules:
        return m.BucketWebsite("index.html", "error.html")
    return m.BucketWebsite("index.html", "error.html", [
        m.RoutingRule(1, m.Condition("abc/", 404, [m.ConditionInlcudeHeader("host", "test.oss")]),
                      m.Redirect(m.REDIRECT_TYPE_MIRROR, pass_query_string=flag, mirror_url="http://mirror.example/",
                                 mirror_url_slave="https://slave.example/", mirror_url_probe="http://probe.example/",
                                 mirror_pass_query_string=flag, mirror_follow_redirect=flag, mirror_check_md5=flag,
                                 mirror_headers=m.RedirectMirrorHeaders(flag, ["a"], ["b"],
                                                                        [m.MirrorHeadersSet("c", "d")]))),
        m.RoutingRule(2, m.Condition("def/", 403),
                      m.Redirect(m.REDIRECT_TYPE_EXTERNAL, proto="https", host_name="ext.example",
                                 http_redirect_code=302, replace_key_prefix_with="new/")),
        m.RoutingRule(3, m.Condition("ghi/", 404), m.Redirect(m.REDIRECT_TYPE_INTERNAL, replace_key_with="${key}.x")),
    ])


# Booleans as OSS itself writes them (oss2's models would send "True", see below).
WEBSITE_DOC = ("<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument>"
               "<Key>e.html</Key></ErrorDocument><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Condition>"
               "<KeyPrefixEquals>a/</KeyPrefixEquals><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals>"
               "</Condition><Redirect><RedirectType>Mirror</RedirectType><PassQueryString>true</PassQueryString>"
               "<MirrorURL>http://m.example/</MirrorURL><MirrorPassQueryString>false</MirrorPassQueryString>"
               "<MirrorFollowRedirect>true</MirrorFollowRedirect><MirrorCheckMd5>false</MirrorCheckMd5>"
               "<MirrorHeaders><PassAll>true</PassAll><Pass>p1</Pass><Pass>p2</Pass><Remove>r</Remove><Set><Key>k</Key>"
               "<Value>v</Value></Set></MirrorHeaders></Redirect></RoutingRule><RoutingRule><RuleNumber>2</RuleNumber>"
               "<Condition><KeyPrefixEquals>b/</KeyPrefixEquals><HttpErrorCodeReturnedEquals>403"
               "</HttpErrorCodeReturnedEquals></Condition><Redirect><RedirectType>AliCDN</RedirectType>"
               "<PassQueryString>false</PassQueryString><Protocol>http</Protocol><HostName>h</HostName>"
               "<HttpRedirectCode>301</HttpRedirectCode><ReplaceKeyWith>k</ReplaceKeyWith></Redirect></RoutingRule>"
               "</RoutingRules></WebsiteConfiguration>")

POLICY = json.dumps({"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["oss:GetObject"],
                                                    "Principal": ["*"], "Resource": ["acs:oss:*:*:b/*"]}]})


def _referer(oss):
    return oss.models.BucketReferer(False, ["http://a.example", "https://*.b.example"],
                                    allow_truncate_query_string=False, black_referers=["http://bad.example"])


# (name, put(oss, bucket), get, delete or None, the error get raises when unset or None)
SETTINGS = {
    "cors": (lambda oss, b: b.put_bucket_cors(_cors(oss)), lambda b: b.get_bucket_cors(),
             lambda b: b.delete_bucket_cors()),
    "lifecycle": (lambda oss, b: b.put_bucket_lifecycle(_lifecycle(oss), headers={"x-oss-meta-a": "1"}),
                  lambda b: b.get_bucket_lifecycle(), lambda b: b.delete_bucket_lifecycle()),
    "referer": (lambda oss, b: b.put_bucket_referer(_referer(oss)), lambda b: b.get_bucket_referer(), None),
    "website": (lambda oss, b: b.put_bucket_website(_website(oss)), lambda b: b.get_bucket_website(),
                lambda b: b.delete_bucket_website()),
    "website-raw": (lambda oss, b: b.put_bucket_website(WEBSITE_DOC), lambda b: b.get_bucket_website(),
                    lambda b: b.delete_bucket_website()),
    "website-plain": (lambda oss, b: b.put_bucket_website(_website(oss, rules=False)),
                      lambda b: b.get_bucket_website(), lambda b: b.delete_bucket_website()),
    "policy": (lambda oss, b: b.put_bucket_policy(POLICY), lambda b: b.get_bucket_policy(),
               lambda b: b.delete_bucket_policy()),
    "encryption": (lambda oss, b: b.put_bucket_encryption(oss.models.ServerSideEncryptionRule(
        oss.SERVER_SIDE_ENCRYPTION_KMS, "key-id", oss.KMS_DATA_ENCRYPTION_SM4)),
        lambda b: b.get_bucket_encryption(), lambda b: b.delete_bucket_encryption()),
    "encryption-aes": (lambda oss, b: b.put_bucket_encryption(oss.models.ServerSideEncryptionRule("AES256")),
                       lambda b: b.get_bucket_encryption(), lambda b: b.delete_bucket_encryption()),
    "logging": (lambda oss, b: b.put_bucket_logging(oss.models.BucketLogging(b.bucket_name, "log/")),
                lambda b: b.get_bucket_logging(), lambda b: b.delete_bucket_logging()),
    "versioning": (lambda oss, b: b.put_bucket_versioning(oss.models.BucketVersioningConfig(
        oss.BUCKET_VERSIONING_ENABLE), headers={"x-oss-meta-a": "1"}), lambda b: b.get_bucket_versioning(), None),
    "request-payment": (lambda oss, b: b.put_bucket_request_payment(oss.models.PAYER_REQUESTER),
                        lambda b: b.get_bucket_request_payment(), None),
}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_round_trip(sides, name):
    put, get, delete = SETTINGS[name]

    def scenario(oss, bucket):
        out = [put(oss, bucket), get(bucket)]
        if delete is not None:
            out.append(delete(bucket))
            try:
                out.append(get(bucket))
            except oss.exceptions.OssError as e:
                out.append(type(e).__name__)
        return out
    _, got = sides.run(scenario)
    assert "__raised__" not in got[1], got[1]


def test_lifecycle_expired_delete_marker_where_oss2_is_inconsistent(sides):
    """oss2 writes ExpiredObjectDeleteMarker as str(True) ("True") and reads it back only as
    "true"/"false": the get raises RuntimeError in both (the server keeps what it was sent)."""
    def scenario(oss, bucket):
        m = oss.models
        bucket.put_bucket_lifecycle(m.BucketLifecycle([m.LifecycleRule(
            "dm", "", expiration=m.LifecycleExpiration(expired_detete_marker=True))]))
        return bucket.get_bucket_lifecycle()
    expected, _ = sides.run(scenario)
    assert expected["__raised__"]["cls"] == "RuntimeError"


def test_website_booleans_where_oss2_is_inconsistent(sides):
    """oss2 writes the website booleans (PassQueryString, Mirror*, PassAll) with str(): "True";
    reading them back accepts only "true"/"false", so the get raises RuntimeError in both."""
    def scenario(oss, bucket):
        bucket.put_bucket_website(_website(oss, flag=True))
        return bucket.get_bucket_website()
    expected, _ = sides.run(scenario)
    assert expected["__raised__"]["cls"] == "RuntimeError"


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_before_any_put(sides, name):
    sides.run(lambda oss, bucket: SETTINGS[name][1](bucket))


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_documents_are_oss2s(name):
    o, p = sent_by_both(SETTINGS[name][0], headers=("content-md5", "content-type", "x-oss-meta-a"))
    assert o == p


def test_unset_settings_raise_oss2s_classes(sides):
    def scenario(oss, bucket):
        out = []
        for get in (bucket.get_bucket_cors, bucket.get_bucket_lifecycle, bucket.get_bucket_website,
                    bucket.get_bucket_policy, bucket.get_bucket_encryption):
            try:
                get()
            except oss.exceptions.NotFound as e:
                out.append((type(e).__name__, e.code))
        return out
    expected, _ = sides.run(scenario)
    assert [c for c, _ in expected] == ["NoSuchCors", "NoSuchLifecycle", "NoSuchWebsite", "NoSuchBucketPolicy",
                                        "NoSuchServerSideEncryptionRule"]


@pytest.mark.parametrize("call", [
    lambda oss, b: b.put_bucket_cors("<CORSConfiguration></CORSConfiguration>"),
    lambda oss, b: b.put_bucket_cors(oss.models.BucketCors([oss.models.CorsRule(["*"], ["PATCH"])])),
    lambda oss, b: b.put_bucket_lifecycle("<LifecycleConfiguration>"),
    lambda oss, b: b.put_bucket_referer("<RefererConfiguration/>"),
    lambda oss, b: b.put_bucket_website("<Other/>"),
    lambda oss, b: b.put_bucket_policy("not json"),
    lambda oss, b: b.put_bucket_encryption(oss.models.ServerSideEncryptionRule("DES")),
    lambda oss, b: b.put_bucket_logging(oss.models.BucketLogging("no-such-target-bucket", "p/")),
    lambda oss, b: b.put_bucket_versioning(oss.models.BucketVersioningConfig("Sometimes")),
    lambda oss, b: b.put_bucket_request_payment("Nobody"),
    lambda oss, b: oss.Bucket(b.auth, b.endpoint, b.bucket_name + "-none").get_bucket_cors(),
    lambda oss, b: oss.Bucket(b.auth, b.endpoint, b.bucket_name + "-none").get_bucket_stat(),
    lambda oss, b: oss.Bucket(b.auth, b.endpoint, b.bucket_name + "-none").get_bucket_location(),
    lambda oss, b: oss.models.RoutingRule(0, None, None),
    lambda oss, b: oss.models.Redirect("Mirror"),
    lambda oss, b: oss.models.Redirect("Mirror", mirror_url="ftp://x/"),
    lambda oss, b: oss.models.Redirect("External", http_redirect_code=200),
    lambda oss, b: oss.models.BucketWebsite("i", "e", rules=[1] * 6),
    lambda oss, b: oss.models.RedirectMirrorHeaders(pass_list="a"),
    lambda oss, b: oss.models.Condition(include_header_list=[1] * 6),
    lambda oss, b: oss.models.LifecycleExpiration(days=1, date=datetime.date.today()),
], ids=["cors-empty", "cors-method", "lifecycle-malformed", "referer-malformed", "website-malformed", "policy",
        "encryption", "logging-target", "versioning", "payer", "nobucket-cors", "nobucket-stat", "nobucket-location",
        "rule-num", "mirror-url-missing", "mirror-url-bad", "redirect-code", "website-rules", "mirror-headers",
        "condition-headers", "expiration-two"])
def test_setting_errors(sides, call):
    expected, _ = sides.run(call)
    assert "__raised__" in str(expected)


def test_stat_location_and_info(sides):
    def scenario(oss, bucket):
        bucket.put_object("a", b"12345")
        bucket.put_object("b", b"1", headers={"x-oss-storage-class": "IA"})
        bucket.init_multipart_upload("c")
        bucket.put_bucket_encryption(oss.models.ServerSideEncryptionRule("KMS", "kid"))
        bucket.put_bucket_versioning(oss.models.BucketVersioningConfig("Suspended"))
        bucket.put_bucket_acl("public-read")
        return bucket.get_bucket_stat(), bucket.get_bucket_location(), bucket.get_bucket_info()
    _, got = sides.run(scenario)
    assert (got[0]["storage_size_in_bytes"], got[0]["object_count"], got[0]["multi_part_upload_count"]) == (6, 2, 1)
    assert got[2]["bucket_encryption_rule"]["sse_algorithm"] == "KMS"
    assert got[2]["versioning_status"] == "Suspended"


def test_create_bucket_with_storage_class_shows_in_info(sides):
    def scenario(oss, bucket):
        other = oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name + "-c")
        other.create_bucket(input=oss.models.BucketCreateConfig(oss.BUCKET_STORAGE_CLASS_IA,
                                                                oss.BUCKET_DATA_REDUNDANCY_TYPE_ZRS))
        try:
            info = other.get_bucket_info()
        finally:
            other.delete_bucket()
        return info
    _, got = sides.run(scenario)
    assert (got["storage_class"], got["data_redundancy_type"]) == ("IA", "ZRS")


def test_website_condition_with_one_element_where_oss2_is_buggy(sides):
    """oss2 2.19.1 raises UnboundLocalError reading a routing rule whose Condition lacks
    KeyPrefixEquals or HttpErrorCodeReturnedEquals (a local it never assigns); pyjindo gives None
    for the absent one and agrees with oss2 everywhere else."""
    import oss2
    import pyjindo
    doc = ("<WebsiteConfiguration><IndexDocument><Suffix>i.html</Suffix></IndexDocument><RoutingRules><RoutingRule>"
           "<RuleNumber>1</RuleNumber><Condition><KeyPrefixEquals>p/</KeyPrefixEquals></Condition><Redirect>"
           "<RedirectType>Internal</RedirectType><ReplaceKeyWith>x</ReplaceKeyWith></Redirect></RoutingRule>"
           "</RoutingRules></WebsiteConfiguration>")
    b1, b2 = sides.fresh_bucket(oss2), sides.fresh_bucket(pyjindo)
    b1.put_bucket_website(doc)
    with pytest.raises(UnboundLocalError):
        b1.get_bucket_website()
    b2.put_bucket_website(doc)
    rule = b2.get_bucket_website().rules[0]
    assert (rule.condition.key_prefix_equals, rule.condition.http_err_code_return_equals) == ("p/", None)
    assert (rule.redirect.redirect_type, rule.redirect.replace_key_with) == ("Internal", "x")
