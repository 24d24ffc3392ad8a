"""oss2's resumable_upload and resumable_download, with their signatures.

pyjindo's plain calls already stream files from and to disk in Go, in parallel parts; these keep
programs written for oss2 working and choose the same kind of transfer oss2 would: an upload of
at least `multipart_threshold` bytes (default defaults.multipart_threshold) becomes a multipart
upload with oss2's part size, so the object's type and ETag are oss2's; a download with an
explicit `multiget_threshold` or `part_size` uses oss2's ranges (without either, pyjindo's own
parallel download). The checkpoint `store` arguments are accepted and not needed: a failed
download leaves no partial target (it is written to a temporary name and renamed), and a failed
upload is retried by calling again.
"""
from __future__ import annotations

import os
from typing import Any, Optional

from . import defaults, utils
from .compat import to_string
from ._types import Headers, Key, Params, ProgressCallback

_MAX_MULTIGET_PART_COUNT = 100000

# The headers oss2's resumable_download passes on to its HEAD and GETs.
_DOWNLOAD_HEADERS = ("x-oss-request-payer", "x-oss-traffic-limit")


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


class ResumableStore(object):
    """Accepted for compatibility; pyjindo keeps no upload checkpoints on disk."""

    def __init__(self, root: Optional[str] = None, dir: Optional[str] = None) -> None:
        self.dir = os.path.join(root or os.path.expanduser("~"), dir or ".py-oss-upload")


class ResumableDownloadStore(ResumableStore):
    """Accepted for compatibility; pyjindo keeps no download checkpoints on disk."""

    def __init__(self, root: Optional[str] = None, dir: Optional[str] = None) -> None:
        super().__init__(root, dir or ".py-oss-download")


def make_upload_store(root: Optional[str] = None, dir: Optional[str] = None) -> ResumableStore:
    """As oss2.make_upload_store; the store is accepted by resumable_upload and not used."""
    return ResumableStore(root=root, dir=dir)


def make_download_store(root: Optional[str] = None, dir: Optional[str] = None) -> ResumableDownloadStore:
    """As oss2.make_download_store; the store is accepted by resumable_download and not used."""
    return ResumableDownloadStore(root=root, dir=dir)


def resumable_upload(bucket: Any, key: Key, filename: Key, store: Optional[ResumableStore] = None,
                     headers: Headers = None, multipart_threshold: Optional[int] = None,
                     part_size: Optional[int] = None, progress_callback: ProgressCallback = None,
                     num_threads: Optional[int] = None, params: Params = None) -> Any:
    """Upload a file; returns a PutObjectResult as oss2 does.

    As oss2: a file of at least multipart_threshold bytes (default defaults.multipart_threshold)
    goes up as a multipart upload with parts of determine_part_size(size, part_size), sent in
    parallel; a smaller one as a single PutObject. The Content-Type comes from the key, as in oss2.
    """
    filename = to_string(filename)
    size = os.path.getsize(filename)
    threshold = defaults.get(multipart_threshold, defaults.multipart_threshold)
    if size >= threshold:
        transfer = {"multipart_threshold": max(int(threshold), 1), "part_size": determine_part_size(size, part_size)}
        start_at = 0  # oss2's multipart upload reports (0, total) first, a single PUT does not
    else:
        transfer = {"multipart_threshold": -1}
        start_at = None
    with open(filename, "rb") as f:
        return bucket._put_object(key, f, headers, progress_callback, transfer, progress_start_at=start_at)


def resumable_download(bucket: Any, key: Key, filename: Key, multiget_threshold: Optional[int] = None,
                       part_size: Optional[int] = None, progress_callback: ProgressCallback = None,
                       num_threads: Optional[int] = None, store: Optional[ResumableDownloadStore] = None,
                       params: Params = None, headers: Headers = None) -> None:
    """Download an object to a file; the target appears only when complete.

    With multiget_threshold or part_size given, as oss2: an object of at least multiget_threshold
    bytes (default defaults.multiget_threshold) is fetched in ranges of part_size (default
    defaults.multiget_part_size, grown as oss2 grows it), a smaller one with a single GET.
    Without either, pyjindo's parallel download of get_object_to_file.
    """
    headers = utils.CaseInsensitiveDict(headers)
    headers = utils.CaseInsensitiveDict({k: headers[k] for k in _DOWNLOAD_HEADERS if headers.get(k) is not None})
    threshold = defaults.get(multiget_threshold, defaults.multiget_threshold)
    if multiget_threshold is None and part_size is None:
        # oss2's multiget (from threshold bytes) reports (0, total) first, its single GET does not
        bucket._get_object_to_file(key, filename, progress_callback=progress_callback, params=params,
                                   headers=headers or None, progress_start_at=max(int(threshold), 1))
        return
    size = bucket.head_object(key, params=params, headers=headers or None).content_length
    if size >= threshold:
        ranges = _determine_part_size_internal(size, defaults.get(part_size, defaults.multiget_part_size),
                                               _MAX_MULTIGET_PART_COUNT)
        start_at = 0
    else:
        ranges = size  # one GET, as oss2's get_object_to_file
        start_at = None
    bucket._get_object_to_file(key, filename, headers=headers or None, progress_callback=progress_callback,
                               params=params, part_size=max(ranges, 1), progress_start_at=start_at)
