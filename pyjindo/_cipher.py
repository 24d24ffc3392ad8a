"""oss2's data cipher for client-side encryption, AES-256-CTR (oss2.utils.AESCTRCipher): the
rules Python applies (range widening to a block boundary, counter offsets, part sizes). The
keystream itself runs in Go (go/oss/crypto), which also draws the data keys and IVs, so this
class has no encrypt or decrypt of its own."""
from . import defaults
from .exceptions import ClientError

AES_GCM = "AES/GCM/NoPadding"
AES_CTR = "AES/CTR/NoPadding"

_AES_256_KEY_SIZE = 32
_AES_BLOCK_LEN = 16
_AES_BLOCK_BITS_LEN = 8 * 16


class AESCTRCipher(object):
    """oss2.utils.AESCTRCipher: AES-256 in CTR mode, 16-byte blocks."""

    def __init__(self):
        self.alg = AES_CTR
        self.key_len = _AES_256_KEY_SIZE
        self.block_size_len = _AES_BLOCK_LEN
        self.block_size_len_in_bits = _AES_BLOCK_BITS_LEN

    def is_block_aligned(self, offset):
        return (offset or 0) % self.block_size_len == 0

    def adjust_range(self, start, end):
        """(start, end) with start moved down to its block's first byte, as oss2 does."""
        if start:
            if end:
                if start <= end:
                    start = (start // self.block_size_len) * self.block_size_len
            else:
                start = (start // self.block_size_len) * self.block_size_len
        return start, end

    def is_valid_part_size(self, part_size, data_size):
        if not self.is_block_aligned(part_size) or part_size < defaults.min_part_size:
            return False
        return part_size * defaults.max_part_count >= data_size

    def calc_offset(self, offset):
        """The counter offset (in blocks) of a byte offset, which must be block aligned."""
        if not self.is_block_aligned(offset):
            raise ClientError("offset is not align to encrypt block")
        return offset // self.block_size_len

    def determine_part_size(self, data_size, excepted_part_size=None):
        """A part size valid for a multipart upload of data_size bytes, as oss2 picks it."""
        if excepted_part_size:
            if self.is_valid_part_size(excepted_part_size, data_size):
                return excepted_part_size
            if excepted_part_size * defaults.max_part_count >= data_size:
                return int(excepted_part_size / self.block_size_len + 1) * self.block_size_len
        part_size = defaults.part_size
        while part_size * defaults.max_part_count < data_size:
            part_size = part_size * 2
        if not self.is_block_aligned(part_size):
            part_size = int(part_size / self.block_size_len + 1) * self.block_size_len
        return part_size
