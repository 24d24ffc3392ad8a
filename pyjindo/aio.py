"""oss2's API as coroutines: `pyjindo.aio.Bucket`, `pyjindo.aio.Service` and the iterators, on
the same Go engine, with no thread per call.

    bucket = pyjindo.aio.Bucket(auth, endpoint, bucket_name)
    await bucket.put_object("k", b"data")
    result = await bucket.get_object("k")
    data = await result.read()          # or: async for chunk in result
    async for info in pyjindo.aio.ObjectIterator(bucket, prefix="dir/"):
        ...

Every public method of pyjindo's Bucket and Service is here with the same arguments and result
classes (get_object's result is a GetObjectResult whose read() is awaited). They are derived
from the synchronous methods, not written twice: the sync method runs up to its call into Go,
where the two crossings of `_session.GoClient` (`_run`, `_run_quick`) are replaced by ones that
start the Go operation and unwind the method (`_Suspend`); the coroutine awaits the operation
(`_completion`: one pipe per event loop that Go writes to when operations end) and runs the method
again, now handing it the outcomes of the operations it already started, in order, until it
returns. A method's calls into Go are the same whatever their outcomes' timing, so the replay is
exact; a buffer Go filled in an earlier run is copied into the one the replay passes. The
commonest methods (get_object, head_object, get_object_meta, put_object, object_exists: marked
`_session.ends_in_quick_call`) end in one quick call whose `then` builds their result from its
response (and `otherwise` answers its ServerError, for object_exists); when such a method is the
one being driven, its quick call returns its `_Suspend` (the method returns what that call
returns, so nothing is raised through its frames), and the coroutine awaits the call and applies
`then` to the outcome instead of running the method again: shaping and result building each
run once, and the sync path runs the same `then` at once.

A Bucket or Service sends at most `connections` requests at once per event loop (100 by default,
_completion.DEFAULT_CONNECTIONS), and its Go session keeps as many idle connections, so each call
in flight reuses one. Methods that end in one quick call start QUICK_AHEAD times as many, which
Go holds to `connections` requests (`Session.StartQuick`: a queue of calls, not of goroutines):
one ending lets the next go out at once on the same goroutine, not after the loop has woken every
call that ended before it. The others wait their turn in
order, each on one future (`_drive` awaits
it itself: with 10,000 calls gathered, every object a waiting call holds is walked by the
garbage collector's passes). A small object's body comes whole with get_object's answer, so its
read() awaits nothing in Go. The methods are plain functions returning coroutines
(inspect.iscoroutinefunction is false for them): called inside a method being driven, they run
synchronously instead, and once one has returned, later runs reuse its result (each page of a
listing is built once).

Cancelling the awaiting task cancels the Go operation and waits for it to end: a cancelled upload
leaves no multipart upload, a cancelled download no file. As the sync API, a Bucket made before
os.fork() works in the child (its session is made again there, as is the loop's pipe).
"""
import asyncio
import contextvars
import functools
import logging

from . import _binding, _completion, _ops, _session, _streams, api, iterators, models
from .exceptions import ClientError

# The replay of the method being run on this task (None outside one).
_replay = contextvars.ContextVar("pyjindo_aio_replay", default=None)

# The name of a replay step that is a nested public method's outcome, not a Go call's.
_METHOD = "(method)"

# Operations that fill the buffer they are given (the others only read theirs; a BufferTable
# names buffers Go fills).
_FILLS = frozenset((_ops.STREAM_READ, _ops.STREAM_READ_ALL, _ops.READER_READ))


class _Suspend(BaseException):
    """Unwinds a sync method at a Go call that has started; not an Exception, so the method's own
    `except` clauses let it pass. finish, when the call ends the method being driven (a quick
    call of an `ends_in_quick_call` method), makes the method's result from the call's outcome:
    then it is returned, not raised, since the method returns what that call returns."""

    def __init__(self, pending, finish=None):
        self.pending = pending
        self.finish = finish


class _Outcome(object):
    __slots__ = ("get", "name", "buf", "seen")

    def __init__(self, get, name=None, buf=None):
        self.get = get  # returns the result or raises the error
        self.name = name
        self.buf = buf  # the buffer the operation filled, for _FILLS
        self.seen = False  # handed to a run already (whose log records are not repeated)


class _Replay(object):
    """One method call being driven: the outcomes of its Go calls so far and the next one a run
    reaches."""

    __slots__ = ("outcomes", "next", "quiet", "tail", "waker")

    def __init__(self, tail, waker):
        self.waker = waker  # the loop's _completion._Waker
        self.outcomes = []
        self.next = 0
        self.quiet = False  # the last call's outcome was handed to an earlier run too
        self.tail = tail  # the method being run ends in a quick call (and no nested method runs)

    def recorded(self, name, buf):
        """The outcome of this call if an earlier run started it, else None."""
        if self.next >= len(self.outcomes):
            self.quiet = False
            return None
        o = self.outcomes[self.next]
        self.next += 1
        self.quiet, o.seen = o.seen, True
        if o.name != name:
            raise ClientError("pyjindo.aio: a method called Go differently when run again ({0}, then {1})".format(
                o.name, name))
        if o.buf is not None and buf is not None and o.buf is not buf:
            if isinstance(o.buf, _binding.BufferTable):  # the same items, each buffer copied
                for old, new in zip(o.buf.pinned, buf.pinned):
                    _binding.ffi.memmove(new, old, min(len(old), len(new)))
            else:
                n = min(len(memoryview(o.buf).cast("B")), len(memoryview(buf).cast("B")))
                _binding.ffi.memmove(_binding.ffi.from_buffer(buf, require_writable=False),
                                     _binding.ffi.from_buffer(o.buf, require_writable=False), n)
        return o

    def add(self, outcome):
        outcome.seen = True
        self.outcomes.append(outcome)
        self.next += 1

    def nested(self, fn, args, kwargs):
        """A public method called inside the one being driven (a page of a listing, get_object
        before its read). Once it has returned or raised in a run, that outcome takes the place
        of its Go calls' outcomes, so later runs get the same result object without running it
        again: a listing's earlier pages are not rebuilt at every page (which made a listing
        quadratic in its pages), and a stream keeps the one Handle it was opened with (another
        run's Handle of the same number would free it on being collected)."""
        if self.next < len(self.outcomes) and self.outcomes[self.next].name == _METHOD:
            o = self.outcomes[self.next]
            self.next += 1
            return o.get()
        start = self.next
        tail, self.tail = self.tail, False  # its last act is not the driven method's
        try:
            result = _asynchronous(fn(*args, **kwargs))
        except Exception as e:
            self._collapse(start, _Outcome(functools.partial(_reraise, e), _METHOD))
            raise
        finally:
            self.tail = tail
        self._collapse(start, _Outcome(lambda: result, _METHOD))
        return result

    def _collapse(self, start, outcome):
        outcome.seen = True
        self.outcomes[start:self.next] = [outcome]
        self.next = start + 1


def _reraise(e):
    raise e


class _ReplayedRecords(logging.Filter):
    """oss2's records of a call ("Start to ...", "... done", "Exception: ...") once per call, not
    once per run of the method that makes it."""

    def filter(self, record):
        r = _replay.get()
        if r is None:
            return True
        if isinstance(record.msg, str) and record.msg.startswith("Start to "):
            return r.next >= len(r.outcomes)  # a call being started, not one replayed
        return not r.quiet


_session.logger.addFilter(_ReplayedRecords())


def _current():
    r = _replay.get()
    if r is None:
        raise ClientError("pyjindo.aio objects are used from coroutines: await the method")
    return r


async def _drive(fn, args, kwargs, client, tail=False):
    """Run sync fn to completion, awaiting each Go operation it starts, in one of the places for a
    call in flight of client (a Bucket or Service; None: the loop's own) on this loop. tail: fn
    ends in a quick call (`_session.ends_in_quick_call`)."""
    waker = _completion.loop_waker()
    slots = waker.slots(client, tail)
    if not slots.take():
        placed = slots.wait(waker.loop)
        try:
            await placed
        except asyncio.CancelledError:
            slots.passed_on(placed)
            raise
    try:
        r = _Replay(tail, waker)
        while True:
            r.next = 0
            token = _replay.set(r)
            try:
                s = fn(*args, **kwargs)
                if type(s) is not _Suspend:
                    return _asynchronous(s)
            except _Suspend as e:
                s = e
            finally:
                _replay.reset(token)
            (pending, buf), finish = s.pending, s.finish
            del s  # not kept alive (with its attributes) while the call runs
            get = await pending.outcome()
            if finish is not None:  # the rest of fn, without running it again
                return _asynchronous(finish(get()))
            fills = pending.name in _FILLS or isinstance(buf, _binding.BufferTable)
            r.outcomes.append(_Outcome(get, pending.name, buf if fills else None))
    finally:
        slots.release()


def _dual(fn):
    """fn as a coroutine function, or called as it is inside a method being driven (a sync method
    calling another public one, an iterator's page)."""
    tail = getattr(fn, "ends_in_quick_call", False)

    @functools.wraps(fn)
    def method(*args, **kwargs):
        r = _replay.get()
        if r is not None:
            return r.nested(fn, args, kwargs)
        client = args[0] if args and isinstance(args[0], _session.GoClient) else None
        return _drive(fn, args, kwargs, client, tail)
    return method


def coroutine_function(fn):
    """fn, a function whose requests go through pyjindo.aio objects (a Bucket's, a Service's
    sync methods, or code calling them), as a coroutine function: each request it makes is
    awaited, as this module's methods are (called inside one of them, it runs as it is)."""
    return _dual(fn)


class _AsyncGoClient(object):
    """The Go crossings of a GoClient as replay steps (see the module docstring), and its calls in
    flight per event loop."""

    def __init__(self, *args, connections=_completion.DEFAULT_CONNECTIONS, **kwargs):
        if isinstance(connections, bool) or not isinstance(connections, int) or connections < 1:
            raise ClientError("connections must be a positive int, not {0!r}".format(connections))
        super().__init__(*args, **kwargs)
        self._connections = connections  # before the first call makes the Go session

    def _session(self):
        # a run replaying a crossing already made hands Go nothing: skip the credentials and lock
        r = _replay.get()
        if r is not None and r.next < len(r.outcomes):
            return None
        return super()._session()

    @staticmethod
    def _run(session, name, args, buf=None, progress_callback=None, progress_total=_binding.TOTAL_FROM_GO,
             progress_start_at=None, report=None, operation=None, tick=None):
        r = _current()
        o = r.recorded(name, buf)
        if o is not None:
            return o.get()
        pending = _completion.start_call(session, name, args, buf, progress_callback, progress_total,
                                         progress_start_at, report, operation, tick)
        raise _Suspend((pending, buf))

    _quick_logs_retries = False  # a quick call's retries are not collected here: the JSON door logs them

    @staticmethod
    def _run_quick(session, kind, block, buf, finish, ticker=None, operation=None):
        r = _current()
        o = r.recorded("quick", None)
        if o is not None:
            return finish(o.get())
        started = _completion.start_quick(r.waker, session, kind, block, buf, ticker)
        if isinstance(started, _completion.QuickPending):
            if r.tail and not r.outcomes:  # the method's last act: returned by it to _drive
                return _Suspend((started, None), finish)
            raise _Suspend((started, None))
        r.add(_Outcome(lambda: started, "quick"))  # ended at once: no need to unwind
        return finish(started)


def _coroutines(cls, sync):
    """Every public method of sync (a class) as a _dual of itself on cls."""
    for name in dir(sync):
        attr = getattr(sync, name)
        if not name.startswith("_") and callable(attr) and not isinstance(attr, type):
            setattr(cls, name, _dual(attr))
    return cls


class GetObjectResult(models.GetObjectResult):
    """get_object's result, with oss2's fields; its body is read with `await read()` or
    `async for chunk in result` (and closed with close() or `async with`)."""

    def read(self, amt=None):
        """Up to amt bytes (all that is left when None), awaited; as GetObjectResult.read."""
        if _replay.get() is None and isinstance(self.stream, _IN_MEMORY):
            return _now(models.GetObjectResult.read, self, amt)  # no Go call to wait for
        return _read(self, amt)

    def __iter__(self):
        raise TypeError("pyjindo.aio's GetObjectResult is read with `async for`")

    def __aiter__(self):
        return self

    async def __anext__(self):
        chunk = await self.read(models.objects._CHUNK_SIZE)
        if not chunk:
            raise StopAsyncIteration
        return chunk

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        self.close()


_read = _dual(models.GetObjectResult.read)
# Bodies read without Go: a small object's, whole in the get's answer, and get_object_to_file's.
_IN_MEMORY = (_streams.BytesStream, _streams.DoneStream)


async def _now(fn, *args):
    return fn(*args)


def _asynchronous(result):
    """A result as pyjindo.aio gives it: a body's reads are awaited."""
    if type(result) is models.GetObjectResult:
        result.__class__ = GetObjectResult
    return result


@functools.partial(_coroutines, sync=api.Bucket)
class Bucket(_AsyncGoClient, api.Bucket):
    """pyjindo.Bucket (oss2.Bucket's arguments) whose methods are coroutines; `connections`: calls
    in flight at once per event loop, and the idle connections its session keeps."""


@functools.partial(_coroutines, sync=api.Service)
class Service(_AsyncGoClient, api.Service):
    """pyjindo.Service (oss2.Service's arguments) whose methods are coroutines; `connections` as
    Bucket's."""


class _AsyncIteration(object):
    """`async for` over one of pyjindo's iterators, each page a list call awaited."""

    def __aiter__(self):
        return self

    def _next_or_end(self):
        try:
            return self.__next__()
        except StopIteration:  # a coroutine may not raise it
            return _END

    async def __anext__(self):
        entry = await _drive(self._next_or_end, (), {}, getattr(self, "bucket", None) or getattr(self, "service", None))
        if entry is _END:
            raise StopAsyncIteration
        return entry


_END = object()


def _iterator(sync):
    cls = type(sync.__name__, (_AsyncIteration, sync), {
        "__doc__": "As pyjindo.iterators.{0}, over a pyjindo.aio Bucket or Service, with `async for`.".format(
            sync.__name__),
        "__module__": __name__,
    })
    return cls


BucketIterator = _iterator(iterators.BucketIterator)
ObjectIterator = _iterator(iterators.ObjectIterator)
ObjectIteratorV2 = _iterator(iterators.ObjectIteratorV2)
MultipartUploadIterator = _iterator(iterators.MultipartUploadIterator)
ObjectUploadIterator = _iterator(iterators.ObjectUploadIterator)
PartIterator = _iterator(iterators.PartIterator)

__all__ = ["Bucket", "Service", "GetObjectResult", "BucketIterator", "ObjectIterator", "ObjectIteratorV2",
           "MultipartUploadIterator", "ObjectUploadIterator", "PartIterator"]
