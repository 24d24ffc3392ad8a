package server

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Request documents (batch delete, complete, bucket configuration) are small: the server reads
// each whole under one deadline, bounded in size, and refuses one that nests deeper or holds
// more elements than any OSS request document before decoding it, since decoding costs many
// times a document's size (about 26x for a deeply nested one).
const (
	// maxRequestXML bounds a request document (1000 delete keys of 1023 bytes fit, escaped).
	maxRequestXML = 2 << 20
	// maxXMLDepth: OSS's request documents nest at most a handful of levels.
	maxXMLDepth = 16
	// maxXMLElements: a complete of 10000 parts has 30001 elements.
	maxXMLElements = 40000
)

func errRequestTimeout() *ossError {
	return &ossError{Status: 400, Code: "RequestTimeout", Message: "Your socket connection to the server was not read from or written to within the timeout period.", EC: "0002-00000002"}
}

// readXMLBody reads a request document whole, within the server's body timeout.
func (rq *request) readXMLBody() ([]byte, *ossError) {
	if rq.r.ContentLength > maxRequestXML {
		return nil, errMalformedXML()
	}
	// One deadline for the whole (small) body: a client dripping a byte at a time cannot hold it.
	http.NewResponseController(rq.w).SetReadDeadline(time.Now().Add(rq.s.cfg.BodyIdleTimeout))
	raw, err := io.ReadAll(io.LimitReader(rq.input(), maxRequestXML+1))
	switch {
	case err != nil:
		return nil, errRequestTimeout()
	case len(raw) > maxRequestXML:
		return nil, errMalformedXML()
	}
	return raw, nil
}

var errXMLTooComplex = errors.New("xml document nests too deeply or has too many elements")

// checkXMLShape streams raw's tokens and fails if the document nests deeper than maxXMLDepth or
// has more than maxXMLElements elements; it allocates little, whatever the document.
func checkXMLShape(raw []byte) error {
	d := xml.NewDecoder(bytes.NewReader(raw))
	depth, elements := 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth > maxXMLDepth || elements > maxXMLElements {
				return errXMLTooComplex
			}
		case xml.EndElement:
			depth--
		}
	}
}

// decodeXML checks raw's shape, then decodes it into v; any failure is MalformedXML.
func decodeXML(raw []byte, v any) *ossError {
	if checkXMLShape(raw) != nil || xml.Unmarshal(raw, v) != nil {
		return errMalformedXML()
	}
	return nil
}

// XML 1.0 forbids most control characters, even as character references, and encoding/xml
// refuses them; yet oss2 writes keys that hold them raw into a batch delete (ElementTree does not
// escape them) and OSS accepts that. escapeControls makes such a body parseable: each forbidden
// character c becomes ctrlEscape followed by the letter '@'+c, and ctrlEscape itself is doubled.
// A carriage return is escaped too, so the XML parser's newline normalisation cannot change a key.
// unescapeControls restores a decoded text.
const ctrlEscape = '\uE000' // a private-use character

func escapeControls(raw []byte) []byte {
	if !bytes.ContainsFunc(raw, func(r rune) bool { return r == ctrlEscape || needsEscape(r) }) {
		return raw
	}
	var b bytes.Buffer
	b.Grow(len(raw) + 64)
	for len(raw) > 0 {
		r, n := utf8.DecodeRune(raw)
		switch {
		case r == ctrlEscape:
			b.WriteRune(ctrlEscape)
			b.WriteRune(ctrlEscape)
		case needsEscape(r):
			b.WriteRune(ctrlEscape)
			b.WriteByte(byte('@' + r))
		default:
			b.Write(raw[:n])
		}
		raw = raw[n:]
	}
	return b.Bytes()
}

func needsEscape(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n'
}

func unescapeControls(s string) string {
	if !strings.ContainsRune(s, ctrlEscape) {
		return s
	}
	var b strings.Builder
	escaped := false
	for _, r := range s {
		switch {
		case escaped && r == ctrlEscape:
			b.WriteRune(ctrlEscape)
			escaped = false
		case escaped:
			b.WriteRune(r - '@')
			escaped = false
		case r == ctrlEscape:
			escaped = true
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
