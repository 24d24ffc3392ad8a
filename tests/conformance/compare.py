"""Run one scenario through oss2 and through pyjindo and compare what each returned or raised.

A scenario is a function `scenario(oss, bucket)` where `oss` is the module (oss2 or pyjindo) and
`bucket` that module's Bucket on a fresh bucket of the shared server. Whatever it returns is
reduced to plain data (`snapshot`) and the two snapshots must be equal; exceptions are compared by
class name, status, code and message (and details, minus per-request values).
"""
import datetime

# Values that differ between any two requests, even identical ones.
VOLATILE_FIELDS = {"request_id", "resp", "duration", "_GetObjectResult__crc_enabled", "stream"}
VOLATILE_HEADERS = {"x-oss-request-id", "date", "last-modified", "connection", "keep-alive", "server",
                    "x-oss-server-time", "content-security-policy"}
VOLATILE_DETAILS = {"RequestId", "HostId", "UploadId"}  # upload ids are random per run
# Fields whose value is a time: equal up to a few seconds is equal (the two runs are not simultaneous).
TIME_FIELDS = {"last_modified", "last_modified_time", "creation_date", "initiation_date", "initiated"}
TIME_TOLERANCE = 5


class Different(AssertionError):
    pass


class Raised(object):
    """An exception, reduced to what users of oss2 look at."""

    def __init__(self, exc):
        self.cls = type(exc).__name__
        self.status = getattr(exc, "status", None)
        self.code = getattr(exc, "code", None)
        self.message = getattr(exc, "message", None)
        details = getattr(exc, "details", None)
        self.details = None if details is None else {k: v for k, v in details.items() if k not in VOLATILE_DETAILS}
        self.next_position = getattr(exc, "next_position", None)
        self.is_oss_error = hasattr(exc, "status") and hasattr(exc, "request_id")
        self.has_request_id = bool(getattr(exc, "request_id", None))

    def as_dict(self):
        return dict(vars(self))

    def __repr__(self):
        return "Raised(%r)" % self.as_dict()


def run(scenario, oss, bucket):
    try:
        return scenario(oss, bucket)
    except Exception as e:  # the scenario's own asserts raise AssertionError, which we keep
        if isinstance(e, AssertionError):
            raise
        return Raised(e)


def snapshot(value, path="result"):
    """Plain data for a result: objects become {'__class__': name, field: snapshot(...)}."""
    if isinstance(value, Raised):
        return {"__raised__": value.as_dict()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"__bytes__": len(value), "sha": __import__("hashlib").sha1(bytes(value)).hexdigest()}
    if isinstance(value, (list, tuple)):
        return [snapshot(v, "%s[%d]" % (path, i)) for i, v in enumerate(value)]
    if isinstance(value, dict) or _is_header_dict(value):
        return {str(k).lower() if _is_header_dict(value) else k: snapshot(v, "%s[%r]" % (path, k))
                for k, v in value.items()}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if hasattr(value, "__dict__"):
        out = {"__class__": type(value).__name__}
        for k, v in vars(value).items():
            if k in VOLATILE_FIELDS or k.startswith("_"):
                continue
            if k == "headers":
                out[k] = {str(h).lower(): hv for h, hv in v.items() if str(h).lower() not in VOLATILE_HEADERS}
                continue
            out[k] = snapshot(v, path + "." + k)
        return out
    return repr(value)


def _is_header_dict(value):
    return type(value).__name__ == "CaseInsensitiveDict"


def compare(expected, actual, path="result", allow_extra=("duration",)):
    """Raise Different naming the first place where pyjindo's snapshot differs from oss2's."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k in expected:
            if k not in actual:
                raise Different("%s.%s: oss2 has it, pyjindo does not (oss2: %r)" % (path, k, expected[k]))
            if k in TIME_FIELDS and _close_times(expected[k], actual[k]):
                continue
            compare(expected[k], actual[k], "%s.%s" % (path, k), allow_extra)
        for k in actual:
            if k not in expected and k not in allow_extra:
                raise Different("%s.%s: pyjindo has it, oss2 does not (pyjindo: %r)" % (path, k, actual[k]))
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            raise Different("%s: oss2 has %d items, pyjindo %d" % (path, len(expected), len(actual)))
        for i, (e, a) in enumerate(zip(expected, actual)):
            compare(e, a, "%s[%d]" % (path, i), allow_extra)
        return
    if expected != actual or type(expected) is not type(actual):
        raise Different("%s: oss2 %r, pyjindo %r" % (path, expected, actual))


def _close_times(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and type(a) is type(b):
        return abs(a - b) <= TIME_TOLERANCE
    return False
