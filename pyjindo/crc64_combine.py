"""CRC combination, as oss2.crc64_combine: `mkCombineFun` returns combine(crc1, crc2, len2), the
CRC of A+B from CRC(A), CRC(B) and len(B), for a CRC described as crcmod describes it.

    combine = mkCombineFun(0x142F0E1EBA9EA3693, initCrc=0, rev=True, xorOut=0xFFFFFFFFFFFFFFFF)
    combine(crc64(a), crc64(b), len(b)) == crc64(a + b)

Only 64-bit polynomials are supported, as in oss2 (which fails for other sizes too).
"""

_DIM = 64


def _times(mat, vec):
    """mat (a list of column vectors over GF(2)) times the bit vector vec."""
    total = 0
    i = 0
    while vec:
        if vec & 1:
            total ^= mat[i]
        vec >>= 1
        i += 1
    return total


def _square(mat):
    return [_times(mat, mat[n]) for n in range(_DIM)]


def _append_zeros(one_bit, crc, nbytes):
    """crc advanced over nbytes zero bytes, one_bit being the operator for one zero bit
    (zlib's crc32_combine method: the operator is squared up to 8 bits, then once per bit of
    nbytes)."""
    odd = _square(_square(one_bit))  # four zero bits
    while True:
        even = _square(odd)  # 8, 32, 128, ... bits
        if nbytes & 1:
            crc = _times(even, crc)
        nbytes >>= 1
        if not nbytes:
            return crc
        odd = _square(even)  # 16, 64, 256, ... bits
        if nbytes & 1:
            crc = _times(odd, crc)
        nbytes >>= 1
        if not nbytes:
            return crc


def _one_zero_bit(poly, rev):
    if rev:  # reflected: shifting right, the polynomial enters at the bottom bit
        return [poly] + [1 << n for n in range(_DIM - 1)]
    return [2 << n for n in range(_DIM - 1)] + [poly]


def _degree(poly):
    for n in (8, 16, 24, 32, 64):
        if 1 << n <= poly < 1 << (n + 1):
            return n
    raise ValueError("The degree of the polynomial must be 8, 16, 24, 32 or 64")


def _bitrev(x, n):
    return int(format(x, "0%db" % n)[::-1], 2)


def mkCombineFun(poly, initCrc=~0, rev=True, xorOut=0):
    """A function combine(crc1, crc2, len2) for the CRC with polynomial `poly` (with its top bit,
    as crcmod takes it), initial value `initCrc`, reflection `rev` and final XOR `xorOut`."""
    bits = _degree(int(poly))
    if bits != _DIM:
        raise NotImplementedError("CRC combination is implemented for 64-bit polynomials only")
    mask = (1 << bits) - 1
    p = _bitrev(int(poly) & mask, bits) if rev else int(poly) & mask
    one_bit = _one_zero_bit(p, rev)
    init = int(initCrc) & mask

    def combine_fun(crc1, crc2, len2):
        if len2 == 0:
            return crc1
        return _append_zeros(one_bit, crc1 ^ init, len2) ^ crc2

    return combine_fun
