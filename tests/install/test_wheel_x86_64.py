"""The x86_64 wheel installed by pip into a fresh virtualenv with no Go and no C compiler on PATH."""
import os
import re
import shlex
import shutil
import signal
import subprocess
import textwrap

import pytest

from jindo_server import READY, JindoServer

from .venvs import REPO, VERSION, passed_count, run_pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def test_jindo_command_is_the_static_binary_and_reports_the_version(wheel_venv):
    jindo = wheel_venv.bin / "jindo"
    with open(str(jindo), "rb") as f:
        assert f.read(4) == b"\x7fELF"  # the binary itself, not a wrapper: signals reach it directly
    out = wheel_venv.run(["jindo", "version"])
    assert out.stdout.strip() == VERSION
    lib = wheel_venv.run_python("import pyjindo, pyjindo._binding as b; print(pyjindo.__version__, b.core_version())")
    assert lib.stdout.split() == [VERSION, VERSION]


def test_jindo_command_passes_arguments_and_exit_status(wheel_venv):
    out = wheel_venv.run(["jindo", "no-such-command"], check=False)
    assert out.returncode == 2
    assert 'unknown command "no-such-command"' in out.stderr


def test_jindo_server_stops_on_sigterm(wheel_venv):
    proc = subprocess.Popen(["jindo", "server", "--addr", "127.0.0.1:0", "--memory", "--anonymous"],
                            env=wheel_venv.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith(READY)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_conformance_and_fork_suites_pass_on_the_installed_wheel(wheel_venv, tmp_path):
    """The conformance suite (but for the usage-script test, which imports the source tree on
    purpose) and the fork test, run by the venv's Python against the `jindo server` the wheel
    installed; installed_check stops the run if pyjindo or the server came from anywhere else."""
    env = dict(wheel_venv.env, PYTHONPATH=HERE, PYJINDO_INSTALLED_PREFIX=str(wheel_venv.root),
               PYJINDO_TEST_JINDO=str(wheel_venv.bin / "jindo"))
    status, output = run_pytest(wheel_venv.python, [
        "-p", "installed_check",
        os.path.join(REPO, "tests", "conformance"),
        "--ignore", os.path.join(REPO, "tests", "conformance", "test_usage_script.py"),
        os.path.join(REPO, "tests", "reliability", "test_fork.py"),
    ], env=env, cwd=str(tmp_path))
    assert status == 0, output[-5000:]
    assert passed_count(output) >= 50


def test_library_loads_after_numpy_and_pyarrow(wheel_venv, monkeypatch):
    """A c-shared Go library uses initial-exec TLS, which must fit in the static TLS block left over
    once other native libraries (numpy's, pyarrow's) are loaded: load it last and use it."""
    script = textwrap.dedent("""
        import sys
        import numpy, pyarrow
        import pyjindo

        def mapped(word):
            with open("/proc/self/maps") as f:
                return word in f.read()

        assert mapped("pyarrow") and mapped("numpy") and not mapped("_jindo.so")
        endpoint, ak, sk = sys.argv[1:]
        bucket = pyjindo.Bucket(pyjindo.Auth(ak, sk), endpoint, "tls-after-numpy")
        bucket.create_bucket()
        data = numpy.arange(300000, dtype=numpy.int64).tobytes()
        bucket.put_object("k", data)
        assert mapped("_jindo.so")
        assert bucket.get_object("k").read() == data
        table = pyarrow.table({"n": numpy.arange(10)})
        print("ok", table.num_rows)
    """)
    monkeypatch.setenv("PYJINDO_TEST_JINDO", str(wheel_venv.bin / "jindo"))
    with JindoServer() as server:
        out = wheel_venv.run([wheel_venv.python, "-c", script, server.endpoint, server.access_key_id,
                              server.access_key_secret])
    assert out.stdout.split() == ["ok", "10"]



def test_fsspec_finds_pyjindo_for_oss_through_the_entry_point(wheel_venv, monkeypatch):
    """The wheel's `fsspec.specs` entry point takes "oss" over from fsspec's built-in ossfs name:
    fsspec (from .venv, with no registration by hand) resolves oss:// to the installed pyjindo.fs."""
    script = textwrap.dedent("""
        import sys
        import fsspec
        import pyjindo.fs

        endpoint, ak, sk = sys.argv[1:]
        assert fsspec.get_filesystem_class("oss") is pyjindo.fs.OSSFileSystem
        fs = fsspec.filesystem("oss", endpoint=endpoint, key=ak, secret=sk)
        fs.mkdir("entry-point")
        with fsspec.open("oss://entry-point/k", "wb", endpoint=endpoint, key=ak, secret=sk) as f:
            f.write(b"data")
        print(fs.cat_file("entry-point/k").decode(), pyjindo.fs.__file__.startswith(sys.prefix))
    """)
    monkeypatch.setenv("PYJINDO_TEST_JINDO", str(wheel_venv.bin / "jindo"))
    with JindoServer() as server:
        out = wheel_venv.run([wheel_venv.python, "-c", script, server.endpoint, server.access_key_id,
                              server.access_key_secret])
    assert out.stdout.split() == ["data", "True"]


def _user_env(wheel_venv):
    """The wheel venv's environment with PATH its bin/ plus the system's basics (bash for the CLI
    block): no checkout's bin/jindo, no go."""
    return dict(wheel_venv.env, PATH=os.pathsep.join([str(wheel_venv.bin), "/usr/bin", "/bin"]))


def test_examples_demo_runs_from_the_wheel(wheel_venv, tmp_path):
    """examples/demo.py, copied away from the checkout (so its bin/jindo fallback cannot be
    used), run by the venv's python with the venv's jindo on PATH."""
    demo = tmp_path / "demo.py"
    shutil.copy(os.path.join(REPO, "examples", "demo.py"), str(demo))
    out = wheel_venv.run([wheel_venv.python, str(demo)], cwd=str(tmp_path), env=_user_env(wheel_venv))
    for words in ("local OSS server at http://127.0.0.1:", "identical bytes", "next_position = 23",
                  "NoSuchKey (status 404", "deleted       4 objects"):
        assert words in out.stdout, (words, out.stdout)


def _quick_start():
    """The README's Quick start section: the jindo server command's options, and its code blocks."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
    command = next(line for lang, code in blocks if lang == "sh" for line in code.splitlines()
                   if line.startswith("jindo server "))
    args = shlex.split(command.split("&")[0])[2:]
    options = {a: (args[i + 1] if i + 1 < len(args) and not args[i + 1].startswith("--") else None)
               for i, a in enumerate(args) if a.startswith("--")}
    return options, [code for lang, code in blocks if lang == "python" or "jindo cp" in code]


QUICK_START_OPTIONS, QUICK_START_BLOCKS = _quick_start()


def _block(marker):
    found = [b for b in QUICK_START_BLOCKS if marker in b]
    assert len(found) == 1, (marker, QUICK_START_BLOCKS)
    return found[0]


@pytest.mark.parametrize("name,markers,expected", [
    ("oss2", ["import pyjindo as oss2"], "b'hello'"),
    ("fsspec", ["storage_options"], "1  2"),
    ("torch", ["import pyjindo as oss2", "pyjindo.torch"], "['/demo/hello.txt']"),
    ("cli", ["jindo cp"], "oss://demo/photos/a.jpg"),
])
def test_readme_quick_start_runs_from_the_wheel(wheel_venv, tmp_path, monkeypatch, name, markers, expected):
    """Each quick start, as the README has it, against a `jindo server` started with the README's
    options (on a free port, put in place of the README's), in a directory away from the checkout."""
    if name == "torch":
        probe = wheel_venv.run_python("import importlib.util; print(importlib.util.find_spec('torch') is not None)")
        if probe.stdout.strip() != "True":
            pytest.skip("torch is not installed in the wheel's venv: the README's PyTorch block cannot run")
    monkeypatch.setenv("PYJINDO_TEST_JINDO", str(wheel_venv.bin / "jindo"))
    opts = QUICK_START_OPTIONS
    readme_endpoint = "http://" + opts["--addr"]
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    with JindoServer("--bucket", opts["--bucket"], access_key_id=opts["--access-key-id"],
                     access_key_secret=opts["--access-key-secret"]) as server:
        for marker in markers:
            code = _block(marker).replace(readme_endpoint, server.endpoint)
            cred = re.search(r"# (cred\.json): (\{.*\})", code)
            if cred:
                (tmp_path / cred.group(1)).write_text(cred.group(2))
            args = ["bash", "-c", code] if marker == "jindo cp" else [wheel_venv.python, "-c", code]
            out = wheel_venv.run(args, cwd=str(tmp_path), env=_user_env(wheel_venv))
    assert expected in out.stdout, out.stdout
