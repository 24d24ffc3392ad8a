"""oss2's resumable_upload and resumable_download, with their signatures and checkpoint records.

The records are oss2's: the same store directory (`~/.py-oss-upload`, `~/.py-oss-download`, or
a store's `root`/`dir`), the same record key (make_store_key: MD5 of `oss://bucket/key` and of
the normalised absolute file name), the same JSON fields and the same validation, so a job
interrupted under oss2 resumes under pyjindo and the reverse. An upload resumes its upload id and
asks OSS (ListParts) which parts it already holds; a download resumes its temporary file
(`filename` + the record's `tmp_suffix`) from the parts its record lists. A record whose file
(upload) or object (download) changed is discarded, as in oss2; pyjindo also aborts the upload
such a record named (oss2 leaves it to expire). Every part is one Bucket call, so the bytes move
in Go; `num_threads` parts are in flight.

Below the thresholds there is no record, as in oss2: one PutObject, or a plain download.
"""
from __future__ import annotations

import json
import logging
import os
import random
import string
import threading
from typing import Any, Callable, Dict, Iterable, List, Optional

from . import defaults, exceptions, headers as oss_headers, http, iterators, models, utils
from .compat import to_string
from ._types import Headers, Key, Params, ProgressCallback

logger = logging.getLogger("oss2.resumable")

_MAX_MULTIGET_PART_COUNT = 100000
_UPLOAD_TEMP_DIR = ".py-oss-upload"
_DOWNLOAD_TEMP_DIR = ".py-oss-download"

# The headers oss2's resumable functions pass on to each kind of request.
_DOWNLOAD_HEADERS = (oss_headers.OSS_REQUEST_PAYER, oss_headers.OSS_TRAFFIC_LIMIT)
_PART_HEADERS = (oss_headers.OSS_REQUEST_PAYER, oss_headers.OSS_TRAFFIC_LIMIT)
_COMPLETE_HEADERS = (oss_headers.OSS_REQUEST_PAYER, oss_headers.OSS_OBJECT_ACL)
_NOT_LIST_HEADERS = (oss_headers.OSS_SERVER_SIDE_ENCRYPTION, oss_headers.OSS_SERVER_SIDE_DATA_ENCRYPTION)


def determine_part_size(total_size: int, preferred_size: Optional[int] = None) -> int:
    """The part size oss2 would choose: preferred (default defaults.part_size), or the whole size
    when smaller, doubled until it is at least defaults.min_part_size and fits in
    defaults.max_part_count parts."""
    if not preferred_size:
        preferred_size = defaults.part_size
    return _determine_part_size_internal(total_size, preferred_size, defaults.max_part_count)


def _determine_part_size_internal(total_size, preferred_size, max_count):
    if total_size < preferred_size:
        return total_size
    while preferred_size * max_count < total_size or preferred_size < defaults.min_part_size:
        preferred_size *= 2
    return preferred_size


# --- stores: oss2's ResumableStore and ResumableDownloadStore, file for file -----------------------

class _ResumableStoreBase(object):
    """Records as JSON files named by their key under `dir` (created when missing), as oss2."""

    def __init__(self, root: str, dir: str) -> None:
        self.dir = os.path.join(root, dir)
        if not os.path.isdir(self.dir):
            utils.makedir_p(self.dir)

    def get(self, key: str) -> Optional[Dict[str, Any]]:
        """The record, or None when there is none; an unreadable record is removed (as oss2)."""
        pathname = self._path(key)
        if not os.path.exists(pathname):
            return None
        try:
            with open(pathname, "r") as f:
                return json.load(f)
        except ValueError:
            os.remove(pathname)
            return None

    def put(self, key: str, value: Dict[str, Any]) -> None:
        with open(self._path(key), "w") as f:
            json.dump(value, f)

    def delete(self, key: str) -> None:
        os.remove(self._path(key))

    def _path(self, key):
        return os.path.join(self.dir, key)


def _normalize_path(path):
    return os.path.normpath(os.path.normcase(path))


class ResumableStore(_ResumableStoreBase):
    """Upload records, one JSON file each under `root/dir` (default `~/.py-oss-upload`), as oss2."""

    def __init__(self, root: Optional[str] = None, dir: Optional[str] = None) -> None:
        super().__init__(root or os.path.expanduser("~"), dir or _UPLOAD_TEMP_DIR)

    @staticmethod
    def make_store_key(bucket_name: str, key: str, filename: str) -> str:
        oss_pathname = "oss://{0}/{1}".format(bucket_name, key)
        return utils.md5_string(oss_pathname) + "--" + utils.md5_string(_normalize_path(filename))


class ResumableDownloadStore(_ResumableStoreBase):
    """Download records, one JSON file each under `root/dir` (default `~/.py-oss-download`), as oss2."""

    def __init__(self, root: Optional[str] = None, dir: Optional[str] = None) -> None:
        super().__init__(root or os.path.expanduser("~"), dir or _DOWNLOAD_TEMP_DIR)

    @staticmethod
    def make_store_key(bucket_name: str, key: str, filename: str, version_id: Optional[str] = None) -> str:
        if version_id is None:
            oss_pathname = "oss://{0}/{1}".format(bucket_name, key)
        else:
            oss_pathname = "oss://{0}/{1}?versionid={2}".format(bucket_name, key, version_id)
        return utils.md5_string(oss_pathname) + "--" + utils.md5_string(_normalize_path(filename))


def make_upload_store(root: Optional[str] = None, dir: Optional[str] = None) -> ResumableStore:
    return ResumableStore(root=root, dir=dir)


def make_download_store(root: Optional[str] = None, dir: Optional[str] = None) -> ResumableDownloadStore:
    return ResumableDownloadStore(root=root, dir=dir)


# --- the two functions -----------------------------------------------------------------------------

def resumable_upload(bucket: Any, key: Key, filename: Key, store: Optional[ResumableStore] = None,
                     headers: Headers = None, multipart_threshold: Optional[int] = None,
                     part_size: Optional[int] = None, progress_callback: ProgressCallback = None,
                     num_threads: Optional[int] = None, params: Params = None) -> Any:
    """Upload a file, resuming an interrupted upload of it; returns a PutObjectResult as oss2 does.

    As oss2: a file of at least multipart_threshold bytes (default defaults.multipart_threshold)
    goes up as a multipart upload with parts of determine_part_size(size, part_size), recorded in
    `store` (default ResumableStore()) so that a later call for the same bucket, key and file
    sends only the parts OSS does not hold yet (a resumed upload keeps its recorded part size);
    the record is removed on success. A smaller file is a single PutObject, with no record.
    Headers: all go to the initiation (or the PutObject), x-oss-request-payer and
    x-oss-traffic-limit to each part, x-oss-request-payer and x-oss-object-acl to the completion.
    `params`: only `sequential` is passed on, to the initiation.

    Differs from oss2: without num_threads, the Bucket's `concurrency` parts are in flight (oss2:
    defaults.multipart_num_threads, 1); a failing part stops the others from starting (oss2 goes
    on with them); a record whose file changed also has its upload aborted.
    """
    size = os.path.getsize(to_string(filename))
    threshold = defaults.get(multipart_threshold, defaults.multipart_threshold)
    if size >= threshold:
        uploader = _ResumableUploader(bucket, key, filename, size, store or ResumableStore(), headers=headers,
                                      part_size=part_size, progress_callback=progress_callback,
                                      num_threads=num_threads or getattr(bucket, "concurrency", None), params=params)
        return uploader.upload()
    with open(to_string(filename), "rb") as f:
        # one PUT whatever the Bucket's own multipart threshold, as oss2's put_object
        return bucket._put_object(key, f, headers, progress_callback, {"multipart_threshold": -1})


def resumable_download(bucket: Any, key: Key, filename: Key, multiget_threshold: Optional[int] = None,
                       part_size: Optional[int] = None, progress_callback: ProgressCallback = None,
                       num_threads: Optional[int] = None, store: Optional[ResumableDownloadStore] = None,
                       params: Params = None, headers: Headers = None) -> None:
    """Download an object to a file, resuming an interrupted download of it.

    As oss2: after a HEAD, an object of at least multiget_threshold bytes (default
    defaults.multiget_threshold) is fetched in ranges of part_size (default
    defaults.multiget_part_size, grown as oss2 grows it) on num_threads threads (default
    defaults.multiget_num_threads) into `filename` + a `.tmp-` suffix, each range pinned to the
    object's ETag and Last-Modified and recorded in `store` (default ResumableDownloadStore())
    when written; a later call resumes the temporary file, unless the object's size, ETag or
    mtime changed. The whole file's CRC64 is checked (enable_crc), then it is renamed to
    `filename` and the record removed. A smaller object is one download with no record. Headers:
    only x-oss-request-payer and x-oss-traffic-limit are passed on; `params` (versionId) to every
    request.

    Differs from oss2: below the threshold, without multiget_threshold or part_size given, the
    object comes through pyjindo's parallel get_object_to_file.
    """
    valid_headers = _populate_valid_headers(headers, _DOWNLOAD_HEADERS)
    threshold = defaults.get(multiget_threshold, defaults.multiget_threshold)
    head = bucket.head_object(key, params=params, headers=valid_headers)
    size = head.content_length
    if size >= threshold:
        downloader = _ResumableDownloader(bucket, key, filename, head, store or ResumableDownloadStore(),
                                          part_size=part_size, progress_callback=progress_callback,
                                          num_threads=num_threads, params=params, headers=valid_headers)
        downloader.download(head.server_crc)
    elif multiget_threshold is None and part_size is None:
        bucket._get_object_to_file(key, filename, progress_callback=progress_callback, params=params,
                                   headers=valid_headers)
    else:  # one GET, as oss2's get_object_to_file
        bucket._get_object_to_file(key, filename, headers=valid_headers, progress_callback=progress_callback,
                                   params=params, part_size=max(size, 1))


# --- shared machinery ---------------------------------------------------------------------------------

def _populate_valid_headers(headers, valid_keys):
    """Only valid_keys of headers, or None when none is there (as oss2)."""
    if headers is None:
        return None
    headers = http.CaseInsensitiveDict(headers)
    valid = http.CaseInsensitiveDict({k: headers[k] for k in valid_keys if headers.get(k) is not None})
    return valid or None


def _filter_invalid_headers(headers, invalid_keys):
    """headers without invalid_keys, or None when nothing is left (as oss2)."""
    if headers is None:
        return None
    valid = http.CaseInsensitiveDict(headers)
    for k in invalid_keys:
        valid.pop(k, None)
    return valid or None


class _PartToProcess(object):
    """A part by number and byte range [start, end); equal when those are (oss2's identity)."""

    def __init__(self, part_number, start, end, part_crc=None):
        self.part_number = part_number
        self.start = start
        self.end = end
        self.part_crc = part_crc

    @property
    def size(self):
        return self.end - self.start

    def _key(self):
        return self.part_number, self.start, self.end

    def __hash__(self):
        return hash(self._key())

    def __eq__(self, other):
        return self._key() == other._key()


def _split_to_parts(total_size, part_size):
    count = utils.how_many(total_size, part_size)
    return [_PartToProcess(i + 1, i * part_size, total_size if i == count - 1 else (i + 1) * part_size)
            for i in range(count)]


def _run_parts(parts: Iterable[_PartToProcess], work: Callable[[_PartToProcess], None], num_threads: int) -> None:
    """work(part) for every part, num_threads at a time; the calling thread is one of them, so
    Ctrl-C cancels its Go call at once. The first failure stops parts from starting; the parts in
    flight finish (and are recorded), then it is raised."""
    pending = iter(list(parts))
    lock = threading.Lock()
    failures = []  # type: List[BaseException]
    stop = threading.Event()

    def worker():
        while not stop.is_set():
            with lock:
                part = next(pending, None)
            if part is None:
                return
            try:
                work(part)
            except BaseException as e:  # KeyboardInterrupt too: stop handing out parts
                with lock:
                    failures.append(e)
                stop.set()
                return

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(int(num_threads), 1) - 1)]
    for t in threads:
        t.start()
    try:
        worker()
    except BaseException:
        stop.set()  # interrupted outside a part: let the parts in flight end, start no more
        raise
    finally:
        for t in threads:
            t.join()
    if failures:
        raise failures[0]


class _ResumableOperation(object):
    def __init__(self, bucket, key, filename, size, store, progress_callback, versionid=None):
        self.bucket = bucket
        self.key = to_string(key)
        self.filename = to_string(filename)
        self.size = size
        self._abspath = os.path.abspath(self.filename)
        self._store = store
        if versionid is None:
            self._record_key = store.make_store_key(bucket.bucket_name, self.key, self._abspath)
        else:
            self._record_key = store.make_store_key(bucket.bucket_name, self.key, self._abspath, versionid)
        self._lock = threading.Lock()  # the finished parts, their size, the record, progress calls
        self._finished_size = 0
        self._progress_callback = progress_callback

    def _del_record(self):
        self._store.delete(self._record_key)

    def _put_record(self, record):
        self._store.put(self._record_key, record)

    def _get_record(self):
        return self._store.get(self._record_key)

    def _report_progress(self, consumed=None):
        """(finished bytes, size), or consumed; as oss2: before each part and at the end."""
        if self._progress_callback:
            with self._lock:
                self._progress_callback(self._finished_size if consumed is None else consumed, self.size)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


class _ResumableUploader(_ResumableOperation):
    """oss2's _ResumableUploader. Its record (written once, when the upload is initiated):
    {op_type: "ResumableUpload", upload_id, file_path (absolute), size, mtime (os.path.getmtime,
    a float), bucket, key, part_size}. The parts done are asked of OSS, not recorded."""

    OP = "ResumableUpload"

    def __init__(self, bucket, key, filename, size, store, headers=None, part_size=None, progress_callback=None,
                 num_threads=None, params=None):
        super().__init__(bucket, key, filename, size, store, progress_callback)
        self._headers = headers
        self._part_size = defaults.get(part_size, defaults.part_size)
        self._mtime = os.path.getmtime(self.filename)
        self._num_threads = defaults.get(num_threads, defaults.multipart_num_threads)
        self._params = params
        self._upload_id = None
        self._finished_parts = []  # type: List[models.PartInfo]
        # a CryptoBucket's upload: its MultipartUploadCryptoContext, kept in the record as oss2 does
        self._crypto = getattr(bucket, "crypto_provider", None) is not None
        self._upload_context = None

    def upload(self):
        self._load_record()
        parts = _split_to_parts(self.size, self._part_size)
        done = {p.part_number for p in self._finished_parts}
        todo = [p for p in parts if p.part_number not in done]
        logger.debug("Resumable upload of %s: %d of %d parts to send", self.key, len(todo), len(parts))
        fd = os.open(self.filename, os.O_RDONLY)
        try:
            _run_parts(todo, lambda part: self._upload_part(fd, part), self._num_threads)
        finally:
            os.close(fd)
        self._report_progress(self.size)
        result = self.bucket.complete_multipart_upload(self.key, self._upload_id, self._finished_parts,
                                                       headers=_populate_valid_headers(self._headers, _COMPLETE_HEADERS))
        self._del_record()
        return result

    def _upload_part(self, fd, part):
        self._report_progress()
        data = os.pread(fd, part.size, part.start)
        crypto = {"upload_context": self._upload_context} if self._crypto else {}
        result = self.bucket.upload_part(self.key, self._upload_id, part.part_number, data,
                                         headers=_populate_valid_headers(self._headers, _PART_HEADERS), **crypto)
        with self._lock:
            self._finished_parts.append(models.PartInfo(part.part_number, result.etag, size=part.size,
                                                        part_crc=result.crc))
            self._finished_size += part.size

    def _load_record(self):
        record = self._get_record()
        if record and not self._is_record_sane(record):
            logger.warning("The content of record is invalid, delete the record")
            self._del_record()
            record = None
        if record and (record["mtime"] != self._mtime or record["size"] != self.size):
            logger.warning("File: %s has been changed, delete the record and abort its upload", self.filename)
            self._del_record()
            self._abort_quietly(record["upload_id"])
            record = None
        if record and not self._upload_exists(record["upload_id"]):
            logger.warning("Multipart upload: %s does not exist, delete the record", record["upload_id"])
            self._del_record()
            record = None
        if not record:
            part_size = determine_part_size(self.size, self._part_size)
            params = {"sequential": self._params["sequential"]} \
                if self._params and self._params.get("sequential") is not None else None
            if self._crypto:
                context = models.MultipartUploadCryptoContext(self.size, part_size)
                upload_id = self.bucket.init_multipart_upload(self.key, self._headers, params, context).upload_id
            else:
                upload_id = self.bucket.init_multipart_upload(self.key, self._headers, params).upload_id
            record = {"op_type": self.OP, "upload_id": upload_id, "file_path": self._abspath, "size": self.size,
                      "mtime": self._mtime, "bucket": self.bucket.bucket_name, "key": self.key,
                      "part_size": part_size}
            if self._crypto:
                m = context.content_crypto_material
                record["content_crypto_material"] = {
                    "wrap_alg": m.wrap_alg, "cek_alg": m.cek_alg, "mat_desc": m.mat_desc,
                    "encrypted_key": utils.b64encode_as_string(m.encrypted_key),
                    "encrypted_iv": utils.b64encode_as_string(m.encrypted_iv)}
            self._put_record(record)
        self._part_size = record["part_size"]
        self._upload_id = record["upload_id"]
        self._upload_context = self._recorded_context(record)
        self._finished_parts = self._stored_parts()
        self._finished_size = sum(p.size for p in self._finished_parts)

    def _recorded_context(self, record):
        """A CryptoBucket's upload context from the record (its material as oss2 records it);
        errors as oss2's when the record and the bucket disagree."""
        material = record.get("content_crypto_material")
        if not self._crypto:
            if material is not None:
                # oss2 means InvalidEncryptionRequest here but builds it wrongly (a TypeError)
                raise exceptions.ClientError(
                    "content_crypto_material must in the the record, but record_upload_context flat is false")
            return None
        if material is None:
            raise exceptions.InconsistentError(
                "If record_upload_context flag is true, content_crypto_material must in the the record", self)
        provider = self.bucket.crypto_provider
        if material["cek_alg"] != provider.cipher.alg or material["wrap_alg"] != provider.wrap_alg:
            raise exceptions.InconsistentError("Envelope or data encryption/decryption algorithm is inconsistent", self)
        m = models.ContentCryptoMaterial(provider.cipher, material["wrap_alg"],
                                         utils.b64decode_from_string(material["encrypted_key"]),
                                         utils.b64decode_from_string(material["encrypted_iv"]), material["mat_desc"])
        return models.MultipartUploadCryptoContext(self.size, self._part_size, m)

    def _stored_parts(self):
        """The parts OSS holds (ListParts, as oss2) that are the parts this upload would send:
        one of another size (or number) than the split gives is sent again, and left out of
        the completion (oss2 completes with whatever is listed)."""
        expected = {p.part_number: p.size for p in _split_to_parts(self.size, self._part_size)}
        headers = _filter_invalid_headers(self._headers, _NOT_LIST_HEADERS)
        return [p for p in iterators.PartIterator(self.bucket, self.key, self._upload_id, headers=headers)
                if expected.get(p.part_number) == p.size]

    def _upload_exists(self, upload_id):
        headers = _filter_invalid_headers(self._headers, _NOT_LIST_HEADERS)
        try:
            self.bucket.list_parts(self.key, upload_id, marker="0", max_parts=1, headers=headers)
        except exceptions.NoSuchUpload:
            return False
        return True

    def _abort_quietly(self, upload_id):
        """The discarded record's upload holds parts of the old file: abort it (not in oss2)."""
        try:
            self.bucket.abort_multipart_upload(self.key, upload_id)
        except exceptions.OssError as e:
            logger.info("Could not abort the upload %s of a changed file: %s", upload_id, e)

    def _is_record_sane(self, record):
        try:
            if record["op_type"] != self.OP:
                return False
            if not all(isinstance(record[k], str) for k in ("upload_id", "file_path", "bucket", "key")):
                return False
            if not all(_is_int(record[k]) for k in ("size", "part_size")):
                return False
            return isinstance(record["mtime"], (int, float)) and not isinstance(record["mtime"], bool)
        except (KeyError, TypeError):
            return False


class _ResumableDownloader(_ResumableOperation):
    """oss2's _ResumableDownloader. Its record, rewritten after each part: {op_type:
    "ResumableDownload", bucket, key, size, mtime (the object's Last-Modified, epoch seconds), etag,
    part_size, file_path (absolute), tmp_suffix (".tmp-" + 12 lowercase letters), parts: [{part_number,
    start, end (exclusive), part_crc}]}."""

    OP = "ResumableDownload"

    def __init__(self, bucket, key, filename, head, store, part_size=None, progress_callback=None,
                 num_threads=None, params=None, headers=None):
        versionid = params.get("versionId") if params is not None else None
        super().__init__(bucket, key, filename, head.content_length, store, progress_callback, versionid)
        self._etag = head.etag
        self._mtime = head.last_modified
        self._part_size = _determine_part_size_internal(
            self.size, defaults.get(part_size, defaults.multiget_part_size), _MAX_MULTIGET_PART_COUNT)
        self._num_threads = defaults.get(num_threads, defaults.multiget_num_threads)
        self._params = params
        self._headers = headers
        self._record = None
        self._tmp_file = None
        self._finished_parts = []  # type: List[_PartToProcess]

    def download(self, server_crc=None):
        self._load_record()
        todo = sorted(set(_split_to_parts(self.size, self._part_size)) - set(self._finished_parts),
                      key=lambda p: p.part_number)
        logger.debug("Resumable download of %s: %d parts to fetch", self.key, len(todo))
        open(self._tmp_file, "a").close()
        fd = os.open(self._tmp_file, os.O_WRONLY)
        try:
            _run_parts(todo, lambda part: self._download_part(fd, part), self._num_threads)
        finally:
            os.close(fd)
        if self.bucket.enable_crc:
            parts = sorted(self._finished_parts, key=lambda p: p.part_number)
            utils.check_crc("resume download", utils.calc_obj_crc_from_parts(parts), server_crc, None)
        utils.force_rename(self._tmp_file, self.filename)
        self._report_progress(self.size)
        self._del_record()

    def _download_part(self, fd, part):
        self._report_progress()
        headers = http.CaseInsensitiveDict(self._headers)
        headers[oss_headers.IF_MATCH] = self._etag
        headers[oss_headers.IF_UNMODIFIED_SINCE] = utils.http_date(self._mtime)
        result = self.bucket.get_object(self.key, byte_range=(part.start, part.end - 1), headers=headers,
                                        params=self._params)
        data = result.read()
        if len(data) != part.size:
            raise exceptions.InconsistentError(
                "IncompleteRead from source: expected {0} bytes, got {1}".format(part.size, len(data)),
                result.request_id)
        written = 0
        while written < len(data):
            written += os.pwrite(fd, memoryview(data)[written:], part.start + written)
        part.part_crc = result.client_crc
        with self._lock:
            self._finished_parts.append(part)
            self._finished_size += part.size
            self._record["parts"].append({"part_number": part.part_number, "start": part.start, "end": part.end,
                                          "part_crc": part.part_crc})
            self._put_record(self._record)

    def _load_record(self):
        record = self._get_record()
        if record and not self._is_record_sane(record):
            logger.warning("The content of record is invalid, delete the record")
            self._del_record()
            record = None
        if record and not os.path.exists(self.filename + record["tmp_suffix"]):
            logger.warning("Temp file: %s does not exist, delete the record", self.filename + record["tmp_suffix"])
            self._del_record()
            record = None
        if record and (record["mtime"] != self._mtime or record["size"] != self.size or record["etag"] != self._etag):
            logger.warning("Object: %s has been overwritten, delete the record and tmp file", self.key)
            utils.silently_remove(self.filename + record["tmp_suffix"])
            self._del_record()
            record = None
        if not record:
            record = {"op_type": self.OP, "bucket": self.bucket.bucket_name, "key": self.key, "size": self.size,
                      "mtime": self._mtime, "etag": self._etag, "part_size": self._part_size,
                      "file_path": self._abspath, "tmp_suffix": _tmp_suffix(), "parts": []}
            self._put_record(record)
        self._record = record
        self._tmp_file = self.filename + record["tmp_suffix"]
        self._part_size = record["part_size"]
        self._finished_parts = [_PartToProcess(p["part_number"], p["start"], p["end"], p["part_crc"])
                                for p in record["parts"]]
        self._finished_size = sum(p.size for p in self._finished_parts)

    def _is_record_sane(self, record):
        try:
            if record["op_type"] != self.OP:
                return False
            if not all(isinstance(record[k], str) for k in ("etag", "tmp_suffix", "file_path", "bucket", "key")):
                return False
            if not all(_is_int(record[k]) for k in ("part_size", "size", "mtime")):
                return False
            return isinstance(record["parts"], list) and all(
                isinstance(p, dict) and all(_is_int(p[k]) for k in ("part_number", "start", "end"))
                for p in record["parts"])
        except (KeyError, TypeError):
            return False


def _tmp_suffix():
    return ".tmp-" + "".join(random.choice(string.ascii_lowercase) for _ in range(12))
