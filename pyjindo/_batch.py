"""Many objects in one call to the Go core (the batch engine, go/transfer/many.go).

Each function takes a `pyjindo.Bucket` and lists, keeps a bounded number of requests in flight
(`concurrency`, default 64), and returns one result per item, in order. An item that failed
gives the exception oss2 would have raised for it (`oss2.exceptions.NoSuchKey`, ...) in its
place instead of a result: nothing is raised for it, so a caller can raise the first, skip
failures or return them (fsspec's `on_error`). The call itself raises only for bad arguments or
when interrupted (Ctrl-C cancels the requests under way, then KeyboardInterrupt is raised).

An item is a key of the bucket, or a `(bucket_name, key)` pair for another bucket of the same
account and endpoint. Progress callbacks get `(bytes_done, total)` summed over the batch; the
total is None when sizes are not known ahead.

These functions are the building blocks of `pyjindo.fs` and `pyjindo.torch`; their signatures
are kept stable. Each logs one summary record on the "oss2.pyjindo.batch" logger at INFO
(ok, failed, bytes, seconds, retries; see `_retrylog`), and its retries as any call does.
"""
from typing import Callable, List, Optional, Sequence, Tuple, Union

from . import _ops, _retrylog, _wire, exceptions, models
from ._binding import BufferTable
from ._response import Response
from .compat import to_string

__all__ = ["get_many", "get_many_to_files", "put_many_from_files", "head_many", "delete_many", "DEFAULT_CONCURRENCY"]

#: How many objects are worked on at once unless told otherwise.
DEFAULT_CONCURRENCY = 64

Item = Union[str, bytes, Tuple[str, str]]
Range = Optional[Tuple[Optional[int], Optional[int]]]
Progress = Optional[Callable[[int, Optional[int]], None]]


def _target(bucket, item: Item) -> Tuple[str, str]:
    if isinstance(item, tuple):
        name, key = item
        return name, to_string(key)
    return bucket.bucket_name, to_string(item)


def _concurrency(n: Optional[int]) -> int:
    if n is None:
        return DEFAULT_CONCURRENCY
    if n < 1:
        raise ValueError("concurrency must be at least 1, got %r" % (n,))
    return int(n)


#: bytes copied out of Go per many_take call (see get_many)
_TAKE_BYTES = 2 << 20


def _alloc(n: int):
    """A buffer Go fills: bytes(n) for n >= 2 is a new, unshared object (smaller ones are shared
    singletons in CPython), so it can be filled before anyone sees it and returned as it is."""
    return bytes(n) if n >= 2 else bytearray(n)


def _finish(buf) -> bytes:
    return bytes(buf) if isinstance(buf, bytearray) else buf


def _error(d):
    return exceptions.from_error_dict(d)


def get_many(bucket, keys: Sequence[Item], ranges: Optional[Sequence[Range]] = None,
             sizes: Optional[Sequence[Optional[int]]] = None, concurrency: Optional[int] = None,
             progress_callback: Progress = None,
             version_ids: Optional[Sequence[Optional[str]]] = None) -> List[Union[bytes, Exception]]:
    """The bytes of each object (or byte range), in order; an exception in place of a failed item.

    `ranges[i]`, if given and not None, is `(start, end)` as fsspec's `cat_file` takes them:
    the bytes `data[start:end]` would give in Python, `None` for either end of the object and a
    negative bound counting back from its end (one request: a range that needs the size is
    fetched a little wider, by at most the bytes it leaves out, and cut). A range reaching past
    the object is cut to fit and an empty one gives b"" (unlike a plain ranged get_object,
    which OSS answers with the whole object). `sizes[i]`, if known (from a listing), lets Go write the bytes straight into the
    returned object with no copy; a wrong size only costs that copy. Without sizes, each item's
    bytes are held in Go (outside its heap) until the whole batch is done, then copied out a
    few MiB at a time, each slice's memory given back as it is copied. Objects larger than the
    bucket's part size are fetched in parallel parts. `version_ids[i]`, if given and not None,
    reads that version.
    """
    n = len(keys)
    if any(x is not None and len(x) != n for x in (ranges, sizes, version_ids)):
        raise ValueError("keys, ranges, sizes and version_ids must have the same length")
    items = []
    for i, k in enumerate(keys):
        name, key = _target(bucket, k)
        item = {"bucket": name, "key": key}
        r = ranges[i] if ranges is not None else None
        if r is not None:  # None kept: Go reads the pair as a Python slice (transfer.GetItem)
            item["start"], item["end"] = (None if v is None else int(v) for v in r)
        if version_ids is not None and version_ids[i]:
            item["version_id"] = version_ids[i]
        items.append(item)
    known = sizes is not None and all(s is not None and s >= 0 for s in sizes)
    bufs = [_alloc(int(s)) if s is not None and s >= 0 else None for s in sizes] if sizes is not None else [None] * n
    total = sum(int(s) for s in sizes) if known else None
    table = BufferTable(bufs) if any(b is not None for b in bufs) else None
    args = {"items": items, "concurrency": _concurrency(concurrency), "total": total or 0}
    summary = _retrylog.batch("get_many")
    result = bucket._call(_ops.GET_MANY, args, table, progress_callback, total, log=False,
                          report=summary and summary.report)
    out = []  # type: List[Union[bytes, Exception]]
    take = []
    for i, r in enumerate(result["items"]):
        if r["error"] is not None:
            out.append(_error(r["error"]))
        elif r["in_place"]:
            out.append(_finish(bufs[i]))
        elif r["n"] == 0:
            out.append(b"")
        else:
            take.append(i)
            out.append(b"")
    held = result.get("held")
    # Freed on success and on an error, not in a `finally`: pyjindo.aio unwinds this function at
    # MANY_TAKE with a BaseException and runs it again with the same handle. After an interrupt
    # the handle's __del__ frees the held bytes.
    try:
        # A slice at a time: Go gives back the memory of what it copied out before the next
        # slice's buffers are allocated, so the batch's bytes are not held twice at the peak.
        start = 0
        while start < len(take):
            end, size = start, 0
            while end < len(take) and (end == start or size < _TAKE_BYTES):
                size += result["items"][take[end]]["n"]
                end += 1
            indices = take[start:end]
            take_bufs = [_alloc(result["items"][i]["n"]) for i in indices]
            bucket._call(_ops.MANY_TAKE, {"held": held, "indices": indices}, BufferTable(take_bufs), log=False)
            for i, buf in zip(indices, take_bufs):
                out[i] = _finish(buf)
            start = end
    except Exception:
        if held is not None:
            held.free()
        raise
    if held is not None:
        held.free()
    if summary is not None:
        summary.done_with(out)
    return out


def _file_items(bucket, keys, filenames, headers=None):
    if len(keys) != len(filenames) or headers is not None and len(headers) != len(keys):
        raise ValueError("keys, filenames and headers must have the same length")
    items = []
    for i, (k, f) in enumerate(zip(keys, filenames)):
        name, key = _target(bucket, k)
        item = {"bucket": name, "key": key, "filename": to_string(f)}
        if headers is not None and headers[i]:
            item["headers"] = _wire.headers(headers[i])
        items.append(item)
    return items


def get_many_to_files(bucket, keys: Sequence[Item], filenames: Sequence[str], concurrency: Optional[int] = None,
                      progress_callback: Progress = None, total: Optional[int] = None
                      ) -> List[Union[models.GetObjectResult, Exception]]:
    """Download each object to its file (missing parent directories are created). Each file is
    written beside the target under a temporary name and renamed over it only when complete
    (and its CRC64 matches, with the bucket's enable_crc): a failed or interrupted item never
    leaves a partial file. Each result is the GET's response as a `RequestResult` (headers,
    status, request_id). `total`, the bytes expected if known, is the progress total."""
    items = _file_items(bucket, keys, filenames)
    summary = _retrylog.batch("get_many_to_files")
    result = bucket._call(_ops.GET_MANY_TO_FILES, {"items": items, "concurrency": _concurrency(concurrency),
                                                "total": total or 0},
                          progress_callback=progress_callback, progress_total=total, log=False,
                          report=summary and summary.report)
    out = [_error(r["error"]) if r["error"] is not None else models.RequestResult(Response.from_item(r))
           for r in result]
    if summary is not None:
        summary.done_with(out)
    return out


def put_many_from_files(bucket, filenames: Sequence[str], keys: Sequence[Item], headers: Optional[Sequence] = None,
                        concurrency: Optional[int] = None, progress_callback: Progress = None,
                        total: Optional[int] = None) -> List[Union[models.PutObjectResult, Exception]]:
    """Upload each file to its key (`headers[i]`: Content-Type, x-oss-meta-*, ...). A file of
    the bucket's multipart_threshold or more goes up as a parallel multipart upload, aborted if
    it fails. Each result is a `PutObjectResult` (etag, crc). `total`, the bytes to send if
    known, is the progress total."""
    items = _file_items(bucket, keys, filenames, headers)
    summary = _retrylog.batch("put_many_from_files")
    result = bucket._call(_ops.PUT_MANY_FROM_FILES, {"items": items, "concurrency": _concurrency(concurrency),
                                                  "total": total or 0},
                          progress_callback=progress_callback, progress_total=total, log=False,
                          report=summary and summary.report)
    out = [_error(r["error"]) if r["error"] is not None else models.PutObjectResult(Response.from_item(r))
           for r in result]
    if summary is not None:
        summary.done_with(out)
    return out


def head_many(bucket, keys: Sequence[Item], concurrency: Optional[int] = None
              ) -> List[Union[models.HeadObjectResult, Exception]]:
    """`head_object` of each key: a `HeadObjectResult` (content_length, etag, last_modified,
    object_type, headers), or the exception (`NoSuchKey` for a missing object)."""
    items = [dict(zip(("bucket", "key"), _target(bucket, k))) for k in keys]
    summary = _retrylog.batch("head_many")
    result = bucket._call(_ops.HEAD_MANY, {"items": items, "concurrency": _concurrency(concurrency)}, log=False,
                          report=summary and summary.report)
    out = [_error(r["error"]) if r["error"] is not None else models.HeadObjectResult(Response.from_item(r))
           for r in result]
    if summary is not None:
        summary.done_with(out)
    return out


def delete_many(bucket, keys: Sequence[Union[str, bytes]], concurrency: Optional[int] = None) -> List[str]:
    """Delete `keys` of the bucket with batch deletes of 1,000 keys, `concurrency` requests at
    once (default 8); deleting a missing key succeeds, as on OSS. Returns the keys OSS reported
    deleted; a failed request raises its exception (keys of other requests may be deleted), and
    keys OSS answered it could not delete raise ClientError naming them with their codes."""
    args = {"bucket": bucket.bucket_name, "keys": [to_string(k) for k in keys], "concurrency": int(concurrency or 0)}
    summary = _retrylog.batch("delete_many")
    result = bucket._call(_ops.DELETE_MANY, args, log=False, report=summary and summary.report)
    if summary is not None:
        summary.report.bytes = 0  # the progress counter counts keys here
        summary.done(len(result["deleted"]), len(result["failed"]))
    if result["failed"]:
        raise exceptions.ClientError("could not delete: " + ", ".join(
            "%s (%s: %s)" % (f["key"], f["code"], f["message"]) for f in result["failed"]))
    return result["deleted"]
