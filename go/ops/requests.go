package ops

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/crypto"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func init() {
	register("request", BufferIn, request)
	register("sign_url", NoBuffer, signURL)
	register("get_to_file", NoBuffer, getToFile)
}

// RequestArgs is one request with an optional body: the caller's buffer, or a file descriptor
// read with pread.
type RequestArgs struct {
	Method string `json:"method" arg:"required"`
	Target
	// Parse names the answer's document kind for oss.ParseDocument ("": passed raw).
	Parse    string `json:"parse"`
	CheckCRC bool   `json:"check_crc"`
	// Operation names the write whose CRC is checked (Python knows which method it is in):
	// put_object, append_object or upload_part.
	Operation string `json:"operation"`
	// InitCRC is the object's CRC64 before an append (decimal: JSON numbers lose bits).
	InitCRC *string `json:"init_crc"`
	FD      *int    `json:"fd"`
	Offset  int64   `json:"offset"`
	Size    int64   `json:"size"`
	// This request's multipart threshold and part size, instead of the session's (resumable_upload
	// with explicit sizes); the threshold is -1 for never.
	MultipartThreshold *int64 `json:"multipart_threshold"`
	PartSize           int64  `json:"part_size"`
	// Cipher encrypts the body as it is read (CryptoBucket's put_object and upload_part).
	Cipher *RequestCipher `json:"cipher"`
}

// crcOperations names each write as oss2's CRC mismatch message does.
var crcOperations = map[string]string{
	"put_object": oss.OpPutObject, "append_object": oss.OpAppendObject, "upload_part": oss.OpUploadPart,
}

// request sends one request (transfer.Send) and returns the response, its document parsed
// when a.Parse names one.
func request(ctx context.Context, c *Call, a *RequestArgs) (Response, error) {
	s := c.Session
	opts := transfer.SendOptions{Threshold: s.MultipartThreshold, Config: s.transferConfig(a.PartSize),
		Meter: transfer.Meter{Add: c.Progress.Add, SetTotal: c.Progress.SetTotal}}
	if a.CheckCRC {
		op, known := crcOperations[a.Operation]
		if !known {
			return Response{}, clientErrorf("check_crc needs an operation (put_object, append_object, upload_part), got %q", a.Operation)
		}
		opts.Verify = op
	}
	if a.InitCRC != nil {
		v, err := strconv.ParseUint(*a.InitCRC, 10, 64)
		if err != nil {
			return Response{}, clientErrorf("bad init_crc %q", *a.InitCRC)
		}
		opts.InitCRC = &v
	}
	if a.MultipartThreshold != nil {
		opts.Threshold = *a.MultipartThreshold
	}
	var src io.ReaderAt
	size := int64(len(c.Buffer))
	switch {
	case a.FD != nil:
		src, size = io.NewSectionReader(transfer.FD(*a.FD), a.Offset, a.Size), a.Size
	case c.Buffer != nil:
		src = bytes.NewReader(c.Buffer)
	}
	if a.Cipher != nil && src != nil {
		ctr, err := a.Cipher.ctr()
		if err != nil {
			return Response{}, err
		}
		src = &crypto.ReaderAt{R: src, C: ctr, Base: a.Cipher.Offset}
	}
	started := time.Now()
	res, err := transfer.Send(ctx, s.Client, a.request(a.Method), src, size, opts)
	if err != nil {
		return Response{}, err
	}
	return describeDocument(res.Status, res.Header, res.Body, a.Parse, started)
}

// describeDocument is the response with its document parsed as kind, or passed raw.
func describeDocument(status int, header http.Header, doc []byte, kind string, started time.Time) (Response, error) {
	var body any
	if kind != "" {
		parsed, err := oss.ParseDocument(kind, doc)
		if err != nil {
			return Response{}, err
		}
		body = parsed
	} else if len(doc) > 0 {
		body = Latin1(doc)
	}
	return describe(status, header, body, started), nil
}

type SignURLArgs struct {
	Method string `json:"method" arg:"required"`
	Target
	Expires           int64    `json:"expires" arg:"required"`
	SlashSafe         bool     `json:"slash_safe"`
	AdditionalHeaders []string `json:"additional_headers"`
}

type SignURLResult struct {
	URL string `json:"url"`
}

// signURL builds a presigned URL; it sends nothing.
func signURL(ctx context.Context, c *Call, a *SignURLArgs) (SignURLResult, error) {
	u, err := c.Session.Client.PresignContext(ctx, a.request(a.Method), a.Expires, a.SlashSafe, a.AdditionalHeaders, time.Now())
	if err != nil {
		return SignURLResult{}, err
	}
	return SignURLResult{URL: u}, nil
}

type GetToFileArgs struct {
	Target
	Filename string `json:"filename" arg:"required"`
	CheckCRC bool   `json:"check_crc"`
	PartSize int64  `json:"part_size"` // bytes per ranged GET instead of the session's (resumable_download)
	// Cipher decrypts what is written (CryptoBucket), from the delivered bytes' offset on.
	Cipher *CryptoKey `json:"cipher"`
}

type GetToFileResult struct {
	Response
	CRC uint64 `json:"crc"`
}

// getToFile downloads into a file (see transfer.DownloadFile: never a partial file).
func getToFile(ctx context.Context, c *Call, a *GetToFileArgs) (GetToFileResult, error) {
	cfg := c.Session.transferConfig(a.PartSize)
	if a.Cipher != nil {
		ctr, err := a.Cipher.ctr()
		if err != nil {
			return GetToFileResult{}, err
		}
		cfg.Decode = ctr.XORAt
	}
	started := time.Now()
	res, err := transfer.DownloadFile(ctx, c.Session.Client, a.request(http.MethodGet), a.Filename, cfg, a.CheckCRC, transfer.Meter{Add: c.Progress.Add, SetTotal: c.Progress.SetTotal})
	if err != nil {
		return GetToFileResult{}, interrupted(ctx, err)
	}
	return GetToFileResult{Response: describe(res.Status, res.Header, nil, started), CRC: res.CRC}, nil
}
