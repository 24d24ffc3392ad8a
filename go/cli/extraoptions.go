package cli

import (
	"net/url"
	"strings"

	"github.com/pyjindo/pyjindo/go/oss"
)

// Options several commands share, as ossutil 1.7.19 gives them to its commands; Run adds them
// to the command's own (see extraOptions).
var (
	encodingOption = option{"", "encoding-type", flagString,
		"url: the object names in oss:// arguments (and, for cp, local paths) are URL-encoded, e.g. oss://b/%e4%b8%ad%e6%96%87; bucket names are not"}
	logLevelOption = option{"", "loglevel", flagString,
		"info: one line per request (method, bucket/key, status, request id, time) and per retry on stderr; debug: with the headers (never Authorization)"}
	speedOptions = []option{
		{"", "maxupspeed", flagInt, "upload at most this many KB/s (1 KB = 1024 bytes), all connections together; 0: unlimited"},
		{"", "maxdownspeed", flagInt, "download at most this many KB/s (1 KB = 1024 bytes), all connections together; 0: unlimited"},
	}
	dryRunOption = option{"", "dry-run", flagBool,
		"print what would be done (\"would ...\"), change nothing: only reads and listings are sent"}
	snapshotOption = option{"", "snapshot-path", flagString,
		"a directory recording each file uploaded or object downloaded with its modification time: a later run with the same directory skips those unchanged"}
)

// extraOptions are the shared options a command takes besides its own.
func extraOptions(cmd *command) []option {
	if cmd.offline {
		return nil
	}
	out := []option{logLevelOption}
	switch cmd.name {
	case "cp", "sync": // ossutil's sync is its cp with every option
		out = append(out, encodingOption, snapshotOption)
		out = append(out, headerOptions...)
		out = append(out, speedOptions...)
	case "ls", "rm", "stat", "set-meta", "restore":
		out = append(out, encodingOption)
	}
	return out
}

// decodeArgs applies --encoding-type url to the positional arguments as ossutil does: the object
// part of an oss:// URL is query-unescaped ("+" is a space), a bucket must not be encoded, and
// local paths (cp's and sync's) are unescaped whole.
func (c *call) decodeArgs() error {
	enc, ok := c.opts.vals["encoding-type"]
	if !ok {
		return nil
	}
	if enc != "url" {
		return usagef("--encoding-type must be url, not %q", enc)
	}
	for i, a := range c.opts.args {
		if !isCloud(a) {
			if c.cmd.name != "cp" && c.cmd.name != "sync" {
				continue
			}
			v, err := url.QueryUnescape(a)
			if err != nil {
				return usagef("invalid file url: %s, file name is not url encoded, %v", a, err)
			}
			c.opts.args[i] = v
			continue
		}
		rest := a[len("oss://"):]
		bucket, object, hasObject := strings.Cut(rest, "/")
		if !hasObject {
			if b, err := url.QueryUnescape(bucket); err == nil && b != bucket {
				return usagef("invalid cloud url: %s, bucket url do not support --encoding-type option", a)
			}
			continue
		}
		v, err := url.QueryUnescape(object)
		if err != nil {
			return usagef("invalid cloud url: %s, object name is not url encoded, %v", a, err)
		}
		c.opts.args[i] = "oss://" + bucket + "/" + v
	}
	return nil
}

// speedLimits are the limiters of one process's clients, one per direction (nil: unlimited).
type speedLimits struct{ up, down *oss.Limiter }

// tuneClient applies the options that shape the client: speed limits and logging.
func (c *call) tuneClient(cfg *oss.Config) error {
	for _, s := range []struct {
		name   string
		limit  **oss.Limiter
		shared func(*speedLimits) *oss.Limiter
	}{
		{"maxupspeed", &cfg.UploadLimit, func(l *speedLimits) *oss.Limiter { return l.up }},
		{"maxdownspeed", &cfg.DownloadLimit, func(l *speedLimits) *oss.Limiter { return l.down }},
	} {
		kb := c.opts.int(s.name, 0)
		if kb < 0 {
			return usagef("invalid value,%s %d less than 0", s.name, kb)
		}
		switch {
		case c.env.limits != nil: // jindo run checked that its lines agree
			*s.limit = s.shared(c.env.limits)
		case kb > 0:
			*s.limit = oss.NewLimiter(kb * 1024)
		}
	}
	obs, err := c.logObserver()
	if err != nil {
		return err
	}
	cfg.Observer, c.observer = obs, obs
	return nil
}
