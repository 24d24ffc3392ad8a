"""The one door to the Go library: loads pyjindo/_jindo.so with cffi (ABI mode) on first use.

Importing pyjindo does not start the Go runtime; the first call that needs the library does.
"""
import os
import threading

from cffi import FFI

LIB_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_jindo.so")

CDEF = """
char *pj_version(void);
void pj_free(void *p);
"""

ffi = FFI()
ffi.cdef(CDEF)

_lock = threading.Lock()
_lib = None


def lib():
    """Return the loaded library, loading it on first use."""
    global _lib
    if _lib is None:
        with _lock:
            if _lib is None:
                if not os.path.exists(LIB_PATH):
                    raise ImportError(
                        "pyjindo's Go library is missing at %s: run `make build` or `pip install -e .`"
                        % LIB_PATH
                    )
                _lib = ffi.dlopen(LIB_PATH)
    return _lib


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
