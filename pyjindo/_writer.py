"""A file object that streams what is written to it into one OSS object (a multipart upload).

    with ObjectWriter(bucket, "ckpt/model.pt") as f:
        torch.save(state, f)

The Go core copies what is written into parts of `part_size` bytes (growing after 5,000 parts,
so that OSS's 10,000 parts hold 523 GiB at 8 MiB) and uploads each in the background as soon as
it is full, with at most the bucket's `concurrency` parts in flight: memory stays within about
(concurrency + 1) x part_size, and a byte is copied once (writes under DIRECT bytes are gathered
here first, up to GATHER bytes or a part, and cost a second copy instead of a call into Go
each). `close()` sends the rest and completes the upload: nothing is visible under the key until
then. An object smaller than a part is sent by `close()` as one PutObject, never as a multipart
upload.

The upload is aborted, leaving nothing behind, when the `with` block exits by an exception, on
`abort()`, when a part or the completion fails, on Ctrl-C, and when the writer is garbage
collected without having been closed (an unfinished object is never completed implicitly).
With `forbid_overwrite=True` ("xb", fsspec's mode="create") the object is created only if no
object exists under the key, checked atomically by OSS at completion: otherwise `close()`
raises `oss2.exceptions.ServerError` with code FileAlreadyExists (status 409) and the upload is
aborted.
"""
import io
import logging
import sys
from typing import Any, Callable, Optional

from . import _ops, _wire, models
from ._response import Response
from .compat import to_string

logger = logging.getLogger("oss2.pyjindo.writer")


def abort_after(abort: Callable[[], Any], exc_type: Any, what: str) -> None:
    """abort() while exc_type ends a write (None: the exception being handled). A failed abort
    is raised in the place of an Exception (which stays its context); after KeyboardInterrupt or
    SystemExit it is logged instead, so that those reach the caller as they are."""
    if exc_type is None:
        exc_type = sys.exc_info()[0]
    try:
        abort()
    except Exception as e:
        if not isinstance(exc_type, type) or issubclass(exc_type, Exception):
            raise
        logger.warning("%s: the upload was not aborted after %s: %s", what, exc_type.__name__, e)

__all__ = ["ObjectWriter"]

# OSS refuses parts other than the last below 100 KiB.
MIN_PART_SIZE = 100 * 1024
#: a write of at least this many bytes goes to Go as it is, a smaller one is gathered first: a
#: call into Go costs 30-35 us of CPU here, what copying about 256 KiB does
DIRECT = 256 * 1024
#: small writes gathered go to Go together when this many bytes (or a part) would be exceeded:
#: one call per 2 MiB instead of one per write
GATHER = 2 * 1024 * 1024


class ObjectWriter(io.BufferedIOBase):
    """Write-only, non-seekable binary file object over a streamed multipart upload.

    `headers` go with the upload as with put_object (Content-Type, x-oss-meta-*, ...);
    `part_size` defaults to the bucket's part size. After close(), `result` is the
    `PutObjectResult` (etag, crc, request_id) of the completion.
    """

    def __init__(self, bucket, key, headers=None, part_size: Optional[int] = None, forbid_overwrite: bool = False):
        super().__init__()
        self._bucket = bucket
        self.key = to_string(key)
        self.part_size = int(part_size or bucket.part_size)
        if self.part_size < MIN_PART_SIZE:
            raise ValueError("part_size must be at least %d bytes, got %d" % (MIN_PART_SIZE, self.part_size))
        self._gather = min(GATHER, self.part_size)  # never more than a part waits here
        self._direct = min(DIRECT, self._gather)
        self._gathered: Optional[bytearray] = None  # small writes not yet in Go: _gather bytes, made on first use
        self._count = 0  # the bytes of _gathered in use
        self._written = 0
        self._handle = None
        self._done = False
        self._abort_error: Optional[BaseException] = None  # an abort request that failed, told again
        self.result = None  # type: Optional[models.PutObjectResult]
        opened = bucket._call(_ops.WRITER_OPEN, {"bucket": bucket.bucket_name, "key": self.key,
                                                 "headers": _wire.headers(headers),
                                                 "forbid_overwrite": bool(forbid_overwrite),
                                                 "part_size": self.part_size},
                              log=False)
        self._handle = opened["writer"]

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readable(self) -> bool:
        return False

    def tell(self) -> int:
        """Bytes written so far."""
        return self._written

    def _check(self):
        if self._done or self.closed:
            raise ValueError("I/O operation on closed file.")

    def write(self, data) -> int:
        """Hand `data` to Go, which copies it into the parts (small writes are gathered first);
        a full part goes up in the background, and the call waits while the parts in flight are
        at the bucket's concurrency. A failure of an earlier part is raised here; then only
        abort() (or leaving the `with` block) remains."""
        self._check()
        view = memoryview(data).cast("B")
        n = len(view)
        try:
            count, gathered = self._count, self._gathered
            if gathered is not None and count and (n >= self._direct or count + n > self._gather):
                self._send(memoryview(gathered)[:count])  # Go copies it before the call returns
                count = self._count = 0
            if n >= self._direct:
                self._send(view)
            elif n:
                if gathered is None:
                    gathered = self._gathered = bytearray(self._gather)
                gathered[count:count + n] = view
                self._count = count + n
        except BaseException:
            abort_after(self.abort, None, self.key)
            raise
        self._written += n
        return n

    def _send(self, part):
        self._bucket._call(_ops.WRITER_WRITE, {"writer": self._handle}, part, log=False)

    def flush(self) -> None:
        """Nothing to do: a part is sent when full (OSS parts have a minimum size) and the rest
        at close()."""
        if self.closed:
            raise ValueError("I/O operation on closed file.")

    def close(self) -> None:
        """Send what is buffered and complete the upload (the object appears now). On failure
        the upload is aborted and the exception raised; closing again does nothing."""
        if self._done:
            super().close()
            return
        try:
            last = memoryview(self._gathered)[:self._count] if self._gathered is not None else b""
            result = self._bucket._call(_ops.WRITER_CLOSE, {"writer": self._handle}, last, log=False)
        except BaseException:
            abort_after(self.abort, None, self.key)
            raise
        finally:
            self._drop_gathered()
        self._done = True
        self._free()
        self.result = models.PutObjectResult(Response.from_item(result))
        super().close()

    def abort(self) -> None:
        """Abort the upload: no object is created and no part is left. Idempotent. If the abort
        request fails (RequestError when the server cannot be reached after the retries), the
        parts sent may remain on the server: that error is raised, and again by every later
        abort(), and the writer is closed all the same."""
        if self._done:
            if self._abort_error is not None:
                raise self._abort_error
            return
        self._done = True
        self._drop_gathered()
        try:
            if self._handle is not None and self._handle.alive():
                self._bucket._call(_ops.WRITER_ABORT, {"writer": self._handle}, log=False)
        except Exception as e:
            self._abort_error = e
            raise
        finally:
            self._free()
            super().close()

    def _drop_gathered(self):
        self._gathered, self._count = None, 0

    def _free(self):
        if self._handle is not None:
            self._handle.free()  # freeing an unfinished writer aborts it in Go as well

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            abort_after(self.abort, exc_type, self.key)
        else:
            self.close()

    def __del__(self):
        # Not IOBase's close(): completing an upload nobody closed could publish a truncated
        # object. Freeing the Go handle aborts it.
        try:
            self._drop()
        except Exception:
            pass

    def _drop(self):
        """Abort without a call of its own: freeing the Go handle aborts the upload (the free
        waits for the abort). For finalizers, where a call that waits is unwelcome."""
        if not self._done:
            self._done = True
            self._drop_gathered()
            self._free()

