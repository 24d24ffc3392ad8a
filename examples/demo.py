"""Start `jindo server` on a free port and use pyjindo against it (`make demo` runs it).

Written as an oss2 program would be; only the import line says pyjindo. Runs from an installed
wheel (`python demo.py`: the wheel puts `jindo` on PATH) as well as from a checkout.
"""
import os
import shutil
import subprocess
import sys
import time

import pyjindo as oss2

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AK, SK, BUCKET = "demo-ak", "demo-sk", "demo-bucket"


def jindo_command():
    """`jindo` from PATH (a wheel installs it there), else the checkout's bin/jindo (`make build`)."""
    found = shutil.which("jindo") or os.path.join(REPO, "bin", "jindo")
    if not os.access(found, os.X_OK):
        sys.exit("no jindo command: pip install the pyjindo wheel, or run `make build` in a checkout")
    return found


def start_server():
    proc = subprocess.Popen(
        [jindo_command(), "server", "--addr", "127.0.0.1:0", "--memory",
         "--access-key-id", AK, "--access-key-secret", SK, "--bucket", BUCKET],
        stdout=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline()  # the ready line: "jindo server listening on http://ADDR"
    if not line.startswith("jindo server listening on "):
        proc.kill()
        sys.exit("jindo server did not start: %r" % line)
    return proc, line.rsplit(" ", 1)[1].strip()


def main():
    server, endpoint = start_server()
    try:
        print("local OSS server at", endpoint)
        bucket = oss2.Bucket(oss2.Auth(AK, SK), endpoint, BUCKET)

        data = os.urandom(64 * 1024 * 1024)
        t0 = time.monotonic()
        result = bucket.put_object("demo/big.bin", data)
        put_s = time.monotonic() - t0
        print("put_object   64 MiB  etag=%s crc=%s  %.0f MB/s" % (result.etag, result.crc, len(data) / put_s / 1e6))

        t0 = time.monotonic()
        got = bucket.get_object("demo/big.bin").read()
        get_s = time.monotonic() - t0
        assert got == data
        print("get_object   64 MiB  identical bytes  %.0f MB/s" % (len(data) / get_s / 1e6))

        print("byte_range   ", bucket.get_object("demo/big.bin", byte_range=(0, 9)).read() == data[:10])
        pos = bucket.append_object("demo/log.txt", 0, "first line\n").next_position
        pos = bucket.append_object("demo/log.txt", pos, "second line\n").next_position
        print("append       next_position =", pos)
        bucket.copy_object(BUCKET, "demo/log.txt", "demo/log-copy.txt")
        bucket.mkdir("demo/dir")
        bucket.rename("demo/log-copy.txt", "demo/dir/log.txt")
        print("listing:")
        for info in oss2.ObjectIterator(bucket, prefix="demo/"):
            print("   %-20s %10d  %s" % (info.key, info.size, info.type))
        try:
            bucket.get_object("demo/missing")
        except oss2.exceptions.NoSuchKey as e:
            print("missing key  -> %s (status %d, code %s)" % (type(e).__name__, e.status, e.code))
        deleted = bucket.batch_delete_objects([i.key for i in oss2.ObjectIterator(bucket, prefix="demo/")])
        print("deleted      ", len(deleted.deleted_keys), "objects")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
