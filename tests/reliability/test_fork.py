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


def _child_reads_parent_results(bucket, results, shift, out_fd):
    """In a forked child: open the other objects (so the child's fresh library hands out the handle
    numbers the parent's results hold; `shift` extra calls first vary which numbers name streams),
    then read through each parent result. Report per result 'refused' (ClientError naming fork),
    'OTHER' (another object's bytes) or what else happened."""
    import json
    try:
        for _ in range(shift):
            bucket.head_object("obj-4")
        others = [bucket.get_object("obj-%d" % i).read() for i in range(4, 8)]
        opened = [bucket.get_object("obj-%d" % (4 + i % 4)) for i in range(80)]  # noqa: F841 (kept open)
        outcomes = []
        for how, result in results:
            try:
                data = how(result)
            except pyjindo.exceptions.ClientError as e:
                outcomes.append("refused" if "fork" in str(e) else "ClientError: %s" % e)
                continue
            except Exception as e:  # noqa: BLE001
                outcomes.append("%s: %s" % (type(e).__name__, e))
                continue
            outcomes.append("OTHER" if data and any(data in o for o in others) else "read %d bytes" % len(data))
        os.write(out_fd, json.dumps(outcomes).encode())
        os._exit(0)
    except BaseException as e:  # noqa: BLE001
        os.write(out_fd, json.dumps(["child failed: %r" % e]).encode())
        os._exit(4)


def test_results_opened_before_fork_are_refused_in_the_child(loaded_bucket, server):
    """Issue 9 item 17: a GetObjectResult opened in the parent must never read, in the child, an
    object the child opened (the child's library reuses handle numbers); it raises ClientError."""
    import json
    bucket, payloads = loaded_bucket
    no_crc = pyjindo.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name, enable_crc=False)
    reads = [
        ("read()", lambda r: r.read()),
        ("read(65536)", lambda r: r.read(65536)),
        ("iterate", lambda r: next(iter(r))),
        ("resp.read(100)", lambda r: r.resp.read(100)),
    ]
    for trial in range(5):
        results, labels = [], []
        for i, (label, how) in enumerate(reads):
            for source, kwargs in ((bucket, {}), (no_crc, {}), (bucket, {"byte_range": (10, 60000)})):
                key = "obj-%d" % (i % 4)
                results.append((how, source.get_object(key, **kwargs)))
                labels.append((label, key, kwargs))
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _child_reads_parent_results(bucket, results, trial, w)
        os.close(w)
        assert _wait_children([pid]) == {pid: 0}
        with os.fdopen(r, "rb") as f:
            outcomes = json.loads(f.read().decode())
        assert outcomes == ["refused"] * len(results), list(zip(labels, outcomes))
        # the parent's results are untouched: each still reads its own object
        for (how, result), (label, key, kwargs) in zip(results, labels):
            data = result.read()
            if not kwargs:
                assert hashlib.sha256(data).hexdigest() == payloads[key]
            result.close()


def test_child_does_not_wait_for_a_session_lock_held_at_fork(loaded_bucket):
    """Another parent thread may be choosing the Bucket's Go session when the process forks: the
    child's copy of that lock is held forever, so the child must not wait for it."""
    bucket, payloads = loaded_bucket
    lock = bucket._go_lock[1]
    with lock:  # as a parent thread inside Bucket._session at fork time
        pid = os.fork()
        if pid == 0:
            _child_download(bucket, "obj-2", payloads["obj-2"])
    assert _wait_children([pid]) == {pid: 0}
