"""PyTorch datasets and checkpoints on OSS, with osstorchconnector's API.

`from pyjindo.torch import OssMapDataset, OssIterableDataset, OssCheckpoint` replaces
`from osstorchconnector import ...`: the same constructors (`from_prefix`, `from_objects`,
`from_manifest_file`), arguments and defaults, items with `.key`, `.size`, `.label`, `.read()`.
Credentials come from `cred_path` (osstorchconnector's JSON file, re-read by the Go core when it
changes), from `cred_provider`, from `auth=` (any pyjindo auth or credentials provider), or else
from the credentials chain (the environment, ~/.ossutilconfig, the ECS RAM role, RRSA); finding
none raises CredentialsError when the dataset or checkpoint is made.

Importing pyjindo does not import this module (nor torch); importing this module imports torch.
"""
import collections
import io
import itertools
import os
import random
import re
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, List, Optional, Tuple, Union

try:
    import torch
except ImportError as e:  # ModuleNotFoundError alone would not say what to install
    raise ImportError("pyjindo.torch needs PyTorch, which is not installed: pip install torch "
                      "(or pip install 'pyjindo[torch]')") from e
import torch.distributed
import torch.utils.data
from torch.distributed.checkpoint.filesystem import FileSystemBase, FileSystemReader, FileSystemWriter

from . import _batch, exceptions
from ._reader import ObjectReader, seek_position
from ._writer import ObjectWriter
from .api import DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, Bucket
from .auth import ProviderAuth, ProviderAuthV4
from .credentials import (ChainCredentialsProvider, Credentials, CredentialsProvider, JsonFileCredentialsProvider,
                          _go_message)
from .iterators import ObjectIterator

__all__ = ["OssMapDataset", "OssIterableDataset", "OssCheckpoint", "OssDataObject", "OssDCPFileSystem",
           "OssStorageWriter", "OssStorageReader", "parse_oss_uri", "imagenet_manifest_parser"]

#: objects an iterable dataset's worker fetches in one batch; the next batch is fetched while
#: this one is handed out (the prefetch window)
DEFAULT_PREFETCH = 64
#: a checkpoint reader buffers this much: torch.load's small reads (zip headers, the pickle) are
#: served from the buffer instead of each being a call into Go
READ_BUFFER = 64 << 10
#: the end of a checkpoint fetched on its own: the zip directory torch.load reads first
READ_TAIL = 1 << 20
#: parts of a checkpoint in flight. OSS limits each connection, and a checkpoint is one big object
#: saved or loaded while training waits: 1 GiB loaded at 724 MB/s with 16 and 979 with 24 here
#: (50 MB/s per connection, bench/), level with osstorchconnector at its prefetchConcurrency 24
CHECKPOINT_CONCURRENCY = 24
#: keys a listing request asks for (OSS's maximum)
LIST_PAGE = 1000


# --- URIs and manifests ----------------------------------------------------------------------------

def parse_oss_uri(uri: str) -> Tuple[str, str]:
    """("bucket", "key") of "oss://bucket/key" (or "/bucket/key"), as osstorchconnector parses it."""
    if not uri or not (uri.startswith("oss://") or uri.startswith("/")):
        raise ValueError("uri should start with 'oss://' or '/'")
    rest = uri[len("oss://"):] if uri.startswith("oss://") else uri[1:]
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise ValueError("Bucket name must be non-empty")
    return bucket, key


def imagenet_manifest_parser(reader: io.IOBase) -> Iterable[Tuple[str, str]]:
    """Lines "key<TAB>label" (or "key") of a manifest, as osstorchconnector's parser reads them."""
    for line in reader.read().decode("utf-8").strip().split("\n"):
        items = line.strip().split("\t")
        if items and items[0]:
            yield items[0], items[1] if len(items) > 1 else ""


# --- credentials -----------------------------------------------------------------------------------

class _ForeignProvider(CredentialsProvider):
    """A cred_provider as osstorchconnector takes it: get_credentials() returning an object with
    access_key_id / access_key_secret / security_token attributes (alibabacloud-oss-v2's) or
    oss2's getters."""

    def __init__(self, provider):
        self.provider = provider

    def get_credentials(self) -> Credentials:
        c = self.provider.get_credentials()

        def field(name):
            getter = getattr(c, "get_" + name, None)
            return (getter() if callable(getter) else getattr(c, name, "")) or ""

        return Credentials(field("access_key_id"), field("access_key_secret"), field("security_token"))


_REGION_IN_ENDPOINT = re.compile(r"oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com")


def _make_auth(endpoint, cred_path, cred_provider, auth, region):
    """The pyjindo auth for osstorchconnector's arguments: V4 when a region is given or can be read
    from an aliyuncs.com endpoint (as osstorchconnector signs), else V1. A cred_path file, or
    without any argument the credentials chain, is asked at once: a missing or malformed file,
    or nothing found, raises CredentialsError here (naming the file, or every place looked)."""
    if auth is not None and hasattr(auth, "auth_version"):
        return auth
    provider = auth  # a credentials provider given as auth=
    if provider is None and cred_provider is not None:
        provider = cred_provider if isinstance(cred_provider, CredentialsProvider) else _ForeignProvider(cred_provider)
    if provider is None:
        provider = JsonFileCredentialsProvider(cred_path) if cred_path else ChainCredentialsProvider()
        try:
            provider.describe()
        except exceptions.CredentialsError as e:
            if cred_path:
                raise exceptions.CredentialsError("cred_path: %s" % _go_message(e), e.not_found) from None
            if not e.not_found:
                raise
            raise exceptions.CredentialsError(
                "no credentials: pass cred_path= (osstorchconnector's JSON file), cred_provider= or auth=; %s"
                % _go_message(e), not_found=True) from None
    return ProviderAuthV4(provider) if region else ProviderAuth(provider)


class _Client(object):
    """What a dataset or checkpoint needs of OSS: one pyjindo Bucket per bucket name, made lazily in
    each process (a Bucket holds a lock and a Go session, neither of which crosses spawn), and
    many objects fetched at once through the batch engine. Pickles as its configuration."""

    def __init__(self, endpoint, cred_path="", config_path="", cred_provider=None, region="", auth=None,
                 concurrency=DEFAULT_CONCURRENCY, part_size=DEFAULT_PART_SIZE,
                 objects_in_flight=_batch.DEFAULT_CONCURRENCY):
        if not endpoint:
            raise ValueError("endpoint must be non-empty")
        self.endpoint = endpoint
        self.config_path = config_path  # accepted for osstorchconnector's signature; its tuning is pyjindo's
        m = _REGION_IN_ENDPOINT.search(endpoint)
        self.region = region or (m.group(1) if m else "")
        self.auth = _make_auth(endpoint, cred_path, cred_provider, auth, self.region)
        self.concurrency = concurrency  # parts of one object at once
        self.objects_in_flight = objects_in_flight  # objects of a batch at once
        self.part_size = part_size
        self._local = None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_local"] = None
        return state

    def _state(self):
        local = self._local
        if local is None or local[0] != os.getpid():
            local = self._local = (os.getpid(), {}, threading.Lock())
        return local

    def bucket(self, name: str) -> Bucket:
        _, buckets, lock = self._state()
        with lock:
            b = buckets.get(name)
            if b is None:
                b = buckets[name] = Bucket(self.auth, self.endpoint, name, region=self.region or None,
                                           part_size=self.part_size, concurrency=self.concurrency)
            return b

    def list(self, bucket: str, prefix: str) -> Iterator[Tuple[str, int]]:
        """(key, size) of every object under prefix, page by page as the listing goes on;
        directory markers (empty "dir/" objects) are not samples and are left out."""
        for info in ObjectIterator(self.bucket(bucket), prefix=prefix, max_keys=LIST_PAGE):
            if info.key.endswith("/") and not info.size:
                continue
            yield info.key, info.size

    def get(self, bucket: str, key: str) -> bytes:
        return self.bucket(bucket).get_object(key).read()

    def get_many(self, entries: List["_Entry"]) -> List[Union[bytes, Exception]]:
        """The bodies of many objects, in order, in one call to the batch engine
        (objects_in_flight requests at once, the GIL released); a failed object's entry is its exception. Sizes
        known from the listing let Go write each body straight into the bytes returned."""
        if not entries:
            return []
        return _batch.get_many(self.bucket(entries[0].bucket), [(e.bucket, e.key) for e in entries],
                               sizes=[e.size for e in entries], concurrency=self.objects_in_flight)


# --- items -----------------------------------------------------------------------------------------

class OssDataObject(object):
    """One sample as osstorchconnector's DataObject: `key`, `size`, `label`, and a read-only,
    seekable file over the object's bytes (fetched already). `key` is "/bucket/key", as
    osstorchconnector 1.2.3 gives it; `bucket` and `object_key` are the two parts, `uri` the
    oss:// form."""

    def __init__(self, bucket: str, object_key: str, size: int, label: str, data: bytes):
        self.bucket = bucket
        self.object_key = object_key
        self.key = "/%s/%s" % (bucket, object_key)
        self.size = size
        self.label = label
        self._data = data
        self._file = io.BytesIO(data)

    @property
    def uri(self) -> str:
        return "oss://%s/%s" % (self.bucket, self.object_key)

    def __repr__(self):
        return "<OssDataObject %s size=%d label=%r>" % (self.uri, self.size, self.label)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def read(self, count: int = -1) -> bytes:
        return self._file.read(-1 if count is None else count)

    def readinto(self, buf) -> int:
        return self._file.readinto(buf)

    def readline(self) -> bytes:
        return self._file.readline()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> int:
        self._file.close()
        return 0

    @property
    def closed(self) -> bool:
        return self._file.closed

    def copy(self) -> "OssDataObject":
        return OssDataObject(self.bucket, self.object_key, self.size, self.label, self._data)


def identity(obj: Optional[OssDataObject]) -> Optional[OssDataObject]:
    return obj


class _Entry(object):
    """A sample before it is fetched: where it is, its size if listed (else None) and its label."""

    __slots__ = ("bucket", "key", "size", "label")

    def __init__(self, bucket, key, size=None, label=""):
        self.bucket, self.key, self.size, self.label = bucket, key, size, label


def _entries_from_prefix(client, oss_uri):
    bucket, prefix = parse_oss_uri(oss_uri)
    for key, size in client.list(bucket, prefix):
        yield _Entry(bucket, key, size)


def _entries_from_uris(client, uris):
    if not uris:
        raise ValueError("object_uris must be non-empty")
    for uri in [uris] if isinstance(uris, str) else uris:
        yield _Entry(*parse_oss_uri(uri))


def _entries_from_manifest(client, manifest_file_path, manifest_parser, oss_base_uri):
    if manifest_file_path.startswith("oss://"):
        f = io.BytesIO(client.get(*parse_oss_uri(manifest_file_path)))
    else:
        f = open(manifest_file_path, "rb")
    with f:
        for key, label in manifest_parser(f):
            yield _Entry(*parse_oss_uri(oss_base_uri + key), label=label)


def _materialize(entries, bodies, transform):
    """transform(item) for each fetched body, one at a time; a missing object is transform(None),
    as in osstorchconnector; any other failure raises."""
    for e, body in zip(entries, bodies):
        if isinstance(body, exceptions.NoSuchKey):
            yield transform(None)
        elif isinstance(body, Exception):
            raise body
        else:
            yield transform(OssDataObject(e.bucket, e.key, len(body), e.label, body))


class _Factory(object):
    """The from_* constructors, shared by both datasets; their arguments are osstorchconnector's."""

    @classmethod
    def from_objects(cls, object_uris: Union[str, Iterable[str]], endpoint: str, *, cred_path: str = "",
                     cred_provider: Any = None, config_path: str = "",
                     transform: Callable[[OssDataObject], Any] = identity, region: str = "", **kwargs):
        """A dataset of the objects named by OSS URIs (oss://bucket/key)."""
        uris = [object_uris] if isinstance(object_uris, str) else list(object_uris or ())
        return cls(endpoint, cred_path, config_path, partial(_entries_from_uris, uris=uris),
                   transform=transform, cred_provider=cred_provider, region=region, **kwargs)

    @classmethod
    def from_prefix(cls, oss_uri: str, endpoint: str, *, cred_path: str = "", cred_provider: Any = None,
                    config_path: str = "", transform: Callable[[OssDataObject], Any] = identity,
                    region: str = "", **kwargs):
        """A dataset of every object under an OSS URI prefix (oss://bucket/prefix)."""
        parse_oss_uri(oss_uri)
        return cls(endpoint, cred_path, config_path, partial(_entries_from_prefix, oss_uri=oss_uri),
                   transform=transform, cred_provider=cred_provider, region=region, **kwargs)

    @classmethod
    def from_manifest_file(cls, manifest_file_path: str,
                           manifest_parser: Callable[[io.IOBase], Iterable[Tuple[str, str]]], oss_base_uri: str,
                           endpoint: str, *, cred_path: str = "", cred_provider: Any = None, config_path: str = "",
                           transform: Callable[[OssDataObject], Any] = identity, region: str = "", **kwargs):
        """A dataset of the (key, label) pairs manifest_parser reads from a manifest (an OSS URI or a
        local path); keys are relative to oss_base_uri."""
        if not manifest_file_path:
            raise ValueError("manifest_file_path must be non-empty")
        if not manifest_parser:
            raise ValueError("manifest_parser must be non-empty")
        return cls(endpoint, cred_path, config_path,
                   partial(_entries_from_manifest, manifest_file_path=manifest_file_path,
                           manifest_parser=manifest_parser, oss_base_uri=oss_base_uri),
                   transform=transform, cred_provider=cred_provider, region=region, **kwargs)


# --- datasets --------------------------------------------------------------------------------------

class OssMapDataset(_Factory, torch.utils.data.Dataset):
    """A map-style dataset of OSS objects (listed when it is made). A DataLoader with batching calls
    `__getitems__`, which fetches the whole batch at once, many requests in flight; shuffling and
    sharding across ranks are the sampler's (e.g. DistributedSampler), as for any map dataset.

    Extra keyword arguments beyond osstorchconnector's: `auth` (any pyjindo auth or credentials
    provider) and `concurrency` (objects fetched at once per process)."""

    def __init__(self, endpoint: str, cred_path: str, config_path: str,
                 get_dataset_objects: Callable[[_Client], Iterable[_Entry]],
                 transform: Callable[[OssDataObject], Any] = identity, cred_provider: Any = None,
                 region: str = "", *, auth: Any = None, concurrency: int = _batch.DEFAULT_CONCURRENCY):
        self._client = _Client(endpoint, cred_path, config_path, cred_provider, region, auth,
                               objects_in_flight=concurrency)
        self._transform = transform
        self._entries = list(get_dataset_objects(self._client))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, i: int) -> Any:
        return self.__getitems__([i])[0]

    def __getitems__(self, indices: List[int]) -> List[Any]:
        entries = [self._entries[i] for i in indices]
        return list(_materialize(entries, self._client.get_many(entries), self._transform))


def _rank_and_world(rank, world_size):
    if rank is not None and world_size is not None:
        return rank, world_size
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return 0, 1


class OssIterableDataset(_Factory, torch.utils.data.IterableDataset):
    """An iterable dataset of OSS objects. Each iteration lists the prefix as it goes (the first
    sample comes after the first page of the listing, not the last) and fetches objects `prefetch`
    at a time through the batch engine, the next batch while this one is handed out (so at most
    2 x prefetch objects are held; `concurrency` of them in flight at once).

    Sharding: the objects are dealt round-robin over rank x DataLoader worker (rank and world size
    from torch.distributed when it is initialized, or `rank=`/`world_size=`), so each object is
    read exactly once per epoch across the job. `shuffle=True` lists everything first and permutes
    it with `seed` and the epoch, the same permutation in every rank and worker; the epoch is the
    one given to `set_epoch` plus the iterations this copy of the dataset has run since (so
    persistent workers, which never see set_epoch, move on by themselves)."""

    def __init__(self, endpoint: str, cred_path: str, config_path: str,
                 get_dataset_objects: Callable[[_Client], Iterable[_Entry]],
                 transform: Callable[[OssDataObject], Any] = identity, cred_provider: Any = None,
                 region: str = "", *, auth: Any = None, concurrency: int = _batch.DEFAULT_CONCURRENCY,
                 prefetch: int = DEFAULT_PREFETCH, shuffle: bool = False, seed: int = 0,
                 rank: Optional[int] = None, world_size: Optional[int] = None):
        if prefetch < 1:
            raise ValueError("prefetch must be at least 1")
        self._client = _Client(endpoint, cred_path, config_path, cred_provider, region, auth,
                               objects_in_flight=concurrency)
        self._get_entries = get_dataset_objects
        self._transform = transform
        self._prefetch = prefetch
        self._shuffle = shuffle
        self._seed = seed
        self._rank, self._world_size = rank, world_size
        self._epoch = 0
        self._iterations = 0

    def set_epoch(self, epoch: int) -> None:
        self._epoch = epoch
        self._iterations = 0

    def _shard(self):
        rank, world = _rank_and_world(self._rank, self._world_size)
        info = torch.utils.data.get_worker_info()
        worker, workers = (info.id, info.num_workers) if info is not None else (0, 1)
        return rank * workers + worker, world * workers

    def __iter__(self) -> Iterator[Any]:
        epoch = self._epoch + self._iterations
        self._iterations += 1
        shard, shards = self._shard()
        entries = self._get_entries(self._client)
        if self._shuffle:
            entries = list(entries)
            random.Random(self._seed * 1000003 + epoch).shuffle(entries)
        mine = (e for i, e in enumerate(entries) if i % shards == shard)
        return self._fetch(mine)

    def _fetch(self, entries):
        """Yields transformed samples in order. The window of `prefetch` objects is fetched in two
        halves, each a batch of its own: while one batch is handed out, the next two are on
        their way (so a batch's slowest object does not hold up the window)."""
        entries = iter(entries)
        size = max(1, self._prefetch // 2)
        window = collections.deque()

        def fill():
            while len(window) < 2:
                batch = list(itertools.islice(entries, size))
                if not batch:
                    return
                window.append(_Ahead(self._client, batch))

        fill()
        while window:
            ahead = window.popleft()
            fill()
            yield from _materialize(ahead.entries, ahead.result(), self._transform)


class _Ahead(object):
    """client.get_many(entries) on a thread of its own (the Go call releases the GIL), so a batch
    arrives while the previous one is transformed and handed out."""

    def __init__(self, client: _Client, entries: List[_Entry]):
        self.entries = entries
        self._bodies = self._error = None
        self._thread = None
        if entries:
            self._thread = threading.Thread(target=self._run, args=(client,), name="pyjindo-torch-prefetch",
                                            daemon=True)
            self._thread.start()

    def _run(self, client):
        try:
            self._bodies = client.get_many(self.entries)
        except BaseException as e:  # raised where the batch is wanted
            self._error = e

    def result(self) -> List[Union[bytes, Exception]]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._bodies


# --- checkpoints -----------------------------------------------------------------------------------

class _CheckpointReader(io.RawIOBase):
    """The seekable file torch.load (and DCP) read. torch.load reads the zip directory at the end
    first, then the records from the start in order, going back now and then for a header. One
    ObjectReader streams the object forward: never sent back, it keeps fetching ahead in parallel
    parts while torch copies the records, instead of starting over after each seek. Reads in the
    last READ_TAIL bytes are served from one ranged GET of them, reads behind the stream by a
    ranged GET of their own, both pinned to the ETag the stream opened with."""

    def __init__(self, bucket: Bucket, key: str):
        super().__init__()
        self._bucket, self._key = bucket, key
        self._stream = ObjectReader(bucket, key)
        self.size = self._stream.size
        self._etag = self._stream.info.headers.get("etag")
        self._tail_start = max(0, self.size - READ_TAIL)
        self._tail = None
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        self._checkClosed()
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._checkClosed()
        self._pos = seek_position(offset, whence, self._pos, self.size)
        return self._pos

    def _range(self, start: int, end: int) -> bytes:
        headers = {"If-Match": self._etag} if self._etag else None
        return self._bucket.get_object(self._key, byte_range=(start, end - 1), headers=headers).read()

    def readinto(self, b) -> int:
        self._checkClosed()
        view = memoryview(b).cast("B")
        n = min(len(view), self.size - self._pos)
        if n <= 0:
            return 0
        pos = self._pos
        if pos >= self._tail_start:
            if self._tail is None:
                self._tail = self._range(self._tail_start, self.size)
            view[:n] = self._tail[pos - self._tail_start:pos - self._tail_start + n]
        elif pos >= self._stream.tell():
            self._stream.seek(pos)  # a little forward: the stream skips it
            n = self._stream.readinto(view[:n])
        else:
            data = self._range(pos, pos + n)
            n = len(data)
            view[:n] = data
        self._pos += n
        return n

    def close(self) -> None:
        self._stream.close()
        self._tail = None
        super().close()


class OssCheckpoint(object):
    """torch.save / torch.load on OSS, as osstorchconnector's OssCheckpoint:

        checkpoint = OssCheckpoint(endpoint, cred_path=CRED_PATH)
        with checkpoint.writer("oss://bucket/ckpt.pt") as w:
            torch.save(state, w)
        with checkpoint.reader("oss://bucket/ckpt.pt") as r:
            state = torch.load(r)

    `writer` streams a multipart upload (parts in parallel; nothing visible until it completes;
    aborted on an exception); `reader` is seekable and prefetches ranges in parallel. Both are
    the Go core's (pyjindo's ObjectWriter and ObjectReader, as pyjindo.fs opens files)."""

    def __init__(self, endpoint: str, cred_path: str = "", config_path: str = "", cred_provider: Any = None,
                 region: str = "", *, auth: Any = None, part_size: int = DEFAULT_PART_SIZE,
                 concurrency: int = CHECKPOINT_CONCURRENCY):
        self._client = _Client(endpoint, cred_path, config_path, cred_provider, region, auth, concurrency,
                               part_size)

    def reader(self, oss_uri: str) -> io.BufferedReader:
        """A seekable file over the object (one HEAD now; reads stream parallel ranged GETs pinned
        to its ETag)."""
        bucket, key = parse_oss_uri(oss_uri)
        return io.BufferedReader(_CheckpointReader(self._client.bucket(bucket), key), READ_BUFFER)

    def writer(self, oss_uri: str) -> ObjectWriter:
        """A write-only file whose bytes go up as a multipart upload, `concurrency` parts of
        `part_size` at once, completed by close() (aborted by an exception inside `with`)."""
        bucket, key = parse_oss_uri(oss_uri)
        c = self._client
        return ObjectWriter(c.bucket(bucket), key, part_size=c.part_size)


# --- torch.distributed.checkpoint ------------------------------------------------------------------

def _path(path):
    return path if isinstance(path, str) else str(path)


class OssDCPFileSystem(FileSystemBase):
    """The storage under torch.distributed.checkpoint, as osstorchconnector's OssDCPFileSystem:

        fs = OssDCPFileSystem(endpoint, cred_path=CRED_PATH)
        dcp.save(state_dict, storage_writer=fs.writer("oss://bucket/step-100/"))
        dcp.load(state_dict, storage_reader=fs.reader("oss://bucket/step-100/"))

    Each file DCP writes is an object streamed as OssCheckpoint.writer streams; "directories" are
    key prefixes; the final rename of .metadata is a server-side copy and delete."""

    def __init__(self, endpoint: str, cred_path: str = "", config_path: str = "", cred_provider: Any = None,
                 region: str = "", *, auth: Any = None, part_size: int = DEFAULT_PART_SIZE,
                 concurrency: int = DEFAULT_CONCURRENCY):
        self._checkpoint = OssCheckpoint(endpoint, cred_path, config_path, cred_provider, region, auth=auth,
                                         part_size=part_size, concurrency=concurrency)
        self._client = self._checkpoint._client

    @contextmanager
    def create_stream(self, path: Union[str, os.PathLike], mode: str):
        if mode == "wb":
            with self._checkpoint.writer(_path(path)) as stream:
                yield stream
        elif mode == "rb":
            with self._checkpoint.reader(_path(path)) as stream:
                yield stream
        else:
            raise ValueError("Invalid mode argument: only rb/wb are supported")

    def concat_path(self, path: Union[str, os.PathLike], suffix: str) -> str:
        return _path(path).rstrip("/") + "/" + suffix

    def init_path(self, path: Union[str, os.PathLike], *args, **kwargs) -> Union[str, os.PathLike]:
        return path

    def rename(self, old_path: Union[str, os.PathLike], new_path: Union[str, os.PathLike]) -> None:
        old_bucket, old_key = parse_oss_uri(_path(old_path))
        new_bucket, new_key = parse_oss_uri(_path(new_path))
        if old_bucket != new_bucket:
            raise ValueError("rename across buckets is not supported")
        self._client.bucket(old_bucket).rename(old_key, new_key)

    def mkdir(self, path: Union[str, os.PathLike]) -> None:
        pass  # prefixes need no directory

    def exists(self, path: Union[str, os.PathLike]) -> bool:
        bucket, key = parse_oss_uri(_path(path))
        return self._client.bucket(bucket).object_exists(key)

    def rm_file(self, path: Union[str, os.PathLike]) -> None:
        bucket, key = parse_oss_uri(_path(path))
        self._client.bucket(bucket).delete_object(key)

    def ls(self, path: Union[str, os.PathLike]) -> List[str]:
        bucket, prefix = parse_oss_uri(_path(path).rstrip("/") + "/")
        return ["oss://%s/%s" % (bucket, key) for key, _ in self._client.list(bucket, prefix)]

    @classmethod
    def validate_checkpoint_id(cls, checkpoint_id: Union[str, os.PathLike]) -> bool:
        if isinstance(checkpoint_id, Path):
            return True
        try:
            parse_oss_uri(_path(checkpoint_id))
        except ValueError:
            return False
        return True

    def writer(self, path: str, **kwargs) -> "OssStorageWriter":
        return OssStorageWriter(self, path, **kwargs)

    def reader(self, path: str) -> "OssStorageReader":
        return OssStorageReader(self, path)


class OssStorageWriter(FileSystemWriter):
    """A DCP StorageWriter onto OSS: torch's FileSystemWriter with OssDCPFileSystem underneath."""

    def __init__(self, fs: OssDCPFileSystem, path: str, **kwargs) -> None:
        kwargs.setdefault("sync_files", False)
        super().__init__(path=path, **kwargs)
        self.fs = fs
        self.path = fs.init_path(path)

    @classmethod
    def validate_checkpoint_id(cls, checkpoint_id: Union[str, os.PathLike]) -> bool:
        return OssDCPFileSystem.validate_checkpoint_id(checkpoint_id)


class OssStorageReader(FileSystemReader):
    """A DCP StorageReader from OSS: torch's FileSystemReader with OssDCPFileSystem underneath."""

    def __init__(self, fs: OssDCPFileSystem, path: str) -> None:
        super().__init__(path)
        self.fs = fs
        self.path = fs.init_path(path)

    @classmethod
    def validate_checkpoint_id(cls, checkpoint_id: Union[str, os.PathLike]) -> bool:
        return OssDCPFileSystem.validate_checkpoint_id(checkpoint_id)
