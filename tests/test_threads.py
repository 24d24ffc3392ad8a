"""The Go core releases the GIL: other threads run during a slow transfer, and threads share a Bucket."""
import hashlib
import os
import threading

import pytest

import pyjindo
from jindo_server import JindoServer


@pytest.fixture(scope="module")
def slow_server():
    with JindoServer("--bandwidth-per-conn", "1MB", "--bucket", "slow") as s:
        yield s


def test_other_threads_run_during_a_slow_get(slow_server):
    bucket = pyjindo.Bucket(pyjindo.Auth(slow_server.access_key_id, slow_server.access_key_secret),
                            slow_server.endpoint, "slow")
    data = os.urandom(600 * 1000)  # about 0.6 s each way at 1 MB/s
    bucket.put_object("slow", data)
    done = threading.Event()
    got = []

    def download():
        got.append(bucket.get_object("slow").read())
        done.set()

    t = threading.Thread(target=download)
    spins = 0
    t.start()
    while not done.is_set():
        spins += 1
    t.join()
    assert got == [data]
    # A thread holding the GIL for the whole download would leave this loop a few hundred turns
    # (one per 5 ms switch interval); released, it turns hundreds of thousands of times.
    print("main thread turns during the slow get: %d" % spins)
    assert spins > 100000, spins


def test_sixteen_threads_share_one_bucket(server):
    auth = pyjindo.Auth(server.access_key_id, server.access_key_secret)
    bucket = pyjindo.Bucket(auth, server.endpoint, "threads-%d" % os.getpid())
    bucket.create_bucket()
    shared = os.urandom(256 * 1024)
    bucket.put_object("shared", shared)
    errors = []

    def worker(i):
        try:
            own = os.urandom(10000 + i * 997)
            for round_ in range(5):
                key = "t%d/%d" % (i, round_)
                assert bucket.put_object(key, own).etag == hashlib.md5(own).hexdigest().upper()
                assert bucket.get_object(key).read() == own
                assert bucket.get_object("shared", byte_range=(i, i + 99)).read() == shared[i:i + 100]
                assert bucket.get_object("shared").read() == shared
            assert [o.key for o in pyjindo.ObjectIterator(bucket, prefix="t%d/" % i)] == [
                "t%d/%d" % (i, r) for r in range(5)]
        except BaseException as e:  # noqa: B902 - reported below with the thread number
            errors.append((i, repr(e)))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert not any(t.is_alive() for t in threads)
