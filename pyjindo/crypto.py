"""oss2.crypto: the master keys of client-side encryption (CryptoBucket's `crypto_provider`).

A provider here holds what oss2's holds (keys, KMS settings, the material description) and
describes its master key to Go (`_go_spec`), where the data keys are drawn, wrapped and unwrapped
(go/oss/crypto): RSA with PKCS#1 v1.5 padding as oss2's RsaProvider, RSA OAEP as its
LocalRsaProvider, KMS GenerateDataKey, Encrypt and Decrypt as its AliKMSProvider. Differs from
oss2: the key work is done by the CryptoBucket's calls, so oss2's lower-level provider methods
that do it in Python (create_content_material, decrypt_encrypted_key, make_encrypt_adapter, ...)
are not provided.
"""
import contextlib
import copy
import logging
import os
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from . import _binding, _ops, utils
from ._cipher import AESCTRCipher
from .compat import to_string
from .exceptions import ClientError
from .headers import (KMS_ALI_WRAP_ALGORITHM, RSA_NONE_OAEPWithSHA1AndMGF1Padding,
                      RSA_NONE_PKCS1Padding_WRAP_ALGORITHM)

#: a material description: name -> value, as oss2 keeps it
MatDesc = Dict[str, Any]
#: {"public_key": PEM, "private_key": PEM}, str or bytes
KeyPair = Dict[str, Union[str, bytes]]

logger = logging.getLogger("oss2.pyjindo.crypto")


@contextlib.contextmanager
def _session():
    """A Go session for a provider's operations: a provider belongs to no Bucket, so it has its own,
    whose endpoint is only there because a session needs one (nothing is sent)."""
    session = _binding.new_session({"endpoint": "oss-cn-hangzhou.aliyuncs.com"})
    try:
        yield session
    finally:
        session.free()


def _check(spec):
    """Have Go read the master key now, so a bad key raises ClientError from the constructor, as
    in oss2."""
    with _session() as session:
        _binding.call(session, _ops.CRYPTO_CHECK, {"provider": spec})


class EncryptionMaterials(object):
    """Another master key for objects written under another material description, as oss2:
    add it to a provider with add_encryption_materials."""

    def __init__(self, desc: Optional[MatDesc], key_pair: Optional[KeyPair] = None,
                 custom_master_key_id: Optional[str] = None, passphrase: Optional[Union[str, bytes]] = None) -> None:
        self.desc: MatDesc = {}
        if desc:
            if isinstance(desc, dict):
                self.desc = desc
            else:
                raise ClientError("Invalid type, the type of mat_desc must be dict!")
        if key_pair and custom_master_key_id:
            raise ClientError("Both key_pair and custom_master_key_id are not none")
        if key_pair and not isinstance(key_pair, dict):
            raise ClientError("Invalid type, the type of key_pair must be dict!")
        self.key_pair = key_pair
        self.custom_master_key_id = custom_master_key_id
        self.passphrase = passphrase

    def add_description(self, key: str, value: Any) -> None:
        """Add (or replace) one entry of the material description."""
        self.desc[key] = value

    def add_descriptions(self, descriptions: Mapping[str, Any]) -> None:
        """Add (or replace) every entry of `descriptions` in the material description."""
        for key in descriptions:
            self.desc[key] = descriptions[key]


class BaseCryptoProvider(object):
    """What every provider has, as oss2: `cipher`, `cek_alg`, `wrap_alg`, `mat_desc`, and the
    other master keys by material description."""

    def __init__(self, cipher: AESCTRCipher, mat_desc: Optional[MatDesc] = None) -> None:
        if not cipher:
            raise ClientError("Please initialize the value of cipher!")
        if not isinstance(cipher, AESCTRCipher):
            raise ClientError("pyjindo's crypto providers support the AES256 CTR cipher (utils.AESCTRCipher) only")
        self.cipher = cipher
        self.cek_alg: Optional[str] = None
        self.wrap_alg: Optional[str] = None
        self.mat_desc: Optional[MatDesc] = None
        self.encryption_materials_dict: Dict[frozenset, EncryptionMaterials] = {}
        if mat_desc:
            if isinstance(mat_desc, dict):
                self.mat_desc = mat_desc
            else:
                raise ClientError("Invalid type, the type of mat_desc must be dict!")

    def adjust_range(self, start: Optional[int], end: Optional[int]) -> Tuple[Optional[int], Optional[int]]:
        """The range widened to the cipher's block boundaries (the start moved back to one), as
        oss2."""
        return self.cipher.adjust_range(start, end)

    def add_encryption_materials(self, encryption_materials: EncryptionMaterials) -> None:
        """Keep another master key, used for objects whose material description is
        encryption_materials.desc (one without a description is ignored, as in oss2)."""
        if encryption_materials.desc:
            self.encryption_materials_dict[frozenset(encryption_materials.desc.items())] = encryption_materials

    def get_encryption_materials(self, desc: Optional[Mapping[str, Any]]) -> Optional[EncryptionMaterials]:
        """The materials added for this material description, or None."""
        if desc:
            return self.encryption_materials_dict.get(frozenset(desc.items()))
        return None

    def reset_encryption_materials(self, encryption_materials: EncryptionMaterials) -> "BaseCryptoProvider":
        """A provider of the same kind with encryption_materials' master key."""
        raise NotImplementedError

    def _go_spec(self):
        """The master key as go/ops' CryptoProvider takes it."""
        raise NotImplementedError


_LOCAL_RSA_TMP_DIR = ".oss-local-rsa"


class LocalRsaProvider(BaseCryptoProvider):
    """oss2's LocalRsaProvider: data keys wrapped with OAEP ("RSA/NONE/OAEPWithSHA-1AndMGF1Padding")
    by an RSA key pair kept in two PEM files, `dir`/`key` + the suffixes (dir defaults to
    ~/.oss-local-rsa). When either file is missing a 2048-bit pair is made (in Go) and written
    there in the forms pycryptodome exports, so oss2's provider reads the same files.
    """

    DEFAULT_PUB_KEY_SUFFIX = ".public_key.pem"
    DEFAULT_PRIV_KEY_SUFFIX = ".private_key.pem"

    def __init__(self, dir: Optional[str] = None, key: str = "", passphrase: Optional[Union[str, bytes]] = None,
                 cipher: AESCTRCipher = AESCTRCipher(), pub_key_suffix: str = DEFAULT_PUB_KEY_SUFFIX,
                 private_key_suffix: str = DEFAULT_PRIV_KEY_SUFFIX) -> None:
        super(LocalRsaProvider, self).__init__(cipher=cipher)
        self.wrap_alg = RSA_NONE_OAEPWithSHA1AndMGF1Padding
        keys_dir = dir or os.path.join(os.path.expanduser("~"), _LOCAL_RSA_TMP_DIR)
        priv_key_path = os.path.join(keys_dir, key + private_key_suffix)
        pub_key_path = os.path.join(keys_dir, key + pub_key_suffix)
        self._passphrase = to_string(passphrase) if passphrase else ""
        if os.path.exists(priv_key_path) and os.path.exists(pub_key_path):
            with open(priv_key_path, "rb") as f:
                private_key = f.read().decode("latin-1")
            with open(pub_key_path, "rb") as f:
                public_key = f.read().decode("latin-1")
        else:
            logger.warning("The file path of private key or public key is not exist, will generate key pair")
            with _session() as session:
                keys = _binding.call(session, _ops.CRYPTO_RSA_GENERATE, {"bits": 2048, "passphrase": self._passphrase})
            private_key, public_key = keys["private_key"], keys["public_key"]
            utils.makedir_p(keys_dir)
            with open(priv_key_path, "wb") as f:
                f.write(private_key.encode("latin-1"))
            with open(pub_key_path, "wb") as f:
                f.write(public_key.encode("latin-1"))
        self._key_pair = {"public_key": public_key, "private_key": private_key}
        _check(self._go_spec())

    def reset_encryption_materials(self, encryption_materials: EncryptionMaterials) -> "BaseCryptoProvider":
        """Refused (ClientError), as oss2's LocalRsaProvider: its key lives in files."""
        raise ClientError("do not support reset_encryption_materials!")

    def _go_spec(self):
        return {"wrap": "rsa-oaep", "public_key": self._key_pair["public_key"],
                "private_key": self._key_pair["private_key"], "passphrase": self._passphrase}


class RsaProvider(BaseCryptoProvider):
    """oss2's RsaProvider: data keys wrapped with an RSA key pair ("RSA/NONE/PKCS1Padding").

    key_pair: {"public_key": PEM, "private_key": PEM} (either alone: write-only or read-only);
    passphrase: for an encrypted PEM. Raises ClientError for a key that cannot be read.
    """

    def __init__(self, key_pair: Optional[KeyPair], passphrase: Optional[Union[str, bytes]] = None,
                 cipher: AESCTRCipher = AESCTRCipher(), mat_desc: Optional[MatDesc] = None) -> None:
        super(RsaProvider, self).__init__(cipher=cipher, mat_desc=mat_desc)
        self.wrap_alg = RSA_NONE_PKCS1Padding_WRAP_ALGORITHM
        if key_pair and not isinstance(key_pair, dict):
            raise ClientError("Invalid type, the type of key_pair must be dict!")
        self._key_pair = dict(key_pair or {})
        self._passphrase = passphrase
        for name in ("public_key", "private_key"):
            value = self._key_pair.get(name)
            if value is not None and not isinstance(value, (str, bytes)):
                raise ClientError("RSA key format is not supported")
            if isinstance(value, bytes):
                self._key_pair[name] = value.decode("latin-1")
        _check(self._go_spec())

    def reset_encryption_materials(self, encryption_materials: EncryptionMaterials) -> "RsaProvider":
        """An RsaProvider with encryption_materials' key pair, passphrase and description."""
        return RsaProvider(encryption_materials.key_pair, encryption_materials.passphrase, self.cipher,
                           encryption_materials.desc)

    def _go_spec(self):
        return {"wrap": "rsa", "public_key": self._key_pair.get("public_key") or "",
                "private_key": self._key_pair.get("private_key") or "",
                "passphrase": to_string(self._passphrase) if self._passphrase else ""}


class AliKMSProvider(BaseCryptoProvider):
    """oss2's AliKMSProvider: data keys from Alibaba Cloud KMS (GenerateDataKey with the master
    key `cmk_id`; Encrypt and Decrypt), signed with access_key_id / access_key_secret (and
    sts_token); `passphrase` becomes the KMS EncryptionContext as in oss2.

    Not in oss2: `endpoint`, KMS's host or URL (a private endpoint, or a test double); the
    default is https://kms.<region>.aliyuncs.com. KMS errors raise OpenApiServerError.
    """

    def __init__(self, access_key_id: str, access_key_secret: str, region: str, cmk_id: str,
                 sts_token: Optional[str] = None, passphrase: Optional[str] = None,
                 cipher: AESCTRCipher = AESCTRCipher(), mat_desc: Optional[MatDesc] = None,
                 endpoint: Optional[str] = None) -> None:
        super(AliKMSProvider, self).__init__(cipher=cipher, mat_desc=mat_desc)
        self.wrap_alg = KMS_ALI_WRAP_ALGORITHM
        self.custom_master_key_id: Optional[str] = cmk_id
        self.sts_token = sts_token
        self.context = '{"x-passphrase":"' + passphrase + '"}' if passphrase else ""
        self._access_key_id = access_key_id
        self._access_key_secret = access_key_secret
        self._region = region
        self.endpoint = endpoint

    def reset_encryption_materials(self, encryption_materials: EncryptionMaterials) -> "AliKMSProvider":
        """A copy of this provider with encryption_materials' master key id, passphrase and
        description."""
        provider = copy.copy(self)
        provider.custom_master_key_id = encryption_materials.custom_master_key_id
        provider.context = ('{"x-passphrase":"' + to_string(encryption_materials.passphrase) + '"}'
                            if encryption_materials.passphrase else "")
        provider.mat_desc = encryption_materials.desc
        return provider

    def _go_spec(self):
        return {"wrap": "kms", "access_key_id": self._access_key_id, "access_key_secret": self._access_key_secret,
                "security_token": self.sts_token or "", "region": self._region,
                "cmk_id": self.custom_master_key_id or "", "context": self.context, "endpoint": self.endpoint or ""}
