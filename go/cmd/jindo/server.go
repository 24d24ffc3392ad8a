package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pyjindo/pyjindo/go/server"
	"github.com/pyjindo/pyjindo/go/server/store"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return fmt.Sprint(*l) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runServer(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("jindo server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9000", "address to listen on (port 0 picks a free port)")
	root := fs.String("root", "", "keep data under this directory (survives restarts)")
	memory := fs.Bool("memory", false, "keep data in memory (the default when --root is not given)")
	maxMemory := fs.String("max-memory", "0", "with --memory, hold at most this much object data, e.g. 1GiB (MB=10^6, MiB=2^20; 0 = no limit); a write past it gets 507 InsufficientStorage")
	akID := fs.String("access-key-id", "", "access key id clients sign with")
	akSecret := fs.String("access-key-secret", "", "access key secret clients sign with")
	keysFile := fs.String("keys-file", "", "also accept the temporary keys listed in this JSON file ([{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}], re-read when it changes; expired keys are refused): rotating STS credentials in tests")
	anonymous := fs.Bool("anonymous", false, "also accept unsigned requests (a request carrying a signature is always verified)")
	region := fs.String("region", "cn-hangzhou", "region V4 signatures must be scoped to, and GetBucketInfo reports")
	bandwidth := fs.String("bandwidth-per-conn", "0", "cap each connection's throughput per direction, e.g. 50MB (per second; MB=10^6, MiB=2^20; 0 = no cap)")
	latency := fs.Duration("latency", 0, "delay before each response's first byte, e.g. 8ms")
	restoreDelay := fs.Duration("restore-delay", time.Second, "how long restoring an archived object takes, e.g. 200ms")
	verbose := fs.Bool("verbose", false, "log each request to stderr")
	faultRate := fs.Float64("fault-rate", 0, "fraction of requests that get a fault from --faults (reliability tests)")
	faultKinds := fs.String("faults", "500,503,reset,stall,corrupt", "fault kinds --fault-rate picks from")
	faultStall := fs.Duration("fault-stall", 5*time.Second, "how long a stall fault waits")
	faultHeader := fs.Bool("fault-header", false, "let loopback clients ask for a fault with the x-jindo-fault header")
	var buckets, domains stringList
	fs.Var(&buckets, "bucket", "bucket to create at start (repeatable)")
	fs.Var(&domains, "domain", "host name under which BUCKET.DOMAIN addresses a bucket (repeatable; localhost always does)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "jindo server: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	// A floor under the heap's collection target. Until it holds objects the server's live heap
	// is a few MiB, and each request's garbage (a PUT's 16 KiB body, ...) made Go collect every
	// few MiB. Never written, the ballast costs address space, not memory; up to its size more
	// garbage waits for a collection. Server CPU per 16 KiB PUT (gocall, 10,000, alternated)
	// 61-64 -> 47-50 us, GET 24-26 -> 23; RSS of an idle-sized server 15 -> 43 MiB.
	ballast := make([]byte, 32<<20)
	defer runtime.KeepAlive(ballast)
	if *root != "" && *memory {
		return fail("--root and --memory are exclusive")
	}
	if (*akID == "") != (*akSecret == "") {
		return fail("--access-key-id and --access-key-secret go together")
	}
	if *akID == "" && *keysFile == "" && !*anonymous {
		return fail("give --access-key-id and --access-key-secret, --keys-file, or --anonymous")
	}
	var faults *server.Faults
	if *faultRate > 0 || *faultHeader {
		kinds, err := server.ParseFaultKinds(*faultKinds)
		if err != nil {
			return fail("--faults: %v", err)
		}
		if *faultRate < 0 || *faultRate > 1 {
			return fail("--fault-rate must be between 0 and 1")
		}
		faults = &server.Faults{Rate: *faultRate, Kinds: kinds, Stall: *faultStall, Header: *faultHeader}
	}
	bps, err := parseByteRate(*bandwidth)
	if err != nil {
		return fail("--bandwidth-per-conn: %v", err)
	}
	memLimit, err := parseByteSize(*maxMemory)
	if err != nil {
		return fail("--max-memory: %v", err)
	}
	if memLimit > 0 && *root != "" {
		return fail("--max-memory applies to --memory, not --root")
	}

	var st store.Store
	if *root != "" {
		d, err := store.OpenDisk(*root, nil)
		if err != nil {
			return fail("%v", err)
		}
		st = d
	} else {
		st = store.NewMemoryLimited(nil, memLimit)
	}
	defer st.Close()
	for _, b := range buckets {
		if _, err := st.CreateBucket(b); err != nil && !errors.Is(err, store.ErrBucketExists) {
			return fail("create bucket %q: %v", b, err)
		}
	}

	// DiscardHandler is disabled at every level, so the server builds no log line at all.
	logger := slog.New(slog.DiscardHandler)
	if *verbose {
		logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	creds := map[string]string{}
	if *akID != "" {
		creds[*akID] = *akSecret
	}
	srv := server.New(server.Config{
		Store:            st,
		Credentials:      creds,
		KeysFile:         *keysFile,
		Anonymous:        *anonymous,
		Region:           *region,
		BandwidthPerConn: bps,
		Latency:          *latency,
		Logger:           logger,
		Domains:          domains,
		Faults:           faults,
		RestoreDelay:     *restoreDelay,
	})

	// Before the ready line: a SIGTERM sent as soon as it is read must stop the server cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail("%v", err)
	}
	// The ready line is a contract: tests and scripts wait for it and read the port from it.
	fmt.Fprintf(stdout, "jindo server listening on http://%s\n", ln.Addr())
	if f, ok := stdout.(*os.File); ok {
		f.Sync()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		srv.Close()
		<-errc
		return 0
	case err := <-errc:
		if err != nil && !errors.Is(err, net.ErrClosed) {
			return fail("%v", err)
		}
		return 0
	}
}

// parseByteRate reads "50MB", "1.5GiB", "800KB", "50MB/s" or a plain number of bytes per second.
func parseByteRate(s string) (int64, error) {
	n, err := parseByteSize(strings.TrimSuffix(s, "/s"))
	if err != nil {
		return 0, fmt.Errorf("bad rate %q (want e.g. 50MB)", s)
	}
	return n, nil
}

// parseByteSize reads "1GiB", "1.5GB", "800KB" or a plain number of bytes.
func parseByteSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   float64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1},
	}
	num, mult := s, 1.0
	for _, u := range units {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = rest, u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad size %q (want e.g. 1GiB)", s)
	}
	return int64(v * mult), nil
}
