"""The cgo + cffi pipeline: lazy loading, the version crossing the C boundary, the profiling switch."""
import gzip
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


def test_cpuprofile_switch_writes_a_pprof_profile_per_process(tmp_path):
    """PYJINDO_CPUPROFILE=PATH profiles the library's Go code until exit; a forked child's fresh
    copy of the library writes PATH.<pid> (the parent's exit handler leaves it alone), and so
    does a child process started with the environment."""
    path = tmp_path / "cpu.pprof"
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(
            """
            import os, subprocess, sys
            import pyjindo
            pyjindo._binding.core_version()
            pid = os.fork()
            if pid == 0:
                pyjindo._binding.core_version()
                sys.exit(0)  # runs the exit handlers, the parent's included
            _, status = os.waitpid(pid, 0)
            started = subprocess.run([sys.executable, "-c", "import os, pyjindo; "
                                      "pyjindo._binding.core_version(); print(os.getpid())"],
                                     capture_output=True, text=True, check=True).stdout.strip()
            print(pid, status, started)
            """)],
        capture_output=True, text=True, timeout=60, cwd=REPO, env=dict(os.environ, PYJINDO_CPUPROFILE=str(path)),
    )
    assert out.returncode == 0, out.stderr
    child, status, started = out.stdout.split()
    assert status == "0"
    for written in (path, tmp_path / ("cpu.pprof." + child), tmp_path / ("cpu.pprof." + started)):
        # pprof's format: a gzipped protocol buffer whose string table names the sample types
        assert b"nanoseconds" in gzip.decompress(written.read_bytes())


def test_cpuprofile_switch_warns_when_it_cannot_write(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", "import pyjindo; print(pyjindo._binding.core_version())"],
        capture_output=True, text=True, timeout=60, cwd=REPO,
        env=dict(os.environ, PYJINDO_CPUPROFILE=str(tmp_path / "missing" / "cpu.pprof")),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == pyjindo.__version__
    assert "RuntimeWarning: PYJINDO_CPUPROFILE: no profile:" in out.stderr
    assert "no such file or directory" in out.stderr
