"""Client-side encryption's material, as oss2.models has it: the wrapped data key and IV and the
algorithms, read from and written to an object's x-oss-meta-client-side-encryption-* headers."""
import base64
import json
import logging

from ..exceptions import InconsistentError
from ..headers import (DEPRECATED_CLIENT_SIDE_ENCRYPTION_CEK_ALG, DEPRECATED_CLIENT_SIDE_ENCRYPTION_KEY,
                       DEPRECATED_CLIENT_SIDE_ENCRYPTION_START, DEPRECATED_CLIENT_SIDE_ENCRYPTION_WRAP_ALG,
                       DEPRECATED_CLIENT_SIDE_ENCRYTPION_MATDESC, KMS_ALI_WRAP_ALGORITHM,
                       OSS_CLIENT_SIDE_ENCRYPTION_CEK_ALG, OSS_CLIENT_SIDE_ENCRYPTION_DATA_SIZE,
                       OSS_CLIENT_SIDE_ENCRYPTION_KEY, OSS_CLIENT_SIDE_ENCRYPTION_PART_SIZE,
                       OSS_CLIENT_SIDE_ENCRYPTION_START, OSS_CLIENT_SIDE_ENCRYPTION_UNENCRYPTED_CONTENT_LENGTH,
                       OSS_CLIENT_SIDE_ENCRYPTION_UNENCRYPTED_CONTENT_MD5, OSS_CLIENT_SIDE_ENCRYPTION_WRAP_ALG,
                       OSS_CLIENT_SIDE_ENCRYTPION_MATDESC, RSA_NONE_OAEPWithSHA1AndMGF1Padding)
from ..utils import CaseInsensitiveDict
from .common import _hget

__all__ = ["ContentCryptoMaterial", "MultipartUploadCryptoContext"]

logger = logging.getLogger("oss2.pyjindo.models")

_AES_GCM = "AES/GCM/NoPadding"
_AES_CTR = "AES/CTR/NoPadding"


def _b64encode(data):
    return base64.b64encode(data).decode("ascii")


class ContentCryptoMaterial(object):
    """An object's crypto material, as oss2: `cipher` (the data cipher), `cek_alg`, `wrap_alg`,
    `encrypted_key` and `encrypted_iv` (bytes, as wrapped), `mat_desc` (dict or None)."""

    def __init__(self, cipher, wrap_alg, encrypted_key=None, encrypted_iv=None, mat_desc=None):
        self.cipher = cipher
        self.cek_alg = cipher.alg
        self.wrap_alg = wrap_alg
        self.encrypted_key = encrypted_key
        self.encrypted_iv = encrypted_iv
        self.mat_desc = mat_desc
        self.deprecated = False
        #: the plain data key and IV ({"key", "iv"}, base64) of a material CryptoBucket drew
        self._plain = None

    def to_object_meta(self, headers=None, multipart_upload_context=None):
        """headers with the material's metadata added (Content-MD5 and Content-Length moved to
        their unencrypted-content headers, as oss2 does)."""
        if not isinstance(headers, CaseInsensitiveDict):
            headers = CaseInsensitiveDict(headers)
        if "content-md5" in headers:
            headers[OSS_CLIENT_SIDE_ENCRYPTION_UNENCRYPTED_CONTENT_MD5] = headers["content-md5"]
            del headers["content-md5"]
        if "content-length" in headers:
            headers[OSS_CLIENT_SIDE_ENCRYPTION_UNENCRYPTED_CONTENT_LENGTH] = headers["content-length"]
            del headers["content-length"]
        headers[OSS_CLIENT_SIDE_ENCRYPTION_KEY] = _b64encode(self.encrypted_key)
        headers[OSS_CLIENT_SIDE_ENCRYPTION_START] = _b64encode(self.encrypted_iv)
        headers[OSS_CLIENT_SIDE_ENCRYPTION_CEK_ALG] = self.cek_alg
        headers[OSS_CLIENT_SIDE_ENCRYPTION_WRAP_ALG] = self.wrap_alg
        if multipart_upload_context and multipart_upload_context.data_size and multipart_upload_context.part_size:
            headers[OSS_CLIENT_SIDE_ENCRYPTION_DATA_SIZE] = str(multipart_upload_context.data_size)
            headers[OSS_CLIENT_SIDE_ENCRYPTION_PART_SIZE] = str(multipart_upload_context.part_size)
        if self.mat_desc:
            headers[OSS_CLIENT_SIDE_ENCRYTPION_MATDESC] = json.dumps(self.mat_desc)
        return headers

    def from_object_meta(self, headers):
        """Read the material from an object's headers. Raises InconsistentError when the object's
        algorithms are not this material's (another cipher or another kind of master key)."""
        if not isinstance(headers, CaseInsensitiveDict):
            headers = CaseInsensitiveDict(headers)
        if DEPRECATED_CLIENT_SIDE_ENCRYPTION_KEY in headers:
            self.deprecated = True
        if self.deprecated:
            key = _hget(headers, DEPRECATED_CLIENT_SIDE_ENCRYPTION_KEY)
            iv = _hget(headers, DEPRECATED_CLIENT_SIDE_ENCRYPTION_START)
            cek_alg = _hget(headers, DEPRECATED_CLIENT_SIDE_ENCRYPTION_CEK_ALG)
            wrap_alg = _hget(headers, DEPRECATED_CLIENT_SIDE_ENCRYPTION_WRAP_ALG)
            mat_desc = _hget(headers, DEPRECATED_CLIENT_SIDE_ENCRYTPION_MATDESC)
            if wrap_alg == "kms":
                self.encrypted_key, self.encrypted_iv = key, iv
                wrap_alg = KMS_ALI_WRAP_ALGORITHM
            else:
                if key:
                    self.encrypted_key = base64.b64decode(key)
                if iv:
                    self.encrypted_iv = base64.b64decode(iv)
                wrap_alg = RSA_NONE_OAEPWithSHA1AndMGF1Padding
            if cek_alg == _AES_GCM:
                cek_alg = _AES_CTR
        else:
            key = _hget(headers, OSS_CLIENT_SIDE_ENCRYPTION_KEY)
            iv = _hget(headers, OSS_CLIENT_SIDE_ENCRYPTION_START)
            if key:
                self.encrypted_key = base64.b64decode(key)
            if iv:
                self.encrypted_iv = base64.b64decode(iv)
            cek_alg = _hget(headers, OSS_CLIENT_SIDE_ENCRYPTION_CEK_ALG)
            wrap_alg = _hget(headers, OSS_CLIENT_SIDE_ENCRYPTION_WRAP_ALG)
            mat_desc = _hget(headers, OSS_CLIENT_SIDE_ENCRYTPION_MATDESC)
        if mat_desc:
            self.mat_desc = json.loads(mat_desc)
        if cek_alg and cek_alg != self.cek_alg:
            logger.error("CEK algorithm or is inconsistent, object meta: cek_alg:%s, material: cek_alg:%s",
                         cek_alg, self.cek_alg)
            raise InconsistentError("Data encryption/decryption algorithm is inconsistent")
        if wrap_alg and wrap_alg != self.wrap_alg:
            logger.error("WRAP algorithm or is inconsistent, object meta: wrap_alg:%s, material: wrap_alg:%s",
                         wrap_alg, self.wrap_alg)
            raise InconsistentError("Envelope encryption/decryption algorithm is inconsistent")
        self.cek_alg = cek_alg
        self.wrap_alg = wrap_alg

    def is_unencrypted(self):
        return not self.encrypted_key and not self.encrypted_iv and not self.cek_alg and not self.wrap_alg


class MultipartUploadCryptoContext(object):
    """A multipart upload's crypto context, as oss2: give `data_size` (and `part_size`, a multiple
    of 16) to CryptoBucket.init_multipart_upload, which fills `content_crypto_material`; pass it to
    each upload_part."""

    def __init__(self, data_size=None, part_size=None, content_crypto_material=None):
        self.content_crypto_material = content_crypto_material
        self.data_size = data_size
        self.part_size = part_size
