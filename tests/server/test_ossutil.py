"""ossutil 1.7.19 against jindo server, signing V4 with `--sign-version v4 --region cn-hangzhou`.

Its SDK (aliyun-oss-go-sdk v3) sends no x-oss-date: the Date header's text is the time in its
V4 string to sign. ossutil is built once from the Go module proxy into .cache/ossutil; a
failed build fails the test (it is not skipped), since the server's Date-timed V4 path would
then go untested end to end.
"""
import os
import subprocess

import pytest

from jindo_server import ROOT

OSSUTIL_VERSION = "v1.7.19"
CACHE = os.path.join(ROOT, ".cache", "ossutil")
GO_MOD = """module ossutilbuild

go 1.21

require github.com/aliyun/ossutil %s
""" % OSSUTIL_VERSION


def _build_ossutil():
    exe = os.path.join(CACHE, "ossutil-" + OSSUTIL_VERSION)
    if os.path.exists(exe):
        return exe
    src = os.path.join(CACHE, "src-" + OSSUTIL_VERSION)
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write(GO_MOD)
    env = dict(os.environ, GOFLAGS=(os.environ.get("GOFLAGS", "") + " -mod=mod").strip())
    tmp = "%s.%d.tmp" % (exe, os.getpid())
    done = subprocess.run(["go", "build", "-o", tmp, "github.com/aliyun/ossutil"], cwd=src, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail("building ossutil %s failed:\n%s" % (OSSUTIL_VERSION, done.stderr))
    os.replace(tmp, exe)
    return exe


@pytest.fixture(scope="module")
def ossutil():
    return _build_ossutil()


@pytest.fixture
def run(ossutil, server, tmp_path):
    config = tmp_path / "ossutilconfig"
    config.write_text("[Credentials]\nlanguage=EN\nendpoint=%s\naccessKeyID=%s\naccessKeySecret=%s\n"
                      % (server.endpoint, server.access_key_id, server.access_key_secret))

    def run(*args, region="cn-hangzhou"):
        return subprocess.run([ossutil, "-c", str(config), "--sign-version", "v4", "--region", region] + list(args),
                              cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
    return run


def test_ossutil_v4_round_trip(run, bucket, tmp_path):
    local = tmp_path / "up.txt"
    local.write_bytes(b"through ossutil\n" * 100)
    target = "oss://%s/dir/a b.txt" % bucket.bucket_name

    done = run("cp", str(local), target)
    assert done.returncode == 0, done.stdout + done.stderr
    assert bucket.get_object("dir/a b.txt").read() == local.read_bytes()

    done = run("ls", "oss://%s/dir/" % bucket.bucket_name)
    assert done.returncode == 0 and "dir/a b.txt" in done.stdout, done.stdout + done.stderr

    down = tmp_path / "down.txt"
    done = run("cp", target, str(down), "-f")
    assert done.returncode == 0, done.stdout + done.stderr
    assert down.read_bytes() == local.read_bytes()

    done = run("rm", target, "-f")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not bucket.object_exists("dir/a b.txt")


def test_ossutil_v4_wrong_region_is_refused(run, bucket):
    done = run("ls", "oss://%s" % bucket.bucket_name, region="cn-beijing")
    assert done.returncode != 0
    assert "InvalidArgument" in done.stdout + done.stderr


def test_ossutil_stat(run, bucket):
    # `stat` of an object reads its ACL (GET ?acl) besides its metadata.
    bucket.put_object("s.txt", b"stat me", headers={"x-oss-object-acl": "public-read", "x-oss-meta-color": "blue"})
    done = run("stat", "oss://%s/s.txt" % bucket.bucket_name)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = {k.strip(): v.strip() for k, _, v in (l.partition(":") for l in done.stdout.splitlines())}
    assert lines["ACL"] == "public-read" and lines["Content-Length"] == "7", done.stdout
    assert lines["X-Oss-Meta-Color"] == "blue", done.stdout
    done = run("stat", "oss://%s" % bucket.bucket_name)
    assert done.returncode == 0 and "private" in done.stdout, done.stdout + done.stderr
