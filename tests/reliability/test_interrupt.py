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


class _CtrlCAsPjCallReturns(object):
    """The loaded library with a Ctrl-C raised as pj_call returns: CPython raises a signal that
    came during a C call at the next bytecode, before the caller looks at what it returned."""

    def __init__(self, lib):
        self._lib = lib
        self.returned = []

    def pj_call(self, *args):
        self.returned.append(self._lib.pj_call(*args))
        raise KeyboardInterrupt

    def __getattr__(self, name):
        return getattr(self._lib, name)


@pytest.mark.parametrize("size", [4096, 512 * 1024, "stream"])
def test_a_ctrl_c_raised_as_the_quick_door_returns_ends_what_it_handed_back(slow, monkeypatch, size):
    # 4 KiB: the put ends within the crossing (its result in C memory); 512 KiB at 1 MB/s: it
    # outlasts the wait slice and pj_call hands back an operation still sending the body;
    # "stream": a get of the 24 MiB object ends within the crossing with a stream opened
    server, _ = slow
    from pyjindo import _binding
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "slow")
    key = "ctrl-c-quick-%s" % size
    b.put_object(key + "-warm", b"x")  # the session and a pooled connection exist already
    before = _binding.stats()["handles"]
    spy = _CtrlCAsPjCallReturns(_binding.lib())
    monkeypatch.setattr(_binding, "_lib", spy)
    with pytest.raises(KeyboardInterrupt):
        if size == "stream":
            b.get_object("big")
        else:
            b.put_object(key, b"y" * size)
    monkeypatch.undo()
    assert spy.returned == [0 if size == 512 * 1024 else 1]
    assert _binding.stats()["handles"] == before  # the operation or the stream freed
    if size == 512 * 1024:  # cancelled with its body half sent: never published
        assert not b.object_exists(key)
