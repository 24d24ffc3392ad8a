// Package crypto is oss2's client-side encryption (CryptoBucket) in Go: the object data in
// AES-256-CTR at any offset (so ranged reads and parts are encrypted or decrypted where they
// lie, in parallel), and the data key and IV wrapped by the master key: RSA with PKCS#1 v1.5
// padding (oss2's RsaProvider) or OAEP (LocalRsaProvider), or Alibaba Cloud KMS (AliKMSProvider).
package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// KeySize and BlockSize are oss2's AESCTRCipher's: AES-256, 16-byte counter blocks.
const (
	KeySize   = 32
	BlockSize = aes.BlockSize
)

// CTR is AES-256-CTR under one data key and starting counter (the IV, a 128-bit big-endian
// number, as oss2's Counter.new(128, initial_value=iv)), usable at any byte offset.
type CTR struct {
	block cipher.Block
	iv    [BlockSize]byte
}

// NewCTR checks key (32 bytes) and iv (16 bytes).
func NewCTR(key, iv []byte) (*CTR, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("crypto: data key of %d bytes, want %d", len(key), KeySize)
	}
	if len(iv) != BlockSize {
		return nil, fmt.Errorf("crypto: IV of %d bytes, want %d", len(iv), BlockSize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	c := &CTR{block: block}
	copy(c.iv[:], iv)
	return c, nil
}

// counter is the IV plus n blocks, wrapping at 2^128 as the 128-bit counter does.
func (c *CTR) counter(n uint64) []byte {
	hi, lo := binary.BigEndian.Uint64(c.iv[:8]), binary.BigEndian.Uint64(c.iv[8:])
	sum := lo + n
	if sum < lo {
		hi++
	}
	out := make([]byte, BlockSize)
	binary.BigEndian.PutUint64(out[:8], hi)
	binary.BigEndian.PutUint64(out[8:], sum)
	return out
}

// XORAt encrypts (or decrypts: CTR is its own inverse) src into dst, src being the bytes at
// offset off of the object. dst and src may be the same slice.
func (c *CTR) XORAt(dst, src []byte, off int64) {
	s := cipher.NewCTR(c.block, c.counter(uint64(off)/BlockSize))
	if skip := int(off % BlockSize); skip > 0 {
		var pad [BlockSize]byte
		s.XORKeyStream(pad[:skip], pad[:skip])
	}
	s.XORKeyStream(dst[:len(src)], src)
}

// parallelChunk is the share of a large buffer one goroutine does in XORAtParallel.
const parallelChunk = 4 << 20

// XORAtParallel is XORAt spread over the CPUs for a large buffer (a whole read()).
func (c *CTR) XORAtParallel(dst, src []byte, off int64) {
	if len(src) <= parallelChunk {
		c.XORAt(dst, src, off)
		return
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for at := 0; at < len(src); at += parallelChunk {
		end := min(at+parallelChunk, len(src))
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.XORAt(dst[at:end], src[at:end], off+int64(at))
			<-sem
		}()
	}
	wg.Wait()
}

// ReaderAt encrypts what it reads from R, whose offset 0 is the object's offset Base (an
// upload part's start): a multipart upload reading its parts in parallel gets each encrypted
// where it lies.
type ReaderAt struct {
	R    io.ReaderAt
	C    *CTR
	Base int64
}

func (r *ReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.R.ReadAt(p, off)
	r.C.XORAt(p[:n], p[:n], r.Base+off)
	return n, err
}
