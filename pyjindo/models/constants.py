"""oss2.models' values: ACLs, storage classes, redundancy types, redirect types, payers,
encryption, versioning and restore tiers, and the values of operations pyjindo lacks (kept so
code that names them imports)."""


OBJECT_ACL_DEFAULT = "default"
OBJECT_ACL_PRIVATE = "private"
OBJECT_ACL_PUBLIC_READ = "public-read"
OBJECT_ACL_PUBLIC_READ_WRITE = "public-read-write"

BUCKET_ACL_PRIVATE = "private"
BUCKET_ACL_PUBLIC_READ = "public-read"
BUCKET_ACL_PUBLIC_READ_WRITE = "public-read-write"

BUCKET_STORAGE_CLASS_STANDARD = "Standard"
BUCKET_STORAGE_CLASS_IA = "IA"
BUCKET_STORAGE_CLASS_ARCHIVE = "Archive"
BUCKET_STORAGE_CLASS_COLD_ARCHIVE = "ColdArchive"
BUCKET_STORAGE_CLASS_DEEP_COLD_ARCHIVE = "DeepColdArchive"

BUCKET_DATA_REDUNDANCY_TYPE_LRS = "LRS"
BUCKET_DATA_REDUNDANCY_TYPE_ZRS = "ZRS"

REDIRECT_TYPE_MIRROR = "Mirror"
REDIRECT_TYPE_EXTERNAL = "External"
REDIRECT_TYPE_INTERNAL = "Internal"
REDIRECT_TYPE_ALICDN = "AliCDN"

PAYER_BUCKETOWNER = "BucketOwner"
PAYER_REQUESTER = "Requester"

SERVER_SIDE_ENCRYPTION_AES256 = "AES256"
SERVER_SIDE_ENCRYPTION_KMS = "KMS"
SERVER_SIDE_ENCRYPTION_SM4 = "SM4"
KMS_DATA_ENCRYPTION_SM4 = "SM4"

BUCKET_VERSIONING_ENABLE = "Enabled"
BUCKET_VERSIONING_SUSPEND = "Suspended"

RESTORE_TIER_EXPEDITED = "Expedited"
RESTORE_TIER_STANDARD = "Standard"
RESTORE_TIER_BULK = "Bulk"

# Values of oss2's models for operations pyjindo does not support (see pyjindo/_unsupported.py),
# kept so code that names them imports.
ASYNC_FETCH_TASK_STATE_RUNNING = "Running"
ASYNC_FETCH_TASK_STATE_RETRY = "Retry"
ASYNC_FETCH_TASK_STATE_FETCH_SUCCESS_CALLBACK_FAILED = "FetchSuccessCallbackFailed"
ASYNC_FETCH_TASK_STATE_FAILED = "Failed"
ASYNC_FETCH_TASK_STATE_SUCCESS = "Success"

INVENTORY_INCLUDED_OBJECT_VERSIONS_CURRENT = "Current"
INVENTORY_INCLUDED_OBJECT_VERSIONS_ALL = "All"
INVENTORY_FREQUENCY_DAILY = "Daily"
INVENTORY_FREQUENCY_WEEKLY = "Weekly"
INVENTORY_FORMAT_CSV = "CSV"

FIELD_SIZE = "Size"
FIELD_LAST_MODIFIED_DATE = "LastModifiedDate"
FIELD_ETAG = "ETag"
FIELD_STORAG_CLASS = "StorageClass"  # sic, as oss2 spells it
FIELD_IS_MULTIPART_UPLOADED = "IsMultipartUploaded"
FIELD_ENCRYPTION_STATUS = "EncryptionStatus"
