"""The response of one request the Go core made, shaped like oss2.http.Response for the models.

Go's success result is a dict:

    {"status": int, "request_id": str, "headers": [[name, value], ...],
     "body": None | dict (the parsed document, shapes documented in models.py) | str,
     "duration": float seconds (optional)}

The body has already been read and parsed in Go, so `read()` only hands back a raw body Go chose
to pass through as a string (none for parsed documents).
"""
from .compat import to_bytes
from .utils import CaseInsensitiveDict


def headers_from_pairs(pairs):
    """A CaseInsensitiveDict from [[name, value], ...]; repeated names are joined with ', ' as
    requests (and so oss2) does."""
    headers = CaseInsensitiveDict()
    for pair in pairs or ():
        name, value = pair[0], pair[1]
        if name in headers:
            headers[name] = headers[name] + ", " + value
        else:
            headers[name] = value
    return headers


class Response(object):
    """status, headers, request_id and the parsed body (`parsed`) of one response."""

    def __init__(self, status, headers, request_id="", parsed=None, duration=None, raw=None):
        self.status = status
        self.headers = headers if isinstance(headers, CaseInsensitiveDict) else CaseInsensitiveDict(headers)
        self.request_id = request_id or self.headers.get("x-oss-request-id", "")
        #: the body as parsed by Go (a dict), or None
        self.parsed = parsed
        #: seconds the request took, as measured by Go (None if not reported)
        self.duration = duration
        self.response = None  # oss2's Response wraps a requests response here; there is none
        self._raw = raw
        self._all_read = False

    @classmethod
    def from_result(cls, result):
        body = result.get("body")
        parsed, raw = (None, body) if isinstance(body, (str, bytes)) else (body, None)
        duration = result.get("duration")
        if duration is None and result.get("duration_ms") is not None:
            duration = result["duration_ms"] / 1000.0
        return cls(int(result.get("status") or 0), headers_from_pairs(result.get("headers")),
                   result.get("request_id") or "", parsed, None if duration is None else float(duration), raw)

    def read(self, amt=None):
        """The unparsed body, if Go passed one through (b'' otherwise)."""
        if self._all_read or self._raw is None:
            return b""
        data = to_bytes(self._raw)
        if amt is None or amt >= len(data):
            self._all_read = True
            self._raw = None
            return data
        self._raw = data[amt:]
        return data[:amt]

    def __iter__(self):
        data = self.read()
        return iter([data] if data else [])

    def close(self):
        pass
