"""The sdist: pip builds it from source where Go is, and says clearly what is missing where not."""
import os
import shutil

from .venvs import SDIST, VERSION, Venv, built


def test_sdist_without_go_fails_with_a_clear_message(tmp_path):
    v = Venv(tmp_path / "venv")
    out = v.pip_install(built(SDIST), check=False)
    assert out.returncode != 0
    assert "building from source needs Go 1.26 or newer" in out.stdout + out.stderr


def test_sdist_builds_from_source_with_go(tmp_path):
    go, cc = shutil.which("go"), shutil.which("cc") or shutil.which("gcc")
    assert go and cc, "this test builds the sdist: it needs go and a C compiler on PATH"
    v = Venv(tmp_path / "venv", extra_path=sorted({os.path.dirname(go), os.path.dirname(cc)}))
    v.pip_install(built(SDIST), timeout=600)
    assert v.run(["jindo", "version"]).stdout.strip() == VERSION
    out = v.run_python("import pyjindo, pyjindo._binding as b; print(pyjindo.__file__, b.core_version())")
    path, version = out.stdout.split()
    assert path.startswith(str(v.root)) and version == VERSION
