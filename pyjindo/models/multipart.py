"""Multipart uploads: PartInfo, and the results of init, list_parts and list_multipart_uploads."""
from ..utils import iso8601_to_unixtime
from .common import _bool, _int, _is_url_encoded, _key, _parsed, _text, _unquote_etag, RequestResult


class PartInfo(object):
    """A part of a multipart upload: listed by list_parts, given to complete_multipart_upload.

    size and part_crc let the object's CRC64 be computed from its parts."""

    def __init__(self, part_number, etag, size=None, last_modified=None, part_crc=None):
        self.part_number = part_number
        self.etag = etag
        self.size = size
        self.last_modified = last_modified
        self.part_crc = part_crc


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
