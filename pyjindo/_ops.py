"""The Go operations pyjindo runs (go/ops, the registry behind go/capi): their names, and the
argument keys each requires and accepts.

Every call into Go names its operation with a constant of this module, never a string literal,
and `tests/test_ops.py` compares `SHAPES` and `SESSION` with the library's own description
(`pj_ops`): a misspelt, missing or unknown key fails a test, not a user. Go refuses an unknown
key and a missing required key at run time too (ClientError); this module is where a reader
finds what each operation takes without reading Go.
"""
from typing import Dict, FrozenSet, NamedTuple, Tuple


class Shape(NamedTuple):
    """An operation's argument keys: those it requires, those it accepts, and the shapes of its
    nested objects (the items of a list, ...) by key."""

    required: FrozenSet[str]
    optional: FrozenSet[str]
    nested: Dict[str, "Shape"]


def _shape(required: Tuple[str, ...] = (), optional: Tuple[str, ...] = (), **nested: Shape) -> Shape:
    return Shape(frozenset(required), frozenset(optional), nested)


# One request; the body is the buffer, or (fd, offset, size) read with pread.
REQUEST = "request"
# A presigned URL (nothing is sent).
SIGN_URL = "sign_url"
# get_object: the first GET and a stream handle; then reads of the stream in order, or whole.
GET_OPEN = "get_open"
STREAM_READ = "stream_read"
STREAM_READ_ALL = "stream_read_all"
GET_TO_FILE = "get_to_file"
BATCH_DELETE = "batch_delete"
COMPLETE_MULTIPART = "complete_multipart"
RENAME = "rename"
COPY_MULTIPART = "copy_multipart"
CREDENTIALS = "credentials"
# New keys for a live session made with keys (a Python provider's, when they change).
SET_CREDENTIALS = "set_credentials"
# The session's endpoint as Go reads it (go/oss.ParseEndpoint): its URL and region.
ENDPOINT = "endpoint"
# The batch engine (_batch.py).
GET_MANY = "get_many"
MANY_TAKE = "many_take"
GET_MANY_TO_FILES = "get_many_to_files"
PUT_MANY_FROM_FILES = "put_many_from_files"
HEAD_MANY = "head_many"
DELETE_MANY = "delete_many"
# File objects: the streaming writer (_writer.py) and the random-access reader (_reader.py).
WRITER_OPEN = "writer_open"
WRITER_WRITE = "writer_write"
WRITER_CLOSE = "writer_close"
WRITER_ABORT = "writer_abort"
READER_OPEN = "reader_open"
READER_READ = "reader_read"
# Client-side encryption (crypto_bucket.py): data keys made and opened by the master key, a
# get_object stream set to decrypt; requests encrypt their body with REQUEST's "cipher".
CRYPTO_CHECK = "crypto_check"
CRYPTO_RSA_GENERATE = "crypto_rsa_generate"
CRYPTO_MATERIAL = "crypto_material"
CRYPTO_UNWRAP = "crypto_unwrap"
STREAM_DECRYPT = "stream_decrypt"

_OBJECT = ("bucket", "key")
_TARGET = ("params", "headers", "url")
_FILE_ITEMS = _shape(("bucket", "key", "filename"), ("headers",))
_CRYPTO_PROVIDER = _shape(("wrap",), ("public_key", "private_key", "passphrase", "access_key_id", "access_key_secret",
                                      "security_token", "region", "cmk_id", "context", "endpoint"))

SHAPES = {
    REQUEST: _shape(("method",) + _OBJECT, _TARGET + (
        "parse", "check_crc", "operation", "init_crc", "fd", "offset", "size", "multipart_threshold", "part_size", "cipher"),
        cipher=_shape(("key", "iv"), ("offset",))),
    SIGN_URL: _shape(("method", "expires") + _OBJECT, _TARGET + ("slash_safe", "additional_headers")),
    GET_OPEN: _shape(_OBJECT, _TARGET),
    STREAM_READ: _shape(("stream",)),
    STREAM_READ_ALL: _shape(("stream",)),
    GET_TO_FILE: _shape(_OBJECT + ("filename",), _TARGET + ("check_crc", "part_size", "cipher"),
                        cipher=_shape(("key", "iv"))),
    BATCH_DELETE: _shape(("bucket", "keys"), ("headers", "version_ids")),
    COMPLETE_MULTIPART: _shape(_OBJECT + ("upload_id", "parts"), ("headers",),
                               parts=_shape(("part_number", "etag"))),
    RENAME: _shape(("bucket", "src", "dst", "overwrite")),
    COPY_MULTIPART: _shape(("src_bucket", "src_key", "overwrite") + _OBJECT, ("src_version_id", "part_size", "concurrency")),
    CREDENTIALS: _shape(),
    SET_CREDENTIALS: _shape(("access_key_id", "access_key_secret"), ("security_token",)),
    ENDPOINT: _shape(),
    GET_MANY: _shape(("items",), ("concurrency", "total"),
                     items=_shape(_OBJECT, ("start", "end", "headers", "version_id"))),
    MANY_TAKE: _shape(("held", "indices")),
    GET_MANY_TO_FILES: _shape(("items",), ("concurrency", "total"), items=_FILE_ITEMS),
    PUT_MANY_FROM_FILES: _shape(("items",), ("concurrency", "total"), items=_FILE_ITEMS),
    HEAD_MANY: _shape(("items",), ("concurrency",), items=_shape(_OBJECT)),
    DELETE_MANY: _shape(("bucket", "keys"), ("concurrency",)),
    WRITER_OPEN: _shape(_OBJECT, ("headers", "forbid_overwrite", "part_size")),
    WRITER_WRITE: _shape(("writer",)),
    WRITER_CLOSE: _shape(("writer",)),
    WRITER_ABORT: _shape(("writer",)),
    READER_OPEN: _shape(_OBJECT, ("version_id", "headers")),
    READER_READ: _shape(("reader", "pos")),
    CRYPTO_CHECK: _shape(("provider",), provider=_CRYPTO_PROVIDER),
    CRYPTO_RSA_GENERATE: _shape(("bits",), ("passphrase",)),
    CRYPTO_MATERIAL: _shape(("provider",), provider=_CRYPTO_PROVIDER),
    CRYPTO_UNWRAP: _shape(("provider", "encrypted_key", "encrypted_iv"), provider=_CRYPTO_PROVIDER),
    STREAM_DECRYPT: _shape(("stream", "key", "iv"), ("discard",)),
}  # type: Dict[str, Shape]

#: The session configuration (pj_session_new): every key optional, zero meaning the default.
SESSION = _shape((), (
    "endpoint", "is_cname", "is_path_style", "connect_timeout", "enable_crc", "region", "sign_version",
    "access_key_id", "access_key_secret", "security_token", "credentials", "app_name", "proxy",
    "multipart_threshold", "part_size", "concurrency", "retry_attempts", "retry_time", "max_conns"),
    # A credentials source of go/oss/credentials, instead of the keys (GoCredentialsProvider).
    credentials=_shape((), ("source", "access_key_id", "access_key_secret", "security_token", "env", "config_file",
                            "profile", "path", "role_name", "url")))
