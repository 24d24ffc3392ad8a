"""How many reads fail when the server resets half of all answers mid-body (issue 19, item 1).

    python tests/reliability/reset_figures.py [--reads 30] [--attempts 3] [--paths read,to_file,...]
        [--cut half|random]

Starts `jindo server --fault-rate 0.5 --faults reset` (each answer, with the given rate, is cut
after half its body), stores one object of each size, then reads each object --reads times
through each front end and prints, per size and path, how many reads raised and how many
returned wrong bytes. The retry policy is the Bucket's (retry_attempts=--attempts; the CLI's
--retry-times). Not a test: the figures depend on chance; tests/reliability/test_body_breaks.py
asserts the outcome. It also runs from an older tree (copied into its tests/reliability), for
before-and-after figures: a path that tree lacks prints n/a.
"""
import argparse
import asyncio
import hashlib
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import pyjindo  # noqa: E402
from pyjindo import _batch  # noqa: E402
from jindo_server import JINDO, JindoServer  # noqa: E402

try:
    from pyjindo import aio  # noqa: E402
except ImportError:  # a tree from before pyjindo.aio
    aio = None

SIZES = {"4KiB": 4 << 10, "2MiB": 2 << 20, "20MiB": 20 << 20}
PATHS = ["read", "read_amt", "to_file", "fs_cat", "fs_open", "batch", "aio", "cli_cp_new", "cli_cp_over", "cli_cat"]


def put_retrying(bucket, key, data, tries=50):
    for i in range(tries):
        try:
            return bucket.put_object(key, data)
        except pyjindo.exceptions.OssError:
            if i == tries - 1:
                raise


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reads", type=int, default=30)
    ap.add_argument("--attempts", type=int, default=3)
    ap.add_argument("--paths", default=",".join(PATHS))
    ap.add_argument("--rate", default="0.5")
    ap.add_argument("--cut", choices=("half", "random"), default="half",
                    help="where a reset cuts an answer: after half its body, or at a uniformly random byte")
    args = ap.parse_args()
    faults = "reset" if args.cut == "half" else "reset=random"
    with JindoServer("--fault-rate", args.rate, "--faults", faults, "--bucket", "figs") as s:
        auth = pyjindo.Auth(s.access_key_id, s.access_key_secret)
        b = pyjindo.Bucket(auth, s.endpoint, "figs", retry_attempts=args.attempts, retry_time=120)
        fs = None
        if "fs_" in args.paths:
            from pyjindo.fs import OSSFileSystem
            fs = OSSFileSystem(endpoint=s.endpoint, key=s.access_key_id, secret=s.access_key_secret,
                               skip_instance_cache=True)
            fs._buckets["figs"] = b  # the same retry policy as the other paths
        print("reads per cell %d, reset rate %s (cut: %s), retry_attempts %d" % (args.reads, args.rate, args.cut, args.attempts))
        print("%-8s %-11s %7s %7s %8s" % ("size", "path", "failed", "wrong", "seconds"))
        with tempfile.TemporaryDirectory() as tmp:
            for label, size in SIZES.items():
                data = os.urandom(size)
                digest = hashlib.sha256(data).digest()
                key = "obj-" + label
                put_retrying(b, key, data)
                for path in args.paths.split(","):
                    failed = wrong = 0
                    t0 = time.time()
                    if path == "aio" and aio is None:
                        print("%-8s %-11s %7s" % (label, path, "n/a"), flush=True)
                        continue
                    if path == "aio":
                        got = asyncio.run(aio_reads(s, key, args.reads, args.attempts))
                    elif path == "batch":
                        got = _batch.get_many(b, [key] * args.reads)
                    else:
                        got = []
                        for i in range(args.reads):
                            try:
                                got.append(read_once(path, b, fs, s, key, os.path.join(tmp, "out"), args.attempts))
                            except Exception as e:
                                got.append(e)
                    for g in got:
                        if isinstance(g, Exception):
                            failed += 1
                        elif hashlib.sha256(g).digest() != digest:
                            wrong += 1
                    print("%-8s %-11s %4d/%-2d %7d %8.1f" % (label, path, failed, args.reads, wrong, time.time() - t0),
                          flush=True)


def read_once(path, b, fs, s, key, out, attempts):
    if path == "read":
        return b.get_object(key).read()
    if path == "read_amt":
        r, chunks = b.get_object(key), []
        while True:
            c = r.read(64 << 10)
            if not c:
                return b"".join(chunks)
            chunks.append(c)
    if path == "to_file":
        b.get_object_to_file(key, out)
        with open(out, "rb") as f:
            return f.read()
    if path == "fs_cat":
        return fs.cat("figs/" + key)
    if path == "fs_open":
        with fs.open("figs/" + key, "rb") as f:
            return f.read()
    if path == "cli_cat":
        return cli(s, attempts, "cat", "oss://figs/" + key)
    if path in ("cli_cp_new", "cli_cp_over"):
        if path == "cli_cp_new" and os.path.exists(out):
            os.remove(out)
        else:
            with open(out, "wb") as f:
                f.write(b"old content")
        cli(s, attempts, "cp", "-f", "oss://figs/" + key, out)
        with open(out, "rb") as f:
            return f.read()
    raise ValueError(path)


def cli(s, attempts, command, *args):
    p = subprocess.run([JINDO, command, "-e", s.endpoint, "-i", s.access_key_id, "-k", s.access_key_secret,
                        "--retry-times", str(attempts)] + list(args), capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    return p.stdout


async def aio_reads(s, key, reads, attempts):
    b = aio.Bucket(pyjindo.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "figs",
                   retry_attempts=attempts, retry_time=120)

    async def one():
        try:
            return await (await b.get_object(key)).read()
        except Exception as e:
            return e
    return await asyncio.gather(*(one() for _ in range(reads)))


if __name__ == "__main__":
    main()
