"""Wire encoding: oss2's arguments (headers, query parameters, byte ranges, bodies) in the shapes
the Go operations take (pyjindo/_ops.py names them). Bucket, the batch engine and the file
objects all encode through here, so a header value is turned into bytes on the wire one way.
"""
import os
import stat
import types
from typing import Any, Mapping, Tuple

from . import utils
from .exceptions import ClientError

def headers(headers):
    """Headers as a list of [name, value] pairs for Go, oss2's None values (header not sent) dropped.

    Values are what oss2 puts on the wire: bytes as they are, str encoded as Latin-1 (http.client
    does this, and raises UnicodeEncodeError for other characters, so '测试' must be given as
    bytes, '测试'.encode()). They travel to Go as Latin-1 text, one character per byte, and Go
    sends (and signs) those bytes. Other types raise TypeError, as oss2's signing does.
    """
    if not headers:
        return []
    return [[_header_text(k), _header_value(k, v)] for k, v in headers.items() if v is not None]


def signed_url_headers(headers):
    """Headers for sign_url as [name, value] pairs. Unlike a request, which puts a str value on
    the wire as Latin-1, oss2's sign_url signs it as UTF-8 (to_bytes), so '测试' signs fine there;
    the UTF-8 bytes then travel to Go as Latin-1 text like any bytes value."""
    if not headers:
        return []
    return [[_header_text(k), _header_value(k, v.encode("utf-8") if isinstance(v, str) else v)]
            for k, v in headers.items() if v is not None]


def _header_text(name):
    return name.decode("latin-1") if isinstance(name, (bytes, bytearray)) else str(name)


def _header_value(name, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    if isinstance(value, str):
        value.encode("latin-1")  # the UnicodeEncodeError oss2 (http.client) raises
        return value
    raise TypeError("header {0!r} has a value of type {1}; it must be str or bytes".format(
        _header_text(name), type(value).__name__))


def params(params):
    """Query parameters as [name, value] pairs; '' or None means a bare `?name`."""
    if not params:
        return []
    return [[str(k), "" if v is None else str(v)] for k, v in params.items()]


def range_string(byte_range):
    if byte_range is None:
        return ""
    start, last = byte_range[0], byte_range[1]
    if start is None and last is None:
        return ""
    return "bytes=%s-%s" % ("" if start is None else start, "" if last is None else last)


def _regular_file_body(data):
    """(fd, offset, size) when data is an open regular file, so Go reads it with pread."""
    try:
        fd = data.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        offset = data.tell()
    except (AttributeError, OSError, ValueError):
        return None
    return fd, offset, max(0, os.fstat(fd).st_size - offset)


#: body(None): no arguments (read-only: it is shared), no buffer, size 0
NO_BODY: Tuple[Mapping[str, Any], None, int] = (types.MappingProxyType({}), None, 0)


def body(data):
    """Turn oss2-style data (str, bytes-like, file object, iterable) into (args, buffer, total).

    Bytes-like data is passed to Go without a copy; open regular files are read by Go directly.
    total is the size progress callbacks are given: None where oss2 cannot know it in advance (an
    iterable, or a file object without len or seek/tell), as oss2 reports it.
    """
    if data is None:
        return NO_BODY
    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return {}, data, memoryview(data).nbytes
    f = _regular_file_body(data)
    if f is not None:
        fd, offset, size = f
        return {"fd": fd, "offset": offset, "size": size}, None, size
    sized = utils._has_data_size_attr(data)
    if hasattr(data, "read"):
        buf = utils.to_bytes_all(data.read())
    elif hasattr(data, "__iter__"):
        buf = b"".join(c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in data)
    else:
        raise ClientError("{0} is not a file object, bytes or str".format(type(data).__name__))
    return {}, buf, len(buf) if sized else None
