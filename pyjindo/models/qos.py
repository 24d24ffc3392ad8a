"""QoS and resource pools: oss2's parameter and result classes, read from the typed JSON of
their go/oss structs (`resp.parsed`; an absent optional element is None). Bandwidths are Gbps,
QPS requests per second; -1 means no limit of its own, 0 forbids that kind of access."""
from typing import Optional
from .common import _parsed, RequestResult, _ResponseLike

_QOS_FIELDS = ("total_upload_bw", "intranet_upload_bw", "extranet_upload_bw", "total_download_bw",
               "intranet_download_bw", "extranet_download_bw", "total_qps", "intranet_qps", "extranet_qps")


def _limits(target, body):
    for field in _QOS_FIELDS:
        setattr(target, field, body[field])


class BucketQosInfo(object):
    """A bucket's limits (put_bucket_qos_info's argument)."""

    def __init__(self, total_upload_bw=None, intranet_upload_bw=None, extranet_upload_bw=None, total_download_bw=None,
                 intranet_download_bw=None, extranet_download_bw=None, total_qps=None, intranet_qps=None,
                 extranet_qps=None):
        _limits(self, dict(zip(_QOS_FIELDS, (total_upload_bw, intranet_upload_bw, extranet_upload_bw, total_download_bw,
                                             intranet_download_bw, extranet_download_bw, total_qps, intranet_qps,
                                             extranet_qps))))


class UserQosInfo(object):
    """The account's limits in a `region`."""

    def __init__(self, region=None, total_upload_bw=None, intranet_upload_bw=None, extranet_upload_bw=None,
                 total_download_bw=None, intranet_download_bw=None, extranet_download_bw=None, total_qps=None,
                 intranet_qps=None, extranet_qps=None):
        self.region = region
        _limits(self, dict(zip(_QOS_FIELDS, (total_upload_bw, intranet_upload_bw, extranet_upload_bw, total_download_bw,
                                             intranet_download_bw, extranet_download_bw, total_qps, intranet_qps,
                                             extranet_qps))))


class QoSConfiguration(object):
    """A requester's or a resource pool's limits."""

    def __init__(self, total_upload_bw=None, intranet_upload_bw=None, extranet_upload_bw=None, total_download_bw=None,
                 intranet_download_bw=None, extranet_download_bw=None, total_qps=None, intranet_qps=None,
                 extranet_qps=None):
        _limits(self, dict(zip(_QOS_FIELDS, (total_upload_bw, intranet_upload_bw, extranet_upload_bw, total_download_bw,
                                             intranet_download_bw, extranet_download_bw, total_qps, intranet_qps,
                                             extranet_qps))))


class GetUserQosInfoResult(RequestResult, UserQosInfo):
    """Service.get_user_qos_info's result: `region` and the account's limits."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        UserQosInfo.__init__(self)
        body = _parsed(resp)  # go/oss QoSConfiguration with Region
        if body:
            self.region = body["region"]
            _limits(self, body)


class GetBucketQosInfoResult(RequestResult, BucketQosInfo):
    """get_bucket_qos_info's result: the bucket's limits."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketQosInfo.__init__(self)
        body = _parsed(resp)  # go/oss QoSConfiguration
        if body:
            _limits(self, body)


class BucketUserQos(object):
    """A bucket's storage capacity in GB (-1: no limit), set_bucket_storage_capacity's argument."""

    def __init__(self, storage_capacity=None):
        self.storage_capacity = storage_capacity


class GetBucketUserQosResult(RequestResult, BucketUserQos):
    """get_bucket_storage_capacity's result: `storage_capacity`."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketUserQos.__init__(self)
        body = _parsed(resp)  # go/oss BucketUserQos
        if body:
            self.storage_capacity = body["storage_capacity"]


def _qos_configuration(body):
    if body is None:
        return None
    qos = QoSConfiguration()
    _limits(qos, body)
    return qos


class RequesterQoSInfo(object):
    """One requester's limits: `requester` (uid), `qos_configuration` (QoSConfiguration)."""

    def __init__(self, requester=None, qos_configuration=None):
        self.requester = requester
        self.qos_configuration = qos_configuration


class RequesterQoSInfoResult(RequestResult):
    """get_bucket_requester_qos_info's (and the resource pool's) result: `requester`,
    `qos_configuration`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(RequesterQoSInfoResult, self).__init__(resp)
        self.requester = None
        self.qos_configuration = None
        body = _parsed(resp)  # go/oss RequesterQoSInfo
        if body:
            self.requester = body["requester"]
            self.qos_configuration = _qos_configuration(body["qos_configuration"])


class _RequesterQoSPage(RequestResult):
    def __init__(self, resp: _ResponseLike) -> None:
        super(_RequesterQoSPage, self).__init__(resp)
        self.continuation_token = ""
        self.next_continuation_token = ""
        self.is_truncated = False
        self.requester_qos_info = []
        body = _parsed(resp)  # go/oss RequesterQoSInfos
        if not body:
            return
        self.continuation_token = body["continuation_token"]
        self.next_continuation_token = body["next_continuation_token"]
        self.is_truncated = body["is_truncated"]
        for info in body["infos"] or ():
            self.requester_qos_info.append(RequesterQoSInfo(info["requester"],
                                                            _qos_configuration(info["qos_configuration"])))


class ListBucketRequesterQoSInfosResult(_RequesterQoSPage):
    """One page of list_bucket_requester_qos_infos: `bucket`, `requester_qos_info`
    (RequesterQoSInfo), `is_truncated`, `next_continuation_token`."""

    def __init__(self, resp: _ResponseLike) -> None:
        self.bucket = None
        super(ListBucketRequesterQoSInfosResult, self).__init__(resp)
        if _parsed(resp):
            self.bucket = _parsed(resp)["bucket"]


class ListResourcePoolRequesterQoSInfosResult(_RequesterQoSPage):
    """One page of Service.list_resource_pool_requester_qos_infos: `resource_pool`,
    `requester_qos_info`, `is_truncated`, `next_continuation_token`."""

    def __init__(self, resp: _ResponseLike) -> None:
        self.resource_pool = None
        super(ListResourcePoolRequesterQoSInfosResult, self).__init__(resp)
        if _parsed(resp):
            self.resource_pool = _parsed(resp)["resource_pool"]


class ResourcePoolInfo(RequestResult):
    """One resource pool of a listing: `name`, `create_time`."""

    def __init__(self, name: Optional[str] = None, create_time: Optional[str] = None) -> None:
        self.name = name
        self.create_time = create_time


class ResourcePoolBucketInfo(RequestResult):
    """One bucket of a resource pool: `name`, `join_time`."""

    def __init__(self, name: Optional[str] = None, join_time: Optional[str] = None) -> None:
        self.name = name
        self.join_time = join_time


class _Page(RequestResult):
    def __init__(self, resp: _ResponseLike) -> None:
        super(_Page, self).__init__(resp)
        self.continuation_token = ""
        self.next_continuation_token = ""
        self.is_truncated = False
        body = _parsed(resp)
        if body:
            self.continuation_token = body["continuation_token"]
            self.next_continuation_token = body["next_continuation_token"]
            self.is_truncated = body["is_truncated"]


class ListResourcePoolsResult(_Page):
    """One page of Service.list_resource_pools: `resource_pool` (ResourcePoolInfo), `region`,
    `owner`, `is_truncated`, `next_continuation_token`."""

    def __init__(self, resp: _ResponseLike) -> None:
        self.region = None
        self.owner = None
        self.resource_pool = []
        super(ListResourcePoolsResult, self).__init__(resp)
        body = _parsed(resp)  # go/oss ResourcePools
        if body:
            self.region = body["region"]
            self.owner = body["owner"]
            self.resource_pool = [ResourcePoolInfo(p["name"], p["create_time"]) for p in body["pools"] or ()]


class ListResourcePoolBucketsResult(_Page):
    """One page of Service.list_resource_pool_buckets: `resource_pool`, `resource_pool_buckets`
    (ResourcePoolBucketInfo), `is_truncated`, `next_continuation_token`."""

    def __init__(self, resp: _ResponseLike) -> None:
        self.resource_pool = None
        self.resource_pool_buckets = []
        super(ListResourcePoolBucketsResult, self).__init__(resp)
        body = _parsed(resp)  # go/oss ResourcePoolBuckets
        if body:
            self.resource_pool = body["resource_pool"]
            self.resource_pool_buckets = [ResourcePoolBucketInfo(b["name"], b["join_time"]) for b in body["buckets"] or ()]


class ResourcePoolInfoResult(RequestResult):
    """Service.get_resource_pool_info's result: `region`, `name`, `owner`, `create_time`,
    `qos_configuration`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(ResourcePoolInfoResult, self).__init__(resp)
        self.region = None
        self.name = None
        self.owner = None
        self.create_time = None
        self.qos_configuration = None
        body = _parsed(resp)  # go/oss ResourcePoolInfo
        if body:
            for field in ("region", "name", "owner", "create_time"):
                setattr(self, field, body[field])
            self.qos_configuration = _qos_configuration(body["qos_configuration"])

__all__ = ["BucketQosInfo", "UserQosInfo", "QoSConfiguration", "GetUserQosInfoResult", "GetBucketQosInfoResult",
           "BucketUserQos", "GetBucketUserQosResult", "RequesterQoSInfo", "RequesterQoSInfoResult",
           "ListBucketRequesterQoSInfosResult", "ListResourcePoolRequesterQoSInfosResult", "ResourcePoolInfo",
           "ResourcePoolBucketInfo", "ListResourcePoolsResult", "ListResourcePoolBucketsResult",
           "ResourcePoolInfoResult"]
