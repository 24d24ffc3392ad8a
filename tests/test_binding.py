"""The cgo + cffi pipeline: lazy loading and the version crossing the C boundary."""
import os
import subprocess
import sys
import textwrap

import pyjindo
from pyjindo import _binding

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(code):
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_import_does_not_load_the_go_library():
    out = run_python(
        """
        import pyjindo
        maps = open("/proc/self/maps").read()
        print(pyjindo._binding._lib is None, "_jindo.so" in maps)
        """
    )
    assert out.split() == ["True", "False"]


def test_first_call_loads_the_library_once():
    out = run_python(
        """
        import pyjindo
        pyjindo._binding.core_version()
        first = pyjindo._binding._lib
        pyjindo._binding.core_version()
        maps = open("/proc/self/maps").read()
        print(first is pyjindo._binding._lib, "_jindo.so" in maps)
        """
    )
    assert out.split() == ["True", "True"]


def test_version_crosses_the_c_boundary():
    assert _binding.core_version() == pyjindo.__version__
