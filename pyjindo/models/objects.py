"""Results of the object calls: put, get, head, append, batch delete, object ACL, symlinks."""
from typing import Any, List, Optional

from .._types import ProgressCallback
from .. import utils
from ..compat import urlunquote
from ..utils import http_to_unixtime
from .common import _get_etag, _hget, _parsed, RequestResult, _ResponseLike


_CHUNK_SIZE = 64 * 1024  # what iterating a GetObjectResult yields (oss2: 8 KiB; each chunk is a Go call)


class HeadObjectResult(RequestResult):
    """head_object's result: `object_type` ("Normal", "Multipart", "Appendable", ...),
    `content_type`, `content_length`, `etag` (no quotes), `last_modified` (epoch seconds) and
    `server_crc` (the object's CRC64), plus every header in `headers`.
    """

    def __init__(self, resp: _ResponseLike) -> None:
        super(HeadObjectResult, self).__init__(resp)
        get = getattr(resp, "header_values", resp.headers).get  # as RequestResult's
        #: 'Normal', 'Multipart', 'Appendable', ...
        self.object_type = get("x-oss-object-type")
        #: int epoch seconds
        value = get("last-modified")
        self.last_modified = None if value is None else http_to_unixtime(value)
        self.content_type = get("content-type")
        #: int, or None when the server sent no Content-Length
        value = get("content-length")
        self.content_length = None if value is None else int(value)
        #: ETag without quotes
        value = get("etag")
        self.etag = None if value is None else value.strip('"')
        value = get("x-oss-hash-crc64ecma")
        self._server_crc = None if value is None else int(value)

    @property
    def server_crc(self) -> Optional[int]:
        """The object's CRC64 as the server reported it (int), or None."""
        return self._server_crc


class GetObjectMetaResult(RequestResult):
    """get_object_meta's result: `etag`, `content_length`, `last_modified`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetObjectMetaResult, self).__init__(resp)
        values = getattr(resp, "header_values", resp.headers)  # as RequestResult's
        self.last_modified = _hget(values, "last-modified", http_to_unixtime)
        self.content_length = _hget(values, "content-length", int)
        self.etag = _get_etag(values)


class GetSymlinkResult(RequestResult):
    """get_symlink's result: `target_key`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetSymlinkResult, self).__init__(resp)
        self.target_key = urlunquote(_hget(self.headers, "x-oss-symlink-target"))


class GetObjectResult(HeadObjectResult):
    """The body of get_object, readable like a file (read, iteration, with-statement).

    `stream` has read(amt=None) -> bytes, close(), and the CRC64 of the bytes read so far as `crc`
    (or `client_crc`), int or None, and may have `eof`, false until it has seen the body's end.
    With CRC checking on and the whole object requested, the CRC is compared with
    x-oss-hash-crc64ecma when the end is reached; a mismatch raises InconsistentError.
    """

    def __init__(self, resp: _ResponseLike, stream: Any = None, progress_callback: ProgressCallback = None,
                 enable_crc: bool = False) -> None:
        super(GetObjectResult, self).__init__(resp)
        self.__crc_enabled = enable_crc
        self.__progress_callback = progress_callback
        self.__consumed = 0
        self.__crc_checked = False
        self.__closed = False
        self.content_range = getattr(resp, "header_values", resp.headers).get("content-range")
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
        return None if crc is None or crc == "" else int(crc)

    def read(self, amt: Optional[int] = None) -> bytes:
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
            if getattr(self.stream, "progress_while_reading", False):
                # a long read (read() of a large object) reports as its bytes arrive, every
                # 50 ms, where oss2 reports per 8 KiB chunk; the read's end is reported below
                base = self.__consumed

                def during(consumed, total):
                    if consumed < want:
                        callback(base + consumed, size)
                data = self.stream.read(want, during) or b""
            else:
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
        """The whole body has been read: check its CRC64 against the server's, once. Not after
        close(): a closed body reads as b"" (as oss2's), which is not the end of the object."""
        if self.__crc_checked or self.__closed or not self.__crc_enabled or self.content_range:
            return
        if probe and not getattr(self.stream, "eof", True) and self.stream.read(1):
            return  # the stream's CRC is the whole body's once it has seen the end: let it see it
        client_crc = self._stream_crc()
        if client_crc is None:
            return
        self.__crc_checked = True
        utils.check_crc("get", client_crc, self._server_crc, self.request_id)

    def close(self) -> None:
        """Stop reading and free the body (cancels the parts still being fetched). Reads after it
        return b"", as oss2's do (its closed HTTP response reads empty), with no CRC check."""
        self.__closed = True
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
    def client_crc(self) -> Optional[int]:
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

    def __init__(self, resp: _ResponseLike) -> None:
        super(PutObjectResult, self).__init__(resp)
        get = getattr(resp, "header_values", resp.headers).get  # as RequestResult's
        #: ETag without quotes
        value = get("etag")
        self.etag = None if value is None else value.strip('"')
        #: CRC64 of the object on OSS (int), or None
        value = get("x-oss-hash-crc64ecma")
        self.crc = None if value is None else int(value)


class AppendObjectResult(RequestResult):
    """append_object's result: `etag`, `crc` (CRC64 of the whole object after this
    append) and `next_position` (where the next append starts).
    """

    def __init__(self, resp: _ResponseLike) -> None:
        super(AppendObjectResult, self).__init__(resp)
        self.etag = _get_etag(self.headers)
        #: CRC64 of the whole object after this append
        self.crc = _hget(resp.headers, "x-oss-hash-crc64ecma", int)
        #: where the next append must start
        self.next_position = _hget(resp.headers, "x-oss-next-append-position", int)


class BatchDeleteObjectVersion(object):
    """A key and version id (`versionid`, "" for the latest) for delete_object_versions."""

    def __init__(self, key: Optional[str] = None, versionid: Optional[str] = None) -> None:
        self.key = key or ""
        self.versionid = versionid or ""


class BatchDeleteObjectVersionList(object):
    """A list of BatchDeleteObjectVersion (kept for oss2)."""

    def __init__(self, object_version_list: Optional[List["BatchDeleteObjectVersion"]] = None) -> None:
        self.object_version_list = object_version_list or []

    def append(self, object_version: BatchDeleteObjectVersion) -> None:
        """Add a BatchDeleteObjectVersion."""
        self.object_version_list.append(object_version)

    def len(self) -> int:
        """How many versions the list holds."""
        return len(self.object_version_list)


class BatchDeleteObjectVersionResult(object):
    """One deleted key of a batch delete: `key`, `versionid`,
    `delete_marker`, `delete_marker_versionid`.
    """

    def __init__(self, key: str, versionid: Optional[str] = None, delete_marker: Optional[bool] = None,
                 delete_marker_versionid: Optional[str] = None) -> None:
        self.key = key
        self.versionid = versionid or ""
        self.delete_marker = delete_marker or False
        self.delete_marker_versionid = delete_marker_versionid or ""


class BatchDeleteObjectsResult(RequestResult):
    """batch_delete_objects' result: `deleted_keys` (in the server's order) and
    `delete_versions` (BatchDeleteObjectVersionResult each).
    """

    def __init__(self, resp: _ResponseLike) -> None:
        super(BatchDeleteObjectsResult, self).__init__(resp)
        #: keys deleted, in the order the server listed them
        self.deleted_keys = []
        #: BatchDeleteObjectVersionResult for each deleted key
        self.delete_versions = []
        body = _parsed(resp)  # go/oss DeleteObjectsResult: typed, keys decoded; None in quiet mode
        for d in body.get("deleted") or ():
            self.deleted_keys.append(d["key"])
            self.delete_versions.append(BatchDeleteObjectVersionResult(
                d["key"], d["version_id"], d["delete_marker"], d["delete_marker_version_id"]))


class GetObjectAclResult(RequestResult):
    """get_object_acl's result: `acl` ("default", "private", "public-read", ...)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetObjectAclResult, self).__init__(resp)
        self.acl = ""
        body = _parsed(resp)  # go/oss AccessControlPolicy
        if body:
            self.acl = body["grant"]

__all__ = ["HeadObjectResult", "GetObjectMetaResult", "GetSymlinkResult", "GetObjectResult", "PutObjectResult",
           "AppendObjectResult", "BatchDeleteObjectVersion", "BatchDeleteObjectVersionList",
           "BatchDeleteObjectVersionResult", "BatchDeleteObjectsResult", "GetObjectAclResult"]
