package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// checkpoint is the file --checkpoint-dir keeps per big upload: which file, in which state, to
// which object, and the multipart upload's id and stored parts. It is rewritten (temp file +
// rename) after every part, so a crash at any moment leaves a readable one.
type checkpoint struct {
	Version  int                  `json:"version"`
	Source   string               `json:"source"`
	Size     int64                `json:"size"`
	MtimeNs  int64                `json:"mtime_ns"`
	Inode    uint64               `json:"inode"`
	CtimeNs  int64                `json:"ctime_ns"`
	Bucket   string               `json:"bucket"`
	Key      string               `json:"key"`
	Upload   transfer.UploadState `json:"upload"`
	Finished bool                 `json:"-"`
}

// checkpointVersion 2 added the inode and the ctime; a version 1 checkpoint is started over.
const checkpointVersion = 2

func checkpointPath(dir, src, bucket, key string) string {
	abs, err := filepath.Abs(src)
	if err != nil {
		abs = src
	}
	sum := sha256.Sum256([]byte(abs + "\x00" + bucket + "\x00" + key))
	return filepath.Join(dir, hex.EncodeToString(sum[:16])+".upload.json")
}

// writeCheckpoint replaces the record at path all at once and durably: the new record is
// synced before the rename and the directory after it, so a power loss leaves the old record or
// the new one, never an empty or partial file.
func writeCheckpoint(path string, cp *checkpoint) error {
	b, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	err = writeSynced(tmp, b)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write checkpoint: %w", err)
	}
	return nil
}

func writeSynced(name string, b []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// damagedCheckpoint is a record that exists but cannot be read back (truncated by a crash of an
// older version, edited by hand): the job starts over rather than failing every rerun.
type damagedCheckpoint struct {
	path string
	raw  []byte
	err  error
}

func (e *damagedCheckpoint) Error() string {
	return fmt.Sprintf("damaged checkpoint %s: %v", e.path, e.err)
}

// uploadID is the upload id a damaged record still shows, if any, so its parts can be aborted.
func (e *damagedCheckpoint) uploadID() string {
	m := regexp.MustCompile(`"upload_id"\s*:\s*"([^"\\]+)"`).FindSubmatch(e.raw)
	if m == nil {
		return ""
	}
	return string(m[1])
}

func readCheckpoint(path string) (*checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, &damagedCheckpoint{path: path, raw: b, err: err}
	}
	return &cp, nil
}

// resumableUpload uploads a big file with its progress in a checkpoint file: an earlier run's
// upload of the same, unchanged file (path, size, mtime, inode and ctime) to the same object is
// continued, and each stored part whose bytes in the file still have the CRC64 it was stored with
// is not sent again. On failure the upload and the checkpoint stay for the next run; a cancelled run (Ctrl-C)
// keeps them too, which is what resuming is for.
func (cp *copier) resumableUpload(ctx context.Context, req *oss.Request, f *os.File, st os.FileInfo, add func(int64)) (http.Header, uint64, error) {
	dir := cp.cfg.checkpointDir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, 0, fmt.Errorf("checkpoint dir: %w", err)
	}
	path := checkpointPath(dir, f.Name(), req.Bucket, req.Key)
	inode, ctime := fileID(st)
	want := checkpoint{Version: checkpointVersion, Source: f.Name(), Size: st.Size(), MtimeNs: st.ModTime().UnixNano(),
		Inode: inode, CtimeNs: ctime, Bucket: req.Bucket, Key: req.Key}
	state := &want
	if old, err := readCheckpoint(path); err == nil {
		if old.Version == want.Version && old.Size == want.Size && old.MtimeNs == want.MtimeNs && old.Source == want.Source &&
			old.Inode == want.Inode && old.CtimeNs == want.CtimeNs && old.Upload.UploadID != "" {
			state = old
			if state.Upload.Parts, err = unchangedParts(ctx, f, st.Size(), &state.Upload); err != nil {
				return nil, 0, err
			}
		} else if old.Upload.UploadID != "" {
			// The file changed: its stored parts are stale.
			abortUpload(ctx, cp.c.client, old.Bucket, old.Key, old.Upload.UploadID)
		}
	} else if dc := (*damagedCheckpoint)(nil); errors.As(err, &dc) {
		cp.damagedCheckpoint(ctx, dc, req.Bucket, req.Key)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, 0, err
	}
	save := func(u *transfer.UploadState) error {
		state.Upload = *u
		return writeCheckpoint(path, state)
	}
	upState := state.Upload
	up, err := transfer.ResumableUpload(ctx, cp.c.client, req, f, st.Size(), cp.cfg.transfer, &upState, save, add)
	var se *oss.ServiceError
	if errors.As(err, &se) && se.Code == "NoSuchUpload" {
		// The upload is gone (aborted or expired): start over once.
		os.Remove(path)
		for _, p := range upState.Parts {
			add(-p.Size)
		}
		state = &want
		upState = transfer.UploadState{}
		up, err = transfer.ResumableUpload(ctx, cp.c.client, req, f, st.Size(), cp.cfg.transfer, &upState, save, add)
	}
	if err != nil {
		return nil, 0, err
	}
	os.Remove(path)
	return up.Header, up.CRC, nil
}

// unchangedParts are the stored parts of u whose bytes in f still have the CRC64 they were stored
// with. Size, mtime, inode and ctime can all be the same for different content (a filesystem
// without ctime, a clock set back, a tool that restores them): the parts that differ are sent
// again, under the same part numbers.
func unchangedParts(ctx context.Context, f *os.File, size int64, u *transfer.UploadState) ([]transfer.StatePart, error) {
	var keep []transfer.StatePart
	buf := make([]byte, 1<<20)
	for _, p := range u.Parts {
		off := int64(p.Number-1) * u.PartSize
		if p.Number < 1 || u.PartSize <= 0 || off >= size || p.Size != min(u.PartSize, size-off) {
			continue
		}
		var sum uint64
		r := io.NewSectionReader(f, off, p.Size)
		for {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			n, err := r.Read(buf)
			sum = crc.Update(sum, buf[:n])
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("checkpoint: read %s: %w", f.Name(), err)
			}
		}
		if sum == p.CRC {
			keep = append(keep, p)
		}
	}
	return keep, nil
}

// damagedCheckpoint says what was found, aborts the upload the record still names (its parts
// would otherwise be billed until a lifecycle rule removes them) and lets the job start over.
func (cp *copier) damagedCheckpoint(ctx context.Context, dc *damagedCheckpoint, bucket, key string) {
	msg := fmt.Sprintf("Warning: %v; starting the upload of %s over", dc, cloudURL(bucket, key))
	fields := map[string]any{"checkpoint": dc.path, "bucket": bucket, "key": key, "upload_aborted": false}
	if id := dc.uploadID(); id == "" {
		msg += fmt.Sprintf("; its multipart upload, if any, is left (list it with: jindo ls -m %s)", cloudURL(bucket, key))
	} else if err := abortUpload(ctx, cp.c.client, bucket, key, id); err != nil {
		msg += fmt.Sprintf("; aborting its upload %s failed: %s", id, describeError(err))
		fields["upload_id"], fields["abort_error"] = id, errorFields(err)
	} else {
		msg += fmt.Sprintf("; its upload %s was aborted", id)
		fields["upload_id"], fields["upload_aborted"] = id, true
	}
	cp.c.notice("warning", msg, fields)
	os.Remove(dc.path)
}
