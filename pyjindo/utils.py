"""Helpers with oss2.utils' names and results, minus anything that does I/O over the network.

CRC64 (ECMA-182, as OSS reports it in x-oss-hash-crc64ecma) is pure Python here: the Go core
checksums the data it moves, so Python only combines part checksums and checks small inputs.
"""
import base64
import binascii
import calendar
import datetime
import errno
import functools
import hashlib
import logging
import mimetypes
import os
import os.path
import re
import socket
import sys
import threading
import time
import zlib
from email.utils import formatdate
from typing import IO, Any, Callable, Iterable, MutableMapping, Optional, Union

from . import defaults  # noqa: F401  (oss2.utils imports it too)
from ._caseinsensitive import CaseInsensitiveDict  # noqa: F401  (oss2.utils has it)
from .compat import to_bytes, to_string, urlquote as _urlquote, urlparse  # noqa: F401
from ._cipher import AES_CTR, AES_GCM, AESCTRCipher  # noqa: F401  (oss2.utils has them)
from .crc64_combine import _append_zeros, _one_zero_bit, mkCombineFun  # noqa: F401  (oss2.utils has mkCombineFun)
from .exceptions import ClientError, InconsistentError, OpenApiFormatError

logger = logging.getLogger("oss2.pyjindo.utils")


# --- encoding and hashing --------------------------------------------------------------------------

def urlquote(data: Union[str, bytes], safe: str = "/") -> str:
    """Percent-encode `data` (str or bytes) as urllib.parse.quote does."""
    return _urlquote(data, safe)


def b64encode_as_string(data: Union[str, bytes]) -> str:
    """Base64 of `data` (str is UTF-8 encoded) as str."""
    return to_string(base64.b64encode(to_bytes(data)))


def b64decode_from_string(data: Union[str, bytes]) -> bytes:
    """The bytes of base64 text; OpenApiFormatError when it is not base64, as oss2."""
    try:
        return base64.b64decode(to_string(data))
    except (TypeError, binascii.Error):
        raise OpenApiFormatError("Base64 Error: " + to_string(data))


def content_md5(data: Union[str, bytes]) -> str:
    """Base64 of the MD5 of `data`: the value of a Content-MD5 header."""
    return b64encode_as_string(hashlib.md5(to_bytes(data)).digest())


def md5_string(data: Union[str, bytes]) -> str:
    """Lower-case hex MD5 of `data`."""
    return hashlib.md5(to_bytes(data)).hexdigest()


def to_bytes_all(data: Any) -> bytes:
    """`data` as bytes: str is UTF-8 encoded, bytes-like objects copied, iterables of chunks joined."""
    if data is None:
        return b""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if hasattr(data, "read"):
        return to_bytes_all(data.read())
    if hasattr(data, "__iter__"):
        return b"".join(to_bytes_all(chunk) for chunk in data)
    raise ClientError("{0} is not bytes, str, a file object or an iterable".format(type(data).__name__))


# --- content type ----------------------------------------------------------------------------------

_EXTRA_TYPES_MAP = {
    ".js": "application/javascript",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
    ".potx": "application/vnd.openxmlformats-officedocument.presentationml.template",
    ".ppsx": "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".sldx": "application/vnd.openxmlformats-officedocument.presentationml.slide",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    ".xlam": "application/vnd.ms-excel.addin.macroEnabled.12",
    ".xlsb": "application/vnd.ms-excel.sheet.binary.macroEnabled.12",
    ".apk": "application/vnd.android.package-archive",
}


def content_type_by_name(name: Union[str, bytes]) -> Optional[str]:
    """The MIME type for a file name, from its extension (None when unknown), as oss2 guesses:
    its additions, then Python's mimetypes. Bucket's uploads (put_object, put_object_from_file,
    append_object, init_multipart_upload) guess here, as oss2's do; Go does not guess for
    Python, since Go's tables give another type for most extensions (the CLI guesses with
    Go's, as ossutil does). A bytes name is read as UTF-8 (oss2 raises TypeError for one)."""
    name = to_string(name)
    if "." not in name.rpartition("/")[2] and ":" not in name:
        return None  # no extension and no URL scheme (data:): neither table can know it
    ext = os.path.splitext(name)[1].lower()
    if ext in _EXTRA_TYPES_MAP:
        return _EXTRA_TYPES_MAP[ext]
    return mimetypes.guess_type(name)[0]


def set_content_type(headers: Optional[MutableMapping[str, Any]],
                     name: Union[str, bytes]) -> MutableMapping[str, Any]:
    """Set Content-Type in `headers` from `name` unless it is already there; returns the headers."""
    headers = headers or {}
    if "Content-Type" in headers:
        return headers
    content_type = content_type_by_name(name)
    if content_type:
        headers["Content-Type"] = content_type
    return headers


# --- names -----------------------------------------------------------------------------------------

def is_ip_or_localhost(netloc: str) -> bool:
    """True when the host part of `netloc` is an IPv4/IPv6 address or localhost."""
    bracket = netloc.find("]")
    if netloc[0] == "[" and bracket > 0:
        host, family = netloc[1:bracket], socket.AF_INET6
    else:
        host, family = netloc.split(":")[0], None
    if host == "localhost":
        return True
    try:
        if family is None:
            socket.inet_aton(host)
        else:
            socket.inet_pton(family, host)
    except (socket.error, ValueError):
        return False
    return True


_ALPHA_NUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_HYPHEN = "-"
_BUCKET_NAME_CHARS = set(_ALPHA_NUM + _HYPHEN)
_MAX_UINT32 = 2 ** 32 - 1
_MAX_UINT64 = 2 ** 64 - 1
_ENDPOINT_RE = re.compile(r"^([a-zA-Z]+://)?[\w.-]+(:\d+)?$")


def is_valid_bucket_name(name: str) -> bool:
    """3 to 63 lower-case letters, digits and hyphens, starting with a letter or digit and not
    ending with a hyphen."""
    if not 3 <= len(name) <= 63:
        return False
    if name[-1] == _HYPHEN or name[0] not in _ALPHA_NUM:
        return False
    return set(name) <= _BUCKET_NAME_CHARS


def is_valid_endpoint(endpoint: Optional[str]) -> bool:
    """An optional scheme, a host name and an optional port, nothing else."""
    if endpoint is None:
        return False
    return _ENDPOINT_RE.match(endpoint) is not None


def change_endianness_if_needed(bytes_array: bytearray) -> None:
    """Reverse bytes_array in place on a little-endian machine, as oss2."""
    if sys.byteorder == "little":
        bytes_array.reverse()


# --- sizes and file objects ------------------------------------------------------------------------

class SizedFileAdapter(object):
    """Reads at most `size` bytes from `file_object`."""

    def __init__(self, file_object: IO[Any], size: int) -> None:
        self.file_object = file_object
        self.size = size
        self.offset = 0

    def read(self, amt: Optional[int] = None) -> Union[str, bytes]:
        """Up to amt bytes, never past size; "" (str, as oss2) once size bytes were read."""
        if self.offset >= self.size:
            return ""  # as oss2 (its callers only test for emptiness)
        if amt is None or amt < 0 or amt + self.offset >= self.size:
            data = self.file_object.read(self.size - self.offset)
            self.offset = self.size
            return data
        self.offset += amt
        return self.file_object.read(amt)

    @property
    def len(self) -> int:
        """The size given."""
        return self.size


def how_many(m: int, n: int) -> int:
    """ceil(m / n) for positive integers."""
    return (m + n - 1) // n


def file_object_remaining_bytes(fileobj: IO[Any]) -> int:
    """Bytes from the current position to the end of a seekable file object."""
    current = fileobj.tell()
    fileobj.seek(0, os.SEEK_END)
    end = fileobj.tell()
    fileobj.seek(current, os.SEEK_SET)
    return end - current


def _has_data_size_attr(data):
    return hasattr(data, "__len__") or hasattr(data, "len") or (hasattr(data, "seek") and hasattr(data, "tell"))


def _get_data_size(data):
    if hasattr(data, "__len__"):
        return len(data)
    if hasattr(data, "len"):
        return data.len
    if hasattr(data, "seek") and hasattr(data, "tell"):
        return file_object_remaining_bytes(data)
    return None


# --- CRC -------------------------------------------------------------------------------------------

_CRC64_POLY_REFLECTED = 0xC96C5795D7870F42  # ECMA-182, bit-reversed
_CRC64_MASK = 0xFFFFFFFFFFFFFFFF


def _make_crc64_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ _CRC64_POLY_REFLECTED if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC64_TABLE = _make_crc64_table()


def crc64(data: Union[str, bytes], crc: int = 0) -> int:
    """CRC-64/ECMA-182 (the x-oss-hash-crc64ecma value) of `data`, continuing from `crc`."""
    table = _CRC64_TABLE
    crc ^= _CRC64_MASK
    for b in to_bytes(data):
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ _CRC64_MASK


def crc64_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC64 of A+B from crc1 = CRC64(A), crc2 = CRC64(B) and len2 = len(B) (zlib's method)."""
    if len2 <= 0:
        return crc1
    return _append_zeros(_ONE_ZERO_BIT, crc1, len2) ^ crc2


_ONE_ZERO_BIT = _one_zero_bit(_CRC64_POLY_REFLECTED, True)


class Crc64(object):
    """Running CRC64 with oss2's interface: update(data) or call, .crc, combine(crc1, crc2, len2)."""

    _POLY = 0x142F0E1EBA9EA3693
    _XOROUT = 0xFFFFFFFFFFFFFFFF

    def __init__(self, init_crc: int = 0) -> None:
        self._init_crc = init_crc
        self._crc = init_crc

    def __call__(self, data: Union[str, bytes]) -> None:
        self.update(data)

    def update(self, data: Union[str, bytes]) -> None:
        """Continue the CRC over data."""
        self._crc = crc64(data, self._crc)

    def combine(self, crc1: int, crc2: int, len2: int) -> int:
        """CRC64 of A+B from crc1 = CRC64(A), crc2 = CRC64(B) from init_crc, len2 = len(B)."""
        # With a non-zero init value the zeros an empty prefix contributes must be cancelled.
        if self._init_crc:
            crc2 ^= crc64_combine(self._init_crc, 0, len2) ^ crc64_combine(0, 0, len2)
        return crc64_combine(crc1, crc2, len2)

    @property
    def crc(self) -> int:
        """The CRC64 so far."""
        return self._crc


class Crc32(object):
    """Running CRC32 (zlib's) with oss2's interface."""

    _POLY = 0x104C11DB7
    _XOROUT = 0xFFFFFFFF

    def __init__(self, init_crc: int = 0) -> None:
        self._crc = init_crc

    def __call__(self, data: Union[str, bytes]) -> None:
        self.update(data)

    def update(self, data: Union[str, bytes]) -> None:
        """Continue the CRC over data."""
        self._crc = zlib.crc32(to_bytes(data), self._crc) & 0xFFFFFFFF

    @property
    def crc(self) -> int:
        """The CRC32 so far."""
        return self._crc


def calc_obj_crc_from_parts(parts: Iterable[Any], init_crc: int = 0) -> Optional[int]:
    """The CRC64 of an object from its parts' part_crc and size, in order; None if any is missing."""
    object_crc = 0
    crc_obj = Crc64(init_crc)
    for part in parts:
        if not part.part_crc or not part.size:
            return None
        object_crc = crc_obj.combine(object_crc, part.part_crc, part.size)
    return object_crc


def check_crc(operation: str, client_crc: Optional[int], oss_crc: Optional[int], request_id: str) -> None:
    """Raise InconsistentError when both CRCs are known and differ."""
    if client_crc is not None and oss_crc is not None and client_crc != oss_crc:
        e = InconsistentError("InconsistentError: req_id: {0}, operation: {1}, CRC checksum of client: {2} is "
                              "mismatch with oss: {3}".format(request_id, operation, client_crc, oss_crc))
        logger.error("Exception: {0}".format(e))
        raise e


# --- progress and CRC adapters --------------------------------------------------------------------
# oss2 wraps upload data in these to report progress and compute the CRC as the HTTP library reads
# it. pyjindo's Go core does both itself for put_object and friends; the adapters are here for
# programs that build them (and pyjindo reads them as it reads any file object or iterable, so
# their callbacks fire as the data is taken).

_CHUNK_SIZE = 8 * 1024  # what iterating an adapter yields, as oss2


def make_progress_adapter(data: Any, progress_callback: Optional[Callable[[int, Optional[int]], Any]],
                          size: Optional[int] = None) -> Any:
    """`data` (bytes, str, file object or iterable) wrapped so that reading or iterating it calls
    progress_callback(consumed, total); total is None when `size` is not given and cannot be
    known."""
    data = to_bytes(data)
    if size is None:
        size = _get_data_size(data)
    if size is not None:
        return _BytesAndFileAdapter(data, progress_callback, size)
    if hasattr(data, "read"):
        return _FileLikeAdapter(data, progress_callback)
    if hasattr(data, "__iter__"):
        return _IterableAdapter(data, progress_callback)
    raise ClientError("{0} is not a file object, nor an iterator".format(type(data).__name__))


def make_crc_adapter(data: Any, init_crc: int = 0, discard: int = 0) -> Any:
    """`data` wrapped so that reading or iterating it computes the CRC64 of what was read (from
    init_crc), available as `.crc`. `discard` (file-like objects of unknown size only) leaves the
    first bytes out of the CRC."""
    data = to_bytes(data)
    if _has_data_size_attr(data):
        if discard:
            raise ClientError("Bytes of file object adapter does not support discard bytes")
        return _BytesAndFileAdapter(data, size=_get_data_size(data), crc_callback=Crc64(init_crc))
    if hasattr(data, "read"):
        return _FileLikeAdapter(data, crc_callback=Crc64(init_crc), discard=discard)
    if hasattr(data, "__iter__"):
        if discard:
            raise ClientError("Iterator adapter does not support discard bytes")
        return _IterableAdapter(data, crc_callback=Crc64(init_crc))
    raise ClientError("{0} is not a file object, nor an iterator".format(type(data).__name__))


class _Adapter(object):
    """What the three adapters share: the callbacks, the bytes consumed, the CRC."""

    def __init__(self, inner, progress_callback=None, crc_callback=None):
        self._inner = inner
        self.progress_callback = progress_callback
        self.crc_callback = crc_callback
        self.offset = 0

    def _progress(self, consumed, total):
        if self.progress_callback:
            self.progress_callback(consumed, total)

    def next(self):
        """The next chunk; each adapter reads its own kind of data."""
        raise NotImplementedError

    def _crc_update(self, content):
        if self.crc_callback:
            self.crc_callback(content)

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    @property
    def crc(self):
        """The CRC64 of what was read; an adapter without its own CRC asks the data it wraps."""
        if self.crc_callback:
            return self.crc_callback.crc
        if not self._inner:
            return None
        return self._inner.crc


class _IterableAdapter(_Adapter):
    def __init__(self, data, progress_callback=None, crc_callback=None):
        super().__init__(iter(data), progress_callback, crc_callback)

    def next(self):
        self._progress(self.offset, None)  # before each chunk, and once more at the end
        content = next(self._inner)
        self.offset += len(content)
        self._crc_update(content)
        return content


class _FileLikeAdapter(_Adapter):
    """A file object of unknown size: progress is reported with total None."""

    def __init__(self, fileobj, progress_callback=None, crc_callback=None, discard=0):
        super().__init__(fileobj, progress_callback, crc_callback)
        self.fileobj = fileobj
        self.discard = discard
        self.read_all = False

    def next(self):
        if self.read_all:
            raise StopIteration
        content = self.read(_CHUNK_SIZE)
        if not content:
            raise StopIteration
        return content

    def read(self, amt=None):
        content = self.fileobj.read(amt)
        self._progress(self.offset, None)
        if not content:
            self.read_all = True
            return content
        self.offset += len(content)
        skip = min(self.discard, len(content))
        self._crc_update(content[skip:])
        self.discard -= skip
        return content


class _BytesAndFileAdapter(_Adapter):
    """Data of known size (bytes, or a file object read up to `size` bytes): progress is reported
    with that total."""

    def __init__(self, data, progress_callback=None, size=None, crc_callback=None):
        super().__init__(to_bytes(data), progress_callback, crc_callback)
        self.data = self._inner
        self.size = size

    @property
    def len(self):
        return self.size

    def __bool__(self):
        return True  # even when empty: callers test `if data` for "was data given"

    def next(self):
        content = self.read(_CHUNK_SIZE)
        if not content:
            raise StopIteration
        return content

    def read(self, amt=None):
        if self.offset >= self.size:
            return b""
        n = self.size - self.offset if amt is None or amt < 0 else min(amt, self.size - self.offset)
        if isinstance(self.data, bytes):
            content = self.data[self.offset:self.offset + n]
        else:
            content = self.data.read(n)
        self.offset += n
        self._progress(min(self.offset, self.size), self.size)
        self._crc_update(content)
        return content


# --- time ------------------------------------------------------------------------------------------

_STRPTIME_LOCK = threading.Lock()
_ISO8601_FORMAT = "%Y-%m-%dT%H:%M:%S.000Z"

_HTTP_GMT_RE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?P<day>0[1-9]|([1-2]\d)|(3[0-1])) "
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<year>\d+) "
    r"(?P<hour>([0-1]\d)|(2[0-3])):(?P<minute>[0-5]\d):(?P<second>[0-5]\d) GMT$"
)
_ISO8601_RE = re.compile(
    r"(?P<year>\d+)-(?P<month>01|02|03|04|05|06|07|08|09|10|11|12)-(?P<day>0[1-9]|([1-2]\d)|(3[0-1]))"
    r"T(?P<hour>([0-1]\d)|(2[0-3])):(?P<minute>[0-5]\d):(?P<second>[0-5]\d)\.000Z$"
)
_MONTHS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
           "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12}


def to_unixtime(time_string: str, format_string: str) -> int:
    """Seconds since the epoch of a UTC time in time.strptime's format_string."""
    with _STRPTIME_LOCK:
        return int(calendar.timegm(time.strptime(time_string, format_string)))


def http_date(timeval: Optional[float] = None) -> str:
    """An HTTP date (RFC 1123, GMT) for `timeval` (default now), independent of the locale."""
    return formatdate(timeval, usegmt=True)


_UNIX_EPOCH = datetime.datetime(1970, 1, 1)
_SECOND = datetime.timedelta(seconds=1)


def _epoch(m, month):
    # timegm(dt.timetuple())'s value at an eighth of its cost (every head and get reads a date)
    return (datetime.datetime(int(m.group("year")), month, int(m.group("day")), int(m.group("hour")),
                              int(m.group("minute")), int(m.group("second"))) - _UNIX_EPOCH) // _SECOND


@functools.lru_cache(maxsize=256)  # every head and get reads one; objects share their dates
def http_to_unixtime(time_string: str) -> int:
    """Seconds since the epoch for an HTTP date such as 'Sat, 05 Dec 2015 11:10:29 GMT'."""
    m = _HTTP_GMT_RE.match(time_string)
    if not m:
        raise ValueError(time_string + " is not in valid HTTP date format")
    return _epoch(m, _MONTHS[m.group("month")])


def iso8601_to_unixtime(time_string: str) -> int:
    """Seconds since the epoch for an OSS ISO8601 time such as '2012-02-24T06:07:48.000Z'."""
    m = _ISO8601_RE.match(time_string)
    if not m:
        raise ValueError(time_string + " is not in valid ISO8601 format")
    return _epoch(m, int(m.group("month")))


def date_to_iso8601(d: Union[datetime.date, datetime.datetime]) -> str:
    """The date as OSS's ISO8601 text, e.g. '2012-02-24T00:00:00.000Z' for a date."""
    return d.strftime(_ISO8601_FORMAT)


def iso8601_to_date(time_string: str) -> datetime.date:
    """The local date of an OSS ISO8601 time, as oss2."""
    return datetime.date.fromtimestamp(iso8601_to_unixtime(time_string))


# --- local files -----------------------------------------------------------------------------------

def makedir_p(dirpath: str) -> None:
    """os.makedirs; an existing directory is not an error."""
    try:
        os.makedirs(dirpath)
    except OSError as e:
        if e.errno != errno.EEXIST:
            raise


def silently_remove(filename: str) -> None:
    """Remove a file; a missing file is not an error."""
    try:
        os.remove(filename)
    except OSError as e:
        if e.errno != errno.ENOENT:
            raise


def force_rename(src: str, dst: str) -> None:
    """os.rename, removing dst first where the system will not replace it."""
    try:
        os.rename(src, dst)
    except OSError as e:
        if e.errno == errno.EEXIST:
            silently_remove(dst)
            os.rename(src, dst)
        else:
            raise


def copyfileobj_and_verify(fsrc: Any, fdst: Any, expected_len: Optional[int], chunk_size: int = 16 * 1024,
                           request_id: str = "") -> None:
    """Copy fsrc to fdst and raise InconsistentError unless exactly expected_len bytes came."""
    num_read = 0
    while True:
        buf = fsrc.read(chunk_size)
        if not buf:
            break
        num_read += len(buf)
        fdst.write(buf)
    if num_read != expected_len:
        raise InconsistentError("IncompleteRead from source", request_id)


# --- select ranges ---------------------------------------------------------------------------------

def _range_internal(start, last):
    return ("" if start is None else str(start)) + "-" + ("" if last is None else str(last))


def _make_line_range_string(range):
    if range is None or (range[0] is None and range[1] is None):
        return ""
    return "line-range=" + _range_internal(range[0], range[1])


def _make_split_range_string(range):
    if range is None or (range[0] is None and range[1] is None):
        return ""
    return "split-range=" + _range_internal(range[0], range[1])
