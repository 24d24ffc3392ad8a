"""The aarch64 wheel on an x86_64 machine: its ELF files pass the gate, and its `jindo` runs under
qemu-user (`make qemu` installs it) and serves the real oss2 through the server test suite."""
import os
import shlex
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from .venvs import REPO, VERSION, built, passed_count, run_pytest, wheel_path


@pytest.fixture(scope="module")
def qemu():
    path = shutil.which("qemu-aarch64-static") or shutil.which("qemu-aarch64")
    if path is None:
        pytest.fail("qemu-aarch64-static is missing: run `make qemu` (Debian/Ubuntu: apt-get install qemu-user-static)")
    return path


@pytest.fixture(scope="module")
def aarch64_jindo(tmp_path_factory):
    """The wheel's jindo, unpacked."""
    target = tmp_path_factory.mktemp("aarch64") / "jindo"
    with zipfile.ZipFile(str(built(wheel_path("aarch64")))) as zf:
        target.write_bytes(zf.read("pyjindo-%s.data/scripts/jindo" % VERSION))
    target.chmod(target.stat().st_mode | stat.S_IXUSR)
    return target


def test_aarch64_jindo_is_an_arm64_elf(aarch64_jindo):
    header = aarch64_jindo.read_bytes()[:20]
    assert header[:4] == b"\x7fELF"
    assert int.from_bytes(header[18:20], "little") == 183  # EM_AARCH64


def test_aarch64_jindo_reports_the_version_under_qemu(qemu, aarch64_jindo):
    out = subprocess.run([qemu, str(aarch64_jindo), "version"], capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout.strip()) == (0, VERSION), out.stderr


def test_server_suite_passes_against_the_aarch64_jindo_under_qemu(qemu, aarch64_jindo, tmp_path):
    """tests/server drives the real oss2 against `qemu-aarch64-static jindo server`."""
    env = dict(os.environ, PYJINDO_TEST_JINDO=shlex.join([qemu, str(aarch64_jindo)]))
    status, output = run_pytest(sys.executable, [os.path.join(REPO, "tests", "server")], env=env,
                                cwd=str(tmp_path))
    assert status == 0, output[-5000:]
    assert passed_count(output) >= 50
