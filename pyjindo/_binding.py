"""The one door to the Go library: loads pyjindo/_jindo.so with cffi (ABI mode) on first use.

Importing pyjindo does not start the Go runtime; the first call that needs the library does.

Every operation runs in Go asynchronously: `call()` starts it, waits in short slices so Ctrl-C
is seen promptly (then cancels it and waits for Go to let go of the buffer), polls the byte
counters for progress callbacks on this thread, drains Go's retries of the operation for the
retry log when that logger is enabled (`_retrylog`), and turns the JSON result into a dict or
raises the oss2-shaped exception.

A Go runtime does not survive fork. In a child the library is loaded afresh from a private copy
of the file (a second dlopen of the same path would return the parent's dead runtime), whose
handle numbers start again from 1: a number kept from the parent may name one of the child's
objects. So every handle Python holds is a `Handle`, tagged with the library generation that
made it, and the number only reaches Go through `Handle.number()`, which refuses a handle of an
older generation (the Go side also tags its numbers per loaded copy, as a second guard).
"""
import atexit
import json
import logging
import os
import shutil
import tempfile
import threading
import warnings

from cffi import FFI

from . import _response, _retrylog
from .exceptions import ClientError, from_error_dict

LIB_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_jindo.so")

CDEF = """
char *pj_version(void);
void pj_free(void *p);
void pj_free_handle(uintptr_t h);
uintptr_t pj_session_new(char *config, char **err);
char *pj_session_warnings(uintptr_t session);
uintptr_t pj_start(uintptr_t session, char *name, char *args, void *buf, size_t buf_len, int flags, char **err);
char *pj_events(uintptr_t op);
int pj_wait(uintptr_t op, int timeout_ms);
char *pj_result(uintptr_t op);
void pj_cancel(uintptr_t op);
void pj_progress(uintptr_t op, int64_t *consumed, int64_t *total);
char *pj_stats(void);
char *pj_ops(void);
int pj_call(uintptr_t session, int kind, char *args, size_t args_len, void *buf, size_t buf_len, int flags, int timeout_ms, uintptr_t notifier, uintptr_t *op, char **out, size_t *out_len);
int pj_result_bytes(uintptr_t op, char **out, size_t *out_len);
int pj_take_result(uintptr_t op, void *buf, size_t buf_len);
uintptr_t pj_notifier_new(int *fds, char **err);
int pj_watch(uintptr_t op, uintptr_t n);
int pj_notifier_take(uintptr_t n, uintptr_t *out, size_t *sizes, size_t capacity);
char *pj_cpuprofile_start(char *path);
void pj_cpuprofile_stop(void);
"""

ffi = FFI()
ffi.cdef(CDEF)

# How long one wait on Go lasts: the bound on how late Ctrl-C and progress callbacks are seen.
WAIT_SLICE_MS = 50

#: pj_start's flag asking Go to collect the operation's retries for pj_events (go/capi/retrylog.go).
RETRY_EVENTS = 1

_lock = threading.Lock()
_lib = None
_generation = 0
_forked_after_load = False


# PYJINDO_CPUPROFILE's path is for the process that imported pyjindo with it set; its children,
# forked or started anew (which inherit this variable), write PATH.<pid> (see _start_cpuprofile).
if os.environ.get("PYJINDO_CPUPROFILE"):
    os.environ.setdefault("PYJINDO_CPUPROFILE_PID", str(os.getpid()))


def _after_fork_in_child():
    global _lib, _lock, _generation, _forked_after_load
    _lock = threading.Lock()  # another parent thread may have held it at fork time
    if _lib is not None:
        _lib = None
        _forked_after_load = True
    _generation += 1


os.register_at_fork(after_in_child=_after_fork_in_child)


def _load():
    if not os.path.exists(LIB_PATH):
        raise ImportError(
            "pyjindo's Go library is missing at %s: run `make build` or `pip install -e .`" % LIB_PATH
        )
    if not _forked_after_load:
        return ffi.dlopen(LIB_PATH)
    # A private copy, so the dynamic loader maps a new library with a new Go runtime.
    fd, path = tempfile.mkstemp(prefix="pyjindo-", suffix=".so")
    try:
        with os.fdopen(fd, "wb") as dst, open(LIB_PATH, "rb") as src:
            shutil.copyfileobj(src, dst)
        return ffi.dlopen(path)
    finally:
        os.unlink(path)  # the mapping keeps the file alive


def lib():
    """Return the loaded library, loading it on first use (and afresh after fork)."""
    global _lib
    if _lib is None:
        with _lock:
            if _lib is None:
                _lib = _load()
                _start_cpuprofile(_lib)
    return _lib


def _start_cpuprofile(loaded):
    """PYJINDO_CPUPROFILE=PATH (a debugging aid): a CPU profile of the library's Go code from
    its load to the process's exit, in pprof's format (`go tool pprof PATH`); a child process
    (forked, or started with the environment) writes PATH.<pid>. A path that cannot be written
    is a warning."""
    path = os.environ.get("PYJINDO_CPUPROFILE")
    if not path:
        return
    if os.environ.get("PYJINDO_CPUPROFILE_PID") != str(os.getpid()):
        path = "%s.%d" % (path, os.getpid())
    err = loaded.pj_cpuprofile_start(path.encode())
    if err != ffi.NULL:
        try:
            message = ffi.string(err).decode("utf-8", "replace")
        finally:
            loaded.pj_free(err)
        warnings.warn("PYJINDO_CPUPROFILE: no profile: %s" % message, RuntimeWarning, stacklevel=3)
        return
    gen = _generation

    def stop():
        if gen == _generation:  # not in a forked child: the parent's copy of Go is dead there
            loaded.pj_cpuprofile_stop()

    atexit.register(stop)


def generation():
    """Changes in a forked child: handles from an older generation are dead."""
    return _generation


class Handle(object):
    """A Go object (session, stream) as Python holds it: its number and the library generation
    that made it. Freed once, by free() or when garbage collected; never in a forked child, where
    the number belongs to the parent's copy of the library."""

    __slots__ = ("value", "generation", "kind", "_freed")

    def __init__(self, value, gen, kind="object"):
        self.value = value
        self.generation = gen
        self.kind = kind
        self._freed = False

    def alive(self):
        return self.generation == _generation

    def number(self):
        """The number to pass to Go; raises ClientError for a handle made before a fork."""
        if self.generation != _generation:
            raise ClientError("this {0} was opened before os.fork(), in the parent process; it cannot be used in "
                              "the child: open it again in the child".format(self.kind))
        return self.value

    def free(self):
        if self._freed:
            return
        self._freed = True
        if self.generation == _generation and _lib is not None and self.value:
            _lib.pj_free_handle(self.value)

    def __del__(self):
        try:
            self.free()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass


def _encode_arg(value):
    """json.dumps default: a Handle in the arguments goes to Go as its (checked) number."""
    if isinstance(value, Handle):
        return value.number()
    raise TypeError("%r cannot be passed to the Go core" % (value,))


def _decoder(gen):
    """A JSON object hook turning Go's {"$handle": n, "kind": k} into a Handle of generation gen."""
    def hook(obj):
        if "$handle" in obj:
            return Handle(obj["$handle"], gen, obj.get("kind") or "object")
        return obj
    return hook


def take_string(ptr):
    """Copy a Go-allocated C string into a Python str and free it."""
    if ptr == ffi.NULL:
        return None
    try:
        return ffi.string(ptr).decode("utf-8")
    finally:
        lib().pj_free(ptr)


def core_version():
    """The version the Go library was built with; equals pyjindo.__version__ in a correct build."""
    return take_string(lib().pj_version())


def _raise_error(err):
    raise from_error_dict(err)


def stats():
    """{"goroutines": n, "handles": n} of the loaded library: flat over time unless something leaks."""
    return json.loads(take_string(lib().pj_stats()))


def describe_ops():
    """The Go registry's description of its operations (go/ops.Describe): for each name, its
    "args" ({"required", "optional", "nested"}), "buffer" and "result" keys; the session
    configuration under "$session". pyjindo/_ops.py is checked against it."""
    return json.loads(take_string(lib().pj_ops()))


def new_session(config):
    """Create a Go client session from a config dict; returns its Handle."""
    gen = _generation
    err = ffi.new("char **")
    h = lib().pj_session_new(json.dumps(config).encode(), err)
    if not h:
        _raise_error(json.loads(take_string(err[0]))["error"])
    return Handle(h, gen, "session")


def session_warnings(session):
    """The messages of the failed credential refreshes of `session` (a Handle) since the last
    time, and how many more were dropped: ([str], int); ([], 0) when there were none."""
    if not session.alive():
        return [], 0
    raw = take_string(lib().pj_session_warnings(session.value))
    if raw is None:
        return [], 0
    doc = json.loads(raw)
    return doc["warnings"], doc["dropped"]


#: `call(progress_total=...)` default: the total is the one the Go operation reports.
TOTAL_FROM_GO = object()


class BufferTable(object):
    """(pointer, length) pairs, one per item, of buffers Go fills (pointer 0: none), passed as an
    operation's `buf`. The cffi objects that pin the buffers are kept here (`pinned`); the table
    must outlive the Go call."""

    def __init__(self, bufs):
        self.table = ffi.new("uintptr_t[]", max(1, 2 * len(bufs)))
        self.pinned = []
        for i, b in enumerate(bufs):
            if b is not None and len(b):
                c = ffi.from_buffer(b, require_writable=False)
                self.pinned.append(c)
                self.table[2 * i] = int(ffi.cast("uintptr_t", c))
                self.table[2 * i + 1] = len(c)
        self.buffer = ffi.buffer(self.table, 2 * len(bufs) * ffi.sizeof("uintptr_t")) if bufs else None


def c_buffer(buf):
    """(what keeps it alive, pointer, size) of an operation's `buf`: None, a buffer, or a
    BufferTable."""
    if isinstance(buf, BufferTable):
        buf = buf.buffer
    if buf is None:
        return None, ffi.NULL, 0
    cbuf = ffi.from_buffer(buf, require_writable=False)
    return cbuf, cbuf, len(cbuf)


def call(session, name, args, buf=None, progress_callback=None, progress_total=TOTAL_FROM_GO, progress_start_at=None,
         report=None, operation=None, tick=None):
    """Run operation `name` on `session` (a Handle) and return its result (the "ok" value of the
    JSON, with Go's handles as Handle objects).

    Go's retries of the operation are logged on this thread (`_retrylog`) when the retry logger
    is enabled at INFO, named by `operation` (the public method, e.g. put_object; default:
    `name`); otherwise Go is not asked to collect them. `report`, a `_retrylog.Report`, is
    filled with the operation's retries and bytes (batch summaries).

    `buf` is a buffer Go reads (data to upload) or fills (room to download into); it stays
    referenced here until Go reports the operation done. `progress_total` is the total reported to
    `progress_callback`: a size Python knows, None for data of unknown size (oss2 reports None
    then), or TOTAL_FROM_GO. A transfer whose total is at least `progress_start_at` (None: never)
    first reports (0, total), as oss2's resumable multipart uploads and ranged downloads do.

    `tick`, if given, is called on this thread at every wait slice while the operation runs (the
    session's keys kept current, `_session`); an exception from it stops the operation, as one
    from the progress callback does.
    """
    L = lib()
    gen = _generation
    encoded = json.dumps(args, default=_encode_arg).encode()  # refuses stale handles before Go sees them
    session_number = session.number()
    err = ffi.new("char **")
    cbuf, ptr, size = c_buffer(buf)
    progress = _Progress(progress_callback, progress_total, progress_start_at) if progress_callback else None
    retries = None
    if report is not None or _retrylog.logger.isEnabledFor(logging.INFO):
        retries = _retrylog.Retries(operation or name, report)
    op = L.pj_start(session_number, name.encode(), encoded, ptr, size, RETRY_EVENTS if retries else 0, err)
    if not op:
        _raise_error(json.loads(take_string(err[0]))["error"])
    try:
        try:
            if progress is not None:
                progress.start()
            while L.pj_wait(op, WAIT_SLICE_MS) == 0:
                if progress is not None:
                    progress.poll(L, op)
                if retries is not None:
                    retries.drain(take_string(L.pj_events(op)))
                if tick is not None:
                    tick()
        except BaseException:
            # Ctrl-C or an exception from the progress callback or tick: stop Go, and wait until it no
            # longer touches buf before letting the buffer go.
            L.pj_cancel(op)
            while L.pj_wait(op, WAIT_SLICE_MS) == 0:
                pass
            raise
        result = json.loads(take_string(L.pj_result(op)), object_hook=_decoder(gen))
        if progress is not None and "error" not in result:
            progress.finish(L, op)
    finally:
        try:
            if retries is not None:
                retries.finish(take_string(L.pj_events(op)), _bytes_moved(L, op) if retries.report is not None else 0)
        finally:
            L.pj_free_handle(op)
            del cbuf
    if "error" in result:
        _raise_error(result["error"])
    return result["ok"]


#: call_quick's kinds (go/ops quick.go): one request, and get_object with a small body read at once.
QUICK_REQUEST = 1
QUICK_GET = 2
# the Go operations they run, naming a retry logged outside any public method (as call()'s names)
_QUICK_NAMES = {QUICK_REQUEST: "request", QUICK_GET: "get_open"}


def call_quick(session, kind, block, buf=None, ticker=None, operation=None):
    """Run a quick operation (go/ops RunQuick: `block` its NUL-separated arguments, `buf` the body)
    in one crossing when it ends within a wait slice, else wait for it as call() does (Ctrl-C
    cancels it; ticker(session), asked only then, gives the `tick` of call()). Returns
    (generation, result bytes): b"C" and the compact form, or b"J" and JSON, for `quick_result`.
    With the retry logger on, Go collects the operation's retries, logged as call() logs them,
    named by operation() (asked only then): a call that ends in the one crossing made no retry
    (go/oss hands a retried request off to a goroutine)."""
    L = _lib if _lib is not None else lib()
    gen = _generation
    number = session.value if session.generation == gen else session.number()
    flags = RETRY_EVENTS if _retrylog.logger.isEnabledFor(logging.INFO) else 0
    if buf is not None:
        cbuf = ffi.from_buffer(buf, require_writable=False)
        ptr, size = cbuf, len(cbuf)
    else:
        cbuf, ptr, size = None, ffi.NULL, 0
    try:
        outs = _quick_outs.pop()
    except IndexError:
        outs = (ffi.new("uintptr_t *"), ffi.new("char **"), ffi.new("size_t *"))
    op_out, out, out_len = outs
    op_out[0], out[0] = 0, ffi.NULL  # reused: an interrupted call reads what this one set
    op = 0
    retries = None
    # One try around pj_call itself: a Ctrl-C that came while Go ran is raised as it returns,
    # before its results are looked at; what it handed back (an operation still reading buf, or
    # the result's C memory) is ended here all the same.
    try:
        if L.pj_call(number, kind, block, len(block), ptr, size, flags, WAIT_SLICE_MS, 0, op_out, out, out_len) == 0:
            op = op_out[0]
            # the out-parameters are free again while Python code (ticks, log handlers) runs;
            # this call's result comes in its own
            pooled, out, out_len = outs, ffi.new("char **"), ffi.new("size_t *")
            outs = None
            _quick_outs.append(pooled)
            retries = _retrylog.Retries((operation and operation()) or _QUICK_NAMES[kind]) if flags else None
            tick = ticker(session) if ticker is not None else None
            while L.pj_wait(op, WAIT_SLICE_MS) == 0:
                if retries is not None:
                    retries.drain(take_string(L.pj_events(op)))
                if tick is not None:
                    tick()
            L.pj_result_bytes(op, out, out_len)
        data = ffi.buffer(out[0], out_len[0])[:]
    except BaseException:
        if outs is not None and not op:
            op = op_out[0]  # raised as pj_call returned
        if op:
            L.pj_cancel(op)  # and wait until Go no longer touches buf
            while L.pj_wait(op, WAIT_SLICE_MS) == 0:
                pass
        elif kind == QUICK_GET and out[0] != ffi.NULL:
            # a get that ended in the crossing may have opened a stream (a body larger than its
            # first answer), which nobody will read or free now
            _free_stream_of(L, ffi.buffer(out[0], out_len[0])[:])
        raise
    finally:
        try:
            if op:
                try:
                    if retries is not None:
                        retries.finish(take_string(L.pj_events(op)), 0)
                finally:
                    L.pj_free_handle(op)
        finally:
            if out[0] != ffi.NULL:
                L.pj_free(out[0])
            if outs is not None:
                _quick_outs.append(outs)
            del cbuf
    return gen, data


def _free_stream_of(L, data):
    """Frees the stream a quick get's result names, if it names one."""
    if data[:1] == b"C":
        stream = _response.quick_parts(data)[3]
        if stream:
            L.pj_free_handle(stream)


# call_quick's out-parameters (op, result pointer, length), made once and reused by one call at a
# time: taken from here for a call and put back when it has read them (a call made meanwhile, by
# another thread or a signal handler, makes its own)
_quick_outs: list = []


def quick_json(gen, data):
    """The "ok" value of a quick call's JSON ('J') result, or its error raised."""
    result = json.loads(data[1:].decode("utf-8"), object_hook=_decoder(gen))
    if "error" in result:
        _raise_error(result["error"])
    return result["ok"]


def _bytes_moved(L, op):
    """The operation's progress counter: the bytes it moved."""
    counters = ffi.new("int64_t[2]")
    L.pj_progress(op, counters, counters + 1)
    return int(counters[0])


class _Progress(object):
    """Reports one operation's progress to an oss2 progress callback(consumed_bytes, total_bytes).

    As oss2 does: consumed only grows and never exceeds the total, the last call of a successful
    transfer is (total, total), an unknown size is reported as total None (starting with
    (0, None)), and an empty body of known size is not reported at all. Like oss2's single
    requests, a transfer of known size starts with real progress, not (0, total): only one whose
    total reaches `start_at` (oss2's resumable multipart / multiget transfers) starts with
    (0, total). In between the Go counters are polled while waiting.
    """

    def __init__(self, callback, total, start_at=None):
        self.callback = callback
        self.total = total
        self.start_at = start_at
        self.called = False
        self.reported = 0
        self.counters = ffi.new("int64_t[2]")

    def _counters(self, L, op):
        L.pj_progress(op, self.counters, self.counters + 1)
        consumed, total = self.counters[0], self.counters[1]
        if self.total is not TOTAL_FROM_GO:
            total = self.total
        elif total < 0:
            total = TOTAL_FROM_GO  # not known yet
        return consumed, total

    def _report(self, consumed, total):
        if total is TOTAL_FROM_GO or total == 0:
            return
        if total is not None:
            consumed = min(consumed, total)
        if not self.called and (total is None or (self.start_at is not None and total >= self.start_at)):
            self.called = True
            self.callback(0, total)
        if consumed > self.reported:
            self.called = True
            self.reported = consumed
            self.callback(consumed, total)

    def start(self):
        self._report(0, self.total)

    def poll(self, L, op):
        self._report(*self._counters(L, op))

    def finish(self, L, op):
        consumed, total = self._counters(L, op)
        if total is TOTAL_FROM_GO:
            total = None  # the size never became known: oss2 reports None
        self._report(consumed if total is None else total, total)
