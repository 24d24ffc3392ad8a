"""Integrity under injected faults: every transfer ends in the exact bytes or a clean exception,
never wrong data, never a partial target file, never a leftover multipart upload.

The server resets connections mid-body, answers 500 and 503 SlowDown, stalls, and flips a byte of
object bodies, each on 5% of requests. PYJINDO_SOAK sets the number of transfers (`make soak`
runs 1,000)."""
import hashlib
import os
import random

import pytest

import pyjindo
from pyjindo import exceptions
from jindo_server import JindoServer

TRANSFERS = int(os.environ.get("PYJINDO_SOAK", "200"))
PART = 256 * 1024
PATHS = ["read", "read_amt", "to_file", "put", "put_from_file", "multipart"]


def retry(fn, tries=30):
    """For setup and checks only: keep trying through the injected faults."""
    for i in range(tries):
        try:
            return fn()
        except exceptions.OssError:
            if i == tries - 1:
                raise


@pytest.fixture(scope="module")
def faulty():
    with JindoServer("--fault-rate", "0.05", "--faults", "500,503,reset,stall,corrupt", "--fault-stall", "200ms",
                     "--bucket", "faulty") as s:
        yield s


def random_size(rng):
    r = rng.random()
    if r < 0.4:
        return rng.randrange(0, 300 * 1024)
    if r < 0.8:
        return rng.randrange(300 * 1024, 4 * 1024 * 1024)
    return rng.randrange(4 * 1024 * 1024, 20 * 1024 * 1024)


def test_transfers_under_faults_are_exact_or_fail_cleanly(faulty, tmp_path):
    auth = pyjindo.Auth(faulty.access_key_id, faulty.access_key_secret)
    b = pyjindo.Bucket(auth, faulty.endpoint, "faulty", part_size=PART, concurrency=4,
                       multipart_threshold=None)
    mp = pyjindo.Bucket(auth, faulty.endpoint, "faulty", part_size=PART, concurrency=4, multipart_threshold=PART)
    rng = random.Random(20261125)
    outcomes = {"exact": 0, "clean error": 0}
    for i in range(TRANSFERS):
        path = PATHS[i % len(PATHS)]
        data = rng.randbytes(random_size(rng))
        digest = hashlib.sha256(data).digest()
        key = "t/%d" % i
        if path in ("read", "read_amt", "to_file"):
            retry(lambda: mp.put_object(key, data))
        try:
            if path == "read":
                got = b.get_object(key).read()
            elif path == "read_amt":
                r, chunks = b.get_object(key), []
                while True:
                    c = r.read(rng.choice([1, 4096, 65536, 1 << 20]))
                    if not c:
                        break
                    chunks.append(c)
                got = b"".join(chunks)
            elif path == "to_file":
                target = tmp_path / ("out-%d" % i)
                b.get_object_to_file(key, str(target))
                got = target.read_bytes()
                target.unlink()
            elif path == "put":
                b.put_object(key, data)
                got = retry(lambda: b.get_object(key).read())
            elif path == "put_from_file":
                src = tmp_path / "src"
                src.write_bytes(data)
                b.put_object_from_file(key, str(src))
                got = retry(lambda: b.get_object(key).read())
            else:
                mp.put_object(key, data)
                got = retry(lambda: b.get_object(key).read())
        except exceptions.OssError:
            outcomes["clean error"] += 1
            if path in ("put", "put_from_file", "multipart"):
                # A failed upload leaves no object, or (when only the answer was lost) the exact one.
                try:
                    left = retry(lambda: b.get_object(key).read())
                    assert hashlib.sha256(left).digest() == digest, "%s %d: wrong object after a failed upload" % (path, i)
                except exceptions.NoSuchKey:
                    pass
        else:
            assert hashlib.sha256(got).digest() == digest, "%s %d: wrong data without an error" % (path, i)
            outcomes["exact"] += 1
        # Never a partial or temporary file beside a download target.
        assert [n for n in os.listdir(tmp_path) if n != "src"] == []
    uploads = retry(lambda: b.list_multipart_uploads().upload_list)
    assert uploads == [], [(u.key, u.upload_id) for u in uploads]
    print("%d transfers under faults: %s, 0 corrupt, 0 partial" % (TRANSFERS, outcomes))
    assert outcomes["exact"] > TRANSFERS // 2  # retries make most transfers succeed
