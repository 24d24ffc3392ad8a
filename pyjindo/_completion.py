"""How a finished Go operation reaches an asyncio event loop (pyjindo.aio).

Each loop has one notifier (go/capi notify.go): a pipe the loop watches with add_reader, and a
queue of ended operations. An operation started for a coroutine is watched by its loop's notifier
(`pj_watch`, or pj_call's notifier argument for a quick call); when it ends, Go queues its handle
and the length of its result and, if the queue was empty, writes one byte. The loop's reader
callback drains the pipe, takes the queue and completes each operation's future. So a call costs
no thread and no timer: a place in its session's queue in Go (a quick call: Go runs at most the
session's connections at once, the next on the worker of one that ended), one future and a
share of one wake-up of the loop, which serves every operation that ended since the last one. A quick call crosses into Go twice:
pj_call starts it, and pj_take_result copies its result into bytes of the queued length and
frees it (QuickPending); the next get reads its body into the buffer Go copied from.

Cancelling the awaiting task cancels the Go operation (`pj_cancel`: multipart uploads aborted,
temporary files removed) and waits for it to end before the CancelledError goes on, so the
buffer Go was using is never released under it and nothing partial is left behind.

After os.fork() the child's library is a fresh copy: a loop's notifier from the parent is
dropped (its pipe closed) and a new one made on first use.
"""
import asyncio
import collections
import json
import logging
import os
import threading
import weakref
from typing import Any, Dict

from . import _binding, _retrylog
from ._binding import ffi
from .exceptions import ClientError

# ended operations taken from Go per call of pj_notifier_take
_TAKE = 256
# the out-parameters of every call, their types parsed once
_CHARPP, _SIZEP, _UINTPTRP = ffi.typeof("char **"), ffi.typeof("size_t *"), ffi.typeof("uintptr_t *")
#: Calls in flight at once per event loop and pyjindo.aio Bucket or Service unless its
#: `connections=` says otherwise; its Go session keeps as many idle connections, so each call in
#: flight reuses one instead of opening and closing another (aiohttp's connector allows 100).
DEFAULT_CONNECTIONS = 100
#: calls ending in one quick call started per connection (Waker.slots)
QUICK_AHEAD = 4

_wakers_lock = threading.Lock()


def _after_fork_in_child():
    global _wakers_lock
    _wakers_lock = threading.Lock()  # a parent thread may have held it at fork time


os.register_at_fork(after_in_child=_after_fork_in_child)
# event loop -> its _Waker; a plain dict, since not every loop (uvloop's) takes weak references
_wakers: Dict[Any, "_Waker"] = {}


class _Watch(object):
    """One operation a coroutine waits for: the future it awaits, whether Go reported it ended,
    and then the length of its result."""

    __slots__ = ("future", "ended", "size")

    def __init__(self, future):
        self.future = future
        self.ended = False
        self.size = 0


class Slots(object):
    """Places for calls in flight, handed over in order (asyncio.Semaphore wakes its waiters in O(n))."""

    __slots__ = ("free", "queue")

    def __init__(self, n):
        self.free = n  # calls that may start now
        self.queue: "collections.deque[Any]" = collections.deque()  # futures of calls waiting for one to end

    def take(self):
        """Take a place for a call if one is free."""
        if self.free > 0:
            self.free -= 1
            return True
        return False

    def wait(self, loop):
        """The future a call that ended sets when it hands its place over; whoever awaits it and
        is cancelled calls `passed_on` (a coroutine of its own would cost every waiting call one
        more object, and each a share of the garbage collector's passes)."""
        f = loop.create_future()
        self.queue.append(f)
        return f

    def passed_on(self, f):
        """The waiter of f (wait) was cancelled: a place handed over meanwhile goes to the next."""
        if f.done() and not f.cancelled():
            self.release()

    def release(self):
        while self.queue:
            f = self.queue.popleft()
            if not f.done():
                f.set_result(None)
                return
        self.free += 1


class _Waker(object):
    """A loop's notifier: the pipe it reads and the operations it waits for, by handle number."""

    def __init__(self, loop):
        L = _binding.lib()
        self.generation = _binding.generation()
        fds = ffi.new("int[2]")
        err = ffi.new("char **")
        h = L.pj_notifier_new(fds, err)
        if not h:
            _binding._raise_error(json.loads(_binding.take_string(err[0]))["error"])
        self.handle = _binding.Handle(h, self.generation, "notifier")
        self.fds = (fds[0], fds[1])
        self.waiting = {}
        self.shared = Slots(DEFAULT_CONNECTIONS)
        self.by_client: "weakref.WeakKeyDictionary[Any, Slots]" = weakref.WeakKeyDictionary()  # client -> Slots
        self.quick_by_client: "weakref.WeakKeyDictionary[Any, Slots]" = weakref.WeakKeyDictionary()
        self._taken = ffi.new("uintptr_t[]", _TAKE)
        self._sizes = ffi.new("size_t[]", _TAKE)
        # out-parameters of the quick calls made on this loop's thread, read before any await
        self.op_out, self.out, self.out_len = ffi.new(_UINTPTRP), ffi.new(_CHARPP), ffi.new(_SIZEP)
        self.loop = loop
        loop.add_reader(self.fds[0], self._ready)

    def _ready(self):
        try:
            while os.read(self.fds[0], 4096):
                pass
        except BlockingIOError:
            pass  # drained; what ended before this point is in the queue taken below
        L, taken, sizes, waiting = _binding.lib(), self._taken, self._sizes, self.waiting
        number = self.handle.number()
        while True:
            n = L.pj_notifier_take(number, taken, sizes, _TAKE)
            for i in range(n):
                w = waiting.pop(taken[i], None)
                if w is not None:
                    w.ended, w.size = True, sizes[i]
                    if not w.future.done():
                        w.future.set_result(None)
            if n < _TAKE:
                return

    def slots(self, client, quick=False):
        """The places for calls in flight of a Bucket or Service (its `_connections`) on this loop;
        client None: the loop's own, for coroutines not tied to one. quick: the places of methods
        that end in one quick call, QUICK_AHEAD times as many: Go holds those calls to
        `_connections` requests at once itself (`Session.StartQuick`), so that one ending starts
        the next at once in Go, where here it would wait for the loop to have woken every call
        that ended before it (about 45 us each: a convoy of a whole round, 4.5 ms at 100)."""
        if client is None:
            return self.shared
        table = self.quick_by_client if quick else self.by_client
        s = table.get(client)
        if s is None:
            s = table[client] = Slots(client._connections * (QUICK_AHEAD if quick else 1))
        return s

    def watch(self, op, loop):
        w = self.waiting[op] = _Watch(loop.create_future())
        _binding.lib().pj_watch(op, self.handle.number())
        return w

    def rewait(self, op, w, loop):
        """A new future for an operation still running whose first one was cancelled."""
        w.future = loop.create_future()
        self.waiting[op] = w

    def drop_after_fork(self):
        # Only the child's inherited copies are closed. Not remove_reader: a loop copied by fork
        # shares its epoll instance with the parent's, whose registration it would delete.
        for fd in self.fds:
            os.close(fd)


def loop_waker():
    """The running loop's _Waker: its places for calls in flight (slots) and the operations it
    waits for."""
    return _waker(asyncio.get_running_loop())


def _waker(loop):
    w = _wakers.get(loop)
    if w is not None and w.generation == _binding.generation():
        return w
    with _wakers_lock:
        w = _wakers.get(loop)
        if w is None or w.generation != _binding.generation():
            # drop the pipes of closed loops (asyncio.run closes its loop) and, in a forked
            # child, every pipe of the parent's library
            gen = _binding.generation()
            for old in [k for k, v in _wakers.items() if k.is_closed() or v.generation != gen]:
                gone = _wakers.pop(old)
                if gone.generation == gen:
                    gone.handle.free()  # closes the pipe
                else:
                    gone.drop_after_fork()
            w = _wakers[loop] = _Waker(loop)
        return w


class _Slices(object):
    """Every 50 ms while operation op runs: progress callbacks, retry records and `tick` (the
    session's credentials), on the loop. An exception from one of them stops the operation, as
    in _binding.call; `raise_failure()` raises it once the operation has ended."""

    __slots__ = ("loop", "L", "op", "progress", "retries", "tick", "handle", "failed")

    def __init__(self, loop, L, op, progress, retries, tick):
        self.loop, self.L, self.op = loop, L, op
        self.progress, self.retries, self.tick = progress, retries, tick
        self.failed = None
        self.handle = loop.call_later(_binding.WAIT_SLICE_MS / 1000.0, self._slice)

    def _slice(self):
        try:
            if self.progress is not None:
                self.progress.poll(self.L, self.op)
            if self.retries is not None:
                self.retries.drain(_binding.take_string(self.L.pj_events(self.op)))
            if self.tick is not None:
                self.tick()
        except BaseException as e:  # the caller's callback: stop the operation, raise it after
            self.failed = e
            self.L.pj_cancel(self.op)
            return
        self.handle = self.loop.call_later(_binding.WAIT_SLICE_MS / 1000.0, self._slice)

    def cancel(self):
        self.handle.cancel()

    def raise_failure(self):
        if self.failed is not None:
            raise self.failed


def _slices(loop, L, op, progress=None, retries=None, tick=None):
    """The _Slices of op, or None when there is nothing to run every 50 ms."""
    if progress is None and retries is None and tick is None:
        return None
    return _Slices(loop, L, op, progress, retries, tick)


async def _until_ended(op, progress=None, retries=None, tick=None):
    """Wait for operation op (a handle number) to end; a cancellation cancels it and still waits
    for it to end (_stop) before going on. _Slices runs progress callbacks, retry records and
    `tick` every 50 ms meanwhile. Returns the loop's _Waker."""
    loop = asyncio.get_running_loop()
    waker = _waker(loop)
    w = waker.watch(op, loop)
    L = _binding.lib()
    await _ended(L, op, waker, w, _slices(loop, L, op, progress, retries, tick))
    return waker


async def _ended(L, op, waker, w, slices):
    """Await operation op's end (w, its watch on waker's loop); a cancellation cancels it and
    still waits for it to end (_stop). slices (or None) run until then, and what failed in them
    is raised once op has ended."""
    try:
        await w.future
    except asyncio.CancelledError:
        await _stop(L, op, waker, w)
        raise
    finally:
        if slices is not None:
            slices.cancel()
    if slices is not None:
        slices.raise_failure()


async def _stop(L, op, waker, w):
    """The task waiting for operation op (watched as w) was cancelled: cancel the operation and
    wait for it to end (Go ends it within a few milliseconds), so the buffer it uses is never
    released under it."""
    L.pj_cancel(op)
    loop = waker.loop
    while not w.ended:
        waker.rewait(op, w, loop)
        try:
            await w.future
        except asyncio.CancelledError:
            pass  # cancelled again: the operation is already stopping


class Pending(object):
    """An operation started for a coroutine; `await outcome()` gives a function that returns its
    result or raises its error, as _binding.call would have."""

    def __init__(self, op, gen, name, keep, progress=None, retries=None, fd=None, tick=None):
        self.op = op
        self.gen = gen
        self.name = name
        self.keep = keep  # the buffer Go uses: referenced until the operation ends
        self.progress = progress
        self.retries = retries
        self.fd = fd  # our duplicate of a file body's descriptor
        self.tick = tick

    async def outcome(self):
        L, op = _binding.lib(), self.op
        try:
            await _until_ended(op, self.progress, self.retries, self.tick)
            result = json.loads(_binding.take_string(L.pj_result(op)), object_hook=_binding._decoder(self.gen))
            if self.progress is not None and "error" not in result:
                self.progress.finish(L, op)
        finally:
            try:
                if self.retries is not None:
                    moved = _binding._bytes_moved(L, op) if self.retries.report is not None else 0
                    self.retries.finish(_binding.take_string(L.pj_events(op)), moved)
            finally:
                L.pj_free_handle(op)
                if self.fd is not None:
                    os.close(self.fd)
        if "error" in result:
            error = result["error"]

            def fail():
                _binding._raise_error(error)
            return fail
        ok = result["ok"]
        return lambda: ok


def start_call(session, name, args, buf=None, progress_callback=None, progress_total=_binding.TOTAL_FROM_GO,
               progress_start_at=None, report=None, operation=None, tick=None):
    """Start operation `name` as _binding.call does, without waiting: a Pending."""
    L = _binding.lib()
    gen = _binding.generation()
    fd = None
    if "fd" in args:
        # the caller's file may be closed while the coroutine waits (a with-block unwinding): Go
        # reads a descriptor of its own
        fd = os.dup(args["fd"])
        args = dict(args, fd=fd)
    try:
        encoded = json.dumps(args, default=_binding._encode_arg).encode()
        number = session.number()
        cbuf, ptr, size = _binding.c_buffer(buf)
        progress = None
        if progress_callback:
            progress = _binding._Progress(progress_callback, progress_total, progress_start_at)
        retries = None
        if report is not None or _retrylog.logger.isEnabledFor(logging.INFO):
            retries = _retrylog.Retries(operation or name, report)
        if progress is not None:
            progress.start()  # before the start: a callback that raises leaves nothing running
        err = ffi.new(_CHARPP)
        op = L.pj_start(number, name.encode(), encoded, ptr, size, _binding.RETRY_EVENTS if retries else 0, err)
        if not op:
            _binding._raise_error(json.loads(_binding.take_string(err[0]))["error"])
    except BaseException:
        if fd is not None:
            os.close(fd)
        raise
    return Pending(op, gen, name, (buf, cbuf), progress, retries, fd, tick)


class QuickPending(object):
    """A quick operation started for a coroutine (start_quick), watched by its loop's notifier
    from its start (pj_call's notifier), and its own _Watch there (future, ended, size: one
    object per call, not two); `await outcome()` gives a function that returns its
    (generation, result bytes), as _binding.call_quick would have. The result is copied once,
    into bytes of the length the notifier reported, by the call that frees the operation."""

    __slots__ = ("future", "ended", "size", "op", "gen", "keep", "waker", "tick")
    name = "quick"

    def __init__(self, op, gen, keep, waker, tick=None):
        self.future = waker.loop.create_future()
        self.ended = False
        self.size = 0
        self.op = op
        self.gen = gen
        self.keep = keep  # the buffer Go uses: referenced until the operation ends
        self.waker = waker
        self.tick = tick  # the session's credentials tick (a large put is a quick call too)
        waker.waiting[op] = self

    async def outcome(self):
        L, op, w = _binding.lib(), self.op, self
        taken = False
        try:
            await _ended(L, op, self.waker, w, _slices(self.waker.loop, L, op, tick=self.tick))
            # A result is at least 2 bytes ('C' or 'J' and more), so bytes(size) is a new,
            # unshared object Go may fill before anyone sees it.
            data = bytes(w.size)
            taken = L.pj_take_result(op, ffi.from_buffer(data), w.size) == 0
            if not taken:
                raise ClientError("pyjindo internal error: the result of a quick call could not be taken")
        finally:
            if not taken:
                L.pj_free_handle(op)
        result = (self.gen, data)
        return lambda: result


def start_quick(waker, session, kind, block, buf=None, ticker=None):
    """Start a quick operation on waker's loop as _binding.call_quick does: its (generation,
    result bytes) when it ended at once, else a QuickPending (with ticker(session)'s tick)."""
    L = _binding.lib()
    gen = _binding.generation()
    number = session.number()
    cbuf, ptr, size = _binding.c_buffer(buf)
    op_out, out, out_len = waker.op_out, waker.out, waker.out_len
    if L.pj_call(number, kind, block, len(block), ptr, size, 0, 0, waker.handle.number(), op_out, out, out_len) == 0:
        return QuickPending(op_out[0], gen, (buf, cbuf), waker, ticker(session) if ticker is not None else None)
    try:
        return gen, ffi.unpack(out[0], out_len[0])
    finally:
        L.pj_free(out[0])
