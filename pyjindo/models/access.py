"""Access points and public access blocks: oss2's parameter and result classes, read from the
typed JSON of their go/oss structs (`resp.parsed`; an absent optional element is None)."""
from typing import Optional
from ..compat import to_string
from .common import _parsed, RequestResult, _ResponseLike


class CreateAccessPointRequest(RequestResult):
    """create_access_point's argument: `access_point_name`, `network_origin` ("internet" or
    "vpc") and `vpc` (AccessPointVpcConfiguration). A RequestResult without a response, as in
    oss2."""

    def __init__(self, access_point_name: Optional[str] = None, network_origin: Optional[str] = None,
                 vpc: Optional["AccessPointVpcConfiguration"] = None) -> None:
        self.access_point_name = access_point_name
        self.network_origin = network_origin
        self.vpc = vpc


class AccessPointVpcConfiguration(RequestResult):
    """The VPC an access point admits: `vpc_id`."""

    def __init__(self, vpc_id: Optional[str] = None) -> None:
        self.vpc_id = vpc_id


class PublicAccessBlockConfiguration(RequestResult):
    """An access point's public access block: `block_public_access`."""

    def __init__(self, block_public_access: Optional[bool] = None) -> None:
        self.block_public_access = block_public_access


class AccessPointEndpoints(RequestResult):
    """An access point's addresses: `public_endpoint`, `internal_endpoint`."""

    def __init__(self, public_endpoint: Optional[str] = None, internal_endpoint: Optional[str] = None) -> None:
        self.public_endpoint = public_endpoint
        self.internal_endpoint = internal_endpoint


def _vpc(value):
    return None if value is None else AccessPointVpcConfiguration(value["vpc_id"])


class CreateAccessPointResult(RequestResult):
    """create_access_point's result: `access_point_arn`, `alias`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(CreateAccessPointResult, self).__init__(resp)
        self.access_point_arn = None
        self.alias = None
        body = _parsed(resp)  # go/oss CreateAccessPointResult
        if body:
            self.access_point_arn = body["access_point_arn"]
            self.alias = body["alias"]


class GetAccessPointResult(RequestResult):
    """get_access_point's result: `access_point_name`, `bucket`, `account_id`, `network_origin`,
    `vpc`, `access_point_arn`, `creation_date` (text), `alias`, `access_point_status`,
    `endpoints` (AccessPointEndpoints), `public_access_block_configuration`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetAccessPointResult, self).__init__(resp)
        self.access_point_name = None
        self.bucket = None
        self.account_id = None
        self.network_origin = None
        self.vpc = None
        self.access_point_arn = None
        self.creation_date = None
        self.alias = None
        self.access_point_status = None
        self.endpoints = None
        self.public_access_block_configuration = None
        body = _parsed(resp)  # go/oss GetAccessPointResult
        if not body:
            return
        for field in ("access_point_name", "bucket", "account_id", "network_origin", "access_point_arn",
                      "creation_date", "alias"):
            setattr(self, field, body[field])
        self.access_point_status = body["status"]
        self.vpc = _vpc(body["vpc"])
        if body["endpoints"] is not None:
            self.endpoints = AccessPointEndpoints(body["endpoints"]["public_endpoint"],
                                                  body["endpoints"]["internal_endpoint"])
        block = body["public_access_block"]
        if block is not None and block["block_public_access"] is not None:
            self.public_access_block_configuration = PublicAccessBlockConfiguration(block["block_public_access"])


class AccessPointInfo(RequestResult):
    """One access point of a listing: `access_point_name`, `bucket`, `network_origin`, `vpc`,
    `alias`, `status`."""

    def __init__(self, access_point_name: Optional[str] = None, bucket: Optional[str] = None,
                 network_origin: Optional[str] = None, vpc: Optional[AccessPointVpcConfiguration] = None,
                 alias: Optional[str] = None, status: Optional[str] = None) -> None:
        self.access_point_name = access_point_name
        self.bucket = bucket
        self.network_origin = network_origin
        self.vpc = vpc
        self.alias = alias
        self.status = status


class ListAccessPointResult(RequestResult):
    """One page of list_bucket_access_points or Service.list_access_points: `access_points`
    (AccessPointInfo), `is_truncated`, `next_continuation_token`, `max_keys`, `account_id`,
    `marker`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListAccessPointResult, self).__init__(resp)
        self.account_id = None
        self.max_keys = None
        self.is_truncated = None
        self.next_continuation_token = None
        self.marker = None
        self.access_points = []
        body = _parsed(resp)  # go/oss ListAccessPointsResult
        if not body:
            return
        self.account_id = body["account_id"]
        self.marker = body["marker"]
        self.max_keys = body["max_keys"]
        self.is_truncated = body["is_truncated"]
        self.next_continuation_token = body["next_continuation_token"]
        for a in body["access_points"] or ():
            self.access_points.append(AccessPointInfo(a["access_point_name"], a["bucket"], a["network_origin"],
                                                      _vpc(a["vpc"]), a["alias"], a["status"]))


class GetAccessPointPolicyResult(RequestResult):
    """get_access_point_policy's result: `policy`, the JSON text."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        self.policy = to_string(resp.read())


class _PublicAccessBlockResult(RequestResult):
    def __init__(self, resp: _ResponseLike) -> None:
        super(_PublicAccessBlockResult, self).__init__(resp)
        self.block_public_access = _parsed(resp).get("block_public_access")  # go/oss PublicAccessBlockConfiguration


class GetPublicAccessBlockResult(_PublicAccessBlockResult):
    """Service.get_public_access_block's result: `block_public_access`."""


class GetBucketPublicAccessBlockResult(_PublicAccessBlockResult):
    """get_bucket_public_access_block's (and get_access_point_public_access_block's) result:
    `block_public_access`."""


class GetAccessPointPublicAccessBlockResult(_PublicAccessBlockResult):
    """An access point's public access block: `block_public_access`. (oss2 declares it;
    get_access_point_public_access_block returns GetBucketPublicAccessBlockResult, as in oss2.)"""

__all__ = ["CreateAccessPointRequest", "AccessPointVpcConfiguration", "PublicAccessBlockConfiguration",
           "AccessPointEndpoints", "CreateAccessPointResult", "GetAccessPointResult", "AccessPointInfo",
           "ListAccessPointResult", "GetAccessPointPolicyResult", "GetPublicAccessBlockResult",
           "GetBucketPublicAccessBlockResult", "GetAccessPointPublicAccessBlockResult"]
