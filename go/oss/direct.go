package oss

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// The direct exchange: a small request's whole HTTP/1.1 exchange (write the request, read the
// answer) on the goroutine that makes it, with its own pool of connections.
//
// Why: net/http hands every request to two goroutines of its connection (writeLoop and
// readLoop) and back. For a goroutine that runs a C caller's call (go/capi: cgo locks it to the
// caller's thread) each hand-off is a wake-up of another OS thread and a sleep of this one: 8-10
// context switches per small call, most of the client's cost of a HEAD. Done in place the
// exchange costs about half as much CPU (measured in docs/ARCHITECTURE.md, "The C ABI").
//
// A context marked with a DirectRun (WithDirect) sends its requests this way; go/ops marks its
// quick operations (head, put, exists, small get). With a budget (the C caller's wait slice), an
// exchange not over by then is handed off: its request fails with ErrHandedOff, the caller runs
// the operation again on a goroutine of its own, and that run's first exchange continues the one
// handed off (Resume) instead of sending the request again. So a C caller gets its thread back
// within the budget, to see Ctrl-C, as the wait-slice rule of DESIGN.md asks.

// DirectRun marks the requests of one run of an operation as direct exchanges.
type DirectRun struct {
	// Budget, when set, is when the caller wants its thread back: an exchange still running then
	// is handed off. It applies until End.
	Budget time.Time

	mu        sync.Mutex
	ended     atomic.Bool
	handedOff bool
	pending   *exchange // an exchange handed off that the run's Resume continues
	failure   *failure  // a failed attempt handed off that the run's Resume counts as its first
}

// failure is the first attempt of a request, failed in a way its retry policy would retry: the
// retries are made by the run on a goroutine (no retry wait on a C caller's thread), which
// counts this attempt as its first.
type failure struct {
	method, url string
	err         error
}

// WithDirect marks ctx's requests as direct exchanges of run d.
func WithDirect(ctx context.Context, d *DirectRun) context.Context {
	return context.WithValue(ctx, directKey{}, d)
}

type directKey struct{}

// DirectFrom is the DirectRun ctx is marked with, or nil.
func DirectFrom(ctx context.Context) *DirectRun {
	d, _ := ctx.Value(directKey{}).(*DirectRun)
	return d
}

// ErrHandedOff is the error of a request whose exchange did not end within its run's budget; the
// run is to be made again on another goroutine with Resume.
var ErrHandedOff = errors.New("oss: the exchange was handed off to another goroutine")

// End says the budgeted part of the run is over: requests made later under the same context
// (the parts of a stream the run opened) run without the budget.
func (d *DirectRun) End() { d.ended.Store(true) }

// HandedOff tells whether a request of the run was handed off.
func (d *DirectRun) HandedOff() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.handedOff
}

// Resume is the run to make instead of one handed off: its first exchange continues the one
// handed off, if there is one to continue (else its requests are sent again).
func (d *DirectRun) Resume() *DirectRun {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, f := d.pending, d.failure
	d.pending, d.failure = nil, nil
	return &DirectRun{pending: p, failure: f}
}

// Discard closes the connection of an exchange handed off to this run that it never continued
// (it ended before its first request: cancelled, or failed): call it once the run is over.
func (d *DirectRun) Discard() {
	if x := d.takePending(); x != nil {
		x.conn.close()
	}
}

// inBudget tells whether the run's exchanges have a budget now.
func (d *DirectRun) inBudget() bool { return !d.budget().IsZero() }

// handOffFailure hands the run off after the first attempt of a request failed with err.
func (d *DirectRun) handOffFailure(method, url string, err error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.handedOff = true
	d.failure = &failure{method: method, url: url, err: err}
	return ErrHandedOff
}

// takeFailure is the failed first attempt an earlier run handed off for this request, if any.
func (d *DirectRun) takeFailure(method string, url func() string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.failure
	if f == nil {
		return nil
	}
	d.failure = nil
	if f.method != method || f.url != url() {
		return nil
	}
	return f.err
}

// budget is the deadline of the run's exchanges now (zero: none).
func (d *DirectRun) budget() time.Time {
	if d.ended.Load() {
		return time.Time{}
	}
	return d.Budget
}

func (d *DirectRun) handOff(x *exchange) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.handedOff = true
	if d.pending != nil {
		d.pending.conn.close()
	}
	d.pending = x
	return ErrHandedOff
}

func (d *DirectRun) takePending() *exchange {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.pending
	d.pending = nil
	return p
}

// directBufferMax is the largest answer body read whole inside a budgeted exchange (a quick
// get's largest object, go/ops QuickGetMax): so that reading it is part of the budget too.
const directBufferMax = 1 << 20

// directPool holds a client's direct connections (idle ones last in, first out).
type directPool struct {
	dialer      *net.Dialer
	tls         *tls.Config // nil for http
	readTimeout time.Duration
	maxIdle     int

	mu   sync.Mutex
	idle []*directConn
	// bodies are the buffers of bodies read whole (*[]byte), back from closed bufferedBodys: a
	// small get's body is otherwise 16 KiB of garbage a call
	bodies sync.Pool
	waits  answerWaits // of the connections out of Go's poller
}

// answerWaits is how long reads on a pool's connections out of Go's poller waited for their
// bytes, as a moving average, and how many threads spin for them now (sockConn.spinRead).
type answerWaits struct {
	avg      atomic.Int64 // ns; each new wait counts for 1/8; 0: none yet
	spinning atomic.Int32
	spinners int32 // at most this many spin at once: one less than GOMAXPROCS (which follows a container's CPU limit)
}

// spinMax is the longest a read spins; answers that take half as long on average are those
// worth spinning for.
const spinMax = 100 * time.Microsecond

func newAnswerWaits(cpus int) answerWaits { return answerWaits{spinners: int32(cpus - 1)} }

// spinStart tells whether a read may spin now; if so, spinEnd must follow.
func (w *answerWaits) spinStart() bool {
	if avg := w.avg.Load(); avg == 0 || avg > int64(spinMax/2) {
		return false
	}
	if w.spinning.Add(1) > w.spinners {
		w.spinning.Add(-1)
		return false
	}
	return true
}

func (w *answerWaits) spinEnd() { w.spinning.Add(-1) }

// learn counts a read's wait d in the average (racing updates may lose one: it is a trend).
func (w *answerWaits) learn(d time.Duration) {
	avg := w.avg.Load()
	if avg == 0 {
		w.avg.Store(max(int64(d), 1))
		return
	}
	w.avg.Store(max(avg+(int64(d)-avg)/8, 1))
}

type directConn struct {
	net.Conn // sock, or TLS over it
	sock     net.Conn
	unpolled bool // sock is out of Go's network poller (unpolled)
	tls      bool
	br       *bufio.Reader
	bw       *bufio.Writer
	addr     string
	idleFrom time.Time
	ended    atomic.Bool // a watched context ended: the deadlines stay in the past (watch)
}

// close closes c's socket. Over TLS it is an abort, without the close_notify alert that
// tls.Conn.Close writes: that write waits up to 5 s for room in a full send buffer (a write cut
// off by the budget), on a C caller's thread that must come back within its wait slice.
func (c *directConn) close() { c.sock.Close() }

// The deadlines of a connection whose watched context ended stay in the past: one set later
// (the read's, once the request is written) must not undo the watch, or a cancel that came
// meanwhile would wait for the answer until the read timeout.
func (c *directConn) SetDeadline(t time.Time) error { return c.setDeadline(c.Conn.SetDeadline, t) }
func (c *directConn) SetReadDeadline(t time.Time) error {
	return c.setDeadline(c.Conn.SetReadDeadline, t)
}
func (c *directConn) SetWriteDeadline(t time.Time) error {
	return c.setDeadline(c.Conn.SetWriteDeadline, t)
}

func (c *directConn) setDeadline(set func(time.Time) error, t time.Time) error {
	err := set(t)
	if c.ended.Load() { // the watch stored it before its own setting, which may have come first
		c.Conn.SetDeadline(aLongTimeAgo)
	}
	return err
}

// directIdleTimeout is how long an idle connection is kept (net/http's transport keeps its own
// for 50 s; OSS closes idle ones after about a minute).
const directIdleTimeout = 30 * time.Second

// conn is an idle connection to addr that the server has not closed, or a new one.
func (p *directPool) conn(ctx context.Context, addr, host string, deadline time.Time) (*directConn, error) {
	unpoll := canUnpoll && !deadline.IsZero() // a budget: an exchange on a C caller's thread
	for c := p.idleConn(addr, unpoll); c != nil; c = p.idleConn(addr, unpoll) {
		if time.Since(c.idleFrom) < directIdleTimeout && c.open() {
			return c, nil
		}
		c.close()
	}
	d := *p.dialer
	if !deadline.IsZero() {
		d.Deadline = deadline
	}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &directConn{Conn: nc, sock: nc, addr: addr}
	if unpoll {
		if c.sock, c.unpolled, err = unpolled(nc, &p.waits); err != nil {
			return nil, err
		}
		c.Conn = c.sock
	}
	if p.tls != nil {
		cfg := p.tls.Clone()
		cfg.ServerName = host
		tc := tls.Client(c.sock, cfg)
		if !deadline.IsZero() {
			tc.SetDeadline(deadline)
		}
		if err := tc.HandshakeContext(ctx); err != nil {
			c.sock.Close()
			return nil, err
		}
		tc.SetDeadline(time.Time{})
		c.Conn, c.tls = tc, true
	}
	c.br, c.bw = bufio.NewReaderSize(c.Conn, 32<<10), bufio.NewWriterSize(c.Conn, 32<<10)
	return c, nil
}

// idleConn takes the idle connection to addr used last, of the kind asked for (out of Go's
// network poller or in it), or nil.
func (p *directPool) idleConn(addr string, unpolled bool) *directConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.idle) - 1; i >= 0; i-- {
		if c := p.idle[i]; c.addr == addr && c.unpolled == unpolled {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			return c
		}
	}
	return nil
}

// open tells whether an idle connection can carry a request: the server has not closed it nor
// sent anything unasked. A look at the socket (idleSocket): about a microsecond. Over TLS a
// record may come unasked and leave the connection open (a session ticket): pending bytes are
// read through TLS at once, and the connection is open only if they carried no data, no alert
// and no end.
func (c *directConn) open() bool {
	if c.br.Buffered() != 0 {
		return false
	}
	switch idleSocket(c.sock) {
	case socketEmpty:
		return true
	case socketPending:
		if !c.tls {
			return false
		}
	default:
		return false
	}
	// what has come, and nothing more: a deadline already past would read nothing at all on a
	// socket in Go's poller
	c.Conn.SetReadDeadline(time.Now().Add(time.Millisecond))
	_, err := c.br.Peek(1)
	c.Conn.SetReadDeadline(time.Time{})
	var timeout net.Error
	return c.br.Buffered() == 0 && errors.As(err, &timeout) && timeout.Timeout()
}

// What a look at an idle socket's receive queue finds (idleSocket).
const (
	socketEmpty   = iota // nothing: the connection is open
	socketPending        // bytes the server sent unasked
	socketClosed         // the server's end of the stream, or an error
)

var aLongTimeAgo = time.Unix(1, 0)

// put keeps c for the next request.
func (p *directPool) put(c *directConn) {
	c.idleFrom = time.Now()
	p.mu.Lock()
	// the oldest are first: those idle too long go now rather than when asked for
	expired := 0
	for expired < len(p.idle) && c.idleFrom.Sub(p.idle[expired].idleFrom) >= directIdleTimeout {
		expired++
	}
	old := append([]*directConn(nil), p.idle[:expired]...)
	p.idle = append(p.idle[:0], p.idle[expired:]...)
	if len(p.idle) >= p.maxIdle && p.maxIdle > 0 {
		// full: c, just used, stays and the oldest goes, of the other kind (in Go's poller or
		// out of it) if there is one, so that neither kind's calls starve the other's of
		// connections (an event loop's 64 calls in flight, then sync calls)
		evict := 0
		for i, o := range p.idle {
			if o.unpolled != c.unpolled {
				evict = i
				break
			}
		}
		old = append(old, p.idle[evict])
		p.idle = append(p.idle[:evict], p.idle[evict+1:]...)
	}
	if len(p.idle) < p.maxIdle {
		p.idle = append(p.idle, c)
		c = nil
	}
	p.mu.Unlock()
	for _, o := range old {
		o.close()
	}
	if c != nil {
		c.close()
	}
}

// closeIdle closes the idle connections.
func (p *directPool) closeIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
}

// An exchange is a request sent on a connection and as much of its answer as was read.
type exchange struct {
	conn   *directConn
	method string
	url    *url.URL       // (its text is built only when a run resumes the exchange)
	rng    string         // the Range asked for: a run asks for parts of one URL
	resp   *http.Response // nil until the answer's head was read
	body   []byte         // with resp: the part of a buffered body read so far
	buf    *[]byte        // body's memory, from the pool's bodies
	// unwatch ends the watch of the context of the run reading the exchange (watch); false when
	// the context ended first, leaving the connection's deadline in the past.
	unwatch func() bool
}

// watch makes ctx's end interrupt whatever waits on x's connection.
func (x *exchange) watch(ctx context.Context) {
	c := x.conn
	x.unwatch = context.AfterFunc(ctx, func() {
		c.ended.Store(true)
		c.Conn.SetDeadline(aLongTimeAgo)
	})
}

// detach ends the hold of the run reading x: its budget no longer bounds the connection's reads
// and its context is no longer watched. False when that context ended first (see unwatch).
func (x *exchange) detach() bool {
	return x.unwatch()
}

// release ends x: its connection goes back to the pool when keep and no context ended on it,
// else it is closed.
func (p *directPool) release(x *exchange, keep bool) {
	if x.detach() && keep && !x.conn.ended.Load() { // an exchange handed off may have met a cancel
		x.conn.SetDeadline(time.Time{})
		p.put(x.conn)
		return
	}
	x.conn.close()
}

// exchange sends req under run d: as a direct exchange, or through net/http's client where
// that does what a direct exchange does not (a redirect to follow; a body over
// directBufferMax, which the server may answer before reading it all: net/http reads the
// answer while it writes). A C caller's thread never waits on net/http: the run is handed off.
func (p *directPool) exchange(client *http.Client, req *http.Request, d *DirectRun) (*http.Response, error) {
	viaNetHTTP := func() (*http.Response, error) {
		if d.inBudget() {
			req.Body.Close()
			return nil, d.handOff(nil)
		}
		return client.Do(req)
	}
	if req.ContentLength < 0 || req.ContentLength > directBufferMax {
		return viaNetHTTP()
	}
	resp, err := p.roundTrip(req, d)
	if err == nil && resp.StatusCode/100 == 3 && resp.Header.Get("Location") != "" &&
		(req.Method == http.MethodGet || req.Method == http.MethodHead) {
		resp.Body.Close()
		return viaNetHTTP()
	}
	return resp, err
}

// roundTrip makes req's exchange on the calling goroutine under run d.
func (p *directPool) roundTrip(req *http.Request, d *DirectRun) (*http.Response, error) {
	// The body is closed on every way out, as net/http's transport does: Client.once waits for
	// that before it lets the caller's buffer go (req.Write closes it once written).
	defer func() {
		if req.Body != nil {
			req.Body.Close()
		}
	}()
	budget := d.budget()
	if !budget.IsZero() && d.HandedOff() {
		return nil, ErrHandedOff // the run goes on elsewhere: whatever it asks for now is asked there
	}
	if x := d.takePending(); x != nil {
		if x.method == req.Method && x.url.String() == req.URL.String() && x.rng == req.Header.Get("Range") {
			return p.resume(req, d, x)
		}
		x.conn.close()
	}
	ctx := req.Context()
	c, err := p.conn(ctx, canonicalAddr(req), req.URL.Hostname(), budget)
	if err != nil {
		if overBudget(budget, err) && ctx.Err() == nil {
			return nil, d.handOff(nil)
		}
		return nil, err
	}
	x := &exchange{conn: c, method: req.Method, url: req.URL, rng: req.Header.Get("Range")}
	x.watch(ctx)
	c.SetWriteDeadline(budget)
	err = req.Write(unflushed{c.bw})
	if err == nil {
		err = c.bw.Flush()
	}
	if err != nil {
		return p.fail(req, d, x, budget, err)
	}
	c.SetWriteDeadline(time.Time{})
	// Waiting for the answer to begin is the long part of the exchange; one not begun within the
	// budget is handed off whole, so the request is not sent again.
	c.SetReadDeadline(earliest(budget, time.Now().Add(p.readTimeout)))
	if _, err := c.br.Peek(1); err != nil {
		if !overBudget(budget, err) || ctx.Err() != nil {
			return p.fail(req, d, x, budget, err)
		}
		return nil, p.handOff(d, x)
	}
	return p.answer(req, d, x, budget)
}

// unflushed is a connection's buffered writer as req.Write sees it: not a *bufio.Writer, so
// net/http does not flush the request's head before a body it cannot see is in memory (a file),
// and a small request goes out in one write (one segment for the server to wake up to) at the
// Flush that ends it; a body beyond the buffer is written as it fills.
type unflushed struct{ *bufio.Writer }

// fail ends x after err. The budget running out is no failure: the run is made again elsewhere
// and sends the request anew (the budget cut off its writing: the server never had it whole;
// an answer that has begun is handed off instead, see answer). A real failure is the attempt's.
func (p *directPool) fail(req *http.Request, d *DirectRun, x *exchange, budget time.Time, err error) (*http.Response, error) {
	x.detach()
	x.conn.close()
	if overBudget(budget, err) && req.Context().Err() == nil {
		return nil, d.handOff(nil)
	}
	return nil, err
}

// handOff gives x, still running, to the run that goes on elsewhere.
func (p *directPool) handOff(d *DirectRun, x *exchange) error {
	x.detach()
	x.conn.SetDeadline(time.Time{})
	return d.handOff(x)
}

// resume continues x, handed off by an earlier run, for req (the same request, made again by
// this run): req's body is read as if sent, so that what counts it (CRC, progress) sees it.
func (p *directPool) resume(req *http.Request, d *DirectRun, x *exchange) (*http.Response, error) {
	if req.Body != nil {
		_, err := io.Copy(io.Discard, req.Body)
		req.Body.Close()
		if err != nil {
			x.conn.close()
			return nil, err
		}
	}
	x.watch(req.Context())
	return p.answer(req, d, x, time.Time{})
}

// answer reads x's answer (from where it stopped) with budget as its deadline (zero: none).
func (p *directPool) answer(req *http.Request, d *DirectRun, x *exchange, budget time.Time) (*http.Response, error) {
	c := x.conn
	if x.resp == nil {
		// Within the budget the head is only waited for, whole in the buffer and nothing of it
		// consumed: a budget running out hands the exchange off with its head unread, for the
		// run that continues it. Parsing a head half come would lose its first bytes, and the
		// request, already answered, would be sent again (a PUT with x-oss-forbid-overwrite
		// would then fail, a callback be made twice).
		if !budget.IsZero() {
			c.SetReadDeadline(earliest(budget, time.Now().Add(p.readTimeout)))
			if err := headBuffered(c.br); err != nil {
				if overBudget(budget, err) && req.Context().Err() == nil {
					return nil, p.handOff(d, x)
				}
				return p.fail(req, d, x, time.Time{}, err)
			}
		}
		c.SetReadDeadline(time.Now().Add(p.readTimeout))
		resp, err := readResponse(c.br, req)
		// an informational answer (100 Continue, 103 Early Hints) comes before the answer
		for err == nil && resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			resp, err = readResponse(c.br, req)
		}
		if err != nil {
			return p.fail(req, d, x, time.Time{}, err)
		}
		x.resp = resp
		if req.Method == http.MethodHead || resp.ContentLength == 0 || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
			resp.Body = http.NoBody
			return p.finished(req, x, nil)
		}
	}
	resp := x.resp
	if x.body == nil {
		if n := resp.ContentLength; budget.IsZero() || n < 0 || n > directBufferMax {
			if !budget.IsZero() {
				// a body of unknown or large size is no work for a C caller's thread: read on
				// the goroutine that continues the run
				return nil, p.handOff(d, x)
			}
			// read as the caller asks, the context still watched until the body ends
			c.SetReadDeadline(time.Time{})
			resp.Body = &directBody{body: resp.Body, pool: p, x: x, keep: !resp.Close && !req.Close}
			return resp, nil
		}
		x.buf = p.bodyBuffer(int(resp.ContentLength))
		x.body = (*x.buf)[:0:resp.ContentLength]
	}
	// A small body is read whole inside the budget; a body read in part is handed off with what
	// was read.
	c.SetReadDeadline(earliest(budget, time.Now().Add(p.readTimeout)))
	for len(x.body) < cap(x.body) {
		m, err := x.resp.Body.Read(x.body[len(x.body):cap(x.body)])
		x.body = x.body[:len(x.body)+m]
		if len(x.body) == cap(x.body) && (err == nil || err == io.EOF) {
			break
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			if overBudget(budget, err) && req.Context().Err() == nil {
				return nil, p.handOff(d, x)
			}
			return p.fail(req, d, x, budget, err)
		}
	}
	return p.finished(req, x, x.body)
}

// headBuffered waits until br holds an answer's whole head (up to its blank line), reading
// without consuming anything. A head larger than br's buffer is left to be read as it comes.
func headBuffered(br *bufio.Reader) error {
	for n := max(br.Buffered(), 1); ; n = br.Buffered() + 1 {
		b, err := br.Peek(n)
		if bytes.Contains(b, []byte("\r\n\r\n")) || bytes.Contains(b, []byte("\n\n")) || err == bufio.ErrBufferFull {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// finished is x's answer with body (nil for none) read whole; the connection goes back to the
// pool unless either side said it closes.
func (p *directPool) finished(req *http.Request, x *exchange, body []byte) (*http.Response, error) {
	resp := x.resp
	p.release(x, !resp.Close && !req.Close)
	if body != nil {
		resp.Body = &bufferedBody{data: body, buf: x.buf, pool: &p.bodies}
	}
	return resp, nil
}

// bodyBuffer is memory for a body of n bytes: a buffer closed bodies gave back, or a new one.
func (p *directPool) bodyBuffer(n int) *[]byte {
	if b, _ := p.bodies.Get().(*[]byte); b != nil && cap(*b) >= n {
		return b
	}
	b := make([]byte, n)
	return &b
}

// bufferedBody is a body read whole; Close gives its buffer back to the pool (Read copies out,
// so nothing outside holds it), after which Read fails as a closed net/http body does.
type bufferedBody struct {
	mu   sync.Mutex // Close may come from another goroutine (a cancel) during a Read
	data []byte     // what is left to read
	buf  *[]byte
	pool *sync.Pool
}

// errBodyClosed is a read of a body closed before its end (as net/http's body says it).
var errBodyClosed = errors.New("oss: read on a closed response body")

func (b *bufferedBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf == nil {
		return 0, errBodyClosed
	}
	if len(b.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

func (b *bufferedBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf != nil {
		b.pool.Put(b.buf)
		b.buf, b.data = nil, nil
	}
	return nil
}

// directBody is an answer's body read from its connection as the caller asks; read to its end,
// the connection goes back to the pool; closed before, it is closed.
type directBody struct {
	body io.ReadCloser
	pool *directPool
	x    *exchange
	keep bool
	done atomic.Bool // the exchange released: at its end, or by Close (from any goroutine)
	cut  atomic.Bool // released by Close before the end
}

func (b *directBody) Read(p []byte) (int, error) {
	if b.done.Load() {
		if b.cut.Load() {
			return 0, errBodyClosed
		}
		return 0, io.EOF
	}
	n, err := b.body.Read(p)
	if err == io.EOF && b.done.CompareAndSwap(false, true) {
		b.pool.release(b.x, b.keep)
	}
	return n, err
}

// Close closes the connection when the body was not read to its end: net/http's body would read
// the rest first, which for a large object is a long wait for nothing. A Read it interrupts
// fails.
func (b *directBody) Close() error {
	if b.done.CompareAndSwap(false, true) {
		b.cut.Store(true)
		b.pool.release(b.x, false)
	}
	return nil
}

// overBudget tells whether err is the budget running out.
func overBudget(budget time.Time, err error) bool {
	var timeout net.Error
	return !budget.IsZero() && !time.Now().Before(budget) &&
		(errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &timeout) && timeout.Timeout())
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// canonicalAddr is req's host with its port (80 or 443 by default).
func canonicalAddr(req *http.Request) string {
	if req.URL.Port() != "" {
		return req.URL.Host // as JoinHostPort would write it again
	}
	port := "80"
	if req.URL.Scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(req.URL.Hostname(), port)
}
