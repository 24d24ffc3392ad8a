"""Multipart uploads: PartInfo, and the results of init, list_parts and list_multipart_uploads."""
from typing import Optional

from ..utils import iso8601_to_unixtime
from .common import _parsed, RequestResult, _ResponseLike


class PartInfo(object):
    """A part of a multipart upload: listed by list_parts, given to complete_multipart_upload.

    size and part_crc let the object's CRC64 be computed from its parts."""

    def __init__(self, part_number: int, etag: str, size: Optional[int] = None, last_modified: Optional[int] = None,
                 part_crc: Optional[int] = None) -> None:
        self.part_number = part_number
        self.etag = etag
        self.size = size
        self.last_modified = last_modified
        self.part_crc = part_crc


class InitMultipartUploadResult(RequestResult):
    """init_multipart_upload's result: `upload_id`."""

    def __init__(self, resp: _ResponseLike) -> None:
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

    def __init__(self, key: str, upload_id: Optional[str], initiation_date: Optional[int]) -> None:
        self.key = key
        self.upload_id = upload_id
        #: int epoch seconds
        self.initiation_date = initiation_date

    def is_prefix(self) -> bool:
        """True for a common prefix (a "directory"), False for an upload."""
        return self.upload_id is None


class ListMultipartUploadsResult(RequestResult):
    """One page of list_multipart_uploads: `upload_list` (MultipartUploadInfo),
    `prefix_list`, `is_truncated`, `next_key_marker`, `next_upload_id_marker`.
    """

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListMultipartUploadsResult, self).__init__(resp)
        self.is_truncated = False
        self.next_key_marker = ""
        self.next_upload_id_marker = ""
        #: MultipartUploadInfo list
        self.upload_list = []
        #: common prefixes (str list)
        self.prefix_list = []
        body = _parsed(resp)  # go/oss ListMultipartUploadsResult: typed, names decoded
        if not body:
            return
        self.is_truncated = body["is_truncated"]
        self.next_key_marker = body["next_key_marker"]
        self.next_upload_id_marker = body["next_upload_id_marker"]
        self.upload_list = [MultipartUploadInfo(u["key"], u["upload_id"], iso8601_to_unixtime(u["initiated"]))
                            for u in body["uploads"]]
        self.prefix_list = list(body["common_prefixes"])


class ListPartsResult(RequestResult):
    """One page of list_parts: `parts` (PartInfo), `is_truncated`, `next_marker`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(ListPartsResult, self).__init__(resp)
        self.is_truncated = False
        #: str, as oss2 keeps the document's text
        self.next_marker = ""
        #: PartInfo list
        self.parts = []
        body = _parsed(resp)  # go/oss ListPartsResult: typed
        if not body:
            return
        self.is_truncated = body["is_truncated"]
        self.next_marker = str(body["next_part_number_marker"])
        self.parts = [PartInfo(p["part_number"], p["etag"].strip('"'), size=p["size"],
                               last_modified=iso8601_to_unixtime(p["last_modified"])) for p in body["parts"]]

__all__ = ["PartInfo", "InitMultipartUploadResult", "MultipartUploadInfo", "ListMultipartUploadsResult",
           "ListPartsResult"]
