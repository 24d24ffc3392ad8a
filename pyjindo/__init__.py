"""pyjindo: a fast, drop-in replacement for oss2 with a Go core. `import pyjindo as oss2`."""
import logging
from typing import Optional

from . import _binding, compat, crc64_combine, defaults, exceptions, headers, http, models, utils
from ._version import __version__
from .api import Bucket, Service
from .auth import (AUTH_VERSION_1, AUTH_VERSION_2, AUTH_VERSION_4, AnonymousAuth, Auth, AuthV2, AuthV4,
                   ProviderAuth, ProviderAuthV2, ProviderAuthV4, StsAuth, make_auth)
from .compat import to_bytes, to_string, to_unicode, urlparse, urlquote, urlunquote
from ._unsupported import LiveChannelIterator
from . import crypto
from .crypto import AliKMSProvider, EncryptionMaterials, LocalRsaProvider, RsaProvider
from .crypto_bucket import CryptoBucket
from .credentials import (CredentialsProvider, EcsRamRoleCredential, EcsRamRoleCredentialsProvider,
                          EnvironmentVariableCredentialsProvider, StaticCredentialsProvider)
from .http import Session
from .iterators import (BucketIterator, MultipartUploadIterator, ObjectIterator, ObjectIteratorV2,
                        ObjectUploadIterator, PartIterator)
from .models import (BUCKET_ACL_PRIVATE, BUCKET_ACL_PUBLIC_READ, BUCKET_ACL_PUBLIC_READ_WRITE,
                     BUCKET_DATA_REDUNDANCY_TYPE_LRS, BUCKET_DATA_REDUNDANCY_TYPE_ZRS, BUCKET_STORAGE_CLASS_ARCHIVE,
                     BUCKET_STORAGE_CLASS_COLD_ARCHIVE, BUCKET_STORAGE_CLASS_DEEP_COLD_ARCHIVE,
                     BUCKET_STORAGE_CLASS_IA, BUCKET_STORAGE_CLASS_STANDARD, BUCKET_VERSIONING_ENABLE,
                     BUCKET_VERSIONING_SUSPEND, KMS_DATA_ENCRYPTION_SM4, OBJECT_ACL_DEFAULT, OBJECT_ACL_PRIVATE,
                     OBJECT_ACL_PUBLIC_READ, OBJECT_ACL_PUBLIC_READ_WRITE, SERVER_SIDE_ENCRYPTION_AES256,
                     SERVER_SIDE_ENCRYPTION_KMS, SERVER_SIDE_ENCRYPTION_SM4)
# The result classes at the top level, as the PyJindo API document this project started from
# names them (oss2 has them in oss2.models only).
from .models import (AppendObjectResult, BatchDeleteObjectsResult, GetObjectMetaResult, GetObjectResult,
                     HeadObjectResult, ListObjectsResult, PutObjectResult, RequestResult)
from .resumable import (ResumableDownloadStore, ResumableStore, determine_part_size, make_download_store,
                        make_upload_store, resumable_download, resumable_upload)
from .utils import (CaseInsensitiveDict, SizedFileAdapter, content_type_by_name, date_to_iso8601, http_date,
                    http_to_unixtime, is_valid_bucket_name, is_valid_endpoint, iso8601_to_date,
                    iso8601_to_unixtime, make_progress_adapter)

# Logging is oss2's: programs configure the logger named "oss2" (or call set_file_logger /
# set_stream_logger), so pyjindo logs under "oss2.pyjindo.<module>". Configuring "oss2" reaches
# pyjindo's records by propagation; with oss2 installed too, its records stay apart from pyjindo's
# (under "oss2.api", "oss2.http", ...), and "oss2.pyjindo" alone selects pyjindo's.
logger = logging.getLogger("oss2")

_LOG_FORMAT = "%(asctime)s %(name)s [%(levelname)s] %(thread)d : %(message)s"


def set_file_logger(file_path: str, name: str = "oss2", level: int = logging.INFO,
                    format_string: Optional[str] = None) -> None:
    """As oss2.set_file_logger: log records of `name` (and below) at `level` to the file `file_path`."""
    _add_handler(logging.FileHandler(file_path), name, level, format_string)


def set_stream_logger(name: str = "oss2", level: int = logging.DEBUG, format_string: Optional[str] = None) -> None:
    """As oss2.set_stream_logger: log records of `name` (and below) at `level` to stderr."""
    _add_handler(logging.StreamHandler(), name, level, format_string)


def _add_handler(handler, name, level, format_string):
    global logger
    logger = logging.getLogger(name)
    logger.setLevel(level)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(format_string or _LOG_FORMAT))
    logger.addHandler(handler)
