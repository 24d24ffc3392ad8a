"""Buckets: the list_buckets entries, bucket info, stat, ACL, location, create and default
encryption settings."""
from typing import Optional

from ..utils import iso8601_to_unixtime
from .common import AccessControlList, _owner, Owner, _parsed, RequestResult, _ResponseLike


class SimplifiedBucketInfo(object):
    """One bucket of a list_buckets result."""

    def __init__(self, name: str, location: Optional[str], creation_date: Optional[int],
                 extranet_endpoint: Optional[str], intranet_endpoint: Optional[str], storage_class: Optional[str],
                 region: Optional[str] = None, resource_group_id: Optional[str] = None) -> None:
        self.name = name
        self.location = location
        #: int epoch seconds
        self.creation_date = creation_date
        self.extranet_endpoint = extranet_endpoint
        self.intranet_endpoint = intranet_endpoint
        self.storage_class = storage_class
        self.region = region
        self.resource_group_id = resource_group_id


class ListBucketsResult(RequestResult):
    """One page of list_buckets: `buckets` (SimplifiedBucketInfo), `is_truncated`,
    `next_marker`, `owner`, ...
    """

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListBucketsResult, self).__init__(resp)
        self.is_truncated = False
        self.next_marker = ""
        #: SimplifiedBucketInfo list
        self.buckets = []
        self.owner = Owner("", "")
        body = _parsed(resp)  # go/oss ListBucketsResult: typed, an absent optional element None
        if not body:
            return
        self.is_truncated = body["is_truncated"]
        if self.is_truncated:
            self.next_marker = body["next_marker"]
        owner = body["owner"]
        if owner is not None:
            self.owner = Owner(owner["display_name"], owner["id"])
        for b in body["buckets"] or ():
            self.buckets.append(SimplifiedBucketInfo(
                b["name"], b["location"], iso8601_to_unixtime(b["creation_date"]), b["extranet_endpoint"],
                b["intranet_endpoint"], b["storage_class"], b["region"], b["resource_group_id"]))


class GetBucketAclResult(RequestResult):
    """get_bucket_acl's result: `acl`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetBucketAclResult, self).__init__(resp)
        self.acl = ""
        body = _parsed(resp)  # go/oss AccessControlPolicy
        if body:
            self.acl = body["grant"]


class GetBucketLocationResult(RequestResult):
    """get_bucket_location's result: `location` ("oss-cn-hangzhou")."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetBucketLocationResult, self).__init__(resp)
        self.location = ""
        body = _parsed(resp)  # go/oss BucketLocation
        if body:
            self.location = body["location"]


class BucketCreateConfig(object):
    """Storage class (and data redundancy type) of a bucket to create."""

    def __init__(self, storage_class: Optional[str], data_redundancy_type: Optional[str] = None) -> None:
        self.storage_class = storage_class
        self.data_redundancy_type = data_redundancy_type


_BUCKET_STAT_FIELDS = (
    "live_channel_count", "last_modified_time", "standard_storage", "standard_object_count",
    "infrequent_access_storage", "infrequent_access_real_storage", "infrequent_access_object_count",
    "archive_storage", "archive_real_storage", "archive_object_count", "cold_archive_storage",
    "cold_archive_real_storage", "cold_archive_object_count", "multipart_part_count", "delete_marker_count",
    "deep_cold_archive_storage", "deep_cold_archive_real_storage", "deep_cold_archive_object_count",
)


class BucketStat(object):
    """A bucket's storage use: `storage_size_in_bytes`, `object_count`,
    `multi_part_upload_count`, and the per-storage-class sizes and counts, as oss2.
    """

    def __init__(self, storage_size_in_bytes: Optional[int], object_count: Optional[int],
                 multi_part_upload_count: Optional[int], live_channel_count: Optional[int] = None,
                 last_modified_time: Optional[int] = None, standard_storage: Optional[int] = None,
                 standard_object_count: Optional[int] = None, infrequent_access_storage: Optional[int] = None,
                 infrequent_access_real_storage: Optional[int] = None,
                 infrequent_access_object_count: Optional[int] = None, archive_storage: Optional[int] = None,
                 archive_real_storage: Optional[int] = None, archive_object_count: Optional[int] = None,
                 cold_archive_storage: Optional[int] = None, cold_archive_real_storage: Optional[int] = None,
                 cold_archive_object_count: Optional[int] = None, multipart_part_count: Optional[int] = None,
                 delete_marker_count: Optional[int] = None, deep_cold_archive_storage: Optional[int] = None,
                 deep_cold_archive_real_storage: Optional[int] = None,
                 deep_cold_archive_object_count: Optional[int] = None) -> None:
        self.storage_size_in_bytes = storage_size_in_bytes
        self.object_count = object_count
        self.multi_part_upload_count = multi_part_upload_count
        values = locals()
        for name in _BUCKET_STAT_FIELDS:
            setattr(self, name, values[name])


class ServerSideEncryptionRule(object):
    """Default encryption for put_bucket_encryption: `sse_algorithm` ("AES256",
    "KMS", "SM4"), `kms_master_keyid`, `kms_data_encryption`.
    """

    def __init__(self, sse_algorithm: Optional[str] = None, kms_master_keyid: Optional[str] = None,
                 kms_data_encryption: Optional[str] = None) -> None:
        self.sse_algorithm = sse_algorithm
        self.kms_master_keyid = kms_master_keyid
        self.kms_data_encryption = kms_data_encryption


class BucketInfo(object):
    """A bucket's information: `name`, `owner`, `location`, `storage_class`, the endpoints,
    `creation_date`, `acl`, `versioning_status`, `bucket_encryption_rule`, ...
    """

    def __init__(self, name: Optional[str] = None, owner: Optional[Owner] = None, location: Optional[str] = None,
                 storage_class: Optional[str] = None, intranet_endpoint: Optional[str] = None,
                 extranet_endpoint: Optional[str] = None, creation_date: Optional[str] = None,
                 acl: Optional[AccessControlList] = None, data_redundancy_type: Optional[str] = None,
                 comment: Optional[str] = None, bucket_encryption_rule: Optional["ServerSideEncryptionRule"] = None,
                 versioning_status: Optional[str] = None, access_monitor: Optional[str] = None,
                 transfer_acceleration: Optional[str] = None, cross_region_replication: Optional[str] = None,
                 resource_group_id: Optional[str] = None) -> None:
        self.name = name
        self.owner = owner
        self.location = location
        self.storage_class = storage_class
        self.intranet_endpoint = intranet_endpoint
        self.extranet_endpoint = extranet_endpoint
        self.creation_date = creation_date
        self.acl = acl
        self.data_redundancy_type = data_redundancy_type
        self.comment = comment
        self.bucket_encryption_rule = bucket_encryption_rule
        self.versioning_status = versioning_status
        self.access_monitor = access_monitor
        self.transfer_acceleration = transfer_acceleration
        self.cross_region_replication = cross_region_replication
        self.resource_group_id = resource_group_id


def _encryption_rule(d):
    """A go/oss ServerSideEncryptionRule as oss2's: algorithm "None" means none, an empty KMS
    element is None as an absent one."""
    rule = ServerSideEncryptionRule()
    if d["sse_algorithm"] == "None":
        return rule
    rule.sse_algorithm = d["sse_algorithm"]
    rule.kms_master_keyid = d["kms_master_key_id"] or None
    rule.kms_data_encryption = d["kms_data_encryption"] or None
    return rule


class GetBucketStatResult(RequestResult, BucketStat):
    """get_bucket_stat's result: a RequestResult and a BucketStat."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketStat.__init__(self, 0, 0, 0)
        body = _parsed(resp)  # go/oss BucketStat: typed, an absent count None
        if not body:
            return
        self.storage_size_in_bytes = body["storage"]
        self.object_count = body["object_count"]
        self.multi_part_upload_count = body["multipart_upload_count"]
        for name in _BUCKET_STAT_FIELDS:
            setattr(self, name, body[name])


class GetBucketInfoResult(RequestResult, BucketInfo):
    """get_bucket_info's result: a RequestResult and a BucketInfo."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketInfo.__init__(self)
        b = _parsed(resp)  # go/oss BucketInfo: typed, an absent optional element None
        if not b:
            return
        self.name = b["name"]
        self.creation_date = b["creation_date"]  # the ISO8601 text, as oss2 keeps it
        self.storage_class = b["storage_class"]
        self.extranet_endpoint = b["extranet_endpoint"]
        self.intranet_endpoint = b["intranet_endpoint"]
        self.location = b["location"]
        self.owner = _owner(b["owner"])
        self.acl = AccessControlList(b["acl"])
        self.comment = b["comment"]
        self.versioning_status = b["versioning"]
        self.data_redundancy_type = b["data_redundancy_type"]
        self.access_monitor = b["access_monitor"]
        self.transfer_acceleration = b["transfer_acceleration"]
        self.cross_region_replication = b["cross_region_replication"]
        self.resource_group_id = b["resource_group_id"]
        sse = b["server_side_encryption_rule"]
        self.bucket_encryption_rule = None if sse is None else _encryption_rule(sse)

__all__ = ["SimplifiedBucketInfo", "ListBucketsResult", "BucketCreateConfig", "BucketStat",
           "ServerSideEncryptionRule", "BucketInfo", "GetBucketStatResult", "GetBucketInfoResult",
           "GetBucketAclResult", "GetBucketLocationResult"]
