package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/pyjindo/pyjindo/go/transfer"
)

// The quick door: the small calls made most often (head_object, object_exists, put_object, a
// small get_object) without JSON, for go/capi's pj_call. It runs the same typed functions as the
// registry's JSON door (request, and get_open's openStream) with the same argument structs,
// filled from one block of strings; the result comes back in a compact form. It exists for
// cost only: about 250 us of Python per call went to JSON and dict building (docs/ARCHITECTURE.md,
// "The C ABI").
//
// Arguments: UTF-8 text, fields separated by NUL:
//
//	method, bucket, key, operation (the write whose CRC is checked, "" for none), parse,
//	n (number of query parameters), then n (name, value) pairs, then header (name, value) pairs
//
// Header names and values are Latin-1 text, as in the JSON door. The caller's buffer is the body.
//
// Result: 'J' and the JSON door's {"ok": ...} or {"error": ...} (errors, and answers the compact
// form cannot carry: a parsed document, a NUL in a header), or 'C' and NUL-terminated fields
//
//	status, request_id, duration, stream (a handle, 0 for none), length, crc,
//	deferred (an error JSON read() raises, or ""), then header (name, value) pairs,
//
// then, after them, the body: its last `length` bytes when stream is 0 and length >= 0.

// Quick operation kinds (pj_call's kind).
const (
	QuickRequest = 1 // the request operation (head, put, exists, ...)
	QuickGet     = 2 // get_open, with the body of a small object read at once
)

// QuickGetMax is the largest object a quick get reads whole (if it also fits the first part);
// larger ones come back as a stream, as get_open's.
const QuickGetMax = 1 << 20

// QuickInline tells whether quick operation kind with args and a body of bodyLen bytes may run on
// its caller's thread within a budget (go/oss DirectRun): one request (not a multipart upload)
// that may be sent twice (a handed-off exchange that failed is made again by the run that
// continues it), with a body small enough to send within the budget.
func (s *Session) QuickInline(kind int, block string, bodyLen int) bool {
	if bodyLen > directBodyMax || (kind != QuickRequest && kind != QuickGet) {
		return false
	}
	switch method, _, _ := strings.Cut(block, "\x00"); method {
	case http.MethodGet, http.MethodHead, http.MethodDelete:
		return true
	case http.MethodPut:
		a, err := QuickArgs(block)
		return err == nil && !transfer.UseMultipart(a.request(a.Method), int64(bodyLen), s.MultipartThreshold)
	}
	return false
}

// directBodyMax is the largest body a quick operation sends on its caller's thread.
const directBodyMax = 1 << 20

// QuickArgs are the arguments of a quick call, decoded from its block.
func QuickArgs(block string) (*RequestArgs, error) {
	f := strings.Split(block, "\x00")
	if len(f) < 6 {
		return nil, clientErrorf("bad quick arguments: %d fields", len(f))
	}
	a := &RequestArgs{Method: f[0], Parse: f[4]}
	a.Bucket, a.Key = f[1], f[2]
	if f[3] != "" {
		a.CheckCRC, a.Operation = true, f[3]
	}
	n, err := strconv.Atoi(f[5])
	rest := f[6:]
	if err != nil || n < 0 || 2*n > len(rest) || (len(rest)-2*n)%2 != 0 {
		return nil, clientErrorf("bad quick arguments: %d fields, %q parameters", len(f), f[5])
	}
	for i := 0; i < n; i++ {
		a.Params = append(a.Params, [2]string{rest[2*i], rest[2*i+1]})
	}
	rest = rest[2*n:]
	for i := 0; i+1 < len(rest); i += 2 {
		a.Headers = append(a.Headers, [2]string{rest[i], rest[i+1]})
	}
	return a, nil
}

// RunQuick runs quick operation kind with args and returns its result, compact or JSON; it never
// fails (an error is a JSON result).
func RunQuick(ctx context.Context, c *Call, kind int, args string) []byte {
	a, err := QuickArgs(args)
	if err != nil {
		return quickJSON(nil, err)
	}
	switch kind {
	case QuickRequest:
		res, err := request(ctx, c, a)
		if err != nil {
			return quickJSON(nil, err)
		}
		var body []byte
		switch b := res.Body.(type) {
		case nil:
		case string:
			body = []byte(FromLatin1(b))
		default: // a parsed document
			return quickJSON(res, nil)
		}
		if out, ok := compact(res, 0, int64(len(body)), "", "", body, c.result); ok {
			return out
		}
		return quickJSON(res, nil)
	case QuickGet:
		return quickGet(ctx, c, &a.Target)
	}
	return quickJSON(nil, clientErrorf("unknown quick operation %d", kind))
}

// quickGet opens the object as get_open does; a small object that fits the first part is read
// at once (its body and CRC in the result, a failure of that read deferred to the caller's
// read(), where the stream would have raised it), any other comes back as a stream.
func quickGet(ctx context.Context, c *Call, t *Target) []byte {
	st, resp, stop, err := openStream(ctx, c, t)
	if err != nil {
		return quickJSON(nil, err)
	}
	n := st.body.Length()
	if n < 0 || n > QuickGetMax || n > c.Session.Transfer.PartSize && c.Session.Transfer.PartSize > 0 {
		stop()
		h := c.Handles.New(st)
		if out, ok := compact(resp, h, n, "", "", nil, c.result); ok {
			return out
		}
		return quickJSON(GetOpenResult{Response: resp, Stream: HandleRef{h, "GetObjectResult"}, Length: n}, nil)
	}
	defer st.Close()
	// The result is built in place: its fields, with room for the CRC (known once the body is
	// read: zero-padded to its largest length), then the body copied straight behind them
	// (from the direct exchange's buffer, which read the body whole within the budget). No
	// further copy in Go, and none in the C caller's when Call.Result gives memory.
	fields, ok := compact(resp, 0, n, "", "", nil, nil)
	var out, body []byte
	crcAt := 0
	if ok {
		crcAt = afterField(fields, 5) // status, request id, duration, stream and length
		out = c.result(len(fields) + maxCRCDigits + int(n))
		copy(out, fields[:crcAt])
		copy(out[crcAt+maxCRCDigits:], fields[crcAt:])
		body = out[len(fields)+maxCRCDigits:]
	} else {
		body = make([]byte, n)
	}
	_, err = st.body.ReadAll(body, c.Progress.Add, nil) // still bound to ctx since the open
	stop()
	if err != nil {
		if ctx.Err() != nil {
			return quickJSON(nil, ctx.Err()) // Ctrl-C: the call itself is interrupted
		}
		b, _ := json.Marshal(ErrorDict(err))
		if out, ok := compact(resp, 0, 0, "", string(b), nil, nil); ok {
			return out
		}
		return quickGetJSON(resp, nil, "", string(b))
	}
	crc := st.body.CRC()
	if !ok {
		return quickGetJSON(resp, body, strconv.FormatUint(crc, 10), "")
	}
	digits := out[crcAt : crcAt+maxCRCDigits]
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = byte('0' + crc%10)
		crc /= 10
	}
	return out
}

// quickGetJSON is a small get's result in the JSON door's shape (a NUL in a header), the body
// as Latin-1 text.
func quickGetJSON(resp Response, body []byte, crc, deferred string) []byte {
	return quickJSON(map[string]any{"status": resp.Status, "request_id": resp.RequestID, "headers": resp.Headers,
		"duration": resp.Duration, "stream": nil, "length": len(body), "crc": crc, "deferred": deferred,
		"data": Latin1(body)}, nil)
}

// afterField is where field k (from 0) of a compact result starts: after k NULs.
func afterField(b []byte, k int) int {
	at := 0
	for ; k > 0; k-- {
		at += bytes.IndexByte(b[at:], 0) + 1
	}
	return at
}

// compact is the 'C' form of a result, or false when a header or the request id holds a NUL;
// built in memory from alloc (Call.result: go/capi's C memory, handed over without a copy) when
// not nil.
func compact(r Response, stream uint64, length int64, crc, deferred string, body []byte, alloc func(int) []byte) ([]byte, bool) {
	size := compactSize(r, crc, deferred) + len(body)
	var b []byte
	if alloc != nil {
		b = alloc(size)[:0] // size is at least the length: the appends stay in it
	} else {
		b = make([]byte, 0, size)
	}
	b = append(b, 'C')
	b = strconv.AppendInt(b, int64(r.Status), 10)
	b = append(b, 0)
	b = append(b, r.RequestID...)
	b = append(b, 0)
	b = strconv.AppendFloat(b, r.Duration, 'g', -1, 64)
	b = append(b, 0)
	b = strconv.AppendUint(b, stream, 10)
	b = append(b, 0)
	b = strconv.AppendInt(b, length, 10)
	b = append(b, 0)
	b = append(b, crc...)
	b = append(b, 0)
	b = append(b, deferred...)
	b = append(b, 0)
	if strings.IndexByte(r.RequestID, 0) >= 0 {
		return nil, false
	}
	for _, kv := range r.Headers {
		// Latin-1 text back to its bytes: the caller decodes the block as Latin-1
		k, v := FromLatin1(kv[0]), FromLatin1(kv[1])
		if strings.IndexByte(k, 0) >= 0 || strings.IndexByte(v, 0) >= 0 {
			return nil, false
		}
		b = append(b, k...)
		b = append(b, 0)
		b = append(b, v...)
		b = append(b, 0)
	}
	return append(b, body...), true
}

// compactSize is at least the length of the 'C' form of r without its body.
func compactSize(r Response, crc, deferred string) int {
	size := 96 + len(r.RequestID) + len(deferred) + len(crc) // 96: 'C', the numbers and the NULs
	for _, kv := range r.Headers {
		size += len(kv[0]) + len(kv[1]) + 2
	}
	return size
}

// maxCRCDigits is the length of the largest CRC64 in decimal.
const maxCRCDigits = 20

// quickJSON is the 'J' form: the JSON door's result for v, or for err.
func quickJSON(v any, err error) []byte {
	var buf bytes.Buffer
	buf.WriteByte('J')
	var doc any = map[string]any{"ok": v}
	if err != nil {
		doc = map[string]any{"error": ErrorDict(err)}
	}
	if e := json.NewEncoder(&buf).Encode(doc); e != nil {
		buf.Reset()
		buf.WriteByte('J')
		json.NewEncoder(&buf).Encode(map[string]any{"error": ErrorDict(clientErrorf("encode result: %v", e))})
	}
	return buf.Bytes()
}
