"""The account's families, with oss2's signatures: regions, QoS and resource pools, public
access block, access points, data redundancy transitions, Object FC responses. Service
(pyjindo.api) inherits them. Requests and responses flow as in pyjindo._families.
"""
from __future__ import annotations

from typing import Any, Optional

from . import models, utils, xml_utils
from ._session import GoClient
from .exceptions import ClientError


class ServiceFamilies(GoClient):
    """The families' Service methods (pyjindo.api.Service)."""

    ACCESS_POINT = "accessPoint"
    REGIONS = "regions"
    PUBLIC_ACCESS_BLOCK = "publicAccessBlock"

    def _account(self, method, params, data=None, parse=None):
        return self._do(method, "", "", params=params, data=data, parse=parse)

    def put_public_access_block(self, block_public_access: bool = False) -> models.RequestResult:
        """Block (or allow) public access to everything in the account, as oss2."""
        data = xml_utils.to_put_public_access_block_request(block_public_access)
        return models.RequestResult(self._account("PUT", {ServiceFamilies.PUBLIC_ACCESS_BLOCK: ""}, data=data))

    def get_public_access_block(self) -> models.GetPublicAccessBlockResult:
        """Whether public access is blocked account-wide, as oss2: `block_public_access`."""
        return models.GetPublicAccessBlockResult(self._account("GET", {ServiceFamilies.PUBLIC_ACCESS_BLOCK: ""},
                                                               parse="get_public_access_block"))

    def delete_public_access_block(self) -> models.RequestResult:
        """Remove the account's public access block, as oss2."""
        return models.RequestResult(self._account("DELETE", {ServiceFamilies.PUBLIC_ACCESS_BLOCK: ""}))

    def describe_regions(self, regions: str = "") -> models.DescribeRegionsResult:
        """The regions and their endpoints, or only the region `regions` names, as oss2:
        `regions` (RegionInfo)."""
        return models.DescribeRegionsResult(self._do("GET", "", "", params={ServiceFamilies.REGIONS: regions},
                                                     parse="describe_regions"))

    QOS_INFO = "qosInfo"
    REQUESTER_QOS_INFO = "requesterQosInfo"
    QOS_REQUESTER = "qosRequester"
    RESOURCE_POOL_INFO = "resourcePoolInfo"
    RESOURCE_POOL = "resourcePool"
    RESOURCE_POOL_BUCKETS = "resourcePoolBuckets"

    def get_user_qos_info(self) -> models.GetUserQosInfoResult:
        """The account's bandwidth and QPS limits in its region, as oss2."""
        return models.GetUserQosInfoResult(self._account("GET", {ServiceFamilies.QOS_INFO: ""}, parse="get_qos_info"))

    @staticmethod
    def _pool(resource_pool_name, uid=None, check_uid=False):
        """oss2's checks, uid first, then the pool's query."""
        if check_uid and not uid:
            raise ClientError("uid should not be empty")
        if not resource_pool_name:
            raise ClientError("resource_pool_name should not be empty")
        return {ServiceFamilies.RESOURCE_POOL: resource_pool_name}

    def list_resource_pools(self, continuation_token: str = "", max_keys: int = 100) -> models.ListResourcePoolsResult:
        """One page of the account's resource pools, as oss2 (jindo server has none: OSS makes
        them on request)."""
        return models.ListResourcePoolsResult(self._account("GET", {
            ServiceFamilies.RESOURCE_POOL: "", "continuation-token": continuation_token, "max-keys": str(max_keys)},
            parse="list_resource_pools"))

    def get_resource_pool_info(self, resource_pool_name: str) -> models.ResourcePoolInfoResult:
        """The resource pool's limits, as oss2. Raises ClientError for an empty name."""
        params = dict(self._pool(resource_pool_name), **{ServiceFamilies.RESOURCE_POOL_INFO: ""})
        return models.ResourcePoolInfoResult(self._account("GET", params, parse="get_resource_pool_info"))

    def list_resource_pool_buckets(self, resource_pool_name: str, continuation_token: str = "",
                                   max_keys: int = 100) -> models.ListResourcePoolBucketsResult:
        """One page of the resource pool's buckets, as oss2."""
        params = dict(self._pool(resource_pool_name), **{ServiceFamilies.RESOURCE_POOL_BUCKETS: "",
                                                          "continuation-token": continuation_token,
                                                          "max-keys": str(max_keys)})
        return models.ListResourcePoolBucketsResult(self._account("GET", params, parse="list_resource_pool_buckets"))

    def put_resource_pool_requester_qos_info(self, uid: str, resource_pool_name: str,
                                             qos_configuration: Any) -> models.RequestResult:
        """Set the limits of the requester `uid` in the resource pool, as oss2."""
        params = dict(self._pool(resource_pool_name, uid, True), **{ServiceFamilies.REQUESTER_QOS_INFO: "",
                                                                     ServiceFamilies.QOS_REQUESTER: uid})
        data = xml_utils.to_put_qos_info(qos_configuration)
        return models.RequestResult(self._account("PUT", params, data=data))

    def get_resource_pool_requester_qos_info(self, uid: str, resource_pool_name: str) -> models.RequesterQoSInfoResult:
        """The limits of the requester `uid` in the resource pool, as oss2."""
        params = dict(self._pool(resource_pool_name, uid, True), **{ServiceFamilies.REQUESTER_QOS_INFO: "",
                                                                     ServiceFamilies.QOS_REQUESTER: uid})
        return models.RequesterQoSInfoResult(self._account("GET", params, parse="get_requester_qos_info"))

    def list_resource_pool_requester_qos_infos(
            self, resource_pool_name: str, continuation_token: str = "",
            max_keys: int = 100) -> models.ListResourcePoolRequesterQoSInfosResult:
        """One page of the requesters with limits in the resource pool, as oss2."""
        params = dict(self._pool(resource_pool_name), **{ServiceFamilies.REQUESTER_QOS_INFO: "",
                                                          "continuation-token": continuation_token,
                                                          "max-keys": str(max_keys)})
        return models.ListResourcePoolRequesterQoSInfosResult(self._account("GET", params,
                                                                            parse="list_requester_qos_infos"))

    def delete_resource_pool_requester_qos_info(self, uid: str, resource_pool_name: str) -> models.RequestResult:
        """Remove the limits of the requester `uid` in the resource pool, as oss2."""
        params = dict(self._pool(resource_pool_name, uid, True), **{ServiceFamilies.REQUESTER_QOS_INFO: "",
                                                                     ServiceFamilies.QOS_REQUESTER: uid})
        return models.RequestResult(self._account("DELETE", params))

    REDUNDANCY_TRANSITION = "redundancyTransition"

    def list_user_data_redundancy_transition(
            self, continuation_token: str = "", max_keys: int = 100) -> models.ListUserDataRedundancyTransitionResult:
        """One page of the account's data redundancy transition tasks, as oss2."""
        return models.ListUserDataRedundancyTransitionResult(self._account("GET", {
            ServiceFamilies.REDUNDANCY_TRANSITION: "", "continuation-token": continuation_token,
            "max-keys": str(max_keys)}, parse="list_data_redundancy_transitions"))

    WRITE_GET_OBJECT_RESPONSE = "x-oss-write-get-object-response"

    def write_get_object_response(self, route: str, token: str, fwd_status: str, data: Any,
                                  headers: Optional[Any] = None) -> models.RequestResult:
        """Answer, from a Function Compute function, a GET made through an Object FC access
        point: `data` (bytes, str or a file object) with `fwd_status` and `headers`, to the
        request `route` and `token` name, as oss2. jindo server has no Object FC access points and
        refuses every token (InvalidArgument)."""
        headers = utils.CaseInsensitiveDict(headers)
        if route:
            headers["x-oss-request-route"] = route
        if token:
            headers["x-oss-request-token"] = token
        if fwd_status:
            headers["x-oss-fwd-status"] = fwd_status
        return models.RequestResult(self._do("POST", "", "", params={ServiceFamilies.WRITE_GET_OBJECT_RESPONSE: ""},
                                             headers=headers, data=data))

    def list_access_points(self, max_keys: int = 100, continuation_token: str = "") -> models.ListAccessPointResult:
        """One page of the account's access points by name, as oss2: `access_points`,
        `is_truncated`, `next_continuation_token`."""
        return models.ListAccessPointResult(self._do(
            "GET", "", "", params={ServiceFamilies.ACCESS_POINT: "", "max-keys": str(max_keys),
                                   "continuation-token": continuation_token}, parse="list_access_points"))
