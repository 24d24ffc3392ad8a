"""`jindo` ops commands run as a process against `jindo server` (ossutil's names, flags, output)."""
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time

import oss2
import pytest


def _tree(root, files):
    for name, data in files.items():
        p = root / name
        if name.endswith("/"):
            p.mkdir(parents=True, exist_ok=True)
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def _keys(bucket, prefix=""):
    return sorted(o.key for o in oss2.ObjectIterator(bucket, prefix=prefix))


FILES = {"a.txt": b"alpha", "with space/é ü.txt": "unicode ✓".encode(), "empty": b"",
         "deep/er/x.bin": os.urandom(300000), "hollow/": b""}


def test_cp_tree_round_trip_with_unicode_spaces_and_empty_files(srv, tmp_path):
    src = tmp_path / "src"
    _tree(src, FILES)
    done = srv.run("cp", "-r", str(src), "oss://bkt/up/")
    assert done.returncode == 0, done.stderr
    assert "Succeed: Total num: 5, size: 300,016. OK num: 5(upload 4 files, 1 directories)." in done.stdout
    assert _keys(srv.bucket, "up/") == ["up/a.txt", "up/deep/er/x.bin", "up/empty", "up/hollow/", "up/with space/é ü.txt"]
    assert srv.bucket.get_object("up/with space/é ü.txt").read() == FILES["with space/é ü.txt"]

    dst = tmp_path / "dst"
    done = srv.run("cp", "-r", "oss://bkt/up/", str(dst))
    assert done.returncode == 0, done.stderr
    for name, data in FILES.items():
        if name.endswith("/"):
            assert (dst / name).is_dir()
        else:
            assert (dst / name).read_bytes() == data, name
    assert not [p for p in dst.rglob(".*jindo-*")], "temporary files left"


def test_include_exclude(srv, tmp_path):
    _tree(tmp_path / "s", {"a.txt": b"1", "b.log": b"2", "d/c.txt": b"3", "d/skip.txt": b"4"})
    done = srv.run("cp", "-r", str(tmp_path / "s"), "oss://bkt/f/", "--include", "*.txt", "--exclude", "skip*")
    assert done.returncode == 0, done.stderr
    assert _keys(srv.bucket, "f/") == ["f/a.txt", "f/d/c.txt"]


def test_missing_key_exits_1_with_code_and_request_id(srv, tmp_path):
    done = srv.run("cp", "oss://bkt/no such key", str(tmp_path / "x"))
    assert done.returncode == 1
    assert re.search(r"ErrorCode=NoSuchKey, .*RequestId=\w+", done.stderr), done.stderr
    assert "FinishWithError" in done.stdout
    assert not (tmp_path / "x").exists()


def test_wrong_secret_exits_1_with_signature_error(srv):
    done = subprocess.run(srv.jindo + ["ls", "oss://bkt", "-e", srv.endpoint, "-i", srv.ak, "-k", "wrong"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "ErrorCode=SignatureDoesNotMatch" in done.stderr and "RequestId=" in done.stderr


def test_usage_error_exits_2(srv):
    done = srv.run("cp", "only-one-arg")
    assert done.returncode == 2 and done.stderr.startswith("Error:")
    done = srv.run("ls", "--no-such-option")
    assert done.returncode == 2


def test_credentials_from_environment(srv, tmp_path):
    env = dict(os.environ, OSS_ACCESS_KEY_ID=srv.ak, OSS_ACCESS_KEY_SECRET=srv.sk, OSS_ENDPOINT=srv.endpoint,
               HOME=str(tmp_path))
    srv.bucket.put_object("env", b"x")
    done = subprocess.run(srv.jindo + ["ls", "-s", "oss://bkt/env"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "oss://bkt/env\n" in done.stdout, done.stderr


def test_v4_signing(srv):
    srv.bucket.put_object("v4", b"signed")
    done = srv.run("cat", "oss://bkt/v4", "--sign-version", "v4", "--region", "cn-hangzhou")
    assert done.returncode == 0 and done.stdout == "signed", done.stderr


def test_ls_json_and_stat_du_json(srv):
    srv.bucket.put_object("j/1", b"abc")
    doc = json.loads(srv.run("ls", "oss://bkt/j/", "--output-format", "json").stdout)
    assert doc["count"] == 1 and doc["entries"][0]["key"] == "j/1" and doc["entries"][0]["size"] == 3
    stat = json.loads(srv.run("stat", "oss://bkt/j/1", "--output-format", "json").stdout)
    assert stat["content_length"] == 3 and stat["etag"] == srv.bucket.head_object("j/1").etag
    du = json.loads(srv.run("du", "oss://bkt/j/", "--output-format", "json").stdout)
    assert du["object_count"] == 1 and du["total_size"] == 3


RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _snake_case_keys(v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k != "meta":
                assert re.match(r"^[a-z0-9_]+$", k), k
                _snake_case_keys(x)
    elif isinstance(v, list):
        for x in v:
            _snake_case_keys(x)


def test_every_command_speaks_one_json_schema(srv, tmp_path):
    """Under --output-format json each command prints one JSON document on stdout (snake_case
    keys, integer sizes, RFC 3339 times) and its errors as JSON lines on stderr."""
    srv.bucket.put_object("js/a", b"abc", headers={"x-oss-meta-Owner": "ops"})
    src = tmp_path / "s"
    src.mkdir()
    (src / "f").write_bytes(b"12345")

    def run(*args, code=0):
        done = srv.run(*args, "--output-format", "json")
        assert done.returncode == code, done.stderr
        doc = json.loads(done.stdout)
        _snake_case_keys(doc)
        return doc, done.stderr

    ls, _ = run("ls", "oss://bkt/js/")
    assert ls["entries"][0]["size"] == 3 and RFC3339.match(ls["entries"][0]["last_modified"])
    stat, _ = run("stat", "oss://bkt/js/a")
    assert stat["content_length"] == 3 and RFC3339.match(stat["last_modified"]) and stat["meta"] == {"owner": "ops"}
    cp, _ = run("cp", "-r", "-f", str(src), "oss://bkt/js/up/")
    assert cp["summary"]["outcome"] == "succeeded" and cp["summary"]["files"] == 1 and cp["summary"]["bytes"] == 5
    dry, _ = run("cp", "oss://bkt/js/a", str(tmp_path / "x"), "--dry-run")
    assert dry["entries"] == [{"type": "action", "action": "download", "source": "oss://bkt/js/a", "destination": str(tmp_path / "x")}]
    assert dry["summary"]["outcome"] == "dry_run" and not (tmp_path / "x").exists()
    sync, _ = run("sync", str(src), "oss://bkt/js/", "--delete", "--dry-run")
    assert {"type": "action", "action": "delete", "destination": "oss://bkt/js/a"} in sync["entries"]
    rm, _ = run("rm", "oss://bkt/js/a")
    assert rm["summary"]["objects_removed"] == 1
    presign, _ = run("presign", "oss://bkt/js/up/f")
    assert presign["url"].startswith("http") and RFC3339.match(presign["expires"])
    mb, _ = run("mb", "oss://json-bucket")
    assert mb["summary"]["outcome"] == "succeeded"

    # Errors: JSON on stderr with OSS's code, message and request id; stdout stays empty.
    done = srv.run("cp", "oss://bkt/js/missing", str(tmp_path / "m"), "--output-format", "json")
    assert done.returncode == 1
    err = json.loads(done.stderr.strip().splitlines()[0])["error"]
    assert err["code"] == "NoSuchKey" and err["status"] == 404 and err["request_id"] and err["key"] == "js/missing"
    done = srv.run("ls", "oss://bkt", "--no-such-option", "--output-format", "json")
    assert done.returncode == 2


def _json_lines(text):
    return [json.loads(line) for line in text.splitlines()]


def test_under_json_every_stderr_line_is_json(srv, tmp_path):
    """Whatever goes wrong or is asked under --output-format json, stderr is JSON lines and stdout
    one document (or the data, for cat and cp ... -)."""
    srv.bucket.put_object("jl/extra", b"x")
    srv.bucket.put_object("obj", b"data")
    src = tmp_path / "s"
    src.mkdir()
    (src / "f").write_bytes(b"1")

    def run(*args, code, stdin=None):
        done = srv.run(*args, "--output-format", "json", stdin=stdin)
        assert done.returncode == code, (args, done.stderr)
        return done, _json_lines(done.stderr)

    done, err = run("ls", "--bad", code=2)
    assert done.stdout == "" and err[0]["error"]["code"] == "UsageError" and "--bad" in err[0]["error"]["message"]
    done, err = run("sync", str(src), "oss://bkt/jl/", "--delete", code=1, stdin="")
    assert {"count": 1, "destinations": ["oss://bkt/jl/extra"], "not_shown": 0}.items() <= err[0]["extra"].items()
    assert "no terminal" in err[-1]["error"]["message"] and json.loads(done.stdout)["summary"]["outcome"] == "finished_with_errors"
    for args in (("cat", "oss://bkt/obj"), ("cp", "oss://bkt/obj", "-")):
        done, err = run(*args, code=0)
        assert done.stdout == "data" and len(err) == 1 and err[0]["summary"]["outcome"] == "succeeded", args
    done, err = run("config", "--profile", "jt", code=0, stdin="http://e\nak\nsk\n\n")  # srv.run adds -c
    assert [e["question"] for e in err[1:]] == ["Please enter endpoint:", "Please enter accessKeyID:",
                                                "Please enter accessKeySecret:", "Please enter stsToken:"]
    assert json.loads(done.stdout)["summary"]["outcome"] == "succeeded" and "[jt]\nendpoint = http://e\n" in srv.config.read_text()
    cmds = tmp_path / "cmds"
    cmds.write_text("ls -s oss://bkt/jl/\nstat oss://bkt/jl/missing\n")
    done, err = run("run", str(cmds), code=1)
    doc = json.loads(done.stdout)
    assert err == [] and doc["summary"]["failed_lines"] == [2]
    by_line = {e["line"]: e for e in doc["entries"]}
    assert by_line[1]["exit_code"] == 0 and by_line[1]["output"]["count"] == 2  # jl/extra and the synced jl/f
    assert by_line[2]["exit_code"] == 1 and by_line[2]["messages"][0]["error"]["code"] == "NoSuchKey"


def test_run_streams_an_object_to_stdout_in_bounded_memory(srv, tmp_path):
    data = os.urandom(1 << 20) * 64  # 64 MiB
    srv.bucket.put_object("big", data)
    cmds = tmp_path / "cmds"
    cmds.write_text("ls -s oss://bkt/big\ncp oss://bkt/big - --part-size 1M --parallel 2\n")
    done = subprocess.run([sys.executable, "-c", _MEASURE] + srv.command("run", str(cmds)), capture_output=True, timeout=120)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    # The data whole and unprefixed; the other line's text prefixed, before or after it.
    text = done.stdout.replace(data, b"")
    assert len(done.stdout) - len(text) == len(data)
    assert all(line.startswith(b"line 1: ") for line in text.splitlines()), text
    assert "line 2: Succeed: Total num: 1, size: 67,108,864." in err
    rss = int(re.search(r"MAXRSS (\d+)", err).group(1))
    sys.stderr.write("run: 64 MiB to stdout, peak RSS %d MiB\n" % (rss >> 10))
    assert rss < 48 * 1024, rss  # buffered, the object alone would be 64 MiB


def test_presign_put_with_a_content_type(srv, tmp_path):
    import urllib.request
    url = srv.run("presign", "oss://bkt/up.json", "--method", "PUT", "--content-type", "application/json").stdout.split()[0]
    req = urllib.request.Request(url, data=b'{"a": 1}', method="PUT", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 200
    assert srv.bucket.get_object("up.json").read() == b'{"a": 1}'
    assert srv.bucket.head_object("up.json").content_type == "application/json"


_MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write("MAXRSS %d\\n" % usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_listing_10000_keys_streams_in_bounded_memory(make_server):
    # 20 ms per response: the first names are printed long before the tenth page is asked for.
    srv = make_server("--latency", "20ms")
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(32) as ex:
        list(ex.map(lambda i: srv.bucket.put_object("many/%05d" % i, b""), range(10000)))
    before = len([r for r in srv.requests() if "method=GET" in r and "max-keys" in r])
    # A small parent runs jindo and reports its peak RSS: a child forked from this (large) test
    # process would inherit the test's high-water mark.
    proc = subprocess.Popen([sys.executable, "-c", _MEASURE] + srv.command("ls", "-s", "oss://bkt/many/"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    pages_at_first_line = len([r for r in srv.requests() if "method=GET" in r and "max-keys" in r]) - before
    rest, err = proc.stdout.read(), proc.stderr.read()  # stderr is one line: no deadlock
    proc.wait(120)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == 0, err
    maxrss_kib = int(re.search(r"MAXRSS (\d+)", err).group(1))
    assert first == "oss://bkt/many/00000\n"
    assert pages_at_first_line < 10, "the listing was collected before printing"
    assert rest.count("oss://bkt/many/") == 9999 and "Object Number is: 10000" in rest
    pages = len([r for r in srv.requests() if "method=GET" in r and "max-keys" in r]) - before
    assert pages == 10
    assert maxrss_kib < 64 * 1024, "peak RSS %d KiB" % maxrss_kib


def _parts_stored(srv, key):
    """part number -> how many successful UploadPart requests the server saw for key."""
    out = {}
    for line in srv.requests():
        m = re.search(r'method=PUT bucket=bkt key=%s query="partNumber=(\d+)&uploadId=\w+" status=200' % key, line)
        if m:
            out[int(m.group(1))] = out.get(int(m.group(1)), 0) + 1
    return out


def test_resume_after_kill_9_sends_no_stored_part_again(make_server, tmp_path):
    srv = make_server("--bandwidth-per-conn", "4MB")
    src = tmp_path / "big.bin"
    data = os.urandom(8 << 20)
    src.write_bytes(data)
    ck = tmp_path / "ck"
    args = ("cp", str(src), "oss://bkt/big", "--checkpoint-dir", str(ck), "--bigfile-threshold", "1M",
            "--part-size", "256K", "--parallel", "2")
    proc = subprocess.Popen(srv.command(*args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        files = list(ck.glob("*.upload.json")) if ck.exists() else []
        if files:
            try:
                stored = json.loads(files[0].read_text())["upload"]["parts"] or []
            except ValueError:
                stored = []
            if len(stored) >= 4:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(stored) >= 4, "the upload never got going"
    stored = json.loads(next(ck.glob("*.upload.json")).read_text())["upload"]["parts"]
    assert len(stored) < 32, "finished before the kill"

    done = srv.run(*args)
    assert done.returncode == 0, done.stderr
    assert srv.bucket.get_object("big").read() == data
    counts = _parts_stored(srv, "big")
    for p in stored:
        assert counts[p["number"]] == 1, "part %d was sent again" % p["number"]
    assert sorted(counts) == list(range(1, 33))
    assert not list(ck.glob("*.upload.json")), "checkpoint left after success"
    assert list(oss2.MultipartUploadIterator(srv.bucket)) == []


@pytest.mark.parametrize("direction", ["upload", "download", "stdin"])
def test_ctrl_c_stops_cleanly(make_server, tmp_path, direction):
    srv = make_server("--bandwidth-per-conn", "1MB")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(32 << 20))
    feeder = None
    if direction == "upload":
        args = ("cp", str(big), "oss://bkt/c", "--bigfile-threshold", "1M", "--part-size", "1M")
    elif direction == "stdin":
        # 8 MiB, then a pipe that stays open and quiet: Ctrl-C must not wait for its next byte.
        feeder = subprocess.Popen([sys.executable, "-c", "import sys, time; sys.stdout.buffer.write(b'x' * (8 << 20)); "
                                   "sys.stdout.flush(); time.sleep(120)"], stdout=subprocess.PIPE)
        args = ("cp", "-", "oss://bkt/c", "--part-size", "1M")
    else:
        # Many parallel parts, so the capped link does not make the setup slow.
        done = srv.run("cp", str(big), "oss://bkt/c", "--bigfile-threshold", "1M", "--part-size", "1M",
                       "--parallel", "32")
        assert done.returncode == 0, done.stderr
        out = tmp_path / "out"
        out.mkdir()
        args = ("cp", "oss://bkt/c", str(out / "c.bin"))
    proc = subprocess.Popen(srv.command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=feeder.stdout if feeder else None)
    if feeder:
        feeder.stdout.close()
    # Wait until data flows, then interrupt.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(("partNumber" in r if direction != "download" else "method=GET" in r and "key=c" in r)
               for r in srv.requests()) or proc.poll() is not None:
            break
        time.sleep(0.02)
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if feeder:
            feeder.kill()
            feeder.wait()
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr
    if direction != "stdin":
        assert "Interrupted: Scanned 1 " in stdout and "Succeed" not in stdout, stdout
    if direction in ("upload", "stdin"):
        assert list(oss2.MultipartUploadIterator(srv.bucket)) == [], "upload not aborted"
        assert not srv.bucket.object_exists("c")
    else:
        assert list(out.iterdir()) == [], "partial or temporary file left"


def test_rm_recursive_uses_batch_delete(srv):
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(lambda i: srv.bucket.put_object("rm/%04d" % i, b""), range(1500)))
    done = srv.run("rm", "-r", "-f", "oss://bkt/rm/")
    assert done.returncode == 0, done.stderr
    assert "Removed 1500 objects" in done.stdout
    assert _keys(srv.bucket, "rm/") == []
    assert len([r for r in srv.requests() if "method=POST" in r and "delete" in r]) == 2


def test_sync_delete(srv, tmp_path):
    _tree(tmp_path / "s", {"a": b"1", "b": b"2"})
    srv.bucket.put_object("sy/old", b"x")
    done = srv.run("sync", str(tmp_path / "s"), "oss://bkt/sy/", "--delete", "-f")
    assert done.returncode == 0, done.stderr
    assert _keys(srv.bucket, "sy/") == ["sy/a", "sy/b"]


def test_run_file_in_parallel(srv, tmp_path):
    lines = []
    for i in range(6):
        (tmp_path / ("f %d" % i)).write_bytes(b"%d" % i)
        lines.append('cp "%s" oss://bkt/run/%d' % (tmp_path / ("f %d" % i), i))
    (tmp_path / "cmds").write_text("\n".join(lines) + "\n")
    done = srv.run("run", str(tmp_path / "cmds"))
    assert done.returncode == 0, done.stderr
    assert _keys(srv.bucket, "run/") == ["run/%d" % i for i in range(6)]


def test_presign_url_works_and_hash(srv, tmp_path):
    srv.bucket.put_object("p", b"123456789")
    url = srv.run("sign", "oss://bkt/p", "--timeout", "120").stdout.splitlines()[0]
    import requests
    assert requests.get(url, timeout=30).content == b"123456789"
    (tmp_path / "h").write_bytes(b"123456789")
    out = srv.run("hash", str(tmp_path / "h")).stdout
    assert out.startswith("CRC64-ECMA                  : 11051210869376104954\n")


_GENERATE = """
import hashlib, os, sys
block = bytearray(os.urandom(1 << 20))
digest = hashlib.sha256()
for i in range(int(sys.argv[1])):
    block[:8] = i.to_bytes(8, "little")  # no two MiB alike
    sys.stdout.buffer.write(block)
    digest.update(block)
sys.stdout.buffer.flush()
sys.stderr.write("SHA256 %s\\n" % digest.hexdigest())
"""


def test_stream_1gib_through_stdin_and_stdout_in_bounded_memory(srv):
    mib = 1024
    # Up: a generator process | jindo cp - oss://bkt/big, jindo's peak RSS taken by _MEASURE.
    gen = subprocess.Popen([sys.executable, "-c", _GENERATE, str(mib)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = time.monotonic()
    up = subprocess.Popen([sys.executable, "-c", _MEASURE] + srv.command("cp", "-", "oss://bkt/big"),
                          stdin=gen.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    gen.stdout.close()
    up_out, up_err = up.communicate(timeout=120)
    up_secs = time.monotonic() - started
    sent = re.search(r"SHA256 (\w+)", gen.communicate(timeout=30)[1].decode()).group(1)
    assert gen.returncode == 0 and up.returncode == 0, up_err
    assert "Succeed: Total num: 1, size: 1,073,741,824." in up_out
    up_rss = int(re.search(r"MAXRSS (\d+)", up_err).group(1))
    assert list(oss2.MultipartUploadIterator(srv.bucket)) == []
    assert srv.bucket.head_object("big").content_length == mib << 20
    # Down: jindo cp oss://bkt/big - | a hashing consumer (this process); nothing else on stdout.
    started = time.monotonic()
    down = subprocess.Popen([sys.executable, "-c", _MEASURE] + srv.command("cp", "oss://bkt/big", "-"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    digest, got, buf = hashlib.sha256(), 0, bytearray(1 << 20)
    while True:
        n = down.stdout.readinto(buf)
        if not n:
            break
        digest.update(memoryview(buf)[:n])
        got += n
    down_err = down.stderr.read().decode()  # a few lines: no deadlock
    down.wait(60)
    down_secs = time.monotonic() - started
    down.stdout.close()
    down.stderr.close()
    assert down.returncode == 0, down_err
    assert got == mib << 20 and digest.hexdigest() == sent
    assert "Succeed: Total num: 1, size: 1,073,741,824." in down_err, "summary not on stderr"
    down_rss = int(re.search(r"MAXRSS (\d+)", down_err).group(1))
    sys.stderr.write("1 GiB up %.0f MB/s peak RSS %d MiB; down %.0f MB/s peak RSS %d MiB\n"
                     % ((mib << 20) / up_secs / 1e6, up_rss >> 10, (mib << 20) / down_secs / 1e6, down_rss >> 10))
    assert up_rss < 300 * 1024 and down_rss < 300 * 1024, (up_rss, down_rss)
