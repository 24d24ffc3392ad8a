"""The one door to the Go library: loads pyjindo/_jindo.so with cffi (ABI mode) on first use.

Importing pyjindo does not start the Go runtime; the first call that needs the library does.

Every operation runs in Go asynchronously: `call()` starts it, waits in short slices so Ctrl-C
is seen promptly (then cancels it and waits for Go to let go of the buffer), polls the byte
counters for progress callbacks on this thread, and turns the JSON result into a dict or raises
the oss2-shaped exception.

A Go runtime does not survive fork. In a child the library is loaded afresh from a private copy
of the file (a second dlopen of the same path would return the parent's dead runtime); handles
made before the fork belong to the old copy, so holders compare `generation()` and re-create
theirs.
"""
import json
import os
import shutil
import tempfile
import threading

from cffi import FFI

LIB_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_jindo.so")

CDEF = """
char *pj_version(void);
void pj_free(void *p);
void pj_free_handle(uintptr_t h);
uintptr_t pj_session_new(char *config, char **err);
uintptr_t pj_start(uintptr_t session, char *name, char *args, void *buf, size_t buf_len, char **err);
int pj_wait(uintptr_t op, int timeout_ms);
char *pj_result(uintptr_t op);
void pj_cancel(uintptr_t op);
void pj_progress(uintptr_t op, int64_t *consumed, int64_t *total);
char *pj_stats(void);
"""

ffi = FFI()
ffi.cdef(CDEF)

# How long one wait on Go lasts: the bound on how late Ctrl-C and progress callbacks are seen.
WAIT_SLICE_MS = 50

_lock = threading.Lock()
_lib = None
_generation = 0
_forked_after_load = False


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
    return _lib


def generation():
    """Changes in a forked child: handles from an older generation must be re-created."""
    return _generation


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
    from .exceptions import from_error_dict

    raise from_error_dict(err)


def stats():
    """{"goroutines": n, "handles": n} of the loaded library: flat over time unless something leaks."""
    return json.loads(take_string(lib().pj_stats()))


def new_session(config):
    """Create a Go client session from a config dict; returns (generation, handle)."""
    gen = _generation
    err = ffi.new("char **")
    h = lib().pj_session_new(json.dumps(config).encode(), err)
    if not h:
        _raise_error(json.loads(take_string(err[0]))["error"])
    return gen, h


def free_handle(h):
    if _lib is not None and h:
        _lib.pj_free_handle(h)


def call(session, name, args, buf=None, progress_callback=None):
    """Run operation `name` on `session` and return its result (the "ok" value of the JSON).

    `buf` is a buffer Go reads (data to upload) or fills (room to download into); it stays
    referenced here until Go reports the operation done.
    """
    L = lib()
    err = ffi.new("char **")
    if buf is not None:
        cbuf = ffi.from_buffer(buf, require_writable=False)
        ptr, size = cbuf, len(cbuf)
    else:
        cbuf, ptr, size = None, ffi.NULL, 0
    op = L.pj_start(session, name.encode(), json.dumps(args).encode(), ptr, size, err)
    if not op:
        _raise_error(json.loads(take_string(err[0]))["error"])
    try:
        counters = ffi.new("int64_t[2]") if progress_callback else None
        reported = -1
        try:
            while L.pj_wait(op, WAIT_SLICE_MS) == 0:
                if counters is not None:
                    reported = _report(L, op, counters, progress_callback, reported)
        except BaseException:
            # Ctrl-C or an exception from the progress callback: stop Go, and wait until it no
            # longer touches buf before letting the buffer go.
            L.pj_cancel(op)
            while L.pj_wait(op, WAIT_SLICE_MS) == 0:
                pass
            raise
        if counters is not None:
            _report(L, op, counters, progress_callback, reported)
        result = json.loads(take_string(L.pj_result(op)))
    finally:
        L.pj_free_handle(op)
        del cbuf
    if "error" in result:
        _raise_error(result["error"])
    return result["ok"]


def _report(L, op, counters, callback, reported):
    L.pj_progress(op, counters, counters + 1)
    consumed, total = counters[0], counters[1]
    if consumed != reported:
        callback(consumed, total if total >= 0 else None)
    return consumed
