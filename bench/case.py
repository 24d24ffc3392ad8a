"""One benchmark case in its own process; prints one JSON line: bytes moved, seconds, peak RSS.

    python bench/case.py ENDPOINT AK SK BUCKET CASE CLIENT SIZE COUNT WORKDIR

Objects are prepared by the "prepare" case: big.bin (SIZE bytes, also at WORKDIR/big.bin) and
COUNT small objects small/NNNNN. Timing covers only the transfer itself (the client's modules are
imported before it; making its Bucket or client is timed).
"""
import json
import os
import resource
import sys
import time

endpoint, ak, sk, bucket_name, case, client, size, count, workdir = sys.argv[1:10]
size, count = int(size), int(count)
BIG = "big.bin"
SRC_FILE = os.path.join(workdir, "big.bin")
OUT_FILE = os.path.join(workdir, "out-%s.bin" % client)


def oss2_like(module):
    return module.Bucket(module.Auth(ak, sk), endpoint, bucket_name, connect_timeout=120)


def v2_client():
    import alibabacloud_oss_v2 as oss

    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(ak, sk)
    cfg.region = "cn-hangzhou"
    cfg.endpoint = endpoint
    cfg.use_path_style = True
    return oss, oss.Client(cfg)


def prepare():
    import oss2

    bucket = oss2_like(oss2)
    if not os.path.exists(SRC_FILE) or os.path.getsize(SRC_FILE) != size:
        with open(SRC_FILE, "wb") as f:
            left = size
            while left:
                n = min(left, 16 << 20)
                f.write(os.urandom(n))
                left -= n
    oss2.resumable_upload(bucket, BIG, SRC_FILE, multipart_threshold=64 << 20, part_size=16 << 20, num_threads=4)
    from concurrent.futures import ThreadPoolExecutor

    blob = os.urandom(16 * 1024)
    os.makedirs(SMALL_DIR, exist_ok=True)
    for i in range(count):
        with open(os.path.join(SMALL_DIR, "%05d" % i), "wb") as f:
            f.write(blob)
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(lambda i: bucket.put_object("small/%05d" % i, blob), range(count)))
    # The CLI's small-file rows: CLI_COUNT files each way (issue 11 asks for 1,000).
    os.makedirs(CLI_SMALL_DIR, exist_ok=True)
    for i in range(CLI_COUNT):
        with open(os.path.join(CLI_SMALL_DIR, "%05d" % i), "wb") as f:
            f.write(blob)
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(lambda i: bucket.put_object("cli-small/%05d" % i, blob), range(CLI_COUNT)))
    return 0


SMALL_DIR = os.path.join(workdir, "small")
CLI_COUNT = 1000
CLI_SMALL_DIR = os.path.join(workdir, "cli-small")
# A fresh directory for each download: deleting a tree just before writing one measures the
# file system's reuse of freed inodes (ext4 without a journal skips inodes freed in the last
# 30 s), not the tool. bench/run.py clears these before and after a run.
CLI_OUT = os.path.join(workdir, "cli-out-%s-%d" % (client, os.getpid()))


def cli_case():
    """The same job through `jindo` and ossutil 1.7.19, each with its default flags (plus -f,
    without which ossutil asks before overwriting). Returns (bytes, seconds of the command alone:
    clearing and measuring the output are not timed)."""
    import subprocess

    exe = {"jindo": os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin", "jindo"),
           "ossutil": os.environ.get("BENCH_OSSUTIL", "")}[client]
    config = os.path.join(workdir, "ossutilconfig")
    with open(config, "w") as f:
        f.write("[Credentials]\nlanguage=EN\nendpoint=%s\naccessKeyID=%s\naccessKeySecret=%s\n" % (endpoint, ak, sk))

    def cli(*args):
        t0 = time.monotonic()
        subprocess.run([exe] + list(args) + ["-c", config], check=True, stdout=subprocess.DEVNULL)
        return time.monotonic() - t0

    url = "oss://%s/" % bucket_name
    if case == "cli up big":
        return size, cli("cp", SRC_FILE, url + "cli-up-%s.bin" % client, "-f")
    if case == "cli down big":
        if os.path.exists(OUT_FILE):  # a repeat writes a new file, as the first run does
            os.remove(OUT_FILE)
            os.sync()
        seconds = cli("cp", url + BIG, OUT_FILE, "-f")
        return os.path.getsize(OUT_FILE), seconds
    if case == "cli up small":
        return size * CLI_COUNT, cli("cp", "-r", CLI_SMALL_DIR, url + "cli-small-%s/" % client, "-f")
    if case == "cli down small":
        seconds = cli("cp", "-r", url + "cli-small/", CLI_OUT, "-f")
        return sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(CLI_OUT) for n in names), seconds
    raise SystemExit("unknown case %r for %r" % (case, client))


FS_BIG = "fs-big.bin"


def cleanup():
    """Deletes what the upload cases wrote, leaving the prepared objects. The server keeps objects
    in memory: holding every upload's GiB pushed the machine into page reclaim, which landed on
    whichever download ran next (a 1 GiB download to a file went from 0.8 to 5 CPU-s)."""
    import pyjindo

    bucket = oss2_like(pyjindo)
    keys = [o.key for o in pyjindo.ObjectIterator(bucket, max_keys=1000)
            if not o.key.startswith((BIG, FS_BIG, "small/", "cli-small/"))]
    for i in range(0, len(keys), 1000):
        bucket.batch_delete_objects(keys[i:i + 1000])


def prepare_fs():
    """FS_BIG, SIZE bytes, for the fsspec rows (their size differs from the other rows')."""
    import pyjindo

    path = os.path.join(workdir, FS_BIG)
    if not os.path.exists(path) or os.path.getsize(path) != size:
        with open(path, "wb") as f:
            for left in range(size, 0, -(16 << 20)):
                f.write(os.urandom(min(left, 16 << 20)))
    oss2_like(pyjindo).put_object_from_file(FS_BIG, path)


def fs_case():
    """fsspec filesystems: pyjindo.fs against ossfs 2025.5.0 (its own venv: it pins oss2 2.18.4)
    and ossfs's async filesystem."""
    if client == "pyjindo-fs":
        from pyjindo.fs import OSSFileSystem
    elif client == "ossfs":
        from ossfs import OSSFileSystem
    else:
        from ossfs import AioOSSFileSystem as OSSFileSystem
    fs = OSSFileSystem(endpoint=endpoint, key=ak, secret=sk)
    big = bucket_name + "/" + FS_BIG
    if case == "fs cat small":
        out = fs.cat([bucket_name + "/small/%05d" % i for i in range(count)])
        return sum(len(v) for v in out.values())
    if case == "fs cat_file":
        return len(fs.cat_file(big))
    if case == "fs get_file":
        fs.get_file(big, OUT_FILE)
        return os.path.getsize(OUT_FILE)
    if case == "fs open scan":
        n = 0
        with fs.open(big, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    return n
                n += len(chunk)
    raise SystemExit("unknown case %r for %r" % (case, client))


def async_case():
    """COUNT small gets started at once with asyncio.gather in one event loop: pyjindo.aio,
    alibabacloud-oss-v2's AsyncClient (its own venv: it needs aiohttp) and ossfs's async
    filesystem (_cat_file, as fsspec's gather calls it)."""
    import asyncio

    keys = ["small/%05d" % i for i in range(count)]
    if client == "pyjindo-aio":
        import pyjindo.aio

        async def main():
            b = pyjindo.aio.Bucket(pyjindo.Auth(ak, sk), endpoint, bucket_name, connect_timeout=120)

            async def get(k):
                return await (await b.get_object(k)).read()
            return await asyncio.gather(*[get(k) for k in keys])
    elif client == "v2-aio":
        import alibabacloud_oss_v2 as oss
        from alibabacloud_oss_v2.aio import AsyncClient

        async def main():
            cfg = oss.config.load_default()
            cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(ak, sk)
            cfg.region = "cn-hangzhou"
            cfg.endpoint = endpoint
            cfg.use_path_style = True
            c = AsyncClient(cfg)
            try:
                async def get(k):
                    r = await c.get_object(oss.GetObjectRequest(bucket=bucket_name, key=k))
                    return r.body.content
                return await asyncio.gather(*[get(k) for k in keys])
            finally:
                await c.close()
    elif client == "ossfs-async":
        from ossfs import AioOSSFileSystem

        async def main():
            fs = AioOSSFileSystem(endpoint=endpoint, key=ak, secret=sk, asynchronous=True)
            return await asyncio.gather(*[fs._cat_file(bucket_name + "/" + k) for k in keys])
    else:
        raise SystemExit("unknown case %r for %r" % (case, client))
    got = asyncio.run(main())
    if any(len(g) != size for g in got):
        raise SystemExit("a get returned the wrong size")
    return size * len(got)


PERCALL_KEY = "percall/16k"
#: calls before the timed ones (connections opened, caches warm)
PERCALL_WARMUP = 100


def percall_case():
    """Client CPU and wall time per call (issue 21): COUNT calls of one small operation on a
    16 KiB object, after PERCALL_WARMUP untimed ones. Returns the report's extra keys."""
    op = case.split(" ", 1)[1]
    blob = os.urandom(size)
    if client == "v2":
        oss, c = v2_client()
        calls = {
            "head": lambda: c.head_object(oss.HeadObjectRequest(bucket=bucket_name, key=PERCALL_KEY)),
            "get": lambda: c.get_object(oss.GetObjectRequest(bucket=bucket_name, key=PERCALL_KEY)).body.read(),
            "put": lambda: c.put_object(oss.PutObjectRequest(bucket=bucket_name, key=PERCALL_KEY + "-put-v2",
                                                             body=blob)),
            "exists": lambda: c.is_object_exist(bucket_name, PERCALL_KEY),
        }
    else:
        if client == "pyjindo-log":
            import logging

            class Drop(logging.Handler):
                def emit(self, record):
                    pass

            logger = logging.getLogger("oss2")
            logger.setLevel(logging.INFO)
            logger.addHandler(Drop())
        bucket = oss2_like(__import__(client.split("-")[0]))
        calls = {
            "head": lambda: bucket.head_object(PERCALL_KEY),
            "get": lambda: bucket.get_object(PERCALL_KEY).read(),
            "put": lambda: bucket.put_object(PERCALL_KEY + "-put-" + client, blob),
            "exists": lambda: bucket.object_exists(PERCALL_KEY),
        }
    call = calls[op]
    for _ in range(PERCALL_WARMUP):
        call()
    c0, t0 = time.process_time(), time.monotonic()
    for _ in range(count):
        call()
    cpu, wall = time.process_time() - c0, time.monotonic() - t0
    return {"bytes": size * count if op in ("get", "put") else 0, "seconds": wall, "calls": count,
            "cpu_us_per_call": cpu / count * 1e6, "wall_us_per_call": wall / count * 1e6}


def prepare_percall():
    import pyjindo

    oss2_like(pyjindo).put_object(PERCALL_KEY, os.urandom(size))


def run():
    if case.startswith("fs "):
        return fs_case()
    if case == "small get async":
        return async_case()
    if client in ("oss2", "pyjindo"):
        module = __import__(client)
        bucket = oss2_like(module)
        if case == "get read()":
            return len(bucket.get_object(BIG).read())
        if case == "get_to_file":
            bucket.get_object_to_file(BIG, OUT_FILE)
            return os.path.getsize(OUT_FILE)
        if case == "resumable_download 4t":
            module.resumable_download(bucket, BIG, OUT_FILE, multiget_threshold=1, part_size=8 << 20, num_threads=4,
                                      store=module.ResumableDownloadStore(root=workdir))
            return os.path.getsize(OUT_FILE)
        if case == "put_from_file":
            bucket.put_object_from_file("up-%s.bin" % client, SRC_FILE)
            return size
        if case == "resumable_upload 4t":
            module.resumable_upload(bucket, "up-r-%s.bin" % client, SRC_FILE, multipart_threshold=1,
                                    part_size=8 << 20, num_threads=4, store=module.ResumableStore(root=workdir))
            return size
        if case == "small get":
            return sum(len(bucket.get_object("small/%05d" % i).read()) for i in range(count))
        if case == "small get batch" and client == "pyjindo":
            from pyjindo import _batch

            got = _batch.get_many(bucket, ["small/%05d" % i for i in range(count)])
            failed = [g for g in got if isinstance(g, Exception)]
            if failed:
                raise failed[0]
            return sum(len(g) for g in got)
        if case == "small put":
            blob = os.urandom(size)
            for i in range(count):
                bucket.put_object("small-put/%05d" % i, blob)
            return size * count
    if client == "v2":
        oss, c = v2_client()
        if case == "downloader":
            c.downloader(part_size=8 << 20, parallel_num=4).download_file(
                oss.GetObjectRequest(bucket=bucket_name, key=BIG), filepath=OUT_FILE)
            return os.path.getsize(OUT_FILE)
        if case == "uploader":
            c.uploader(part_size=8 << 20, parallel_num=4).upload_file(
                oss.PutObjectRequest(bucket=bucket_name, key="up-v2.bin"), filepath=SRC_FILE)
            return size
    raise SystemExit("unknown case %r for %r" % (case, client))


# The modules each client's cases import, imported before the timing starts: it covers only the
# transfer. (An import costs 0.1-0.3 s; inside the timing it was a quarter of pyjindo's 1 GiB
# read() and the whole CPU difference between its 128 MiB and 1 GiB reads.)
CLIENT_MODULES = {
    "oss2": ["oss2"],
    "pyjindo": ["pyjindo", "pyjindo._batch"],
    "v2": ["alibabacloud_oss_v2"],
    "pyjindo-fs": ["pyjindo.fs"],
    "ossfs": ["ossfs"],
    "ossfs-async": ["asyncio", "ossfs"],
    "pyjindo-aio": ["asyncio", "pyjindo.aio"],
    "v2-aio": ["asyncio", "alibabacloud_oss_v2", "alibabacloud_oss_v2.aio"],
}


def import_client():
    import importlib

    for name in CLIENT_MODULES[client]:
        importlib.import_module(name)


if case == "prepare":
    prepare()
    print(json.dumps({"bytes": 0, "seconds": 0}))
elif case == "prepare-fs":
    prepare_fs()
    print(json.dumps({"bytes": 0, "seconds": 0}))
elif case == "prepare-percall":
    prepare_percall()
    print(json.dumps({"bytes": 0, "seconds": 0}))
elif case.startswith("percall "):
    report = percall_case()
    report["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(report))
elif case == "cleanup":
    cleanup()
    print(json.dumps({"bytes": 0, "seconds": 0}))
else:
    if client in ("jindo", "ossutil"):
        moved, seconds = cli_case()
    else:
        import_client()
        c0, t0 = time.process_time(), time.monotonic()
        moved = run()
        seconds, op_cpu_s = time.monotonic() - t0, time.process_time() - c0
    if os.path.exists(OUT_FILE):
        os.remove(OUT_FILE)
    # A CLI case's memory is its child's (the tool), not this process's.
    who = resource.RUSAGE_CHILDREN if client in ("jindo", "ossutil") else resource.RUSAGE_SELF
    report = {"bytes": moved, "seconds": seconds, "peak_rss_kib": resource.getrusage(who).ru_maxrss}
    if client not in ("jindo", "ossutil"):
        # the CPU of the timed call alone, all threads (the row's cpu-s/GB is the whole
        # process's: the interpreter's start, the imports and the exit included)
        report["op_cpu_s"] = op_cpu_s
    print(json.dumps(report))
