package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// An append names the object's CRC64 before it (init_crc): the CRC compared with the server's is
// the whole object's, chained, so a wrong init_crc is found.
func TestSendChecksAnAppendsCRCChainedAfterInitCRC(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	appendReq := func(pos int) *oss.Request {
		return &oss.Request{Method: http.MethodPost, Bucket: "bkt", Key: "log",
			Query: [][2]string{{"append", ""}, {"position", fmt.Sprint(pos)}}}
	}
	first, second := []byte("first line\n"), []byte("second line\n")
	zero := uint64(0)
	if _, err := Send(ctx, e.client, appendReq(0), bytes.NewReader(first), int64(len(first)),
		SendOptions{Threshold: 1, Verify: oss.OpAppendObject, InitCRC: &zero}); err != nil {
		t.Fatal(err)
	}
	right := crc.Checksum(first)
	res, err := Send(ctx, e.client, appendReq(len(first)), bytes.NewReader(second), int64(len(second)),
		SendOptions{Threshold: 1, Verify: oss.OpAppendObject, InitCRC: &right})
	if err != nil {
		t.Fatal(err)
	}
	if res.Multipart {
		t.Fatal("an append went up as a multipart upload")
	}
	wrong := right + 1
	_, err = Send(ctx, e.client, appendReq(len(first)+len(second)), bytes.NewReader(first), int64(len(first)),
		SendOptions{Verify: oss.OpAppendObject, InitCRC: &wrong})
	var ie *oss.InconsistentError
	if !errors.As(err, &ie) || !strings.Contains(ie.Message, "operation: append object") {
		t.Fatalf("a wrong init_crc: %v", err)
	}
}

// Without a body a GET is one request whose document is read whole; a PUT without one sends an
// empty body; a PutObject from the threshold goes up in parts.
func TestSendChoosesBetweenOneRequestAndPut(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := Send(ctx, e.client, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "empty"}, nil, 0, SendOptions{}); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("x"), 300<<10)
	res, err := Send(ctx, e.client, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "big"}, bytes.NewReader(data), int64(len(data)),
		SendOptions{Threshold: 200 << 10, Config: Config{PartSize: 100 << 10}, Verify: oss.OpPutObject})
	if err != nil || !res.Multipart {
		t.Fatalf("%v, multipart %v", err, res != nil && res.Multipart)
	}
	got, err := Send(ctx, e.client, &oss.Request{Method: http.MethodGet, Bucket: "bkt", Key: "big"}, nil, 0, SendOptions{})
	if err != nil || !bytes.Equal(got.Body, data) {
		t.Fatalf("GET: %v, %d bytes", err, len(got.Body))
	}
	got, err = Send(ctx, e.client, &oss.Request{Method: http.MethodGet, Bucket: "bkt", Key: "empty"}, nil, 0, SendOptions{})
	if err != nil || got.Status != 200 || len(got.Body) != 0 {
		t.Fatalf("GET empty: %v %+v", err, got)
	}
}

func TestFDReadsByOffsetWithoutMovingTheFile(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "fd")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("0123456789")
	f.Seek(2, io.SeekStart)
	b := make([]byte, 4)
	if n, err := FD(f.Fd()).ReadAt(b, 5); n != 4 || err != nil || string(b) != "5678" {
		t.Fatalf("ReadAt = %d, %v, %q", n, err, b)
	}
	if n, err := FD(f.Fd()).ReadAt(b, 8); n != 2 || err != io.EOF {
		t.Fatalf("ReadAt at the end = %d, %v", n, err)
	}
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != 2 {
		t.Fatalf("the file offset moved to %d", pos)
	}
}

// A Body read in pieces keeps the running CRC and tells the end; ReadAll after pieces goes on
// in order; a wrong-sized ReadAll buffer is the caller's mistake.
func TestBodyReadsInPiecesThenWhole(t *testing.T) {
	e := newEnv(t)
	data := bytes.Repeat([]byte("abcdefgh"), 1000)
	e.put(t, "k", data)
	ctx := context.Background()
	open := func() *Body {
		dl, err := Open(ctx, e.client, &oss.Request{Method: http.MethodGet, Bucket: "bkt", Key: "k"}, Config{PartSize: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return NewBody(ctx, dl)
	}
	b := open()
	defer b.Close()
	buf := make([]byte, 100)
	if n, err := b.ReadInOrder(buf, nil); n != 100 || err != nil || b.EOF() || b.CRC() != crc.Checksum(data[:100]) {
		t.Fatalf("first piece: %d %v eof %v", n, err, b.EOF())
	}
	rest := make([]byte, len(data)-100)
	if n, err := b.ReadAll(rest, nil, nil); n != len(rest) || err != nil || !b.EOF() || b.CRC() != crc.Checksum(data) {
		t.Fatalf("rest: %d %v eof %v", n, err, b.EOF())
	}
	if n, err := b.ReadInOrder(buf, nil); n != 0 || err != nil {
		t.Fatalf("after the end: %d %v", n, err)
	}
	whole := open()
	defer whole.Close()
	var ce *oss.ClientError
	if _, err := whole.ReadAll(make([]byte, 10), nil, nil); !errors.As(err, &ce) {
		t.Fatalf("a short read-all buffer: %v", err)
	}
}

func TestOSSErrorTellsAChangedObjectAndAClosedWriter(t *testing.T) {
	var ie *oss.InconsistentError
	if err := OSSError(fmt.Errorf("%w (ETag was x)", ErrChanged)); !errors.As(err, &ie) || !strings.Contains(ie.Message, "ETag was x") {
		t.Fatalf("%v", err)
	}
	var ce *oss.ClientError
	if err := OSSError(ErrWriterClosed); !errors.As(err, &ce) {
		t.Fatalf("%v", err)
	}
	other := errors.New("x")
	if OSSError(other) != other || OSSError(nil) != nil {
		t.Fatal("other errors changed")
	}
}

// With VerifyCRC a Writer's Close compares what it sent with the completed object's CRC64.
func TestWriterVerifiesTheCRCOnClose(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lying := doerFunc(func(ctx context.Context, r *oss.Request) (*http.Response, error) {
		resp, err := e.client.Do(ctx, r)
		if err == nil && r.Key == "lied" && resp.Header.Get("x-oss-hash-crc64ecma") != "" {
			resp.Header.Set("x-oss-hash-crc64ecma", "1")
		}
		return resp, err
	})
	part := bytes.Repeat([]byte("p"), 100<<10)
	for _, key := range []string{"told", "lied"} {
		w := NewWriter(lying, &oss.Request{Bucket: "bkt", Key: key}, Config{PartSize: 100 << 10}, false, Meter{}).VerifyCRC(true)
		if err := w.WritePart(ctx, part); err != nil {
			t.Fatal(err)
		}
		_, err := w.Close(ctx, []byte("tail"))
		var ie *oss.InconsistentError
		if key == "told" && err != nil || key == "lied" && !errors.As(err, &ie) {
			t.Fatalf("%s: %v", key, err)
		}
	}
}
