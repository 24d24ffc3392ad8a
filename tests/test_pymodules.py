"""pyjindo's pure-Python modules against oss2 itself: no network, no Go library."""
import datetime
import json
import os

import pytest

oss2 = pytest.importorskip("oss2")
from oss2 import exceptions as o_exc, models as o_models, utils as o_utils, xml_utils as o_xml  # noqa: E402
from requests.structures import CaseInsensitiveDict as ReqCID  # noqa: E402

import pyjindo  # noqa: E402
from pyjindo import compat, defaults, exceptions, iterators, models, utils  # noqa: E402
from pyjindo._response import Response  # noqa: E402


# --- helpers ---------------------------------------------------------------------------------------

class FakeOssResp(object):
    """Enough of oss2.http.Response for oss2's models and make_exception."""

    def __init__(self, status, headers, body=b""):
        self.status = status
        self.headers = ReqCID(headers)
        self.request_id = self.headers.get("x-oss-request-id", "")
        self._body = body

    def read(self, amt=None):
        body, self._body = self._body, b""
        return body


def go_resp(status=200, headers=(), body=None, request_id="rid-1"):
    pairs = [[k, v] for k, v in headers]
    if request_id:
        pairs.append(["x-oss-request-id", request_id])
    return Response.from_result({"status": status, "request_id": request_id, "headers": pairs, "body": body})


def plain(value):
    """Public fields of a result, recursively, for comparing oss2's objects with pyjindo's."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {"__class__": type(value).__name__,
                **{k: plain(v) for k, v in vars(value).items()
                   if not k.startswith("_") and k not in ("resp", "headers", "duration", "stream")}}
    return value


# --- exceptions ------------------------------------------------------------------------------------

ERROR_CASES = [
    (404, "NoSuchKey"), (404, "NoSuchBucket"), (404, "NoSuchUpload"), (404, ""), (404, "SomethingElse"),
    (403, "AccessDenied"), (403, "SignatureDoesNotMatch"), (400, "InvalidArgument"), (400, "MalformedXML"),
    (400, "InvalidObjectName"), (400, "InvalidDigest"), (400, "ObjectAlreadyExists"), (409, "BucketNotEmpty"),
    (409, "ObjectNotAppendable"), (409, ""), (409, "BucketAlreadyExists"), (412, "PreconditionFailed"),
    (304, ""), (500, "InternalError"), (503, "ServiceUnavailable"), (400, "NotImplemented"),
    (404, "NoSuchCORSConfiguration"), (400, "InvalidRequest"), (404, "NoSuchWORMConfiguration"),
]


def _error_xml(code, message="msg here", extra=""):
    if not code:
        return b""
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message>"
            "<RequestId>rid-1</RequestId><HostId>b.oss.example.com</HostId><EC>0026-00000001</EC>%s</Error>"
            % (code, message, extra)).encode()


def _compare_exc(mine, theirs):
    assert type(mine).__name__ == type(theirs).__name__
    assert isinstance(mine, getattr(exceptions, type(theirs).__name__))
    for field in ("status", "request_id", "code", "message", "details", "ec", "body"):
        assert getattr(mine, field) == getattr(theirs, field), field
    assert str(mine) == str(theirs)
    assert dict(mine.headers.items()) == dict(theirs.headers.items())
    assert [c.__name__ for c in type(mine).__mro__[:-3]] == [c.__name__ for c in type(theirs).__mro__[:-3]]


@pytest.mark.parametrize("status,code", ERROR_CASES)
def test_server_error_mapping(status, code):
    body = _error_xml(code)
    headers = [("x-oss-request-id", "rid-1"), ("Content-Type", "application/xml")]
    theirs = o_exc.make_exception(FakeOssResp(status, headers, body))
    details = o_exc._parse_error_body(body) if body else {}
    mine = exceptions.from_error_dict({
        "kind": "server", "status": status, "code": code, "message": details.get("Message", ""),
        "request_id": "rid-1", "host_id": details.get("HostId", ""), "ec": details.get("EC", ""),
        "headers": [list(h) for h in headers], "details": details, "body": body.decode()})
    _compare_exc(mine, theirs)


@pytest.mark.parametrize("body, header", [
    (None, None), (b"<Error><Code>NoSuchKey</Code>\n<Message>m & n</Message><RequestId>r</Error>", None),
    (b"<NotError><Code>NoSuchKey</Code></NotError>", None), (b"<html>busy</html>", None),
    (b"", "PEVycm9yPjxDb2RlPk5vU3VjaEtleTwvQ29kZT48L0Vycm9yPg=="), (b"", "not base64!"),
])
def test_make_exception_reads_a_response_as_oss2(body, header):
    """make_exception, oss2's public API for a response object, reads its body (or x-oss-err) by
    oss2's rules; errors pyjindo raises take their details from Go (go/oss/errors.go)."""
    body = _error_xml("NoSuchKey") if body is None else body
    headers = [("x-oss-request-id", "rid-1")] + ([("x-oss-err", header)] if header else [])
    theirs = o_exc.make_exception(FakeOssResp(404, headers, body))
    mine = exceptions.make_exception(FakeOssResp(404, headers, body))
    _compare_exc(mine, theirs)


def test_invalid_argument_and_position_fields():
    body = _error_xml("InvalidArgument", extra="<ArgumentName>x-oss-foo</ArgumentName><ArgumentValue>1</ArgumentValue>")
    theirs = o_exc.make_exception(FakeOssResp(400, [("x-oss-request-id", "r")], body))
    mine = exceptions.from_error_dict({"kind": "server", "status": 400, "headers": [["x-oss-request-id", "r"]],
                                       "details": o_exc._parse_error_body(body), "body": body.decode()})
    assert (mine.name, mine.value) == (theirs.name, theirs.value) == ("x-oss-foo", "1")

    body = _error_xml("PositionNotEqualToLength")
    hdrs = [("x-oss-request-id", "r"), ("x-oss-next-append-position", "12")]
    theirs = o_exc.make_exception(FakeOssResp(409, hdrs, body))
    mine = exceptions.from_error_dict({"kind": "server", "status": 409, "headers": [list(h) for h in hdrs],
                                       "details": o_exc._parse_error_body(body), "body": body.decode()})
    _compare_exc(mine, theirs)
    assert mine.next_position == theirs.next_position == 12


def test_client_side_errors():
    _compare_exc(exceptions.from_error_dict({"kind": "client", "message": "bad thing"}), o_exc.ClientError("bad thing"))
    mine = exceptions.from_error_dict({"kind": "request", "message": "connection refused"})
    theirs = o_exc.RequestError(Exception("connection refused"))
    _compare_exc(mine, theirs)
    assert str(mine.exception) == "connection refused"
    # a document go/oss could not read: oss2's parsers raise RuntimeError
    assert type(exceptions.from_error_dict({"kind": "document", "message": "bad"})) is RuntimeError
    mine = exceptions.from_error_dict({"kind": "inconsistent", "message": "crc differs", "request_id": "r9"})
    _compare_exc(mine, o_exc.InconsistentError("crc differs", "r9"))
    assert repr(exceptions.ClientError("x")) == repr(o_exc.ClientError("x"))


def test_exception_classes_match():
    def names(mod):
        return {n: [b.__name__ for b in c.__mro__] for n, c in vars(mod).items()
                if isinstance(c, type) and issubclass(c, Exception) and c.__module__ == mod.__name__ and c.__name__ == n}
    theirs, mine = names(o_exc), names(exceptions)
    for name, mro in theirs.items():
        assert mine.get(name) == mro, name
        assert getattr(getattr(exceptions, name), "status", None) == getattr(getattr(o_exc, name), "status", None)
        assert getattr(getattr(exceptions, name), "code", None) == getattr(getattr(o_exc, name), "code", None)
    assert exceptions._OSS_ERROR_TO_EXCEPTION.keys() == o_exc._OSS_ERROR_TO_EXCEPTION.keys()


# --- models ----------------------------------------------------------------------------------------

HEADERS = [("Content-Type", "text/plain"), ("Content-Length", "11"), ("ETag", '"ABCDEF0123"'),
           ("Last-Modified", "Sat, 05 Dec 2015 11:10:29 GMT"), ("x-oss-object-type", "Appendable"),
           ("x-oss-hash-crc64ecma", "5981764153023615706"), ("x-oss-next-append-position", "11"),
           ("x-oss-version-id", "v1"), ("x-oss-delete-marker", "true"), ("x-oss-request-id", "rid-1")]


@pytest.mark.parametrize("name", ["RequestResult", "PutObjectResult", "AppendObjectResult", "HeadObjectResult",
                                  "GetObjectMetaResult"])
def test_header_models(name):
    theirs = getattr(o_models, name)(FakeOssResp(200, HEADERS))
    mine = getattr(models, name)(go_resp(200, HEADERS))
    assert plain(mine) == plain(theirs)
    assert mine.request_id == "rid-1" and mine.duration is None
    if hasattr(theirs, "server_crc"):
        assert mine.server_crc == theirs.server_crc


def test_empty_header_models():
    theirs = o_models.PutObjectResult(FakeOssResp(200, [("x-oss-request-id", "rid-1")]))
    mine = models.PutObjectResult(go_resp(200, []))
    assert plain(mine) == plain(theirs)
    assert mine.crc is None and mine.etag is None


# --- response documents: go/oss's JSON for an OSS sample, against oss2's parse of the sample -------

SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "go", "oss", "testdata", "documents")

# document kind (go/oss typedDocuments) -> each (oss2's result class and parser, pyjindo's result class) that
# reads it: every sample of the kind is compared under each
DOCUMENTS = {
    "list_objects": [(o_models.ListObjectsResult, o_xml.parse_list_objects, models.ListObjectsResult)],
    "list_objects_v2": [(o_models.ListObjectsV2Result, o_xml.parse_list_objects_v2, models.ListObjectsV2Result)],
    "init_multipart_upload": [(o_models.InitMultipartUploadResult, o_xml.parse_init_multipart_upload,
                               models.InitMultipartUploadResult)],
    "list_parts": [(o_models.ListPartsResult, o_xml.parse_list_parts, models.ListPartsResult)],
    "list_multipart_uploads": [(o_models.ListMultipartUploadsResult, o_xml.parse_list_multipart_uploads,
                                models.ListMultipartUploadsResult)],
    "list_object_versions": [(o_models.ListObjectVersionsResult, o_xml.parse_list_object_versions,
                              models.ListObjectVersionsResult)],
    "list_buckets": [(o_models.ListBucketsResult, o_xml.parse_list_buckets, models.ListBucketsResult)],
    "get_bucket_info": [(o_models.GetBucketInfoResult, o_xml.parse_get_bucket_info, models.GetBucketInfoResult)],
    "get_bucket_stat": [(o_models.GetBucketStatResult, o_xml.parse_get_bucket_stat, models.GetBucketStatResult)],
    "get_bucket_location": [(o_models.GetBucketLocationResult, o_xml.parse_get_bucket_location,
                             models.GetBucketLocationResult)],
    "get_object_acl": [(o_models.GetObjectAclResult, o_xml.parse_get_object_acl, models.GetObjectAclResult)],
    "get_bucket_acl": [(o_models.GetBucketAclResult, o_xml.parse_get_bucket_acl, models.GetBucketAclResult)],
    "get_tagging": [(o_models.GetTaggingResult, o_xml.parse_get_tagging, models.GetTaggingResult)],
    "get_bucket_cors": [(o_models.GetBucketCorsResult, o_xml.parse_get_bucket_cors, models.GetBucketCorsResult)],
    "get_bucket_lifecycle": [(o_models.GetBucketLifecycleResult, o_xml.parse_get_bucket_lifecycle,
                              models.GetBucketLifecycleResult)],
    "get_bucket_referer": [(o_models.GetBucketRefererResult, o_xml.parse_get_bucket_referer,
                            models.GetBucketRefererResult)],
    "get_bucket_logging": [(o_models.GetBucketLoggingResult, o_xml.parse_get_bucket_logging,
                            models.GetBucketLoggingResult)],
    "get_bucket_encryption": [(o_models.GetServerSideEncryptionResult, o_xml.parse_get_bucket_encryption,
                               models.GetServerSideEncryptionResult)],
    "get_bucket_versioning": [(o_models.GetBucketVersioningResult, o_xml.parse_get_bucket_versioning,
                               models.GetBucketVersioningResult)],
    "get_bucket_request_payment": [(o_models.GetBucketRequestPaymentResult, o_xml.parse_get_bucket_request_payment,
                                    models.GetBucketRequestPaymentResult)],
    "get_bucket_website": [(o_models.GetBucketWebsiteResult, o_xml.parse_get_bucket_website,
                            models.GetBucketWebsiteResult)],
    "get_bucket_worm": [(o_models.GetBucketWormResult, o_xml.parse_get_bucket_worm_result, models.GetBucketWormResult)],
    "get_bucket_replication": [(o_models.GetBucketReplicationResult, o_xml.parse_get_bucket_replication_result,
                                models.GetBucketReplicationResult)],
    "get_bucket_replication_progress": [(o_models.GetBucketReplicationProgressResult,
                                         o_xml.parse_get_bucket_replication_progress_result,
                                         models.GetBucketReplicationProgressResult)],
    "get_bucket_replication_location": [(o_models.GetBucketReplicationLocationResult,
                                         o_xml.parse_get_bucket_replication_location_result,
                                         models.GetBucketReplicationLocationResult)],
    "get_bucket_inventory": [(o_models.GetInventoryConfigurationResult, o_xml.parse_get_bucket_inventory_configuration,
                              models.GetInventoryConfigurationResult)],
    "list_bucket_inventory": [(o_models.ListInventoryConfigurationsResult,
                               o_xml.parse_list_bucket_inventory_configurations, models.ListInventoryConfigurationsResult)],
    "cname_token": [(o_models.CreateBucketCnameTokenResult, o_xml.parse_create_bucket_cname_token,
                     models.CreateBucketCnameTokenResult),
                    (o_models.GetBucketCnameTokenResult, o_xml.parse_get_bucket_cname_token,
                     models.GetBucketCnameTokenResult)],
    "list_bucket_cname": [(o_models.ListBucketCnameResult, o_xml.parse_list_bucket_cname, models.ListBucketCnameResult)],
    "get_bucket_https_config": [(o_models.HttpsConfigResult, o_xml.parse_get_bucket_https_config,
                                 models.HttpsConfigResult)],
    "create_access_point": [(o_models.CreateAccessPointResult, o_xml.parse_create_access_point_result,
                             models.CreateAccessPointResult)],
    "get_access_point": [(o_models.GetAccessPointResult, o_xml.parse_get_access_point_result,
                          models.GetAccessPointResult)],
    "list_access_points": [(o_models.ListAccessPointResult, o_xml.parse_list_access_point_result,
                            models.ListAccessPointResult)],
    "get_public_access_block": [(o_models.GetPublicAccessBlockResult, o_xml.parse_get_public_access_block_result,
                                 models.GetPublicAccessBlockResult),
                                (o_models.GetBucketPublicAccessBlockResult, o_xml.parse_get_public_access_block_result,
                                 models.GetBucketPublicAccessBlockResult)],
    "get_bucket_transfer_acceleration": [(o_models.GetBucketTransferAccelerationResult,
                                          o_xml.parse_get_bucket_transfer_acceleration_result,
                                          models.GetBucketTransferAccelerationResult)],
    "get_bucket_access_monitor": [(o_models.GetBucketAccessMonitorResult, o_xml.parse_get_bucket_access_monitor_result,
                                   models.GetBucketAccessMonitorResult)],
    "get_bucket_resource_group": [(o_models.GetBucketResourceGroupResult, o_xml.parse_get_bucket_resource_group_result,
                                   models.GetBucketResourceGroupResult)],
    "get_bucket_archive_direct_read": [(o_models.GetBucketArchiveDirectReadResult,
                                        o_xml.parse_get_bucket_archive_direct_read,
                                        models.GetBucketArchiveDirectReadResult)],
    "get_bucket_callback_policy": [(o_models.CallbackPolicyResult, o_xml.parse_callback_policy_result,
                                    models.CallbackPolicyResult)],
    "describe_regions": [(o_models.DescribeRegionsResult, o_xml.parse_describe_regions, models.DescribeRegionsResult)],
    "get_qos_info": [(o_models.GetBucketQosInfoResult, o_xml.parse_get_qos_info, models.GetBucketQosInfoResult),
                     (o_models.GetUserQosInfoResult, o_xml.parse_get_qos_info, models.GetUserQosInfoResult)],
    "get_bucket_storage_capacity": [(o_models.GetBucketUserQosResult, o_xml.parse_get_bucket_user_qos,
                                     models.GetBucketUserQosResult)],
    "get_requester_qos_info": [(o_models.RequesterQoSInfoResult, o_xml.parse_get_requester_qos_info,
                                models.RequesterQoSInfoResult)],
    "list_requester_qos_infos": [(o_models.ListBucketRequesterQoSInfosResult, o_xml.parse_list_bucket_requester_qos_infos,
                                  models.ListBucketRequesterQoSInfosResult),
                                 (o_models.ListResourcePoolRequesterQoSInfosResult,
                                  o_xml.parse_list_resource_pool_requester_qos_infos,
                                  models.ListResourcePoolRequesterQoSInfosResult)],
    "list_resource_pools": [(o_models.ListResourcePoolsResult, o_xml.parse_list_resource_pools,
                             models.ListResourcePoolsResult)],
    "list_resource_pool_buckets": [(o_models.ListResourcePoolBucketsResult, o_xml.parse_list_resource_pool_buckets,
                                    models.ListResourcePoolBucketsResult)],
    "get_resource_pool_info": [(o_models.ResourcePoolInfoResult, o_xml.parse_get_resource_pool_info,
                                models.ResourcePoolInfoResult)],
    "get_bucket_data_redundancy_transition": [(o_models.DataRedundancyTransitionInfoResult,
                                               o_xml.parse_get_bucket_data_redundancy_transition,
                                               models.DataRedundancyTransitionInfoResult),
                                              (o_models.CreateDataRedundancyTransitionResult,
                                               o_xml.parse_create_data_redundancy_transition_result,
                                               models.CreateDataRedundancyTransitionResult)],
    "list_data_redundancy_transitions": [(o_models.ListUserDataRedundancyTransitionResult,
                                          o_xml.parse_list_user_data_redundancy_transition,
                                          models.ListUserDataRedundancyTransitionResult),
                                         (o_models.ListBucketDataRedundancyTransitionResult,
                                          o_xml.parse_list_bucket_data_redundancy_transition,
                                          models.ListBucketDataRedundancyTransitionResult)],
    "async_fetch_task": [(o_models.GetAsyncFetchTaskResult, o_xml.parse_get_async_fetch_task_result,
                          models.GetAsyncFetchTaskResult),
                         (o_models.PutAsyncFetchTaskResult, o_xml.parse_put_async_fetch_task_result,
                          models.PutAsyncFetchTaskResult)],
    "get_bucket_meta_query_status": [(o_models.GetBucketMetaQueryResult, o_xml.parse_get_bucket_meta_query_result,
                                      models.GetBucketMetaQueryResult)],
    "do_bucket_meta_query": [(o_models.DoBucketMetaQueryResult, o_xml.parse_do_bucket_meta_query_result,
                              models.DoBucketMetaQueryResult)],
}


def _oss2_parsed(cls, parser, xml):
    """oss2's Bucket._parse_result: many parsers fill the result and return None."""
    result = cls(FakeOssResp(200, [("x-oss-request-id", "rid-1")]))
    parser(result, xml)
    return result


def _samples():
    return sorted(name[:-len(".xml")] for name in os.listdir(SAMPLES) if name.endswith(".xml"))


# a sample a reader never gets (oss2's parser refuses it): PutAsyncFetchTask's answer, only a TaskId, is not
# GetAsyncFetchTask's; a bucket's QoS document has no Region, which the account's always has
NOT_READ = {("async_fetch_task.put", o_models.GetAsyncFetchTaskResult), ("get_qos_info", o_models.GetUserQosInfoResult)}


def _sample_readers():
    for sample in _samples():
        readers = DOCUMENTS.get(sample.split(".")[0], [(None,)])
        for i, reader in enumerate(readers):
            if (sample, reader[0]) not in NOT_READ:
                yield sample, i


@pytest.mark.parametrize("sample,reader", list(_sample_readers()))
def test_document_sample(sample, reader):
    """The model pyjindo builds from go/oss's JSON equals the one oss2 parses from the same XML."""
    oss2_class, oss2_parser, model = DOCUMENTS[sample.split(".")[0]][reader]
    with open(os.path.join(SAMPLES, sample + ".xml"), "rb") as f:
        theirs = _oss2_parsed(oss2_class, oss2_parser, f.read())
    with open(os.path.join(SAMPLES, sample + ".json")) as f:
        mine = model(go_resp(body=json.load(f)))
    assert plain(mine) == plain(theirs)


def test_every_document_kind_has_a_sample():
    assert {s.split(".")[0] for s in _samples()} == set(DOCUMENTS)


def test_listing_keys_decoded_as_oss2():
    with open(os.path.join(SAMPLES, "list_objects.url.json")) as f:
        mine = models.ListObjectsResult(go_resp(body=json.load(f)))
    assert mine.object_list[0].key == "a/b c中" and mine.object_list[0].last_modified == 1330072952
    assert mine.object_list[0].etag == "5B3C1A2E053D763E1B002CC607C5A0FE"
    assert mine.next_marker == "a/z z" and mine.prefix_list == ["a/dir/", "a/e/"]


def test_batch_delete():
    xml = b"""<DeleteResult><EncodingType>url</EncodingType>
<Deleted><Key>a%20b</Key></Deleted>
<Deleted><Key>c</Key><VersionId>v1</VersionId><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>m1</DeleteMarkerVersionId></Deleted>
</DeleteResult>"""
    # go/oss DeleteObjectsResult's JSON for xml: keys decoded, an absent VersionId null
    d = {"deleted": [
        {"key": "a b", "version_id": None, "delete_marker": False, "delete_marker_version_id": ""},
        {"key": "c", "version_id": "v1", "delete_marker": True, "delete_marker_version_id": "m1"}]}
    theirs = _oss2_parsed(o_models.BatchDeleteObjectsResult, o_xml.parse_batch_delete_objects, xml)
    mine = models.BatchDeleteObjectsResult(go_resp(body=d))
    assert plain(mine) == plain(theirs) and mine.deleted_keys == ["a b", "c"]
    assert plain(models.BatchDeleteObjectsResult(go_resp(body=None))) == \
        plain(_oss2_parsed(o_models.BatchDeleteObjectsResult, o_xml.parse_batch_delete_objects, b""))


# --- GetObjectResult -------------------------------------------------------------------------------

class FakeStream(object):
    def __init__(self, data, crc_override=None):
        self.data, self.pos, self.closed = data, 0, False
        self._crc_override = crc_override
        self.crc = None

    def read(self, amt=None):
        end = len(self.data) if amt is None else min(len(self.data), self.pos + amt)
        chunk = self.data[self.pos:end]
        self.pos = end
        if self.pos >= len(self.data):
            self.crc = self._crc_override if self._crc_override is not None else utils.crc64(self.data)
        return chunk

    def close(self):
        self.closed = True


def _get_headers(data, extra=()):
    return [("Content-Length", str(len(data))), ("ETag", '"E"'), ("Last-Modified", "Sat, 05 Dec 2015 11:10:29 GMT"),
            ("x-oss-object-type", "Normal"), ("Content-Type", "application/octet-stream"),
            ("x-oss-hash-crc64ecma", str(utils.crc64(data)))] + list(extra)


def test_get_object_result_reads_and_checks_crc():
    data = os.urandom(200000)
    calls = []
    r = models.GetObjectResult(go_resp(200, _get_headers(data)), FakeStream(data),
                               lambda c, t: calls.append((c, t)), True)
    theirs = o_models.HeadObjectResult(FakeOssResp(200, _get_headers(data) + [("x-oss-request-id", "rid-1")]))
    assert {k: v for k, v in plain(r).items() if k != "__class__" and k != "content_range"} == \
        {k: v for k, v in plain(theirs).items() if k != "__class__"}
    assert r.content_range is None
    with r:
        got = b"".join(r)
    assert got == data and r.stream.closed
    assert r.client_crc == r.server_crc == utils.crc64(data)
    assert calls[-1] == (len(data), len(data)) and all(t == len(data) for _, t in calls)

    r = models.GetObjectResult(go_resp(200, _get_headers(data)), FakeStream(data, crc_override=1), None, True)
    with pytest.raises(exceptions.InconsistentError):
        r.read()
    r = models.GetObjectResult(go_resp(200, _get_headers(data)), FakeStream(data, crc_override=1), None, False)
    assert r.read(10) + r.read() == data


def test_get_object_range_skips_crc():
    data = b"0123456789"
    hdrs = _get_headers(data[2:5], [("Content-Range", "bytes 2-4/10")])
    r = models.GetObjectResult(go_resp(206, hdrs), FakeStream(data[2:5], crc_override=1), None, True)
    assert r.read() == b"234" and r.content_range == "bytes 2-4/10"
    assert models.GetObjectResult._parse_range_str(r.content_range) == (2, 4)


# --- utils, compat, defaults -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["a.txt", "b.JPG", "c.js", "d.docx", "noext", "x.tar.gz", "y.apk", "z.mp4", "a/b.html"])
def test_content_type(name):
    assert utils.content_type_by_name(name) == o_utils.content_type_by_name(name)
    assert dict(utils.set_content_type(utils.CaseInsensitiveDict(), name)) == \
        dict(o_utils.set_content_type(ReqCID(), name))
    assert utils.set_content_type({"Content-Type": "x/y"}, name) == {"Content-Type": "x/y"}
    # a bytes key (oss2's raises TypeError here, so its append_object of one fails)
    assert utils.content_type_by_name(name.encode()) == o_utils.content_type_by_name(name)


@pytest.mark.parametrize("name", ["abc", "ab", "a" * 63, "a" * 64, "-abc", "abc-", "a-b-c", "ABC", "a_b", "1bc", "a.b"])
def test_bucket_names(name):
    assert utils.is_valid_bucket_name(name) == o_utils.is_valid_bucket_name(name)


@pytest.mark.parametrize("ep", ["oss-cn-hangzhou.aliyuncs.com", "http://127.0.0.1:9000", "https://a.b", "a b",
                                "http://x/y", "localhost:80", "ftp://x", None, "", "x:yy"])
def test_endpoints(ep):
    assert utils.is_valid_endpoint(ep) == o_utils.is_valid_endpoint(ep)


@pytest.mark.parametrize("ep, url, region", [
    ("oss-cn-hangzhou.aliyuncs.com", "http://oss-cn-hangzhou.aliyuncs.com", "cn-hangzhou"),
    (" HTTPS://bkt.oss-cn-beijing-internal.aliyuncs.com/ ", "https://bkt.oss-cn-beijing-internal.aliyuncs.com", "cn-beijing"),
    ("[::1]:9000", "http://[::1]:9000", ""),
    ("127.0.0.1:9000", "http://127.0.0.1:9000", "")])
def test_bucket_endpoints_are_read_by_go(ep, url, region):
    """Bucket and Service ask Go's one endpoint rule (go/oss.ParseEndpoint); it also gives the
    region of an OSS endpoint. oss2's own check refuses an IPv6 address, which Go accepts."""
    from pyjindo._session import endpoint_info
    assert endpoint_info(ep) == (url, region)
    assert pyjindo.Bucket(pyjindo.Auth("ak", "sk"), ep, "bkt").endpoint == url


@pytest.mark.parametrize("ep", ["a b", "http://x/y", "ftp://x", "", "x:yy", "host:", "::1", "http://"])
def test_bucket_refuses_what_go_refuses_with_oss2s_error(ep):
    with pytest.raises(exceptions.ClientError) as e:
        pyjindo.Service(pyjindo.Auth("ak", "sk"), ep)
    assert e.value.body == "ClientError: The endpoint you has specified is not valid, endpoint: " + ep


@pytest.mark.parametrize("netloc", ["localhost", "127.0.0.1:80", "[::1]:80", "example.com", "1.2.3"])
def test_is_ip_or_localhost(netloc):
    assert utils.is_ip_or_localhost(netloc) == o_utils.is_ip_or_localhost(netloc)


def test_times():
    for s in ["Sat, 05 Dec 2015 11:10:29 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "Mon, 29 Feb 2016 23:59:59 GMT"]:
        assert utils.http_to_unixtime(s) == o_utils.http_to_unixtime(s)
    for s in ["2012-02-24T06:07:48.000Z", "1999-12-31T23:59:59.000Z"]:
        assert utils.iso8601_to_unixtime(s) == o_utils.iso8601_to_unixtime(s)
        assert utils.iso8601_to_date(s) == o_utils.iso8601_to_date(s)
    for bad in ["2012-02-24T06:07:48Z", "nonsense"]:
        with pytest.raises(ValueError):
            utils.iso8601_to_unixtime(bad)
        with pytest.raises(ValueError):
            utils.http_to_unixtime(bad)
    for t in [0, 1449313829, 1700000000.5]:
        assert utils.http_date(t) == o_utils.http_date(t)
    d = datetime.date(2020, 1, 2)
    assert utils.date_to_iso8601(d) == o_utils.date_to_iso8601(d)
    assert utils.to_unixtime("2015-12-05", "%Y-%m-%d") == o_utils.to_unixtime("2015-12-05", "%Y-%m-%d")


def test_misc_helpers():
    for data in [b"", b"abc", "中文", os.urandom(100)]:
        assert utils.content_md5(data) == o_utils.content_md5(data)
        assert utils.md5_string(data) == o_utils.md5_string(data)
        assert utils.b64encode_as_string(data) == o_utils.b64encode_as_string(data)
    assert utils.b64decode_from_string("YWJj") == b"abc"
    with pytest.raises(exceptions.OpenApiFormatError):
        utils.b64decode_from_string("a")
    for s in ["a b/c", "中文?&=", b"x y"]:
        assert utils.urlquote(s) == compat.urlquote(s)
        assert utils.urlquote(s, "") == compat.urlquote(s, "")
    assert utils.to_bytes_all("x") == b"x" and utils.to_bytes_all(bytearray(b"y")) == b"y"
    assert utils.to_bytes_all(memoryview(b"z")) == b"z" and utils.to_bytes_all([b"a", "b"]) == b"ab"
    assert utils.how_many(10, 3) == o_utils.how_many(10, 3) == 4
    import io
    f = io.BytesIO(b"0123456789")
    f.seek(3)
    assert utils.file_object_remaining_bytes(f) == 7 and f.tell() == 3
    a = utils.SizedFileAdapter(f, 5)
    assert a.len == 5 and a.read(2) == b"34" and a.read() == b"567" and a.read() == ""


def test_case_insensitive_dict():
    d = utils.CaseInsensitiveDict({"Content-Type": "a"})
    r = ReqCID({"Content-Type": "a"})
    d["x-OSS-meta"] = r["x-OSS-meta"] = "1"
    assert d["content-type"] == "a" and "CONTENT-TYPE" in d and list(d) == list(r)
    assert repr(d) == repr(r) and d == {"content-type": "a", "X-oss-Meta": "1"}
    assert dict(d.copy()) == dict(d)
    del d["CONTENT-type"]
    assert len(d) == 1 and utils.CaseInsensitiveDict(None) == {}


def test_a_quick_result_fills_oss2_fields_and_makes_its_headers_only_when_read():
    from pyjindo._response import quick_parts
    pairs = [("Etag", '"AB"'), ("x-oss-meta-a", "1"), ("Content-Length", "3"), ("X-OSS-META-A", "2"),
             ("Last-Modified", "Sat, 05 Dec 2015 11:10:29 GMT"), ("x-oss-hash-crc64ecma", "7"),
             ("Content-Type", "text/\xe9")]

    def quick(pairs):
        block = "".join(k + "\0" + v + "\0" for k, v in pairs).encode("latin-1")
        return Response.from_quick(quick_parts(b"\0".join([b"C200", b"rid", b"0.5", b"0", b"0", b"", b"", block])))

    resp = quick(pairs[:3])
    assert models.HeadObjectResult(resp).etag == "AB" and "_store" not in vars(resp.headers)  # not needed
    assert dict(resp.headers) == dict(pairs[:3]) and "_store" in vars(resp.headers)
    resp = quick(pairs)
    mine = models.HeadObjectResult(resp)
    theirs = o_models.HeadObjectResult(FakeOssResp(200, ReqCID(), b""))
    expected = ReqCID()
    for k, v in pairs:  # requests joins a repeated name's values
        expected[k] = expected[k] + ", " + v if k in expected else v
    assert dict(mine.headers) == dict(expected) and list(mine.headers) == list(expected)
    assert mine.headers["X-Oss-Meta-A"] == "1, 2" and resp.header_values["x-oss-meta-a"] == "1, 2"
    assert (mine.status, mine.request_id, mine.etag, mine.content_length, mine.server_crc) == (200, "rid", "AB", 3, 7)
    assert mine.last_modified == 1449313829 and mine.content_type == "text/\xe9" and theirs.etag is None
    assert resp.read() == b""


def test_crc():
    for n in [0, 1, 7, 100, 5000]:
        data = os.urandom(n)
        c = o_utils.Crc64()
        c.update(data)
        assert utils.crc64(data) == c.crc
        c2 = utils.Crc64()
        c2(data)
        assert c2.crc == c.crc
    data = os.urandom(999)
    assert utils.Crc32(7).crc == o_utils.Crc32(7).crc
    c, o = utils.Crc32(), o_utils.Crc32()
    c.update(data)
    o.update(data)
    assert c.crc == o.crc
    pieces = [os.urandom(n) for n in (1, 1000, 37, 65536, 3)]
    parts = [models.PartInfo(i + 1, "e", size=len(p), part_crc=utils.crc64(p)) for i, p in enumerate(pieces)]
    o_parts = [o_models.PartInfo(i + 1, "e", size=len(p), part_crc=utils.crc64(p)) for i, p in enumerate(pieces)]
    assert utils.calc_obj_crc_from_parts(parts) == utils.crc64(b"".join(pieces)) == o_utils.calc_obj_crc_from_parts(o_parts)
    for init in (0, 12345):
        assert utils.Crc64(init).combine(111, 222, 333) == o_utils.Crc64(init).combine(111, 222, 333)
    parts[2].part_crc = None
    assert utils.calc_obj_crc_from_parts(parts) is None
    utils.check_crc("x", 1, 1, "r")
    utils.check_crc("x", None, 1, "r")
    with pytest.raises(exceptions.InconsistentError) as mine:
        utils.check_crc("put object", 1, 2, "r")
    with pytest.raises(o_exc.InconsistentError) as theirs:
        o_utils.check_crc("put object", 1, 2, "r")
    assert str(mine.value) == str(theirs.value)


def test_compat_and_defaults():
    from oss2 import compat as o_compat, defaults as o_defaults
    for v in ["a", "中", b"\xe4\xb8\xad", 1, None]:
        assert compat.to_bytes(v) == o_compat.to_bytes(v)
        assert compat.to_string(v) == o_compat.to_string(v)
        assert compat.to_unicode(v) == o_compat.to_unicode(v)
    assert compat.is_py3 and not compat.is_py2
    assert compat.urlunquote("a%20b") == "a b" and compat.urlparse("http://h:1/p").port == 1
    for name, value in vars(o_defaults).items():
        if not name.startswith("_") and isinstance(value, int):
            assert getattr(defaults, name) == value, name
    assert defaults.get(None, 3) == 3 and defaults.get(0, 3) == 0


# --- iterators -------------------------------------------------------------------------------------

class FakeBucket(object):
    def __init__(self, keys, page=2, fail_first=0):
        self.keys, self.page, self.fail_first, self.calls = sorted(keys), page, fail_first, 0

    def list_objects(self, prefix="", delimiter="", marker="", max_keys=100, headers=None):
        self.calls += 1
        if self.fail_first:
            self.fail_first -= 1
            raise exceptions.from_error_dict({"kind": "server", "status": 503, "details": {"Code": "Busy"}})
        rest = [k for k in self.keys if k > marker]
        page = rest[:self.page]
        body = {"is_truncated": len(rest) > self.page, "next_marker": page[-1] if page else "",
                "contents": [{"key": k, "last_modified": "2012-02-24T06:07:48.000Z", "etag": '"e"', "type": "Normal",
                              "size": 1, "storage_class": "Standard", "owner": None, "restore_info": None}
                             for k in page], "common_prefixes": []}
        return models.ListObjectsResult(go_resp(body=body))

    def list_parts(self, key, upload_id, marker="", max_parts=1000, headers=None):
        start = int(marker or 0)
        parts = [{"part_number": n, "last_modified": "2012-02-24T06:07:48.000Z", "etag": '"e"', "size": 1}
                 for n in range(start + 1, min(start + 1 + max_parts, 6))]
        body = {"is_truncated": start + max_parts < 5, "next_part_number_marker": parts[-1]["part_number"],
                "parts": parts}
        return models.ListPartsResult(go_resp(body=body))


def test_iterators():
    # A failed page raises at once: Go has retried it under the Bucket's policy already, so the
    # iterator does not ask again (oss2 would, max_retries times). As in oss2, the iterator stays
    # where it was, and the next next() asks for the same page.
    b = FakeBucket(["a", "b", "c", "d", "e"], fail_first=1)
    it = iterators.ObjectIterator(b, max_keys=2, max_retries=5)
    with pytest.raises(exceptions.ServerError):
        next(it)
    assert b.calls == 1 and it.max_retries == 5
    assert [o.key for o in it] == ["a", "b", "c", "d", "e"]
    assert b.calls == 4
    assert [p.part_number for p in iterators.PartIterator(FakeBucket([]), "k", "u", max_parts=2)] == [1, 2, 3, 4, 5]
    import inspect
    from oss2 import iterators as o_iters
    for name in ["ObjectIterator", "ObjectIteratorV2", "BucketIterator", "MultipartUploadIterator", "PartIterator",
                 "ObjectUploadIterator"]:
        ours = inspect.signature(getattr(iterators, name))  # oss2's, plus type hints
        ours = ours.replace(parameters=[p.replace(annotation=p.empty) for p in ours.parameters.values()],
                            return_annotation=ours.empty)
        assert str(ours) == str(inspect.signature(getattr(o_iters, name)))


def test_seed_document_result_names_and_fields(server):
    """The PyJindo API document this project started from names the result classes at the top
    level and gives every result `status`, `code` (0 without error), `msg` and `duration`."""
    import pyjindo
    bucket = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint,
                            "seed-%d" % os.getpid())
    bucket.create_bucket()
    for name in ("RequestResult", "GetObjectMetaResult", "HeadObjectResult", "GetObjectResult", "AppendObjectResult",
                 "PutObjectResult", "BatchDeleteObjectsResult", "ListObjectsResult"):
        assert getattr(pyjindo, name) is getattr(pyjindo.models, name)
    result = bucket.put_object("seed-names", b"x")
    assert isinstance(result, pyjindo.RequestResult)
    assert (result.status, result.code, result.msg) == (200, 0, "") and result.duration >= 0
    assert "code" not in vars(result) and "msg" not in vars(result)  # oss2's own fields stay oss2's
