"""One PyTorch benchmark case in its own process; prints one JSON line (bytes, objects, seconds,
peak RSS; for the checkpoint cases also the CPU of the save or load itself and the RSS before
it, since importing torch and making the state dict cost more CPU than the save).

    python bench/torch_case.py ENDPOINT AK SK BUCKET CASE CLIENT COUNT SIZE WORKDIR

CASE: "prepare" (COUNT objects of SIZE bytes under torch/), "dataloader map", "dataloader
iterable" (one epoch through a DataLoader, batch 32, 2 workers, dataset construction included),
"ckpt save" / "ckpt load" (torch.save / torch.load of a state dict of SIZE bytes).
CLIENT: pyjindo, oss2 (a map dataset calling get_object per sample) or osstorchconnector
(endpoint http://localhost:PORT, virtual-hosted: the caller maps BUCKET.localhost to 127.0.0.1).
"""
import json
import os
import resource
import sys
import time

endpoint, ak, sk, bucket_name, case, client, count, size, workdir = sys.argv[1:10]
count, size = int(count), int(size)
PREFIX = "torch/"
BATCH, WORKERS = 32, 2


def cred_files():
    cred = os.path.join(workdir, "torch-cred.json")
    with open(cred, "w") as f:
        json.dump({"AccessKeyId": ak, "AccessKeySecret": sk}, f)
    config = os.path.join(workdir, "osstorchconnector.json")
    with open(config, "w") as f:  # osstorchconnector refuses to start without one
        json.dump({"logLevel": 2, "logPath": os.path.join(workdir, "osstc.log"),
                   "auditPath": os.path.join(workdir, "osstc-audit.log"),
                   "datasetConfig": {"prefetchConcurrency": 24, "prefetchWorker": 2},
                   "checkpointConfig": {"prefetchConcurrency": 24, "prefetchWorker": 4, "uploadConcurrency": 64}}, f)
    return cred, config


def nbytes(obj):
    """The transform: read the sample, hand on its length (collated by summing)."""
    return len(obj.read())


def total(batch):
    return sum(batch)


class Oss2MapDataset(object):
    """What a plain oss2 dataset looks like: one get_object per sample."""

    def __init__(self, keys):
        self.keys = keys
        self.bucket = None

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, i):
        if self.bucket is None:  # made in each worker
            import oss2

            self.bucket = oss2.Bucket(oss2.Auth(ak, sk), endpoint, bucket_name)
        return len(self.bucket.get_object(self.keys[i]).read())


def dataset():
    cred, config = cred_files()
    uri = "oss://%s/%s" % (bucket_name, PREFIX)
    kind = case.split()[1]
    if client == "pyjindo":
        from pyjindo.torch import OssIterableDataset, OssMapDataset

        cls = OssMapDataset if kind == "map" else OssIterableDataset
        return cls.from_prefix(uri, endpoint, cred_path=cred, transform=nbytes)
    if client == "osstorchconnector":
        from osstorchconnector import OssIterableDataset, OssMapDataset

        cls = OssMapDataset if kind == "map" else OssIterableDataset
        local = "http://localhost:" + endpoint.rsplit(":", 1)[1]
        return cls.from_prefix(uri, local, cred_path=cred, config_path=config, region="cn-hangzhou",
                               transform=nbytes)
    if client == "oss2" and kind == "map":
        import oss2

        bucket = oss2.Bucket(oss2.Auth(ak, sk), endpoint, bucket_name)
        return Oss2MapDataset([o.key for o in oss2.ObjectIterator(bucket, prefix=PREFIX, max_keys=1000)])
    raise SystemExit("unknown case %r for %r" % (case, client))


def checkpoint():
    cred, config = cred_files()
    if client == "pyjindo":
        from pyjindo.torch import OssCheckpoint

        return OssCheckpoint(endpoint, cred_path=cred)
    if client == "osstorchconnector":
        from osstorchconnector import OssCheckpoint

        local = "http://localhost:" + endpoint.rsplit(":", 1)[1]
        return OssCheckpoint(local, cred_path=cred, config_path=config, region="cn-hangzhou")
    raise SystemExit("unknown case %r for %r" % (case, client))


def state_dict():
    import torch

    n = size // 4 // 8
    g = torch.Generator().manual_seed(0)
    return {"w%d" % i: torch.rand(n, generator=g) for i in range(8)}


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return r.ru_utime + r.ru_stime


def rss_kib():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def run():
    """(bytes, objects, seconds, extra fields of the report)."""
    import torch
    from torch.utils.data import DataLoader

    if case.startswith("dataloader"):
        t0 = time.monotonic()
        loader = DataLoader(dataset(), batch_size=BATCH, num_workers=WORKERS, collate_fn=total)
        moved = sum(loader)
        return moved, count, time.monotonic() - t0, {}
    uri = "oss://%s/ckpt-%s.pt" % (bucket_name, client)
    if case == "ckpt save":
        state = state_dict()
        ckpt = checkpoint()
        before = {"rss_before_kib": rss_kib()}
        c0, t0 = cpu_seconds(), time.monotonic()
        with ckpt.writer(uri) as w:
            torch.save(state, w)
        t = time.monotonic() - t0
        return sum(t.numel() * 4 for t in state.values()), 1, t, dict(before, op_cpu_s=cpu_seconds() - c0)
    if case == "ckpt load":
        ckpt = checkpoint()
        before = {"rss_before_kib": rss_kib()}
        c0, t0 = cpu_seconds(), time.monotonic()
        with ckpt.reader(uri) as r:
            state = torch.load(r)
        t = time.monotonic() - t0
        return sum(t.numel() * 4 for t in state.values()), 1, t, dict(before, op_cpu_s=cpu_seconds() - c0)
    raise SystemExit("unknown case %r" % case)


def prepare():
    from concurrent.futures import ThreadPoolExecutor

    import pyjindo

    bucket = pyjindo.Bucket(pyjindo.Auth(ak, sk), endpoint, bucket_name)
    blob = os.urandom(size)
    with ThreadPoolExecutor(32) as ex:
        list(ex.map(lambda i: bucket.put_object("%s%05d" % (PREFIX, i), blob), range(count)))


if __name__ == "__main__":
    if case == "prepare":
        prepare()
        print(json.dumps({"bytes": 0, "objects": 0, "seconds": 0}))
    else:
        moved, objects, seconds, extra = run()
        print(json.dumps(dict({"bytes": moved, "objects": objects, "seconds": seconds,
                               "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, **extra)))
