"""oss2.crypto_bucket: CryptoBucket, a Bucket whose objects are encrypted on the client in
oss2's envelope format, so objects written by oss2's CryptoBucket read here and the reverse.

The data is AES-256-CTR under a key drawn per object (or per multipart upload) and wrapped by
the provider's master key; the wrapped key and IV travel in the object's
x-oss-meta-client-side-encryption-* headers (models.ContentCryptoMaterial). The keystream runs
in Go at each byte's offset in the object, so put_object above the multipart threshold uploads
encrypted parts in parallel, and get_object's read() decrypts parts fetched in parallel.
"""
from __future__ import annotations

import base64
import logging
import os
import secrets
import shutil
import stat
from typing import Any, List, Mapping, NoReturn, Optional

from . import _ops, _wire, models, utils
from .api import Bucket
from .compat import parse_qs, to_string, urlsplit
from .crypto import BaseCryptoProvider
from .exceptions import ClientError, InconsistentError
from ._response import Response
from ._streams import GoStream
from ._types import ByteRange, Data, Headers, Key, Params, ProgressCallback

logger = logging.getLogger("oss2.pyjindo.crypto_bucket")

_B64 = base64.b64encode


class CryptoBucket(Bucket):
    """oss2.CryptoBucket over pyjindo's Bucket: put_object, get_object (whole or by range), the
    multipart calls with a MultipartUploadCryptoContext, and the file variants encrypt and
    decrypt; append_object, upload_part_copy, the *_with_url writes, select and processing
    raise ClientError, as in oss2.

    Differs from oss2: get_object_to_file downloads parallel parts into the file, decrypted in Go
    (after a HEAD for the object's metadata), as Bucket's does. Objects in oss2's deprecated
    format (x-oss-meta-oss-crypto-* headers) raise ClientError.
    """

    def __init__(self, auth: Any, endpoint: str, bucket_name: str, crypto_provider: BaseCryptoProvider,
                 is_cname: bool = False, session: Any = None, connect_timeout: Optional[float] = None,
                 app_name: str = "", enable_crc: bool = True, proxies: Any = None, region: Optional[str] = None,
                 cloudbox_id: Optional[str] = None, is_path_style: bool = False, **tuning: Any) -> None:
        if not isinstance(crypto_provider, BaseCryptoProvider):
            raise ClientError("crypto_provider must be an instance of BaseCryptoProvider")
        super().__init__(auth, endpoint, bucket_name, is_cname, session, connect_timeout, app_name, enable_crc,
                         proxies=proxies, region=region, cloudbox_id=cloudbox_id, is_path_style=is_path_style,
                         **tuning)
        self.crypto_provider = crypto_provider

    def __repr__(self):
        return "<pyjindo.CryptoBucket %s at %s>" % (self.bucket_name, self.endpoint)

    # --- the key work, in Go -----------------------------------------------------------------------

    def _new_material(self):
        """A new ContentCryptoMaterial of the provider, its plain key and IV kept beside it."""
        provider = self.crypto_provider
        r = self._call(_ops.CRYPTO_MATERIAL, {"provider": provider._go_spec()})
        material = models.ContentCryptoMaterial(provider.cipher, provider.wrap_alg,
                                                base64.b64decode(r["encrypted_key"]),
                                                base64.b64decode(r["encrypted_iv"]), provider.mat_desc)
        material._plain = {"key": r["key"], "iv": r["iv"]}
        return material

    @staticmethod
    def _provider_for(provider, material):
        """The provider whose master key opens material: provider itself, or the one of its
        encryption materials matching the object's material description, as oss2 picks it."""
        if material.deprecated:
            raise ClientError("pyjindo does not read objects in oss2's deprecated client-side "
                              "encryption format (x-oss-meta-oss-crypto-* headers)")
        if material.mat_desc == provider.mat_desc:
            return provider
        logger.warning("The material description of the object and the provider is inconsistent")
        materials = provider.get_encryption_materials(material.mat_desc)
        if not materials:
            raise ClientError("There is no encryption materials match the material description of the object")
        return provider.reset_encryption_materials(materials)

    def _plain_key(self, provider, material):
        """{"key", "iv"} (base64) of a material: kept when made here, else unwrapped."""
        plain = getattr(material, "_plain", None)
        if plain is None:
            if not material.encrypted_key or not material.encrypted_iv:
                raise ClientError("the object's client-side encryption metadata lacks the wrapped key or IV")
            plain = self._call(_ops.CRYPTO_UNWRAP, {
                "provider": provider._go_spec(), "encrypted_key": _B64(material.encrypted_key).decode("ascii"),
                "encrypted_iv": _B64(material.encrypted_iv).decode("ascii")})
        return {"key": plain["key"], "iv": plain["iv"]}

    # --- objects -----------------------------------------------------------------------------------

    def put_object(self, key: Key, data: Data, headers: Headers = None,
                   progress_callback: ProgressCallback = None) -> models.PutObjectResult:
        """Encrypt `data` under a new data key and upload it with its crypto metadata, as oss2
        (multipart above the Bucket's threshold, parts encrypted in parallel)."""
        material = self._new_material()
        headers = material.to_object_meta(utils.CaseInsensitiveDict(headers))
        cipher = dict(material._plain, offset=0)
        return self._put_object(key, data, headers, progress_callback, transfer={"cipher": cipher})

    def put_object_with_url(self, sign_url: str, data: Data, headers: Headers = None,
                            progress_callback: ProgressCallback = None) -> NoReturn:
        """Refused: the URL was signed for a plain upload, without a data key's metadata.
        Raises ClientError before anything is sent, as oss2's CryptoBucket."""
        raise ClientError("The operation is not support for CryptoBucket now")

    def put_object_with_url_from_file(self, sign_url: str, filename: Key, headers: Headers = None,
                                      progress_callback: ProgressCallback = None) -> NoReturn:
        """Refused, as put_object_with_url. Raises ClientError before anything is sent, as oss2's CryptoBucket."""
        raise ClientError("The operation is not support for CryptoBucket now")

    def append_object(self, key: Key, position: int, data: Data, headers: Headers = None,
                      progress_callback: ProgressCallback = None, init_crc: Optional[int] = None) -> NoReturn:
        """Refused: an appended object would need one data key across appends. Raises ClientError before anything is sent, as oss2's CryptoBucket."""
        raise ClientError("The operation is not support for CryptoBucket")

    def _ranged(self, byte_range, headers, start_required):
        """headers with the range widened to a block boundary, and the bytes to drop first."""
        headers = utils.CaseInsensitiveDict(headers)
        if not byte_range:
            return headers, 0
        first = byte_range[0] if start_required else (byte_range[0] or None)
        if first is None and byte_range[1]:
            raise ClientError("Don't support range get while start is none and end is not")
        start, end = self.crypto_provider.adjust_range(byte_range[0], byte_range[1])
        range_string = _wire.range_string((start, end))
        if range_string:
            headers["range"] = range_string
        discard = byte_range[0] - start if byte_range[0] and start < byte_range[0] else 0
        return headers, discard

    def _open_decrypted(self, args, discard, progress_callback):
        """GET_OPEN, then the object's material read and its stream set to decrypt."""
        result = self._call(_ops.GET_OPEN, args)
        length = result["length"]
        try:
            provider = self.crypto_provider
            material = models.ContentCryptoMaterial(provider.cipher, provider.wrap_alg)
            material.from_object_meta(Response.from_result(result).headers)
            if material.is_unencrypted():
                logger.info("The object is not encrypted, use crypto provider is not recommended")
            else:
                plain = self._plain_key(self._provider_for(provider, material), material)
                self._call(_ops.STREAM_DECRYPT, dict(plain, stream=result["stream"], discard=discard))
                if discard and length is not None and length >= 0:
                    length = max(0, length - discard)
        except BaseException:
            result["stream"].free()
            raise
        stream = GoStream(self, result["stream"], length, "get_object")
        return models.GetObjectResult(Response.from_result(result, stream), stream, progress_callback,
                                      self.enable_crc)

    def get_object(self, key: Key, byte_range: ByteRange = None, headers: Headers = None,
                   progress_callback: ProgressCallback = None, process: Optional[str] = None,
                   params: Params = None) -> models.GetObjectResult:
        """Open and decrypt the object `key`, as oss2: a byte_range is fetched from the block
        boundary at or before its start (content_length and Content-Range are those of the
        fetched range, as in oss2) and read from its start. An object without crypto metadata
        reads as it is. Raises ClientError (a process, a wrong key, no matching encryption
        materials), InconsistentError (the object's algorithms are not the provider's),
        OpenApiServerError (KMS), and as Bucket.get_object."""
        if process:
            raise ClientError("Process object operation is not support for Crypto Bucket")
        headers, discard = self._ranged(byte_range, headers, True)
        _, args = self._get_args(key, None, headers, None, params)
        return self._open_decrypted(args, discard, progress_callback)

    def get_object_with_url(self, sign_url: str, byte_range: ByteRange = None, headers: Headers = None,
                            progress_callback: ProgressCallback = None) -> models.GetObjectResult:
        """get_object through a presigned URL, decrypted, as oss2."""
        if Bucket.PROCESS in parse_qs(urlsplit(sign_url).query):
            raise ClientError("Process object operation is not support for Crypto Bucket")
        headers, discard = self._ranged(byte_range, headers, False)
        return self._open_decrypted(self._url_args(sign_url, headers), discard, progress_callback)

    def get_object_to_file(self, key: Key, filename: Key, byte_range: ByteRange = None, headers: Headers = None,
                           progress_callback: ProgressCallback = None, process: Optional[str] = None,
                           params: Params = None) -> models.GetObjectResult:
        """Download and decrypt `key` into `filename`, as oss2's, which reads get_object into the
        file. Differs from oss2: the object's metadata comes from a HEAD first, then the parts are
        fetched in parallel (pinned to the HEAD's ETag unless headers has If-Match) and decrypted
        in Go at their offsets into a file put in place when complete, as Bucket's; its CRC64 is
        that of the stored bytes. A range starting inside a 16-byte block reads as oss2 reads it
        (through get_object: fewer bytes than content_length, so InconsistentError, and no file).
        """
        if process:
            raise ClientError("Process object operation is not support for Crypto Bucket")
        widened, discard = self._ranged(byte_range, headers, True)
        if discard:
            return self._read_into_file(filename, self.get_object(
                key, byte_range=byte_range, headers=headers, progress_callback=progress_callback, params=params))
        head = self.head_object(key, params=params)
        provider = self.crypto_provider
        material = models.ContentCryptoMaterial(provider.cipher, provider.wrap_alg)
        material.from_object_meta(head.headers)
        if material.is_unencrypted():
            logger.info("The object is not encrypted, use crypto provider is not recommended")
            return super().get_object_to_file(key, filename, byte_range, headers, progress_callback, None, params)
        provider = self._provider_for(provider, material)
        cipher = self._plain_key(provider, material)
        if "If-Match" not in widened and head.etag:
            widened["If-Match"] = '"%s"' % head.etag
        return self._get_object_to_file(key, filename, None, widened, progress_callback, None, params,
                                        cipher=cipher)

    @staticmethod
    def _read_into_file(filename: Key, result: models.GetObjectResult) -> models.GetObjectResult:
        """oss2's *_to_file: a decrypting get copied into the file (here a temporary file beside
        it, put in place when complete)."""
        filename = os.path.abspath(to_string(filename))
        try:
            fd, temp = _temp_beside(filename)
        except BaseException:
            result.close()
            raise
        try:
            with os.fdopen(fd, "wb") as f:
                if result.content_length is None:  # as oss2: nothing to verify the length against
                    shutil.copyfileobj(result, f, _FILE_CHUNK)
                else:
                    utils.copyfileobj_and_verify(result, f, result.content_length, _FILE_CHUNK, result.request_id)
            os.replace(temp, filename)
        except BaseException:
            os.unlink(temp)
            result.close()
            raise
        return result

    def get_object_with_url_to_file(self, sign_url: str, filename: Key, byte_range: ByteRange = None,
                                    headers: Headers = None,
                                    progress_callback: ProgressCallback = None) -> models.GetObjectResult:
        """get_object_with_url (decrypted) into the local file `filename`, as oss2's CryptoBucket
        (which inherits Bucket's and so reads through its own get_object_with_url). Differs from
        oss2: the bytes go to a temporary file beside `filename`, put in place when complete, so a
        failure leaves no file. Returns the GetObjectResult; raises as get_object_with_url."""
        return self._read_into_file(filename, self.get_object_with_url(
            sign_url, byte_range=byte_range, headers=headers, progress_callback=progress_callback))

    def select_object(self, key: Key, sql: str, progress_callback: ProgressCallback = None,
                      select_params: Optional[Mapping[str, Any]] = None, byte_range: ByteRange = None,
                      headers: Headers = None) -> NoReturn:
        """Refused: OSS cannot run SQL on ciphertext. Raises ClientError before anything is sent, as oss2's CryptoBucket."""
        raise ClientError("The operation is not support for CryptoBucket")

    def select_object_to_file(self, key: Key, filename: Key, sql: str, progress_callback: ProgressCallback = None,
                              select_params: Optional[Mapping[str, Any]] = None, headers: Headers = None) -> NoReturn:
        """Refused, as select_object. Raises ClientError before anything is sent, as oss2's CryptoBucket."""
        raise ClientError("The operation is not support for CryptoBucket")

    def create_select_object_meta(self, key: Key, select_meta_params: Optional[Mapping[str, Any]] = None,
                                  headers: Headers = None) -> NoReturn:
        """Refused, as select_object. Raises ClientError before anything is sent, as oss2's CryptoBucket."""
        raise ClientError("The operation is not support for Crypto Bucket")

    def process_object(self, key: Key, process: str, headers: Headers = None) -> NoReturn:
        """Refused: OSS cannot process ciphertext (image or video processing). Raises ClientError before anything is sent, as oss2's CryptoBucket."""
        raise ClientError("The operation is not support for CryptoBucket")

    # --- multipart ---------------------------------------------------------------------------------

    def init_multipart_upload(self, key: Key, headers: Headers = None, params: Params = None,
                              upload_context: Optional[models.MultipartUploadCryptoContext] = None
                              ) -> models.InitMultipartUploadResult:
        """Start an encrypted multipart upload, as oss2: upload_context (a
        MultipartUploadCryptoContext) must give data_size; its part_size, if given, must be a
        multiple of 16 of at least 100 KiB (else one is chosen). The context gets the material;
        pass it to every upload_part."""
        if not upload_context or not upload_context.data_size:
            raise ClientError("It is not support none upload_context and must specify data_size of upload_context ")
        cipher = self.crypto_provider.cipher
        if upload_context.part_size:
            if not cipher.is_valid_part_size(upload_context.part_size, upload_context.data_size):
                raise ClientError("part_size is invalid for multipart upload for CryptoBucket")
        else:
            upload_context.part_size = cipher.determine_part_size(upload_context.data_size)
        material = self._new_material()
        upload_context.content_crypto_material = material
        headers = material.to_object_meta(utils.CaseInsensitiveDict(headers), upload_context)
        return super().init_multipart_upload(key, headers, params)

    def upload_part(self, key: Key, upload_id: str, part_number: int, data: Data,
                    progress_callback: ProgressCallback = None, headers: Headers = None,
                    upload_context: Optional[models.MultipartUploadCryptoContext] = None) -> models.PutObjectResult:
        """Encrypt and upload part `part_number`, as oss2: its counter starts at
        part_size * (part_number - 1) of the context's material."""
        if not upload_context:
            raise ClientError("Could not init upload context, upload contexts flag is False and upload context is none")
        material = upload_context.content_crypto_material
        provider = self.crypto_provider
        if material.cek_alg != provider.cipher.alg or material.wrap_alg != provider.wrap_alg:
            raise InconsistentError("Envelope or data encryption/decryption algorithm is inconsistent")
        headers = material.to_object_meta(utils.CaseInsensitiveDict(headers), upload_context)
        offset = upload_context.part_size * (part_number - 1)
        provider.cipher.calc_offset(offset)  # oss2's check: a part must start on a block boundary
        cipher = dict(self._plain_key(provider, material), offset=offset)
        resp = self._object("PUT", key, data=data, headers=headers,
                            params={"uploadId": upload_id, "partNumber": str(part_number)},
                            progress_callback=progress_callback, crc_operation="upload_part",
                            transfer={"cipher": cipher})
        return models.PutObjectResult(resp)

    def upload_part_copy(self, source_bucket_name: str, source_key: Key, byte_range: ByteRange, target_key: Key,
                         target_upload_id: str, target_part_number: int, headers: Headers = None,
                         params: Params = None) -> NoReturn:
        """Refused: a copied range keeps the source's encryption, not the upload's data key. Raises ClientError before anything is sent, as oss2's CryptoBucket."""
        raise ClientError("The operation is not support for CryptoBucket now")


#: bytes per read when writing a decrypted object into a file (from the prefetching reader)
_FILE_CHUNK = 8 << 20

__all__: List[str] = ["CryptoBucket"]


def _temp_beside(filename):
    """A new file beside filename for a download to be renamed over it: (fd, name), with the mode
    open(filename, "wb") would leave (an existing file's, else 0666 less the umask)."""
    directory, base = os.path.split(filename)
    for _ in range(100):
        name = os.path.join(directory, ".%s.pyjindo-%s" % (base, secrets.token_hex(6)))
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except FileExistsError:
            continue
        try:
            os.fchmod(fd, stat.S_IMODE(os.stat(filename).st_mode))
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            os.unlink(name)
            raise
        return fd, name
    raise FileExistsError("no free temporary name beside %s" % filename)
