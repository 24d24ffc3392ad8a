package transfer

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"

	"github.com/pyjindo/pyjindo/go/oss"
)

// namedTempEnv, set to anything, makes every download take a named temporary file, as on a file
// system without O_TMPFILE: it lets tests (Go, Python, the CLI) reach that path on Linux.
const namedTempEnv = "PYJINDO_TEST_NAMED_TEMP"

// FileResult is a finished download to a file: the response as a single GET would have
// given it, and the CRC64 of the bytes written.
type FileResult struct {
	Status int
	Header http.Header
	CRC    uint64
	// Stream is set when the target was a device, FIFO or socket written through (writeStream)
	// rather than a regular file put in place.
	Stream bool
}

// DownloadFile downloads req into filename with parallel ranged GETs, each part written at its
// offset of a temporary file beside the target. The temporary file gets the mode open(name, "w")
// would give (an existing target's mode, else 0666 less the umask), and replaces the target only
// when complete and, with verify, when its CRC64 matches the object's: a failure or a
// cancellation never leaves a partial file at the target. A symlink target is followed, as
// open() follows it.
//
// An existing target that is not a regular file (a device, a FIFO, a socket) is not replaced: the
// bytes are written to it in order, as open(name, "wb") in oss2 would (see writeStream).
func DownloadFile(ctx context.Context, d oss.Doer, req *oss.Request, filename string, cfg Config, verify bool, m Meter) (*FileResult, error) {
	dl, err := Open(ctx, d, req, cfg)
	if err != nil {
		return nil, err
	}
	defer dl.Close()
	m.setTotal(dl.Length)
	target, st, exists, free := resolveTarget(filename)
	if exists && !st.Mode().IsRegular() && !st.IsDir() {
		return writeStream(ctx, dl, target, verify, cfg.Decode, m)
	}
	// What a killed earlier download to this name left behind, whichever way this one goes:
	// the earlier one may have needed a temporary name where this one does not. For a new name,
	// one lookup first: a writer takes the first free slot, so leftovers start at slot 0 unless
	// downloads to the name ran at once (then the next download over the file sweeps them); a
	// tree of small new files pays one failed lookup a file, not eight (15% of jindo cp -r).
	if exists || tempExists(target, 0) {
		sweepStaleTemps(target)
	}
	// The file has no name until it is complete (Linux), so a crash leaves nothing; otherwise a
	// temporary name beside the target, renamed over it at the end.
	var f *os.File
	var tmp *namedTemp
	if (free || (exists && st.Mode().IsRegular())) && os.Getenv(namedTempEnv) == "" {
		f, _ = openUnnamed(filepath.Dir(target))
	}
	if f == nil {
		if tmp, err = createTemp(target); err != nil {
			return nil, &oss.ClientError{Message: err.Error(), Err: err}
		}
		f = tmp.f
	}
	done := false
	defer func() {
		if done {
			return
		}
		if tmp != nil {
			tmp.discard()
		} else {
			f.Close()
		}
	}()
	if exists {
		if err := f.Chmod(st.Mode().Perm()); err != nil {
			return nil, &oss.ClientError{Message: err.Error(), Err: err}
		}
	}
	// Reads of at most the object's size: a 1 MiB buffer per small object makes a tree of small
	// files allocation-bound (measured with the CLI's cp -r).
	bufSize := 32 << 10
	if dl.Length >= 0 {
		bufSize = int(min(max(dl.Length, 1), 1<<20))
	}
	write := func(off int64, b []byte) error {
		_, err := f.WriteAt(b, off)
		return err
	}
	if cfg.Decode != nil {
		write = decodingWriteAt(write, cfg.Decode, dl.Start)
	}
	sum, err := dl.Fill(ctx, Sink{WriteAt: write, Progress: m.Add}, bufSize)
	if err != nil {
		return nil, err
	}
	if verify && dl.Status == http.StatusOK {
		if err := oss.CheckCRC(oss.OpGetObject, sum, dl.Header); err != nil {
			return nil, err
		}
	}
	if tmp != nil {
		err = tmp.install(target)
	} else {
		err = installUnnamed(f, target)
	}
	if err != nil {
		return nil, &oss.ClientError{Message: err.Error(), Err: err}
	}
	done = true
	return &FileResult{Status: dl.Status, Header: dl.Header, CRC: sum}, nil
}

// resolveTarget follows a symlink at name, as open() would, and tells what is at the end of it
// (exists) and whether nothing at all has the name (free: only then can an unnamed file be linked
// there). A dangling symlink is not followed: the download replaces the link, as it always has.
func resolveTarget(name string) (target string, st os.FileInfo, exists, free bool) {
	st, err := os.Lstat(name)
	if err != nil {
		return name, nil, false, errors.Is(err, fs.ErrNotExist)
	}
	if st.Mode()&os.ModeSymlink == 0 {
		return name, st, true, false
	}
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return name, nil, false, false
	}
	if st, err = os.Stat(real); err != nil {
		return name, nil, false, false
	}
	return real, st, true, false
}

// installUnnamed names f, a complete unnamed file, target, and closes it. linkat never
// replaces: if target appeared meanwhile, f is linked under a temporary name beside it and renamed
// over it. If f cannot be named at all (no /proc in a chroot), its bytes are copied to a named
// temporary file instead, which needs the space twice for a moment.
func installUnnamed(f *os.File, target string) error {
	err := nameUnnamed(f, target)
	if err == nil {
		if err = f.Close(); err != nil {
			os.Remove(target)
		}
		return err
	}
	defer f.Close()
	var tmp *namedTemp
	if errors.Is(err, fs.ErrExist) {
		if tmp, err = linkTemp(f, target); err != nil {
			return err
		}
	} else {
		if tmp, err = createTemp(target); err != nil {
			return err
		}
		if _, err = f.Seek(0, io.SeekStart); err == nil {
			_, err = io.Copy(tmp.f, f)
		}
	}
	if err == nil {
		err = tmp.install(target)
	}
	if err != nil {
		tmp.discard()
	}
	return err
}

// writeStream writes the download to target, an existing device, FIFO or socket, through one
// open(O_WRONLY) and in order: a temporary file renamed over it would replace the node itself
// (as root, /dev/null with a regular file), and a FIFO or a tape cannot take writes at offsets.
// The parts are still fetched in parallel, a bounded window ahead of the writes. What was written
// before a failure stays written, as with oss2.
func writeStream(ctx context.Context, dl *Download, target string, verify bool, dec Decoder, m Meter) (*FileResult, error) {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return nil, &oss.ClientError{Message: err.Error(), Err: err}
	}
	var w io.Writer = f
	if dec != nil {
		w = &decodingWriter{w: f, dec: dec, off: dl.Start}
	}
	_, sum, err := StreamTo(ctx, dl, w, 0, m)
	if err != nil {
		f.Close()
		if destinationFailed(err) {
			return nil, &oss.ClientError{Message: errors.Unwrap(err).Error(), Err: errors.Unwrap(err)}
		}
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, &oss.ClientError{Message: err.Error(), Err: err}
	}
	if verify && dl.Status == http.StatusOK {
		if err := oss.CheckCRC(oss.OpGetObject, sum, dl.Header); err != nil {
			return nil, err
		}
	}
	return &FileResult{Status: dl.Status, Header: dl.Header, CRC: sum, Stream: true}, nil
}
