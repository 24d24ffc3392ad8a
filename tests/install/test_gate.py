"""tools/check_wheel.py, the release gate `make wheel` runs: the real wheels pass it, and a wheel
with a library built against a newer glibc, or with a wrong RECORD, fails it."""
import base64
import hashlib
import os
import subprocess
import sys
import zipfile

import pytest

from .venvs import REPO, built, wheel_path

GATE = os.path.join(REPO, "tools", "check_wheel.py")


def gate(path, arch):
    out = subprocess.run([sys.executable, GATE, str(path), arch], capture_output=True, text=True, timeout=300)
    return out.returncode, out.stdout + out.stderr


@pytest.mark.parametrize("arch,machine", [("x86_64", "EM_X86_64"), ("aarch64", "EM_AARCH64")])
def test_built_wheels_pass_the_gate(arch, machine):
    status, output = gate(built(wheel_path(arch)), arch)
    assert status == 0, output
    assert "pyjindo/_jindo.so %s" % machine in " ".join(output.split())
    assert 'consistent with the following platform tag: "manylinux_2_' in output


def test_gate_refuses_the_other_architecture():
    status, output = gate(built(wheel_path("aarch64")), "x86_64")
    assert status == 1
    assert "is for EM_AARCH64, not x86_64" in output


def _doctored(tmp_path, replace, fix_record):
    """The x86_64 wheel with some members' content replaced (None: left out), RECORD rewritten to
    match or not."""
    src = built(wheel_path("x86_64"))
    dst = tmp_path / src.name
    with zipfile.ZipFile(str(src)) as zin, zipfile.ZipFile(str(dst), "w", zipfile.ZIP_DEFLATED) as zout:
        record_name = next(n for n in zin.namelist() if n.endswith(".dist-info/RECORD"))
        rows = []
        for info in zin.infolist():
            if info.filename == record_name:
                continue
            original = zin.read(info.filename)
            data = replace.get(info.filename, original)
            if data is None:
                continue
            member = zipfile.ZipInfo(info.filename, info.date_time)
            member.external_attr = info.external_attr
            zout.writestr(member, data)
            source = data if fix_record else original
            digest = base64.urlsafe_b64encode(hashlib.sha256(source).digest()).rstrip(b"=").decode()
            rows.append("%s,sha256=%s,%d" % (info.filename, digest, len(source)))
        rows.append(record_name + ",,")
        zout.writestr(record_name, "\n".join(rows) + "\n")
    return dst


def test_gate_refuses_a_library_that_needs_a_newer_glibc(tmp_path):
    # This machine's Python was linked against its own, much newer, glibc.
    with open(os.path.realpath(sys._base_executable), "rb") as f:
        newer = f.read()
    status, output = gate(_doctored(tmp_path, {"pyjindo/_jindo.so": newer}, fix_record=True), "x86_64")
    assert status == 1
    assert "pyjindo/_jindo.so needs glibc 2." in output
    assert "RECORD" not in output


def test_gate_refuses_a_wrong_record(tmp_path):
    status, output = gate(_doctored(tmp_path, {"pyjindo/_version.py": b"__version__ = 'x'\n"}, fix_record=False),
                          "x86_64")
    assert status == 1
    assert "RECORD is wrong for pyjindo/_version.py" in output


def test_gate_refuses_a_wheel_without_py_typed(tmp_path):
    status, output = gate(_doctored(tmp_path, {"pyjindo/py.typed": None}, fix_record=True), "x86_64")
    assert status == 1
    assert "no pyjindo/py.typed" in output
