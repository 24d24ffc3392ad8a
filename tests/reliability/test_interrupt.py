"""Ctrl-C during a long call surfaces promptly, cancels the Go operation, and leaves nothing:
no temporary file, no multipart upload, no object."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import pyjindo
from jindo_server import JindoServer

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = 24 * 1024 * 1024


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    """A server capped at 1 MB/s per connection holding a 24 MiB object (about 3 s to fetch)."""
    workdir = tmp_path_factory.mktemp("interrupt")
    data = os.urandom(SIZE)
    (workdir / "src.bin").write_bytes(data)
    with JindoServer("--bandwidth-per-conn", "1MB", "--fault-header", "--bucket", "slow") as s:
        fast = pyjindo.Bucket(pyjindo.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "slow",
                              part_size=512 * 1024, concurrency=48, multipart_threshold=1)
        fast.put_object("big", data)
        yield s, workdir


@pytest.mark.parametrize("op", ["read", "read_amt", "to_file", "put", "put_from_file", "list",
                                "head", "small_get", "small_put"])
def test_ctrl_c_stops_the_call_and_leaves_nothing(slow, op):
    server, workdir = slow
    child = subprocess.Popen([sys.executable, os.path.join(HERE, "interrupt_child.py"), server.endpoint,
                              server.access_key_id, server.access_key_secret, "slow", op, str(workdir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "READY"
        time.sleep(0.7)  # well into the call (the library loads and the first bytes flow)
        sent = time.time()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
    report = json.loads(out.strip().splitlines()[-1])
    assert "interrupted_at" in report, (out, err)
    latency = report["interrupted_at"] - sent
    print("%s: KeyboardInterrupt after %.0f ms" % (op, latency * 1000))
    assert latency < 1.0, latency  # about 50 ms is usual; the bound only keeps the test robust
    # Nothing left behind: no temporary or partial file, no upload, no half object.
    assert sorted(os.listdir(workdir)) == ["src.bin"]
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "slow")
    assert b.list_multipart_uploads().upload_list == []
    assert not b.object_exists("up-" + op)
