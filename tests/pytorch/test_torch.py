"""pyjindo.torch against jindo server: datasets through real DataLoaders (fork, spawn, forkserver,
persistent workers, two ranks), checkpoints through torch.save / torch.load and
torch.distributed.checkpoint, credentials files that change."""
import io
import json
import os
import subprocess
import sys
import uuid

import pytest
import torch
import torch.distributed as dist
import torch.distributed.checkpoint as dcp
from torch.utils.data import DataLoader

import pyjindo
import pyjindo.torch as pt
from pyjindo.iterators import ObjectIterator
from pyjindo.torch import _client, checkpoint

N = 48  # objects in the shared dataset


def body(i):
    return (b"%05d:" % i) * (100 + i)


def key_and_bytes(obj):
    """A transform: (key in the bucket, bytes). Module-level, so spawn workers can unpickle it."""
    with obj:
        return obj.object_key, obj.read()


def collate_list(batch):
    return batch


@pytest.fixture(scope="module")
def env(server, tmp_path_factory):
    bucket_name = "torch-" + uuid.uuid4().hex[:8]
    auth = pyjindo.Auth(server.access_key_id, server.access_key_secret)
    bucket = pyjindo.Bucket(auth, server.endpoint, bucket_name)
    bucket.create_bucket()
    for i in range(N):
        bucket.put_object("data/%05d" % i, body(i))
    bucket.put_object("data/dir/", b"")  # a directory marker: not a sample
    cred = tmp_path_factory.mktemp("cred") / "credentials"
    write_cred(cred, server.access_key_id, server.access_key_secret)

    class Env(object):
        pass

    e = Env()
    e.server, e.bucket, e.auth, e.cred = server, bucket, auth, str(cred)
    e.uri = "oss://%s/data/" % bucket_name
    e.expected = {"data/%05d" % i: body(i) for i in range(N)}
    return e


def write_cred(path, ak, sk):
    """Replace the file as credential rotation does: a new file renamed over the old one."""
    tmp = str(path) + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"AccessKeyId": ak, "AccessKeySecret": sk, "SecurityToken": "", "Expiration": ""}, f)
    os.replace(tmp, str(path))


def drain(loader):
    return [kb for batch in loader for kb in batch]


def assert_exactly_once(samples, expected):
    keys = [k for k, _ in samples]
    assert sorted(keys) == sorted(expected), "each object once"
    assert len(keys) == len(set(keys))
    for k, data in samples:
        assert data == expected[k]


def test_importing_pyjindo_does_not_import_torch():
    code = "import sys, pyjindo, pyjindo.api; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_items_are_osstorchconnector_data_objects(env):
    ds = pt.OssMapDataset.from_prefix(env.uri, env.server.endpoint, cred_path=env.cred)
    assert len(ds) == N  # the marker data/dir/ is left out
    item = ds[3]
    bucket = env.bucket.bucket_name
    assert (item.key, item.size, item.label) == ("/%s/data/00003" % bucket, len(body(3)), "")  # as osstorchconnector
    assert (item.bucket, item.object_key, item.uri) == (bucket, "data/00003", env.uri + "00003")
    with item as f:
        assert f.read(6) == b"00003:"
        f.seek(-6, io.SEEK_END)
        assert f.tell() == item.size - 6
        assert f.read() == b"00003:"
    assert item.closed


def test_map_dataset_fetches_a_batch_with_one_call(env, monkeypatch):
    ds = pt.OssMapDataset.from_prefix(env.uri, env.server.endpoint, auth=env.auth, transform=key_and_bytes)
    calls = []
    real = ds._client.get_many
    monkeypatch.setattr(ds._client, "get_many", lambda refs: calls.append(len(refs)) or real(refs))
    loader = DataLoader(ds, batch_size=16, collate_fn=collate_list)
    assert_exactly_once(drain(loader), env.expected)
    assert calls == [16, 16, 16]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_map_dataset_two_workers_exactly_once(env, method):
    ds = pt.OssMapDataset.from_prefix(env.uri, env.server.endpoint, cred_path=env.cred, transform=key_and_bytes)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context=method,
                        collate_fn=collate_list)
    assert_exactly_once(drain(loader), env.expected)


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_iterable_dataset_two_workers_exactly_once(env, method):
    ds = pt.OssIterableDataset.from_prefix(env.uri, env.server.endpoint, cred_path=env.cred,
                                           transform=key_and_bytes, prefetch=4)
    loader = DataLoader(ds, batch_size=5, num_workers=2, multiprocessing_context=method, collate_fn=collate_list)
    assert_exactly_once(drain(loader), env.expected)


def test_iterable_dataset_two_ranks_share_the_objects(env):
    """A simulated world of 2 ranks, each with a DataLoader of 2 workers: 4 disjoint shards."""
    per_rank = []
    for rank in range(2):
        ds = pt.OssIterableDataset.from_prefix(env.uri, env.server.endpoint, auth=env.auth, transform=key_and_bytes,
                                               rank=rank, world_size=2)
        per_rank.append(drain(DataLoader(ds, batch_size=4, num_workers=2, multiprocessing_context="fork",
                                         collate_fn=collate_list)))
    assert per_rank[0] and per_rank[1]
    assert not {k for k, _ in per_rank[0]} & {k for k, _ in per_rank[1]}
    assert_exactly_once(per_rank[0] + per_rank[1], env.expected)


def test_iterable_dataset_takes_rank_from_torch_distributed(env, tmp_path):
    dist.init_process_group("gloo", init_method="file://%s" % (tmp_path / "pg"), rank=0, world_size=1)
    try:
        ds = pt.OssIterableDataset.from_prefix(env.uri, env.server.endpoint, auth=env.auth, transform=key_and_bytes)
        assert ds._shard() == (0, 1)
        assert_exactly_once(list(ds), env.expected)
    finally:
        dist.destroy_process_group()


def test_shuffle_is_deterministic_per_epoch_and_persistent_workers_move_on(env):
    def order(ds):
        return [k for k, _ in ds]

    make = lambda: pt.OssIterableDataset.from_prefix(env.uri, env.server.endpoint, auth=env.auth,  # noqa: E731
                                                     transform=key_and_bytes, shuffle=True, seed=7)
    a, b = make(), make()
    first = order(a)
    assert first == order(b)
    assert sorted(first) == sorted(env.expected) and first != sorted(first)
    second = order(a)  # the next epoch
    assert sorted(second) == sorted(first) and second != first
    b.set_epoch(1)
    assert order(b) == second

    ds = make()
    loader = DataLoader(ds, batch_size=4, num_workers=2, multiprocessing_context="fork", persistent_workers=True,
                        collate_fn=collate_list)
    epochs = [[k for k, _ in drain(loader)] for _ in range(2)]
    for keys in epochs:
        assert sorted(keys) == sorted(env.expected)
    assert epochs[0] != epochs[1]


def test_listing_is_streamed(env, monkeypatch):
    """With pages of 10 keys, the first sample is handed out after the first page is listed."""
    pages = []
    real = ObjectIterator._fetch

    def counting(self):
        pages.append(1)
        return real(self)

    monkeypatch.setattr(_client, "LIST_PAGE", 10)
    monkeypatch.setattr(ObjectIterator, "_fetch", counting)
    ds = pt.OssIterableDataset.from_prefix(env.uri, env.server.endpoint, auth=env.auth, transform=key_and_bytes,
                                           prefetch=2)
    it = iter(ds)
    assert next(it)[0] == "data/00000"
    assert len(pages) == 1
    rest = list(it)
    assert len(rest) == N - 1 and len(pages) == 5


def test_from_objects_and_manifests(env, tmp_path):
    bucket = env.uri.split("/")[2]
    uris = ["oss://%s/data/00001" % bucket, "oss://%s/data/missing" % bucket]
    ds = pt.OssMapDataset.from_objects(uris, env.server.endpoint, auth=env.auth)
    assert ds[0].read() == body(1)
    assert ds[1] is None  # osstorchconnector hands a missing object to transform as None

    manifest = b"00002\tcat\n00005\tdog\n"
    env.bucket.put_object("manifest.txt", manifest)
    local = tmp_path / "manifest.txt"
    local.write_bytes(manifest)
    for where in (str(local), "oss://%s/manifest.txt" % bucket):
        for cls in (pt.OssMapDataset, pt.OssIterableDataset):
            ds = cls.from_manifest_file(where, pt.imagenet_manifest_parser, "oss://%s/data/" % bucket,
                                        env.server.endpoint, cred_path=env.cred,
                                        transform=lambda o: (o.object_key, o.label, o.read()))
            assert list(ds) == [("data/00002", "cat", body(2)), ("data/00005", "dog", body(5))]


def test_changed_credential_file_is_picked_up(env, tmp_path):
    cred = tmp_path / "cred.json"
    write_cred(cred, env.server.access_key_id, env.server.access_key_secret)
    ds = pt.OssMapDataset.from_prefix(env.uri, env.server.endpoint, cred_path=str(cred))
    assert ds[0].read() == body(0)
    write_cred(cred, env.server.access_key_id, "wrong-secret")
    with pytest.raises(pyjindo.exceptions.ServerError) as e:
        ds[1]
    assert e.value.status == 403
    write_cred(cred, env.server.access_key_id, env.server.access_key_secret)
    assert ds[1].read() == body(1)


def test_cred_provider_with_v2_sdk_attributes(env):
    class Creds(object):
        access_key_id = env.server.access_key_id
        access_key_secret = env.server.access_key_secret
        security_token = None

    class Provider(object):
        def get_credentials(self):
            return Creds()

    ds = pt.OssMapDataset.from_prefix(env.uri, env.server.endpoint, cred_provider=Provider())
    assert ds[2].read() == body(2)


# --- checkpoints -----------------------------------------------------------------------------------

def test_torch_save_and_load_a_100_mb_state_dict(env):
    ckpt = pt.OssCheckpoint(env.server.endpoint, cred_path=env.cred)
    g = torch.Generator().manual_seed(0)
    state = {"w%d" % i: torch.randn(1024, 1024 * 3, generator=g) for i in range(9)}  # 9 x 12 MiB
    state["step"] = 1234
    uri = "oss://%s/ckpt/model.pt" % env.bucket.bucket_name
    with ckpt.writer(uri) as w:
        torch.save(state, w)
    head = env.bucket.head_object("ckpt/model.pt")
    assert head.content_length > 100 * 1000 * 1000
    assert head.object_type == "Multipart"
    with ckpt.reader(uri) as r:
        loaded = torch.load(r)
    assert loaded.keys() == state.keys() and loaded["step"] == 1234
    for k in state:
        if k != "step":
            assert torch.equal(loaded[k], state[k])


class Unpicklable(object):
    def __reduce__(self):
        raise RuntimeError("cannot pickle this")


def uploads(bucket, prefix):
    return list(pyjindo.MultipartUploadIterator(bucket, prefix=prefix))


def test_failed_save_leaves_nothing(env):
    ckpt = pt.OssCheckpoint(env.server.endpoint, auth=env.auth, part_size=1 << 20)
    uri = "oss://%s/failed/model.pt" % env.bucket.bucket_name
    with pytest.raises(RuntimeError, match="cannot pickle"):
        with ckpt.writer(uri) as w:
            torch.save({"w": torch.zeros(4 << 20), "bad": Unpicklable()}, w)
    # Failing after parts went up: the upload is aborted.
    with pytest.raises(ValueError, match="boom"):
        with ckpt.writer(uri) as w:
            w.write(os.urandom(5 << 20))
            assert uploads(env.bucket, "failed/")  # parts are on their way
            raise ValueError("boom")
    assert not env.bucket.object_exists("failed/model.pt")
    assert uploads(env.bucket, "failed/") == []


def test_unclosed_or_interrupted_checkpoint_publishes_nothing(env):
    """As pyjindo.fs files: only close() (or a with block ending normally) publishes."""
    import gc

    ckpt = pt.OssCheckpoint(env.server.endpoint, auth=env.auth, part_size=1 << 20)
    uri = "oss://%s/unclosed/model.pt" % env.bucket.bucket_name
    w = ckpt.writer(uri)
    torch.save({"w": torch.zeros(1 << 20)}, w)  # 4 MiB: parts are on their way
    assert uploads(env.bucket, "unclosed/")
    del w
    gc.collect()
    with pytest.raises(KeyboardInterrupt):
        with ckpt.writer(uri) as w:
            w.write(os.urandom(3 << 20))
            raise KeyboardInterrupt()
    fs = pt.OssDCPFileSystem(env.server.endpoint, auth=env.auth, part_size=1 << 20)
    with pytest.raises(KeyboardInterrupt):
        with fs.create_stream(uri, "wb") as stream:
            stream.write(os.urandom(3 << 20))
            raise KeyboardInterrupt()
    assert not env.bucket.object_exists("unclosed/model.pt")
    assert uploads(env.bucket, "unclosed/") == []


def test_writer_small_object_is_one_put_and_invisible_until_closed(env):
    ckpt = pt.OssCheckpoint(env.server.endpoint, auth=env.auth, part_size=1 << 20)
    uri = "oss://%s/small/x.pt" % env.bucket.bucket_name
    w = ckpt.writer(uri)
    w.write(b"abc" * 1000)
    assert not env.bucket.object_exists("small/x.pt")
    w.close()
    assert env.bucket.get_object("small/x.pt").read() == b"abc" * 1000
    r = ckpt.reader(uri)
    r.seek(2997)
    assert r.read(10) == b"abc"
    assert r.read() == b""


def test_checkpoint_reader_random_access(env, monkeypatch):
    """The reader streams forward; the tail and reads behind the stream go by ranged GETs of their
    own: every order of reads gives the object's bytes."""
    monkeypatch.setattr(checkpoint, "READ_TAIL", 256 << 10)
    data = os.urandom(3 << 20)
    env.bucket.put_object("ckpt/random.bin", data)
    ckpt = pt.OssCheckpoint(env.server.endpoint, auth=env.auth)
    with ckpt.reader("oss://%s/ckpt/random.bin" % env.bucket.bucket_name) as r:
        # (offset, length): the end first as torch.load does, the start, a jump back, across
        # the tail's edge, a forward skip, past the end
        for off, n in [(len(data) - 22, 22), (0, 4), (0, 100), (2 << 20, 70000), (1000, 5000),
                       (len(data) - (300 << 10), 100 << 10), (100, 10), (len(data) - 5, 100), (len(data), 10)]:
            r.seek(off)
            assert r.read(n) == data[off:off + n], (off, n)
        r.seek(-1, io.SEEK_END)
        assert r.tell() == len(data) - 1
        r.seek(0)
        assert r.read() == data


def test_distributed_checkpoint_save_and_load(env, tmp_path):
    dist.init_process_group("gloo", init_method="file://%s" % (tmp_path / "pg"), rank=0, world_size=1)
    try:
        fs = pt.OssDCPFileSystem(env.server.endpoint, cred_path=env.cred)
        model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 8))
        state = {"model": model.state_dict(), "step": torch.tensor(42)}
        uri = "oss://%s/dcp/step-42/" % env.bucket.bucket_name
        dcp.save(state, storage_writer=fs.writer(uri))
        assert env.bucket.object_exists("dcp/step-42/.metadata")
        assert not env.bucket.object_exists("dcp/step-42/.metadata.tmp")
        target = {"model": {k: torch.zeros_like(v) for k, v in model.state_dict().items()},
                  "step": torch.tensor(0)}
        dcp.load(target, storage_reader=fs.reader(uri))
        for k, v in model.state_dict().items():
            assert torch.equal(target["model"][k], v)
        assert target["step"].item() == 42
    finally:
        dist.destroy_process_group()
