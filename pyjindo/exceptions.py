"""Exceptions, with oss2.exceptions' classes, hierarchy, attributes and string forms.

The Go core reports a failure as a dict; `from_error_dict` turns it into the exception oss2 would
raise for the same response:

    {"kind": "server" | "request" | "client" | "inconsistent",
     "status": int, "code": str, "message": str, "request_id": str, "host_id": str, "ec": str,
     "headers": [[name, value], ...],      # response headers (server errors)
     "details": {"Code": ..., "Message": ..., "RequestId": ..., "HostId": ..., ...},
     "body": str}                          # the (start of the) error body

"server" errors are mapped by (status, Code) exactly as oss2 maps them; a pair oss2 does not know
becomes ServerError.
"""
import base64
import re
import xml.etree.ElementTree as ElementTree
from xml.parsers import expat

from .compat import to_string

OSS_CLIENT_ERROR_STATUS = -1
OSS_REQUEST_ERROR_STATUS = -2
OSS_INCONSISTENT_ERROR_STATUS = -3
OSS_FORMAT_ERROR_STATUS = -4
OSS_SELECT_CLIENT_ERROR_STATUS = -5

_REQUEST_ID_HEADER = "x-oss-request-id"
_NEXT_APPEND_POSITION_HEADER = "x-oss-next-append-position"

_OSS_ERROR_TO_EXCEPTION = {}  # (status, code) -> class; filled in below the class definitions


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
    def __init__(self, status, headers, body, details):
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
    def __init__(self, message):
        OssError.__init__(self, OSS_CLIENT_ERROR_STATUS, {}, "ClientError: " + message, {})

    def __str__(self):
        return self._str_with_body()


class UnsupportedOperation(ClientError, NotImplementedError):
    """An oss2 operation pyjindo does not implement (live channels, select, WORM, ...; the list is
    pyjindo/_unsupported.py and the README). Not in oss2: raised before anything is sent, and
    catchable as oss2's ClientError (so as OssError) or as NotImplementedError.

    `operation` is the method's name ("Bucket.put_live_channel"), `family` what it belongs to.
    """

    def __init__(self, operation, family=""):
        ClientError.__init__(self, "pyjindo does not support {0}{1}; use oss2 for it".format(
            operation, " [{0}]".format(family) if family else ""))
        self.operation = operation
        self.family = family


class CredentialsError(ClientError):
    """Not in oss2: no keys could be had to sign a request, so nothing was sent. `not_found` is
    True when no source had any (the message lists every place looked), False when a source
    failed (a metadata service down with the keys expired, a malformed credentials file)."""

    def __init__(self, message, not_found=False):
        ClientError.__init__(self, message)
        self.not_found = not_found


class RequestError(OssError):
    def __init__(self, e):
        OssError.__init__(self, OSS_REQUEST_ERROR_STATUS, {}, "RequestError: " + str(e), {})
        #: the underlying transport error
        self.exception = e

    def __str__(self):
        return self._str_with_body()


class InconsistentError(OssError):
    def __init__(self, message, request_id=""):
        OssError.__init__(self, OSS_INCONSISTENT_ERROR_STATUS, {_REQUEST_ID_HEADER: request_id},
                          "InconsistentError: " + message, {})

    def __str__(self):
        return self._str_with_body()


class OpenApiFormatError(OssError):
    def __init__(self, message):
        OssError.__init__(self, OSS_FORMAT_ERROR_STATUS, {}, message, {})

    def __str__(self):
        return self._str_with_body()


class OpenApiServerError(OssError):
    def __init__(self, status, request_id, message, error_code):
        OssError.__init__(self, status, {_REQUEST_ID_HEADER: request_id}, "",
                          {"Code": error_code, "Message": message})


class ServerError(OssError):
    pass


class NotFound(ServerError):
    status = 404
    code = ""


class MalformedXml(ServerError):
    status = 400
    code = "MalformedXML"


class InvalidRequest(ServerError):
    status = 400
    code = "InvalidRequest"


class OperationNotSupported(ServerError):
    status = 400
    code = "OperationNotSupported"


class RestoreAlreadyInProgress(ServerError):
    status = 409
    code = "RestoreAlreadyInProgress"


class InvalidArgument(ServerError):
    status = 400
    code = "InvalidArgument"

    def __init__(self, status, headers, body, details):
        super(InvalidArgument, self).__init__(status, headers, body, details)
        self.name = details.get("ArgumentName")
        self.value = details.get("ArgumentValue")


class InvalidDigest(ServerError):
    status = 400
    code = "InvalidDigest"


class InvalidObjectName(ServerError):
    status = 400
    code = "InvalidObjectName"


class NotImplemented(ServerError):  # noqa: A001  (oss2's name)
    status = 400
    code = "NotImplemented"


class InvalidEncryptionRequest(ServerError):
    status = 400
    code = "InvalidEncryptionRequest"


class BucketReplicationAlreadyExist(ServerError):
    status = 400
    code = "BucketReplicationAlreadyExist"


class NoSuchBucket(NotFound):
    status = 404
    code = "NoSuchBucket"


class NoSuchKey(NotFound):
    status = 404
    code = "NoSuchKey"


class NoSuchUpload(NotFound):
    status = 404
    code = "NoSuchUpload"


class NoSuchWebsite(NotFound):
    status = 404
    code = "NoSuchWebsiteConfiguration"


class NoSuchLifecycle(NotFound):
    status = 404
    code = "NoSuchLifecycle"


class NoSuchCors(NotFound):
    status = 404
    code = "NoSuchCORSConfiguration"


class NoSuchLiveChannel(NotFound):
    status = 404
    code = "NoSuchLiveChannel"


class NoSuchBucketPolicy(NotFound):
    status = 404
    code = "NoSuchBucketPolicy"


class NoSuchInventory(NotFound):
    status = 404
    code = "NoSuchInventory"


class NoSuchReplicationRule(NotFound):
    status = 404
    code = "NoSuchReplicationRule"


class Conflict(ServerError):
    status = 409
    code = ""


class BucketNotEmpty(Conflict):
    status = 409
    code = "BucketNotEmpty"


class PositionNotEqualToLength(Conflict):
    status = 409
    code = "PositionNotEqualToLength"

    def __init__(self, status, headers, body, details):
        super(PositionNotEqualToLength, self).__init__(status, headers, body, details)
        position = _header(headers, _NEXT_APPEND_POSITION_HEADER)
        #: where the next append must start
        self.next_position = int(position) if position is not None else None


class ObjectNotAppendable(Conflict):
    status = 409
    code = "ObjectNotAppendable"


class ChannelStillLive(Conflict):
    status = 409
    code = "ChannelStillLive"


class LiveChannelDisabled(Conflict):
    status = 409
    code = "LiveChannelDisabled"


class PreconditionFailed(ServerError):
    status = 412
    code = "PreconditionFailed"


class NotModified(ServerError):
    status = 304
    code = ""


class AccessDenied(ServerError):
    status = 403
    code = "AccessDenied"


class NoSuchServerSideEncryptionRule(NotFound):
    status = 404
    code = "NoSuchServerSideEncryptionRule"


class InvalidEncryptionAlgorithmError(ServerError):
    status = 400
    code = "InvalidEncryptionAlgorithmError"


class SelectOperationFailed(ServerError):
    code = "SelectOperationFailed"

    def __init__(self, status, code, message):
        self.status = status
        self.code = code
        self.message = message

    def __str__(self):
        return str({"status": self.status, "code": self.code, "details": self.message})


class SelectOperationClientError(OssError):
    def __init__(self, message, request_id):
        OssError.__init__(self, OSS_SELECT_CLIENT_ERROR_STATUS, {_REQUEST_ID_HEADER: request_id},
                          "SelectOperationClientError: " + message, {})

    def __str__(self):
        return str({_REQUEST_ID_HEADER: self.request_id, "message": self.message})


class SignatureDoesNotMatch(ServerError):
    status = 403
    code = "SignatureDoesNotMatch"


class ObjectAlreadyExists(ServerError):
    status = 400
    code = "ObjectAlreadyExists"


class PartNotSequential(ServerError):
    status = 400
    code = "PartNotSequential"


class NoSuchWORMConfiguration(ServerError):
    status = 404
    code = "NoSuchWORMConfiguration"


class WORMConfigurationLocked(ServerError):
    status = 403
    code = "WORMConfigurationLocked"


class InvalidWORMConfiguration(ServerError):
    status = 400
    code = "InvalidWORMConfiguration"


class NoSuchTransferAccelerationConfiguration(ServerError):
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
    """The children of an <Error> document as a dict (a best guess when it is not well formed)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTreeParseError:
        return _guess_error_details(body)
    if root.tag != "Error":
        return {}
    return {child.tag: child.text for child in root}


def _guess_error_details(body):
    details = {}
    text = to_string(body)
    if "<Error>" not in text or "</Error>" not in text:
        return details
    for tag in ("Code", "Message"):
        m = re.search("<%s>(.*)</%s>" % (tag, tag), text)
        if m:
            details[tag] = m.group(1)
    return details


def make_exception(resp):
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

    def __init__(self, message, kind=None):
        super(GoRequestError, self).__init__(message)
        self.kind = kind


def _error_headers(d):
    from .utils import CaseInsensitiveDict

    headers = CaseInsensitiveDict()
    for pair in d.get("headers") or ():
        name, value = pair[0], pair[1]
        if name in headers:
            headers[name] = headers[name] + ", " + value
        else:
            headers[name] = value
    return headers


def _error_details(d, body):
    details = d.get("details")
    if details:
        return dict(details)
    details = _parse_error_body(body) if body else {}
    if details:
        return details
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


def from_error_dict(d):
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

    status = int(d.get("status") or 0)
    headers = _error_headers(d)
    body = d.get("body")  # Latin-1 text from Go, one character per byte of the body
    body = b"" if body is None else body.encode("latin-1") if isinstance(body, str) else bytes(body)
    details = _error_details(d, body)
    body = body[:_ERROR_BODY_KEPT]  # oss2 keeps what resp.read(4096) gave (details come from it all)
    request_id = d.get("request_id")
    if request_id and _REQUEST_ID_HEADER not in headers:
        headers[_REQUEST_ID_HEADER] = request_id
    return _server_error(status, headers, body, details)
