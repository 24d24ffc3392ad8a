"""Result and parameter classes with oss2.models' names, fields and values, one module per family:
`objects`, `listing`, `multipart`, `buckets`, `settings`, `website`, `constants`, and `common`
(RequestResult and the readers every family uses). Every public name is here too, as oss2's
users import them from `oss2.models`.

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
import json  # noqa: F401  (oss2.models imports json; code that reaches it there keeps working)
import logging
from types import ModuleType as _ModuleType

from .. import utils  # noqa: F401  (the names the single module had, kept for code that used them)
from ..compat import to_string, urlquote, urlunquote  # noqa: F401
from ..exceptions import ClientError, InconsistentError  # noqa: F401
from ..utils import CaseInsensitiveDict, http_to_unixtime, iso8601_to_date, iso8601_to_unixtime  # noqa: F401
from ..headers import *  # noqa: F401,F403  (oss2.models re-exports oss2.headers the same way)
from .access import *  # noqa: F401,F403
from .bucketflags import *  # noqa: F401,F403
from .buckets import *  # noqa: F401,F403
from .common import *  # noqa: F401,F403
from .constants import *  # noqa: F401,F403
from .domains import *  # noqa: F401,F403
from .families import *  # noqa: F401,F403
from .listing import *  # noqa: F401,F403
from .metaquery import *  # noqa: F401,F403
from .multipart import *  # noqa: F401,F403
from .objects import *  # noqa: F401,F403
from .qos import *  # noqa: F401,F403
from .settings import *  # noqa: F401,F403
from .versions import *  # noqa: F401,F403
from .website import *  # noqa: F401,F403

logger = logging.getLogger("oss2.pyjindo.models")

# oss2.models' public names: the classes and values (and oss2.headers' names), not the helpers
__all__ = [name for name, value in globals().items() if not name.startswith("_")
           and not isinstance(value, _ModuleType) and name not in (
               "logger", "to_string", "urlquote", "urlunquote", "CaseInsensitiveDict", "http_to_unixtime",
               "iso8601_to_date", "iso8601_to_unixtime")]
