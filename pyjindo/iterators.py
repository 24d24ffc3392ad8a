"""Iterators over buckets, objects, multipart uploads and parts, as in oss2.iterators.

Each fetches one page at a time through the bucket's (or service's) list_* method. Differs from
oss2: oss2's iterators retry a page that failed with a 5xx error up to max_retries times (oss2
retries nothing else); here each page is a request that Go retries under the Bucket's policy
(retry_attempts within retry_time, as every other request), and the iterators add no retries of
their own, so a page is asked for at most retry_attempts times. max_retries is accepted and kept
as an attribute, as in oss2. As in oss2, a page that still fails raises from next() and leaves
the iterator where it was: calling next() again asks for the same page.
"""
from __future__ import annotations

from typing import Any, Optional

from . import defaults
from ._types import Headers
from .models import MultipartUploadInfo, SimplifiedObjectInfo
from .utils import CaseInsensitiveDict


class _BaseIterator(object):
    def __init__(self, marker, max_retries):
        self.is_truncated = True
        self.next_marker = marker
        max_retries = defaults.get(max_retries, defaults.request_retries)
        self.max_retries = max_retries if max_retries > 0 else 1
        self.entries = []

    def _fetch(self):
        """Fetch one page into self.entries; return (is_truncated, next_marker)."""
        raise NotImplementedError  # pragma: no cover

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            if self.entries:
                return self.entries.pop(0)
            if not self.is_truncated:
                raise StopIteration
            self.fetch_with_retry()

    def next(self) -> Any:
        """The next entry (oss2's Python 2 name for __next__); StopIteration after the last."""
        return self.__next__()

    def fetch_with_retry(self) -> None:
        """Fetch the next page (oss2's name; the retries happen in Go, see the module docstring)."""
        self.is_truncated, self.next_marker = self._fetch()


def _with_prefixes(entries, prefixes, make):
    out = list(entries) + [make(p) for p in prefixes]
    out.sort(key=lambda e: e.key)
    return out


class BucketIterator(_BaseIterator):
    """SimplifiedBucketInfo for each bucket of the account, through `service.list_buckets`
    (`max_keys` per page), as oss2.BucketIterator."""

    def __init__(self, service: Any, prefix: str = "", marker: str = "", max_keys: int = 100,
                 max_retries: Optional[int] = None) -> None:
        super(BucketIterator, self).__init__(marker, max_retries)
        self.service = service
        self.prefix = prefix
        self.max_keys = max_keys

    def _fetch(self):
        result = self.service.list_buckets(prefix=self.prefix, marker=self.next_marker, max_keys=self.max_keys)
        self.entries = result.buckets
        return result.is_truncated, result.next_marker


class ObjectIterator(_BaseIterator):
    """SimplifiedObjectInfo for each object under `prefix` and, with a `delimiter`, each common
    prefix (is_prefix() True), in key order, through `bucket.list_objects` (`max_keys` a page),
    as oss2.ObjectIterator. Raises what list_objects raises (NoSuchBucket, ...) from next()."""

    def __init__(self, bucket: Any, prefix: str = "", delimiter: str = "", marker: str = "", max_keys: int = 100,
                 max_retries: Optional[int] = None, headers: Headers = None) -> None:
        super(ObjectIterator, self).__init__(marker, max_retries)
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.max_keys = max_keys
        self.headers = CaseInsensitiveDict(headers)

    def _fetch(self):
        result = self.bucket.list_objects(prefix=self.prefix, delimiter=self.delimiter, marker=self.next_marker,
                                          max_keys=self.max_keys, headers=self.headers)
        self.entries = _with_prefixes(result.object_list, result.prefix_list,
                                      lambda p: SimplifiedObjectInfo(p, None, None, None, None, None))
        return result.is_truncated, result.next_marker


class ObjectIteratorV2(_BaseIterator):
    """As ObjectIterator, through list_objects_v2 (continuation tokens, start_after, fetch_owner)."""

    def __init__(self, bucket: Any, prefix: str = "", delimiter: str = "", continuation_token: str = "",
                 start_after: str = "", fetch_owner: bool = False, encoding_type: str = "url", max_keys: int = 100,
                 max_retries: Optional[int] = None, headers: Headers = None) -> None:
        super(ObjectIteratorV2, self).__init__(continuation_token, max_retries)
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.start_after = start_after
        self.fetch_owner = fetch_owner
        self.encoding_type = encoding_type
        self.max_keys = max_keys
        self.headers = CaseInsensitiveDict(headers)

    def _fetch(self):
        result = self.bucket.list_objects_v2(prefix=self.prefix, delimiter=self.delimiter,
                                             continuation_token=self.next_marker, start_after=self.start_after,
                                             fetch_owner=self.fetch_owner, encoding_type=self.encoding_type,
                                             max_keys=self.max_keys, headers=self.headers)
        self.entries = _with_prefixes(result.object_list, result.prefix_list,
                                      lambda p: SimplifiedObjectInfo(p, None, None, None, None, None))
        return result.is_truncated, result.next_continuation_token


class MultipartUploadIterator(_BaseIterator):
    """MultipartUploadInfo for each unfinished upload and common prefix (is_prefix() True)."""

    def __init__(self, bucket: Any, prefix: str = "", delimiter: str = "", key_marker: str = "",
                 upload_id_marker: str = "", max_uploads: int = 1000, max_retries: Optional[int] = None,
                 headers: Headers = None) -> None:
        super(MultipartUploadIterator, self).__init__(key_marker, max_retries)
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.next_upload_id_marker = upload_id_marker
        self.max_uploads = max_uploads
        self.headers = CaseInsensitiveDict(headers)

    def _fetch(self):
        result = self.bucket.list_multipart_uploads(prefix=self.prefix, delimiter=self.delimiter,
                                                    key_marker=self.next_marker,
                                                    upload_id_marker=self.next_upload_id_marker,
                                                    max_uploads=self.max_uploads, headers=self.headers)
        self.entries = _with_prefixes(result.upload_list, result.prefix_list,
                                      lambda p: MultipartUploadInfo(p, None, None))
        self.next_upload_id_marker = result.next_upload_id_marker
        return result.is_truncated, result.next_key_marker


class ObjectUploadIterator(_BaseIterator):
    """MultipartUploadInfo for each unfinished upload of the one object `key`."""

    def __init__(self, bucket: Any, key: str, max_uploads: int = 1000, max_retries: Optional[int] = None,
                 headers: Headers = None) -> None:
        super(ObjectUploadIterator, self).__init__("", max_retries)
        self.bucket = bucket
        self.key = key
        self.next_upload_id_marker = ""
        self.max_uploads = max_uploads
        self.headers = CaseInsensitiveDict(headers)

    def _fetch(self):
        result = self.bucket.list_multipart_uploads(prefix=self.key, key_marker=self.next_marker,
                                                    upload_id_marker=self.next_upload_id_marker,
                                                    max_uploads=self.max_uploads, headers=self.headers)
        self.entries = [u for u in result.upload_list if u.key == self.key]
        self.next_upload_id_marker = result.next_upload_id_marker
        if not result.is_truncated or not self.entries:
            return False, result.next_key_marker
        if result.next_key_marker > self.key:
            return False, result.next_key_marker
        return result.is_truncated, result.next_key_marker


class PartIterator(_BaseIterator):
    """PartInfo for each uploaded part of the upload `upload_id`."""

    def __init__(self, bucket: Any, key: str, upload_id: str, marker: str = "0", max_parts: int = 1000,
                 max_retries: Optional[int] = None, headers: Headers = None) -> None:
        super(PartIterator, self).__init__(marker, max_retries)
        self.bucket = bucket
        self.key = key
        self.upload_id = upload_id
        self.max_parts = max_parts
        self.headers = CaseInsensitiveDict(headers)

    def _fetch(self):
        result = self.bucket.list_parts(self.key, self.upload_id, marker=self.next_marker,
                                        max_parts=self.max_parts, headers=self.headers)
        self.entries = result.parts
        return result.is_truncated, result.next_marker
