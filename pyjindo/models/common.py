"""What every result shares: RequestResult, Owner and AccessControlList, and the readers of
response headers and of the documents go/oss decoded (`parsed`)."""
from typing import Any, Optional

#: what a result is made from: any response with `status`, `headers` and `request_id` (pyjindo's,
#: or an oss2 http.Response), as oss2's results take it
_ResponseLike = Any

__all__ = ["RequestResult", "Owner", "AccessControlList"]


def _hget(headers, key, converter=None):
    value = headers.get(key)  # one lookup: header values are never None
    if value is None or converter is None:
        return value
    return converter(value)


def _get_etag(headers):
    return _hget(headers, "etag", lambda x: x.strip('"'))


def _parsed(resp):
    body = getattr(resp, "parsed", None)
    return body if isinstance(body, dict) else {}


def _owner(d):
    """A go/oss Owner as oss2's Owner ("" for an absent ID or DisplayName), None for no owner."""
    if d is None:
        return None
    return Owner(d["display_name"] or "", d["id"] or "")


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

    def __init__(self, resp: _ResponseLike) -> None:
        #: the response this result was made from
        self.resp = resp
        #: HTTP status
        self.status = resp.status
        #: response headers (CaseInsensitiveDict)
        self.headers = resp.headers
        #: request id, for tracing a request at OSS
        self.request_id = resp.request_id
        # Fields are read from pyjindo's Response's `header_values` (by lowercased name: its
        # `headers` may not be made yet), or any other response's `headers`; each header is
        # looked up once (header values are never None).
        get = getattr(resp, "header_values", resp.headers).get
        #: version id of the object, on versioned buckets
        self.versionid = get("x-oss-version-id")
        #: as oss2: bool() of the x-oss-delete-marker header text, None when absent
        marker = get("x-oss-delete-marker")
        self.delete_marker = None if marker is None else bool(marker)
        #: seconds the request took, measured by the Go core (None when not reported)
        self.duration = getattr(resp, "duration", None)


class Owner(object):
    """An owner: `display_name` and `id`."""

    def __init__(self, display_name: str, owner_id: str) -> None:
        self.display_name = display_name
        self.id = owner_id


class AccessControlList(object):
    """A bucket's ACL as in get_bucket_info: `grant`."""

    def __init__(self, grant: Optional[str]) -> None:
        self.grant = grant
