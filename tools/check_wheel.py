"""The release gate for one pyjindo wheel: `python tools/check_wheel.py WHEEL ARCH`.

Fails (exit 1, saying why) unless
- the pinned `auditwheel show` calls the wheel consistent with manylinux_2_17 or an older policy;
- every ELF file in it is for ARCH and needs no glibc symbol version newer than 2.17;
- the `jindo` binary is static (no interpreter, no shared libraries);
- WHEEL says Root-Is-Purelib: false with the py3-none manylinux2014/manylinux_2_17 tags, RECORD
  lists every file with its right hash and size, and the license is in the .dist-info;
- pyjindo/py.typed is in it (PEP 561: type checkers read the package's hints).
"""
import base64
import hashlib
import io
import re
import subprocess
import sys
import zipfile

from elftools.elf.elffile import ELFFile

MAX_GLIBC = (2, 17)
ELF_MACHINE = {"x86_64": "EM_X86_64", "aarch64": "EM_AARCH64"}


def glibc_versions(elf):
    """Every GLIBC_x.y version the file needs from a shared library."""
    found = set()
    for section in elf.iter_sections():
        if section["sh_type"] != "SHT_GNU_verneed":
            continue
        for _, auxiliaries in section.iter_versions():
            for aux in auxiliaries:
                m = re.fullmatch(r"GLIBC_([\d.]+)", aux.name)
                if m:
                    found.add(tuple(int(part) for part in m.group(1).split(".")))
    return found


def check_elf(name, data, arch, problems):
    elf = ELFFile(io.BytesIO(data))
    if elf["e_machine"] != ELF_MACHINE[arch]:
        problems.append("%s is for %s, not %s" % (name, elf["e_machine"], arch))
    versions = glibc_versions(elf)
    too_new = sorted(v for v in versions if v > MAX_GLIBC)
    if too_new:
        problems.append("%s needs glibc %s (at most 2.17 allowed)" % (
            name, ", ".join(_dotted(v) for v in too_new)))
    if name.endswith("/jindo"):
        dynamic = [s["p_type"] for s in elf.iter_segments() if s["p_type"] in ("PT_INTERP", "PT_DYNAMIC")]
        if dynamic:
            problems.append("%s is not static (%s)" % (name, ", ".join(dynamic)))
    newest = max(versions) if versions else None
    print("  %-45s %s, newest glibc symbol: %s" % (
        name, elf["e_machine"], "GLIBC_" + _dotted(newest) if newest else "none (static)"))


def _dotted(version):
    return ".".join(str(part) for part in version)


def check_record(zf, problems):
    names = set(zf.namelist())
    record_name = next(n for n in names if n.endswith(".dist-info/RECORD"))
    listed = set()
    for line in zf.read(record_name).decode().splitlines():
        path, digest, size = line.rsplit(",", 2)
        listed.add(path)
        if path == record_name:
            continue
        data = zf.read(path)
        want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        if digest != want or int(size) != len(data):
            problems.append("RECORD is wrong for %s" % path)
    if listed != names:
        problems.append("RECORD and the archive differ: %s" % sorted(listed ^ names))


def check_wheelfile(zf, arch, problems):
    wheel = zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/WHEEL"))).decode()
    if "Root-Is-Purelib: false" not in wheel:
        problems.append("WHEEL does not say Root-Is-Purelib: false")
    tags = set(re.findall(r"^Tag: (\S+)$", wheel, re.M))
    want = {"py3-none-manylinux2014_%s" % arch, "py3-none-manylinux_2_17_%s" % arch}
    if tags != want:
        problems.append("WHEEL tags are %s, not %s" % (sorted(tags), sorted(want)))
    if not any(n.endswith(".dist-info/LICENSE") for n in zf.namelist()):
        problems.append("no LICENSE in the .dist-info")


def check_auditwheel(path, arch, problems):
    out = subprocess.run([sys.executable, "-m", "auditwheel", "show", path], capture_output=True, text=True,
                         timeout=300)
    text = " ".join((out.stdout + out.stderr).split())
    m = re.search(r'consistent with the following platform tag: "manylinux_(\d+)_(\d+)_(\w+)"', text)
    if out.returncode != 0 or not m:
        problems.append("auditwheel show gave no manylinux tag: %s" % text)
        return
    print("  auditwheel show: " + m.group(0))
    if m.group(3) != arch or (int(m.group(1)), int(m.group(2))) > MAX_GLIBC:
        problems.append("auditwheel: %s is not manylinux_2_17_%s compatible" % (m.group(0), arch))


def main(path, arch):
    problems = []
    print("%s:" % path)
    with zipfile.ZipFile(path) as zf:
        elves = 0
        for name in zf.namelist():
            data = zf.read(name)
            if data[:4] == b"\x7fELF":
                elves += 1
                check_elf(name, data, arch, problems)
        if elves != 2:
            problems.append("expected 2 ELF files (the library and jindo), found %d" % elves)
        check_record(zf, problems)
        check_wheelfile(zf, arch, problems)
        if "pyjindo/py.typed" not in zf.namelist():
            problems.append("no pyjindo/py.typed: type checkers would ignore the package's hints")
    check_auditwheel(path, arch, problems)
    for p in problems:
        print("  FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ELF_MACHINE:
        sys.exit("usage: check_wheel.py WHEEL x86_64|aarch64")
    sys.exit(main(sys.argv[1], sys.argv[2]))
