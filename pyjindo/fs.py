"""`oss://` for fsspec: OSSFileSystem, an fsspec filesystem on pyjindo's Go core.

Registered through the `fsspec.specs` entry point (setup.py) as protocol "oss", so with pyjindo
installed `fsspec.filesystem("oss", ...)`, pandas, pyarrow and Dask use it in place of ossfs.
storage_options are ossfs's (`endpoint`, `key`, `secret`, `token`) plus `region`, `auth`,
`anonymous` (or s3fs's `anon`), `part_size`, `concurrency` and `multipart_threshold`.

Paths are `bucket/key` or `oss://bucket/key`. Directories are prefixes: a listing shows one for
each common prefix (delimiter "/") and each `key/` marker object. Errors are the builtin OSError
subclasses (FileNotFoundError, PermissionError, FileExistsError, ...), with the pyjindo exception
as their __cause__.
"""
import contextlib
import datetime
import errno
import io
import os
import sys
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from fsspec.asyn import AsyncFileSystem
from fsspec.compression import compr
from fsspec.core import get_compression
from fsspec.spec import AbstractBufferedFile, AbstractFileSystem

from . import _batch, _ops, aio, exceptions
from .api import DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, Bucket, Service
from .auth import AnonymousAuth, Auth, ProviderAuth, ProviderAuthV4, StsAuth
from .credentials import ChainCredentialsProvider, _go_message
from ._reader import ObjectReader
from .models.versions import _walk_versions
from ._writer import MIN_PART_SIZE, ObjectWriter, abort_after

#: Keys listed per ListObjects request (OSS's maximum).
_LIST_PAGE = 1000
#: Above this size cp_file copies by UploadPartCopy in parallel parts instead of one CopyObject.
MULTIPART_COPY_THRESHOLD = 1024 ** 3
_COPY_PART = 256 * 1024 * 1024
#: Requests in flight for operations on many paths (cat of a list, cat_ranges, get, put, info).
DEFAULT_BATCH_CONCURRENCY = 64
#: Parts of one large object at once. OSS limits each connection, and data tools read whole big
#: files: 16 parts at once moved 1 GiB at 94% of 16 x 50 MB/s here (bench/), where the Bucket
#: default of 8 stops at 8 x 50.
DEFAULT_FS_CONCURRENCY = 16

_FORBID_OVERWRITE = {"x-oss-forbid-overwrite": "true"}


def _translate(e: exceptions.OssError, path: str) -> OSError:
    """The builtin OSError for a pyjindo error, as s3fs maps botocore's."""
    status, code = getattr(e, "status", None), getattr(e, "code", "")
    if isinstance(e, exceptions.NotFound) or status == 404:
        return FileNotFoundError(errno.ENOENT, code or "not found", path)
    if status == 403 or isinstance(e, exceptions.AccessDenied):
        return PermissionError(errno.EACCES, code or "access denied", path)
    if code in ("FileAlreadyExists", "BucketAlreadyExists", "ObjectAlreadyExists"):
        return FileExistsError(errno.EEXIST, code, path)
    if code == "BucketNotEmpty":
        return OSError(errno.ENOTEMPTY, code, path)
    if code in ("InvalidObjectName", "InvalidBucketName", "InvalidArgument"):
        return ValueError("%s: %s" % (path, e))
    return OSError(errno.EIO, str(e), path)


@contextlib.contextmanager
def _errors(path: str) -> Iterator[None]:
    try:
        yield
    except exceptions.OssError as e:
        raise _translate(e, path) from e


def _make_auth(key, secret, token, auth, anonymous, region):
    if anonymous:
        return AnonymousAuth()
    if auth is not None:
        if hasattr(auth, "_credentials") and hasattr(auth, "auth_version"):
            return auth  # a pyjindo auth
        provider = getattr(auth, "credentials_provider", auth)  # an oss2 auth, or a provider
        if not hasattr(provider, "get_credentials"):
            raise TypeError("auth must be a pyjindo/oss2 auth or a credentials provider, not %r" % type(auth))
        return ProviderAuthV4(provider) if region else ProviderAuth(provider)
    if key or secret:
        if not (key and secret):
            raise ValueError("OSSFileSystem: key and secret go together")
        if token:
            return StsAuth(key, secret, token, auth_version="v4" if region else "v1")
        if region:
            from .auth import AuthV4
            return AuthV4(key, secret)
        return Auth(key, secret)
    # The chain, asked now so that missing credentials fail here, not as AccessDenied later.
    provider = ChainCredentialsProvider()
    try:
        provider.describe()
    except exceptions.CredentialsError as e:
        if not e.not_found:
            raise
        raise exceptions.CredentialsError(
            "OSSFileSystem: no credentials: pass key= and secret= (token= for STS), auth=, or anon=True "
            "for a public bucket; %s" % _go_message(e), not_found=True) from None
    return ProviderAuthV4(provider) if region else ProviderAuth(provider)


#: storage_options other libraries spell differently, and the name OSSFileSystem takes
_OPTION_SYNONYMS = {"access_key_id": "key", "access_key": "key", "accesskeyid": "key", "aws_access_key_id": "key",
                    "access_key_secret": "secret", "secret_key": "secret", "accesskeysecret": "secret",
                    "aws_secret_access_key": "secret", "security_token": "token", "session_token": "token",
                    "sts_token": "token", "endpoint_url": "endpoint", "region_name": "region",
                    "anonymous_access": "anon"}
#: storage_options fsspec's AbstractFileSystem itself takes
_FSSPEC_OPTIONS = ("skip_instance_cache", "use_listings_cache", "listings_expiry_time", "max_paths",
                   "asynchronous", "loop")


def _warn_unknown_options(kwargs: Dict[str, Any]) -> None:
    """Warn about an option OSSFileSystem does not take that looks like one it does (a typo, or
    another SDK's name): it would otherwise be ignored in silence."""
    import difflib
    import inspect
    import warnings

    known = [p for p in inspect.signature(OSSFileSystem.__init__).parameters if p not in ("self", "kwargs")]
    vocabulary = known + list(_OPTION_SYNONYMS)
    for name in kwargs:
        if name in _FSSPEC_OPTIONS:
            continue
        close = difflib.get_close_matches(name.lower(), vocabulary, n=1, cutoff=0.75)
        if close:
            meant = _OPTION_SYNONYMS.get(close[0], close[0])
            warnings.warn("OSSFileSystem: unknown option %r is ignored; did you mean %r?" % (name, meant),
                          stacklevel=4)


def _mtime(value) -> Optional[datetime.datetime]:
    if value is None:
        return None
    return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)


class OSSFileSystem(AbstractFileSystem):
    """Alibaba Cloud OSS as an fsspec filesystem, on pyjindo's Go core.

    endpoint: the OSS endpoint (default $OSS_ENDPOINT). key/secret/token: an AccessKey pair and an
    optional STS token. auth: instead of keys, any pyjindo (or oss2) auth object or credentials
    provider; a Python provider is asked at each call and every half second while one runs (see
    ProviderAuth), so rotating STS credentials are picked up.
    Without either, the credentials chain (pyjindo.credentials.ChainCredentialsProvider: the
    environment, ~/.ossutilconfig, the ECS RAM role, RRSA) is asked at once, and finding nothing
    raises CredentialsError naming every place looked.
    anon (s3fs's name) or anonymous: unsigned requests. region: signs with V4. part_size, concurrency,
    multipart_threshold: pyjindo's transfer tuning (Bucket's arguments). batch_concurrency:
    requests in flight for operations on many paths. version_aware (s3fs's option): paths may
    name a version (`bucket/key?versionId=ID`), and open, cat_file and info take `version_id=`;
    object_version_info lists a key's versions, ls and find with `versions=True` every version.
    Without it a version id or `versions=True` is refused (ValueError) and `?versionId=` is part
    of the key.
    """

    protocol = ("oss",)
    root_marker = ""
    # What the filesystem's requests go through; AsyncOSSFileSystem's are pyjindo.aio's.
    _bucket_class = Bucket
    _service_class = Service

    def __new__(cls, *args: Any, **kwargs: Any) -> "OSSFileSystem":
        # OSSFileSystem(asynchronous=True), as fsspec.filesystem("oss", asynchronous=True) calls it
        if kwargs.get("asynchronous") and not issubclass(cls, AsyncOSSFileSystem):
            cls = AsyncOSSFileSystem
        return super().__new__(cls)

    def __init__(self, endpoint: Optional[str] = None, key: Optional[str] = None, secret: Optional[str] = None,
                 token: Optional[str] = None, region: Optional[str] = None, auth: Any = None,
                 anonymous: bool = False, anon: bool = False, part_size: int = DEFAULT_PART_SIZE,
                 concurrency: int = DEFAULT_FS_CONCURRENCY,
                 multipart_threshold: Optional[int] = DEFAULT_MULTIPART_THRESHOLD,
                 batch_concurrency: int = DEFAULT_BATCH_CONCURRENCY,
                 default_block_size: Optional[int] = None, version_aware: bool = False, **kwargs: Any) -> None:
        _warn_unknown_options(kwargs)
        super().__init__(**kwargs)
        endpoint = endpoint or os.environ.get("OSS_ENDPOINT")
        if not endpoint:
            raise ValueError("OSSFileSystem needs an endpoint (argument or $OSS_ENDPOINT)")
        self.endpoint = endpoint
        self.region = region or os.environ.get("OSS_REGION") or None
        self.auth = _make_auth(key, secret, token, auth, anonymous or anon, self.region)
        self.part_size = int(part_size)
        self.concurrency = int(concurrency)
        self.multipart_threshold = multipart_threshold
        self.batch_concurrency = max(1, int(batch_concurrency))
        self.blocksize = int(default_block_size or self.part_size)
        self.version_aware = bool(version_aware)
        self._buckets: Dict[str, Bucket] = {}
        self._collect = threading.local()

    # --- paths and buckets ---------------------------------------------------------------------

    @classmethod
    def _strip_protocol(cls, path):
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        path = str(path)
        if path.startswith("oss://"):
            path = path[len("oss://"):]
        return path.lstrip("/").rstrip("/")

    def split_path(self, path: str) -> Tuple[str, str]:
        """(bucket, key) of `bucket/key` or `oss://bucket/key`; the key is "" for a bucket."""
        path = self._strip_protocol(path)
        bucket, _, key = path.partition("/")
        if self.version_aware:  # s3fs's split_path: "key?versionId=ID" names a version of key
            key = key.partition("?versionId=")[0]
        return bucket, key

    def _version(self, path: str, version_id: Optional[str] = None) -> Optional[str]:
        """The version `path` names: `version_id`, or `?versionId=` in the path (version_aware),
        as s3fs: both must agree, and a version without version_aware is a ValueError."""
        in_path = self._strip_protocol(path).partition("?versionId=")[2] if self.version_aware else ""
        if version_id and in_path and version_id != in_path:
            raise ValueError("version_id %r differs from the path's versionId %r" % (version_id, in_path))
        version_id = version_id or in_path or None
        if version_id and not self.version_aware:
            raise ValueError("version_id cannot be specified if the filesystem is not version aware")
        return version_id

    def object_version_info(self, path: str, **kwargs: Any) -> List[Dict[str, Any]]:
        """Every version of the object `path` (newest first; delete markers left out), as s3fs:
        dicts with Key, VersionId, IsLatest, LastModified (datetime, UTC), ETag, Size and
        StorageClass. Needs version_aware."""
        if not self.version_aware:
            raise ValueError("version specific functionality is disabled for non-version aware filesystems")
        bucket, key = self.split_path(path)
        out = []
        with _errors(self._strip_protocol(path)):
            for page in _walk_versions(self._bucket(bucket), prefix=key):
                out.extend({"Key": v.key, "VersionId": v.versionid, "IsLatest": v.is_latest,
                            "LastModified": _mtime(v.last_modified), "ETag": v.etag, "Size": v.size,
                            "StorageClass": v.storage_class} for v in page.versions if v.key == key)
        return out

    def _bucket(self, name: str) -> Bucket:
        b = self._buckets.get(name)
        if b is None:
            b = self._buckets[name] = self._bucket_class(
                self.auth, self.endpoint, name, region=self.region, part_size=self.part_size,
                concurrency=self.concurrency, multipart_threshold=self.multipart_threshold)
        return b

    # --- listing -------------------------------------------------------------------------------

    def _list(self, bucket: str, prefix: str, delimiter: str) -> Tuple[List[Any], List[str]]:
        b = self._bucket(bucket)
        objects, prefixes, marker = [], [], ""
        with _errors(bucket + "/" + prefix):
            while True:
                r = b.list_objects(prefix=prefix, delimiter=delimiter, marker=marker, max_keys=_LIST_PAGE)
                objects.extend(r.object_list)
                prefixes.extend(r.prefix_list)
                if not r.is_truncated:
                    return objects, prefixes
                marker = r.next_marker

    @staticmethod
    def _file_info(bucket: str, o) -> Dict[str, Any]:
        return {"name": bucket + "/" + o.key, "size": o.size, "type": "file", "ETag": o.etag,
                "LastModified": o.last_modified, "StorageClass": o.storage_class, "object_type": o.type}

    @staticmethod
    def _dir_info(name: str) -> Dict[str, Any]:
        return {"name": name, "size": 0, "type": "directory"}

    def _ls_buckets(self) -> List[Dict[str, Any]]:
        if "" in self.dircache:
            return self.dircache[""]
        service = self._service_class(self.auth, self.endpoint, region=self.region) if self.region else \
            self._service_class(self.auth, self.endpoint)
        out, marker = [], ""
        with _errors(""):
            while True:
                r = service.list_buckets(marker=marker, max_keys=1000)
                out.extend(self._dir_info(b.name) for b in r.buckets)
                if not r.is_truncated:
                    break
                marker = r.next_marker
        self.dircache[""] = out
        return out

    def ls(self, path: str, detail: bool = True, refresh: bool = False, versions: bool = False,
           **kwargs: Any) -> Union[List[str], List[Dict[str, Any]]]:
        """As fsspec's ls. `versions=True` (version_aware, as s3fs) lists every version of each
        file, one entry a version named `bucket/key?versionId=ID` (a `null` version keeps the
        plain name), with VersionId and IsLatest; delete markers are left out, and nothing is
        cached. Listing a file lists that file's versions."""
        path = self._strip_protocol(path)
        if versions:
            self._need_versions()
        if not path:
            entries = self._ls_buckets()
        elif versions:
            entries = self._ls_versions(path)
        else:
            entries = None if refresh else self.dircache.get(path)
            if entries is None:
                entries = self._ls_uncached(path)
        return entries if detail else sorted(e["name"] for e in entries)

    def _ls_uncached(self, path: str) -> List[Dict[str, Any]]:
        bucket, key = self.split_path(path)
        prefix = key + "/" if key else ""
        objects, prefixes = self._list(bucket, prefix, "/")
        entries = [self._dir_info(bucket + "/" + p.rstrip("/")) for p in prefixes]
        entries += [self._file_info(bucket, o) for o in objects if o.key != prefix]
        if entries or (key and any(o.key == prefix for o in objects)):
            self.dircache[path] = entries  # an empty directory is a `key/` marker alone
            return entries
        if not key:
            return entries  # an empty bucket
        info = self._head(bucket, key)  # ls of a file lists the file, as fsspec expects
        if info is None:
            raise FileNotFoundError(errno.ENOENT, "no such file or directory", path)
        return [info]

    def _need_versions(self) -> None:
        if not self.version_aware:
            raise ValueError("versions cannot be specified if the filesystem is not version aware")

    def _list_versions(self, bucket: str, prefix: str, delimiter: str) -> Tuple[List[Any], List[str]]:
        """Every version (no delete markers) under prefix, and the common prefixes."""
        versions, prefixes = [], []
        with _errors(bucket + "/" + prefix):
            for page in _walk_versions(self._bucket(bucket), prefix=prefix, delimiter=delimiter, max_keys=_LIST_PAGE):
                versions.extend(page.versions)
                prefixes.extend(page.common_prefix)
        return versions, prefixes

    def _version_entry(self, bucket: str, v) -> Dict[str, Any]:
        """The listing entry of one version: _file_info's, named for the version."""
        name = bucket + "/" + v.key
        if v.versionid and v.versionid != "null":
            name += "?versionId=" + v.versionid
        return dict(self._file_info(bucket, v), name=name, VersionId=v.versionid, IsLatest=v.is_latest)

    def _file_versions(self, bucket: str, key: str) -> List[Dict[str, Any]]:
        versions, _ = self._list_versions(bucket, key, "/")
        return [self._version_entry(bucket, v) for v in versions if v.key == key]

    def _ls_versions(self, path: str) -> List[Dict[str, Any]]:
        bucket, key = self.split_path(path)
        prefix = key + "/" if key else ""
        versions, prefixes = self._list_versions(bucket, prefix, "/")
        entries = [self._dir_info(bucket + "/" + p.rstrip("/")) for p in prefixes]
        entries += [self._version_entry(bucket, v) for v in versions if v.key != prefix]
        if not entries and key and not any(v.key == prefix for v in versions):
            entries = self._file_versions(bucket, key)
            if not entries:
                raise FileNotFoundError(errno.ENOENT, "no such file or directory", path)
        return sorted(entries, key=lambda e: e["name"])

    def _head(self, bucket: str, key: str) -> Optional[Dict[str, Any]]:
        try:
            r = self._bucket(bucket).head_object(key)
        except exceptions.NotFound as e:
            if isinstance(e, exceptions.NoSuchBucket):
                raise _translate(e, bucket + "/" + key) from e
            return None
        except exceptions.OssError as e:
            raise _translate(e, bucket + "/" + key) from e
        info = self._head_info(bucket, key, r)
        if self.version_aware:
            info["VersionId"] = r.versionid
        return info

    @staticmethod
    def _head_info(bucket: str, key: str, r) -> Dict[str, Any]:
        return {"name": bucket + "/" + key, "size": r.content_length, "type": "file", "ETag": r.etag,
                "LastModified": r.last_modified, "object_type": r.object_type, "crc64": r.server_crc,
                "ContentType": r.content_type, "StorageClass": r.headers.get("x-oss-storage-class")}

    def info(self, path: str, **kwargs: Any) -> Dict[str, Any]:
        """As fsspec's info: name, size, type ("file" or "directory") and, for a file, ETag,
        LastModified (Unix seconds), ContentType, StorageClass, object_type and crc64 (from the
        listing cache, else one HEAD). A directory is a prefix with objects under it or a `key/`
        marker. Raises FileNotFoundError when neither an object nor a directory is there."""
        version_id = self._version(path, kwargs.get("version_id"))
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        if version_id:  # one version of a file (HEAD ?versionId)
            with _errors(path):
                r = self._bucket(bucket).head_object(key, params={"versionId": version_id})
            return dict(self._head_info(bucket, key, r), VersionId=r.versionid)
        if not bucket:
            return self._dir_info("")
        if not key:
            with _errors(bucket):
                self._bucket(bucket).list_objects(max_keys=1)  # NoSuchBucket -> FileNotFoundError
            return self._dir_info(bucket)
        if path in self.dircache:
            return self._dir_info(path)  # a listed directory
        cached = self._ls_from_cache(path)  # FileNotFoundError when the listed parent lacks it
        if cached and not (self.version_aware and cached[0]["type"] == "file"):
            return cached[0]  # (a listed file has no VersionId, which version_aware's info carries)
        info = self._head(bucket, key)
        if info is not None:
            return info
        objects, prefixes = self._list_one(bucket, key + "/")
        if objects or prefixes:
            return self._dir_info(path)
        raise FileNotFoundError(errno.ENOENT, "no such file or directory", path)

    def _list_one(self, bucket: str, prefix: str):
        with _errors(bucket + "/" + prefix):
            r = self._bucket(bucket).list_objects(prefix=prefix, delimiter="/", max_keys=1)
        return r.object_list, r.prefix_list

    def exists(self, path: str, **kwargs: Any) -> bool:
        """True when info(path) finds a file or a directory; other errors (PermissionError, ...)
        are raised."""
        try:
            self.info(path)
            return True
        except FileNotFoundError:
            return False

    def isdir(self, path: str) -> bool:
        """True for a bucket or a prefix that is a directory (see info)."""
        try:
            return self.info(path)["type"] == "directory"
        except FileNotFoundError:
            return False

    def find(self, path: str, maxdepth: Optional[int] = None, withdirs: bool = False, detail: bool = False,
             versions: bool = False, **kwargs: Any) -> Union[List[str], Dict[str, Dict[str, Any]]]:
        """One flat listing of everything under the prefix (no delimiter); directories are the
        keys' parents and the `key/` markers. With maxdepth, fsspec's walk (a listing a level).
        `versions=True` (version_aware) lists every version of each file, as ls does."""
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        if versions:
            self._need_versions()
        if maxdepth is not None or not bucket:
            if versions:
                kwargs["versions"] = True  # to ls, through fsspec's walk
            return super().find(path, maxdepth=maxdepth, withdirs=withdirs, detail=detail, **kwargs)
        prefix = key + "/" if key else ""
        objects, _ = self._list_versions(bucket, prefix, "") if versions else self._list(bucket, prefix, "")
        out: Dict[str, Dict[str, Any]] = {}
        dirs: Dict[str, Dict[str, Any]] = {}
        for o in objects:
            if o.key.endswith("/"):
                name = bucket + "/" + o.key.rstrip("/")
                if name != path:
                    dirs[name] = self._dir_info(name)
            else:
                entry = self._version_entry(bucket, o) if versions else self._file_info(bucket, o)
                out[entry["name"]] = entry
            parent = (bucket + "/" + o.key).rstrip("/").rsplit("/", 1)[0]
            while len(parent) > len(path):
                dirs.setdefault(parent, self._dir_info(parent))
                parent = parent.rsplit("/", 1)[0]
        if withdirs:
            out.update(dirs)
            if (objects or not key) and path:
                out[path] = self._dir_info(path)  # the root, as fsspec's find gives it (posix glob)
        if not out and key and versions:
            out = {e["name"]: e for e in self._file_versions(bucket, key)}
        elif not out and key:
            info = self._head(bucket, key)
            if info is not None:
                out[path] = info
        names = sorted(out)
        return {n: out[n] for n in names} if detail else names

    # --- reading -------------------------------------------------------------------------------

    def cat_file(self, path: str, start: Optional[int] = None, end: Optional[int] = None, **kwargs: Any) -> bytes:
        """The object's bytes; a whole object (or a large range) is fetched in parallel parts.
        `version_id` (version_aware) reads that version. A range is [start, end) as a Python
        slice takes it, read by the batch engine, which owns that rule (go/transfer.GetItem)."""
        version_id = self._version(path, kwargs.get("version_id"))
        path = self._strip_protocol(path)
        if start is not None or end is not None:
            got = self._get_many([path], [start], [end], [version_id])[0]
            if isinstance(got, Exception):
                raise got
            return got
        bucket, key = self.split_path(path)
        with _errors(path):
            params = {"versionId": version_id} if version_id else None
            return self._bucket(bucket).get_object(key, params=params).read()

    # --- many paths at once: the batch engine (pyjindo._batch, go/transfer/many.go) -----------

    def _session(self, paths: List[str]) -> Bucket:
        """The Bucket whose Go session runs a batch; items name their own buckets, so one session
        serves paths of several buckets of the same endpoint."""
        return self._bucket(self.split_path(paths[0])[0])

    @staticmethod
    def _outcome(result: Any, path: str) -> Any:
        """A batch item's result, or its pyjindo error as the builtin OSError (cause attached)."""
        if isinstance(result, exceptions.OssError):
            err = _translate(result, path)
            err.__cause__ = result
            return err
        return result

    def _get_many(self, paths: List[str], starts=None, ends=None, version_ids=None) -> List[Any]:
        """The bytes of each path (or range [start, end), None and negatives as in a Python
        slice), in order, with an OSError in place of a failed one. A path's version is
        version_ids[i], else the one it names (version_aware)."""
        if not paths:
            return []
        versions = [self._version(p, version_ids[i] if version_ids else None) for i, p in enumerate(paths)]
        ranges = list(zip(starts or [None] * len(paths), ends or [None] * len(paths))) if starts or ends else None
        got = _batch.get_many(self._session(paths), [self.split_path(p) for p in paths], ranges=ranges,
                              concurrency=self.batch_concurrency, version_ids=versions)
        return [self._outcome(r, p) for r, p in zip(got, paths)]

    def cat(self, path: Union[str, List[str]], recursive: bool = False, on_error: str = "raise",
            **kwargs: Any) -> Union[bytes, Dict[str, Any]]:
        """As fsspec's cat; the objects of a list (or an expansion) are fetched by the batch engine,
        batch_concurrency at once. on_error: "raise" raises the first failure (in path order),
        "omit" leaves failed paths out, "return" gives their exceptions as values."""
        if isinstance(path, str) and self._version(path, kwargs.get("version_id")):
            return self.cat_file(path, **kwargs)  # one version; "?" is no glob here
        versions = [self._strip_protocol(p) for p in path if self._version(p)] if isinstance(path, list) else []
        rest = [p for p in path if self._strip_protocol(p) not in versions] if versions else path
        paths = (self.expand_path(rest, recursive=recursive) if rest else []) + versions
        if len(paths) == 1 and not isinstance(path, list) and paths[0] == self._strip_protocol(path):
            return self.cat_file(paths[0], **kwargs)
        start, end = kwargs.pop("start", None), kwargs.pop("end", None)
        results = self._get_many(paths, [start] * len(paths), [end] * len(paths))
        return self._on_error(dict(zip(paths, results)), on_error)

    @staticmethod
    def _on_error(results: Dict[str, Any], on_error: str) -> Dict[str, Any]:
        if on_error == "return":
            return results
        if on_error == "raise":
            for r in results.values():
                if isinstance(r, Exception):
                    raise r
            return results
        return {p: r for p, r in results.items() if not isinstance(r, Exception)}

    def cat_ranges(self, paths: List[str], starts: Union[Optional[int], List[Optional[int]]],
                   ends: Union[Optional[int], List[Optional[int]]], max_gap: Optional[int] = None,
                   on_error: str = "return",
                   **kwargs: Any) -> List[Any]:
        """Byte ranges [start, end) of paths, fetched by the batch engine; on_error "return" puts
        each failure's exception in its place, anything else raises the first. Differs from
        fsspec: max_gap (merging nearby ranges) raises NotImplementedError: each range is a
        request of its own, all in flight together."""
        if max_gap is not None:
            raise NotImplementedError("max_gap is not supported")
        if not isinstance(paths, list):
            raise TypeError("paths must be a list")
        if not isinstance(starts, list):
            starts = [starts] * len(paths)
        if not isinstance(ends, list):
            ends = [ends] * len(paths)
        if len(starts) != len(paths) or len(ends) != len(paths):
            raise ValueError("paths, starts and ends must have the same length")
        paths = [self._strip_protocol(p) for p in paths]
        results = self._get_many(paths, starts, ends)
        if on_error != "return":
            for r in results:
                if isinstance(r, Exception):
                    raise r
        return results

    def sizes(self, paths: List[str]) -> List[int]:
        """The size of each path: files by one HEAD each, batch_concurrency at once (directories,
        which have no object, through info)."""
        paths = [self._strip_protocol(p) for p in paths]
        keyed = [i for i, p in enumerate(paths) if self.split_path(p)[1]]
        out: List[Any] = [None] * len(paths)
        if keyed:
            heads = _batch.head_many(self._session([paths[keyed[0]]]), [self.split_path(paths[i]) for i in keyed],
                                     concurrency=self.batch_concurrency)
            for i, h in zip(keyed, heads):
                if not isinstance(h, exceptions.OssError):
                    out[i] = h.content_length
        return [self.size(p) if s is None else s for p, s in zip(paths, out)]

    def get_file(self, rpath: str, lpath: str, callback: Any = None, outfile: Any = None, **kwargs: Any) -> None:
        """Download to a temporary file beside lpath, renamed over it when complete and verified;
        large objects come in parallel parts."""
        version_id = self._version(rpath, kwargs.get("version_id"))
        if getattr(self._collect, "pairs", None) is not None and not version_id:
            self._collect.pairs.append((rpath, lpath))
            return
        rpath = self._strip_protocol(rpath)
        bucket, key = self.split_path(rpath)
        if os.path.isdir(lpath):
            return
        parent = os.path.dirname(os.path.abspath(lpath))
        os.makedirs(parent, exist_ok=True)
        try:
            with _errors(rpath):
                self._bucket(bucket).get_object_to_file(
                    key, lpath, params={"versionId": version_id} if version_id else None)
        except FileNotFoundError:
            if key and self.isdir(rpath):
                os.makedirs(lpath, exist_ok=True)
                return
            raise

    def _collected(self, expand, *args, **kwargs) -> List[tuple]:
        """fsspec's get/put expand the paths and name the targets, then call get_file/put_file
        once per pair: collect the pairs instead, to send them as one batch."""
        pairs: List[tuple] = []
        self._collect.pairs = pairs
        try:
            expand(*args, **kwargs)
        finally:
            self._collect.pairs = None
        return pairs

    def get(self, rpath: Union[str, List[str]], lpath: Union[str, List[str]], recursive: bool = False,
            callback: Any = None, maxdepth: Optional[int] = None, **kwargs: Any) -> None:
        """fsspec's get (its expansion and naming of the targets), with the downloads sent to the
        batch engine (each through a temporary file renamed over the target when complete). A
        path naming a version (version_aware) is that one object."""
        if isinstance(rpath, str) and self._version(rpath):
            # one version, which fsspec's expansion would take for a glob ("?"): to lpath, or
            # into it when it is a directory, as fsspec names a single file's target
            if str(lpath).endswith(os.sep) or os.path.isdir(lpath):
                lpath = os.path.join(lpath, self.split_path(rpath)[1].rsplit("/", 1)[-1])
            return self.get_file(rpath, lpath)
        pairs = self._collected(super().get, rpath, lpath, recursive=recursive, maxdepth=maxdepth, **kwargs)
        files = [(self._strip_protocol(r), l) for r, l in pairs if not os.path.isdir(l)]
        if not files:
            return
        results = _batch.get_many_to_files(self._session([files[0][0]]), [self.split_path(r) for r, _ in files],
                                           [os.path.abspath(l) for _, l in files], concurrency=self.batch_concurrency)
        for (r, l), result in zip(files, results):
            err = self._outcome(result, r)
            if not isinstance(err, OSError):
                continue
            if isinstance(err, FileNotFoundError) and self.split_path(r)[1] and self.isdir(r):
                os.makedirs(l, exist_ok=True)  # a directory: no object, but its place locally
                continue
            raise err

    # --- writing -------------------------------------------------------------------------------

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        """PutObject (a parallel multipart upload at multipart_threshold or more); mode="create"
        sends x-oss-forbid-overwrite, so an existing object raises FileExistsError atomically."""
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        headers = dict(_FORBID_OVERWRITE) if mode == "create" else None
        with _errors(path):
            self._bucket(bucket).put_object(key, value, headers=headers)
        self.invalidate_cache(path)

    def put_file(self, lpath: str, rpath: str, callback: Any = None, mode: str = "overwrite",
                 **kwargs: Any) -> None:
        """PutObject from the file (a parallel multipart upload at multipart_threshold or more)."""
        if getattr(self._collect, "pairs", None) is not None:
            self._collect.pairs.append((lpath, rpath, mode))
            return
        rpath = self._strip_protocol(rpath)
        bucket, key = self.split_path(rpath)
        if os.path.isdir(lpath):
            if key:
                self.mkdir(rpath)  # an empty directory stays, as a `key/` marker
            return
        headers = dict(_FORBID_OVERWRITE) if mode == "create" else None
        with _errors(rpath):
            self._bucket(bucket).put_object_from_file(key, lpath, headers=headers)
        self.invalidate_cache(rpath)

    def put(self, lpath: Union[str, List[str]], rpath: Union[str, List[str]], recursive: bool = False,
            callback: Any = None, maxdepth: Optional[int] = None, **kwargs: Any) -> None:
        """fsspec's put, with the uploads sent to the batch engine; directories become `key/`
        markers, mode="create" refuses existing objects (FileExistsError)."""
        pairs = self._collected(super().put, lpath, rpath, recursive=recursive, maxdepth=maxdepth, **kwargs)
        files, keys, headers = [], [], []
        for lp, rp, mode in pairs:
            rp = self._strip_protocol(rp)
            if os.path.isdir(lp):
                if self.split_path(rp)[1]:
                    self.mkdir(rp)  # an empty directory stays, as a `key/` marker
                continue
            files.append(rp)
            keys.append(lp)
            headers.append(dict(_FORBID_OVERWRITE) if mode == "create" else None)
        if not files:
            return
        results = _batch.put_many_from_files(self._session(files), keys, [self.split_path(p) for p in files],
                                             headers=headers, concurrency=self.batch_concurrency)
        for p in files:
            self.invalidate_cache(p)
        for p, result in zip(files, results):
            err = self._outcome(result, p)
            if isinstance(err, OSError):
                raise err

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """A server-side copy: CopyObject, or UploadPartCopy in parallel parts above 1 GiB. A
        source naming a version (version_aware, as s3fs) copies that version."""
        version_id = self._version(path1)
        path1, path2 = self._strip_protocol(path1), self._strip_protocol(path2)
        b1, k1 = self.split_path(path1)
        b2, k2 = self.split_path(path2)
        if not k1:
            raise IsADirectoryError(errno.EISDIR, "cannot copy a bucket", path1)
        info = self.info(path1)
        if info["type"] == "directory":
            if k2:
                self.mkdir(path2)  # its files are copied one by one by copy()
            return
        target = self._bucket(b2)
        with _errors(path2):
            if info["size"] <= MULTIPART_COPY_THRESHOLD:
                target.copy_object(b1, k1, k2, params={"versionId": version_id} if version_id else None)
            else:
                self._multipart_copy(target, b1, k1, k2, version_id)
        self.invalidate_cache(path2)

    def copy(self, path1: Union[str, List[str]], path2: Union[str, List[str]], recursive: bool = False,
             maxdepth: Optional[int] = None, on_error: Optional[str] = None,
             **kwargs: Any) -> None:
        """As fsspec's copy; a source naming a version (version_aware) is that one object, which
        fsspec would take for a glob ("?"): copied to path2, or into it when it is a directory."""
        if isinstance(path1, str) and self._version(path1):
            name = self.split_path(path1)[1].rsplit("/", 1)[-1]
            if str(path2).endswith("/") or self.isdir(path2):
                path2 = self._strip_protocol(path2) + "/" + name
            return self.cp_file(path1, path2, **kwargs)
        return super().copy(path1, path2, recursive=recursive, maxdepth=maxdepth, on_error=on_error, **kwargs)

    def _multipart_copy(self, target: Bucket, src_bucket: str, src_key: str, key: str,
                        version_id: Optional[str]) -> None:
        """UploadPartCopy parts of _COPY_PART, `concurrency` at once, in Go (transfer.CopyMultipart:
        the source's headers carried over, every part pinned to its ETag, aborted on failure)."""
        target._call(_ops.COPY_MULTIPART, {"src_bucket": src_bucket, "src_key": src_key,
                                         "src_version_id": version_id or "", "bucket": target.bucket_name,
                                         "key": key, "overwrite": True, "part_size": _COPY_PART,
                                         "concurrency": self.concurrency})

    def rm_file(self, path: str) -> None:
        """DeleteObject; a path naming a version (version_aware) deletes that version for good.
        A missing object is no error (OSS answers 204)."""
        version_id = self._version(path)
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        with _errors(path):
            self._bucket(bucket).delete_object(key, params={"versionId": version_id} if version_id else None)
        self.invalidate_cache(path)

    def rm(self, path: Union[str, List[str]], recursive: bool = False, maxdepth: Optional[int] = None) -> None:
        """Batch deletes (1,000 keys a request, several requests at once, in Go); a directory's
        `key/` marker goes with it."""
        self._delete_paths(self.expand_path(path, recursive=recursive, maxdepth=maxdepth))

    def _delete_paths(self, paths: List[str]) -> None:
        by_bucket: Dict[str, List[str]] = {}
        for p in paths:
            bucket, key = self.split_path(p)
            if key:
                by_bucket.setdefault(bucket, []).extend([key, key + "/"])
        try:
            for bucket, keys in by_bucket.items():
                with _errors(bucket):
                    _batch.delete_many(self._bucket(bucket), keys)
        finally:
            for p in paths:
                self.invalidate_cache(p)

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        """A bucket path creates the bucket (kwargs: acl as `x-oss-acl`); a deeper path writes the
        `key/` marker, so an empty directory exists (ossfs does the same)."""
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        if not key:
            with _errors(bucket):
                self._bucket(bucket).create_bucket(kwargs.get("acl"))
            self.invalidate_cache("")
            return
        if not create_parents and not self.exists(self._parent(path)):
            raise FileNotFoundError(errno.ENOENT, "parent directory does not exist", path)
        with _errors(path):
            self._bucket(bucket).put_object(key + "/", b"")
        self.invalidate_cache(path)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        """mkdir, making the bucket first when it does not exist; FileExistsError when the path
        exists and exist_ok is False."""
        path = self._strip_protocol(path)
        if self.exists(path):
            if not exist_ok:
                raise FileExistsError(errno.EEXIST, "exists", path)
            return
        bucket, key = self.split_path(path)
        if key and not self.exists(bucket):
            self.mkdir(bucket)
        self.mkdir(path)

    def rmdir(self, path: str) -> None:
        """A bucket path deletes the bucket (OSError ENOTEMPTY when it has objects); a deeper
        path deletes its `key/` marker, OSError ENOTEMPTY when anything is under it."""
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        if not key:
            with _errors(bucket):
                self._bucket(bucket).delete_bucket()
            self._buckets.pop(bucket, None)  # and with it the Go session
            self.invalidate_cache("")
            return
        if self.ls(path, refresh=True):
            raise OSError(errno.ENOTEMPTY, "directory not empty", path)
        with _errors(path):
            self._bucket(bucket).delete_object(key + "/")
        self.invalidate_cache(path)

    def invalidate_cache(self, path: Optional[str] = None) -> None:
        """Forget the cached listings of path and its parents (all of them when path is None)."""
        if path is None:
            self.dircache.clear()
            return
        path = self._strip_protocol(path)
        self.dircache.pop(path, None)
        while path:
            path = self._parent(path)
            self.dircache.pop(path, None)

    # --- metadata ------------------------------------------------------------------------------

    def modified(self, path: str) -> datetime.datetime:
        """The object's Last-Modified, in UTC; IsADirectoryError for a directory."""
        info = self.info(path)
        if info["type"] != "file":
            raise IsADirectoryError(errno.EISDIR, "directories have no time", path)
        return _mtime(info["LastModified"])

    def created(self, path: str) -> datetime.datetime:
        """OSS keeps no creation time apart from the write that made the object: its Last-Modified."""
        return self.modified(path)

    def checksum(self, path: str) -> int:
        """The object's CRC64 (ECMA) when OSS has one, else an integer from its ETag."""
        info = self.info(path)
        crc = info.get("crc64")
        if crc is None and info["type"] == "file":
            crc = self._head(*self.split_path(self._strip_protocol(path)))["crc64"]
        if crc is not None:
            return int(crc)
        return int.from_bytes(str(info.get("ETag", info["name"])).encode(), "big") % (1 << 64)

    def ukey(self, path: str) -> str:
        """A string that changes when the object does: its ETag, size and Last-Modified."""
        info = self.info(path)
        return "%s-%s-%s" % (info.get("ETag"), info.get("size"), info.get("LastModified"))

    def sign(self, path: str, expiration: int = 100, **kwargs: Any) -> str:
        """A presigned GET URL (kwargs as Bucket.sign_url's: method, headers, params)."""
        path = self._strip_protocol(path)
        bucket, key = self.split_path(path)
        method = kwargs.pop("method", "GET")
        with _errors(path):
            return self._bucket(bucket).sign_url(method, key, expiration, **kwargs)

    # --- file objects --------------------------------------------------------------------------

    def open(self, path: str, mode: str = "rb", block_size: Optional[int] = None,
             cache_options: Optional[Dict[str, Any]] = None, compression: Optional[str] = None,
             **kwargs: Any) -> Any:
        """As fsspec's open. A file opened for writing ("wb", "xb", and "w"/"x" as text, with or
        without compression) publishes its object only on close(): see OSSFile."""
        if "r" in mode:
            return super().open(path, mode, block_size=block_size, cache_options=cache_options,
                                compression=compression, **kwargs)
        text = None if "b" in mode else {k: kwargs.pop(k) for k in ("encoding", "errors", "newline") if k in kwargs}
        f = super().open(path, mode.replace("t", "").replace("b", "") + "b", block_size=block_size,
                         cache_options=cache_options, **kwargs)
        compression = get_compression(self._strip_protocol(path), compression)
        if compression is not None:
            f = _CompressedWriter(f, compression)
        return f if text is None else _TextWriter(f, **text)

    def _open(self, path: str, mode: str = "rb", block_size=None, autocommit: bool = True,
              cache_options=None, **kwargs: Any):
        kwargs["version_id"] = self._version(path, kwargs.get("version_id"))
        if kwargs["version_id"] and mode != "rb":
            raise ValueError("a version can only be opened for reading")
        if mode == "xb" and self.exists(path):
            raise FileExistsError(errno.EEXIST, "exists", self._strip_protocol(path))
        return OSSFile(self, path, mode, block_size=block_size or self.blocksize, autocommit=autocommit,
                       cache_options=cache_options, **kwargs)


def _coroutine_of(name: str) -> Any:
    """OSSFileSystem's method `name` as a coroutine function: run on pyjindo.aio's Bucket, each
    request it makes is awaited (pyjindo.aio's replay), the rest of it is the same code."""
    return aio.coroutine_function(getattr(OSSFileSystem, name))


class AsyncOSSFileSystem(OSSFileSystem, AsyncFileSystem):
    """OSSFileSystem(asynchronous=True): fsspec's AsyncFileSystem coroutines (`_cat_file`,
    `_pipe_file`, `_get_file`, `_put_file`, `_info`, `_ls`, `_rm_file`, `_rm`, `_find`, ... and
    fsspec's `_cat`, `_cat_ranges`, `_get`, `_put` over them) on pyjindo.aio: no thread per
    request, up to 100 in flight on the running loop (_completion.DEFAULT_CONNECTIONS, as many as
    its buckets pool). Each is OSSFileSystem's method of the same name, so results and errors are
    the same; operations on many paths go through fsspec's gather of the single-path ones rather
    than the batch engine. Used through its coroutines, as fsspec's asynchronous filesystems are:
    its file objects (open) would make blocking calls and refuse to (an OSError saying so); a
    synchronous OSSFileSystem has them."""

    _bucket_class = aio.Bucket
    _service_class = aio.Service

    _info = _coroutine_of("info")
    _ls = _coroutine_of("ls")
    _exists = _coroutine_of("exists")
    _isdir = _coroutine_of("isdir")
    _cat_file = _coroutine_of("cat_file")
    _pipe_file = _coroutine_of("pipe_file")
    _get_file = _coroutine_of("get_file")
    _put_file = _coroutine_of("put_file")
    _cp_file = _coroutine_of("cp_file")
    _rm_file = _coroutine_of("rm_file")
    _mkdir = _coroutine_of("mkdir")
    _makedirs = _coroutine_of("makedirs")
    _rmdir = _coroutine_of("rmdir")
    _modified = _coroutine_of("modified")
    _checksum = _coroutine_of("checksum")
    _sign = _coroutine_of("sign")
    _delete_paths_async = _coroutine_of("_delete_paths")
    _flat_find = _coroutine_of("find")

    async def _find(self, path: str, maxdepth: Optional[int] = None, withdirs: bool = False, **kwargs: Any) -> Any:
        if maxdepth is not None or not self.split_path(path)[0]:
            # fsspec's walk, a listing a level (OSSFileSystem.find hands these to it too)
            return await AsyncFileSystem._find(self, path, maxdepth=maxdepth, withdirs=withdirs, **kwargs)
        return await self._flat_find(path, withdirs=withdirs, **kwargs)

    async def _rm(self, path: Any, recursive: bool = False, maxdepth: Optional[int] = None, **kwargs: Any) -> None:
        await self._delete_paths_async(await self._expand_path(path, recursive=recursive, maxdepth=maxdepth))


class OSSFile(AbstractBufferedFile):
    """A file on OSS, with fsspec's file API.

    "rb": pyjindo._reader.ObjectReader, Go's seekable reader pinned to the ETag seen at open
    (one HEAD): read from the start, the object streams in parallel ranged parts; after a seek
    it fetches small segments that double as reading runs on, so random reads (parquet footers)
    fetch little they do not use. fsspec's caches stay available through cache_type.

    "wb"/"xb": pyjindo._writer.ObjectWriter, a multipart upload streamed part by part (parts of
    block_size, at least 100 KiB, uploaded in parallel in Go), completed by close(): nothing is
    visible under the key until then, and a file that never fills a part is one PutObject. The
    upload is aborted (no object, no multipart upload left) when the `with` block exits by an
    exception (KeyboardInterrupt too), when the file is garbage collected without close() (a
    process ending on an uncaught exception drops its files so), on discard(), and when a part
    fails; the same through the `with` blocks of `fsspec.open(...)` and of pandas' writers,
    which call close() however they end (see _closing_exception), and through open()'s
    compression and text layers. "xb" completes with x-oss-forbid-overwrite, so an object
    created meanwhile is never replaced (FileExistsError).

    This differs from fsspec's AbstractBufferedFile, and so from s3fs and ossfs: there both an
    exception in the `with` block and garbage collection close the file, which publishes
    whatever was written so far as the whole object. Here only close() (or a `with` block that
    ends normally) publishes, except that a close() called by fsspec's OpenFile or pandas while
    an exception ends their `with` block aborts."""

    closed: bool  # fsspec's property, untyped there

    def __init__(self, fs: OSSFileSystem, path: str, mode: str = "rb", block_size: Optional[int] = None,
                 autocommit: bool = True, cache_type: str = "none", cache_options: Optional[Dict[str, Any]] = None,
                 size: Optional[int] = None, version_id: Optional[str] = None,
                 **kwargs: Any) -> None:
        path = fs._strip_protocol(path)
        bucket, key = fs.split_path(path)
        if not key:
            raise ValueError("a file needs a key: %r" % path)
        if mode not in ("rb", "wb", "xb"):
            raise NotImplementedError("file mode %r is not supported (OSS objects cannot be appended to here)" % mode)
        self.bucket, self.key = fs._bucket(bucket), key
        self._reader: Optional[ObjectReader] = None
        self._writer: Optional[ObjectWriter] = None
        block_size = block_size or fs.blocksize
        with _errors(path):
            if mode == "rb":
                self._reader = ObjectReader(self.bucket, key, version_id=version_id)
                size = self._reader.size
            else:
                self._writer = ObjectWriter(self.bucket, key, part_size=max(int(block_size), MIN_PART_SIZE),
                                            forbid_overwrite=mode == "xb")
        super().__init__(fs, path, mode, block_size=block_size, autocommit=autocommit, cache_type=cache_type,
                         cache_options=cache_options, size=size, **kwargs)
        if self._reader is not None:
            self._details = OSSFileSystem._head_info(bucket, key, self._reader.info)

    def _fetch_range(self, start: int, end: int) -> bytes:
        with _errors(self.path):
            self._reader.seek(start)
            return self._reader.read(end - start)

    def write(self, data: Union[bytes, bytearray, memoryview]) -> int:
        """Hand the bytes to the writer: each full part goes up in the background."""
        if not self.writable():
            raise ValueError("File not in write mode")
        with _errors(self.path):
            n = self._writer.write(data)
        self.loc += n
        return n

    def flush(self, force: bool = False) -> None:
        """Nothing to send early: OSS parts have a minimum size, so a part goes up when full and
        the rest at close()."""
        if self.closed:
            raise ValueError("Flush on closed file")

    def discard(self) -> None:
        """Abort the upload: nothing is created and no part is left. The file is closed even
        when the abort fails (the OSError raised then has the failure as its __cause__).
        Nothing to do once closed."""
        if self.closed:
            return
        try:
            if self._writer is not None:
                with _errors(self.path):
                    self._writer.abort()
        finally:
            self.closed = True

    def commit(self) -> None:
        """Nothing: close() completes the upload, whatever autocommit was given."""

    def close(self) -> None:
        """The one call that publishes. For "wb"/"xb": send the last part and complete the upload,
        so the object appears under the key whole, at once (a small file: one PutObject); on a
        failure the upload is aborted, nothing is published, and the error is raised as an
        OSError (FileExistsError for "xb" over an object created meanwhile). Called by fsspec's
        OpenFile or pandas while an exception ends their `with` block (see _closing_exception),
        it aborts the upload instead. For "rb": release the reader. Closing again does nothing."""
        if self.closed:
            return
        if self._reader is not None:
            try:
                super().close()
            finally:
                self._reader.close()
            return
        exc_type = _closing_exception(self)
        if exc_type is not None:
            _discard_for(self, exc_type)
            return
        try:
            with _errors(self.path):
                self._writer.close()  # completes (or aborts on failure)
        finally:
            self.closed = True
            self.fs.invalidate_cache(self.path)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and self._writer is not None and not self.closed:
            _discard_for(self, exc_type)  # never complete an upload cut short by an exception
            return None
        return super().__exit__(exc_type, exc, tb)

    def __del__(self):
        # Not fsspec's __del__, which calls close(): completing an upload nobody closed would
        # publish a truncated object.
        try:
            if getattr(self, "closed", True):
                return
            if getattr(self, "_writer", None) is None:
                self.close()  # a reader: nothing to publish
                return
            self._drop()
        except Exception:
            pass

    def _drop(self) -> None:
        """Abort without waiting, for finalizers: freeing the writer aborts the upload."""
        self.closed = True
        self._writer._drop()


class _TextWriter(io.TextIOWrapper):
    """A text file opened for writing: TextIOWrapper over an OSSFile (or a _CompressedWriter)
    that keeps its promise, aborting on an exception in the `with` block or garbage collection
    without close(), where TextIOWrapper would close (publish)."""

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            _discard_for(self._file, exc_type)
            return None
        return super().__exit__(exc_type, exc, tb)

    @property
    def _file(self) -> Any:
        return self.buffer  # an OSSFile or a _CompressedWriter

    def __del__(self):
        try:
            if not self.closed:
                self._file._drop()
        except Exception:
            pass


class _CompressedWriter(io.BufferedIOBase):
    """A file opened for writing with compression=: fsspec's compressor (GzipFile, BZ2File,
    LZMAFile, a zip entry, ...) over an OSSFile. fsspec returns the compressor itself, whose
    close() leaves a file it was given open, so the OSSFile was collected unclosed and nothing
    was published. Here close() ends the compressed stream, then closes (publishes) the OSSFile;
    an exception in the `with` block, discard() or garbage collection abort it as OSSFile does."""

    def __init__(self, file: OSSFile, compression: str) -> None:
        super().__init__()
        self._file = file
        self.path = file.path
        self._gate = _Gate(file)
        self._done = False
        try:
            self._compressor = compr[compression](self._gate, mode=file.mode[0])
        except BaseException:
            abort_after(file.discard, None, file.path)
            raise

    @property
    def closed(self) -> bool:
        return getattr(self, "_done", True)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self._compressor.write(data)

    def flush(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        self._compressor.flush()

    def tell(self) -> int:
        """Uncompressed bytes written so far."""
        return self._compressor.tell()

    def close(self) -> None:
        """End the compressed stream and publish the object; if ending the stream fails, the
        upload is aborted and the error raised."""
        if self.closed:
            return
        self._done = True
        try:
            self._compressor.close()
        except BaseException:
            self._gate.shut = True
            abort_after(self._file.discard, None, self.path)
            raise
        self._file.close()

    def discard(self) -> None:
        """Abort the upload (nothing is published); the compressed stream is dropped unfinished."""
        if self.closed:
            return
        self._done = True
        self._gate.shut = True
        try:
            self._file.discard()
        finally:
            self._compressor.close()

    def _drop(self) -> None:
        """discard() without waiting, for finalizers: the OSSFile's writer is freed (aborting)."""
        self._done = True
        self._gate.shut = True
        self._file._drop()
        self._compressor.close()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            _discard_for(self, exc_type)
            return None
        self.close()
        return None

    def __del__(self):
        try:
            if not self.closed:
                self._drop()
        except Exception:
            pass


class _Gate(object):
    """What a compressor writes into: the OSSFile, until the upload is discarded; then nothing,
    so that the compressor can still be closed (and its finalizer find nothing to do) without
    writing into a closed file."""

    def __init__(self, file: OSSFile) -> None:
        self._file = file
        self.shut = False

    def write(self, data) -> int:
        return len(data) if self.shut else self._file.write(data)

    def flush(self) -> None:
        if not self.shut:
            self._file.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def _exit_exception(frame: Any) -> Any:
    """The exception type an `__exit__` frame was called with (None for a normal exit),
    whether it spells its arguments out or takes *args."""
    code = frame.f_code
    if code.co_argcount > 1:
        return frame.f_locals.get(code.co_varnames[1])
    if code.co_flags & 0x04:  # CO_VARARGS
        args = frame.f_locals.get(code.co_varnames[code.co_argcount + code.co_kwonlyargcount]) or (None,)
        return args[0]
    return None


#: Context managers whose __exit__ closes the files they hold however their `with` block ended:
#: (module, class, the attribute listing those files). fsspec.open(...) in a `with` statement,
#: and pandas' writers (to_csv, to_json, ...) through IOHandles (and, before it exists,
#: get_handle's own cleanup: see _closing_exception).
_CLOSERS = (("fsspec.core", "OpenFile", "fobjects"), ("pandas.io.common", "IOHandles", "created_handles"))


def _discard_for(file: Any, exc_type: Any) -> None:
    """file.discard() as exc_type ends a `with` block (_writer.abort_after's rules)."""
    abort_after(file.discard, exc_type, file.path)


def _closing_exception(file: OSSFile) -> Any:
    """The exception type (None: none) with which one of _CLOSERS's __exit__ is closing `file`
    because an exception ended its `with` block: then its close() aborts, as leaving OSSFile's
    own `with` block by an exception does. A close() anywhere else (an except or finally block
    included) publishes."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "__exit__":
            owner = frame.f_locals.get("self")
            for module, name, attr in _CLOSERS:
                cls = getattr(sys.modules.get(module), name, None)
                if cls is not None and isinstance(owner, cls) and any(f is file for f in getattr(owner, attr, ())):
                    return _exit_exception(frame)
        elif code.co_name == "get_handle" and frame.f_globals.get("__name__") == "pandas.io.common":
            # pandas closes what it opened in a `finally` when setting up its handle failed
            # (`completed` still False); no exception is being handled there to look at.
            args = frame.f_locals.get("ioargs")
            if frame.f_locals.get("completed") is False and getattr(args, "filepath_or_buffer", None) is file:
                return Exception
        frame = frame.f_back
    return None
