"""Build pyjindo: the Go core (go/capi) becomes pyjindo/_jindo.so, loaded by cffi in ABI mode, and
the `jindo` CLI (go/cmd/jindo, static) becomes the package's one script.

A small custom build_ext runs `go build -buildmode=c-shared` (see README, "Development"): the
library is not a CPython extension, so it gets a plain name and the wheel is tagged py3-none.
Cross builds take the usual Go variables from the environment (GOARCH, CC): `make wheel` uses them.
"""
import os
import re
import shutil
import subprocess

from setuptools import Distribution, Extension, find_packages, setup
from setuptools.command.build_ext import build_ext
# setuptools provides distutils (also on Python 3.12+, where the standard library has none)
from distutils.command.build_scripts import build_scripts
from distutils.command.install_scripts import install_scripts
from setuptools.errors import ExecError, PlatformError

try:  # setuptools >= 70.1 has bdist_wheel; older ones need the wheel package
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:
    try:
        from wheel.bdist_wheel import bdist_wheel
    except ImportError:  # wheel is only needed to build wheels
        bdist_wheel = None

HERE = os.path.dirname(os.path.abspath(__file__))
LIB_NAME = "_jindo.so"
GO_MISSING = (
    "pyjindo: building from source needs Go 1.26 or newer (`go` on PATH) and a C compiler, and "
    "`go` was not found. Install Go from https://go.dev/dl/, or install a prebuilt wheel instead "
    "(pip install --only-binary=pyjindo pyjindo: Linux x86_64 and aarch64, glibc 2.17 or newer)."
)


def read_version():
    with open(os.path.join(HERE, "pyjindo", "_version.py")) as f:
        return re.search(r'__version__ = "([^"]+)"', f.read()).group(1)


def read_readme():
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        return f.read()


def go_build(args, cgo):
    """Run `go build` in the source tree with the version stamped in; a clear error without Go."""
    go = shutil.which("go")
    if go is None:
        raise PlatformError(GO_MISSING)
    env = dict(os.environ, CGO_ENABLED="1" if cgo else "0")
    cmd = [go, "build", "-trimpath", "-ldflags=-s -w -X main.version=" + read_version()] + args
    print(" ".join(cmd), flush=True)
    try:
        subprocess.check_call(cmd, cwd=HERE, env=env)
    except subprocess.CalledProcessError as e:
        raise ExecError("pyjindo: `%s` failed with exit status %d" % (" ".join(cmd), e.returncode))


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
        go_build(["-buildmode=c-shared", "-o", out, ext.package], cgo=True)
        header = os.path.splitext(out)[0] + ".h"
        if os.path.exists(header):  # cffi reads its own cdef; the generated header is noise
            os.remove(header)


class build_jindo(build_scripts):
    """The `jindo` CLI, static (CGO_ENABLED=0), as the one script: pip puts the binary itself on
    PATH, so argv, exit status and signals (`jindo server` stops on SIGTERM) are the program's own."""

    def get_source_files(self):
        return []  # go/ is in the sdist through MANIFEST.in

    def run(self):
        self.mkpath(self.build_dir)
        go_build(["-o", os.path.join(os.path.abspath(self.build_dir), "jindo"), "./go/cmd/jindo"], cgo=False)


class install_jindo(install_scripts):
    """distutils' own install_scripts (copy build_scripts' output, make it executable), without
    setuptools' variant, which installs nothing unless `scripts` lists files."""


class PyjindoDistribution(Distribution):
    def has_scripts(self):
        return True  # the jindo binary, built by build_jindo rather than listed in `scripts`


cmdclass = {"build_ext": build_go, "build_scripts": build_jindo, "install_scripts": install_jindo}

if bdist_wheel is not None:

    class bdist_wheel_py3_none(bdist_wheel):
        """One wheel per platform, for every Python 3: the library has no CPython ABI.

        A --plat-name given on the command line is used as is, so a compressed tag set such as
        manylinux2014_x86_64.manylinux_2_17_x86_64 keeps its dot (bdist_wheel would mangle it).
        """

        def get_tag(self):
            _, _, plat = super().get_tag()
            if self.plat_name_supplied:
                plat = self.plat_name.replace("-", "_")
            return "py3", "none", plat

    cmdclass["bdist_wheel"] = bdist_wheel_py3_none

setup(
    name="pyjindo",
    version=read_version(),
    description="A fast, drop-in replacement for oss2 (Alibaba Cloud OSS) with a Go core",
    long_description=read_readme(),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    license_files=["LICENSE"],
    classifiers=[
        "License :: OSI Approved :: Apache Software License",
        "Operating System :: POSIX :: Linux",
        "Programming Language :: Python :: 3",
        "Programming Language :: Go",
        "Topic :: Internet :: WWW/HTTP",
        "Topic :: System :: Filesystems",
    ],
    packages=find_packages(include=["pyjindo", "pyjindo.*"]),
    # PEP 561: the package's type hints are for type checkers (mypy, pyright) too
    package_data={"pyjindo": ["py.typed"]},
    python_requires=">=3.8",
    install_requires=["cffi>=1.15"],
    # pyjindo.fs: `oss://` for fsspec (pandas, pyarrow, Dask). An entry point takes over a name
    # fsspec knows already, so this replaces ossfs's registration of "oss".
    extras_require={"fsspec": ["fsspec>=2023.1.0"], "torch": ["torch"]},
    entry_points={"fsspec.specs": ["oss = pyjindo.fs:OSSFileSystem"]},
    ext_modules=[GoSharedLibrary("pyjindo._jindo", "./go/capi")],
    distclass=PyjindoDistribution,
    cmdclass=cmdclass,
    zip_safe=False,
)
