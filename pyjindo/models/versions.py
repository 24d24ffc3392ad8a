"""Object versions (ListObjectVersions), with oss2's result class and fields.

The listing is sent through the generic `request` operation and its document comes back from Go
typed (go/oss ListObjectVersionsResult, keys and markers already URL-decoded where oss2 decodes
them); ListObjectVersionsResult gives it oss2's fields and defaults. Batch deletes with versions (delete_object_versions) answer with oss2's
BatchDeleteObjectsResult, whose `delete_versions` carry the version ids and delete markers.

oss2 has no version iterator (oss2.iterators has none); `_walk_versions` pages through a
listing for pyjindo.fs.
"""
from typing import Any, Dict, Iterator, List

from ..utils import iso8601_to_unixtime
from .common import _owner, _parsed, RequestResult
from .listing import DeleteMarkerInfo, ObjectVersionInfo

__all__ = ["ListObjectVersionsResult"]


class ListObjectVersionsResult(RequestResult):
    """One page of list_object_versions, as oss2: `versions` (ObjectVersionInfo: key, versionid,
    is_latest, last_modified, owner, type, storage_class, size, etag, restore_info),
    `delete_marker` (DeleteMarkerInfo: key, versionid, is_latest, last_modified, owner),
    `common_prefix` (str list), `is_truncated`, `next_key_marker`, `next_versionid_marker` (set
    only when truncated), `name`, `prefix`, `key_marker`, `versionid_marker`, `max_keys`,
    `delimiter`, and `owner` ("", as oss2 leaves it).
    """

    def __init__(self, resp: Any) -> None:
        super(ListObjectVersionsResult, self).__init__(resp)
        #: True when more versions follow: list again from next_key_marker / next_versionid_marker
        self.is_truncated = False
        self.key_marker = ""
        self.next_key_marker = ""
        self.versionid_marker = ""
        self.next_versionid_marker = ""
        self.name = ""
        self.owner = ""
        self.prefix = ""
        self.max_keys = ""  # type: Any  # an int once parsed, "" as oss2 starts it
        self.delimiter = ""
        #: DeleteMarkerInfo list
        # oss2's name: a list here, where RequestResult's delete_marker is the x-oss-delete-marker flag
        self.delete_marker: List[DeleteMarkerInfo] = []  # type: ignore[assignment]
        #: ObjectVersionInfo list
        self.versions = []  # type: List[ObjectVersionInfo]
        #: common prefixes (str list)
        self.common_prefix = []  # type: List[str]
        body = _parsed(resp)  # go/oss ListObjectVersionsResult: typed, names decoded
        if body:
            self._read(body)

    def _read(self, body: Dict[str, Any]) -> None:
        self.is_truncated = body["is_truncated"]
        if self.is_truncated:
            self.next_key_marker = body["next_key_marker"]
            self.next_versionid_marker = body["next_version_id_marker"]
        self.name = body["name"]
        self.prefix = body["prefix"]
        self.key_marker = body["key_marker"]
        self.versionid_marker = body["version_id_marker"]
        self.max_keys = body["max_keys"]
        self.delimiter = body["delimiter"]
        for v in body["versions"]:
            info = DeleteMarkerInfo() if v["kind"] == "DeleteMarker" else ObjectVersionInfo()
            info.key = v["key"]
            info.versionid = v["version_id"]
            info.is_latest = v["is_latest"]
            info.last_modified = iso8601_to_unixtime(v["last_modified"])
            info.owner = _owner(v["owner"])
            if isinstance(info, DeleteMarkerInfo):
                self.delete_marker.append(info)
                continue
            info.type = v["type"]
            info.storage_class = v["storage_class"]
            info.size = v["size"]
            info.etag = v["etag"].strip('"')
            info.restore_info = v["restore_info"]
            self.versions.append(info)
        self.common_prefix = list(body["common_prefixes"])


def _walk_versions(bucket: Any, prefix: str = "", delimiter: str = "", max_keys: int = 1000
                   ) -> Iterator[ListObjectVersionsResult]:
    """Every page of bucket.list_object_versions under `prefix`, following the key and
    version-id markers (for pyjindo.fs)."""
    key_marker = versionid_marker = ""
    while True:
        page = bucket.list_object_versions(prefix=prefix, delimiter=delimiter, key_marker=key_marker,
                                           max_keys=max_keys, versionid_marker=versionid_marker)
        yield page
        if not page.is_truncated:
            return
        key_marker, versionid_marker = page.next_key_marker, page.next_versionid_marker

