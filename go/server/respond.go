package server

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// loopResponse is the connection loop's http.ResponseWriter, one per connection, reset for each
// request. It answers as net/http's does for an HTTP/1.1 request (the head's fields, their
// order, when Content-Length is added, chunking, sniffing, keep-alive), but writes the head and
// a body of known length with one system call where it can. The handlers set no trailers,
// Transfer-Encoding or 1xx status, which it therefore does not handle. It and the request's
// body are used from the connection's goroutine only (the handlers start none that touches
// them; net/http's allow a ResponseController from another goroutine, these do not).
type loopResponse struct {
	c      *conn
	req    *http.Request
	body   *body // the request body as it came; nil when it has none
	header http.Header
	// snapshot is the header as it was at WriteHeader, for a head sent later (net/http's).
	snapshot    http.Header
	status      int
	wroteHeader bool // WriteHeader was called
	headSent    bool // the head is in c.out or on the wire
	handlerDone bool
	chunking    bool
	isHead      bool
	wantsClose  bool // the client asked to close (net/http's wantsClose)
	closeAfter  bool // the connection ends after this response
	limitHit    bool // the unread body was too large to skip
	length      int64
	written     int64
	pending     []byte // body bytes before the head (length unknown or Content-Type to sniff)
}

// bufferBeforeChunking is how much body net/http holds before deciding between an added
// Content-Length and chunking, and from which it sniffs a Content-Type.
const bufferBeforeChunking = 2048

// maxPostHandlerReadBytes is how much unread request body net/http reads past to keep a
// connection.
const maxPostHandlerReadBytes = 256 << 10

func (w *loopResponse) reset(req *http.Request, b *body) {
	clear(w.header)
	pending := w.pending[:0]
	*w = loopResponse{c: w.c, req: req, body: b, header: w.header, length: -1, pending: pending,
		isHead:     req.Method == http.MethodHead,
		wantsClose: req.Close || hasToken(req.Header.Get("Connection"), "close")}
}

func (w *loopResponse) Header() http.Header { return w.header }

func (w *loopResponse) WriteHeader(code int) {
	if w.wroteHeader {
		w.c.loop.logf("http: superfluous response.WriteHeader call")
		return
	}
	if code < 100 || code > 999 {
		panic("invalid WriteHeader code " + strconv.Itoa(code))
	}
	w.wroteHeader, w.status = true, code
	if cl := w.header.Get("Content-Length"); cl != "" {
		if v, err := strconv.ParseInt(cl, 10, 64); err == nil && v >= 0 {
			w.length = v
		} else {
			w.c.loop.logf("http: invalid Content-Length of %q", cl)
			w.header.Del("Content-Length")
		}
	}
	_, typed := w.header["Content-Type"]
	unread := w.req.ContentLength != 0 && w.body != nil && !w.body.sawEOF && !w.body.closed
	if w.length == -1 || unread || bodyAllowed(code) && !typed && w.header.Get("Content-Encoding") == "" && w.length > 0 {
		// The head waits for the body (to add a length, or sniff a type; or, with the request's
		// body unread, because sending it skips that body, which the handler may still read)
		// and must show the header as it is now.
		w.snapshot = w.header.Clone()
		return
	}
	w.writeHead(nil)
}

func (w *loopResponse) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	w.written += int64(len(p))
	if w.length != -1 && w.written > w.length {
		return 0, http.ErrContentLength
	}
	if w.headSent {
		return len(p), w.emit(p)
	}
	if len(w.pending)+len(p) <= bufferBeforeChunking {
		w.pending = append(w.pending, p...)
		return len(p), nil
	}
	// The buffer overflows: the head goes out with what the body begins with, as net/http's.
	first, rest := p, []byte(nil)
	if len(w.pending) > 0 {
		n := bufferBeforeChunking - len(w.pending)
		w.pending = append(w.pending, p[:n]...)
		first, rest = w.pending, p[n:]
	}
	w.writeHead(first)
	err := w.emit(first)
	w.pending = w.pending[:0]
	if err == nil && len(rest) > 0 {
		err = w.emit(rest)
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush sends what is buffered (http.Flusher; the fault injector uses it).
func (w *loopResponse) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	w.sendPending()
	w.c.flush()
}

// SetReadDeadline and SetWriteDeadline are what http.ResponseController finds: the body
// timeouts of the handlers.
func (w *loopResponse) SetReadDeadline(t time.Time) error { return w.c.in.set(t) }

func (w *loopResponse) SetWriteDeadline(t time.Time) error {
	w.c.writeDeadline = !t.IsZero()
	return w.c.rwc.SetWriteDeadline(t)
}

// sendPending writes the head, if it is not out yet, and the body bytes held for it.
func (w *loopResponse) sendPending() {
	if w.headSent {
		return
	}
	w.writeHead(w.pending)
	w.emit(w.pending)
	w.pending = w.pending[:0]
}

// finish ends the response after the handler returns, as net/http's finishRequest, and tells
// whether the connection can serve another request.
func (w *loopResponse) finish() bool {
	w.handlerDone = true
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	w.sendPending()
	if w.chunking {
		w.c.out = append(w.c.out, "0\r\n\r\n"...)
	}
	w.c.flush()
	if w.body != nil {
		w.body.Close()
	}
	switch {
	case w.closeAfter, w.c.werr != nil, w.body != nil && w.body.earlyClose:
		return false
	case !w.isHead && w.length != -1 && bodyAllowed(w.status) && w.length != w.written:
		return false // the body fell short: the client cannot find the next response
	}
	return true
}

// emit appends body bytes to the connection's output, framed as a chunk when chunking; HEAD
// answers carry none.
func (w *loopResponse) emit(p []byte) error {
	if w.isHead || len(p) == 0 {
		return nil
	}
	c := w.c
	if w.chunking {
		c.out = strconv.AppendInt(c.out, int64(len(p)), 16)
		c.out = append(c.out, "\r\n"...)
		if err := c.write(p); err != nil {
			return err
		}
		c.out = append(c.out, "\r\n"...)
		return nil
	}
	return c.write(p)
}

// Headers writeHead may leave out of the handler's.
const (
	dropLength = 1 << iota
	dropEncoding
	dropConnection
	dropType
)

// writeHead puts the status line and header into the connection's output, deciding what
// net/http's chunkWriter.writeHeader decides; p is the start of the body, if known.
func (w *loopResponse) writeHead(p []byte) {
	w.headSent = true
	c := w.c
	h := w.header
	if w.snapshot != nil {
		h = w.snapshot
	}
	keepAlives := !c.loop.shuttingDown()
	allowed := bodyAllowed(w.status)
	drop := 0
	var addLength, addDate bool
	var addType, addConnection, addEncoding string
	if _, ok := h["Content-Length"]; !ok && w.handlerDone && allowed && (!w.isHead || len(p) > 0) {
		w.length, addLength = int64(len(p)), true
	}
	if w.wantsClose || h.Get("Connection") == "close" || !keepAlives {
		w.closeAfter = true
	}
	if w.req.ContentLength != 0 && !w.closeAfter {
		w.skipBody()
		if w.limitHit {
			drop |= dropConnection
			addConnection = "close"
		}
	}
	if allowed {
		_, typed := h["Content-Type"]
		if !typed && h.Get("Content-Encoding") == "" && len(p) > 0 {
			addType = http.DetectContentType(p)
		}
	} else {
		drop |= dropLength | dropEncoding
		if w.status == http.StatusNotModified {
			drop |= dropType
		}
	}
	if _, ok := h["Date"]; !ok {
		addDate = true
	}
	switch {
	case w.isHead || !allowed || w.status == http.StatusNoContent, w.length != -1:
		drop |= dropEncoding
	default:
		w.chunking = true
		addEncoding = "chunked"
		drop |= dropLength
	}
	if w.closeAfter && (!keepAlives || !hasToken(h.Get("Connection"), "close")) {
		drop |= dropConnection
		addConnection = "close"
	}

	out := append(c.out, "HTTP/1.1 "...)
	if text := http.StatusText(w.status); text != "" {
		out = strconv.AppendInt(out, int64(w.status), 10)
		out = append(out, ' ')
		out = append(out, text...)
	} else {
		out = append(out, strconv.Itoa(w.status)+" status code "+strconv.Itoa(w.status)...)
	}
	out = append(out, "\r\n"...)
	keys := c.keys[:0]
	for k := range h {
		if !dropped(k, drop) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !validName(k) {
			continue // net/http drops what it cannot send
		}
		for _, v := range h[k] {
			out = appendField(out, k, headerValue(v))
		}
	}
	c.keys = keys[:0]
	if addDate {
		out = appendField(out, "Date", c.loop.date(time.Now()))
	}
	if addLength {
		out = appendField(out, "Content-Length", strconv.FormatInt(w.length, 10))
	}
	for _, kv := range [...][2]string{{"Content-Type", addType}, {"Connection", addConnection}, {"Transfer-Encoding", addEncoding}} {
		if kv[1] != "" {
			out = appendField(out, kv[0], kv[1])
		}
	}
	c.out = append(out, "\r\n"...)
}

// skipBody reads past a request body the handler left unread before the answer goes out, so
// the connection can serve the next request, as net/http does; a body too large to skip, or a
// failure, closes the connection instead.
func (w *loopResponse) skipBody() {
	b := w.body
	if w.req.Body == b { // net/http looks at the body it gave, unless the handler replaced it
		switch {
		case b.closed:
			w.closeAfter = w.closeAfter || !b.sawEOF
			return
		case b.left >= maxPostHandlerReadBytes:
			w.closeAfter, w.limitHit = true, true
			return
		}
	}
	switch _, err := io.CopyN(io.Discard, b, maxPostHandlerReadBytes+1); err {
	case nil:
		w.closeAfter, w.limitHit = true, true
	case io.EOF, http.ErrBodyReadAfterClose:
	default:
		w.closeAfter = true
	}
}

func appendField(out []byte, k, v string) []byte {
	out = append(out, k...)
	out = append(out, ": "...)
	out = append(out, v...)
	return append(out, "\r\n"...)
}

func dropped(k string, drop int) bool {
	switch k {
	case "Content-Length":
		return drop&dropLength != 0
	case "Transfer-Encoding":
		return drop&dropEncoding != 0
	case "Connection":
		return drop&dropConnection != 0
	case "Content-Type":
		return drop&dropType != 0
	}
	return false
}

func validName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !isToken(k[i]) {
			return false
		}
	}
	return true
}

// headerValue is v as net/http sends it: line breaks made spaces, outer white space trimmed.
func headerValue(v string) string {
	if strings.ContainsAny(v, "\r\n") {
		v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
	}
	return strings.Trim(v, " \t\r\n")
}

func bodyAllowed(status int) bool {
	return !(status >= 100 && status <= 199 || status == http.StatusNoContent || status == http.StatusNotModified)
}

// body is a request body of known length, read through the connection's buffer. It ends as
// net/http's does: io.EOF with the last bytes, io.ErrUnexpectedEOF if the client stops short,
// http.ErrBodyReadAfterClose once the request is over.
type body struct {
	c          *conn
	left       int64
	sawEOF     bool
	closed     bool
	closing    bool // the client asked to close the connection: no need to read to the end
	earlyClose bool // closed with more left than is worth reading
}

func (b *body) Read(p []byte) (int, error) {
	if b.closed {
		return 0, http.ErrBodyReadAfterClose
	}
	if b.sawEOF || b.left == 0 {
		b.sawEOF = true
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.c.br.Read(p)
	b.left -= int64(n)
	switch {
	case err == io.EOF:
		b.sawEOF = true
		if b.left > 0 {
			err = io.ErrUnexpectedEOF
		}
	case err == nil && b.left == 0:
		b.sawEOF, err = true, io.EOF
	}
	return n, err
}

// Close ends the body at the end of the request, reading what is left when that is little, so
// the connection can go on.
func (b *body) Close() error {
	if b.closed {
		return nil
	}
	var err error
	switch {
	case b.sawEOF, b.closing:
	case b.left > maxPostHandlerReadBytes:
		b.earlyClose = true
	default:
		var n int64
		n, err = io.CopyN(io.Discard, b, maxPostHandlerReadBytes)
		if err == io.EOF {
			err = nil
		}
		if n == maxPostHandlerReadBytes {
			b.earlyClose = true
		}
	}
	b.closed = true
	return err
}
