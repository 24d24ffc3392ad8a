"""Helpers for the install tests: where the built artifacts are, fresh virtualenvs, pytest runs."""
import os
import re
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERSION = re.search(r'__version__ = "([^"]+)"', (REPO / "pyjindo" / "_version.py").read_text()).group(1)
INSTALL_TIMEOUT = 300


def wheel_path(arch):
    return REPO / "dist" / ("pyjindo-%s-py3-none-manylinux2014_%s.manylinux_2_17_%s.whl" % (VERSION, arch, arch))


SDIST = REPO / "dist" / ("pyjindo-%s.tar.gz" % VERSION)


def built(path):
    """The artifact, or a failure saying how to make it (never a skip)."""
    if not path.exists():
        pytest.fail("%s is missing: run `make wheel` (`make test` builds it)" % path.relative_to(REPO))
    return path


class Venv(object):
    """A fresh virtualenv whose PATH is its own bin/ plus `extra_path` only (by default: no go, no cc).

    The test tools (pytest, oss2, numpy, pyarrow) come from the project .venv through a .pth file
    placed after the venv's own site-packages, so what pip installed here (pyjindo, cffi) wins."""

    def __init__(self, root, extra_path=()):
        self.root = Path(root)
        venv.EnvBuilder(with_pip=True).create(str(self.root))
        self.bin = self.root / "bin"
        self.python = str(self.bin / "python")
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CC", "CXX", "GOROOT", "GOFLAGS")
                    and not k.startswith("PYJINDO_")}
        self.env["PATH"] = os.pathsep.join([str(self.bin)] + list(extra_path))
        self.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        site = self.run_python("import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
        Path(site, "zz_pyjindo_test_tools.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    def run(self, args, timeout=INSTALL_TIMEOUT, check=True, **kw):
        # cwd: the venv, never the source tree (`python -c` would import ./pyjindo from there)
        kw.setdefault("cwd", str(self.root))
        kw.setdefault("env", self.env)
        out = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)
        if check and out.returncode != 0:
            pytest.fail("%s exited %d\n%s\n%s" % (args, out.returncode, out.stdout[-5000:], out.stderr[-5000:]))
        return out

    def run_python(self, code, **kw):
        return self.run([self.python, "-c", code], **kw)

    def pip_install(self, target, **kw):
        return self.run([self.python, "-m", "pip", "install", "-q", str(target)], **kw)


def run_pytest(python, args, env, cwd, timeout=600):
    """pytest in another interpreter; returns (exit status, output)."""
    out = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + list(args), env=env, cwd=cwd,
                         capture_output=True, text=True, timeout=timeout)
    return out.returncode, out.stdout + out.stderr


def passed_count(output):
    """The pytest summary's pass count; fails the test if anything failed, errored or was skipped."""
    summary = output.strip().splitlines()[-1]
    assert re.search(r"\b(failed|error|errors|skipped)\b", summary) is None, output[-5000:]
    m = re.search(r"(\d+) passed", summary)
    assert m, output[-5000:]
    return int(m.group(1))
