"""Exceptions, with oss2.exceptions' classes, hierarchy, attributes and string forms.

The Go core reports a failure as a dict; `from_error_dict` turns it into the exception oss2 would
raise for the same response:

    {"kind": "server" | "request" | "client" | "inconsistent" | "credentials" | "document",
     "status": int, "code": str, "message": str, "request_id": str, "host_id": str, "ec": str,
     "headers": [[name, value], ...],      # response headers (server errors)
     "details": {"Code": ..., "Message": ..., "RequestId": ..., "HostId": ..., ...},
     "body": str}                          # the (start of the) error body

"server" errors are mapped by (status, Code) exactly as oss2 maps them; a pair oss2 does not know
becomes ServerError. Their details are read from the error document by go/oss/errors.go only;
"document" (an answer go/oss could not read as its kind) is RuntimeError, as oss2's parsers raise.
"""
import base64
import re
from typing import Any, Dict, Mapping, Optional, Tuple, Union
import xml.etree.ElementTree as ElementTree
from xml.parsers import expat

from ._response import headers_from_pairs
from .compat import to_string

OSS_CLIENT_ERROR_STATUS = -1
OSS_REQUEST_ERROR_STATUS = -2
OSS_INCONSISTENT_ERROR_STATUS = -3
OSS_FORMAT_ERROR_STATUS = -4
OSS_SELECT_CLIENT_ERROR_STATUS = -5

_REQUEST_ID_HEADER = "x-oss-request-id"
_NEXT_APPEND_POSITION_HEADER = "x-oss-next-append-position"

_OSS_ERROR_TO_EXCEPTION: Dict[Tuple[int, str], type] = {}  # (status, code) -> class; filled in below the class definitions


#: what oss2 keeps as an error's body: the response's bytes, or the text of a client-side error
Body = Union[bytes, str]


def _header(headers, name, default=None):
    """Look a header up whatever the case of its name, in any mapping."""
    try:
        value = headers.get(name)
    except AttributeError:
        return default
    if value is not None:
        return value
    lname = name.lower()
    for k, v in headers.items():
        if str(k).lower() == lname:
            return v
    return default


class OssError(Exception):
    """The base of every pyjindo (and oss2) error: `status` (HTTP status, or a negative
    pseudo status for errors raised on the client side), `request_id`, `code`, `message`, `ec`,
    `details` (the fields of the error document), `headers` and `body`, as in oss2.
    """

    def __init__(self, status: int, headers: Mapping[str, Any], body: Body, details: Dict[str, Any]) -> None:
        #: HTTP status, or a negative pseudo status for errors raised on the client side
        self.status = status
        #: the request id, for tracing a request at OSS
        self.request_id = _header(headers, _REQUEST_ID_HEADER, "")
        #: (the start of) the HTTP response body
        self.body = body
        #: the fields of the error document, str -> str
        self.details = details
        #: OSS error code
        self.code = self.details.get("Code", "")
        #: OSS error message
        self.message = self.details.get("Message", "")
        #: OSS detailed error code
        self.ec = self.details.get("EC", "")
        #: response headers
        self.headers = headers

    def __str__(self):
        return str({"status": self.status, _REQUEST_ID_HEADER: self.request_id, "details": self.details})

    def _str_with_body(self):
        return str({"status": self.status, _REQUEST_ID_HEADER: self.request_id, "details": self.body})


class ClientError(OssError):
    """Refused on the client side before (or instead of) sending, status -1: an invalid
    argument, endpoint or bucket name, or a file object read after os.fork(); as oss2.
    """

    def __init__(self, message: str) -> None:
        OssError.__init__(self, OSS_CLIENT_ERROR_STATUS, {}, "ClientError: " + message, {})

    def __str__(self):
        return self._str_with_body()


class UnsupportedOperation(ClientError, NotImplementedError):
    """An oss2 operation pyjindo does not implement (live channels, select, WORM, ...; the list is
    pyjindo/_unsupported.py and the README). Not in oss2: raised before anything is sent, and
    catchable as oss2's ClientError (so as OssError) or as NotImplementedError.

    `operation` is the method's name ("Bucket.put_live_channel"), `family` what it belongs to.
    """

    def __init__(self, operation: str, family: str = "") -> None:
        ClientError.__init__(self, "pyjindo does not support {0}{1}; use oss2 for it".format(
            operation, " [{0}]".format(family) if family else ""))
        self.operation = operation
        self.family = family


class CredentialsError(ClientError):
    """Not in oss2: no keys could be had to sign a request, so nothing was sent. `not_found` is
    True when no source had any (the message lists every place looked), False when a source
    failed (a metadata service down with the keys expired, a malformed credentials file)."""

    def __init__(self, message: str, not_found: bool = False) -> None:
        ClientError.__init__(self, message)
        self.not_found = not_found


class RequestError(OssError):
    """The server could not be reached or the connection failed (status -2), after the
    retries pyjindo makes (oss2 makes none); `exception` is a GoRequestError describing the cause.
    """

    def __init__(self, e: BaseException) -> None:
        OssError.__init__(self, OSS_REQUEST_ERROR_STATUS, {}, "RequestError: " + str(e), {})
        #: the underlying transport error
        self.exception = e

    def __str__(self):
        return self._str_with_body()


class InconsistentError(OssError):
    """Data that does not add up (status -3): a CRC64 that differs from the server's,
    or (pyjindo only) an object replaced during a parallel download (its parts' ETags differ).
    """

    def __init__(self, message: str, request_id: str = "") -> None:
        OssError.__init__(self, OSS_INCONSISTENT_ERROR_STATUS, {_REQUEST_ID_HEADER: request_id},
                          "InconsistentError: " + message, {})

    def __str__(self):
        return self._str_with_body()


class OpenApiFormatError(OssError):
    """A malformed OpenAPI answer (status -4), as oss2; kept for compatibility."""

    def __init__(self, message: str) -> None:
        OssError.__init__(self, OSS_FORMAT_ERROR_STATUS, {}, message, {})

    def __str__(self):
        return self._str_with_body()


class OpenApiServerError(OssError):
    """An OpenAPI error answer, as oss2; kept for compatibility."""

    def __init__(self, status: int, request_id: str, message: str, error_code: str) -> None:
        OssError.__init__(self, status, {_REQUEST_ID_HEADER: request_id}, "",
                          {"Code": error_code, "Message": message})


class ServerError(OssError):
    """An error answer from OSS. A subclass is chosen by (status, Code) exactly as oss2
    chooses it; a pair oss2 does not know gives ServerError itself. `status`, `code`, `message`,
    `request_id`, `ec` and `details` come from the answer.
    """


class NotFound(ServerError):
    """404 with no code: a HEAD of a missing object or bucket (a HEAD has no error body)."""

    status = 404
    code = ""


class MalformedXml(ServerError):
    """400 MalformedXML: a request document OSS could not parse."""

    status = 400
    code = "MalformedXML"


class InvalidRequest(ServerError):
    """400 InvalidRequest."""

    status = 400
    code = "InvalidRequest"


class OperationNotSupported(ServerError):
    """400 OperationNotSupported: e.g. restore_object on a Standard object."""

    status = 400
    code = "OperationNotSupported"


class RestoreAlreadyInProgress(ServerError):
    """409 RestoreAlreadyInProgress: restore_object while a restore runs."""

    status = 409
    code = "RestoreAlreadyInProgress"


class InvalidArgument(ServerError):
    """400 InvalidArgument; `name` and `value` are the argument OSS refused."""

    status = 400
    code = "InvalidArgument"

    def __init__(self, status: int, headers: Mapping[str, Any], body: Body, details: Dict[str, Any]) -> None:
        super(InvalidArgument, self).__init__(status, headers, body, details)
        self.name = details.get("ArgumentName")
        self.value = details.get("ArgumentValue")


class InvalidDigest(ServerError):
    """400 InvalidDigest: the Content-MD5 sent does not match the body."""

    status = 400
    code = "InvalidDigest"


class InvalidObjectName(ServerError):
    """400 InvalidObjectName: a key OSS refuses (too long, ...)."""

    status = 400
    code = "InvalidObjectName"


class NotImplemented(ServerError):  # noqa: A001  (oss2's name)
    """400 NotImplemented: an operation the server does not implement (jindo server
    answers it for operations it lacks).
    """

    status = 400
    code = "NotImplemented"


class InvalidEncryptionRequest(ServerError):
    """400 InvalidEncryptionRequest."""

    status = 400
    code = "InvalidEncryptionRequest"


class BucketReplicationAlreadyExist(ServerError):
    """400 BucketReplicationAlreadyExist."""

    status = 400
    code = "BucketReplicationAlreadyExist"


class NoSuchBucket(NotFound):
    """404 NoSuchBucket: the bucket does not exist."""

    status = 404
    code = "NoSuchBucket"


class NoSuchKey(NotFound):
    """404 NoSuchKey: the object does not exist."""

    status = 404
    code = "NoSuchKey"


class NoSuchUpload(NotFound):
    """404 NoSuchUpload: the multipart upload id is unknown (completed or aborted)."""

    status = 404
    code = "NoSuchUpload"


class NoSuchWebsite(NotFound):
    """404 NoSuchWebsiteConfiguration: get_bucket_website with none set."""

    status = 404
    code = "NoSuchWebsiteConfiguration"


class NoSuchLifecycle(NotFound):
    """404 NoSuchLifecycle: get_bucket_lifecycle with no rules set."""

    status = 404
    code = "NoSuchLifecycle"


class NoSuchCors(NotFound):
    """404 NoSuchCORSConfiguration: get_bucket_cors with no rules set."""

    status = 404
    code = "NoSuchCORSConfiguration"


class NoSuchLiveChannel(NotFound):
    """404 NoSuchLiveChannel (live channels are unsupported in pyjindo; kept for oss2)."""

    status = 404
    code = "NoSuchLiveChannel"


class NoSuchBucketPolicy(NotFound):
    """404 NoSuchBucketPolicy: get_bucket_policy with no policy set."""

    status = 404
    code = "NoSuchBucketPolicy"


class NoSuchInventory(NotFound):
    """404 NoSuchInventory (inventory is unsupported in pyjindo; kept for oss2)."""

    status = 404
    code = "NoSuchInventory"


class NoSuchReplicationRule(NotFound):
    """404 NoSuchReplicationRule (replication is unsupported in pyjindo; kept for oss2)."""

    status = 404
    code = "NoSuchReplicationRule"


class Conflict(ServerError):
    """409 with no known code."""

    status = 409
    code = ""


class BucketNotEmpty(Conflict):
    """409 BucketNotEmpty: delete_bucket on a bucket with objects or uploads."""

    status = 409
    code = "BucketNotEmpty"


class PositionNotEqualToLength(Conflict):
    """409 PositionNotEqualToLength: append_object at a position other than the
    object's length; `next_position` is where the next append must start.
    """

    status = 409
    code = "PositionNotEqualToLength"

    def __init__(self, status: int, headers: Mapping[str, Any], body: Body, details: Dict[str, Any]) -> None:
        super(PositionNotEqualToLength, self).__init__(status, headers, body, details)
        position = _header(headers, _NEXT_APPEND_POSITION_HEADER)
        #: where the next append must start
        self.next_position = int(position) if position is not None else None


class ObjectNotAppendable(Conflict):
    """409 ObjectNotAppendable: append_object on an object not created by appending."""

    status = 409
    code = "ObjectNotAppendable"


class ChannelStillLive(Conflict):
    """409 ChannelStillLive (live channels; kept for oss2)."""

    status = 409
    code = "ChannelStillLive"


class LiveChannelDisabled(Conflict):
    """409 LiveChannelDisabled (live channels; kept for oss2)."""

    status = 409
    code = "LiveChannelDisabled"


class PreconditionFailed(ServerError):
    """412 PreconditionFailed: an If-Match / If-Unmodified-Since condition failed."""

    status = 412
    code = "PreconditionFailed"


class NotModified(ServerError):
    """304: an If-None-Match / If-Modified-Since condition held (nothing to send)."""

    status = 304
    code = ""


class AccessDenied(ServerError):
    """403 AccessDenied: the keys may not do this (or anonymous access to a private bucket)."""

    status = 403
    code = "AccessDenied"


class NoSuchServerSideEncryptionRule(NotFound):
    """404 NoSuchServerSideEncryptionRule: get_bucket_encryption with none set."""

    status = 404
    code = "NoSuchServerSideEncryptionRule"


class InvalidEncryptionAlgorithmError(ServerError):
    """400 InvalidEncryptionAlgorithmError."""

    status = 400
    code = "InvalidEncryptionAlgorithmError"


class SelectOperationFailed(ServerError):
    """A failed select_object (select is unsupported in pyjindo; kept for oss2)."""

    code = "SelectOperationFailed"

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message

    def __str__(self):
        return str({"status": self.status, "code": self.code, "details": self.message})


class SelectOperationClientError(OssError):
    """A client-side select error, status -5 (kept for oss2)."""

    def __init__(self, message: str, request_id: str) -> None:
        OssError.__init__(self, OSS_SELECT_CLIENT_ERROR_STATUS, {_REQUEST_ID_HEADER: request_id},
                          "SelectOperationClientError: " + message, {})

    def __str__(self):
        return str({_REQUEST_ID_HEADER: self.request_id, "message": self.message})


class SignatureDoesNotMatch(ServerError):
    """403 SignatureDoesNotMatch: wrong secret, or a request changed after signing."""

    status = 403
    code = "SignatureDoesNotMatch"


class ObjectAlreadyExists(ServerError):
    """400 ObjectAlreadyExists."""

    status = 400
    code = "ObjectAlreadyExists"


class PartNotSequential(ServerError):
    """400 PartNotSequential."""

    status = 400
    code = "PartNotSequential"


class NoSuchWORMConfiguration(ServerError):
    """404 NoSuchWORMConfiguration (WORM is unsupported in pyjindo; kept for oss2)."""

    status = 404
    code = "NoSuchWORMConfiguration"


class WORMConfigurationLocked(ServerError):
    """403 WORMConfigurationLocked (kept for oss2)."""

    status = 403
    code = "WORMConfigurationLocked"


class InvalidWORMConfiguration(ServerError):
    """400 InvalidWORMConfiguration (kept for oss2)."""

    status = 400
    code = "InvalidWORMConfiguration"


class NoSuchTransferAccelerationConfiguration(ServerError):
    """404 NoSuchTransferAccelerationConfiguration (kept for oss2)."""

    status = 404
    code = "NoSuchTransferAccelerationConfiguration"


def _subclasses(klass):
    for sub in klass.__subclasses__():
        yield sub
        for deeper in _subclasses(sub):
            yield deeper


def _build_error_map():
    for klass in _subclasses(ServerError):
        status = getattr(klass, "status", None)
        code = getattr(klass, "code", None)
        if status is not None and code is not None:
            _OSS_ERROR_TO_EXCEPTION[(status, code)] = klass


_build_error_map()

ElementTreeParseError = (ElementTree.ParseError, expat.ExpatError)


def _parse_error_body(body):
    """The children of an <Error> document as a dict (a best guess when it is not well formed).

    For make_exception only: it is oss2's public API for a response object pyjindo never saw
    (it did not come through Go), so it reads the body by oss2's rules here. The errors pyjindo
    raises take their details from go/oss/errors.go, which follows the same rules.
    """
    try:
        root = ElementTree.fromstring(body)
    except ElementTreeParseError:
        return _guess_error_details(body)
    if root.tag != "Error":
        return {}
    return {child.tag: child.text for child in root}


def _guess_error_details(body):
    details: Dict[str, str] = {}
    text = to_string(body)
    if "<Error>" not in text or "</Error>" not in text:
        return details
    for tag in ("Code", "Message"):
        m = re.search("<%s>(.*)</%s>" % (tag, tag), text)
        if m:
            details[tag] = m.group(1)
    return details


def make_exception(resp: Any) -> ServerError:
    """The exception for an error response `resp` (anything with status, headers and read())."""
    status = resp.status
    headers = resp.headers
    body = resp.read(4096)
    if not body and headers.get("x-oss-err") is not None:
        try:
            value = base64.b64decode(to_string(headers.get("x-oss-err")))
        except Exception:
            value = body
        details = _parse_error_body(value)
    else:
        details = _parse_error_body(body)
    return _server_error(status, headers, body, details)


def _server_error(status, headers, body, details):
    klass = _OSS_ERROR_TO_EXCEPTION.get((status, details.get("Code", "")), ServerError)
    return klass(status, headers, body, details)


class GoRequestError(Exception):
    """What went wrong on the way to or from the server (connection, timeout, TLS, ...), as the
    Go core described it; RequestError.exception holds one. `kind` is the Go core's label, if any."""

    def __init__(self, message: str, kind: Optional[str] = None) -> None:
        super(GoRequestError, self).__init__(message)
        self.kind = kind


def _error_details(d, body):
    details = d.get("details")  # go/oss/errors.go read the error document (body or x-oss-err)
    if details:
        return dict(details)
    if not d.get("code"):
        return {}  # no error document at all (a HEAD, say): oss2 has no details either
    # no document passed on: rebuild what the fields say, as oss2 would have found them in <Error>
    out = {}
    for key, field in (("Code", "code"), ("Message", "message"), ("RequestId", "request_id"),
                       ("HostId", "host_id"), ("EC", "ec")):
        if d.get(field):
            out[key] = d[field]
    return out


_ERROR_BODY_KEPT = 4096


def from_error_dict(d: Dict[str, Any]) -> Exception:
    """The exception oss2 would raise for the failure the Go core described in `d`."""
    kind = d.get("kind", "server")
    message = d.get("message") or ""
    if kind == "client":
        return ClientError(message)
    if kind == "request":
        return RequestError(GoRequestError(message, d.get("code") or None))
    if kind == "credentials":
        return CredentialsError(message, bool(d.get("not_found")))
    if kind == "inconsistent":
        return InconsistentError(message, d.get("request_id") or "")
    if kind == "document":  # an answer go/oss could not read: oss2's parsers raise RuntimeError
        return RuntimeError(message)
    if kind == "openapi":  # KMS (CryptoBucket's AliKMSProvider)
        return OpenApiServerError(int(d.get("status") or 0), d.get("request_id") or "", message, d.get("code") or "")
    if kind == "openapi_format":
        return OpenApiFormatError(message)

    status = int(d.get("status") or 0)
    headers = headers_from_pairs(d.get("headers"))
    body = d.get("body")  # Latin-1 text from Go, one character per byte of the body
    body = b"" if body is None else body.encode("latin-1") if isinstance(body, str) else bytes(body)
    details = _error_details(d, body)
    body = body[:_ERROR_BODY_KEPT]  # oss2 keeps what resp.read(4096) gave (details come from it all)
    request_id = d.get("request_id")
    if request_id and _REQUEST_ID_HEADER not in headers:
        headers[_REQUEST_ID_HEADER] = request_id
    return _server_error(status, headers, body, details)
