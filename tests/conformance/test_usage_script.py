"""An unchanged oss2 program runs under pyjindo with only its import line changed."""
import os
import subprocess
import sys

import oss2

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def _run(script, server, bucket):
    out = subprocess.run([sys.executable, str(script), server.endpoint, server.access_key_id,
                          server.access_key_secret, bucket],
                         capture_output=True, text=True, timeout=120, cwd=REPO,
                         env=dict(os.environ, PYTHONPATH=REPO))
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_usage_script_runs_unchanged_under_pyjindo(server, tmp_path):
    original = open(os.path.join(HERE, "usage_script.py")).read()
    assert original.count("\nimport oss2\n") == 1
    changed = tmp_path / "usage_script.py"
    changed.write_text(original.replace("\nimport oss2\n", "\nimport pyjindo as oss2\n"))

    admin = oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "placeholder")
    names = []
    for side in ("usage-oss2", "usage-pyjindo"):
        name = "%s-%d" % (side, os.getpid())
        oss2.Bucket(admin.auth, server.endpoint, name).create_bucket()
        names.append(name)
    expected = _run(os.path.join(HERE, "usage_script.py"), server, names[0])
    actual = _run(changed, server, names[1])
    assert "append next_position 16" in expected
    assert actual == expected
