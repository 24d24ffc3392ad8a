"""The one-value bucket settings (transfer acceleration, access monitor, resource group,
archive direct read), the callback policy, the regions, data redundancy transitions and
asynchronous fetch: oss2's classes, read from the typed JSON of their
go/oss structs (`resp.parsed`; an absent optional element is None)."""
from typing import Any, Optional
from .common import _parsed, RequestResult, _ResponseLike


class GetBucketTransferAccelerationResult(RequestResult):
    """get_bucket_transfer_acceleration's result: `enabled`, the text OSS sent ("true" or
    "false"), as oss2 keeps it."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetBucketTransferAccelerationResult, self).__init__(resp)
        self.enabled = None
        body = _parsed(resp)  # go/oss TransferAccelerationConfiguration
        if body:
            self.enabled = body["enabled"]


class AccessMonitorInfo(object):
    """A bucket's access monitoring: `status` ("Enabled" or "Disabled")."""

    def __init__(self, status):
        self.status = status


class GetBucketAccessMonitorResult(RequestResult):
    """get_bucket_access_monitor's result: `access_monitor` (AccessMonitorInfo)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetBucketAccessMonitorResult, self).__init__(resp)
        self.access_monitor = None
        body = _parsed(resp)  # go/oss AccessMonitorConfiguration
        if body:
            self.access_monitor = AccessMonitorInfo(body["status"])


class GetBucketResourceGroupResult(RequestResult):
    """get_bucket_resource_group's result: `resource_group_id`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetBucketResourceGroupResult, self).__init__(resp)
        self.resource_group_id = None
        body = _parsed(resp)  # go/oss BucketResourceGroupConfiguration
        if body:
            self.resource_group_id = body["resource_group_id"]


class GetBucketArchiveDirectReadResult(RequestResult):
    """get_bucket_archive_direct_read's result: `enabled` (bool)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetBucketArchiveDirectReadResult, self).__init__(resp)
        self.enabled = _parsed(resp).get("enabled")  # go/oss ArchiveDirectReadConfiguration


class CallbackPolicyInfo(RequestResult):
    """One named callback of a callback policy: `policy_name`, `callback` and `callback_var`
    (base64 of the callback's JSON, as for put_object's x-oss-callback). A RequestResult
    without a response, as in oss2."""

    def __init__(self, policy_name: Optional[str] = None, callback: Optional[str] = None,
                 callback_var: Optional[str] = None) -> None:
        self.policy_name = policy_name
        self.callback = callback
        self.callback_var = callback_var


class CallbackPolicy(object):
    """A set of named callbacks: `callback_policies` (CallbackPolicyInfo list)."""

    def __init__(self, callback_policies=None):
        self.callback_policies = callback_policies or []


class CallbackPolicyResult(RequestResult):
    """get_bucket_callback_policy's result: `callback_policies` (CallbackPolicyInfo)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(CallbackPolicyResult, self).__init__(resp)
        self.callback_policies = []
        for item in _parsed(resp).get("items") or ():  # go/oss BucketCallbackPolicy
            self.callback_policies.append(CallbackPolicyInfo(item["policy_name"], item["callback"],
                                                             item["callback_var"]))


class RegionInfo(RequestResult):
    """One region of describe_regions: `region`, `internet_endpoint`, `internal_endpoint`,
    `accelerate_endpoint`. A RequestResult without a response, as in oss2."""

    def __init__(self, region: Optional[str] = None, internet_endpoint: Optional[str] = None,
                 internal_endpoint: Optional[str] = None, accelerate_endpoint: Optional[str] = None) -> None:
        self.region = region
        self.internet_endpoint = internet_endpoint
        self.internal_endpoint = internal_endpoint
        self.accelerate_endpoint = accelerate_endpoint


class DescribeRegionsResult(RequestResult):
    """Service.describe_regions' result: `regions` (RegionInfo)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(DescribeRegionsResult, self).__init__(resp)
        self.regions = []
        for r in _parsed(resp).get("regions") or ():  # go/oss RegionInfoList
            self.regions.append(RegionInfo(r["region"], r["internet_endpoint"], r["internal_endpoint"],
                                           r["accelerate_endpoint"]))


# --- data redundancy transition ----------------------------------------------------------------

_TRANSITION_FIELDS = (("bucket", "bucket"), ("task_id", "task_id"), ("transition_status", "status"),
                      ("create_time", "create_time"), ("start_time", "start_time"), ("end_time", "end_time"),
                      ("estimated_remaining_time", "estimated_remaining_time"),
                      ("process_percentage", "process_percentage"))


def _transition(target, body):
    for field, key in _TRANSITION_FIELDS:
        if body[key] is not None:
            setattr(target, field, body[key])
    return target


class DataRedundancyTransitionInfo(RequestResult):
    """One LRS-to-ZRS task of a listing: `bucket`, `task_id`, `transition_status` (Queueing,
    Processing or Finished), `create_time`, `start_time`, `end_time`,
    `estimated_remaining_time`, `process_percentage`."""

    def __init__(self, bucket: Optional[str] = None, task_id: Optional[str] = None, create_time: Optional[str] = None,
                 start_time: Optional[str] = None, end_time: Optional[str] = None,
                 transition_status: Optional[str] = None, estimated_remaining_time: Optional[int] = None,
                 process_percentage: Optional[int] = None) -> None:
        self.bucket = bucket
        self.task_id = task_id
        self.create_time = create_time
        self.start_time = start_time
        self.end_time = end_time
        self.transition_status = transition_status
        self.estimated_remaining_time = estimated_remaining_time
        self.process_percentage = process_percentage


class DataRedundancyTransitionInfoResult(RequestResult):
    """get_bucket_data_redundancy_transition's result: the task's fields, as
    DataRedundancyTransitionInfo has them."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(DataRedundancyTransitionInfoResult, self).__init__(resp)
        self.bucket = None
        self.task_id = None
        self.create_time = None
        self.start_time = None
        self.end_time = None
        self.transition_status = None
        self.estimated_remaining_time = None
        self.process_percentage = None
        body = _parsed(resp)  # go/oss DataRedundancyTransition
        if body:
            _transition(self, body)


class CreateDataRedundancyTransitionResult(RequestResult):
    """create_bucket_data_redundancy_transition's result: `task_id`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(CreateDataRedundancyTransitionResult, self).__init__(resp)
        self.task_id = None
        body = _parsed(resp)  # go/oss DataRedundancyTransition, TaskId only
        if body:
            self.task_id = body["task_id"]


class ListBucketDataRedundancyTransitionResult(RequestResult):
    """list_bucket_data_redundancy_transition's result: `data_redundancy_transitions`
    (DataRedundancyTransitionInfo)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListBucketDataRedundancyTransitionResult, self).__init__(resp)
        self.data_redundancy_transitions = [_transition(DataRedundancyTransitionInfo(), t)
                                            for t in _parsed(resp).get("transitions") or ()]


class ListUserDataRedundancyTransitionResult(RequestResult):
    """One page of Service.list_user_data_redundancy_transition: `data_redundancy_transitions`,
    `is_truncated`, `next_continuation_token`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListUserDataRedundancyTransitionResult, self).__init__(resp)
        self.is_truncated = None
        self.next_continuation_token = None
        body = _parsed(resp)  # go/oss DataRedundancyTransitions
        self.data_redundancy_transitions = [_transition(DataRedundancyTransitionInfo(), t)
                                            for t in body.get("transitions") or ()]
        if body.get("is_truncated") is not None:
            self.is_truncated = body["is_truncated"]
        if body.get("next_continuation_token") is not None:
            self.next_continuation_token = body["next_continuation_token"]


# --- asynchronous fetch ------------------------------------------------------------------------

class AsyncFetchTaskConfiguration(object):
    """put_async_fetch_task's argument: fetch `url` into the object `object_name` (optionally
    with a `host` header, a `content_md5` to check, a `callback`; `ignore_same_key` skips an
    existing object; `callback_when_failed`)."""

    def __init__(self, url, object_name, host=None, content_md5=None, callback=None, ignore_same_key=None,
                 callback_when_failed=None):
        self.url = url
        self.object_name = object_name
        self.host = host
        self.content_md5 = content_md5
        self.callback = callback
        self.ignore_same_key = ignore_same_key
        self.callback_when_failed = callback_when_failed


class PutAsyncFetchTaskResult(RequestResult):
    """put_async_fetch_task's result: `task_id` (from the response when not given)."""

    def __init__(self, resp: _ResponseLike, task_id: Optional[str] = None) -> None:
        RequestResult.__init__(self, resp)
        self.task_id = task_id if task_id is not None else _parsed(resp).get("task_id")


class GetAsyncFetchTaskResult(RequestResult):
    """get_async_fetch_task's result: `task_id`, `task_state` (ASYNC_FETCH_TASK_STATE_*),
    `error_msg`, `task_config` (AsyncFetchTaskConfiguration); read from the response when none
    is given, as oss2 reads it."""

    def __init__(self, resp: _ResponseLike, task_id: Optional[str] = None, task_state: Optional[str] = None,
                 error_msg: Optional[str] = None, task_config: Any = None) -> None:
        RequestResult.__init__(self, resp)
        self.task_id = task_id
        self.task_state = task_state
        self.error_msg = error_msg
        self.task_config = task_config
        body = _parsed(resp)  # go/oss AsyncFetchTaskInfo
        if body and task_config is None:
            info = body["task_info"]
            if info is None:
                raise RuntimeError("parse xml: TaskInfo could not be found under AsyncFetchTaskInfo")
            self.task_id, self.task_state, self.error_msg = body["task_id"], body["state"], body["error_msg"]
            self.task_config = AsyncFetchTaskConfiguration(info["url"], info["object"], info["host"],
                                                           info["content_md5"], info["callback"],
                                                           info["ignore_same_key"])

__all__ = ["GetBucketTransferAccelerationResult", "AccessMonitorInfo", "GetBucketAccessMonitorResult",
           "GetBucketResourceGroupResult", "GetBucketArchiveDirectReadResult", "CallbackPolicyInfo",
           "CallbackPolicy", "CallbackPolicyResult", "RegionInfo", "DescribeRegionsResult",
           "DataRedundancyTransitionInfo", "DataRedundancyTransitionInfoResult",
           "CreateDataRedundancyTransitionResult", "ListBucketDataRedundancyTransitionResult",
           "ListUserDataRedundancyTransitionResult", "AsyncFetchTaskConfiguration", "PutAsyncFetchTaskResult",
           "GetAsyncFetchTaskResult"]
