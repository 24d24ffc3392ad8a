"""Object and bucket tagging (issue 12, family 2), oss2 vs pyjindo on the same server."""
import pytest

from .recorder import sent_by_both


def _tagging(oss, pairs):
    rule = oss.models.TaggingRule()
    for k, v in pairs:
        rule.add(k, v)
    return oss.models.Tagging(rule)


PAIRS = [("k1", "v1"), ("with space", "a&b<c>"), ("中文", "ü=1"), ("empty", "")]


def test_object_tagging_round_trip(sides):
    def scenario(oss, bucket):
        bucket.put_object("obj", b"x")
        before = bucket.get_object_tagging("obj")
        put = bucket.put_object_tagging("obj", _tagging(oss, PAIRS))
        got = bucket.get_object_tagging("obj")
        deleted = bucket.delete_object_tagging("obj")
        return before, put, got, str(got), got.tag_set.to_query_string(), deleted, bucket.get_object_tagging("obj")
    _, got = sides.run(scenario)
    assert got[2]["tag_set"]["tagging_rule"] == dict(PAIRS)
    assert got[6]["tag_set"]["tagging_rule"] == {}


def test_object_tagging_with_params_headers_and_raw_document(sides):
    doc = "<Tagging><TagSet><Tag><Key>raw</Key><Value>doc</Value></Tag></TagSet></Tagging>"

    def scenario(oss, bucket):
        bucket.put_object("obj", b"x")
        put = bucket.put_object_tagging("obj", doc, headers={"x-oss-meta-a": "1"}, params={})
        return put, bucket.get_object_tagging("obj", params={}, headers={}).tag_set.tagging_rule
    _, got = sides.run(scenario)
    assert got[1] == {"raw": "doc"}


def test_tagging_with_version_id_param(sides):
    """oss2 passes params (versionId) through; jindo server has no versioning and ignores it."""
    def scenario(oss, bucket):
        bucket.put_object("k", b"")
        return bucket.get_object_tagging("k", params={"versionId": "null"}), \
            bucket.put_object_tagging("k", _tagging(oss, [("a", "b")]), params={"versionId": "null"}), \
            bucket.delete_object_tagging("k", params={"versionId": "null"})
    sides.run(scenario)


def test_tagging_header_on_put_copy_and_multipart(sides):
    def scenario(oss, bucket):
        bucket.put_object("put", b"x", headers={"x-oss-tagging": "a=1&b=two%20words"})
        bucket.copy_object(bucket.bucket_name, "put", "copy-keeps")
        bucket.copy_object(bucket.bucket_name, "put", "copy-replaces",
                           headers={"x-oss-tagging": "c=3", "x-oss-tagging-directive": "Replace"})
        up = bucket.init_multipart_upload("mp", headers={"x-oss-tagging": "m=p"})
        part = bucket.upload_part("mp", up.upload_id, 1, b"part")
        bucket.complete_multipart_upload("mp", up.upload_id, [oss.models.PartInfo(1, part.etag)])
        return {k: bucket.get_object_tagging(k).tag_set.tagging_rule for k in ("put", "copy-keeps", "copy-replaces", "mp")}
    _, got = sides.run(scenario)
    assert got == {"put": {"a": "1", "b": "two words"}, "copy-keeps": {"a": "1", "b": "two words"},
                   "copy-replaces": {"c": "3"}, "mp": {"m": "p"}}


@pytest.mark.parametrize("call", [
    lambda oss, b: b.get_object_tagging("missing"),
    lambda oss, b: b.put_object_tagging("missing", _tagging(oss, [("a", "b")])),
    lambda oss, b: b.delete_object_tagging("missing"),
    lambda oss, b: (b.put_object("k", b""), b.put_object_tagging("k", _tagging(oss, [("k%d" % i, "v") for i in range(11)]))),
    lambda oss, b: (b.put_object("k", b""), b.put_object_tagging("k", "<Tagging><TagSet>")),
    lambda oss, b: b.put_object("k", b"", headers={"x-oss-tagging": "a=1&a=2"}),
    lambda oss, b: b.get_object_tagging(""),
    lambda oss, b: _tagging(oss, [("", "v")]),
    lambda oss, b: _tagging(oss, [("k" * 129, "v")]),
    lambda oss, b: _tagging(oss, [("k", "v" * 257)]),
], ids=["get-missing", "put-missing", "delete-missing", "too-many", "malformed", "duplicate-header",
        "empty-key", "empty-tag-key", "long-tag-key", "long-tag-value"])
def test_tagging_errors(sides, call):
    expected, _ = sides.run(call)
    assert "__raised__" in str(expected)


def test_bucket_tagging_round_trip(sides):
    def scenario(oss, bucket):
        before = bucket.get_bucket_tagging()
        put = bucket.put_bucket_tagging(_tagging(oss, PAIRS), headers={"x-oss-meta-a": "1"})
        got = bucket.get_bucket_tagging()
        deleted = bucket.delete_bucket_tagging()
        return before, put, got, deleted, bucket.get_bucket_tagging()
    _, got = sides.run(scenario)
    assert got[2]["tag_set"]["tagging_rule"] == dict(PAIRS)
    assert got[4]["tag_set"]["tagging_rule"] == {}


def test_delete_some_bucket_tags(sides):
    def scenario(oss, bucket):
        bucket.put_bucket_tagging(_tagging(oss, [("a", "1"), ("b", "2"), ("c", "3")]))
        deleted = bucket.delete_bucket_tagging(params={"tagging": "a,c"})
        return deleted, bucket.get_bucket_tagging().tag_set.tagging_rule
    _, got = sides.run(scenario)
    assert got[1] == {"b": "2"}


def test_tagging_documents_are_oss2s():
    def tagging(oss, b):
        return b.put_object_tagging("k", _tagging(oss, PAIRS), params={"versionId": "v1"})
    for call in (tagging, lambda oss, b: b.put_bucket_tagging(_tagging(oss, PAIRS)),
                 lambda oss, b: b.delete_object_tagging("k", params={"versionId": "v1"}),
                 lambda oss, b: b.delete_bucket_tagging(params={"tagging": "a,b"})):
        o, p = sent_by_both(call)
        assert o == p
