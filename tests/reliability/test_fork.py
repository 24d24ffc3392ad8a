"""A Go runtime does not survive fork: pyjindo loads a fresh copy of its library in the child."""
import hashlib
import multiprocessing
import os
import threading
import time

import pytest

import pyjindo

CHILD_TIMEOUT = 60


def _bucket(server, name):
    return pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, name,
                          connect_timeout=30)


@pytest.fixture
def loaded_bucket(server, fresh_bucket_name):
    bucket = _bucket(server, fresh_bucket_name)
    bucket.create_bucket()
    payloads = {}
    for i in range(8):
        data = os.urandom(100_000 + i)
        bucket.put_object("obj-%d" % i, data)
        payloads["obj-%d" % i] = hashlib.sha256(data).hexdigest()
    # the parent has used the library: its Go runtime is running
    assert bucket.get_object("obj-0").read()
    return bucket, payloads


def _wait_children(pids):
    codes = {}
    deadline = time.monotonic() + CHILD_TIMEOUT
    while pids and time.monotonic() < deadline:
        for pid in list(pids):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                codes[pid] = os.waitstatus_to_exitcode(status)
                pids.remove(pid)
        time.sleep(0.02)
    for pid in pids:  # hung: the failure this test exists to catch
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        codes[pid] = "hung"
    return codes


def _child_download(bucket, key, digest):
    try:
        ok = hashlib.sha256(bucket.get_object(key).read()).hexdigest() == digest
        os._exit(0 if ok else 3)
    except BaseException:
        os._exit(4)


def test_forked_children_use_a_bucket_made_in_the_parent(loaded_bucket):
    bucket, payloads = loaded_bucket
    pids = []
    for key, digest in payloads.items():
        pid = os.fork()
        if pid == 0:
            _child_download(bucket, key, digest)
        pids.append(pid)
    assert set(_wait_children(pids).values()) == {0}
    assert bucket.get_object("obj-1").read()  # the parent still works


# multiprocessing's fork children inherit this global: the Bucket made in the parent.
_POOL_BUCKET = None


def _pool_task(key):
    return hashlib.sha256(_POOL_BUCKET.get_object(key).read()).hexdigest()


def test_multiprocessing_pool_with_fork(loaded_bucket):
    global _POOL_BUCKET
    bucket, payloads = loaded_bucket
    _POOL_BUCKET = bucket
    try:
        keys = sorted(payloads)
        with multiprocessing.get_context("fork").Pool(4) as pool:
            digests = pool.map_async(_pool_task, keys).get(CHILD_TIMEOUT)
        assert digests == [payloads[k] for k in keys]
    finally:
        _POOL_BUCKET = None


def test_fork_while_another_thread_downloads(loaded_bucket):
    bucket, payloads = loaded_bucket
    big = os.urandom(8 * 1024 * 1024)
    bucket.put_object("big", big)
    stop = threading.Event()
    errors = []

    def downloader():
        while not stop.is_set():
            try:
                assert bucket.get_object("big").read() == big
            except BaseException as e:  # noqa: BLE001
                errors.append(e)
                return

    t = threading.Thread(target=downloader)
    t.start()
    try:
        pids = []
        for key, digest in list(payloads.items())[:4]:
            pid = os.fork()
            if pid == 0:
                _child_download(bucket, key, digest)
            pids.append(pid)
        assert set(_wait_children(pids).values()) == {0}
    finally:
        stop.set()
        t.join(60)
    assert not errors
