"""Result and parameter classes with oss2.models' names, fields and values.

Results are built from a `_response.Response`: status, headers (CaseInsensitiveDict), request_id,
duration and `parsed`, the response document already parsed by the Go core into plain data.
Field values equal oss2's: ETags without quotes, times as int epoch seconds (HTTP dates in headers,
ISO8601 in documents), CRCs as int, sizes as int; keys are URL-decoded when the document says
EncodingType is "url", exactly where oss2 decodes them.

Parsed document shapes (what the Go parser produces; snake_case keys mirroring the XML elements).
Text is given exactly as in the XML: ETags keep their quotes, times stay ISO8601 strings, keys stay
URL-encoded. An element absent from the XML is absent from the dict (or null); an element present
but empty is "". Integers and booleans are JSON numbers and booleans.

list_objects (ListBucketResult):
    {"name": str, "prefix": str, "marker": str, "max_keys": int, "delimiter": str,
     "encoding_type": str, "is_truncated": bool, "next_marker": str,
     "contents": [CONTENT, ...], "common_prefixes": [str, ...]}
    CONTENT = {"key": str, "last_modified": "2012-02-24T08:42:32.000Z", "etag": "\"5B3C...\"",
               "type": str, "size": int, "storage_class": str,
               "owner": {"id": str, "display_name": str}   # only when <Owner> is present
               "restore_info": str}                        # only when <RestoreInfo> is present

list_objects_v2 (ListBucketResult, list-type=2):
    {"name", "prefix", "start_after", "continuation_token", "max_keys": int, "delimiter",
     "encoding_type", "key_count": int, "is_truncated": bool, "next_continuation_token": str,
     "contents": [CONTENT, ...], "common_prefixes": [str, ...]}

init_multipart_upload (InitiateMultipartUploadResult):
    {"bucket": str, "key": str, "upload_id": str, "encoding_type": str}

list_parts (ListPartsResult):
    {"bucket", "key", "upload_id", "part_number_marker": str, "next_part_number_marker": str,
     "max_parts": int, "is_truncated": bool, "encoding_type": str,
     "parts": [{"part_number": int, "last_modified": ISO8601 str, "etag": quoted str, "size": int,
                "hash_crc64ecma": str (only when present)}, ...]}

list_multipart_uploads (ListMultipartUploadsResult):
    {"bucket", "encoding_type", "key_marker", "upload_id_marker", "next_key_marker": str,
     "next_upload_id_marker": str, "delimiter", "prefix", "max_uploads": int, "is_truncated": bool,
     "uploads": [{"key": str, "upload_id": str, "initiated": ISO8601 str, "storage_class": str}, ...],
     "common_prefixes": [str, ...]}

get_bucket_info (BucketInfo):
    {"bucket": {"name", "creation_date" (ISO8601 str, kept as a string as oss2 does),
                "storage_class", "extranet_endpoint", "intranet_endpoint", "location",
                "owner": {"id", "display_name"}, "access_control_list": {"grant": str},
                "comment", "versioning", "data_redundancy_type", "access_monitor",
                "transfer_acceleration", "cross_region_replication", "resource_group_id",
                "server_side_encryption_rule": {"sse_algorithm", "kms_master_key_id",
                                                "kms_data_encryption"}}}
    (the optional elements - comment .. resource_group_id, server_side_encryption_rule and its
    kms_* members - are absent when the XML lacks them)

list_buckets (ListAllMyBucketsResult):
    {"owner": {"id", "display_name"} (when present), "prefix", "marker", "max_keys": int,
     "is_truncated": bool (absent when the XML has no IsTruncated), "next_marker": str,
     "buckets": [{"name", "location", "creation_date": ISO8601 str, "extranet_endpoint",
                  "intranet_endpoint", "storage_class", "region" (optional),
                  "resource_group_id" (optional)}, ...]}

batch_delete (DeleteResult; None for an empty body, as in quiet mode):
    {"encoding_type": str, "deleted": [{"key": str, "version_id": str (optional),
                                        "delete_marker": bool (optional),
                                        "delete_marker_version_id": str (optional)}, ...]}

tree (the bucket and object settings: ACLs, tagging, CORS, lifecycle, referer, website, encryption,
logging, versioning, request payment, stat, location): the document's own shape,
    {"tag": str, "text": str, "children": [TREE, ...]}
    read through _Element (find / findall with "A/B" paths, text None when empty) by the same
    steps as oss2.xml_utils' parse_* functions.

complete_multipart (CompleteMultipartUploadResult; oss2 builds a PutObjectResult from the headers
and this module does the same, the document is kept on resp.parsed):
    {"encoding_type", "location", "bucket", "key", "etag": quoted str}
"""
import json  # noqa: F401
import logging

from . import utils
from .compat import to_string, urlquote, urlunquote
from .exceptions import ClientError, InconsistentError  # noqa: F401
from .headers import *  # noqa: F401,F403  (oss2.models re-exports oss2.headers the same way)
from .utils import CaseInsensitiveDict, http_to_unixtime, iso8601_to_date, iso8601_to_unixtime

logger = logging.getLogger("oss2.pyjindo.models")

_CHUNK_SIZE = 64 * 1024  # what iterating a GetObjectResult yields (oss2: 8 KiB; each chunk is a Go call)
_MAX_OBJECT_TAGGING_KEY_LENGTH = 128
_MAX_OBJECT_TAGGING_VALUE_LENGTH = 256


# --- helpers -------------------------------------------------------------------------------------

def _hget(headers, key, converter=lambda x: x):
    if key in headers:
        return converter(headers[key])
    return None


def _get_etag(headers):
    return _hget(headers, "etag", lambda x: x.strip('"'))


def _parsed(resp):
    body = getattr(resp, "parsed", None)
    return body if isinstance(body, dict) else {}


def _text(d, key, default=""):
    """A text element: "" when present but empty, `default` when absent."""
    if d is None or key not in d or d[key] is None:
        return default
    return to_string(d[key])


def _int(d, key, default=0):
    value = d.get(key) if d else None
    if value is None or value == "":
        return default
    return int(value)


def _bool(d, key, default=False):
    value = d.get(key) if d else None
    if value is None:
        return default
    if isinstance(value, str):
        return value == "true"
    return bool(value)


def _is_url_encoded(d):
    return d.get("encoding_type") == "url"


def _key(value, url_encoded):
    value = to_string(value) if value is not None else ""
    return urlunquote(value) if url_encoded else value


def _unquote_etag(value):
    return to_string(value or "").strip('"')


def _owner(d):
    if not d:
        return None
    return Owner(_text(d, "display_name"), _text(d, "id"))


def _object_info(c, url_encoded):
    return SimplifiedObjectInfo(
        _key(c.get("key"), url_encoded),
        iso8601_to_unixtime(_text(c, "last_modified")),
        _unquote_etag(c.get("etag")),
        _text(c, "type"),
        _int(c, "size"),
        _text(c, "storage_class"),
        _owner(c.get("owner")) if c.get("owner") is not None else None,
        _text(c, "restore_info", None),
    )


# --- documents parsed as a tree (the "tree" kind), read the way oss2 reads ElementTree ---------------

class _Element(object):
    """One element of a "tree" document: tag, text (None when empty, as ElementTree gives it) and
    children; find and findall take oss2's simple paths ("A/B")."""

    __slots__ = ("tag", "text", "children")

    def __init__(self, d):
        self.tag = d.get("tag", "")
        self.text = d.get("text") or None
        self.children = [_Element(c) for c in d.get("children") or ()]

    def findall(self, path):
        nodes = [self]
        for step in path.split("/"):
            nodes = [c for n in nodes for c in n.children if c.tag == step]
        return nodes

    def find(self, path):
        found = self.findall(path)
        return found[0] if found else None


def _root(resp):
    """The response document as an _Element, or None when there is none."""
    body = getattr(resp, "parsed", None)
    if isinstance(body, dict) and "tag" in body:
        return _Element(body)
    return None


def _node_text(node):
    return "" if node.text is None else to_string(node.text)


def _find_tag(parent, path):
    child = parent.find(path)
    if child is None:
        raise RuntimeError("parse xml: " + path + " could not be found under " + parent.tag)
    return _node_text(child)


def _find_tag_with_default(parent, path, default_value):
    child = parent.find(path)
    return default_value if child is None else _node_text(child)


def _find_bool(parent, path):
    text = _find_tag(parent, path)
    if text in ("true", "false"):
        return text == "true"
    raise RuntimeError("parse xml: value of " + path + " is not a boolean under " + parent.tag)


def _find_int(parent, path):
    return int(_find_tag(parent, path))


def _find_all_tags(parent, path):
    return [_node_text(n) for n in parent.findall(path)]


def _camel(snake_name):
    return "".join(part.capitalize() for part in snake_name.split("_"))


# --- parts, requests and simple results --------------------------------------------------------------

class PartInfo(object):
    """A part of a multipart upload: listed by list_parts, given to complete_multipart_upload.

    size and part_crc let the object's CRC64 be computed from its parts."""

    def __init__(self, part_number, etag, size=None, last_modified=None, part_crc=None):
        self.part_number = part_number
        self.etag = etag
        self.size = size
        self.last_modified = last_modified
        self.part_crc = part_crc


class RequestResult(object):
    """What every call returns at least, as oss2: `status`, `headers` (case-insensitive),
    `request_id`, `versionid`, `delete_marker`, `resp`; and, as the PyJindo API document this
    project started from has them (not in oss2): `duration` (seconds the request took, measured in
    Go), `code` (0: a result means no error; errors raise) and `msg` ("").
    """

    #: 0: a result is only made for a request that succeeded (a failure raises OssError). Class
    #: attributes, so oss2's fields of an instance stay exactly oss2's.
    code = 0
    #: "": a request that succeeded has no error message
    msg = ""

    def __init__(self, resp):
        #: the response this result was made from
        self.resp = resp
        #: HTTP status
        self.status = resp.status
        #: response headers (CaseInsensitiveDict)
        self.headers = resp.headers
        #: request id, for tracing a request at OSS
        self.request_id = resp.request_id
        #: version id of the object, on versioned buckets
        self.versionid = _hget(self.headers, "x-oss-version-id")
        #: as oss2: bool() of the x-oss-delete-marker header text, None when absent
        self.delete_marker = _hget(self.headers, "x-oss-delete-marker", bool)
        #: seconds the request took, measured by the Go core (None when not reported)
        self.duration = getattr(resp, "duration", None)


class HeadObjectResult(RequestResult):
    """head_object's result: `object_type` ("Normal", "Multipart", "Appendable", ...),
    `content_type`, `content_length`, `etag` (no quotes), `last_modified` (epoch seconds) and
    `server_crc` (the object's CRC64), plus every header in `headers`.
    """

    def __init__(self, resp):
        super(HeadObjectResult, self).__init__(resp)
        #: 'Normal', 'Multipart', 'Appendable', ...
        self.object_type = _hget(self.headers, "x-oss-object-type")
        #: int epoch seconds
        self.last_modified = _hget(self.headers, "last-modified", http_to_unixtime)
        self.content_type = _hget(self.headers, "content-type")
        #: int, or None when the server sent no Content-Length
        self.content_length = _hget(self.headers, "content-length", int)
        #: ETag without quotes
        self.etag = _get_etag(self.headers)
        self._server_crc = _hget(self.headers, "x-oss-hash-crc64ecma", int)

    @property
    def server_crc(self):
        """The object's CRC64 as the server reported it (int), or None."""
        return self._server_crc


class GetObjectMetaResult(RequestResult):
    """get_object_meta's result: `etag`, `content_length`, `last_modified`."""

    def __init__(self, resp):
        super(GetObjectMetaResult, self).__init__(resp)
        self.last_modified = _hget(self.headers, "last-modified", http_to_unixtime)
        self.content_length = _hget(self.headers, "content-length", int)
        self.etag = _get_etag(self.headers)


class GetSymlinkResult(RequestResult):
    """get_symlink's result: `target_key`."""

    def __init__(self, resp):
        super(GetSymlinkResult, self).__init__(resp)
        self.target_key = urlunquote(_hget(self.headers, "x-oss-symlink-target"))


def _crc_value(value):
    if value is None or value == "":
        return None
    return int(value)


class GetObjectResult(HeadObjectResult):
    """The body of get_object, readable like a file (read, iteration, with-statement).

    `stream` has read(amt=None) -> bytes, close(), and the CRC64 of the bytes read so far as `crc`
    (or `client_crc`), int or None, and may have `eof`, false until it has seen the body's end.
    With CRC checking on and the whole object requested, the CRC is compared with
    x-oss-hash-crc64ecma when the end is reached; a mismatch raises InconsistentError.
    """

    def __init__(self, resp, stream=None, progress_callback=None, enable_crc=False):
        super(GetObjectResult, self).__init__(resp)
        self.__crc_enabled = enable_crc
        self.__progress_callback = progress_callback
        self.__consumed = 0
        self.__crc_checked = False
        self.content_range = _hget(resp.headers, "Content-Range")
        self.stream = stream if stream is not None else resp

    @staticmethod
    def _parse_range_str(content_range):
        range_data = content_range.split(" ", 2)[1].split("/", 2)[0]
        start, end = range_data.split("-", 2)
        return int(start), int(end)

    def _stream_crc(self):
        crc = getattr(self.stream, "crc", None)
        if crc is None:
            crc = getattr(self.stream, "client_crc", None)
        return _crc_value(crc)

    def read(self, amt=None):
        """Up to `amt` bytes of the body (all that is left when None or negative); b"" at the end.

        read() of the whole body fetches the remaining parts in parallel into one bytes object;
        read(n) reads through a prefetch window. With CRC checks on and the whole object asked
        for, reaching the end compares the body's CRC64 with the server's (InconsistentError on
        a mismatch). Raises RequestError when a part cannot be fetched within the retries.
        """
        if amt is not None and amt == 0:
            return b""
        if amt is not None and amt < 0:
            amt = None
        size = self.content_length
        callback = self.__progress_callback
        if callback and size is not None:
            # as oss2's progress adapter: never ask past Content-Length, report (consumed, total)
            if self.__consumed >= size:
                self.__at_end()
                return b""
            want = size - self.__consumed if amt is None else min(amt, size - self.__consumed)
            data = self.stream.read(want) or b""
            self.__consumed += want
            callback(min(self.__consumed, size), size)
        else:
            data = self.stream.read(amt) or b""
            if callback:
                callback(self.__consumed, None)
            self.__consumed += len(data)
        if not data or amt is None or (size is not None and self.__consumed >= size):
            self.__at_end(probe=bool(data))
        return data

    def __at_end(self, probe=False):
        """The whole body has been read: check its CRC64 against the server's, once."""
        if self.__crc_checked or not self.__crc_enabled or self.content_range:
            return
        if probe and not getattr(self.stream, "eof", True) and self.stream.read(1):
            return  # the stream's CRC is the whole body's once it has seen the end: let it see it
        client_crc = self._stream_crc()
        if client_crc is None:
            return
        self.__crc_checked = True
        utils.check_crc("get", client_crc, self.server_crc, self.request_id)

    def close(self):
        """Stop reading and free the body (cancels the parts still being fetched)."""
        close = getattr(self.stream, "close", None)
        if close is not None:
            close()

    def __iter__(self):
        while True:
            chunk = self.read(_CHUNK_SIZE)
            if not chunk:
                return
            yield chunk

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    @property
    def client_crc(self):
        """CRC64 of what was read so far, as the Go core computed it; None with CRC checks off (as
        oss2) or when it is not known."""
        if not self.__crc_enabled:
            return None
        return self._stream_crc()


class PutObjectResult(RequestResult):
    """The result of put_object, copy_object, upload_part, complete_multipart_upload,
    ...: `etag` (no quotes; for pyjindo's parallel multipart puts not the MD5 of the content) and
    `crc` (the object's CRC64 on OSS, or None).
    """

    def __init__(self, resp):
        super(PutObjectResult, self).__init__(resp)
        #: ETag without quotes
        self.etag = _get_etag(self.headers)
        #: CRC64 of the object on OSS (int), or None
        self.crc = _hget(resp.headers, "x-oss-hash-crc64ecma", int)


class AppendObjectResult(RequestResult):
    """append_object's result: `etag`, `crc` (CRC64 of the whole object after this
    append) and `next_position` (where the next append starts).
    """

    def __init__(self, resp):
        super(AppendObjectResult, self).__init__(resp)
        self.etag = _get_etag(self.headers)
        #: CRC64 of the whole object after this append
        self.crc = _hget(resp.headers, "x-oss-hash-crc64ecma", int)
        #: where the next append must start
        self.next_position = _hget(resp.headers, "x-oss-next-append-position", int)


# --- batch delete ------------------------------------------------------------------------------------

class BatchDeleteObjectVersion(object):
    """A key and version id (`versionid`, "" for the latest) for delete_object_versions."""

    def __init__(self, key=None, versionid=None):
        self.key = key or ""
        self.versionid = versionid or ""


class BatchDeleteObjectVersionList(object):
    """A list of BatchDeleteObjectVersion (kept for oss2)."""

    def __init__(self, object_version_list=None):
        self.object_version_list = object_version_list or []

    def append(self, object_version):
        """Add a BatchDeleteObjectVersion."""
        self.object_version_list.append(object_version)

    def len(self):
        """How many versions the list holds."""
        return len(self.object_version_list)


class BatchDeleteObjectVersionResult(object):
    """One deleted key of a batch delete: `key`, `versionid`,
    `delete_marker`, `delete_marker_versionid`.
    """

    def __init__(self, key, versionid=None, delete_marker=None, delete_marker_versionid=None):
        self.key = key
        self.versionid = versionid or ""
        self.delete_marker = delete_marker or False
        self.delete_marker_versionid = delete_marker_versionid or ""


class BatchDeleteObjectsResult(RequestResult):
    """batch_delete_objects' result: `deleted_keys` (in the server's order) and
    `delete_versions` (BatchDeleteObjectVersionResult each).
    """

    def __init__(self, resp):
        super(BatchDeleteObjectsResult, self).__init__(resp)
        #: keys deleted, in the order the server listed them
        self.deleted_keys = []
        #: BatchDeleteObjectVersionResult for each deleted key
        self.delete_versions = []
        body = _parsed(resp)
        url_encoded = _is_url_encoded(body)
        for d in body.get("deleted") or ():
            key = _key(d.get("key"), url_encoded)
            self.deleted_keys.append(key)
            self.delete_versions.append(BatchDeleteObjectVersionResult(
                key, _text(d, "version_id", None), _bool(d, "delete_marker", False),
                _text(d, "delete_marker_version_id", "")))


# --- multipart ---------------------------------------------------------------------------------------

class InitMultipartUploadResult(RequestResult):
    """init_multipart_upload's result: `upload_id`."""

    def __init__(self, resp):
        super(InitMultipartUploadResult, self).__init__(resp)
        #: the new upload id
        self.upload_id = None
        body = _parsed(resp)  # go/oss InitiateMultipartUploadResult
        if body:
            self.upload_id = body["upload_id"]


class MultipartUploadInfo(object):
    """An unfinished multipart upload: `key`, `upload_id`, `initiation_date` (epoch
    seconds); a common prefix when is_prefix() is True.
    """

    def __init__(self, key, upload_id, initiation_date):
        self.key = key
        self.upload_id = upload_id
        #: int epoch seconds
        self.initiation_date = initiation_date

    def is_prefix(self):
        """True for a common prefix (a "directory"), False for an upload."""
        return self.upload_id is None


class ListMultipartUploadsResult(RequestResult):
    """One page of list_multipart_uploads: `upload_list` (MultipartUploadInfo),
    `prefix_list`, `is_truncated`, `next_key_marker`, `next_upload_id_marker`.
    """

    def __init__(self, resp):
        super(ListMultipartUploadsResult, self).__init__(resp)
        self.is_truncated = False
        self.next_key_marker = ""
        self.next_upload_id_marker = ""
        #: MultipartUploadInfo list
        self.upload_list = []
        #: common prefixes (str list)
        self.prefix_list = []
        body = _parsed(resp)
        if not body:
            return
        url_encoded = _is_url_encoded(body)
        self.is_truncated = _bool(body, "is_truncated")
        self.next_key_marker = _key(body.get("next_key_marker"), url_encoded)
        self.next_upload_id_marker = _text(body, "next_upload_id_marker")
        for u in body.get("uploads") or ():
            self.upload_list.append(MultipartUploadInfo(
                _key(u.get("key"), url_encoded), _text(u, "upload_id"),
                iso8601_to_unixtime(_text(u, "initiated"))))
        for p in body.get("common_prefixes") or ():
            self.prefix_list.append(_key(p, url_encoded))


class ListPartsResult(RequestResult):
    """One page of list_parts: `parts` (PartInfo), `is_truncated`, `next_marker`."""

    def __init__(self, resp):
        super(ListPartsResult, self).__init__(resp)
        self.is_truncated = False
        #: str, as in the document
        self.next_marker = ""
        #: PartInfo list
        self.parts = []
        body = _parsed(resp)
        if not body:
            return
        self.is_truncated = _bool(body, "is_truncated")
        self.next_marker = _text(body, "next_part_number_marker")
        for p in body.get("parts") or ():
            self.parts.append(PartInfo(
                _int(p, "part_number"), _unquote_etag(p.get("etag")), size=_int(p, "size"),
                last_modified=iso8601_to_unixtime(_text(p, "last_modified"))))


# --- listing objects ---------------------------------------------------------------------------------

class SimplifiedObjectInfo(object):
    """An object in a listing: `key`, `last_modified` (epoch seconds), `etag` (no
    quotes), `type`, `size`, `storage_class`, `owner` (when the listing carries one), and
    `restore_info`; a common prefix (directory) when is_prefix() is True.
    """

    def __init__(self, key, last_modified, etag, type, size, storage_class, owner=None, restore_info=None):
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

    def is_prefix(self):
        """True for a common prefix (a "directory"), False for an object."""
        return self.last_modified is None


class ListObjectsResult(RequestResult):
    """One page of list_objects: `object_list` (SimplifiedObjectInfo), `prefix_list`,
    `is_truncated`, `next_marker`.
    """

    def __init__(self, resp):
        super(ListObjectsResult, self).__init__(resp)
        self.is_truncated = False
        #: marker for the next list_objects call
        self.next_marker = ""
        #: SimplifiedObjectInfo list
        self.object_list = []
        #: common prefixes (str list)
        self.prefix_list = []
        body = _parsed(resp)
        if not body:
            return
        url_encoded = _is_url_encoded(body)
        self.is_truncated = _bool(body, "is_truncated")
        if self.is_truncated:
            self.next_marker = _key(body.get("next_marker"), url_encoded)
        for c in body.get("contents") or ():
            self.object_list.append(_object_info(c, url_encoded))
        for p in body.get("common_prefixes") or ():
            self.prefix_list.append(_key(p, url_encoded))


class ListObjectsV2Result(RequestResult):
    """One page of list_objects_v2: `object_list`, `prefix_list`, `is_truncated`,
    `next_continuation_token`, `key_count`, ...
    """

    def __init__(self, resp):
        super(ListObjectsV2Result, self).__init__(resp)
        self.is_truncated = False
        #: token for the next list_objects_v2 call
        self.next_continuation_token = ""
        self.object_list = []
        self.prefix_list = []
        body = _parsed(resp)
        if not body:
            return
        url_encoded = _is_url_encoded(body)
        self.is_truncated = _bool(body, "is_truncated")
        if self.is_truncated:
            self.next_continuation_token = _key(body.get("next_continuation_token"), url_encoded)
        for c in body.get("contents") or ():
            self.object_list.append(_object_info(c, url_encoded))
        for p in body.get("common_prefixes") or ():
            self.prefix_list.append(_key(p, url_encoded))


OBJECT_ACL_DEFAULT = "default"
OBJECT_ACL_PRIVATE = "private"
OBJECT_ACL_PUBLIC_READ = "public-read"
OBJECT_ACL_PUBLIC_READ_WRITE = "public-read-write"


class GetObjectAclResult(RequestResult):
    """get_object_acl's result: `acl` ("default", "private", "public-read", ...)."""

    def __init__(self, resp):
        super(GetObjectAclResult, self).__init__(resp)
        self.acl = ""
        root = _root(resp)
        if root is not None:
            self.acl = _find_tag(root, "AccessControlList/Grant")


# --- buckets -----------------------------------------------------------------------------------------

class Owner(object):
    """An owner: `display_name` and `id`."""

    def __init__(self, display_name, owner_id):
        self.display_name = display_name
        self.id = owner_id


class AccessControlList(object):
    """A bucket's ACL as in get_bucket_info: `grant`."""

    def __init__(self, grant):
        self.grant = grant


class SimplifiedBucketInfo(object):
    """One bucket of a list_buckets result."""

    def __init__(self, name, location, creation_date, extranet_endpoint, intranet_endpoint, storage_class,
                 region=None, resource_group_id=None):
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

    def __init__(self, resp):
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


BUCKET_ACL_PRIVATE = "private"
BUCKET_ACL_PUBLIC_READ = "public-read"
BUCKET_ACL_PUBLIC_READ_WRITE = "public-read-write"

BUCKET_STORAGE_CLASS_STANDARD = "Standard"
BUCKET_STORAGE_CLASS_IA = "IA"
BUCKET_STORAGE_CLASS_ARCHIVE = "Archive"
BUCKET_STORAGE_CLASS_COLD_ARCHIVE = "ColdArchive"
BUCKET_STORAGE_CLASS_DEEP_COLD_ARCHIVE = "DeepColdArchive"

BUCKET_DATA_REDUNDANCY_TYPE_LRS = "LRS"
BUCKET_DATA_REDUNDANCY_TYPE_ZRS = "ZRS"

REDIRECT_TYPE_MIRROR = "Mirror"
REDIRECT_TYPE_EXTERNAL = "External"
REDIRECT_TYPE_INTERNAL = "Internal"
REDIRECT_TYPE_ALICDN = "AliCDN"

PAYER_BUCKETOWNER = "BucketOwner"
PAYER_REQUESTER = "Requester"

SERVER_SIDE_ENCRYPTION_AES256 = "AES256"
SERVER_SIDE_ENCRYPTION_KMS = "KMS"
SERVER_SIDE_ENCRYPTION_SM4 = "SM4"
KMS_DATA_ENCRYPTION_SM4 = "SM4"

BUCKET_VERSIONING_ENABLE = "Enabled"
BUCKET_VERSIONING_SUSPEND = "Suspended"

RESTORE_TIER_EXPEDITED = "Expedited"
RESTORE_TIER_STANDARD = "Standard"
RESTORE_TIER_BULK = "Bulk"

# Values of oss2's models for operations pyjindo does not support (see pyjindo/_unsupported.py),
# kept so code that names them imports.
ASYNC_FETCH_TASK_STATE_RUNNING = "Running"
ASYNC_FETCH_TASK_STATE_RETRY = "Retry"
ASYNC_FETCH_TASK_STATE_FETCH_SUCCESS_CALLBACK_FAILED = "FetchSuccessCallbackFailed"
ASYNC_FETCH_TASK_STATE_FAILED = "Failed"
ASYNC_FETCH_TASK_STATE_SUCCESS = "Success"

INVENTORY_INCLUDED_OBJECT_VERSIONS_CURRENT = "Current"
INVENTORY_INCLUDED_OBJECT_VERSIONS_ALL = "All"
INVENTORY_FREQUENCY_DAILY = "Daily"
INVENTORY_FREQUENCY_WEEKLY = "Weekly"
INVENTORY_FORMAT_CSV = "CSV"

FIELD_SIZE = "Size"
FIELD_LAST_MODIFIED_DATE = "LastModifiedDate"
FIELD_ETAG = "ETag"
FIELD_STORAG_CLASS = "StorageClass"  # sic, as oss2 spells it
FIELD_IS_MULTIPART_UPLOADED = "IsMultipartUploaded"
FIELD_ENCRYPTION_STATUS = "EncryptionStatus"


class GetBucketAclResult(RequestResult):
    """get_bucket_acl's result: `acl`."""

    def __init__(self, resp):
        super(GetBucketAclResult, self).__init__(resp)
        self.acl = ""
        root = _root(resp)
        if root is not None:
            self.acl = _find_tag(root, "AccessControlList/Grant")


class GetBucketLocationResult(RequestResult):
    """get_bucket_location's result: `location` ("oss-cn-hangzhou")."""

    def __init__(self, resp):
        super(GetBucketLocationResult, self).__init__(resp)
        self.location = ""
        root = _root(resp)
        if root is not None:
            self.location = to_string(root.text)


class BucketLogging(object):
    """Access-log settings for put_bucket_logging: `target_bucket`, `target_prefix`."""

    def __init__(self, target_bucket, target_prefix):
        self.target_bucket = target_bucket
        self.target_prefix = target_prefix


class BucketCreateConfig(object):
    """Storage class (and data redundancy type) of a bucket to create."""

    def __init__(self, storage_class, data_redundancy_type=None):
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

    def __init__(self, storage_size_in_bytes, object_count, multi_part_upload_count, live_channel_count=None,
                 last_modified_time=None, standard_storage=None, standard_object_count=None,
                 infrequent_access_storage=None, infrequent_access_real_storage=None,
                 infrequent_access_object_count=None, archive_storage=None, archive_real_storage=None,
                 archive_object_count=None, cold_archive_storage=None, cold_archive_real_storage=None,
                 cold_archive_object_count=None, multipart_part_count=None, delete_marker_count=None,
                 deep_cold_archive_storage=None, deep_cold_archive_real_storage=None,
                 deep_cold_archive_object_count=None):
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

    def __init__(self, sse_algorithm=None, kms_master_keyid=None, kms_data_encryption=None):
        self.sse_algorithm = sse_algorithm
        self.kms_master_keyid = kms_master_keyid
        self.kms_data_encryption = kms_data_encryption


class BucketInfo(object):
    """A bucket's information: `name`, `owner`, `location`, `storage_class`, the endpoints,
    `creation_date`, `acl`, `versioning_status`, `bucket_encryption_rule`, ...
    """

    def __init__(self, name=None, owner=None, location=None, storage_class=None, intranet_endpoint=None,
                 extranet_endpoint=None, creation_date=None, acl=None, data_redundancy_type=None, comment=None,
                 bucket_encryption_rule=None, versioning_status=None, access_monitor=None,
                 transfer_acceleration=None, cross_region_replication=None, resource_group_id=None):
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
    rule = ServerSideEncryptionRule()
    rule.sse_algorithm = _text(d, "sse_algorithm")
    if rule.sse_algorithm == "None":
        rule.kms_master_keyid = None
        rule.sse_algorithm = None
        return rule
    rule.kms_master_keyid = d.get("kms_master_key_id") or None
    rule.kms_data_encryption = d.get("kms_data_encryption") or None
    return rule


class GetBucketStatResult(RequestResult, BucketStat):
    """get_bucket_stat's result: a RequestResult and a BucketStat."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketStat.__init__(self, 0, 0, 0)
        root = _root(resp)
        if root is None:
            return
        self.storage_size_in_bytes = int(_find_tag(root, "Storage"))
        self.object_count = int(_find_tag(root, "ObjectCount"))
        self.multi_part_upload_count = int(_find_tag_with_default(root, "MultipartUploadCount", 0))
        for name in _BUCKET_STAT_FIELDS:
            node = root.find(_camel(name))
            if node is not None:
                setattr(self, name, int(_node_text(node)))


class GetBucketInfoResult(RequestResult, BucketInfo):
    """get_bucket_info's result: a RequestResult and a BucketInfo."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketInfo.__init__(self)
        body = _parsed(resp)
        b = body.get("bucket")
        if b is None:
            return
        self.name = _text(b, "name")
        self.creation_date = _text(b, "creation_date")
        self.storage_class = _text(b, "storage_class")
        self.extranet_endpoint = _text(b, "extranet_endpoint")
        self.intranet_endpoint = _text(b, "intranet_endpoint")
        self.location = _text(b, "location")
        owner = b.get("owner") or {}
        self.owner = Owner(_text(owner, "display_name"), _text(owner, "id"))
        self.acl = AccessControlList(_text(b.get("access_control_list") or {}, "grant"))
        self.comment = _text(b, "comment", None)
        self.versioning_status = _text(b, "versioning", None)
        self.data_redundancy_type = _text(b, "data_redundancy_type", None)
        self.access_monitor = _text(b, "access_monitor", None)
        self.transfer_acceleration = _text(b, "transfer_acceleration", None)
        self.cross_region_replication = _text(b, "cross_region_replication", None)
        self.resource_group_id = _text(b, "resource_group_id", None)
        sse = b.get("server_side_encryption_rule")
        self.bucket_encryption_rule = None if sse is None else _encryption_rule(sse)


class BucketReferer(object):
    """Referer settings for put_bucket_referer: `allow_empty_referer`, `referers`,
    `allow_truncate_query_string`, `black_referers`.
    """

    def __init__(self, allow_empty_referer, referers, allow_truncate_query_string=None, black_referers=None):
        self.allow_empty_referer = allow_empty_referer
        self.referers = referers
        self.allow_truncate_query_string = allow_truncate_query_string
        self.black_referers = black_referers


# --- bucket configurations users build ---------------------------------------------------------------

class LifecycleExpiration(object):
    """When a lifecycle rule deletes objects: `days`, `date` or
    `created_before_date`; `expired_detete_marker` (oss2's spelling).
    """

    def __init__(self, days=None, date=None, created_before_date=None, expired_detete_marker=None):
        if sum(v is not None for v in (days, date, created_before_date, expired_detete_marker)) > 1:
            raise ClientError("More than one field(days, date and created_before_date, expired_detete_marker) "
                              "has been specified")
        self.days = days
        self.date = date
        self.created_before_date = created_before_date
        self.expired_detete_marker = expired_detete_marker


class AbortMultipartUpload(object):
    """When a lifecycle rule aborts unfinished uploads: `days` or
    `created_before_date`.
    """

    def __init__(self, days=None, created_before_date=None):
        if days is not None and created_before_date is not None:
            raise ClientError("days and created_before_date should not be both specified")
        self.days = days
        self.created_before_date = created_before_date


class StorageTransition(object):
    """When a lifecycle rule moves objects to another `storage_class`."""

    def __init__(self, days=None, created_before_date=None, storage_class=None, is_access_time=None,
                 return_to_std_when_visit=None, allow_small_file=None):
        if days is not None and created_before_date is not None:
            raise ClientError("days and created_before_date should not be both specified")
        self.days = days
        self.created_before_date = created_before_date
        self.storage_class = storage_class
        self.is_access_time = is_access_time
        self.return_to_std_when_visit = return_to_std_when_visit
        self.allow_small_file = allow_small_file


class NoncurrentVersionExpiration(object):
    """When a lifecycle rule deletes non-current versions: `noncurrent_days`."""

    def __init__(self, noncurrent_days):
        self.noncurrent_days = noncurrent_days


class NoncurrentVersionStorageTransition(object):
    """When a lifecycle rule moves non-current versions to another
    storage class.
    """

    def __init__(self, noncurrent_days, storage_class, is_access_time=None, return_to_std_when_visit=None,
                 allow_small_file=None):
        self.noncurrent_days = noncurrent_days
        self.storage_class = storage_class
        self.is_access_time = is_access_time
        self.return_to_std_when_visit = return_to_std_when_visit
        self.allow_small_file = allow_small_file


class LifecycleRule(object):
    """One lifecycle rule: `id`, `prefix`, `status` (ENABLED/DISABLED), and its
    expiration, abort, transitions, tagging and filter.
    """

    ENABLED = "Enabled"
    DISABLED = "Disabled"

    def __init__(self, id, prefix, status=ENABLED, expiration=None, abort_multipart_upload=None,
                 storage_transitions=None, tagging=None, noncurrent_version_expiration=None,
                 noncurrent_version_sotrage_transitions=None, atime_base=None, filter=None):
        self.id = id
        self.prefix = prefix
        self.status = status
        self.expiration = expiration
        self.abort_multipart_upload = abort_multipart_upload
        self.storage_transitions = storage_transitions
        self.tagging = tagging
        self.noncurrent_version_expiration = noncurrent_version_expiration
        self.noncurrent_version_sotrage_transitions = noncurrent_version_sotrage_transitions
        self.atime_base = atime_base
        self.filter = filter


class BucketLifecycle(object):
    """Lifecycle rules for put_bucket_lifecycle: `rules` (LifecycleRule)."""

    def __init__(self, rules=None):
        self.rules = rules or []


class CorsRule(object):
    """One CORS rule: allowed origins, methods and headers, expose headers, max age."""

    def __init__(self, allowed_origins=None, allowed_methods=None, allowed_headers=None, expose_headers=None,
                 max_age_seconds=None):
        self.allowed_origins = allowed_origins or []
        self.allowed_methods = allowed_methods or []
        self.allowed_headers = allowed_headers or []
        self.expose_headers = expose_headers or []
        self.max_age_seconds = max_age_seconds


class BucketCors(object):
    """CORS rules for put_bucket_cors: `rules` (CorsRule), `response_vary`."""

    def __init__(self, rules=None, response_vary=None):
        self.rules = rules or []
        self.response_vary = response_vary


class TaggingRule(object):
    """Tags as key -> value (`tagging_rule`): add(), delete(), len(), to_query_string()."""

    def __init__(self):
        self.tagging_rule = dict()

    def add(self, key, value):
        """Set the tag `key` to `value`; ClientError for an empty or too long key or value."""
        if key is None or key == "":
            raise ClientError("Tagging key should not be empty")
        if len(key) > _MAX_OBJECT_TAGGING_KEY_LENGTH:
            raise ClientError("Tagging key is too long")
        if len(value) > _MAX_OBJECT_TAGGING_VALUE_LENGTH:
            raise ClientError("Tagging value is too long")
        self.tagging_rule[key] = value

    def delete(self, key):
        """Remove the tag `key` (KeyError when absent)."""
        del self.tagging_rule[key]

    def len(self):
        """How many tags there are."""
        return len(self.tagging_rule)

    def to_query_string(self):
        """The tags as the x-oss-tagging header value: k1=v1&k2=v2, URL-encoded."""
        return "&".join(urlquote(k) + "=" + urlquote(v) for k, v in self.tagging_rule.items())


class Tagging(object):
    """Tags for put_object_tagging / put_bucket_tagging: `tag_set` (a TaggingRule)."""

    def __init__(self, tagging_rules=None):
        self.tag_set = tagging_rules or TaggingRule()

    def __str__(self):
        return "".join(k + "#" + v + " " for k, v in self.tag_set.tagging_rule.items())


class BucketVersioningConfig(object):
    """Versioning for put_bucket_versioning: `status` ("Enabled" or "Suspended")."""

    def __init__(self, status=None):
        self.status = status


class ResotreJobParameters(object):  # oss2's misspelt name, kept for compatibility
    """oss2's misspelt RestoreJobParameters, kept so programs using it still work."""

    def __init__(self, tier):
        self.tier = tier


class RestoreJobParameters(object):
    """How fast a Cold Archive restore runs: `tier` ("Expedited", "Standard", "Bulk")."""

    def __init__(self, tier):
        self.tier = tier


class RestoreConfiguration(object):
    """restore_object's input: `days` to keep the restored copy, `job_parameters`."""

    def __init__(self, days, job_parameters=None):
        self.days = days
        self.job_parameters = job_parameters


class DeleteMarkerInfo(object):
    """A delete marker in list_object_versions: `key`, `versionid`, `is_latest`,
    `last_modified`, `owner`."""

    def __init__(self):
        self.key = ""
        self.versionid = ""
        self.is_latest = False
        self.last_modified = ""
        self.owner = Owner("", "")


class ObjectVersionInfo(object):
    """An object version in list_object_versions: `key`, `versionid`, `is_latest`,
    `last_modified`, `owner`, `type`, `storage_class`, `size`, `etag`, `restore_info`."""

    def __init__(self):
        self.key = ""
        self.versionid = ""
        self.is_latest = False
        self.last_modified = ""
        self.owner = Owner("", "")
        self.type = ""
        self.storage_class = ""
        self.size = ""
        self.etag = ""
        self.restore_info = ""



# --- bucket and object settings: results of the get_* calls ----------------------------------------
# Each parses the "tree" document as oss2.xml_utils' parse_* function does (same fields, same
# defaults for absent elements, same RuntimeError for a missing required element).

class GetTaggingResult(RequestResult, Tagging):
    """get_object_tagging / get_bucket_tagging's result: a RequestResult and a Tagging."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        Tagging.__init__(self)
        root = _root(resp)
        if root is None:
            return
        url_encoded = _find_tag_with_default(root, "EncodingType", None) == "url"
        tag_set = root.find("TagSet")
        if tag_set is None:
            return
        rules = TaggingRule()
        for tag in tag_set.findall("Tag"):
            rules.add(_key(_find_tag(tag, "Key"), url_encoded), _key(_find_tag(tag, "Value"), url_encoded))
        self.tag_set = rules


class GetBucketCorsResult(RequestResult, BucketCors):
    """get_bucket_cors' result: a RequestResult and a BucketCors."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketCors.__init__(self)
        root = _root(resp)
        if root is None:
            return
        for node in root.findall("CORSRule"):
            rule = CorsRule(_find_all_tags(node, "AllowedOrigin"), _find_all_tags(node, "AllowedMethod"),
                            _find_all_tags(node, "AllowedHeader"), _find_all_tags(node, "ExposeHeader"))
            max_age = node.find("MaxAgeSeconds")
            if max_age is not None:
                rule.max_age_seconds = int(max_age.text)
            self.rules.append(rule)
        if root.find("ResponseVary") is not None:
            self.response_vary = _find_bool(root, "ResponseVary")


class LifecycleFilter(object):
    """A lifecycle rule's filter: `filter_not`, object size bounds."""

    def __init__(self, filter_not=None, object_size_greater_than=None, object_size_less_than=None):
        self.filter_not = filter_not or []
        self.object_size_greater_than = object_size_greater_than
        self.object_size_less_than = object_size_less_than


class FilterNot(object):
    """Objects a lifecycle rule leaves out: a `prefix` and a `tag`."""

    def __init__(self, prefix=None, tag=None):
        self.prefix = prefix
        self.tag = tag


class FilterNotTag(object):
    """A tag (`key`, `value`) of a FilterNot."""

    def __init__(self, key=None, value=None):
        self.key = key
        self.value = value


def _lifecycle_days_or_date(node, target):
    if node.find("Days") is not None:
        target.days = _find_int(node, "Days")
    elif node.find("CreatedBeforeDate") is not None:
        target.created_before_date = iso8601_to_date(_find_tag(node, "CreatedBeforeDate"))


def _lifecycle_transition_flags(node, target):
    for attr, tag in (("is_access_time", "IsAccessTime"), ("return_to_std_when_visit", "ReturnToStdWhenVisit"),
                      ("allow_small_file", "AllowSmallFile")):
        if node.find(tag) is not None:
            setattr(target, attr, _find_bool(node, tag))


def _lifecycle_expiration(node):
    if node is None:
        return None
    expiration = LifecycleExpiration()
    if node.find("Days") is not None:
        expiration.days = _find_int(node, "Days")
    elif node.find("Date") is not None:
        expiration.date = iso8601_to_date(_find_tag(node, "Date"))
    elif node.find("CreatedBeforeDate") is not None:
        expiration.created_before_date = iso8601_to_date(_find_tag(node, "CreatedBeforeDate"))
    elif node.find("ExpiredObjectDeleteMarker") is not None:
        expiration.expired_detete_marker = _find_bool(node, "ExpiredObjectDeleteMarker")
    return expiration


def _lifecycle_abort(node):
    if node is None:
        return None
    abort = AbortMultipartUpload()
    _lifecycle_days_or_date(node, abort)
    return abort


def _lifecycle_transitions(nodes):
    transitions = []
    for node in nodes:
        transition = StorageTransition(storage_class=_find_tag(node, "StorageClass"))
        _lifecycle_days_or_date(node, transition)
        _lifecycle_transition_flags(node, transition)
        transitions.append(transition)
    return transitions


def _lifecycle_tagging(nodes):
    if not nodes:
        return None
    rules = TaggingRule()
    for node in nodes:
        rules.add(_find_tag(node, "Key"), _find_tag(node, "Value"))
    return Tagging(rules)


def _lifecycle_noncurrent_transitions(nodes):
    transitions = []
    for node in nodes:
        transition = NoncurrentVersionStorageTransition(_find_int(node, "NoncurrentDays"),
                                                        _find_tag(node, "StorageClass"))
        _lifecycle_transition_flags(node, transition)
        transitions.append(transition)
    return transitions


def _lifecycle_filter(node):
    lifecycle_filter = LifecycleFilter()
    if node is None:
        return lifecycle_filter
    for attr, tag in (("object_size_greater_than", "ObjectSizeGreaterThan"),
                      ("object_size_less_than", "ObjectSizeLessThan")):
        if node.find(tag) is not None:
            setattr(lifecycle_filter, attr, int(_find_tag_with_default(node, tag, 0)))
    for not_node in node.findall("Not"):
        tag = FilterNotTag(_find_tag_with_default(not_node, "Tag/Key", None),
                           _find_tag_with_default(not_node, "Tag/Value", None))
        lifecycle_filter.filter_not.append(FilterNot(_find_tag_with_default(not_node, "Prefix", None), tag))
    return lifecycle_filter


class GetBucketLifecycleResult(RequestResult, BucketLifecycle):
    """get_bucket_lifecycle's result: a RequestResult and a BucketLifecycle."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketLifecycle.__init__(self)
        root = _root(resp)
        if root is None:
            return
        for node in root.findall("Rule"):
            noncurrent = node.find("NoncurrentVersionExpiration")
            self.rules.append(LifecycleRule(
                _find_tag(node, "ID"), _find_tag(node, "Prefix"), status=_find_tag(node, "Status"),
                expiration=_lifecycle_expiration(node.find("Expiration")),
                abort_multipart_upload=_lifecycle_abort(node.find("AbortMultipartUpload")),
                storage_transitions=_lifecycle_transitions(node.findall("Transition")),
                tagging=_lifecycle_tagging(node.findall("Tag")),
                noncurrent_version_expiration=(None if noncurrent is None else NoncurrentVersionExpiration(
                    _find_int(noncurrent, "NoncurrentDays"))),
                noncurrent_version_sotrage_transitions=_lifecycle_noncurrent_transitions(
                    node.findall("NoncurrentVersionTransition")),
                atime_base=int(_find_tag_with_default(node, "AtimeBase", 0)),
                filter=_lifecycle_filter(node.find("Filter"))))


class GetBucketRefererResult(RequestResult, BucketReferer):
    """get_bucket_referer's result: a RequestResult and a BucketReferer."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketReferer.__init__(self, False, [], None, [])
        root = _root(resp)
        if root is None:
            return
        self.allow_empty_referer = _find_bool(root, "AllowEmptyReferer")
        self.referers = _find_all_tags(root, "RefererList/Referer")
        if root.find("AllowTruncateQueryString") is not None:
            self.allow_truncate_query_string = _find_bool(root, "AllowTruncateQueryString")
        if root.find("RefererBlacklist/Referer") is not None:
            self.black_referers = _find_all_tags(root, "RefererBlacklist/Referer")


class GetBucketLoggingResult(RequestResult, BucketLogging):
    """get_bucket_logging's result: a RequestResult and a BucketLogging."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketLogging.__init__(self, "", "")
        root = _root(resp)
        if root is None:
            return
        if root.find("LoggingEnabled/TargetBucket") is not None:
            self.target_bucket = _find_tag(root, "LoggingEnabled/TargetBucket")
        if root.find("LoggingEnabled/TargetPrefix") is not None:
            self.target_prefix = _find_tag(root, "LoggingEnabled/TargetPrefix")


class GetServerSideEncryptionResult(RequestResult, ServerSideEncryptionRule):
    """get_bucket_encryption's result: a RequestResult and a
    ServerSideEncryptionRule.
    """

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        ServerSideEncryptionRule.__init__(self)
        root = _root(resp)
        if root is None:
            return
        apply_node = root.find("ApplyServerSideEncryptionByDefault")
        self.sse_algorithm = _find_tag(apply_node, "SSEAlgorithm")
        self.kms_master_keyid = _find_tag_with_default(apply_node, "KMSMasterKeyID", None) or None
        self.kms_data_encryption = _find_tag_with_default(apply_node, "KMSDataEncryption", None) or None


class GetBucketVersioningResult(RequestResult, BucketVersioningConfig):
    """get_bucket_versioning's result: `status` ("Enabled", "Suspended" or None)."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketVersioningConfig.__init__(self)
        root = _root(resp)
        if root is not None:
            self.status = _find_tag_with_default(root, "Status", None)


class GetBucketPolicyResult(RequestResult):
    """get_bucket_policy's result: `policy`, the JSON text."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        #: the policy document (JSON text) as stored
        self.policy = to_string(resp.read())


class GetBucketRequestPaymentResult(RequestResult):
    """get_bucket_request_payment's result: `payer`."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        self.payer = ""
        root = _root(resp)
        if root is not None:
            self.payer = _find_tag(root, "Payer")


# --- static website hosting ------------------------------------------------------------------------

class ConditionInlcudeHeader(object):  # oss2's spelling
    """A header a website routing rule's condition requires (oss2's spelling)."""

    def __init__(self, key=None, equals=None):
        self.key = key
        self.equals = equals


class Condition(object):
    """When a website routing rule applies: key prefix, HTTP error code, headers."""

    def __init__(self, key_prefix_equals=None, http_err_code_return_equals=None, include_header_list=None):
        if include_header_list is not None:
            if not isinstance(include_header_list, list):
                raise ClientError("class of include_header should be list")
            if len(include_header_list) > 5:
                raise ClientError("capacity of include_header_list should not > 5, please check!")
        self.key_prefix_equals = key_prefix_equals
        self.http_err_code_return_equals = http_err_code_return_equals
        self.include_header_list = include_header_list or []


def _check_mirror_url(url, message):
    if not url.startswith(("http://", "https://")) or not url.endswith("/"):
        raise ClientError(message)


class Redirect(object):
    """What a website routing rule does: redirect or mirror, with its options (checked as
    oss2 checks them).
    """

    def __init__(self, redirect_type=None, pass_query_string=None, replace_key_with=None,
                 replace_key_prefix_with=None, proto=None, host_name=None, http_redirect_code=None,
                 mirror_url=None, mirror_url_slave=None, mirror_url_probe=None, mirror_pass_query_string=None,
                 mirror_follow_redirect=None, mirror_check_md5=None, mirror_headers=None):
        if redirect_type not in (REDIRECT_TYPE_MIRROR, REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_INTERNAL,
                                 REDIRECT_TYPE_ALICDN):
            raise ClientError("redirect_type must be Internal, External, Mirror or AliCDN.")
        if redirect_type == REDIRECT_TYPE_INTERNAL and any((host_name, proto, http_redirect_code)):
            raise ClientError("host_name, proto, http_redirect_code must be empty when redirect_type is Internal.")
        if redirect_type in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN) and http_redirect_code is not None:
            if http_redirect_code < 300 or http_redirect_code > 399:
                raise ClientError("http_redirect_code must be a valid HTTP 3xx status code.")
        if redirect_type in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN, REDIRECT_TYPE_INTERNAL):
            if all((replace_key_with, replace_key_prefix_with)):
                raise ClientError("replace_key_with or replace_key_prefix_with only choose one.")
        elif redirect_type == REDIRECT_TYPE_MIRROR:
            if any((proto, host_name, replace_key_with, replace_key_prefix_with, http_redirect_code)):
                raise ClientError("host_name, replace_key_with, replace_key_prefix_with, http_redirect_code and "
                                  "proto must be empty when redirect_type is Mirror.")
            if mirror_url is None:
                raise ClientError("mirror_url should not be None when redirect_type is Mirror.")
            _check_mirror_url(mirror_url, 'mirror_url is invalid, should startwith "http://" or "https://", '
                                          'and endwith "/"')
            if mirror_url_slave is not None:
                if mirror_url_probe is None:
                    raise ClientError("mirror_url_probe should not be none when mirror_url_slave is indicated")
                _check_mirror_url(mirror_url_slave, 'mirror_url_salve is invalid, should startwith "http://" or '
                                                    '"https://", and endwith "/"')
        self.redirect_type = redirect_type
        self.pass_query_string = pass_query_string
        self.replace_key_with = replace_key_with
        self.replace_key_prefix_with = replace_key_prefix_with
        self.proto = proto
        self.host_name = host_name
        self.http_redirect_code = http_redirect_code
        self.mirror_url = mirror_url
        self.mirror_url_slave = mirror_url_slave
        self.mirror_url_probe = mirror_url_probe
        self.mirror_pass_query_string = mirror_pass_query_string
        self.mirror_check_md5 = mirror_check_md5
        self.mirror_follow_redirect = mirror_follow_redirect
        self.mirror_headers = mirror_headers


def _list_argument(value, name, limit=10):
    if value is not None:
        if not isinstance(value, list):
            raise ClientError("The type of %s should be list." % name)
        if len(value) > limit:
            raise ClientError("The capacity of %s should not > %d!" % (name, limit))
    return value or []


class RedirectMirrorHeaders(object):
    """Which headers a mirroring rule passes, removes or sets."""

    def __init__(self, pass_all=None, pass_list=None, remove_list=None, set_list=None):
        self.pass_all = pass_all
        self.pass_list = _list_argument(pass_list, "pass_list")
        self.remove_list = _list_argument(remove_list, "remove_list")
        self.set_list = _list_argument(set_list, "set_list")


class MirrorHeadersSet(object):
    """A header (`key`, `value`) a mirroring rule sets."""

    def __init__(self, key=None, value=None):
        self.key = key
        self.value = value


class RoutingRule(object):
    """One website routing rule: `rule_num`, `condition`, `redirect`."""

    def __init__(self, rule_num=None, condition=None, redirect=None):
        if rule_num is None or not isinstance(rule_num, int) or rule_num <= 0:
            raise ClientError("rule_num should be positive integer.")
        if condition is None or redirect is None:
            raise ClientError("condition and redirect should be effective.")
        if redirect.redirect_type == REDIRECT_TYPE_MIRROR and condition.http_err_code_return_equals != 404:
            raise ClientError("http_err_code not match redirect_type, it should be 404!")
        self.rule_num = rule_num
        self.condition = condition
        self.redirect = redirect


class BucketWebsite(object):
    """Static website settings for put_bucket_website: `index_file`, `error_file`,
    `rules` (RoutingRule).
    """

    def __init__(self, index_file, error_file, rules=None):
        if rules is not None:
            if not isinstance(rules, list):
                raise ClientError("rules type should be list.")
            if len(rules) > 5:
                raise ClientError("capacity of rules should not be > 5.")
        self.index_file = index_file
        self.error_file = error_file
        self.rules = rules or []


def _website_condition(node):
    # oss2 2.19.1 raises UnboundLocalError when a condition lacks KeyPrefixEquals or
    # HttpErrorCodeReturnedEquals; an absent element is None here.
    key_prefix_equals = _find_tag_with_default(node, "KeyPrefixEquals", None)
    code = node.find("HttpErrorCodeReturnedEquals")
    headers = [ConditionInlcudeHeader(_find_tag(h, "Key"), _find_tag(h, "Equals")) for h in node.findall("IncludeHeader")]
    return Condition(key_prefix_equals, None if code is None else _find_int(node, "HttpErrorCodeReturnedEquals"),
                     headers)


def _optional(node, tag, convert=_find_tag):
    return convert(node, tag) if node.find(tag) is not None else None


def _website_redirect(node):
    kind = _find_tag(node, "RedirectType")
    args = {"redirect_type": kind, "pass_query_string": _optional(node, "PassQueryString", _find_bool)}
    if kind in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN):
        args.update(proto=_optional(node, "Protocol"), host_name=_optional(node, "HostName"),
                    http_redirect_code=_optional(node, "HttpRedirectCode", _find_int))
    if kind in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN, REDIRECT_TYPE_INTERNAL):
        args.update(replace_key_with=_optional(node, "ReplaceKeyWith"),
                    replace_key_prefix_with=_optional(node, "ReplaceKeyPrefixWith"))
    elif kind == REDIRECT_TYPE_MIRROR:
        args.update(mirror_url=_optional(node, "MirrorURL"), mirror_url_slave=_optional(node, "MirrorURLSlave"),
                    mirror_url_probe=_optional(node, "MirrorURLProbe"),
                    mirror_pass_query_string=_optional(node, "MirrorPassQueryString", _find_bool),
                    mirror_check_md5=_optional(node, "MirrorCheckMd5", _find_bool),
                    mirror_follow_redirect=_optional(node, "MirrorFollowRedirect", _find_bool))
        headers = node.find("MirrorHeaders")
        if headers is not None:
            args["mirror_headers"] = RedirectMirrorHeaders(
                _optional(headers, "PassAll", _find_bool), _find_all_tags(headers, "Pass"),
                _find_all_tags(headers, "Remove"),
                [MirrorHeadersSet(_find_tag(s, "Key"), _find_tag(s, "Value")) for s in headers.findall("Set")])
    return Redirect(**args)


class GetBucketWebsiteResult(RequestResult, BucketWebsite):
    """get_bucket_website's result: a RequestResult and a BucketWebsite."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketWebsite.__init__(self, "", "", [])
        root = _root(resp)
        if root is None:
            return
        self.index_file = _find_tag_with_default(root, "IndexDocument/Suffix", None)
        self.error_file = _find_tag_with_default(root, "ErrorDocument/Key", None)
        for node in root.findall("RoutingRules/RoutingRule"):
            self.rules.append(RoutingRule(_find_int(node, "RuleNumber"), _website_condition(node.find("Condition")),
                                          _website_redirect(node.find("Redirect"))))

from .versions import ListObjectVersionsResult  # noqa: E402,F401  (oss2.models has it; defined in pyjindo.versions)

__all__ = [name for name in dir() if not name.startswith("_") and name not in (
    "json", "logging", "logger", "utils", "to_string", "urlquote", "urlunquote", "CaseInsensitiveDict",
    "http_to_unixtime", "iso8601_to_date", "iso8601_to_unixtime")]
