"""Object listings (ListObjects V1 and V2) and the entries of oss2's version listing."""
from typing import Optional, Union

from ..utils import iso8601_to_unixtime
from .common import _owner, Owner, _parsed, RequestResult, _ResponseLike


def _object_info(c):
    """A go/oss ObjectSummary (key already decoded) as oss2's SimplifiedObjectInfo."""
    return SimplifiedObjectInfo(c["key"], iso8601_to_unixtime(c["last_modified"]), c["etag"].strip('"'), c["type"],
                                c["size"], c["storage_class"], _owner(c["owner"]), c["restore_info"])


class SimplifiedObjectInfo(object):
    """An object in a listing: `key`, `last_modified` (epoch seconds), `etag` (no
    quotes), `type`, `size`, `storage_class`, `owner` (when the listing carries one), and
    `restore_info`; a common prefix (directory) when is_prefix() is True.
    """

    def __init__(self, key: str, last_modified: Optional[int], etag: Optional[str], type: Optional[str],
                 size: Optional[int], storage_class: Optional[str], owner: Optional[Owner] = None,
                 restore_info: Optional[str] = None) -> None:
        #: object key, or the common prefix
        self.key = key
        #: int epoch seconds (None for a common prefix)
        self.last_modified = last_modified
        #: ETag without quotes
        self.etag = etag
        self.type = type
        self.size = size
        self.storage_class = storage_class
        #: Owner, when the listing asked for it
        self.owner = owner
        self.restore_info = restore_info

    def is_prefix(self) -> bool:
        """True for a common prefix (a "directory"), False for an object."""
        return self.last_modified is None


class ListObjectsResult(RequestResult):
    """One page of list_objects: `object_list` (SimplifiedObjectInfo), `prefix_list`,
    `is_truncated`, `next_marker`.
    """

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListObjectsResult, self).__init__(resp)
        self.is_truncated = False
        #: marker for the next list_objects call
        self.next_marker = ""
        #: SimplifiedObjectInfo list
        self.object_list = []
        #: common prefixes (str list)
        self.prefix_list = []
        body = _parsed(resp)  # go/oss ListObjectsResult: typed, names decoded
        if not body:
            return
        self.is_truncated = body["is_truncated"]
        if self.is_truncated:
            self.next_marker = body["next_marker"]
        self.object_list = [_object_info(c) for c in body["contents"]]
        self.prefix_list = list(body["common_prefixes"])


class ListObjectsV2Result(RequestResult):
    """One page of list_objects_v2: `object_list`, `prefix_list`, `is_truncated`,
    `next_continuation_token`, `key_count`, ...
    """

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListObjectsV2Result, self).__init__(resp)
        self.is_truncated = False
        #: token for the next list_objects_v2 call
        self.next_continuation_token = ""
        self.object_list = []
        self.prefix_list = []
        body = _parsed(resp)  # go/oss ListObjectsV2Result: typed, names decoded
        if not body:
            return
        self.is_truncated = body["is_truncated"]
        if self.is_truncated:
            self.next_continuation_token = body["next_continuation_token"]
        self.object_list = [_object_info(c) for c in body["contents"]]
        self.prefix_list = list(body["common_prefixes"])


class DeleteMarkerInfo(object):
    """A delete marker in list_object_versions: `key`, `versionid`, `is_latest`,
    `last_modified`, `owner`."""

    def __init__(self) -> None:
        self.key = ""
        self.versionid = ""
        self.is_latest = False
        #: int epoch seconds once listed ("" before, as oss2)
        self.last_modified: Union[int, str] = ""
        self.owner: Optional[Owner] = Owner("", "")


class ObjectVersionInfo(object):
    """An object version in list_object_versions: `key`, `versionid`, `is_latest`,
    `last_modified`, `owner`, `type`, `storage_class`, `size`, `etag`, `restore_info`."""

    def __init__(self) -> None:
        self.key = ""
        self.versionid = ""
        self.is_latest = False
        #: int epoch seconds once listed ("" before, as oss2)
        self.last_modified: Union[int, str] = ""
        self.owner: Optional[Owner] = Owner("", "")
        self.type = ""
        self.storage_class = ""
        self.size: Union[int, str] = ""
        self.etag = ""
        self.restore_info = ""

__all__ = ["SimplifiedObjectInfo", "ListObjectsResult", "ListObjectsV2Result", "DeleteMarkerInfo",
           "ObjectVersionInfo"]
