"""torch.distributed.checkpoint on OSS, as osstorchconnector's OssDCPFileSystem,
OssStorageWriter and OssStorageReader: each file DCP writes is an object streamed as
OssCheckpoint's writer streams it."""
import io
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List, Union

from torch.distributed.checkpoint.filesystem import FileSystemBase, FileSystemReader, FileSystemWriter

from ..api import DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE
from ._client import parse_oss_uri
from .checkpoint import OssCheckpoint


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
                 region: str = "", *, auth: Any = None, anon: bool = False, part_size: int = DEFAULT_PART_SIZE,
                 concurrency: int = DEFAULT_CONCURRENCY) -> None:
        self._checkpoint = OssCheckpoint(endpoint, cred_path, config_path, cred_provider, region, auth=auth,
                                         anon=anon, part_size=part_size, concurrency=concurrency)
        self._client = self._checkpoint._client

    @contextmanager
    def create_stream(self, path: Union[str, os.PathLike], mode: str) -> Iterator[io.IOBase]:
        """A context manager giving OssCheckpoint's writer ("wb": the object appears when the
        block ends, and not at all on an exception) or reader ("rb"); ValueError for other modes."""
        if mode == "wb":
            with self._checkpoint.writer(_path(path)) as stream:
                yield stream
        elif mode == "rb":
            with self._checkpoint.reader(_path(path)) as stream:
                yield stream
        else:
            raise ValueError("Invalid mode argument: only rb/wb are supported")

    def concat_path(self, path: Union[str, os.PathLike], suffix: str) -> str:
        """path/suffix."""
        return _path(path).rstrip("/") + "/" + suffix

    def init_path(self, path: Union[str, os.PathLike], *args: Any, **kwargs: Any) -> Union[str, os.PathLike]:
        """The path as given: OSS URIs need no preparing."""
        return path

    def rename(self, old_path: Union[str, os.PathLike], new_path: Union[str, os.PathLike]) -> None:
        """A server-side copy then a delete (Bucket.rename); ValueError across buckets."""
        old_bucket, old_key = parse_oss_uri(_path(old_path))
        new_bucket, new_key = parse_oss_uri(_path(new_path))
        if old_bucket != new_bucket:
            raise ValueError("rename across buckets is not supported")
        self._client.bucket(old_bucket).rename(old_key, new_key)

    def mkdir(self, path: Union[str, os.PathLike]) -> None:
        """Nothing: a prefix needs no directory object."""

    def exists(self, path: Union[str, os.PathLike]) -> bool:
        """True when the object exists (one HEAD)."""
        bucket, key = parse_oss_uri(_path(path))
        return self._client.bucket(bucket).object_exists(key)

    def rm_file(self, path: Union[str, os.PathLike]) -> None:
        """Delete the object."""
        bucket, key = parse_oss_uri(_path(path))
        self._client.bucket(bucket).delete_object(key)

    def ls(self, path: Union[str, os.PathLike]) -> List[str]:
        """The oss:// URIs of every object under the path, as a prefix (recursively)."""
        bucket, prefix = parse_oss_uri(_path(path).rstrip("/") + "/")
        return ["oss://%s/%s" % (bucket, key) for key, _ in self._client.list(bucket, prefix)]

    @classmethod
    def validate_checkpoint_id(cls, checkpoint_id: Union[str, os.PathLike]) -> bool:
        """True for a pathlib.Path or a string parse_oss_uri accepts."""
        if isinstance(checkpoint_id, Path):
            return True
        try:
            parse_oss_uri(_path(checkpoint_id))
        except ValueError:
            return False
        return True

    def writer(self, path: str, **kwargs: Any) -> "OssStorageWriter":
        """A DCP StorageWriter under path (kwargs: FileSystemWriter's)."""
        return OssStorageWriter(self, path, **kwargs)

    def reader(self, path: str) -> "OssStorageReader":
        """A DCP StorageReader of the checkpoint under path."""
        return OssStorageReader(self, path)


class OssStorageWriter(FileSystemWriter):
    """A DCP StorageWriter onto OSS: torch's FileSystemWriter with OssDCPFileSystem underneath."""

    def __init__(self, fs: OssDCPFileSystem, path: str, **kwargs: Any) -> None:
        kwargs.setdefault("sync_files", False)
        super().__init__(path=path, **kwargs)
        self.fs = fs
        self.path = fs.init_path(path)

    @classmethod
    def validate_checkpoint_id(cls, checkpoint_id: Union[str, os.PathLike]) -> bool:
        """As OssDCPFileSystem.validate_checkpoint_id."""
        return OssDCPFileSystem.validate_checkpoint_id(checkpoint_id)


class OssStorageReader(FileSystemReader):
    """A DCP StorageReader from OSS: torch's FileSystemReader with OssDCPFileSystem underneath."""

    def __init__(self, fs: OssDCPFileSystem, path: str) -> None:
        super().__init__(path)
        self.fs = fs
        self.path = fs.init_path(path)

    @classmethod
    def validate_checkpoint_id(cls, checkpoint_id: Union[str, os.PathLike]) -> bool:
        """As OssDCPFileSystem.validate_checkpoint_id."""
        return OssDCPFileSystem.validate_checkpoint_id(checkpoint_id)
