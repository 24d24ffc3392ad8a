"""What an ops user must be able to trust of `jindo`, run as a process: nothing deleted without
consent, an error about the whole job stops it after one request, one unreadable directory does
not hide the rest of the tree, and a killed download leaves nothing behind."""
import os
import pty
import select
import shutil
import signal
import subprocess
import tempfile
import time

import oss2


def _keys(bucket, prefix=""):
    return sorted(o.key for o in oss2.ObjectIterator(bucket, prefix=prefix))


def _run_on_terminal(srv, answer, *args):
    """Runs jindo with a pseudo-terminal as stdin, answering its question with `answer`."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(srv.command(*args), stdin=slave, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        os.write(master, answer.encode())
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(slave)
        os.close(master)
    return proc.returncode, out, err


def test_sync_delete_asks_on_a_terminal_and_deletes_nothing_without_one(srv, tmp_path):
    src = tmp_path / "s"
    src.mkdir()
    (src / "keep").write_bytes(b"k")
    for k in ("sy/keep", "sy/extra1", "sy/extra2"):
        srv.bucket.put_object(k, b"x")
    before = _keys(srv.bucket, "sy/")

    done = srv.run("sync", str(src), "oss://bkt/sy/", "--delete", stdin="")  # no terminal
    assert done.returncode == 1
    assert "oss://bkt/sy/extra1" in done.stderr and "-f" in done.stderr, done.stderr
    assert _keys(srv.bucket, "sy/") == before

    code, out, err = _run_on_terminal(srv, "n\n", "sync", str(src), "oss://bkt/sy/", "--delete")
    assert code == 1 and "Delete these 2 objects (y or N)?" in err, err
    assert _keys(srv.bucket, "sy/") == before

    code, out, err = _run_on_terminal(srv, "y\n", "sync", str(src), "oss://bkt/sy/", "--delete")
    assert code == 0, err
    assert "Deleted 2 objects." in out
    assert _keys(srv.bucket, "sy/") == ["sy/keep"]


def test_sync_delete_to_a_directory_moves_files_to_the_backup_dir(srv, tmp_path):
    srv.bucket.put_object("sd/keep", b"k")
    dst, backup = tmp_path / "dst", tmp_path / "backup"
    (dst / "sub").mkdir(parents=True)
    (dst / "sub" / "extra").write_bytes(b"precious")
    done = srv.run("sync", "oss://bkt/sd/", str(dst), "--delete", "-f")
    assert done.returncode == 2 and "--backup-dir" in done.stderr
    assert (dst / "sub" / "extra").read_bytes() == b"precious"
    done = srv.run("sync", "oss://bkt/sd/", str(dst), "--delete", "-f", "--backup-dir", str(backup))
    assert done.returncode == 0, done.stderr
    assert not (dst / "sub" / "extra").exists()
    assert (backup / "sub" / "extra").read_bytes() == b"precious"
    assert (dst / "keep").read_bytes() == b"k"


def test_a_wrong_secret_on_10000_files_makes_one_request(srv, tmp_path):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(10000):
        (src / ("f%05d" % i)).write_bytes(b"x" * 100)
    before = len(srv.requests())
    done = srv.run("cp", "-r", "-f", str(src), "oss://bkt/many/", "-i", srv.ak, "-k", "wrong-secret")
    assert done.returncode == 1
    assert done.stderr.count("SignatureDoesNotMatch") == 1, done.stderr[:2000]
    assert "Stopped:" in done.stdout and "Transfer size: 0." in done.stdout, done.stdout
    assert len(srv.requests()) - before <= 3


def test_an_unreadable_directory_in_the_middle_of_a_tree(srv, tmp_path):
    # The tree must be unreadable to the user running jindo: as root, jindo runs as nobody.
    as_root = os.geteuid() == 0
    base = tempfile.mkdtemp(prefix="jindo-unreadable-")
    try:
        os.chmod(base, 0o755)
        src = os.path.join(base, "src")
        for d in ("a", "b_locked", "c"):
            os.makedirs(os.path.join(src, d))
            with open(os.path.join(src, d, "file"), "wb") as f:
                f.write(d.encode())
        os.chmod(os.path.join(src, "b_locked"), 0)
        jindo = os.path.join(base, "jindo")
        shutil.copy(srv.jindo[0], jindo)
        config = os.path.join(base, "config")
        shutil.copy(str(srv.config), config)
        os.chmod(config, 0o644)
        cmd = [jindo, "cp", "-r", "-f", src, "oss://bkt/tree/", "-c", config]
        if as_root:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env={"HOME": base, "PATH": os.environ["PATH"]})
    finally:
        os.chmod(os.path.join(base, "src", "b_locked"), 0o755)
        shutil.rmtree(base)
    assert done.returncode == 1, done.stderr
    assert "b_locked" in done.stderr and "permission denied" in done.stderr, done.stderr
    assert "FinishWithError: Scanned 2 files. Error num: 1. OK num: 2" in done.stdout, done.stdout
    assert _keys(srv.bucket, "tree/") == ["tree/a/file", "tree/c/file"]


def test_an_unreadable_directory_in_a_local_sync_destination(srv, tmp_path):
    # The destination's listing meets the locked directory: that directory's error, reported and
    # counted; the rest is synced, and --delete deletes (moves) nothing after an error.
    as_root = os.geteuid() == 0
    base = tempfile.mkdtemp(prefix="jindo-unreadable-dst-")
    try:
        dst, backup = os.path.join(base, "dst"), os.path.join(base, "backup")
        for d in ("a", "b_locked", "c"):
            os.makedirs(os.path.join(dst, d))
        os.makedirs(backup)
        with open(os.path.join(dst, "extra"), "wb") as f:
            f.write(b"not in the source")
        with open(os.path.join(dst, "b_locked", "old"), "wb") as f:
            f.write(b"old")
        for k in ("sd/a/file", "sd/c/file", "sd/d/file"):
            srv.bucket.put_object(k, k.encode())
        jindo, config = os.path.join(base, "jindo"), os.path.join(base, "config")
        shutil.copy(srv.jindo[0], jindo)
        shutil.copy(str(srv.config), config)
        if as_root:
            for root, dirs, files in os.walk(base):
                for n in [root] + [os.path.join(root, x) for x in dirs + files]:
                    os.chown(n, 65534, 65534)
        os.chmod(os.path.join(dst, "b_locked"), 0)
        cmd = [jindo, "sync", "oss://bkt/sd/", dst, "--delete", "--backup-dir", backup, "-f", "-c", config]
        if as_root:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env={"HOME": base, "PATH": os.environ["PATH"]})
        os.chmod(os.path.join(dst, "b_locked"), 0o755)
        synced = {d: open(os.path.join(dst, d, "file"), "rb").read() for d in ("a", "c", "d")}
        left = sorted(os.listdir(dst)), os.listdir(backup)
    finally:
        os.chmod(os.path.join(base, "dst", "b_locked"), 0o755)
        shutil.rmtree(base)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "b_locked" in done.stderr and "permission denied" in done.stderr, done.stderr
    assert synced == {"a": b"sd/a/file", "c": b"sd/c/file", "d": b"sd/d/file"}
    assert left == (["a", "b_locked", "c", "d", "extra"], [])


def _big_on_a_slow_server(make_server, tmp_path):
    """A server at 2 MB/s per connection holding 24 MiB at bkt/big, put in parallel parts (one PUT
    would take 12 s)."""
    srv = make_server("--bandwidth-per-conn", "2MB")
    data = os.urandom(24 << 20)
    (tmp_path / "big.src").write_bytes(data)
    done = srv.run("cp", str(tmp_path / "big.src"), "oss://bkt/big", "--bigfile-threshold", "1M",
                   "--part-size", "1M", "--parallel", "24")
    assert done.returncode == 0, done.stderr
    return srv, data


def _kill_during_download(srv, out, env=None):
    """Starts `jindo cp oss://bkt/big OUT` and kills it with SIGKILL in the middle of the download."""
    proc = subprocess.Popen(srv.command("cp", "-f", "oss://bkt/big", str(out), "--parallel", "2", "--part-size", "1M"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    gets = sum("method=GET" in r and "key=big" in r for r in srv.requests())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if sum("method=GET" in r and "key=big" in r for r in srv.requests()) >= gets + 3:
            break
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None, "the download finished before the kill"
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_kill_9_of_a_download_over_an_existing_file_leaves_it_untouched(make_server, tmp_path):
    srv, data = _big_on_a_slow_server(make_server, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "big"
    out.write_bytes(b"the old content")
    for _ in range(2):
        _kill_during_download(srv, out)
        assert sorted(os.listdir(out_dir)) == ["big"], os.listdir(out_dir)
        assert out.read_bytes() == b"the old content"
    done = srv.run("cp", "-f", "oss://bkt/big", str(out), "--parallel", "24", "--part-size", "1M")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == data
    assert sorted(os.listdir(out_dir)) == ["big"]


def test_ctrl_c_at_the_question_on_a_dumb_terminal_exits_130_and_deletes_nothing(srv, tmp_path):
    # TERM=dumb (an Emacs shell) is still a terminal to ask on; Ctrl-C while the question waits
    # ends the command without the Enter that never comes.
    src = tmp_path / "s"
    src.mkdir()
    (src / "keep").write_bytes(b"k")
    for k in ("cc/keep", "cc/extra"):
        srv.bucket.put_object(k, b"x")
    master, slave = pty.openpty()
    proc = None
    try:
        proc = subprocess.Popen(srv.command("sync", str(src), "oss://bkt/cc/", "--delete"), stdin=slave,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, TERM="dumb"))
        err = b""
        deadline = time.monotonic() + 30
        while b"(y or N)?" not in err and time.monotonic() < deadline:
            # bounded: a question that never comes fails the test instead of hanging it
            if not select.select([proc.stderr], [], [], max(0.0, deadline - time.monotonic()))[0]:
                break
            chunk = os.read(proc.stderr.fileno(), 4096)
            if not chunk:
                break
            err += chunk
        assert b"Delete these 1 objects (y or N)?" in err, err
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(slave)
        os.close(master)
    assert proc.returncode == 130, err
    assert _keys(srv.bucket, "cc/") == ["cc/extra", "cc/keep"]


def test_kill_9_of_a_download_through_a_temporary_name_is_cleaned_up_by_the_next(make_server, tmp_path):
    """Where there is no O_TMPFILE (forced by PYJINDO_TEST_NAMED_TEMP), a killed download to a new
    name leaves its temporary file; the next download to that name removes it at once. A
    leftover in a later slot (left while downloads to the name ran at once) goes with the next
    download over the file."""
    srv, data = _big_on_a_slow_server(make_server, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "big"
    named = dict(os.environ, PYJINDO_TEST_NAMED_TEMP="1")
    _kill_during_download(srv, out, named)
    assert sorted(os.listdir(out_dir)) == [".big.pyjindo-0"]
    # The next run, killed too, removes it (and leaves its own in the same slot).
    _kill_during_download(srv, out, named)
    assert sorted(os.listdir(out_dir)) == [".big.pyjindo-0"]
    # Moved to a later slot with slot 0 free: a download to the new name does not look there,
    # the next one, over the file, does.
    os.rename(out_dir / ".big.pyjindo-0", out_dir / ".big.pyjindo-5")
    for left in ([".big.pyjindo-5", "big"], ["big"]):
        done = srv.run("cp", "-f", "oss://bkt/big", str(out), "--parallel", "24", "--part-size", "1M")
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == data
        assert sorted(os.listdir(out_dir)) == left
