"""osstorchconnector's datasets: OssMapDataset and OssIterableDataset over a prefix, a list of
URIs or a manifest, their items (OssDataObject), and the iterable dataset's prefetch window."""
import collections
import io
import itertools
import random
import threading
from functools import partial
from typing import Any, Callable, Iterable, Iterator, List, Optional, Tuple, Type, TypeVar, Union

import torch.distributed
import torch.utils.data

from .. import _batch, exceptions
from ._client import _Client, _Entry, parse_oss_uri


#: objects an iterable dataset's worker fetches in one batch; the next batch is fetched while
#: this one is handed out (the prefetch window)
DEFAULT_PREFETCH = 64


def imagenet_manifest_parser(reader: io.IOBase) -> Iterable[Tuple[str, str]]:
    """Lines "key<TAB>label" (or "key") of a manifest, as osstorchconnector's parser reads them."""
    for line in reader.read().decode("utf-8").strip().split("\n"):
        items = line.strip().split("\t")
        if items and items[0]:
            yield items[0], items[1] if len(items) > 1 else ""


class OssDataObject(object):
    """One sample as osstorchconnector's DataObject: `key`, `size`, `label`, and a read-only,
    seekable file over the object's bytes (fetched already). `key` is "/bucket/key", as
    osstorchconnector 1.2.3 gives it; `bucket` and `object_key` are the two parts, `uri` the
    oss:// form."""

    def __init__(self, bucket: str, object_key: str, size: int, label: str, data: bytes) -> None:
        self.bucket = bucket
        self.object_key = object_key
        self.key = "/%s/%s" % (bucket, object_key)
        self.size = size
        self.label = label
        self._data = data
        self._file = io.BytesIO(data)

    @property
    def uri(self) -> str:
        """oss://bucket/key."""
        return "oss://%s/%s" % (self.bucket, self.object_key)

    def __repr__(self):
        return "<OssDataObject %s size=%d label=%r>" % (self.uri, self.size, self.label)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def read(self, count: Optional[int] = -1) -> bytes:
        """Up to count bytes from the position (all the rest for -1 or None)."""
        return self._file.read(-1 if count is None else count)

    def readinto(self, buf: Union[bytearray, memoryview]) -> int:
        """Fill buf from the position; the number of bytes copied."""
        return self._file.readinto(buf)

    def readline(self) -> bytes:
        """The bytes up to and including the next b"\\n" (or the end)."""
        return self._file.readline()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move the position, as io.BytesIO.seek; the new position."""
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        """The position."""
        return self._file.tell()

    def seekable(self) -> bool:
        """True: the bytes are in memory."""
        return True

    def readable(self) -> bool:
        """True."""
        return True

    def close(self) -> int:
        """Close the file (the bytes stay for copy()); 0, as osstorchconnector's."""
        self._file.close()
        return 0

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._file.closed

    def copy(self) -> "OssDataObject":
        """Another item over the same bytes, open, at position 0."""
        return OssDataObject(self.bucket, self.object_key, self.size, self.label, self._data)


def identity(obj: Optional[OssDataObject]) -> Optional[OssDataObject]:
    """The default transform: the item itself (None for an object missing when fetched)."""
    return obj


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


_Dataset = TypeVar("_Dataset", bound="_Factory")


class _Factory(object):
    """The from_* constructors, shared by both datasets; their arguments are osstorchconnector's."""

    @classmethod
    def from_objects(cls: Type[_Dataset], object_uris: Union[str, Iterable[str]], endpoint: str, *,
                     cred_path: str = "", cred_provider: Any = None, config_path: str = "",
                     transform: Callable[[OssDataObject], Any] = identity, region: str = "",
                     **kwargs: Any) -> _Dataset:
        """A dataset of the objects named by OSS URIs (oss://bucket/key). kwargs: the dataset's
        own (auth, anon, concurrency, and for the iterable one prefetch, shuffle, ...)."""
        uris = [object_uris] if isinstance(object_uris, str) else list(object_uris or ())
        return cls(endpoint, cred_path, config_path, partial(_entries_from_uris, uris=uris),
                   transform=transform, cred_provider=cred_provider, region=region, **kwargs)

    @classmethod
    def from_prefix(cls: Type[_Dataset], oss_uri: str, endpoint: str, *, cred_path: str = "",
                    cred_provider: Any = None, config_path: str = "",
                    transform: Callable[[OssDataObject], Any] = identity, region: str = "",
                    **kwargs: Any) -> _Dataset:
        """A dataset of every object under an OSS URI prefix (oss://bucket/prefix)."""
        parse_oss_uri(oss_uri)
        return cls(endpoint, cred_path, config_path, partial(_entries_from_prefix, oss_uri=oss_uri),
                   transform=transform, cred_provider=cred_provider, region=region, **kwargs)

    @classmethod
    def from_manifest_file(cls: Type[_Dataset], manifest_file_path: str,
                           manifest_parser: Callable[[io.IOBase], Iterable[Tuple[str, str]]], oss_base_uri: str,
                           endpoint: str, *, cred_path: str = "", cred_provider: Any = None, config_path: str = "",
                           transform: Callable[[OssDataObject], Any] = identity, region: str = "",
                           **kwargs: Any) -> _Dataset:
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


class OssMapDataset(_Factory, torch.utils.data.Dataset):
    """A map-style dataset of OSS objects (listed when it is made). A DataLoader with batching calls
    `__getitems__`, which fetches the whole batch at once, many requests in flight; shuffling and
    sharding across ranks are the sampler's (e.g. DistributedSampler), as for any map dataset.

    Extra keyword arguments beyond osstorchconnector's: `auth` (any pyjindo auth or credentials
    provider), `anon=True` (unsigned requests, for public-read buckets) and `concurrency` (objects
    fetched at once per process)."""

    def __init__(self, endpoint: str, cred_path: str, config_path: str,
                 get_dataset_objects: Callable[[_Client], Iterable[_Entry]],
                 transform: Callable[[OssDataObject], Any] = identity, cred_provider: Any = None,
                 region: str = "", *, auth: Any = None, anon: bool = False,
                 concurrency: int = _batch.DEFAULT_CONCURRENCY) -> None:
        self._client = _Client(endpoint, cred_path, config_path, cred_provider, region, auth,
                               objects_in_flight=concurrency, anon=anon)
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
                 region: str = "", *, auth: Any = None, anon: bool = False,
                 concurrency: int = _batch.DEFAULT_CONCURRENCY, prefetch: int = DEFAULT_PREFETCH,
                 shuffle: bool = False, seed: int = 0, rank: Optional[int] = None,
                 world_size: Optional[int] = None) -> None:
        if prefetch < 1:
            raise ValueError("prefetch must be at least 1")
        self._client = _Client(endpoint, cred_path, config_path, cred_provider, region, auth,
                               objects_in_flight=concurrency, anon=anon)
        self._get_entries = get_dataset_objects
        self._transform = transform
        self._prefetch = prefetch
        self._shuffle = shuffle
        self._seed = seed
        self._rank, self._world_size = rank, world_size
        self._epoch = 0
        self._iterations = 0

    def set_epoch(self, epoch: int) -> None:
        """The epoch the next iteration shuffles for (with shuffle=True); later iterations of
        this copy count on from it."""
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
