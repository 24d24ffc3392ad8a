"""What datasets and checkpoints need of OSS, in one place: the credentials osstorchconnector's
arguments name, a Bucket per bucket name made lazily in each process, listings, and many objects
fetched at once through the batch engine; and the oss:// URIs they are given."""
import os
import threading
from typing import Iterator, List, Tuple, Union

from .. import _batch, exceptions
from .._session import endpoint_info
from ..api import Bucket, DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE
from ..auth import AnonymousAuth, ProviderAuth, ProviderAuthV4
from ..credentials import (_go_message, ChainCredentialsProvider, Credentials, CredentialsProvider,
                           JsonFileCredentialsProvider)
from ..iterators import ObjectIterator


#: keys a listing request asks for (OSS's maximum)
LIST_PAGE = 1000


def parse_oss_uri(uri: str) -> Tuple[str, str]:
    """("bucket", "key") of "oss://bucket/key" (or "/bucket/key"), as osstorchconnector parses it."""
    if not uri or not (uri.startswith("oss://") or uri.startswith("/")):
        raise ValueError("uri should start with 'oss://' or '/'")
    rest = uri[len("oss://"):] if uri.startswith("oss://") else uri[1:]
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise ValueError("Bucket name must be non-empty")
    return bucket, key


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


def _make_auth(endpoint, cred_path, cred_provider, auth, region, anon=False):
    """The pyjindo auth for osstorchconnector's arguments: V4 when a region is given or can be read
    from an aliyuncs.com endpoint (as osstorchconnector signs), else V1. A cred_path file, or
    without any argument the credentials chain, is asked at once: a missing or malformed file,
    or nothing found, raises CredentialsError here (naming the file, or every place looked).
    anon=True (as pyjindo.fs's) sends unsigned requests, whatever else is given."""
    if anon:
        return AnonymousAuth()
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
                "no credentials: pass cred_path= (osstorchconnector's JSON file), cred_provider=, auth= "
                "or anon=True; %s"
                % _go_message(e), not_found=True) from None
    return ProviderAuthV4(provider) if region else ProviderAuth(provider)


class _Client(object):
    """What a dataset or checkpoint needs of OSS: one pyjindo Bucket per bucket name, made lazily in
    each process (a Bucket holds a lock and a Go session, neither of which crosses spawn), and
    many objects fetched at once through the batch engine. Pickles as its configuration."""

    def __init__(self, endpoint, cred_path="", config_path="", cred_provider=None, region="", auth=None,
                 concurrency=DEFAULT_CONCURRENCY, part_size=DEFAULT_PART_SIZE,
                 objects_in_flight=_batch.DEFAULT_CONCURRENCY, anon=False):
        if not endpoint:
            raise ValueError("endpoint must be non-empty")
        self.endpoint = endpoint
        self.config_path = config_path  # accepted for osstorchconnector's signature; its tuning is pyjindo's
        self.region = region or endpoint_info(endpoint)[1]
        self.auth = _make_auth(endpoint, cred_path, cred_provider, auth, self.region, anon)
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


class _Entry(object):
    """A sample before it is fetched: where it is, its size if listed (else None) and its label."""

    __slots__ = ("bucket", "key", "size", "label")

    def __init__(self, bucket, key, size=None, label=""):
        self.bucket, self.key, self.size, self.label = bucket, key, size, label
