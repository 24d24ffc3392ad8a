"""kill -9 of a process in the middle of get_object_to_file over an existing file leaves the old
content and no hidden temporary file beside it (issue 19, item 2): the download is written into
a file with no name (O_TMPFILE) linked in place only when complete, and a temporary file of ours
left by a killed download where that is not available is removed by the next download to the
same name (go/transfer/file.go, tempfiles.go)."""
import os
import signal
import subprocess
import sys
import textwrap

import pytest

import pyjindo
from jindo_server import JindoServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIZE = 32 * 1024 * 1024
OLD = b"the old content\n" * 1000

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    import pyjindo
    endpoint, ak, sk, target = sys.argv[2:6]
    b = pyjindo.Bucket(pyjindo.Auth(ak, sk), endpoint, "kill", part_size=1024 * 1024, concurrency=4)
    said = []
    def progress(done, total):
        if done >= 4 * 1024 * 1024 and not said:  # well into the download: parts are being written
            said.append(1)
            print("WRITING", flush=True)
    b.get_object_to_file("big", target, progress_callback=progress)
    print("FINISHED", flush=True)
""")


@pytest.fixture(scope="module")
def slow():
    """32 MiB at 2 MB/s per connection, 4 connections: about 4 s to fetch."""
    with JindoServer("--bandwidth-per-conn", "2MB", "--bucket", "kill") as s:
        # Many connections for the setup and the check, so that only the child is slow.
        b = pyjindo.Bucket(pyjindo.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "kill",
                           part_size=1024 * 1024, concurrency=32, multipart_threshold=1024 * 1024)
        data = os.urandom(SIZE)
        b.put_object("big", data)
        yield s, b, data


def _kill_during_download(s, target, env=None):
    """Runs get_object_to_file("big", target) in a child process and kills it with SIGKILL while
    parts are being written."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, ROOT, s.endpoint, s.access_key_id, s.access_key_secret,
                              str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = child.stdout.readline().strip()
        assert line == "WRITING", (line, child.stderr.read() if child.poll() is not None else "")
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def test_kill_9_during_get_object_to_file_leaves_the_old_file_and_nothing_else(slow, tmp_path):
    s, b, data = slow
    target = tmp_path / "model.bin"
    target.write_bytes(OLD)
    _kill_during_download(s, target)
    assert sorted(os.listdir(tmp_path)) == ["model.bin"]  # no hidden temporary file
    assert target.read_bytes() == OLD
    # The next download to the name completes and leaves only the target.
    b.get_object_to_file("big", str(target))
    assert sorted(os.listdir(tmp_path)) == ["model.bin"]
    assert target.read_bytes() == data


def test_a_temporary_file_a_killed_download_left_is_removed_by_the_next_download(slow, tmp_path):
    """Where there is no O_TMPFILE (forced in the child by PYJINDO_TEST_NAMED_TEMP), a killed
    download to a new name leaves its temporary file; the next download to the name removes it,
    however young, even when it needs no temporary name itself."""
    s, b, data = slow
    target = tmp_path / "model.bin"
    _kill_during_download(s, target, dict(os.environ, PYJINDO_TEST_NAMED_TEMP="1"))
    assert sorted(os.listdir(tmp_path)) == [".model.bin.pyjindo-0"]
    b.get_object_to_file("big", str(target))
    assert sorted(os.listdir(tmp_path)) == ["model.bin"]
    assert target.read_bytes() == data
