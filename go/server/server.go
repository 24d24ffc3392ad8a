// Package server is jindo server: a local OSS-compatible HTTP server for demos, tests and
// benchmarks. It speaks the OSS REST protocol as the real service does (status codes, error XML,
// headers, V1 and V4 signatures), keeps data in a store.Store, and can shape each connection's
// bandwidth and latency so benchmarks on loopback behave like a real network.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Config configures a Server. Store is required; the rest may be zero.
type Config struct {
	Store store.Store
	// Credentials maps access key id to secret; requests must be signed with one of them.
	Credentials map[string]string
	// KeysFile, if set, is a JSON file of temporary keys accepted besides Credentials (see
	// keysFile), re-read when it changes: rotating STS credentials in tests.
	KeysFile string
	// Anonymous also accepts unsigned requests (signed ones are still verified).
	Anonymous bool
	// BandwidthPerConn caps each connection's bytes per second in each direction; 0 = no cap.
	BandwidthPerConn int64
	// Latency delays each response's first byte.
	Latency time.Duration
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Now is the clock for signatures and timestamps; nil = time.Now.
	Now func() time.Time
	// Region is reported by GetBucketInfo and accepted in V4 credentials; "" = cn-hangzhou.
	Region string
	// ReadHeaderTimeout bounds the wait for a request's headers (slow-loris clients); 0 = 30s.
	ReadHeaderTimeout time.Duration
	// BodyIdleTimeout bounds each wait for more of a request body; 0 = 60s. Waits up to it
	// always pass; a longer one is cut off within 1.25 times it. (A whole-body limit would cut
	// off honest large uploads on slow links.)
	BodyIdleTimeout time.Duration
	// Faults, if set, make the server misbehave on purpose (reliability tests).
	Faults *Faults
	// RestoreDelay is how long restoring an archived object takes; 0 = 1s.
	RestoreDelay time.Duration
	// Domains are host names under which <bucket>.<domain> addresses a bucket (virtual-hosted
	// style). "localhost" always is one.
	Domains []string
}

// Server is an http.Handler serving the OSS protocol.
type Server struct {
	cfg    Config
	loop   *loop         // serves the connections
	http   *http.Server  // serves what the loop hands it
	prefix string        // random per server, so request ids from two servers never collide
	seq    atomic.Uint64 // request counter
	keys   *keysFile     // nil without Config.KeysFile
	// copyBufs holds *[]byte of copyBufSize for sending object bodies.
	copyBufs sync.Pool
	date     atomic.Pointer[httpDate] // the last Date header sent
	// Background work (async fetch tasks) ends with the server: Close and Shutdown cancel it
	// and wait. fetching holds the ids of the fetch tasks this process runs.
	background     context.Context
	stopBackground context.CancelFunc
	backgroundWG   sync.WaitGroup
	fetching       sync.Map
}

// httpDate is a Date header's text and the second it names: formatted once a second, not
// once a request.
type httpDate struct {
	unix int64
	text string
}

// dateHeader is the Date header for now.
func (s *Server) dateHeader(now time.Time) string {
	if d := s.date.Load(); d != nil && d.unix == now.Unix() {
		return d.text
	}
	d := &httpDate{unix: now.Unix(), text: now.UTC().Format(http.TimeFormat)}
	s.date.Store(d)
	return d.text
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Region == "" {
		cfg.Region = "cn-hangzhou"
	}
	if cfg.ReadHeaderTimeout <= 0 {
		cfg.ReadHeaderTimeout = 30 * time.Second
	}
	if cfg.RestoreDelay <= 0 {
		cfg.RestoreDelay = defaultRestoreDelay
	}
	if cfg.BodyIdleTimeout <= 0 {
		cfg.BodyIdleTimeout = 60 * time.Second
	}
	var b [4]byte
	rand.Read(b[:])
	s := &Server{cfg: cfg, prefix: strings.ToUpper(hex.EncodeToString(b[:]))}
	s.copyBufs.New = func() any { b := make([]byte, copyBufSize); return &b }
	s.background, s.stopBackground = context.WithCancel(context.Background())
	if cfg.KeysFile != "" {
		s.keys = &keysFile{path: cfg.KeysFile}
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		MaxHeaderBytes:    64 << 10,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	s.loop = newLoop(s, s.http, s.background, s.dateHeader)
	return s
}

// Serve accepts connections on ln until Close; it shapes them when the config asks.
func (s *Server) Serve(ln net.Listener) error {
	if s.cfg.BandwidthPerConn > 0 {
		ln = &shapedListener{Listener: ln, rate: s.cfg.BandwidthPerConn}
	}
	return s.loop.serve(ln)
}

// Close stops the server, closing open connections.
func (s *Server) Close() error {
	s.loop.close()
	err := s.http.Close()
	s.endBackground()
	return err
}

// Shutdown stops the server gracefully.
func (s *Server) Shutdown(ctx context.Context) error {
	err := errors.Join(s.loop.shutdown(ctx), s.http.Shutdown(ctx))
	s.endBackground()
	return err
}

// endBackground cancels the background work and waits for it to record how it ended.
func (s *Server) endBackground() {
	s.stopBackground()
	s.backgroundWG.Wait()
}

// request is one request being served.
type request struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	id      string
	bucket  string
	key     string
	query   url.Values
	status  int
	started bool
	reqBody *limitedBody
	in      *trackedBody // the request body as handlers read it; nil until one does
}

// trackedBody remembers whether the request body was read to its end.
type trackedBody struct {
	r    io.Reader
	done bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.done = true
	}
	return n, err
}

// input is the request body; every handler reads it through here.
func (rq *request) input() io.Reader {
	if rq.in == nil {
		rq.in = &trackedBody{r: rq.r.Body}
	}
	return rq.in
}

// unreadBodyGrace is how long the server still reads (and discards) a request body it answered
// without needing, so a client that sends its whole body before reading the answer gets the
// answer rather than a reset; then the connection closes.
const unreadBodyGrace = time.Second

// abandonBody is called before the status line goes out. If the request declared a body that was
// not read to its end (an error answer, a failed authentication, a GET with a body), net/http
// would wait for up to 256 KiB of it, with no deadline, before answering or closing: a client
// that declares a body and never sends it would hold the connection for ever. Instead the answer
// asks to close the connection, and what is left of the body gets a short deadline.
func (rq *request) abandonBody() {
	if rq.r.ContentLength == 0 || (rq.in != nil && rq.in.done) {
		return
	}
	rq.w.Header().Set("Connection", "close")
	grace := min(unreadBodyGrace, rq.s.cfg.BodyIdleTimeout)
	http.NewResponseController(rq.w).SetReadDeadline(time.Now().Add(grace))
}

func (rq *request) hostID() string {
	host := rq.r.Host
	if rq.bucket != "" && !strings.HasPrefix(host, rq.bucket+".") {
		return rq.bucket + "." + host
	}
	return host
}

// writeHeader sends the status line after the configured latency, emulating the round trip.
func (rq *request) writeHeader(status int) {
	if rq.started {
		return
	}
	rq.started = true
	rq.status = status
	rq.abandonBody()
	if d := rq.s.cfg.Latency; d > 0 {
		time.Sleep(d)
	}
	rq.w.WriteHeader(status)
}

func (s *Server) newRequestID() string {
	// 24 upper-case hex digits, as OSS's ids look: the prefix's 8, then the counter's 16.
	const digits = "0123456789ABCDEF"
	var id [24]byte
	copy(id[:], s.prefix)
	for i, v := len(id)-1, s.seq.Add(1); i >= len(s.prefix); i, v = i-1, v>>4 {
		id[i] = digits[v&15]
	}
	return string(id[:])
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rq := &request{s: s, w: w, r: r, id: s.newRequestID()}
	h := w.Header()
	h.Set("X-Oss-Request-Id", rq.id)
	h.Set("Server", "AliyunOSS")
	h.Set("Date", s.dateHeader(s.cfg.Now()))
	start := time.Now()
	if err := rq.parseTarget(); err != nil {
		rq.writeError(err)
	} else if err := rq.authenticate(); err != nil {
		rq.writeError(err)
	} else if err := rq.injectFault(); err != nil {
		rq.writeError(err)
	} else if err := rq.dispatch(); err != nil {
		rq.writeError(err)
	}
	if !rq.started {
		rq.writeHeader(http.StatusOK)
	}
	if s.cfg.Logger.Enabled(r.Context(), slog.LevelInfo) {
		s.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("id", rq.id),
			slog.String("method", r.Method), slog.String("bucket", rq.bucket), slog.String("key", rq.key),
			slog.String("query", redactQuery(rq.query)), slog.Int("status", rq.status),
			slog.Duration("duration", time.Since(start)))
	}
}

// parseTarget finds the bucket and key. A Host of <label>.<domain> is virtual-hosted style when
// the domain is a configured one (or localhost) or the label names an existing bucket
// (bkt.oss-cn-hangzhou.aliyuncs.com); any other Host (an IP, localhost, the endpoint itself, a
// machine name) means path style, /bucket/key.
func (rq *request) parseTarget() *ossError {
	query, err := url.ParseQuery(rq.r.URL.RawQuery)
	if err != nil {
		return errInvalidArgument("query", rq.r.URL.RawQuery, "The query string is not valid.")
	}
	rq.query = query
	path, err := url.PathUnescape(rq.r.URL.EscapedPath())
	if err != nil || !strings.HasPrefix(path, "/") {
		return errInvalidArgument("path", rq.r.URL.EscapedPath(), "The request path is not valid.")
	}
	path = path[1:]
	host := rq.r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if label, rest, ok := strings.Cut(host, "."); ok && net.ParseIP(host) == nil && rest != "" && rq.s.isBucketHost(label, rest) {
		rq.bucket, rq.key = label, path
	} else {
		rq.bucket, rq.key, _ = strings.Cut(path, "/")
	}
	if rq.bucket != "" {
		if err := store.ValidateBucketName(rq.bucket); err != nil {
			return storeError(err, rq.bucket, "")
		}
	}
	if rq.key != "" {
		if err := store.ValidateKey(rq.key); err != nil {
			return errInvalidObjectName(rq.key)
		}
	}
	return nil
}

// redactQuery is the query for the log, with signatures and tokens (presigned URLs) hidden.
func redactQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	safe := url.Values{}
	for k, v := range q {
		switch strings.ToLower(k) {
		case "signature", "x-oss-signature", "security-token", "x-oss-security-token", "x-oss-credential", "ossaccesskeyid", "x-oss-access-key-id":
			safe[k] = []string{"REDACTED"}
		default:
			safe[k] = v
		}
	}
	return safe.Encode()
}

func (s *Server) isBucketHost(label, domain string) bool {
	if domain == "localhost" || slices.Contains(s.cfg.Domains, domain) {
		return true
	}
	_, err := s.cfg.Store.Bucket(label)
	return err == nil
}

func (rq *request) has(param string) bool {
	_, ok := rq.query[param]
	return ok
}

// dispatch routes by target level, method and sub-resource.
func (rq *request) dispatch() *ossError {
	m := rq.r.Method
	switch {
	case rq.bucket == "":
		if h := rq.serviceSubresource(m); h != nil {
			return h()
		}
		if m == http.MethodGet {
			return rq.listBuckets()
		}
	case rq.key == "":
		return rq.dispatchBucket(m)
	default:
		e := rq.dispatchObject(m)
		if e == nil {
			rq.replicateWrite(m)
		}
		return e
	}
	return &ossError{Status: 405, Code: "MethodNotAllowed", Message: "The specified method is not allowed against this resource.", EC: "0005-00000002"}
}

func (rq *request) dispatchBucket(m string) *ossError {
	if h := rq.bucketSubresource(m); h != nil {
		return h()
	}
	switch {
	case m == http.MethodPut && len(rq.query) == 0:
		return rq.createBucket()
	case m == http.MethodDelete && len(rq.query) == 0:
		return rq.deleteBucket()
	case m == http.MethodGet && rq.has("bucketInfo"):
		return rq.getBucketInfo()
	case m == http.MethodGet && rq.has("location"):
		return rq.getBucketLocation()
	case m == http.MethodGet && rq.has("uploads"):
		return rq.listUploads()
	case m == http.MethodGet && rq.has("versions"):
		return rq.listObjectVersions()
	case m == http.MethodPost && rq.has("delete"):
		return rq.deleteMultiple()
	case m == http.MethodGet && !hasSubresource(rq.query):
		if rq.query.Get("list-type") == "2" {
			return rq.listObjectsV2()
		}
		return rq.listObjects()
	}
	return errNotImplemented(m + " on a bucket with " + subresourceNames(rq.query))
}

func (rq *request) dispatchObject(m string) *ossError {
	if e := rq.wormGuard(m); e != nil {
		return e
	}
	if h := rq.objectSubresource(m); h != nil {
		return h()
	}
	switch {
	case m == http.MethodGet && rq.has("uploadId"):
		return rq.listParts()
	case m == http.MethodGet && !hasSubresource(rq.query):
		return rq.getObject(false)
	case m == http.MethodHead && rq.has("objectMeta"):
		return rq.getObjectMeta()
	case m == http.MethodHead && !hasSubresource(rq.query):
		return rq.getObject(true)
	case m == http.MethodPut && rq.has("partNumber") && rq.has("uploadId"):
		if rq.r.Header.Get("X-Oss-Copy-Source") != "" {
			return rq.uploadPartCopy()
		}
		return rq.uploadPart()
	case m == http.MethodPut && !hasSubresource(rq.query):
		if rq.r.Header.Get("X-Oss-Copy-Source") != "" {
			return rq.copyObject()
		}
		return rq.putObject()
	case m == http.MethodPost && rq.has("append"):
		return rq.appendObject()
	case m == http.MethodPost && rq.has("uploads"):
		return rq.initUpload()
	case m == http.MethodPost && rq.has("uploadId"):
		return rq.completeUpload()
	case m == http.MethodDelete && rq.has("uploadId"):
		return rq.abortUpload()
	case m == http.MethodDelete && !hasSubresource(rq.query):
		return rq.deleteObject()
	}
	return errNotImplemented(m + " on an object with " + subresourceNames(rq.query))
}

// listingParams are the query parameters that select within a listing or a GET, not sub-resources.
var plainParams = map[string]bool{
	"prefix": true, "delimiter": true, "marker": true, "max-keys": true, "encoding-type": true,
	"list-type": true, "continuation-token": true, "start-after": true, "fetch-owner": true,
	"response-content-type": true, "response-content-language": true, "response-expires": true,
	"response-cache-control": true, "response-content-disposition": true, "response-content-encoding": true,
	"OSSAccessKeyId": true, "Expires": true, "Signature": true, "security-token": true,
	"x-oss-signature-version": true, "x-oss-credential": true, "x-oss-date": true, "x-oss-expires": true,
	"x-oss-signature": true, "x-oss-additional-headers": true, "x-oss-security-token": true, "x-oss-access-key-id": true,
	"x-oss-traffic-limit": true,
	"versionId":           true, "key-marker": true, "version-id-marker": true,
}

func hasSubresource(q url.Values) bool {
	for k := range q {
		if !plainParams[k] {
			return true
		}
	}
	return false
}

func subresourceNames(q url.Values) string {
	var names []string
	for k := range q {
		if !plainParams[k] {
			names = append(names, "?"+k)
		}
	}
	if len(names) == 0 {
		return "no sub-resource"
	}
	return strings.Join(names, ",")
}
