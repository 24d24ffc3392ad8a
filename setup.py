"""Build pyjindo: the Go core (go/capi) becomes pyjindo/_jindo.so, loaded by cffi in ABI mode.

A small custom build_ext runs `go build -buildmode=c-shared` (see README, "Development"): the
library is not a CPython extension, so it gets a plain name and the wheel is tagged py3-none.
"""
import os
import re
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # wheel is only needed to build wheels
    bdist_wheel = None

HERE = os.path.dirname(os.path.abspath(__file__))
LIB_NAME = "_jindo.so"


def read_version():
    with open(os.path.join(HERE, "pyjindo", "_version.py")) as f:
        return re.search(r'__version__ = "([^"]+)"', f.read()).group(1)


class GoSharedLibrary(Extension):
    """A Go package built as a C shared library; sources are tracked by go itself."""

    def __init__(self, name, package):
        super().__init__(name, sources=[])
        self.package = package


class build_go(build_ext):
    def get_ext_filename(self, ext_name):
        # cffi loads the library by path, so it needs no CPython ABI suffix.
        return os.path.join(*ext_name.split(".")[:-1], LIB_NAME)

    def build_extension(self, ext):
        out = os.path.abspath(self.get_ext_fullpath(ext.name))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        env = dict(os.environ, CGO_ENABLED="1")
        cmd = [
            "go", "build", "-buildmode=c-shared", "-trimpath",
            "-ldflags=-s -w -X main.version=" + read_version(),
            "-o", out, ext.package,
        ]
        self.announce(" ".join(cmd), level=2)
        subprocess.check_call(cmd, cwd=HERE, env=env)
        header = os.path.splitext(out)[0] + ".h"
        if os.path.exists(header):  # cffi reads its own cdef; the generated header is noise
            os.remove(header)


cmdclass = {"build_ext": build_go}

if bdist_wheel is not None:

    class bdist_wheel_py3_none(bdist_wheel):
        """One wheel per platform, for every Python 3: the library has no CPython ABI."""

        def get_tag(self):
            _, _, plat = super().get_tag()
            return "py3", "none", plat

    cmdclass["bdist_wheel"] = bdist_wheel_py3_none

setup(
    name="pyjindo",
    version=read_version(),
    description="A fast, drop-in replacement for oss2 (Alibaba Cloud OSS) with a Go core",
    packages=["pyjindo"],
    python_requires=">=3.8",
    install_requires=["cffi>=1.15"],
    ext_modules=[GoSharedLibrary("pyjindo._jindo", "./go/capi")],
    cmdclass=cmdclass,
    zip_safe=False,
)
