"""Object versions (ListObjectVersions), with oss2's result class and fields.

The listing is sent through the generic `request` operation and its document comes back from Go
as an element tree (the "tree" kind, see pyjindo.models.settings); ListObjectVersionsResult reads it by
the same steps as oss2.xml_utils.parse_list_object_versions: the same fields and defaults, keys
and markers URL-decoded where oss2 decodes them, and the same RuntimeError for a required element
the document lacks. Batch deletes with versions (delete_object_versions) answer with oss2's
BatchDeleteObjectsResult, whose `delete_versions` carry the version ids and delete markers.

oss2 has no version iterator (oss2.iterators has none); `_walk_versions` pages through a
listing for pyjindo.fs.
"""
from typing import Any, Dict, Iterator, List, Optional

from ..compat import to_string, urlunquote
from ..utils import iso8601_to_unixtime
from .common import RequestResult
from .listing import DeleteMarkerInfo, ObjectVersionInfo

__all__ = ["ListObjectVersionsResult"]


def _children(node: Dict[str, Any], tag: str) -> List[Dict[str, Any]]:
    return [c for c in node.get("children") or () if c.get("tag") == tag]


def _find(node: Dict[str, Any], path: str) -> Optional[Dict[str, Any]]:
    nodes = [node]
    for step in path.split("/"):
        nodes = [c for n in nodes for c in _children(n, step)]
    return nodes[0] if nodes else None


def _find_tag(node: Dict[str, Any], path: str) -> str:
    child = _find(node, path)
    if child is None:
        raise RuntimeError("parse xml: " + path + " could not be found under " + node.get("tag", ""))
    return to_string(child.get("text") or "")


def _find_tag_with_default(node: Dict[str, Any], path: str, default: Any) -> Any:
    child = _find(node, path)
    return default if child is None else to_string(child.get("text") or "")


def _find_object(node: Dict[str, Any], path: str, url_encoded: bool) -> str:
    name = _find_tag(node, path)
    return urlunquote(name) if url_encoded else name


def _find_bool(node: Dict[str, Any], path: str) -> bool:
    text = _find_tag(node, path)
    if text in ("true", "false"):
        return text == "true"
    raise RuntimeError("parse xml: value of " + path + " is not a boolean under " + node.get("tag", ""))


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
        self.delete_marker = []  # type: List[DeleteMarkerInfo]
        #: ObjectVersionInfo list
        self.versions = []  # type: List[ObjectVersionInfo]
        #: common prefixes (str list)
        self.common_prefix = []  # type: List[str]
        root = getattr(resp, "parsed", None)
        if isinstance(root, dict) and "tag" in root:
            self._parse(root)

    def _parse(self, root: Dict[str, Any]) -> None:
        encoding = _find(root, "EncodingType")
        url_encoded = encoding is not None and to_string(encoding.get("text") or "") == "url"
        self.is_truncated = _find_bool(root, "IsTruncated")
        if self.is_truncated:
            self.next_key_marker = _find_object(root, "NextKeyMarker", url_encoded)
            self.next_versionid_marker = _find_object(root, "NextVersionIdMarker", url_encoded)
        self.name = _find_tag(root, "Name")
        self.prefix = _find_object(root, "Prefix", url_encoded)
        self.key_marker = _find_object(root, "KeyMarker", url_encoded)
        self.versionid_marker = _find_object(root, "VersionIdMarker", url_encoded)
        self.max_keys = int(_find_tag(root, "MaxKeys"))
        self.delimiter = _find_object(root, "Delimiter", url_encoded)
        for node in _children(root, "DeleteMarker"):
            marker = DeleteMarkerInfo()
            marker.key = _find_object(node, "Key", url_encoded)
            marker.versionid = _find_tag(node, "VersionId")
            marker.is_latest = _find_bool(node, "IsLatest")
            marker.last_modified = iso8601_to_unixtime(_find_tag(node, "LastModified"))
            marker.owner.id = _find_tag(node, "Owner/ID")
            marker.owner.display_name = _find_tag(node, "Owner/DisplayName")
            self.delete_marker.append(marker)
        for node in _children(root, "Version"):
            version = ObjectVersionInfo()
            version.key = _find_object(node, "Key", url_encoded)
            version.versionid = _find_tag(node, "VersionId")
            version.is_latest = _find_bool(node, "IsLatest")
            version.last_modified = iso8601_to_unixtime(_find_tag(node, "LastModified"))
            version.owner.id = _find_tag(node, "Owner/ID")
            version.owner.display_name = _find_tag(node, "Owner/DisplayName")
            version.type = _find_tag(node, "Type")
            version.storage_class = _find_tag(node, "StorageClass")
            version.size = int(_find_tag(node, "Size"))
            version.etag = _find_tag(node, "ETag").strip('"')
            version.restore_info = _find_tag_with_default(node, "RestoreInfo", None)
            self.versions.append(version)
        for node in _children(root, "CommonPrefixes"):
            self.common_prefix.append(_find_object(node, "Prefix", url_encoded))


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


class _VersionReader(object):
    """One version of an object, read by ranged GETs naming its versionId (pyjindo.fs's
    open(version_id=...)): the seek/read/close, `size` and `info` that OSSFile uses of an
    ObjectReader. A version never changes, so there is no ETag to pin."""

    def __init__(self, bucket: Any, key: str, version_id: str) -> None:
        self._bucket, self.key, self.version_id = bucket, key, version_id
        self.info = bucket.head_object(key, params={"versionId": version_id})
        self.size = int(self.info.content_length or 0)
        self._pos = 0

    def seek(self, pos: int) -> int:
        self._pos = pos
        return pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self._pos + n)
        if end <= self._pos:
            return b""
        data = self._bucket.get_object(self.key, byte_range=(self._pos, end - 1),
                                       params={"versionId": self.version_id}).read()
        self._pos += len(data)
        return data

    def close(self) -> None:
        pass
