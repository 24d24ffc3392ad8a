"""The bodies of get_object results: a stream read from Go's reader (or filled whole, in parallel,
by one call), and the empty body of a download already written to a file."""
from typing import List

from . import _binding, _ops, utils
from .exceptions import from_error_dict


class GoStream(object):
    """The body of a get_object. read() with no size (or a size covering the rest) fills one
    fresh bytes object of the exact size, with parts fetched in parallel and written in place by
    Go; smaller reads come from Go's prefetching reader."""

    def __init__(self, bucket, handle, length, operation):
        self._bucket = bucket
        self._operation = operation  # the public method that opened it, naming its reads' retries
        self._handle = handle  # a _binding.Handle: refused by the binding after a fork
        self._left = length if length is not None and length >= 0 else None
        self.crc = 0  # CRC64 of everything read so far
        self.eof = self._left == 0  # crc is then the whole body's
        self._closed = False

    def _finish(self, result):
        self.crc = result["crc"]
        if result["eof"]:
            self.eof = True
            self._left = 0

    #: read() takes a progress callback (GetObjectResult reports to oss2's callback while reading)
    progress_while_reading = True

    def read(self, amt=None, progress=None):
        """Up to amt bytes (all that is left when None). progress, if given, is called as
        (bytes of this read so far, amt or what was left) every 50 ms while Go reads, as the
        binding polls its counters; the end of the read is the caller's to report."""
        if self._closed or self._left == 0:
            return b""
        self._handle.number()  # after a fork: a clear ClientError, before anything else happens
        if amt is not None and amt <= 0:
            return b""
        if self._left is not None and (amt is None or amt >= self._left) and self._left >= 2:
            # bytes(n) for n >= 2 is a new, unshared object: Go may fill it before anyone sees it.
            out = bytes(self._left)
            result = self._bucket._call(_ops.STREAM_READ_ALL, {"stream": self._handle}, out, log=False,
                                        progress_callback=progress, progress_total=len(out),
                                        operation=self._operation)
            self._finish(result)
            return out if result["n"] == len(out) else out[:result["n"]]
        if amt is None:
            chunks: List[bytes] = []
            while True:
                chunk = self.read(8 * 1024 * 1024)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
        size = min(amt, self._left) if self._left is not None else amt
        # Filled in place and returned as it is, as read() of the whole body (no second copy);
        # bytes of 0 or 1 are shared singletons, never to be written.
        buf = bytes(size) if size >= 2 else bytearray(size)
        result = self._bucket._call(_ops.STREAM_READ, {"stream": self._handle}, buf, log=False,
                                    progress_callback=progress, progress_total=len(buf),
                                    operation=self._operation)
        n = result["n"]
        if self._left is not None:
            self._left -= n
        self._finish(result)
        if n == len(buf) and isinstance(buf, bytes):
            return buf
        return bytes(memoryview(buf)[:n])

    def close(self):
        if not self._closed:
            self._closed = True
            self._handle.free()


class DoneStream(object):
    """get_object_to_file's result has no body left to read."""

    def __init__(self, result):
        self.crc = result.get("crc")

    def read(self, amt=None):
        return b""

    def close(self):
        pass


class BytesStream(object):
    """The body of a small get_object, read whole by Go with the first answer (a quick get):
    read() serves it from memory. Like GoStream it refuses to be read in a forked child, keeps
    the CRC64 of what was read so far (Go's of the whole body at the end), and `deferred`, an
    error of that read, is raised by the first read as GoStream would have raised it."""

    def __init__(self, data, crc, deferred=None):
        self._generation = _binding._generation  # for the fork check only (no Handle: nothing to free)
        self._data = data
        self._pos = 0
        self._whole_crc = crc
        self._deferred = deferred
        self._closed = False
        #: the whole body has been read (crc is then the whole body's); a deferred error is not read
        self.eof = not data and deferred is None

    @property
    def crc(self):
        if self._pos >= len(self._data):
            return self._whole_crc if self._deferred is None else 0
        return utils.crc64(self._data[:self._pos])  # a partial read: the running value, as oss2's

    def read(self, amt=None):
        if self._closed:
            return b""
        if self._generation != _binding._generation:  # forked: the Handle's ClientError, as GoStream's
            _binding.Handle(0, self._generation, "GetObjectResult").number()
        if self._deferred is not None:
            raise from_error_dict(self._deferred)
        if amt is not None and amt <= 0:
            return b""
        data, pos, size = self._data, self._pos, len(self._data)
        if pos == 0 and (amt is None or amt >= size):
            self._pos, self.eof = size, True
            return data
        end = size if amt is None else min(size, pos + amt)
        self._pos, self.eof = end, end >= size
        return data[pos:end]

    def close(self):
        self._closed = True
