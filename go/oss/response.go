package oss

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// readResponse reads an answer's head from br as http.ReadResponse does, and builds the same
// *http.Response. An answer of the common shape whose head is already buffered (HTTP/1.1, not
// 1xx, plain header lines, a single Content-Length or none where no body can follow, no
// Transfer-Encoding, Connection, Trailer or Pragma) is read in place: its strings are one
// allocation, its values one slice. net/http's reader costs about 20 allocations for a small
// answer's dozen headers, the largest share of a direct exchange's own work (BenchmarkQuickClient).
// Anything else, or anything this reader is unsure of, goes to http.ReadResponse with nothing
// consumed, so what it accepts, refuses and builds is net/http's.
func readResponse(br *bufio.Reader, req *http.Request) (*http.Response, error) {
	if resp := readCommonResponse(br, req); resp != nil {
		return resp, nil
	}
	return http.ReadResponse(br, req)
}

// maxCommonHeaders is the most header lines readCommonResponse reads itself.
const maxCommonHeaders = 48

// readCommonResponse is readResponse's own reader: nil when the answer is not of the common
// shape (br then untouched).
func readCommonResponse(br *bufio.Reader, req *http.Request) *http.Response {
	buffered, _ := br.Peek(br.Buffered())
	end := bytes.Index(buffered, []byte("\r\n\r\n"))
	if end < 0 {
		return nil
	}
	head := buffered[:end+2] // each line with its CRLF
	line, rest, _ := bytes.Cut(head, []byte("\r\n"))
	status, ok := bytes.CutPrefix(line, []byte("HTTP/1.1 "))
	status = bytes.TrimLeft(status, " ")
	if !ok || !validValue(line) || len(status) < 3 || len(status) > 3 && status[3] != ' ' ||
		status[0] < '2' || status[0] > '5' || !isDigit(status[1]) || !isDigit(status[2]) {
		return nil
	}
	code := int(status[0]-'0')*100 + int(status[1]-'0')*10 + int(status[2]-'0')

	// The lines' spans, checked, then every string cut from one copy of the head in which the
	// names are made canonical.
	var spans [maxCommonHeaders]headerSpan
	n := 0
	at := len(line) + 2
	for len(rest) > 0 {
		l, next, _ := bytes.Cut(rest, []byte("\r\n"))
		name, value, ok := bytes.Cut(l, []byte(":"))
		if !ok || n == len(spans) || len(name) == 0 || !isToken(name) || !validValue(value) {
			return nil // also a folded line (it starts with a space) and a bare LF (a CR in value)
		}
		lead := len(value) - len(bytes.TrimLeft(value, " \t"))
		value = bytes.TrimRight(value[lead:], " \t")
		v0 := at + len(name) + 1 + lead
		spans[n] = headerSpan{at, at + len(name), v0, v0 + len(value)}
		n++
		at += len(l) + 2
		rest = next
	}
	text := canonicalCopy(head, spans[:n])

	header := make(http.Header, n)
	values := make([]string, n)
	lengths := 0
	var length string
	for i, s := range spans[:n] {
		name, value := text[s.name0:s.name1], text[s.value0:s.value1]
		switch name {
		case "Transfer-Encoding", "Trailer", "Pragma":
			return nil
		case "Connection":
			if !strings.EqualFold(value, "keep-alive") {
				return nil
			}
		case "Content-Length":
			lengths++
			length = value
		}
		values[i] = value
		if vs := header[name]; vs != nil {
			header[name] = append(vs, value)
		} else {
			header[name] = values[i : i+1 : i+1]
		}
	}
	noBody := req.Method == http.MethodHead || code == http.StatusNoContent || code == http.StatusNotModified
	contentLength := int64(-1)
	if lengths > 1 {
		return nil
	}
	if lengths == 1 {
		if len(length) == 0 || len(length) > 18 || !isDigits(length) {
			return nil
		}
		contentLength, _ = strconv.ParseInt(length, 10, 64)
	} else if !noBody {
		return nil // a body to the connection's end
	}
	resp := &http.Response{Status: text[len(line)-len(status) : len(line)],
		StatusCode: code, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: header, Request: req,
		ContentLength: contentLength, Body: http.NoBody}
	switch {
	case req.Method == http.MethodHead: // the length is the header's, as net/http has it
	case code == http.StatusNoContent || code == http.StatusNotModified:
		resp.ContentLength = 0
	case contentLength > 0:
		resp.Body = &lengthBody{r: br, left: contentLength}
	}
	br.Discard(end + 4)
	return resp
}

// headerSpan is where a header line's name and value are in an answer's head.
type headerSpan struct{ name0, name1, value0, value1 int }

// canonicalCopy is head as a string, with the names of spans made canonical as
// textproto.CanonicalMIMEHeaderKey does for a token.
func canonicalCopy(head []byte, spans []headerSpan) string {
	var b strings.Builder
	b.Grow(len(head))
	done := 0
	for _, s := range spans {
		b.Write(head[done:s.name0])
		upper := true
		for _, c := range head[s.name0:s.name1] {
			if upper && 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			} else if !upper && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			upper = c == '-'
		}
		done = s.name1
	}
	b.Write(head[done:])
	return b.String()
}

// lengthBody is a body of a known length read from its connection's reader; one that ends
// early fails with io.ErrUnexpectedEOF, as net/http's does. Its last bytes come with io.EOF, as
// net/http's do: a reader that takes exactly the length (io.ReadFull) and closes the body then
// has ended it, and its connection goes back to the pool (directBody) instead of being closed.
type lengthBody struct {
	r    *bufio.Reader
	left int64
}

func (b *lengthBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	switch {
	case err == io.EOF && b.left > 0:
		err = io.ErrUnexpectedEOF
	case err == nil && b.left == 0:
		err = io.EOF
	}
	return n, err
}

func (b *lengthBody) Close() error { return nil }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isToken tells whether name is an RFC 7230 token (a header name textproto makes canonical).
func isToken(name []byte) bool {
	for _, c := range name {
		if !isDigit(c) && !('a' <= c|0x20 && c|0x20 <= 'z') && strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

// validValue tells whether textproto takes v as a header value: no control byte but HTAB
// (bytes from 0x80 are obs-text, allowed).
func validValue(v []byte) bool {
	for _, c := range v {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
