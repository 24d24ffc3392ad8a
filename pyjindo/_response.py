"""The response of one request the Go core made, shaped like oss2.http.Response for the models.

Go's success result is a dict:

    {"status": int, "request_id": str, "headers": [[name, value], ...],
     "body": None | dict (the parsed document, shapes documented in models.py) | str,
     "duration": float seconds (optional)}

Header values and a raw (unparsed) body come as Latin-1 text, one character per byte: header
values stay so, as http.client (and so oss2) decodes them; a raw body becomes bytes again.
A parsed document has been read in Go, so read() gives b'' for it, as oss2's does once parsed;
for get_object, read() reads the object's body (the stream GetObjectResult also reads from).
"""
from typing import Any

from ._caseinsensitive import CaseInsensitiveDict


def headers_from_pairs(pairs):
    """A CaseInsensitiveDict from [[name, value], ...]; repeated names are joined with ', ' as
    requests (and so oss2) does (CaseInsensitiveDict._of_flat)."""
    flat = [x for pair in pairs or () for x in (pair[0], pair[1])]
    flat.append("")  # the end a header block's split leaves
    return CaseInsensitiveDict._of_flat(flat)


def quick_parts(data):
    """A quick call's compact ('C') result: (status, request_id, duration, stream number, length,
    crc, deferred error JSON, header block (Latin-1 text: name NUL value NUL ...), body bytes or
    None)."""
    # A large result (a body) has its fields split from its start only: the body is copied once
    end = len(data)
    start = end if end <= 8 * _FIELDS_MAX else _FIELDS_MAX  # the length split
    try:
        status, request_id, duration, stream, length, crc, deferred, rest = data[:start].split(b"\0", 7)
    except ValueError:  # a long request id or deferred error
        start = end
        status, request_id, duration, stream, length, crc, deferred, rest = data.split(b"\0", 7)
    at = start - len(rest)  # where the header block starts
    stream, length = int(stream), int(length)
    body = None
    if stream == 0 and length >= 0:
        end -= length
        body = data[end:]
    return (int(status[1:]), request_id.decode("latin-1"), float(duration), stream, length,
            int(crc) if crc else None, deferred.decode("utf-8") if deferred else "",
            data[at:end].decode("latin-1"), body)


# enough of a compact result's start to hold its fields before the header block, but for a long
# request id or deferred error
_FIELDS_MAX = 512


class _FromBlock(object):
    """`headers` and `header_values` of a quick call's Response, made from its header block on
    first use (then instance attributes, which Python finds first: this is not a data
    descriptor)."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, r, owner=None):
        if r is None:
            return self
        flat = r._block.split("\0")  # every field ends with a NUL: the last item is ""
        r.header_values = values = dict(zip(map(str.lower, flat[0:-1:2]), flat[1::2]))
        r.headers = headers = CaseInsensitiveDict._of_flat(flat)
        if 2 * len(values) != len(flat) - 1:  # a repeated name: its values joined, as in headers
            r.header_values = dict(headers.lower_items())
        return r.__dict__[self.name]


class Response(object):
    """status, headers, request_id and the parsed body (`parsed`) of one response."""

    _block: str  # a quick call's header block (_FromBlock)
    headers: Any = _FromBlock()
    header_values: Any = _FromBlock()

    def __init__(self, status, headers, request_id="", parsed=None, duration=None, raw=None, stream=None):
        self.status = status
        self.headers = headers if isinstance(headers, CaseInsensitiveDict) else CaseInsensitiveDict(headers)
        #: the headers by lowercased name, for the result classes' fields (a CaseInsensitiveDict
        #: here; a dict in a quick call's Response, whose `headers` are made on first use)
        self.header_values = self.headers
        self.request_id = request_id or self.headers.get("x-oss-request-id", "")
        #: the body as parsed by Go (a dict), or None
        self.parsed = parsed
        #: seconds the request took, as measured by Go (None if not reported)
        self.duration = duration
        self.response = None  # oss2's Response wraps a requests response here; there is none
        self._raw = raw
        self._stream = stream

    @classmethod
    def from_result(cls, result, stream=None):
        """The Response for Go's result; `stream` is the body still to read (get_object)."""
        body = result.get("body")
        parsed, raw = (None, body) if isinstance(body, (str, bytes)) else (body, None)
        if isinstance(raw, str):
            raw = raw.encode("latin-1")
        duration = result.get("duration")
        if duration is None and result.get("duration_ms") is not None:
            duration = result["duration_ms"] / 1000.0
        return cls(int(result.get("status") or 0), headers_from_pairs(result.get("headers")),
                   result.get("request_id") or "", parsed, None if duration is None else float(duration), raw,
                   stream)

    @classmethod
    def from_quick(cls, parts, stream=None):
        """The Response of a quick call's compact result (quick_parts). Its headers are read from
        the block on first use (object_exists reads none)."""
        r = cls.__new__(cls)
        r.status, r.request_id, r.duration, _, _, _, _, r._block, body = parts
        r.parsed, r.response, r._raw, r._stream = None, None, None if stream is not None else body, stream
        if not r.request_id:
            r.request_id = r.header_values.get("x-oss-request-id", "")
        return r

    @classmethod
    def from_item(cls, r):
        """The Response of one item of a batch, a reader's open or a writer's completion: status
        and headers only, the request id taken from the headers."""
        headers = r["headers"]
        request_id = next((v for k, v in headers if k.lower() == "x-oss-request-id"), "")
        return cls.from_result({"status": r["status"], "headers": headers, "request_id": request_id})

    def read(self, amt=None):
        """The body not read yet: the object's for get_object, else the raw body Go passed through."""
        if self._stream is not None:
            return self._stream.read(amt) or b""
        if not self._raw:
            return b""
        data = self._raw
        if amt is None or amt < 0 or amt >= len(data):
            self._raw = None
            return data
        self._raw = data[amt:]
        return data[:amt]

    def __iter__(self):
        while True:
            data = self.read(_CHUNK_SIZE)
            if not data:
                return
            yield data

    def close(self):
        if self._stream is not None:
            self._stream.close()


_CHUNK_SIZE = 64 * 1024
