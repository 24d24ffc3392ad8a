package transfer

import (
	"io"
	"sync"
)

// Decoder turns delivered bytes into what the caller's file gets: it writes dst from src, the
// bytes at offset off of the object (a CryptoBucket's AES-CTR, which works at any offset).
// CRC64s stay those of the delivered bytes, which the server's answer describes.
type Decoder func(dst, src []byte, off int64)

// decodedPool holds the copies decodingWriteAt decodes into (the fetcher's buffer must stay as
// it is: its CRC64 is taken after the write).
var decodedPool = sync.Pool{New: func() any { return new([]byte) }}

// decodingWriteAt is write given every piece decoded, start being the delivered bytes' offset
// in the object.
func decodingWriteAt(write func(off int64, b []byte) error, dec Decoder, start int64) func(off int64, b []byte) error {
	return func(off int64, b []byte) error {
		p := decodedPool.Get().(*[]byte)
		defer decodedPool.Put(p)
		if cap(*p) < len(b) {
			*p = make([]byte, len(b))
		}
		out := (*p)[:len(b)]
		dec(out, b, start+off)
		return write(off, out)
	}
}

// decodingWriter decodes what is written to w in order, from offset off of the object.
type decodingWriter struct {
	w   io.Writer
	dec Decoder
	off int64
	buf []byte
}

func (d *decodingWriter) Write(b []byte) (int, error) {
	if cap(d.buf) < len(b) {
		d.buf = make([]byte, len(b))
	}
	out := d.buf[:len(b)]
	d.dec(out, b, d.off)
	n, err := d.w.Write(out)
	d.off += int64(n)
	return n, err
}
