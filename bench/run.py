"""`make bench`: pyjindo against oss2, alibabacloud-oss-v2, ossutil and (PyTorch rows) osstorchconnector
on the same local server, same run.

Each case runs in its own process (bench/case.py) so peak RSS and CPU time are its own. The
server runs with --bandwidth-per-conn and --latency to emulate real OSS (docs/ARCHITECTURE.md,
"Tests and benchmarks"), and once more uncapped to see CPU cost. Prints a table and writes bench/results/<time>.json.

    python bench/run.py [--quick] [--size-mib N] [--only SUBSTRING]
"""
import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
AK, SK, BUCKET = "bench-ak", "bench-sk", "bench"

# (case name, client, connections it uses: the link limit is connections x per-connection cap)
DOWNLOADS = [
    ("get read()", "oss2", 1),
    ("get read()", "pyjindo", 8),
    ("get_to_file", "oss2", 1),
    ("get_to_file", "pyjindo", 8),
    ("resumable_download 4t", "oss2", 4),
    ("downloader", "v2", 4),
]
UPLOADS = [
    ("put_from_file", "oss2", 1),
    ("put_from_file", "pyjindo", 8),
    ("resumable_upload 4t", "oss2", 4),
    ("uploader", "v2", 4),
]
# The CLI against ossutil 1.7.19 (built by the bench from the Go module proxy), default flags.
CLI = [
    ("cli down big", "ossutil", 10),  # ossutil 1.7.19 runs 10 parts at once for 1 GiB
    ("cli down big", "jindo", 12),
    ("cli up big", "ossutil", 10),
    ("cli up big", "jindo", 12),
    ("cli down small", "ossutil", 1),
    ("cli down small", "jindo", 1),
    ("cli up small", "ossutil", 1),
    ("cli up small", "jindo", 1),
]
# fsspec: pyjindo.fs against ossfs (sync, and its async filesystem for the many-small-objects row).
# The cat small row compares with oss2's loop too ("small get" above).
FSSPEC = [
    ("fs cat small", "ossfs", 1),
    ("fs cat small", "ossfs-async", 64),
    ("fs cat small", "pyjindo-fs", 64),
    ("fs cat_file", "ossfs", 1),
    ("fs cat_file", "pyjindo-fs", 16),
    ("fs get_file", "ossfs", 4),  # oss2.resumable_download, 4 threads
    ("fs get_file", "pyjindo-fs", 16),
    ("fs open scan", "ossfs", 1),
    ("fs open scan", "pyjindo-fs", 16),
]
OSSFS_VERSION = "2025.5.0"
OSSFS_PY = []  # the python of the ossfs virtualenv, once made
V2_AIO_VERSION = "1.4.1"  # as pinned in bench/requirements-v2-aio.txt
V2_AIO_PY = []  # the python of the virtualenv with alibabacloud-oss-v2's async client, once made
OSSUTIL_VERSION = "v1.7.19"
OSSUTIL = []  # the ossutil binary, once built
# PyTorch (bench/torch_case.py), on the capped server: an epoch of COUNT x 100 KiB through a
# DataLoader (batch 32, 2 workers), and torch.save / torch.load of a SIZE state dict.
TORCH = [
    ("dataloader map", "oss2", 1),
    ("dataloader map", "pyjindo", 1),
    ("dataloader iterable", "pyjindo", 1),
    ("dataloader map", "osstorchconnector", 1),
    ("dataloader iterable", "osstorchconnector", 1),
    ("ckpt save", "pyjindo", 24),
    ("ckpt load", "pyjindo", 24),
    ("ckpt save", "osstorchconnector", 64),  # uploadConcurrency 64 (bench/torch_case.py's config)
    ("ckpt load", "osstorchconnector", 24),  # prefetchConcurrency 24
]
TORCH_SAMPLE = 100 * 1024
HOSTS_MARK = "# pyjindo bench: osstorchconnector"
SMALL = [
    ("small get", "oss2", 1),
    ("small get", "pyjindo", 1),
    ("small get batch", "pyjindo", 64),  # pyjindo._batch.get_many, 64 in flight
    ("small put", "oss2", 1),
    ("small put", "pyjindo", 1),
    # COUNT gets at once with asyncio.gather in one loop (issue 23); conns is each client's
    # bound on connections: aiohttp's default pool (v2, ossfs's aiooss2), pyjindo.aio's
    # calls in flight per loop and Bucket (its connections=, default 100, each a pooled connection)
    ("small get async", "v2-aio", 100),
    ("small get async", "ossfs-async", 100),
    ("small get async", "pyjindo-aio", 100),
]
# pyjindo.aio's row is compared with the faster of these (the same run, before it)
ASYNC_ANCHORS = ("v2-aio", "ossfs-async")

# Client CPU and wall time per call (issue 21) on the uncapped server: COUNT calls of head_object,
# a 16 KiB get_object().read(), a 16 KiB put_object and object_exists, one process per case,
# the median of PERCALL_ROUNDS runs by CPU per call. Their own server and object: no prepare.
# "go" is bench/gocall, the same request made by go/oss with nothing in between (the wall-time
# anchor).
# "pyjindo-log" is pyjindo with the oss2 logger at INFO (what logging on costs; off is the
# default, the "pyjindo" row).
PERCALL = [(("percall " + op), client, 1) for op in ("head", "get", "put", "exists")
           for client in ("oss2", "go", "v2", "pyjindo")] + [("percall get", "pyjindo-log", 1)]
PERCALL_ROUNDS = 3
PERCALL_COUNT = 2000


# Cases that leave objects on the (in-memory) server; bench/case.py's cleanup deletes them after.
WRITES_OBJECTS = {"put_from_file", "resumable_upload 4t", "uploader", "small put", "cli up big", "cli up small"}


def start_server(bandwidth, latency):
    cmd = [os.path.join(REPO, "bin", "jindo"), "server", "--addr", "127.0.0.1:0", "--memory",
           "--access-key-id", AK, "--access-key-secret", SK, "--bucket", BUCKET,
           "--bandwidth-per-conn", bandwidth, "--latency", latency]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("jindo server listening on "):
        proc.kill()
        raise SystemExit("server did not start: %r" % line)
    return proc, line.rsplit(" ", 1)[1].strip()


def clear_outputs(workdir):
    """The download trees of the CLI rows (bench/case.py keeps them until the run ends)."""
    import shutil

    for name in os.listdir(workdir):
        if name.startswith("cli-out-"):
            shutil.rmtree(os.path.join(workdir, name), ignore_errors=True)


def build_ossutil():
    """ossutil 1.7.19 through a wrapper module (`go install ...@latest` is refused), cached in
    .cache/ossutil like tests/server/test_ossutil.py's build."""
    cache = os.path.join(REPO, ".cache", "ossutil")
    exe = os.path.join(cache, "ossutil-" + OSSUTIL_VERSION)
    if os.path.exists(exe):
        return exe
    src = os.path.join(cache, "src-" + OSSUTIL_VERSION)
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module ossutilbuild\n\ngo 1.21\n\nrequire github.com/aliyun/ossutil %s\n" % OSSUTIL_VERSION)
    env = dict(os.environ, GOFLAGS=(os.environ.get("GOFLAGS", "") + " -mod=mod").strip())
    tmp = "%s.%d.tmp" % (exe, os.getpid())
    subprocess.run(["go", "build", "-o", tmp, "github.com/aliyun/ossutil"], cwd=src, env=env, check=True, timeout=900)
    os.replace(tmp, exe)
    return exe


def ossfs_python():
    """A virtualenv with ossfs (it pins oss2 2.18.4, which must not meet .venv's oss2 2.19.1),
    made by the bench in .cache/ossfs-venv."""
    venv = os.path.join(REPO, ".cache", "ossfs-venv-" + OSSFS_VERSION)
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(os.path.join(venv, ".installed")):
        subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True, timeout=300)
        subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "ossfs==" + OSSFS_VERSION],
                       check=True, timeout=900)
        open(os.path.join(venv, ".installed"), "w").close()
    return py


def v2_aio_python():
    """A virtualenv with alibabacloud-oss-v2 and aiohttp, which its async client needs and .venv
    lacks, made by the bench in .cache/v2-aio-venv."""
    venv = os.path.join(REPO, ".cache", "v2-aio-venv-" + V2_AIO_VERSION)
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(os.path.join(venv, ".installed")):
        subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True, timeout=300)
        subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "-r", os.path.join(HERE, "requirements-v2-aio.txt")], check=True, timeout=900)
        open(os.path.join(venv, ".installed"), "w").close()
    return py


def run_case(endpoint, case, client, size, count, workdir):
    """Run one case in a fresh process; returns its JSON report plus CPU and RSS."""
    # Earlier cases' dirty pages go to disk now, not during this case's timing.
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    python = OSSFS_PY[0] if client.startswith("ossfs") else V2_AIO_PY[0] if client == "v2-aio" else sys.executable
    cmd = [python, os.path.join(HERE, "case.py"), endpoint, AK, SK, BUCKET, case, client, str(size), str(count),
           workdir]
    if client == "go":  # bench/gocall, built by run_percall
        cmd = [os.path.join(workdir, "gocall"), endpoint, AK, SK, BUCKET, case.split(" ", 1)[1], str(count)]
    out = subprocess.run(
        cmd,
        capture_output=True, text=True, timeout=1800, cwd=REPO,
        env=dict(os.environ, PYTHONPATH=REPO, BENCH_OSSUTIL=OSSUTIL[0] if OSSUTIL else ""),
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "exit %d" % out.returncode}
    report = json.loads(out.stdout.strip().splitlines()[-1])
    report["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report["peak_rss_mib"] = report.get("peak_rss_kib", 0) / 1024
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small objects: finishes in a few minutes")
    ap.add_argument("--size-mib", type=int, default=None)
    ap.add_argument("--only", default="")
    ap.add_argument("--bandwidth", default="50MB")
    ap.add_argument("--latency", default="8ms")
    args = ap.parse_args()
    size = (args.size_mib or (128 if args.quick else 1024)) * 1024 * 1024
    small_count = 1000 if args.quick else 10000
    fs_size = (args.size_mib or (256 if args.quick else 1024)) * 1024 * 1024
    workdir = os.path.join(REPO, "bench", "work")
    os.makedirs(workdir, exist_ok=True)
    clear_outputs(workdir)

    rows = []
    if any(args.only in "%s %s %s" % (net, case, client) for net in ("capped", "uncapped") for case, client, _ in CLI
           if client == "ossutil"):
        OSSUTIL.append(build_ossutil())
    if any(args.only in "%s %s %s" % (net, case, client) for net in ("capped", "uncapped")
           for case, client, _ in FSSPEC + SMALL if client.startswith("ossfs")):
        OSSFS_PY.append(ossfs_python())
    if any(args.only in "capped %s %s" % (case, client) for case, client, _ in SMALL if client == "v2-aio"):
        V2_AIO_PY.append(v2_aio_python())
    shaped = [("capped", args.bandwidth, args.latency, DOWNLOADS + UPLOADS + SMALL + CLI + FSSPEC),
              ("uncapped", "0", "0s", [c for c in DOWNLOADS + UPLOADS if c[1] in ("oss2", "pyjindo")] + CLI
               + [c for c in FSSPEC if c[0] in ("fs cat small", "fs cat_file")])]
    for net, bw, lat, cases in shaped:
        if not any(not args.only or args.only in "%s %s %s" % (net, case, client) for case, client, _ in cases):
            continue  # nothing selected: no server, no prepare
        server, endpoint = start_server(bw, lat)
        try:
            prep = run_case(endpoint, "prepare", "oss2", size, small_count, workdir)
            if "error" in prep:
                raise SystemExit("prepare failed: %s" % prep["error"])
            if OSSFS_PY:
                prep = run_case(endpoint, "prepare-fs", "pyjindo", fs_size, 0, workdir)
                if "error" in prep:
                    raise SystemExit("prepare-fs failed: %s" % prep["error"])
            for case, client, conns in cases:
                if args.only and args.only not in "%s %s %s" % (net, case, client):
                    continue
                is_small = case.startswith("small") or case.endswith("small")
                big = fs_size if case.startswith("fs ") else size
                # A 1 GiB CLI row lasts 1-3 s, and this VM's disk makes single runs of it vary by
                # 2-3x (writeback, discard): the CLI rows are the median of three runs.
                runs = [run_case(endpoint, case, client, 16 * 1024 if is_small else big,
                                 small_count if is_small else 1, workdir)
                        for _ in range(3 if case.startswith("cli ") else 1)]
                ok = sorted((x for x in runs if "error" not in x), key=lambda x: x["bytes"] / x["seconds"])
                r = ok[len(ok) // 2] if ok else runs[0]
                if len(runs) > 1:
                    r["runs_mb_s"] = [round(x["bytes"] / x["seconds"] / 1e6, 1) for x in ok]
                r.update(net=net, case=case, client=client, conns=conns)
                rows.append(r)
                print(_format_row(r, rows, bw), flush=True)
                if case in WRITES_OBJECTS:
                    run_case(endpoint, "cleanup", "pyjindo", 0, 0, workdir)
        finally:
            server.terminate()
            server.wait(timeout=10)

    percall = [c for c in PERCALL if not args.only or args.only in "uncapped %s %s" % (c[0], c[1])]
    if percall:
        rows += run_percall(percall, 1000 if args.quick else PERCALL_COUNT, workdir)

    torch_cases = [c for c in TORCH if not args.only or args.only in "capped %s %s" % (c[0], c[1])]
    if torch_cases:
        rows += run_torch(args, torch_cases, size, 2000 if args.quick else 10000, workdir)

    clear_outputs(workdir)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = os.path.join(HERE, "results", stamp + ".json")
    with open(path, "w") as f:
        json.dump({"when": stamp, "machine": platform.platform(), "cpus": os.cpu_count(), "size": size,
               "fs_size": fs_size,
                   "bandwidth_per_conn": args.bandwidth, "latency": args.latency, "rows": rows}, f, indent=1)
    print("\nwrote", os.path.relpath(path, REPO))


def run_percall(cases, count, workdir):
    """The per-call rows: their own uncapped server, one 16 KiB object, each case PERCALL_ROUNDS
    times in a fresh process (the clients interleaved round by round), the median by CPU."""
    rows = []
    if any(client == "go" for _, client, _ in cases):
        subprocess.run(["go", "build", "-o", os.path.join(workdir, "gocall"), "./bench/gocall"], cwd=REPO, check=True,
                       timeout=600)
    server, endpoint = start_server("0", "0s")
    try:
        prep = run_case(endpoint, "prepare-percall", "pyjindo", 16 * 1024, 0, workdir)
        if "error" in prep:
            raise SystemExit("prepare-percall failed: %s" % prep["error"])
        runs = {c: [] for c in cases}
        for _ in range(PERCALL_ROUNDS):
            for c in cases:
                runs[c].append(run_case(endpoint, c[0], c[1], 16 * 1024, count, workdir))
        for case, client, conns in cases:
            ok = sorted((x for x in runs[(case, client, conns)] if "error" not in x), key=lambda x: x["cpu_us_per_call"])
            r = ok[len(ok) // 2] if ok else runs[(case, client, conns)][0]
            if ok:
                r["runs_cpu_us"] = [round(x["cpu_us_per_call"]) for x in ok]
            r.update(net="uncapped", case=case, client=client, conns=conns)
            rows.append(r)
            print(_format_percall_row(r, rows), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows


def _format_percall_row(r, rows):
    if "error" in r:
        return "%-9s %-24s %-8s  ERROR %s" % (r["net"], r["case"], r["client"], r["error"])
    base = next((x for x in rows if x["case"] == r["case"] and x["client"] == "oss2" and "error" not in x), None)
    ratio = r["cpu_us_per_call"] / base["cpu_us_per_call"] if base else float("nan")
    go = next((x for x in rows if x["case"] == r["case"] and x["client"] == "go" and "error" not in x), None)
    wall_ratio = r["wall_us_per_call"] / go["wall_us_per_call"] if go else float("nan")
    return ("%-9s %-24s %-8s %7.0f us cpu/call  x%5.2f oss2  %7.0f us wall/call  x%5.2f go  rss %7.1f MiB"
            "  (runs %s)") % (
        r["net"], r["case"], r["client"], r["cpu_us_per_call"], ratio, r["wall_us_per_call"], wall_ratio,
        r["peak_rss_mib"], " ".join(str(x) for x in r["runs_cpu_us"]))


def run_torch(args, cases, size, count, workdir):
    """The PyTorch rows. osstorchconnector only speaks virtual-hosted style, so its rows need
    BENCH.localhost to resolve to 127.0.0.1: added to /etc/hosts when running as root (and
    removed after), else those rows are skipped with the reason."""
    rows = []
    server, endpoint = start_server(args.bandwidth, args.latency)
    hosts_added = _add_hosts_entry()
    try:
        prep = _torch_case(endpoint, "prepare", "pyjindo", count, TORCH_SAMPLE, workdir)
        if "error" in prep:
            raise SystemExit("torch prepare failed: %s" % prep["error"])
        for case, client, conns in cases:
            if client == "osstorchconnector" and not hosts_added:
                print("capped    %-24s %-8s  SKIPPED: needs %s.localhost -> 127.0.0.1 in /etc/hosts (run as root)"
                      % (case, client, BUCKET), flush=True)
                continue
            is_ckpt = case.startswith("ckpt")
            r = _torch_case(endpoint, case, client, 1 if is_ckpt else count, size if is_ckpt else TORCH_SAMPLE,
                            workdir)
            r.update(net="capped", case=case, client=client, conns=conns)
            rows.append(r)
            print(_format_torch_row(r, rows, args.bandwidth), flush=True)
    finally:
        if hosts_added:
            _remove_hosts_entry()
        server.terminate()
        server.wait(timeout=10)
    return rows


def _add_hosts_entry():
    if os.geteuid() != 0:
        return False
    try:
        with open("/etc/hosts") as f:
            if "%s.localhost" % BUCKET in f.read():
                return False  # someone else's entry: leave it, and skip
        with open("/etc/hosts", "a") as f:
            f.write("127.0.0.1 %s.localhost %s\n" % (BUCKET, HOSTS_MARK))
        return True
    except OSError:
        return False


def _remove_hosts_entry():
    with open("/etc/hosts") as f:
        lines = f.readlines()
    with open("/etc/hosts", "w") as f:
        f.writelines(line for line in lines if not line.rstrip("\n").endswith(HOSTS_MARK))


def _torch_case(endpoint, case, client, count, size, workdir):
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "torch_case.py"), endpoint, AK, SK, BUCKET, case, client, str(count),
         str(size), workdir],
        capture_output=True, text=True, timeout=1800, cwd=REPO, env=dict(os.environ, PYTHONPATH=REPO))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "exit %d" % out.returncode}
    report = json.loads(out.stdout.strip().splitlines()[-1])
    report["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report["peak_rss_mib"] = report.get("peak_rss_kib", 0) / 1024
    return report


def _format_torch_row(r, rows, bw):
    if "error" in r:
        return "%-9s %-24s %-8s  ERROR %s" % (r["net"], r["case"], r["client"], r["error"])
    mbps = r["bytes"] / r["seconds"] / 1e6
    if r["case"].startswith("dataloader"):
        rate = r["objects"] / r["seconds"]
        base = next((x for x in rows if x["case"] == "dataloader map" and x["client"] == "oss2" and "error" not in x),
                    None)
        ratio = rate / (base["objects"] / base["seconds"]) if base else float("nan")
        return "%-9s %-22s %-17s %9.0f obj/s  x%5.2f oss2    %6.1f MB/s  %6.1f cpu-s" % (
            r["net"], r["case"], r["client"], rate, ratio, mbps, r["cpu_s"])
    link = _rate(bw) * r["conns"] / 1e6 if _rate(bw) else float("nan")
    gb = r["bytes"] / 1e9
    # cpu-s/GB of the process (torch's import and the state dict's making included), then of the
    # save or load alone; peak RSS, then the RSS before the save or load
    return "%-9s %-22s %-17s %9.1f MB/s  link %5.0f%%  %6.2f cpu-s/GB (op %4.2f)  rss %7.1f MiB (before %.0f)" % (
        r["net"], r["case"], r["client"], mbps, 100 * mbps / link if link == link else float("nan"),
        r["cpu_s"] / gb, r["op_cpu_s"] / gb, r["peak_rss_mib"], r["rss_before_kib"] / 1024)


def _rate(bw):
    units = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}
    for u, m in sorted(units.items(), key=lambda x: -len(x[0])):
        if bw.endswith(u):
            return float(bw[: -len(u)]) * m
    return float(bw)


def _format_row(r, rows, bw):
    if "error" in r:
        return "%-9s %-24s %-8s  ERROR %s" % (r["net"], r["case"], r["client"], r["error"])
    mbps = r["bytes"] / r["seconds"] / 1e6
    # The oss2 figure to compare with: the same case, or oss2's plain call doing the same job.
    same_job = {"resumable_download 4t": "get_to_file", "downloader": "get_to_file",
                "resumable_upload 4t": "put_from_file", "uploader": "put_from_file", "small get batch": "small get",
                "small get async": "small get"}
    base = None
    anchor = "ossutil" if r["client"] in ("jindo", "ossutil") else "oss2"
    if r["case"].startswith("fs "):
        anchor = "ossfs"
    if r["client"] == "pyjindo-aio":
        anchor = "async"
        base = max((x for x in rows if x["net"] == r["net"] and x["case"] == r["case"]
                    and x["client"] in ASYNC_ANCHORS and "error" not in x),
                   key=lambda x: x["bytes"] / x["seconds"], default=None)
    for case in (r["case"], same_job.get(r["case"])):
        base = base or next((x for x in rows if x["net"] == r["net"] and x["case"] == case and x["client"] == anchor
                             and "error" not in x), None)
    ratio = mbps / (base["bytes"] / base["seconds"] / 1e6) if base else float("nan")
    link = _rate(bw) * r["conns"] / 1e6 if r["net"] == "capped" and _rate(bw) else float("nan")
    cpu_per_gb = r["cpu_s"] / (r["bytes"] / 1e9) if r["bytes"] else float("nan")
    # the timed call's own CPU, where the case reports it: a small process's start and exit
    # are a large share of its cpu-s/GB
    op = " (op %4.2f)" % (r["op_cpu_s"] / (r["bytes"] / 1e9)) if r.get("op_cpu_s") is not None and r["bytes"] else ""
    runs = "  (runs %s)" % " ".join("%.0f" % x for x in r["runs_mb_s"]) if r.get("runs_mb_s") else ""
    if r["case"] == "small get async":
        runs += "  %.2f cpu-s" % r["cpu_s"]
    return "%-9s %-24s %-8s %9.1f MB/s  x%5.2f %-7s link %5.0f%%  %6.2f cpu-s/GB%s  rss %7.1f MiB%s" % (
        r["net"], r["case"], r["client"], mbps, ratio, anchor, 100 * mbps / link if link == link else float("nan"),
        cpu_per_gb, op, r["peak_rss_mib"], runs)


if __name__ == "__main__":
    main()
