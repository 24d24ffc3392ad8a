"""Bucket and Service, with oss2's signatures. Each method builds the request the way oss2 does
(parameters, headers, content type) and hands it to the Go core, which signs, sends, checks CRC64
and parses the response; this module only shapes the results.

Differences from oss2, all deliberate:
- get_object_to_file writes to a temporary file beside the target and renames it when complete
  and verified, so a failed download never leaves a partial or empty file at the target (oss2
  truncates the target first). A target that exists and is not a regular file (a device such as
  /dev/null, a FIFO) is written through in order, as oss2 does, never replaced.
- `session=` (a requests session) is accepted and ignored: connections are pooled in Go.
"""
from __future__ import annotations

import functools
import json
import os
import types
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _binding, _ops, _unsupported, _wire, exceptions, models, utils, xml_utils
from ._families import BucketFamilies
from ._service_families import ServiceFamilies
from .auth import ProviderAuthV2, ProviderAuthV4
from .compat import to_string
from .exceptions import ClientError
from ._response import Response
from ._session import (DEFAULT_CONCURRENCY, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE,  # noqa: F401
                       DEFAULT_RETRY_ATTEMPTS, DEFAULT_RETRY_TIME, ends_in_quick_call, logger)
from ._streams import BytesStream, DoneStream, GoStream
from ._types import ByteRange, Data, Headers, Key, Params, ProgressCallback


class Service(ServiceFamilies):
    """The account, as oss2.Service: list_buckets (and BucketIterator over it), and the account's
    settings (regions, QoS and resource pools, public access block, access points, data
    redundancy transitions; pyjindo._service_families).
    """

    def __init__(self, auth: Any, endpoint: str, session: Any = None, connect_timeout: Optional[float] = None,
                 app_name: str = "", proxies: Optional[Dict[str, str]] = None, region: Optional[str] = None,
                 cloudbox_id: Optional[str] = None, is_path_style: bool = False) -> None:
        """As oss2.Service: `auth` (Auth, AuthV2, AuthV4, StsAuth, ProviderAuth..., AnonymousAuth)
        and the endpoint ("oss-cn-hangzhou.aliyuncs.com", "http://127.0.0.1:9000"). `session` is
        accepted and ignored (connections are pooled in Go). Raises ClientError for an invalid
        endpoint.
        """
        super().__init__(auth, endpoint, False, session, connect_timeout, app_name=app_name, proxies=proxies,
                         region=region, cloudbox_id=cloudbox_id, is_path_style=is_path_style)

    def list_buckets(self, prefix: str = "", marker: str = "", max_keys: int = 100, params: Params = None,
                     headers: Headers = None) -> models.ListBucketsResult:
        """One page of the account's buckets, as oss2.

        Args:
            prefix: only buckets whose names start with it.
            marker: start after this bucket name (the previous page's next_marker).
            max_keys: at most this many buckets (OSS allows up to 1000).
        Returns:
            ListBucketsResult: `buckets` (SimplifiedBucketInfo), `is_truncated`, `next_marker`.
            BucketIterator walks every page.
        Raises:
            oss2's exceptions: a ServerError subclass for an error answer (NoSuchKey, NoSuchBucket,
            AccessDenied, ...), RequestError when the server cannot be reached after the retries.
        """
        query = {"prefix": prefix, "marker": marker, "max-keys": str(max_keys)}
        if params is not None:
            query.update(params)
        resp = self._do("GET", "", "", params=query, headers=headers, parse="list_buckets")
        return models.ListBucketsResult(resp)


class Bucket(BucketFamilies):
    """Operations on one bucket and its objects, as oss2.Bucket: same methods, arguments, result
    classes (pyjindo.models) and exceptions (pyjindo.exceptions), so `import pyjindo as oss2` works.

    What differs from oss2 (each method's docstring says where it applies):
    - Large transfers are parallel: get_object().read() and get_object_to_file fetch ranged
      parts on several connections, pinned to the first answer's ETag; put_object at or above
      `multipart_threshold` (64 MiB) is a parallel multipart upload (object type Multipart).
    - One retry policy for every idempotent request, part and listing page (`retry_attempts`,
      `retry_time`); broken download bodies resume from the byte reached; appends and other
      POSTs are never retried blindly.
    - get_object_to_file never leaves a partial file: the download is put in place when
      complete and verified.
    - Additions: mkdir, rename, and the tuning arguments of __init__.
    - oss2 operations pyjindo lacks (live channels, select, image and document processing) exist
      with oss2's signatures and raise UnsupportedOperation (a ClientError and NotImplementedError).
    - A Bucket can be shared by threads (the GIL is released during I/O) and keeps working in a
      child after os.fork().

    Every request can raise oss2's exceptions: a ServerError subclass chosen by (status, code)
    as oss2 chooses it (NoSuchKey, NoSuchBucket, AccessDenied, ...), RequestError when the
    server cannot be reached after the retries, InconsistentError when a CRC64 differs, and
    ClientError for arguments refused before sending.
    """

    ACL = "acl"
    BUCKET_INFO = "bucketInfo"
    OBJECTMETA = "objectMeta"
    PROCESS = "x-oss-process"
    VERSIONID = "versionId"

    def __init__(self, auth: Any, endpoint: str, bucket_name: str, is_cname: bool = False, session: Any = None,
                 connect_timeout: Optional[float] = None, app_name: str = "", enable_crc: bool = True,
                 proxies: Optional[Dict[str, str]] = None, region: Optional[str] = None,
                 cloudbox_id: Optional[str] = None, is_path_style: bool = False, is_verify_object_strict: bool = True,
                 multipart_threshold: Optional[int] = DEFAULT_MULTIPART_THRESHOLD, part_size: int = DEFAULT_PART_SIZE,
                 concurrency: int = DEFAULT_CONCURRENCY, retry_attempts: int = DEFAULT_RETRY_ATTEMPTS,
                 retry_time: float = DEFAULT_RETRY_TIME) -> None:
        """As oss2.Bucket, plus the transfer tuning.

        Args:
            auth: Auth (V1), AuthV2, AuthV4 (needs `region=`), StsAuth, ProviderAuth* over a credentials
                provider, or AnonymousAuth.
            endpoint: "oss-cn-hangzhou.aliyuncs.com", "https://...", or a local "http://127.0.0.1:9000".
            bucket_name: the bucket; checked as oss2 checks it.
            session: accepted and ignored: connections are pooled in Go.
            enable_crc: compare the CRC64 of every body sent and received with the server's.
            multipart_threshold: put_object bodies of at least this many bytes (default 64 MiB) go up as
                a parallel multipart upload; None keeps oss2's single PUT for every size. Not in oss2.
            part_size, concurrency: bytes per ranged GET or upload part (default 8 MiB, at least 100 KiB)
                and connections per transfer (default 8). Not in oss2.
            retry_attempts, retry_time: attempts per idempotent request, part or listing page (default 3;
                1 turns retries off) within this many seconds (default 30). Not in oss2, which retries
                nothing outside its iterators.
        Raises:
            ClientError: an invalid endpoint, bucket name or tuning value.
        """
        super().__init__(auth, endpoint, is_cname, session, connect_timeout, app_name=app_name,
                         enable_crc=enable_crc, proxies=proxies, region=region, cloudbox_id=cloudbox_id,
                         is_path_style=is_path_style, is_verify_object_strict=is_verify_object_strict,
                         multipart_threshold=multipart_threshold, part_size=part_size, concurrency=concurrency,
                         retry_attempts=retry_attempts, retry_time=retry_time)
        self.bucket_name = bucket_name.strip()
        if utils.is_valid_bucket_name(self.bucket_name) is not True:
            raise ClientError("The bucket_name is invalid, please check it.")

    def __repr__(self):
        return "<pyjindo.Bucket %s at %s>" % (self.bucket_name, self.endpoint)

    def _object(self, method, key, **kwargs):
        return self._do(method, self.bucket_name, key, **kwargs)

    def _bucket(self, method, **kwargs):
        return self._do(method, self.bucket_name, "", **kwargs)

    # --- objects -----------------------------------------------------------------------------------

    @ends_in_quick_call
    def put_object(self, key: Key, data: Data, headers: Headers = None,
                   progress_callback: ProgressCallback = None) -> models.PutObjectResult:
        """Upload `data` as the object `key`, as oss2; Content-Type is guessed from the key unless given.

        Differs from oss2: a body of at least the Bucket's `multipart_threshold` (64 MiB by default)
        goes up as a multipart upload of `part_size` parts sent in parallel; the object's type is then
        "Multipart" and its ETag is not the MD5 of the content (a `Content-MD5` header, or
        Bucket(multipart_threshold=None), keeps one PUT). A failed or interrupted multipart upload is
        aborted. Connection errors and 5xx answers are retried (see Bucket's retry_attempts);
        bytes-like data is sent without a copy, an open regular file is read by Go directly.

        Args:
            key: the object's key.
            data: str (sent as UTF-8), bytes, bytearray, memoryview, a file object or an iterable.
            headers: request headers (x-oss-meta-*, Content-Type, x-oss-storage-class, ...).
            progress_callback: called as (consumed_bytes, total_bytes).
        Returns:
            PutObjectResult: `etag`, `crc`, `request_id`, `versionid`.
        Raises:
            InconsistentError: the CRC64 of what was sent differs from the server's (enable_crc).
            ServerError subclasses and RequestError, as every call (see Bucket).
        """
        return self._put_object(key, data, headers, progress_callback)

    def _put_object(self, key, data, headers, progress_callback, transfer=None, progress_start_at=None):
        """put_object; transfer overrides the multipart threshold and part size, progress_start_at
        is as in _binding.call (resumable_upload)."""
        if headers:
            headers = utils.set_content_type(utils.CaseInsensitiveDict(headers), key)
        else:  # the same, without making a CaseInsensitiveDict to hold one header or none
            content_type = utils.content_type_by_name(key)
            headers = {"Content-Type": content_type} if content_type else None
        return self._do("PUT", self.bucket_name, key, data=data, headers=headers, progress_callback=progress_callback,
                        crc_operation="put_object", transfer=transfer, progress_start_at=progress_start_at,
                        then=models.PutObjectResult)

    def put_object_from_file(self, key: Key, filename: Key, headers: Headers = None,
                             progress_callback: ProgressCallback = None) -> models.PutObjectResult:
        """Upload the local file `filename` as `key`: put_object on the open file (so multipart above
        the threshold, parts read in parallel by Go). Content-Type is guessed from the file name.
        Returns a PutObjectResult; raises OSError when the file cannot be opened, else as put_object.
        """
        headers = utils.set_content_type(utils.CaseInsensitiveDict(headers), filename)
        with open(to_string(filename), "rb") as f:
            return self.put_object(key, f, headers=headers, progress_callback=progress_callback)

    def _get_args(self, key, byte_range, headers, process, params):
        """The GET as oss2 builds it: Range from byte_range, x-oss-process in the parameters."""
        headers = utils.CaseInsensitiveDict(headers) if headers or byte_range is not None else {}
        range_string = _wire.range_string(byte_range) if byte_range is not None else ""
        if range_string:
            headers["range"] = range_string
        params = {} if params is None else params
        if process:
            params.update({Bucket.PROCESS: process})
        return headers, {"bucket": self.bucket_name, "key": key if type(key) is str else to_string(key),
                         "params": _wire.params(params) if params else [],
                         "headers": _wire.headers(headers) if headers else []}

    @ends_in_quick_call
    def get_object(self, key: Key, byte_range: ByteRange = None, headers: Headers = None,
                   progress_callback: ProgressCallback = None, process: Optional[str] = None,
                   params: Params = None) -> models.GetObjectResult:
        """Open the object `key` for reading, as oss2; the result is a file-like GetObjectResult.

        Differs from oss2: `read()` of the whole body fetches `part_size` ranged parts on
        `concurrency` connections into one bytes object; `read(n)` and iteration read through a
        bounded prefetch window. Every part is pinned to the first answer's ETag, so an object
        replaced mid-download raises InconsistentError rather than mixing data; a body that breaks off
        is resumed from the byte reached. The result still looks like oss2's single GET (status,
        headers, Content-Range for a byte_range). A result opened before os.fork() cannot be read in
        the child (ClientError).

        Args:
            key: the object's key.
            byte_range: (first, last), both inclusive, either may be None, as in oss2.
            headers: request headers (If-Match, Accept-Encoding, ...).
            progress_callback: called as (consumed_bytes, total_bytes) while reading.
            process: an x-oss-process value (image processing and the like).
            params: extra query parameters (versionId, ...).
        Returns:
            GetObjectResult: read(), iteration, `with`; `content_length`, `etag`, `server_crc`, ...
        Raises:
            NoSuchKey, NoSuchBucket, AccessDenied and other ServerErrors; RequestError.
            InconsistentError from read(): the CRC64 of the whole body differs from the server's.
        """
        _, args = self._get_args(key, byte_range, headers, process, params)
        block = self._quick_block("GET", args["bucket"], args["key"], args["params"], args["headers"], "", None)
        if block is not None:
            return self._quick(_binding.QUICK_GET, block, then=functools.partial(self._quick_get, progress_callback))
        result = self._call(_ops.GET_OPEN, args)
        stream = GoStream(self, result["stream"], result["length"], "get_object")
        resp = Response.from_result(result, stream)  # resp.read() reads the body, as in oss2
        return models.GetObjectResult(resp, stream, progress_callback, self.enable_crc)

    def _quick_get(self, progress_callback, gen, r):
        """get_object's result from its quick call: a small object's body comes with the answer
        (BytesStream), a larger one as a stream, as GET_OPEN's."""
        if isinstance(r, dict):  # the JSON form: a stream, or a small body beside a header with a NUL
            if r.get("stream") is not None:
                stream = GoStream(self, r["stream"], r["length"], "get_object")
            else:
                stream = BytesStream(r["data"].encode("latin-1"), int(r["crc"]) if r["crc"] else None,
                                     json.loads(r["deferred"]) if r["deferred"] else None)
            resp = Response.from_result(r, stream)
        else:
            number, length, crc, deferred = r[3], r[4], r[5], r[6]
            if number:
                stream = GoStream(self, _binding.Handle(number, gen, "GetObjectResult"), length, "get_object")
            else:
                stream = BytesStream(r[8], crc, json.loads(deferred) if deferred else None)
            resp = Response.from_quick(r, stream)
        return models.GetObjectResult(resp, stream, progress_callback, self.enable_crc)

    def get_object_to_file(self, key: Key, filename: Key, byte_range: ByteRange = None, headers: Headers = None,
                           progress_callback: ProgressCallback = None, process: Optional[str] = None,
                           params: Params = None) -> models.GetObjectResult:
        """Download the object `key` into the local file `filename`, as oss2.

        Differs from oss2: parts are fetched in parallel and written at their offsets into a file
        with no name (O_TMPFILE; elsewhere a hidden temporary name `.NAME.pyjindo-N` beside the
        target), which is put in place only once complete and its CRC64 checked. A failed download
        leaves no partial or empty file (oss2 truncates the target first), and an existing target
        is replaced whole; a temporary name a killed download left is removed by the next download
        to that name. A target that is not a regular file (/dev/null, a FIFO) is written through in order.

        Returns a GetObjectResult with nothing left to read (`client_crc` holds the file's CRC64).
        Raises as get_object, InconsistentError when the CRC64 does not match after the repair
        attempts, and OSError when the file cannot be written (not retried).
        """
        return self._get_object_to_file(key, filename, byte_range, headers, progress_callback, process, params)

    def _get_object_to_file(self, key, filename, byte_range=None, headers=None, progress_callback=None,
                            process=None, params=None, part_size=None, progress_start_at=None, cipher=None):
        """get_object_to_file; part_size overrides the bytes per ranged GET, progress_start_at is as
        in _binding.call (resumable_download); cipher ({"key", "iv"}) decrypts (CryptoBucket)."""
        headers, args = self._get_args(key, byte_range, headers, process, params)
        if part_size:
            args["part_size"] = int(part_size)
        if cipher:
            args["cipher"] = cipher
        args["filename"] = os.path.abspath(to_string(filename))
        args["check_crc"] = self.enable_crc and byte_range is None and headers.get("Accept-Encoding") != "gzip"
        result = self._call(_ops.GET_TO_FILE, args, progress_callback=progress_callback,
                            progress_start_at=progress_start_at)
        # Already checked in Go: the result only carries the CRC (client_crc, with CRC checks on).
        return models.GetObjectResult(Response.from_result(result), DoneStream(result), None, self.enable_crc)

    def append_object(self, key: Key, position: int, data: Data, headers: Headers = None,
                      progress_callback: ProgressCallback = None,
                      init_crc: Optional[int] = None) -> models.AppendObjectResult:
        """Append `data` to the appendable object `key` at `position` (0 creates it), as oss2.

        Never retried (a repeat could append twice). With `init_crc` (the CRC64 of the object so far,
        the previous result's `crc`) the CRC64 of the whole object is checked, as in oss2.
        Returns an AppendObjectResult with `next_position` and `crc`.
        Raises PositionNotEqualToLength (its `next_position` says where to append), ObjectNotAppendable,
        InconsistentError, and other ServerErrors.
        """
        headers = utils.set_content_type(utils.CaseInsensitiveDict(headers), key)
        resp = self._object("POST", key, data=data, headers=headers,
                            params={"append": "", "position": str(position)},
                            progress_callback=progress_callback,
                            crc_operation=None if init_crc is None else "append_object", init_crc=init_crc)
        return models.AppendObjectResult(resp)

    def copy_object(self, source_bucket_name: str, source_key: Key, target_key: Key, headers: Headers = None,
                    params: Params = None) -> models.PutObjectResult:
        """Copy `source_bucket_name`/`source_key` to `target_key` in this bucket on the server (one
        CopyObject, as oss2; `params={"versionId": ...}` names a source version; headers such as
        x-oss-metadata-directive apply). Returns a PutObjectResult. Raises NoSuchKey and other ServerErrors.
        """
        headers = utils.CaseInsensitiveDict(headers)
        source = "/" + source_bucket_name + "/" + utils.urlquote(to_string(source_key), "")
        if params and Bucket.VERSIONID in params:
            source += "?versionId=" + params[Bucket.VERSIONID]
        headers["x-oss-copy-source"] = source
        return models.PutObjectResult(self._object("PUT", target_key, headers=headers))

    def delete_object(self, key: Key, params: Params = None, headers: Headers = None) -> models.RequestResult:
        """Delete the object `key`, as oss2 (deleting a missing key succeeds). Returns a
        RequestResult; raises ServerErrors such as NoSuchBucket and AccessDenied.
        """
        logger.info("Start to delete object, bucket: {0}, key: {1}".format(self.bucket_name, to_string(key)))
        return models.RequestResult(self._object("DELETE", key, params=params, headers=headers))

    def batch_delete_objects(self, key_list: Sequence[Key],
                             headers: Headers = None) -> models.BatchDeleteObjectsResult:
        """Delete the keys of `key_list` (at most 1000) in one DeleteMultipleObjects request, as oss2.

        Keys with characters XML 1.0 cannot carry are sent as oss2 sends them. Not retried (a POST).
        Returns a BatchDeleteObjectsResult whose `deleted_keys` lists what was deleted.
        Raises ClientError for an empty list, ServerErrors otherwise.
        """
        if not key_list:
            raise ClientError("key_list should not be empty")
        result = self._call(_ops.BATCH_DELETE, {
            "bucket": self.bucket_name, "keys": [to_string(k) for k in key_list], "headers": _wire.headers(headers),
        })
        return models.BatchDeleteObjectsResult(Response.from_result(result))

    @ends_in_quick_call
    def object_exists(self, key: Key, headers: Headers = None) -> bool:
        """True when `key` exists (a GetObjectMeta answers), False for NoSuchKey or a 404; as oss2.
        Raises NoSuchBucket when the bucket does not exist, and other errors as they come.
        """
        # get_object_meta's request, its answer read by then/otherwise (pyjindo.aio runs it once)
        return self._do("HEAD", self.bucket_name, key, params=_OBJECTMETA, headers=headers, then=_exists,
                        otherwise=_absent)

    @ends_in_quick_call
    def get_object_meta(self, key: Key, params: Params = None, headers: Headers = None) -> models.GetObjectMetaResult:
        """The object's basic metadata (HEAD ?objectMeta): `etag`, `content_length`, `last_modified`.
        As oss2. Raises NoSuchKey (NotFound when the answer carries no error code) and other ServerErrors.
        """
        params = dict(params or {})
        params.setdefault(Bucket.OBJECTMETA, "")
        return self._do("HEAD", self.bucket_name, key, params=params, headers=headers,
                        then=models.GetObjectMetaResult)

    @ends_in_quick_call
    def head_object(self, key: Key, headers: Headers = None, params: Params = None) -> models.HeadObjectResult:
        """The object's headers (HEAD), as oss2: HeadObjectResult with `object_type`, `content_length`,
        `etag`, `last_modified`, `server_crc` and every header in `headers`. Raises NoSuchKey
        (NotFound when the answer carries no error code) and other ServerErrors.
        """
        return self._do("HEAD", self.bucket_name, key, params=params, headers=headers, then=models.HeadObjectResult)

    def update_object_meta(self, key: Key, headers: Mapping[Any, Any]) -> models.PutObjectResult:
        """Replace the object's metadata with `headers` (a copy onto itself with
        x-oss-metadata-directive REPLACE), as oss2. Returns a PutObjectResult.
        """
        if not isinstance(headers, utils.CaseInsensitiveDict):
            headers = utils.CaseInsensitiveDict(headers)
        headers["x-oss-metadata-directive"] = "REPLACE"
        return self.copy_object(self.bucket_name, key, key, headers=headers)

    def sign_url(self, method: str, key: Key, expires: Union[int, float], headers: Headers = None,
                 params: Params = None, slash_safe: bool = False,
                 additional_headers: Optional[Sequence[str]] = None) -> str:
        """A URL that performs `method` on `key` without credentials for `expires` seconds, built
        as oss2 builds it with the auth's signature version (V1, V2 or V4). `additional_headers`
        (V2 and V4 auths only, as in oss2) names headers of `headers` to sign too."""
        if key is None or len(key.strip()) <= 0:
            raise ClientError("The key is invalid, please check it.")
        key = to_string(key)
        if self.is_verify_object_strict and key.startswith("?"):
            raise ClientError("The key cannot start with `?`, please check it.")
        if additional_headers is not None and not isinstance(self.auth, (ProviderAuthV2, ProviderAuthV4)):
            raise TypeError("%s._sign_url() got an unexpected keyword argument 'in_additional_headers'"
                            % type(self.auth).__name__)
        result = self._call(_ops.SIGN_URL, {
            "method": method, "bucket": self.bucket_name, "key": key, "expires": int(expires),
            "headers": _wire.signed_url_headers(headers), "params": _wire.params(params), "slash_safe": bool(slash_safe),
            "additional_headers": [to_string(h) for h in additional_headers or ()],
        })
        return result["url"]

    # --- presigned URLs ----------------------------------------------------------------------------
    # The URL is sent as it is, unsigned (it carries its signature); Bucket and key only name the
    # request in logs. Headers must be those the URL was signed with, as in oss2: nothing is added
    # (no Content-Type from the key).

    def _url_args(self, sign_url, headers):
        return {"bucket": self.bucket_name, "key": "", "url": to_string(sign_url), "headers": _wire.headers(headers)}

    def put_object_with_url(self, sign_url: str, data: Data, headers: Headers = None,
                            progress_callback: ProgressCallback = None) -> models.PutObjectResult:
        """As oss2: one PUT to the presigned URL (never multipart: the URL signs that request
        only), the CRC64 of the bytes sent compared with the server's."""
        headers = utils.CaseInsensitiveDict(headers)
        body_args, buf, total = _wire.body(data)
        args = self._url_args(sign_url, headers)
        args.update(method="PUT", multipart_threshold=-1, **body_args)
        if self.enable_crc:
            args.update(check_crc=True, operation="put_object")
        result = self._call(_ops.REQUEST, args, buf, progress_callback, total)
        if "fd" in body_args:  # oss2 leaves the file position at the end of what it sent
            data.seek(body_args["offset"] + body_args["size"])  # type: ignore[union-attr]  # a file: fd
        return models.PutObjectResult(Response.from_result(result))

    def put_object_with_url_from_file(self, sign_url: str, filename: Key, headers: Headers = None,
                                      progress_callback: ProgressCallback = None) -> models.PutObjectResult:
        """put_object_with_url with the contents of the local file `filename`, as oss2 (one PUT,
        never multipart: the URL signs that request only). Returns a PutObjectResult.
        """
        with open(to_string(filename), "rb") as f:
            return self.put_object_with_url(sign_url, f, headers=headers, progress_callback=progress_callback)

    def _url_get_args(self, sign_url, byte_range, headers):
        headers = utils.CaseInsensitiveDict(headers)
        range_string = _wire.range_string(byte_range)
        if range_string:
            headers["range"] = range_string
        return headers, self._url_args(sign_url, headers)

    def get_object_with_url(self, sign_url: str, byte_range: ByteRange = None, headers: Headers = None,
                            progress_callback: ProgressCallback = None) -> models.GetObjectResult:
        """As oss2; the body is fetched as get_object's is (parallel ranged GETs of the same URL
        for read())."""
        _, args = self._url_get_args(sign_url, byte_range, headers)
        result = self._call(_ops.GET_OPEN, args)
        stream = GoStream(self, result["stream"], result["length"], "get_object_with_url")
        return models.GetObjectResult(Response.from_result(result, stream), stream, progress_callback,
                                      self.enable_crc)

    def get_object_with_url_to_file(self, sign_url: str, filename: Key, byte_range: ByteRange = None,
                                    headers: Headers = None,
                                    progress_callback: ProgressCallback = None) -> models.GetObjectResult:
        """As oss2, except that, as get_object_to_file, the file is written beside the target and
        renamed over it when complete and verified: a failed download leaves no file behind."""
        headers, args = self._url_get_args(sign_url, byte_range, headers)
        args["filename"] = os.path.abspath(to_string(filename))
        args["check_crc"] = self.enable_crc and byte_range is None and headers.get("Accept-Encoding") != "gzip"
        result = self._call(_ops.GET_TO_FILE, args, progress_callback=progress_callback)
        return models.GetObjectResult(Response.from_result(result), DoneStream(result), None, self.enable_crc)

    # --- pyjindo additions -------------------------------------------------------------------------

    def mkdir(self, key: Key, headers: Headers = None) -> models.PutObjectResult:
        """Create the directory marker object `key/` (the slash is added if missing).

        Not in oss2. Returns a PutObjectResult.
        """
        key = to_string(key)
        if not key.endswith("/"):
            key += "/"
        return self.put_object(key, b"", headers=headers)

    def rename(self, src: Key, dst: Key, overwrite: bool = True) -> models.RequestResult:
        """Move `src` to `dst` by a server-side copy, then a delete of the source.

        Not in oss2. When `src` ends with "/", every object under that prefix moves to the same
        place under `dst` (a "/" is added to `dst` if missing). With overwrite=False the copy is
        sent with x-oss-forbid-overwrite, so an existing target raises ServerError (409,
        FileAlreadyExists) and that source stays where it was. A missing source raises NoSuchKey;
        a prefix with no objects under it raises ClientError, and so does, before anything moves,
        a target that is the source itself ("p/" to "p"), lies inside the source prefix, or would
        land on another object of the source.

        Not atomic: OSS has no rename. Each object is copied, and its source deleted only after
        its copy succeeded, so an interruption leaves objects at the source, the target, or both,
        never at neither. With a prefix, objects move one by one (several at a time); a listing
        during the move sees some moved and some not. A copy of a large object copies its bytes
        on the server, so it takes time proportional to its size.
        Returns a RequestResult of the last request.
        """
        result = self._call(_ops.RENAME, {
            "bucket": self.bucket_name, "src": to_string(src), "dst": to_string(dst), "overwrite": bool(overwrite),
        })
        return models.RequestResult(Response.from_result(result))

    # --- listing -----------------------------------------------------------------------------------

    def list_objects(self, prefix: str = "", delimiter: str = "", marker: str = "", max_keys: int = 100,
                     headers: Headers = None) -> models.ListObjectsResult:
        """One page of the bucket's objects in key order (ListObjects, V1), as oss2.

        Args:
            prefix: only keys starting with it.
            delimiter: "/" groups keys below the next "/" into `prefix_list` (directories).
            marker: start after this key (the previous page's `next_marker`).
            max_keys: at most this many entries (up to 1000).
        Returns:
            ListObjectsResult: `object_list` (SimplifiedObjectInfo), `prefix_list`, `is_truncated`,
            `next_marker`. ObjectIterator walks every page.
        Raises NoSuchBucket and other ServerErrors; the page is retried as any GET.
        """
        resp = self._bucket("GET", params={"prefix": prefix, "delimiter": delimiter, "marker": marker,
                                           "max-keys": str(max_keys), "encoding-type": "url"},
                            headers=headers, parse="list_objects")
        return models.ListObjectsResult(resp)

    def list_objects_v2(self, prefix: str = "", delimiter: str = "", continuation_token: str = "",
                        start_after: str = "", fetch_owner: bool = False, encoding_type: str = "url",
                        max_keys: int = 100, headers: Headers = None) -> models.ListObjectsV2Result:
        """One page of the bucket's objects (ListObjectsV2), as oss2: `continuation_token` from the
        previous page's `next_continuation_token`, `start_after` a key to start after, `fetch_owner`
        to fill each entry's owner. Returns a ListObjectsV2Result (`object_list`, `prefix_list`,
        `is_truncated`, `next_continuation_token`); ObjectIteratorV2 walks every page.
        """
        resp = self._bucket("GET", params={
            "list-type": "2", "prefix": prefix, "delimiter": delimiter, "continuation-token": continuation_token,
            "start-after": start_after, "fetch-owner": str(fetch_owner).lower(), "max-keys": str(max_keys),
            "encoding-type": encoding_type,
        }, headers=headers, parse="list_objects_v2")
        return models.ListObjectsV2Result(resp)

    # --- multipart ---------------------------------------------------------------------------------

    def init_multipart_upload(self, key: Key, headers: Headers = None,
                              params: Params = None) -> models.InitMultipartUploadResult:
        """Start a multipart upload of `key` by hand, as oss2 (put_object does this by itself above the
        threshold). Not retried (a POST). Returns an InitMultipartUploadResult with `upload_id`.
        """
        headers = utils.set_content_type(utils.CaseInsensitiveDict(headers), key)
        query = dict(params or {})
        query["uploads"] = ""
        resp = self._object("POST", key, params=query, headers=headers, parse="init_multipart_upload")
        return models.InitMultipartUploadResult(resp)

    def upload_part(self, key: Key, upload_id: str, part_number: int, data: Data,
                    progress_callback: ProgressCallback = None, headers: Headers = None) -> models.PutObjectResult:
        """Upload part `part_number` (1 to 10000) of the upload `upload_id`, as oss2; retried like a PUT.
        Returns a PutObjectResult whose `etag` and `crc` go into a PartInfo for
        complete_multipart_upload. Raises NoSuchUpload, InconsistentError (CRC64), ServerErrors.
        """
        resp = self._object("PUT", key, data=data, headers=headers,
                            params={"uploadId": upload_id, "partNumber": str(part_number)},
                            progress_callback=progress_callback, crc_operation="upload_part")
        return models.PutObjectResult(resp)

    def upload_part_copy(self, source_bucket_name: str, source_key: Key, byte_range: ByteRange, target_key: Key,
                         target_upload_id: str, target_part_number: int, headers: Headers = None,
                         params: Params = None) -> models.PutObjectResult:
        """Fill part `target_part_number` of `target_upload_id` with `byte_range` of another object,
        copied on the server (UploadPartCopy), as oss2. Returns a PutObjectResult with the part's ETag.
        """
        headers = utils.CaseInsensitiveDict(headers)
        source = "/" + source_bucket_name + "/" + utils.urlquote(to_string(source_key), "")
        if params and Bucket.VERSIONID in params:
            source += "?versionId=" + params[Bucket.VERSIONID]
        headers["x-oss-copy-source"] = source
        range_string = _wire.range_string(byte_range)
        if range_string:
            headers["x-oss-copy-source-range"] = range_string
        query = {} if params is None else params
        query["uploadId"] = target_upload_id
        query["partNumber"] = str(target_part_number)
        return models.PutObjectResult(self._object("PUT", target_key, params=query, headers=headers))

    def complete_multipart_upload(self, key: Key, upload_id: str, parts: Optional[List[models.PartInfo]],
                                  headers: Headers = None) -> models.PutObjectResult:
        """Complete the upload `upload_id` from `parts` (PartInfo: part_number and etag; sorted here),
        as oss2; `parts=None` with the header x-oss-complete-all: yes completes every uploaded part.
        With enable_crc and the parts' `part_crc` known, the object's CRC64 is checked against them.
        Not retried. Returns a PutObjectResult. Raises NoSuchUpload, InconsistentError, ServerError
        (InvalidPart, InvalidPartOrder).
        """
        args = {"bucket": self.bucket_name, "key": to_string(key), "upload_id": upload_id,
                "headers": _wire.headers(headers), "parts": None}
        if parts is not None:
            parts = sorted(parts, key=lambda p: p.part_number)
            args["parts"] = [{"part_number": p.part_number, "etag": p.etag} for p in parts]
        result = self._call(_ops.COMPLETE_MULTIPART, args)
        resp = Response.from_result(result)
        out = models.PutObjectResult(resp)
        if self.enable_crc and parts is not None:
            utils.check_crc("multipart upload", utils.calc_obj_crc_from_parts(parts), out.crc, out.request_id)
        return out

    def abort_multipart_upload(self, key: Key, upload_id: str, headers: Headers = None) -> models.RequestResult:
        """Abort the upload `upload_id` of `key` and delete its parts, as oss2. Raises NoSuchUpload."""
        return models.RequestResult(self._object("DELETE", key, params={"uploadId": upload_id}, headers=headers))

    def list_parts(self, key: Key, upload_id: str, marker: str = "", max_parts: int = 1000,
                   headers: Headers = None) -> models.ListPartsResult:
        """One page of the parts uploaded so far to `upload_id`, as oss2: ListPartsResult with `parts`
        (PartInfo), `is_truncated`, `next_marker`. PartIterator walks every page.
        """
        resp = self._object("GET", key, params={"uploadId": upload_id, "part-number-marker": marker,
                                                "max-parts": str(max_parts)},
                            headers=headers, parse="list_parts")
        return models.ListPartsResult(resp)

    def list_multipart_uploads(self, prefix: str = "", delimiter: str = "", key_marker: str = "",
                               upload_id_marker: str = "", max_uploads: int = 1000,
                               headers: Headers = None) -> models.ListMultipartUploadsResult:
        """One page of the bucket's unfinished multipart uploads, as oss2: ListMultipartUploadsResult
        with `upload_list` (MultipartUploadInfo), `prefix_list`, `next_key_marker`,
        `next_upload_id_marker`. MultipartUploadIterator walks every page.
        """
        resp = self._bucket("GET", params={
            "uploads": "", "prefix": prefix, "delimiter": delimiter, "key-marker": key_marker,
            "upload-id-marker": upload_id_marker, "max-uploads": str(max_uploads), "encoding-type": "url",
        }, headers=headers, parse="list_multipart_uploads")
        return models.ListMultipartUploadsResult(resp)

    # --- bucket ------------------------------------------------------------------------------------

    def create_bucket(self, permission: Optional[str] = None, input: Any = None,
                      headers: Headers = None) -> models.RequestResult:
        """Create this bucket, as oss2: `permission` is an ACL (BUCKET_ACL_PRIVATE, ...), `input` a
        BucketCreateConfig (storage class, redundancy) or its XML. Raises BucketAlreadyExists and other
        ServerErrors.
        """
        headers = utils.CaseInsensitiveDict(headers)
        if permission:
            headers["x-oss-acl"] = permission
        data = self._document(models.BucketCreateConfig, xml_utils.to_put_bucket_config, input)
        return models.RequestResult(self._bucket("PUT", headers=headers, data=data))

    def delete_bucket(self) -> models.RequestResult:
        """Delete this bucket, as oss2. Raises BucketNotEmpty, NoSuchBucket and other ServerErrors."""
        logger.info("Start to delete bucket, bucket: {0}".format(self.bucket_name))
        return models.RequestResult(self._bucket("DELETE"))

    def get_bucket_info(self) -> models.GetBucketInfoResult:
        """The bucket's information (GET ?bucketInfo), as oss2: name, location, creation date,
        endpoints, storage class, owner, ACL, versioning, encryption rule, ...
        """
        return models.GetBucketInfoResult(self._bucket("GET", params={Bucket.BUCKET_INFO: ""},
                                                       parse="get_bucket_info"))

    # --- settings: shared helpers ------------------------------------------------------------------
    # Query names as oss2.Bucket has them. Request documents come from pyjindo.xml_utils (oss2's
    # bytes); response documents are decoded by go/oss (parse= names the document kind) and
    # shaped by models.

    CORS = "cors"
    LIFECYCLE = "lifecycle"
    LOCATION = "location"
    LOGGING = "logging"
    REFERER = "referer"
    WEBSITE = "website"
    SYMLINK = "symlink"
    STAT = "stat"
    TAGGING = "tagging"
    ENCRYPTION = "encryption"
    VERSIONING = "versioning"
    RESTORE = "restore"
    POLICY = "policy"
    REQUESTPAYMENT = "requestPayment"

    def _settings_object(self, method, key, **kwargs):
        """A request on an object's sub-resource; oss2 refuses an empty key before sending."""
        if not key:
            raise ClientError("key should not be null or empty.")
        return self._object(method, key, **kwargs)

    @staticmethod
    def _document(klass, converter, data):
        """oss2's __convert_data: a model object becomes its XML; anything else is sent as is."""
        return converter(data) if isinstance(data, klass) else data

    @staticmethod
    def _with_subresource(params, name):
        if params is None:
            params = dict()
        if name not in params:
            params[name] = ""
        return params

    # --- object and bucket ACL ---------------------------------------------------------------------

    def put_object_acl(self, key: Key, permission: str, params: Params = None,
                       headers: Headers = None) -> models.RequestResult:
        """Set the object's ACL (OBJECT_ACL_DEFAULT, OBJECT_ACL_PRIVATE, ...), as oss2. Raises
        ClientError for an empty key.
        """
        headers = utils.CaseInsensitiveDict(headers)
        headers["x-oss-object-acl"] = permission
        params = self._with_subresource(params, Bucket.ACL)
        return models.RequestResult(self._settings_object("PUT", key, params=params, headers=headers))

    def get_object_acl(self, key: Key, params: Params = None, headers: Headers = None) -> models.GetObjectAclResult:
        """The object's ACL, as oss2: GetObjectAclResult with `acl`."""
        headers = utils.CaseInsensitiveDict(headers)
        params = self._with_subresource(params, Bucket.ACL)
        return models.GetObjectAclResult(self._settings_object("GET", key, params=params, headers=headers,
                                                               parse="get_object_acl"))

    def put_bucket_acl(self, permission: str) -> models.RequestResult:
        """Set the bucket's ACL (BUCKET_ACL_PRIVATE, BUCKET_ACL_PUBLIC_READ, ...), as oss2."""
        return models.RequestResult(self._bucket("PUT", headers={"x-oss-acl": permission}, params={Bucket.ACL: ""}))

    def get_bucket_acl(self) -> models.GetBucketAclResult:
        """The bucket's ACL, as oss2: GetBucketAclResult with `acl`."""
        return models.GetBucketAclResult(self._bucket("GET", params={Bucket.ACL: ""}, parse="get_bucket_acl"))

    # --- object and bucket tagging -----------------------------------------------------------------

    def put_object_tagging(self, key: Key, tagging: Any, headers: Headers = None,
                           params: Params = None) -> models.RequestResult:
        """Set the object's tags from a Tagging (or its XML), as oss2; replaces the existing tags."""
        if headers is not None:
            headers = utils.CaseInsensitiveDict(headers)
        if params is None:
            params = dict()
        params[Bucket.TAGGING] = ""
        data = self._document(models.Tagging, xml_utils.to_put_tagging, tagging)
        return models.RequestResult(self._settings_object("PUT", key, data=data, params=params, headers=headers))

    def get_object_tagging(self, key: Key, params: Params = None, headers: Headers = None) -> models.GetTaggingResult:
        """The object's tags, as oss2: GetTaggingResult with `tag_set` (a TaggingRule)."""
        headers = utils.CaseInsensitiveDict(headers)
        if params is None:
            params = dict()
        params[Bucket.TAGGING] = ""
        return models.GetTaggingResult(self._settings_object("GET", key, params=params, headers=headers,
                                                             parse="get_tagging"))

    def delete_object_tagging(self, key: Key, params: Params = None, headers: Headers = None) -> models.RequestResult:
        """Delete the object's tags, as oss2."""
        headers = utils.CaseInsensitiveDict(headers)
        if params is None:
            params = dict()
        params[Bucket.TAGGING] = ""
        return models.RequestResult(self._settings_object("DELETE", key, params=params, headers=headers))

    def put_bucket_tagging(self, tagging: Any, headers: Headers = None) -> models.RequestResult:
        """Set the bucket's tags from a Tagging (or its XML), as oss2."""
        headers = utils.CaseInsensitiveDict(headers)
        data = self._document(models.Tagging, xml_utils.to_put_tagging, tagging)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.TAGGING: ""}, headers=headers))

    def get_bucket_tagging(self) -> models.GetTaggingResult:
        """The bucket's tags, as oss2: GetTaggingResult with `tag_set`."""
        return models.GetTaggingResult(self._bucket("GET", params={Bucket.TAGGING: ""}, parse="get_tagging"))

    def delete_bucket_tagging(self, params: Params = None) -> models.RequestResult:
        """Delete the bucket's tags, as oss2."""
        params = self._with_subresource(params, Bucket.TAGGING)
        return models.RequestResult(self._bucket("DELETE", params=params))

    # --- symlinks ----------------------------------------------------------------------------------

    def put_symlink(self, target_key: Key, symlink_key: Key, headers: Headers = None) -> models.RequestResult:
        """Create the symlink `symlink_key` pointing at `target_key`, as oss2."""
        headers = utils.CaseInsensitiveDict(headers)
        headers["x-oss-symlink-target"] = utils.urlquote(target_key, "")
        return models.RequestResult(self._settings_object("PUT", symlink_key, headers=headers,
                                                          params={Bucket.SYMLINK: ""}))

    def get_symlink(self, symlink_key: Key, params: Params = None,
                    headers: Headers = None) -> models.GetSymlinkResult:
        """The target of the symlink `symlink_key`, as oss2: GetSymlinkResult with `target_key`."""
        headers = utils.CaseInsensitiveDict(headers)
        params = self._with_subresource(params, Bucket.SYMLINK)
        return models.GetSymlinkResult(self._settings_object("GET", symlink_key, params=params, headers=headers))

    # --- archive restore ---------------------------------------------------------------------------

    def restore_object(self, key: Key, params: Params = None, headers: Headers = None,
                       input: Any = None) -> models.RequestResult:
        """Restore an Archive or Cold Archive object for reading, as oss2; `input` is a
        RestoreConfiguration (days, job parameters) or its XML. Not retried (a POST). Raises
        RestoreAlreadyInProgress, OperationNotSupported and other ServerErrors.
        """
        headers = utils.CaseInsensitiveDict(headers)
        params = self._with_subresource(params, Bucket.RESTORE)
        data = self._document(models.RestoreConfiguration, xml_utils.to_put_restore_config, input)
        return models.RequestResult(self._settings_object("POST", key, params=params, headers=headers, data=data))

    # --- bucket settings ---------------------------------------------------------------------------

    def put_bucket_cors(self, input: Any) -> models.RequestResult:
        """Set the bucket's CORS rules from a BucketCors (or its XML), as oss2."""
        data = self._document(models.BucketCors, xml_utils.to_put_bucket_cors, input)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.CORS: ""}))

    def get_bucket_cors(self) -> models.GetBucketCorsResult:
        """The bucket's CORS rules, as oss2. Raises NoSuchCors when there are none."""
        return models.GetBucketCorsResult(self._bucket("GET", params={Bucket.CORS: ""}, parse="get_bucket_cors"))

    def delete_bucket_cors(self) -> models.RequestResult:
        """Delete the bucket's CORS rules, as oss2."""
        return models.RequestResult(self._bucket("DELETE", params={Bucket.CORS: ""}))

    def put_bucket_lifecycle(self, input: Any, headers: Headers = None) -> models.RequestResult:
        """Set the bucket's lifecycle rules from a BucketLifecycle (or its XML), as oss2."""
        headers = utils.CaseInsensitiveDict(headers)
        data = self._document(models.BucketLifecycle, xml_utils.to_put_bucket_lifecycle, input)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.LIFECYCLE: ""}, headers=headers))

    def get_bucket_lifecycle(self) -> models.GetBucketLifecycleResult:
        """The bucket's lifecycle rules, as oss2. Raises NoSuchLifecycle when there are none."""
        return models.GetBucketLifecycleResult(self._bucket("GET", params={Bucket.LIFECYCLE: ""},
                                                             parse="get_bucket_lifecycle"))

    def delete_bucket_lifecycle(self) -> models.RequestResult:
        """Delete the bucket's lifecycle rules, as oss2."""
        return models.RequestResult(self._bucket("DELETE", params={Bucket.LIFECYCLE: ""}))

    def get_bucket_location(self) -> models.GetBucketLocationResult:
        """The bucket's region, as oss2: GetBucketLocationResult with `location` ("oss-cn-hangzhou")."""
        return models.GetBucketLocationResult(self._bucket("GET", params={Bucket.LOCATION: ""},
                                                           parse="get_bucket_location"))

    def put_bucket_logging(self, input: Any) -> models.RequestResult:
        """Set where the bucket's access logs go from a BucketLogging (or its XML), as oss2."""
        data = self._document(models.BucketLogging, xml_utils.to_put_bucket_logging, input)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.LOGGING: ""}))

    def get_bucket_logging(self) -> models.GetBucketLoggingResult:
        """The bucket's access-log settings, as oss2: `target_bucket`, `target_prefix`."""
        return models.GetBucketLoggingResult(self._bucket("GET", params={Bucket.LOGGING: ""},
                                                           parse="get_bucket_logging"))

    def delete_bucket_logging(self) -> models.RequestResult:
        """Turn the bucket's access logging off, as oss2."""
        return models.RequestResult(self._bucket("DELETE", params={Bucket.LOGGING: ""}))

    def put_bucket_referer(self, input: Any) -> models.RequestResult:
        """Set the bucket's Referer allow and block lists from a BucketReferer (or its XML), as oss2."""
        data = self._document(models.BucketReferer, xml_utils.to_put_bucket_referer, input)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.REFERER: ""}))

    def get_bucket_referer(self) -> models.GetBucketRefererResult:
        """The bucket's Referer settings, as oss2."""
        return models.GetBucketRefererResult(self._bucket("GET", params={Bucket.REFERER: ""},
                                                           parse="get_bucket_referer"))

    def get_bucket_stat(self) -> models.GetBucketStatResult:
        """The bucket's storage use, as oss2: `storage_size_in_bytes`, `object_count`, ..."""
        return models.GetBucketStatResult(self._bucket("GET", params={Bucket.STAT: ""}, parse="get_bucket_stat"))

    def put_bucket_website(self, input: Any) -> models.RequestResult:
        """Set the bucket's static website settings from a BucketWebsite (or its XML), as oss2."""
        data = self._document(models.BucketWebsite, xml_utils.to_put_bucket_website, input)
        headers = utils.CaseInsensitiveDict()
        headers["Content-MD5"] = utils.content_md5(data)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.WEBSITE: ""}, headers=headers))

    def get_bucket_website(self) -> models.GetBucketWebsiteResult:
        """The bucket's static website settings, as oss2. Raises NoSuchWebsite when there are none."""
        return models.GetBucketWebsiteResult(self._bucket("GET", params={Bucket.WEBSITE: ""},
                                                           parse="get_bucket_website"))

    def delete_bucket_website(self) -> models.RequestResult:
        """Delete the bucket's static website settings, as oss2."""
        return models.RequestResult(self._bucket("DELETE", params={Bucket.WEBSITE: ""}))

    def put_bucket_encryption(self, rule: Any) -> models.RequestResult:
        """Set the bucket's default server-side encryption from a ServerSideEncryptionRule, as oss2."""
        data = self._document(models.ServerSideEncryptionRule, xml_utils.to_put_bucket_encryption, rule)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.ENCRYPTION: ""}))

    def get_bucket_encryption(self) -> models.GetServerSideEncryptionResult:
        """The bucket's default server-side encryption, as oss2. Raises
        NoSuchServerSideEncryptionRule when there is none.
        """
        return models.GetServerSideEncryptionResult(self._bucket("GET", params={Bucket.ENCRYPTION: ""},
                                                                 parse="get_bucket_encryption"))

    def delete_bucket_encryption(self) -> models.RequestResult:
        """Delete the bucket's default encryption, as oss2."""
        return models.RequestResult(self._bucket("DELETE", params={Bucket.ENCRYPTION: ""}))

    def put_bucket_versioning(self, config: Any, headers: Headers = None) -> models.RequestResult:
        """Enable or suspend versioning from a BucketVersioningConfig (or its XML), as oss2. Versions
        are read with `params={"versionId": ...}` and listed by list_object_versions.
        """
        data = self._document(models.BucketVersioningConfig, xml_utils.to_put_bucket_versioning, config)
        headers = utils.CaseInsensitiveDict(headers)
        headers["Content-MD5"] = utils.content_md5(data)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.VERSIONING: ""}, headers=headers))

    def get_bucket_versioning(self) -> models.GetBucketVersioningResult:
        """The bucket's versioning status, as oss2: `status` ("Enabled", "Suspended" or None)."""
        return models.GetBucketVersioningResult(self._bucket("GET", params={Bucket.VERSIONING: ""},
                                                              parse="get_bucket_versioning"))

    # --- object versions (results in pyjindo.models.versions) ---------------------------------------------

    def list_object_versions(self, prefix: str = "", delimiter: str = "", key_marker: str = "", max_keys: int = 100,
                             versionid_marker: str = "", headers: Headers = None) -> models.ListObjectVersionsResult:
        """One page of the bucket's object versions and delete markers (ListObjectVersions), as oss2.

        Entries are ordered by key, each key's newest first; a page ends after `max_keys` entries
        (versions, delete markers and common prefixes together). To continue, pass the result's
        `next_key_marker` and `next_versionid_marker` as `key_marker` and `versionid_marker`.

        Args:
            prefix: only keys that start with it.
            delimiter: groups keys by their part up to the delimiter into `common_prefix`.
            key_marker, versionid_marker: list after this key (and this version of it).
            max_keys: entries on the page (at most 1000).
            headers: request headers.
        Returns:
            ListObjectVersionsResult: `versions` (ObjectVersionInfo), `delete_marker`
            (DeleteMarkerInfo), `common_prefix`, `is_truncated`, `next_key_marker`,
            `next_versionid_marker`, ...
        Raises:
            NoSuchBucket, AccessDenied and other ServerErrors; RequestError.
        """
        resp = self._bucket("GET", params={"prefix": prefix, "delimiter": delimiter, "key-marker": key_marker,
                                           "version-id-marker": versionid_marker, "max-keys": str(max_keys),
                                           "encoding-type": "url", "versions": ""},
                            headers=utils.CaseInsensitiveDict(headers), parse="list_object_versions")
        return models.ListObjectVersionsResult(resp)

    def delete_object_versions(self, keylist_versions: models.BatchDeleteObjectVersionList,
                               headers: Headers = None) -> models.BatchDeleteObjectsResult:
        """Delete the versions of a BatchDeleteObjectVersionList (at most 1000) in one
        DeleteMultipleObjects request, as oss2: an entry with a `versionid` deletes that version
        (or delete marker) for good, one without deletes the key's latest version (on a versioned
        bucket, by adding a delete marker). Not retried (a POST).

        Returns a BatchDeleteObjectsResult: `deleted_keys`, and `delete_versions`
        (BatchDeleteObjectVersionResult: key, versionid, delete_marker, delete_marker_versionid).
        Raises ClientError for an empty list (oss2 sends an empty document and the server refuses
        it), ServerErrors otherwise.
        """
        entries = list(getattr(keylist_versions, "object_version_list", None) or ())
        if not keylist_versions or not entries:
            raise ClientError("keylist_versions should not be empty")
        result = self._call(_ops.BATCH_DELETE, {
            "bucket": self.bucket_name, "keys": [to_string(v.key) for v in entries],
            "version_ids": [to_string(v.versionid or "") for v in entries], "headers": _wire.headers(headers),
        })
        return models.BatchDeleteObjectsResult(Response.from_result(result))

    def put_bucket_policy(self, policy: Union[str, bytes]) -> models.RequestResult:
        """Set the bucket's policy (a JSON document, str or bytes), as oss2."""
        return models.RequestResult(self._bucket("PUT", data=policy, params={Bucket.POLICY: ""},
                                                 headers={"Content-MD5": utils.content_md5(policy)}))

    def get_bucket_policy(self) -> models.GetBucketPolicyResult:
        """The bucket's policy, as oss2: `policy` (the JSON text). Raises NoSuchBucketPolicy."""
        # the policy is JSON: passed through raw (no parse kind) and read by the result
        return models.GetBucketPolicyResult(self._bucket("GET", params={Bucket.POLICY: ""}))

    def delete_bucket_policy(self) -> models.RequestResult:
        """Delete the bucket's policy, as oss2."""
        return models.RequestResult(self._bucket("DELETE", params={Bucket.POLICY: ""}))

    def put_bucket_request_payment(self, payer: str) -> models.RequestResult:
        """Set who pays for requests ("BucketOwner" or "Requester"), as oss2."""
        data = xml_utils.to_put_bucket_request_payment(payer)
        return models.RequestResult(self._bucket("PUT", data=data, params={Bucket.REQUESTPAYMENT: ""},
                                                 headers={"Content-MD5": utils.content_md5(data)}))

    def get_bucket_request_payment(self) -> models.GetBucketRequestPaymentResult:
        """Who pays for requests, as oss2: `payer`."""
        return models.GetBucketRequestPaymentResult(self._bucket("GET", params={Bucket.REQUESTPAYMENT: ""},
                                                                 parse="get_bucket_request_payment"))


# object_exists's parameters (only read)
_OBJECTMETA = types.MappingProxyType({Bucket.OBJECTMETA: ""})


def _exists(resp):
    """object_exists's answer when GetObjectMeta answered."""
    return True


def _absent(e):
    """object_exists's answer to a ServerError, as oss2's: False for a missing key (NoSuchKey,
    or NotFound: a HEAD's 404 without a code), the error raised again otherwise (NoSuchBucket)."""
    if isinstance(e, (exceptions.NoSuchKey, exceptions.NotFound)) and not isinstance(e, exceptions.NoSuchBucket):
        return False
    raise e


# oss2's operations pyjindo does not implement: methods that raise UnsupportedOperation.
_unsupported.install(Bucket, _unsupported.BUCKET)
_unsupported.install(Service, _unsupported.SERVICE)
