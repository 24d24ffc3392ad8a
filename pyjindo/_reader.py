"""A seekable, read-only file object over one OSS object (fsspec's open("rb"), torch.load).

    with ObjectReader(bucket, "data/part-0.parquet") as f:
        f.seek(-8, os.SEEK_END)
        footer = f.read(8)

Opening sends one HEAD (size, ETag). Reads go through the Go core's prefetching reader
(go/transfer/seekreader.go): read from the start without seeking, the whole object streams in
parallel ranged parts; after a seek it fetches a small segment, which doubles as reading runs on,
so random reads (parquet footers and column chunks) fetch little they do not use while a scan
after a seek soon runs at full speed again. Every request is pinned to the ETag seen at open: if
the object is replaced meanwhile, a read raises PreconditionFailed instead of mixing versions.
With `version_id` (a versioned bucket) the HEAD and every read name that version.

Each read is one call into Go: for many tiny reads (readline) wrap it in io.BufferedReader.

A reader is not safe for two threads at once: the position is shared, so one thread's seek moves
the other's read. Open one reader per thread, or share an io.BufferedReader and hold a lock
around each seek-and-read.
"""
import io
import os
from typing import Optional

from . import _ops, _wire, models
from ._response import Response
from .compat import to_string

__all__ = ["ObjectReader"]


class ObjectReader(io.RawIOBase):
    """Raw binary file object with read/readinto/readall/seek/tell. `size` is the object's
    length and `info` its `HeadObjectResult` at open; `version_id` reads that version."""

    def __init__(self, bucket, key, headers=None, version_id: Optional[str] = None):
        super().__init__()
        self._bucket = bucket
        self.key = to_string(key)
        self._handle = None
        opened = bucket._call(_ops.READER_OPEN, {"bucket": bucket.bucket_name, "key": self.key,
                                                 "version_id": version_id or "",
                                                 "headers": _wire.headers(headers)}, log=False)
        self._handle = opened["reader"]
        self.size = int(opened["size"])
        self.info = models.HeadObjectResult(Response.from_item({"status": 200, "headers": opened["headers"]}))
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        self._checkClosed()
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move to `offset` (relative to whence); nothing is sent until the next read. A position
        past the end reads b""."""
        self._checkClosed()
        self._pos = seek_position(offset, whence, self._pos, self.size)
        return self._pos

    def readinto(self, b) -> int:
        """Fill `b` from the current position (less only at the end of the object); 0 at the end."""
        self._checkClosed()
        view = memoryview(b)
        if view.readonly:
            # Go writes through the pointer whatever the buffer says: bytes (even CPython's shared
            # one-byte singletons) would be overwritten in place.
            raise TypeError("readinto() argument must be read-write bytes-like object")
        return self._fill(view.cast("B"))

    def _fill(self, view: memoryview) -> int:
        """Go fills `view` (writable, or a fresh object no one else holds) from the position."""
        if not len(view) or self._pos >= self.size:
            return 0
        result = self._bucket._call(_ops.READER_READ, {"reader": self._handle, "pos": self._pos}, view, log=False)
        n = int(result["n"])
        self._pos += n
        return n

    def read(self, size: Optional[int] = -1) -> bytes:
        self._checkClosed()
        if size is None or size < 0:
            return self.readall()
        n = min(size, max(0, self.size - self._pos))
        if n < 2:
            buf = bytearray(n)
            return bytes(buf[:self._fill(memoryview(buf))])
        buf = bytes(n)  # a new, unshared object Go fills in place (see _batch._alloc)
        got = self._fill(memoryview(buf))
        return buf if got == n else buf[:got]

    def readall(self) -> bytes:
        return self.read(max(0, self.size - self._pos))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.free()  # stops the prefetches
        super().close()

    def __del__(self):
        try:
            if self._handle is not None:
                self._handle.free()
        except Exception:
            pass


def seek_position(offset: int, whence: int, pos: int, size: int) -> int:
    """The position io's seek(offset, whence) names, from pos in an object of size bytes."""
    if whence == os.SEEK_SET:
        target = offset
    elif whence == os.SEEK_CUR:
        target = pos + offset
    elif whence == os.SEEK_END:
        target = size + offset
    else:
        raise ValueError("invalid whence (%r, should be 0, 1 or 2)" % (whence,))
    if target < 0:
        raise ValueError("negative seek position %d" % target)
    return target
