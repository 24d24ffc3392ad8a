"""HTTP header names and values, with oss2.headers' names (models re-exports them, as oss2's does)."""

# user metadata, ACL, conditions
OSS_USER_METADATA_PREFIX = "x-oss-meta-"
OSS_CANNED_ACL = "x-oss-acl"
OSS_OBJECT_ACL = "x-oss-object-acl"
IF_UNMODIFIED_SINCE = "If-Unmodified-Since"
IF_MATCH = "If-Match"

# copy
OSS_COPY_OBJECT_SOURCE = "x-oss-copy-source"
OSS_COPY_OBJECT_SOURCE_RANGE = "x-oss-copy-source-range"
OSS_METADATA_DIRECTIVE = "x-oss-metadata-directive"

# response and request identity
OSS_REQUEST_ID = "x-oss-request-id"
OSS_SECURITY_TOKEN = "x-oss-security-token"
OSS_TASK_ID = "x-oss-task-id"

# object properties
OSS_NEXT_APPEND_POSITION = "x-oss-next-append-position"
OSS_HASH_CRC64_ECMA = "x-oss-hash-crc64ecma"
OSS_OBJECT_TYPE = "x-oss-object-type"
OSS_SYMLINK_TARGET = "x-oss-symlink-target"
OSS_OBJECT_TAGGING = "x-oss-tagging"
OSS_OBJECT_TAGGING_COPY_DIRECTIVE = "x-oss-tagging-directive"
OSS_REQUEST_PAYER = "x-oss-request-payer"
OSS_TRAFFIC_LIMIT = "x-oss-traffic-limit"
OSS_ALLOW_ACTION_OVERLAP = "x-oss-allow-same-action-overlap"

# server-side encryption
OSS_SERVER_SIDE_ENCRYPTION = "x-oss-server-side-encryption"
OSS_SERVER_SIDE_ENCRYPTION_KEY_ID = "x-oss-server-side-encryption-key-id"
OSS_SERVER_SIDE_DATA_ENCRYPTION = "x-oss-server-side-data-encryption"

# client-side encryption (CryptoBucket) metadata; the misspelt ENCRYTPION names are oss2's
_CSE = "x-oss-meta-client-side-encryption-"
OSS_CLIENT_SIDE_ENCRYPTION_KEY = _CSE + "key"
OSS_CLIENT_SIDE_ENCRYPTION_START = _CSE + "start"
OSS_CLIENT_SIDE_ENCRYPTION_CEK_ALG = _CSE + "cek-alg"
OSS_CLIENT_SIDE_ENCRYPTION_WRAP_ALG = _CSE + "wrap-alg"
OSS_CLIENT_SIDE_ENCRYTPION_MATDESC = _CSE + "matdesc"
OSS_CLIENT_SIDE_ENCRYPTION_UNENCRYPTED_CONTENT_LENGTH = _CSE + "unencrypted-content-length"
OSS_CLIENT_SIDE_ENCRYPTION_UNENCRYPTED_CONTENT_MD5 = _CSE + "unencrypted-content-md5"
OSS_CLIENT_SIDE_ENCRYPTION_DATA_SIZE = _CSE + "data-size"
OSS_CLIENT_SIDE_ENCRYPTION_PART_SIZE = _CSE + "part-size"

_OLD_CSE = "x-oss-meta-oss-"
DEPRECATED_CLIENT_SIDE_ENCRYPTION_KEY = _OLD_CSE + "crypto-key"
DEPRECATED_CLIENT_SIDE_ENCRYPTION_START = _OLD_CSE + "crypto-start"
DEPRECATED_CLIENT_SIDE_ENCRYPTION_CEK_ALG = _OLD_CSE + "cek-alg"
DEPRECATED_CLIENT_SIDE_ENCRYPTION_WRAP_ALG = _OLD_CSE + "wrap-alg"
DEPRECATED_CLIENT_SIDE_ENCRYTPION_MATDESC = _OLD_CSE + "crypto-matdesc"
DEPRECATED_CLIENT_SIDE_ENCRYPTION_UNENCRYPTED_CONTENT_LENGTH = _OLD_CSE + "crypto-unencrypted-content-length"
DEPRECATED_CLIENT_SIDE_ENCRYPTION_UNENCRYPTED_CONTENT_MD5 = _OLD_CSE + "crypto-unencrypted-content-md5"

RSA_NONE_PKCS1Padding_WRAP_ALGORITHM = "RSA/NONE/PKCS1Padding"
RSA_NONE_OAEPWithSHA1AndMGF1Padding = "RSA/NONE/OAEPWithSHA-1AndMGF1Padding"
KMS_ALI_WRAP_ALGORITHM = "KMS/ALICLOUD"
OSS_ENCRYPTION_CLIENT = "OssEncryptionClient"


class RequestHeader(dict):
    """A dict of request headers with a helper for server-side encryption, as oss2's."""

    def set_server_side_encryption(self, algorithm=None, cmk_id=None):
        """Ask for server-side encryption: "AES256" or "KMS" (with an optional key id); anything
        else (None) removes the request for it."""
        self.pop(OSS_SERVER_SIDE_ENCRYPTION, None)
        self.pop(OSS_SERVER_SIDE_ENCRYPTION_KEY_ID, None)
        if algorithm in ("AES256", "KMS"):
            self[OSS_SERVER_SIDE_ENCRYPTION] = algorithm
        if algorithm == "KMS" and cmk_id is not None:
            self[OSS_SERVER_SIDE_ENCRYPTION_KEY_ID] = cmk_id
