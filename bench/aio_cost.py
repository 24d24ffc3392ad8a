"""What one pyjindo.aio call costs the client: COUNT calls gathered at once in one event loop
against this checkout's jindo server (uncapped, in memory), with process CPU, the event loop
thread's CPU and wall time per call, and the server's CPU per call (docs/ARCHITECTURE.md,
"Asyncio"). The loop's thread runs each call's Python serially, so it bounds the throughput.

    python bench/aio_cost.py [get|head|put|exists] [COUNT]
"""
import asyncio
import json
import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

import pyjindo  # noqa: E402
import pyjindo.aio  # noqa: E402


def server_cpu(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    op = sys.argv[1] if len(sys.argv) > 1 else "get"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    server = subprocess.Popen([os.path.join(REPO, "bin", "jindo"), "server", "--addr", "127.0.0.1:0", "--memory",
                               "--access-key-id", "ak", "--access-key-secret", "sk", "--bucket", "bench"],
                              stdout=subprocess.PIPE, text=True)
    try:
        endpoint = server.stdout.readline().rsplit(" ", 1)[1].strip()
        blob = os.urandom(16 * 1024)
        keys = ["s/%05d" % i for i in range(count)]
        sync = pyjindo.Bucket(pyjindo.Auth("ak", "sk"), endpoint, "bench")
        for k in keys:
            sync.put_object(k, blob)

        async def run():
            bucket = pyjindo.aio.Bucket(pyjindo.Auth("ak", "sk"), endpoint, "bench")

            async def call(k):
                if op == "head":
                    return await bucket.head_object(k)
                if op == "exists":
                    return await bucket.object_exists(k)
                if op == "put":
                    return await bucket.put_object(k, blob)
                return await (await bucket.get_object(k)).read()
            await asyncio.gather(*[call(k) for k in keys[:200]])  # the session and connections made
            s0, c0, l0, t0 = server_cpu(server.pid), time.process_time(), time.thread_time(), time.monotonic()
            await asyncio.gather(*[call(k) for k in keys])
            wall = time.monotonic() - t0
            return {"op": op, "count": count, "cpu_us": (time.process_time() - c0) / count * 1e6,
                    "loop_thread_us": (time.thread_time() - l0) / count * 1e6, "wall_us": wall / count * 1e6,
                    "server_cpu_us": (server_cpu(server.pid) - s0) / count * 1e6}
        print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in asyncio.run(run()).items()}))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
