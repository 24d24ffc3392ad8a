package ops

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/crypto"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func init() {
	register("get_open", NoBuffer, getOpen)
	register("stream_read", BufferOut, streamRead)
	register("stream_read_all", BufferOut, streamReadAll)
}

// stream is an opened GetObject the caller reads (transfer.Body) under a handle: the body lives
// under a context of its own (the prefetch outlives each call), which each call on it links to
// its own (bind).
type stream struct {
	mu     sync.Mutex
	ctx    context.Context // lives as long as the stream; cancelled by Close
	cancel context.CancelFunc
	body   *transfer.Body
	// retries are those made under ctx, kept when the stream was opened with a retry log and
	// handed to the log of each operation on it (bind).
	retries *RetryLog
	// cipher, when set (stream_decrypt), decrypts what is read (CryptoBucket).
	cipher *crypto.CTR
}

func (s *stream) Close() {
	s.cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body.Close()
}

// bind cancels the stream when the operation ctx is cancelled (Ctrl-C in Python), and hands the
// stream's retries to the operation's log, until the returned stop is called.
func (s *stream) bind(ctx context.Context, p Progress) (stop func()) {
	after := context.AfterFunc(ctx, s.cancel)
	unlink := s.retries.follow(p.Retries())
	return func() {
		after()
		unlink()
	}
}

type GetOpenResult struct {
	Response
	Stream HandleRef `json:"stream"`
	Length int64     `json:"length"`
}

// getOpen sends the first GET (errors such as NoSuchKey surface from get_object itself, as in
// oss2) and returns the response as a single GET would have given it, and a stream handle.
func getOpen(ctx context.Context, c *Call, t *Target) (GetOpenResult, error) {
	st, resp, stop, err := openStream(ctx, c, t)
	if err != nil {
		return GetOpenResult{}, err
	}
	stop()
	h := c.Handles.New(st)
	return GetOpenResult{Response: resp, Stream: HandleRef{h, "GetObjectResult"}, Length: st.body.Length()}, nil
}

// openStream sends the first GET of t and returns the stream reading its body, and the
// response as a single GET would have given it. The stream stays bound to ctx until the caller
// calls stop (a read at once then needs no bind of its own); before it hands the stream out.
func openStream(ctx context.Context, c *Call, t *Target) (_ *stream, _ Response, stop func(), _ error) {
	started := time.Now()
	st := &stream{}
	st.ctx, st.cancel = context.WithCancel(context.Background())
	if c.Progress.Retries() != nil {
		st.retries = &RetryLog{}
		st.ctx = oss.WithObserver(st.ctx, st.retries.Observer())
	}
	stop = st.bind(ctx, c.Progress)
	openCtx := st.ctx
	if d := oss.DirectFrom(ctx); d != nil { // the first GET is part of the caller's run
		openCtx = oss.WithDirect(openCtx, d)
	}
	dl, err := transfer.Open(openCtx, c.Session.Client, t.request(http.MethodGet), c.Session.Transfer)
	if err == nil && ctx.Err() != nil {
		dl.Close() // interrupted as it opened: the caller will not see the handle to free it
		err = ctx.Err()
	}
	if err != nil {
		stop()
		st.cancel()
		return nil, Response{}, nil, interrupted(ctx, err)
	}
	st.body = transfer.NewBody(st.ctx, dl)
	return st, describe(dl.Status, dl.Header, nil, started), stop, nil
}

type StreamArgs struct {
	Stream uint64 `json:"stream" arg:"required"`
}

// StreamReadResult's CRC is the CRC64 of everything read so far, so that client_crc after a
// partial read is the running value, as oss2's.
type StreamReadResult struct {
	N   int    `json:"n"`
	EOF bool   `json:"eof"`
	CRC uint64 `json:"crc"`
}

// streamRead fills the caller's buffer in order (less only at the end) from the prefetching
// reader.
func streamRead(ctx context.Context, c *Call, a *StreamArgs) (StreamReadResult, error) {
	return withStream(ctx, c, a, func(st *stream) (int, error) {
		return st.body.ReadInOrder(c.Buffer, c.Progress.Add)
	})
}

// streamReadAll fills the caller's buffer, sized to what is left, with parts fetched in
// parallel and read straight into their place (read() with no size).
func streamReadAll(ctx context.Context, c *Call, a *StreamArgs) (StreamReadResult, error) {
	return withStream(ctx, c, a, func(st *stream) (int, error) {
		return st.body.ReadAll(c.Buffer, c.Progress.Add, c.Progress.SetTotal)
	})
}

func withStream(ctx context.Context, c *Call, a *StreamArgs, read func(*stream) (int, error)) (StreamReadResult, error) {
	st, err := handleArg[*stream](c, a.Stream, "stream")
	if err != nil {
		return StreamReadResult{}, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	stop := st.bind(ctx, c.Progress)
	defer stop()
	at := st.body.Start() + st.body.Pos()
	n, err := read(st)
	if err != nil {
		return StreamReadResult{}, interrupted(ctx, err)
	}
	if st.cipher != nil {
		st.cipher.XORAtParallel(c.Buffer[:n], c.Buffer[:n], at)
	}
	return StreamReadResult{N: n, EOF: st.body.EOF(), CRC: st.body.CRC()}, nil
}
