"""The real oss2 against jindo server: object tagging (?tagging, and x-oss-tagging on writes)
and bucket tagging."""
import oss2
import pytest
from oss2 import exceptions
from oss2.models import Tagging, TaggingRule

OSS_OBJECT_TAGGING = "x-oss-tagging"


def _tagging(**tags):
    rule = TaggingRule()
    for k, v in tags.items():
        rule.add(k, v)
    return Tagging(rule)


def _rule(n, key_len=3, value_len=3):
    """A Tagging document of n tags, written by hand: oss2 refuses to build some of these."""
    tags = "".join("<Tag><Key>%s</Key><Value>%s</Value></Tag>" % (("k%d" % i).ljust(key_len, "k"), "v" * value_len)
                   for i in range(n))
    return "<Tagging><TagSet>%s</TagSet></Tagging>" % tags


def test_object_tagging_put_get_delete(bucket):
    bucket.put_object("k", b"x")
    assert bucket.get_object_tagging("k").tag_set.tagging_rule == {}
    rule = TaggingRule()
    rule.add("key1", "value1")
    rule.add(128 * "a", 256 * "b")
    rule.add("+-/ &=", ":+: 中文")
    rule.add("empty", "")
    assert bucket.put_object_tagging("k", Tagging(rule)).status == 200
    assert bucket.get_object_tagging("k").tag_set.tagging_rule == rule.tagging_rule
    assert bucket.head_object("k").headers["x-oss-tagging-count"] == "4"
    assert bucket.delete_object_tagging("k").status == 204
    assert bucket.get_object_tagging("k").tag_set.tagging_rule == {}
    assert "x-oss-tagging-count" not in bucket.head_object("k").headers
    assert bucket.get_object("k").read() == b"x"


def test_tagging_header_on_writes_is_visible(bucket):
    bucket.put_object("put", b"x", headers={OSS_OBJECT_TAGGING: "a=1&b=two%20words"})
    assert bucket.get_object_tagging("put").tag_set.tagging_rule == {"a": "1", "b": "two words"}
    upload = bucket.init_multipart_upload("mp", headers={OSS_OBJECT_TAGGING: "m=p"}).upload_id
    part = bucket.upload_part("mp", upload, 1, b"x")
    bucket.complete_multipart_upload("mp", upload, [oss2.models.PartInfo(1, part.etag)])
    assert bucket.get_object_tagging("mp").tag_set.tagging_rule == {"m": "p"}
    bucket.append_object("ap", 0, b"x", headers={OSS_OBJECT_TAGGING: "ap=1"})
    assert bucket.get_object_tagging("ap").tag_set.tagging_rule == {"ap": "1"}


def test_copy_keeps_or_replaces_tags(bucket):
    bucket.put_object("src", b"x", headers={OSS_OBJECT_TAGGING: "s=1"})
    bucket.copy_object(bucket.bucket_name, "src", "copy", headers={OSS_OBJECT_TAGGING: "ignored=1"})
    assert bucket.get_object_tagging("copy").tag_set.tagging_rule == {"s": "1"}
    bucket.copy_object(bucket.bucket_name, "src", "replaced",
                       headers={OSS_OBJECT_TAGGING: "r=2", "x-oss-tagging-directive": "Replace"})
    assert bucket.get_object_tagging("replaced").tag_set.tagging_rule == {"r": "2"}


@pytest.mark.parametrize("tagging", [
    _rule(11),                       # more than 10 tags
    _rule(1, key_len=129),           # key too long
    _rule(1, value_len=257),         # value too long
    "<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag></TagSet></Tagging>",  # empty key
    "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>",
])
def test_invalid_object_tagging_is_refused(bucket, tagging):
    bucket.put_object("k", b"x", headers={OSS_OBJECT_TAGGING: "keep=1"})
    with pytest.raises(exceptions.InvalidArgument):
        bucket.put_object_tagging("k", tagging)
    assert bucket.get_object_tagging("k").tag_set.tagging_rule == {"keep": "1"}


def test_malformed_tagging_document(bucket):
    bucket.put_object("k", b"x")
    with pytest.raises(exceptions.MalformedXml):
        bucket.put_object_tagging("k", "<Tagging><TagSet><Tag>")


def test_object_tagging_of_a_missing_object(bucket):
    with pytest.raises(exceptions.NoSuchKey):
        bucket.get_object_tagging("missing")
    with pytest.raises(exceptions.NoSuchKey):
        bucket.put_object_tagging("missing", _tagging(a="1"))
    with pytest.raises(exceptions.NoSuchKey):
        bucket.delete_object_tagging("missing")


def test_bucket_tagging(bucket):
    assert bucket.get_bucket_tagging().tag_set.tagging_rule == {}
    bucket.put_bucket_tagging(_tagging(team="storage", env="test", owner="me"))
    assert bucket.get_bucket_tagging().tag_set.tagging_rule == {"team": "storage", "env": "test", "owner": "me"}
    assert bucket.delete_bucket_tagging(params={"tagging": "env,owner"}).status == 204
    assert bucket.get_bucket_tagging().tag_set.tagging_rule == {"team": "storage"}
    bucket.delete_bucket_tagging()
    assert bucket.get_bucket_tagging().tag_set.tagging_rule == {}


def test_bucket_tagging_limits(bucket):
    bucket.put_bucket_tagging(_rule(20, key_len=64, value_len=128))
    assert len(bucket.get_bucket_tagging().tag_set.tagging_rule) == 20
    for bad in (_rule(21), _rule(1, key_len=65), _rule(1, value_len=129)):
        with pytest.raises(exceptions.InvalidArgument):
            bucket.put_bucket_tagging(bad)
    assert len(bucket.get_bucket_tagging().tag_set.tagging_rule) == 20


def test_bucket_tagging_of_a_missing_bucket(server, auth):
    b = oss2.Bucket(auth, server.endpoint, "tagging-missing-bucket")
    with pytest.raises(exceptions.NoSuchBucket):
        b.get_bucket_tagging()
    with pytest.raises(exceptions.NoSuchBucket):
        b.put_bucket_tagging(_tagging(a="1"))
