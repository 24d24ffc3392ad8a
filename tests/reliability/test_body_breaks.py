"""Every body break is retried (issue 19, item 1): with the server resetting half of all answers
mid-body, every read through every front end returns the exact bytes: Bucket.get_object's read()
and read(n), get_object_to_file over an existing file, fsspec's cat and open(..., "rb").read()
(the seekable reader), the batch engine, pyjindo.aio, and the CLI's cp (to a new file and over an
existing one) and cat.

An object smaller than one part is asked for as `bytes=0-(part_size-1)` and answered whole (200,
as OSS answers a range past the end); its body used to be read as one stream with no retry, so
about half of such reads failed here. The Bucket (and the CLI, --retry-times) gets enough attempts
(16) that a read failing by chance is negligible (2^-16 per part); each case is bounded in time.
The time goes to backoff sleeps, not CPU, so a path's reads of every size run at once.
tests/reliability/reset_figures.py prints the failure counts with any number of attempts."""
import asyncio
import hashlib
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import pyjindo
import pyjindo.aio
from pyjindo import _batch, exceptions
from pyjindo.fs import OSSFileSystem
from jindo_server import JindoServer, ensure_built

READS = int(os.environ.get("PYJINDO_BREAK_READS", "30"))
SIZES = {"4KiB": 4 << 10, "2MiB": 2 << 20, "20MiB": 20 << 20}
PATHS = ["read", "read_amt", "to_file", "fs_cat", "fs_open", "batch", "aio", "cli_cp_new", "cli_cp_over", "cli_cat"]
ATTEMPTS = 16
AT_ONCE = 16  # reads in flight per path
BUDGET = 120  # seconds per path: backoff (100 ms doubling, full jitter) makes a read slower, not fail


class Resets(object):
    def __init__(self, server, bucket, fs, objects, jindo, home):
        self.server, self.bucket, self.fs, self.objects, self.jindo, self.home = server, bucket, fs, objects, jindo, home

    def cli(self, *args):
        """jindo with the server's keys and 16 attempts, in a home of its own; stdout, or a
        RuntimeError for a failed run."""
        s = self.server
        p = subprocess.run(self.jindo + [args[0], "-e", s.endpoint, "-i", s.access_key_id, "-k", s.access_key_secret,
                                         "--retry-times", str(ATTEMPTS)] + list(args[1:]),
                           capture_output=True, stdin=subprocess.DEVNULL, timeout=BUDGET,
                           env={"HOME": self.home, "PATH": os.environ.get("PATH", "")})
        if p.returncode != 0:
            return RuntimeError("jindo %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()))
        return p.stdout


@pytest.fixture(scope="module")
def resets(tmp_path_factory):
    jindo = ensure_built()
    with JindoServer("--fault-rate", "0.5", "--faults", "reset", "--bucket", "breaks") as s:
        auth = pyjindo.Auth(s.access_key_id, s.access_key_secret)
        b = pyjindo.Bucket(auth, s.endpoint, "breaks", retry_attempts=ATTEMPTS, retry_time=BUDGET)
        fs = OSSFileSystem(endpoint=s.endpoint, key=s.access_key_id, secret=s.access_key_secret,
                           skip_instance_cache=True)
        fs._buckets["breaks"] = b  # the filesystem's Bucket with the same retry policy
        objects = {}
        for label, size in SIZES.items():
            data = os.urandom(size)
            b.put_object("obj-" + label, data)  # PUTs are retried too, from a fresh body
            objects[label] = data
        yield Resets(s, b, fs, objects, jindo, str(tmp_path_factory.mktemp("home")))


def reads_of(label):
    return READS if SIZES[label] < (20 << 20) else max(READS // 6, 1)  # ~10 parts each: enough


@pytest.mark.parametrize("path", PATHS)
def test_every_read_returns_the_bytes_under_resets(resets, tmp_path, path):
    """Each size's reads at once (the time is the slowest read's backoff), each checked."""
    started = time.monotonic()
    jobs = [(label, i) for label in SIZES for i in range(reads_of(label))]
    if path == "batch":
        # The batch engine as fsspec's cat of a list and the torch datasets use it: one call,
        # with sizes known (bytes written in place) and without.
        def batch(label):
            key, b = "obj-" + label, resets.bucket
            got = _batch.get_many(b, [key] * reads_of(label), sizes=[len(resets.objects[label])] * reads_of(label))
            got += list(resets.fs.cat(["breaks/" + key] * 2, on_error="return").values())
            return got + _batch.get_many(b, [key] * reads_of(label))
        with ThreadPoolExecutor(len(SIZES)) as pool:
            got = dict(zip(SIZES, pool.map(batch, SIZES)))
    else:
        if path == "aio":
            results = asyncio.run(aio_reads(resets, ["obj-" + label for label, _ in jobs]))
        else:
            with ThreadPoolExecutor(AT_ONCE) as pool:
                results = list(pool.map(lambda job: read_once(path, resets, "obj-" + job[0],
                                                              str(tmp_path / ("out-%s-%d" % job))), jobs))
        got = {label: [r for (l, _), r in zip(jobs, results) if l == label] for label in SIZES}
    for label, results in got.items():
        failed = [g for g in results if isinstance(g, Exception)]
        assert not failed, "%s: %d of %d reads failed, the first: %r" % (label, len(failed), len(results), failed[0])
        digest = hashlib.sha256(resets.objects[label]).digest()
        assert all(hashlib.sha256(g).digest() == digest for g in results), label
    assert time.monotonic() - started < BUDGET


def read_once(path, resets, key, target):
    """One read through path: the bytes, or the exception it raised."""
    b = resets.bucket
    try:
        if path == "read":
            r = b.get_object(key)
            # What one GET of the whole object gives, as in oss2, however the body was fetched.
            assert r.status == 200 and "Content-Range" not in r.headers
            body = r.read()
            assert int(r.headers["Content-Length"]) == len(body)
            return body
        if path == "read_amt":
            r, chunks = b.get_object(key), []
            while True:
                c = r.read(64 << 10)
                if not c:
                    return b"".join(chunks)
                chunks.append(c)
        if path == "fs_cat":
            return resets.fs.cat("breaks/" + key)
        if path == "fs_open":
            with resets.fs.open("breaks/" + key, "rb") as f:
                return f.read()
        if path == "cli_cat":
            return resets.cli("cat", "oss://breaks/" + key)
        if path in ("to_file", "cli_cp_over"):
            with open(target, "wb") as f:
                f.write(b"old content")  # replaced whole
        if path == "to_file":
            b.get_object_to_file(key, target)
        else:
            out = resets.cli("cp", "-f", "oss://breaks/" + key, target)
            if isinstance(out, Exception):
                return out
        with open(target, "rb") as f:
            return f.read()
    except exceptions.OssError as e:
        return e


async def aio_reads(resets, keys):
    s = resets.server
    b = pyjindo.aio.Bucket(pyjindo.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "breaks",
                           retry_attempts=ATTEMPTS, retry_time=BUDGET)

    async def one(key):
        try:
            r = await b.get_object(key)
            assert r.status == 200 and "Content-Range" not in r.headers
            return await r.read()
        except exceptions.OssError as e:
            return e
    return await asyncio.gather(*(one(key) for key in keys))
