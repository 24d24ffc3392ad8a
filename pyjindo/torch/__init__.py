"""PyTorch datasets and checkpoints on OSS, with osstorchconnector's API.

`from pyjindo.torch import OssMapDataset, OssIterableDataset, OssCheckpoint` replaces
`from osstorchconnector import ...`: the same constructors (`from_prefix`, `from_objects`,
`from_manifest_file`), arguments and defaults, items with `.key`, `.size`, `.label`, `.read()`.
Credentials come from `cred_path` (osstorchconnector's JSON file, re-read by the Go core when it
changes), from `cred_provider`, from `auth=` (any pyjindo auth or credentials provider), or else
from the credentials chain (the environment, ~/.ossutilconfig, the ECS RAM role, RRSA); finding
none raises CredentialsError when the dataset or checkpoint is made. `anon=True` (not in
osstorchconnector; pyjindo.fs's name) sends unsigned requests, for public-read buckets.

Importing pyjindo does not import this package (nor torch); importing this package imports torch.
Its modules are loaded when one of their names is first used: `datasets` (OssMapDataset,
OssIterableDataset, OssDataObject), `checkpoint` (OssCheckpoint), `dcp` (OssDCPFileSystem,
OssStorageWriter, OssStorageReader, and torch.distributed.checkpoint with them); `_client` holds
what they share (credentials, the per-process Buckets, listings, batches, parse_oss_uri).
"""
import importlib
from typing import TYPE_CHECKING, Any, List

try:
    import torch  # noqa: F401
except ModuleNotFoundError as e:  # the bare error would not say what to install
    if e.name != "torch":
        raise  # torch is there but broken: its own error says more
    raise ModuleNotFoundError("pyjindo.torch needs PyTorch, which is not installed: pip install torch "
                              "(or pip install 'pyjindo[torch]')", name="torch") from e

__all__ = ["OssMapDataset", "OssIterableDataset", "OssCheckpoint", "OssDataObject", "OssDCPFileSystem",
           "OssStorageWriter", "OssStorageReader", "parse_oss_uri", "imagenet_manifest_parser"]

# Where each public name lives; a module is imported the first time one of its names is asked for.
_MODULES = {
    "OssMapDataset": "datasets", "OssIterableDataset": "datasets", "OssDataObject": "datasets",
    "imagenet_manifest_parser": "datasets", "identity": "datasets", "DEFAULT_PREFETCH": "datasets",
    "OssCheckpoint": "checkpoint", "READ_BUFFER": "checkpoint", "READ_TAIL": "checkpoint",
    "CHECKPOINT_CONCURRENCY": "checkpoint",
    "OssDCPFileSystem": "dcp", "OssStorageWriter": "dcp", "OssStorageReader": "dcp",
    "parse_oss_uri": "_client", "LIST_PAGE": "_client",
}

if TYPE_CHECKING:
    from ._client import LIST_PAGE, parse_oss_uri  # noqa: F401
    from .checkpoint import CHECKPOINT_CONCURRENCY, READ_BUFFER, READ_TAIL, OssCheckpoint  # noqa: F401
    from .datasets import (DEFAULT_PREFETCH, OssDataObject, OssIterableDataset, OssMapDataset,  # noqa: F401
                           identity, imagenet_manifest_parser)
    from .dcp import OssDCPFileSystem, OssStorageReader, OssStorageWriter  # noqa: F401


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError("module {0!r} has no attribute {1!r}".format(__name__, name))
    return getattr(importlib.import_module("." + module, __name__), name)


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_MODULES))
