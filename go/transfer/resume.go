package transfer

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// UploadState is the progress of a resumable multipart upload: the upload id and the parts
// already stored. The caller keeps it (the CLI in a checkpoint file) so that an upload cut short,
// even by kill -9, resumes without sending those parts again.
type UploadState struct {
	UploadID string      `json:"upload_id"`
	PartSize int64       `json:"part_size"`
	Parts    []StatePart `json:"parts"`
}

// StatePart is one stored part.
type StatePart struct {
	Number int    `json:"number"`
	ETag   string `json:"etag"`
	CRC    uint64 `json:"crc64"`
	Size   int64  `json:"size"`
}

// ResumableUpload stores size bytes of src as req.Bucket/req.Key in parallel parts, continuing
// the upload state names (a fresh one when its UploadID is empty). save is called with the state
// after the upload is initiated and after each part, and must persist it before returning; a
// save error stops the upload. Unlike UploadMultipart, a failure leaves the upload in place for
// a later resume: the caller aborts it when it gives up. Parts listed in state are trusted to
// be the same bytes of src (the caller checks that src is unchanged).
func ResumableUpload(ctx context.Context, d oss.Doer, req *oss.Request, src io.ReaderAt, size int64, cfg Config,
	state *UploadState, save func(*UploadState) error, progress func(int64)) (*Upload, error) {
	cfg = cfg.withDefaults()
	if state.UploadID == "" {
		state.PartSize = cfg.PartSize
		for size > state.PartSize*10000 {
			state.PartSize *= 2
		}
		id, _, err := initiate(ctx, d, req)
		if err != nil {
			return nil, err
		}
		state.UploadID, state.Parts = id, nil
		if err := save(state); err != nil {
			abort(ctx, d, req, id)
			return nil, err
		}
	}
	partSize := state.PartSize
	count := max(int((size+partSize-1)/partSize), 1)
	have := map[int]bool{}
	for _, p := range state.Parts {
		have[p.Number] = true
		if progress != nil {
			progress(p.Size)
		}
	}
	var todo []int
	for n := 1; n <= count; n++ {
		if !have[n] {
			todo = append(todo, n)
		}
	}
	var mu sync.Mutex
	err := Each(ctx, len(todo), cfg.Concurrency, true, func(ctx context.Context, _, i int) error {
		n := todo[i]
		off := int64(n-1) * partSize
		p, err := putPart(ctx, d, req, state.UploadID, n, src, off, min(partSize, size-off), cfg.Retry, progress)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		state.Parts = append(state.Parts, StatePart{Number: n, ETag: p.etag, CRC: p.crc, Size: p.size})
		return save(state)
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(state.Parts, func(i, j int) bool { return state.Parts[i].Number < state.Parts[j].Number })
	var parts []oss.CompletePart
	var sum uint64
	for _, p := range state.Parts {
		if p.Number > count {
			continue
		}
		parts = append(parts, oss.CompletePart{PartNumber: p.Number, ETag: p.ETag})
		sum = crc.Combine(sum, p.CRC, p.Size)
	}
	res, err := oss.CompleteMultipartUpload(ctx, d, &oss.CompleteMultipartUploadRequest{Bucket: req.Bucket, Key: req.Key,
		UploadID: state.UploadID, Parts: parts, Retry: true})
	if err != nil {
		return nil, fmt.Errorf("complete upload %s: %w", state.UploadID, err)
	}
	return &Upload{Result: res.Result, Body: res.Body, CRC: sum}, nil
}
