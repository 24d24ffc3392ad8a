package server

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Request documents (batch delete, complete, bucket configuration) are small: the server reads
// each whole under one deadline, bounded in size, and refuses one that nests deeper, holds more
// elements or attributes than any OSS request document, or declares a DTD, before decoding it,
// since decoding costs many times a document's size (about 26x for a deeply nested one).
const (
	// maxRequestXML bounds a request document: a complete of 10000 parts is under 1 MiB.
	maxRequestXML = 2 << 20
	// maxDeleteXML bounds a batch delete: 1000 keys of 1023 bytes, each byte written as a 6-byte
	// reference (&quot; or &#x41;), are 6.14 MB, and the markup of 1000 objects fits in the rest.
	// The element, attribute and depth limits, not the size, keep decoding cheap.
	maxDeleteXML = 6 << 20
	// maxXMLDepth: OSS's request documents nest at most a handful of levels.
	maxXMLDepth = 16
	// maxXMLElements: a complete of 10000 parts has 30001 elements.
	maxXMLElements = 40000
	// maxXMLAttrs, per element and in all: request documents carry at most an xmlns.
	maxXMLAttrsPerElement = 8
	maxXMLAttrs           = 1024
)

func errRequestTimeout() *ossError {
	return &ossError{Status: 400, Code: "RequestTimeout", Message: "Your socket connection to the server was not read from or written to within the timeout period.", EC: "0002-00000002"}
}

// readXMLBody reads a request document of at most limit bytes whole, within the server's body
// timeout.
func (rq *request) readXMLBody(limit int64) ([]byte, *ossError) {
	if rq.r.ContentLength > limit {
		return nil, errMalformedXML()
	}
	// One deadline for the whole (small) body: a client dripping a byte at a time cannot hold it.
	http.NewResponseController(rq.w).SetReadDeadline(time.Now().Add(rq.s.cfg.BodyIdleTimeout))
	raw, err := io.ReadAll(io.LimitReader(rq.input(), limit+1))
	switch {
	case err != nil:
		return nil, errRequestTimeout()
	case int64(len(raw)) > limit:
		return nil, errMalformedXML()
	}
	return raw, nil
}

var errXMLTooComplex = errors.New("xml document nests too deeply or has too many elements or attributes")

// checkXMLShape fails if raw nests deeper than maxXMLDepth, has more than maxXMLElements
// elements or more attributes than maxXMLAttrsPerElement / maxXMLAttrs, or declares a DTD. It
// allocates little, whatever the document: attributes are counted by a byte scan first, since
// the tokenizer allocates every attribute of an element at once.
func checkXMLShape(raw []byte) error {
	if err := checkXMLAttrs(raw); err != nil {
		return err
	}
	d := xml.NewDecoder(bytes.NewReader(raw))
	depth, elements, attrs := 0, 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			attrs += len(t.Attr) // the byte scan counted these already; a backstop
			if depth > maxXMLDepth || elements > maxXMLElements || len(t.Attr) > maxXMLAttrsPerElement || attrs > maxXMLAttrs {
				return errXMLTooComplex
			}
		case xml.EndElement:
			depth--
		}
	}
}

// errXMLDeclaration refuses a DTD or any other <!...> declaration: no request document has one.
var errXMLDeclaration = errors.New("xml document has a declaration (DTD)")

// xmlSpecial recognises, at a '<' in raw, a section whose content is not markup: a comment or
// processing instruction (skipped whole) or a CDATA section (its text is literal). It returns the
// section's opening and closing delimiters, or ok=false for ordinary markup (a tag). A declaration
// (<!DOCTYPE ...>) is an error.
func xmlSpecial(raw []byte) (open, close string, ok bool, err error) {
	switch {
	case bytes.HasPrefix(raw, []byte("<!--")):
		return "<!--", "-->", true, nil
	case bytes.HasPrefix(raw, []byte("<![CDATA[")):
		return "<![CDATA[", "]]>", true, nil
	case bytes.HasPrefix(raw, []byte("<?")):
		return "<?", "?>", true, nil
	case bytes.HasPrefix(raw, []byte("<!")):
		return "", "", false, errXMLDeclaration
	}
	return "", "", false, nil
}

// checkXMLAttrs counts attributes with a byte scan, without allocating: in a start tag (outside
// comments, CDATA and processing instructions), each '=' outside a quoted value is one attribute,
// as encoding/xml requires `name="value"` for each.
func checkXMLAttrs(raw []byte) error {
	total := 0
	for i := 0; i < len(raw); {
		lt := bytes.IndexByte(raw[i:], '<')
		if lt < 0 {
			return nil
		}
		i += lt
		open, close, special, err := xmlSpecial(raw[i:])
		if err != nil {
			return err
		}
		if special {
			end := bytes.Index(raw[i+len(open):], []byte(close))
			if end < 0 {
				return nil // unterminated: the tokenizer refuses it
			}
			i += len(open) + end + len(close)
			continue
		}
		// A tag, up to the first '>' outside a quoted value.
		attrs := 0
		var quote byte
	tag:
		for i++; i < len(raw); i++ {
			switch c := raw[i]; {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				break tag
			case c == '=':
				attrs++
				total++
				if attrs > maxXMLAttrsPerElement || total > maxXMLAttrs {
					return errXMLTooComplex
				}
			}
		}
	}
	return nil
}

// decodeXML checks raw's shape, then decodes it into v; any failure is MalformedXML.
func decodeXML(raw []byte, v any) *ossError {
	if checkXMLShape(raw) != nil || xml.Unmarshal(raw, v) != nil {
		return errMalformedXML()
	}
	return nil
}

// XML 1.0 forbids most control characters and U+FFFE/U+FFFF, even as character references, and
// encoding/xml refuses them; yet oss2 writes keys that hold them raw into a batch delete
// (ElementTree does not escape them) and OSS accepts that. escapeControls makes such a body
// parseable: each forbidden character becomes ctrlEscape followed by its code letter (a letter or
// digit, never markup), and ctrlEscape itself is doubled. A carriage return is escaped too, so the
// XML parser's newline normalisation cannot change a key. unescapeControls restores a decoded text.
//
// For the escape to be reversible, every way ctrlEscape can reach decoded text must be doubled:
// raw (in text, attribute values and CDATA alike) and as a character reference (&#xE000;,
// &#57344;, resolved in text and attribute values but not in CDATA, comments or processing
// instructions, which are copied as they are). encoding/xml expands no other entity, and
// declarations (DTDs) are refused. So no two bodies decode to the same keys, and encoding/xml
// still parses all the structure; a hand-written tokenizer would have to match it everywhere.
const ctrlEscape = '\uE000' // a private-use character

// escapeCodes[i] is the code letter of the escaped character i (i < 32), U+FFFE (32), U+FFFF (33).
const escapeCodes = "0123456789abcdefghijklmnopqrstuvwxyz"

func escapeCode(r rune) (byte, bool) {
	switch {
	case r < 0x20 && r != '\t' && r != '\n':
		return escapeCodes[r], true
	case r == 0xFFFE:
		return escapeCodes[32], true
	case r == 0xFFFF:
		return escapeCodes[33], true
	}
	return 0, false
}

func escapedRune(code rune) (rune, bool) {
	i := strings.IndexRune(escapeCodes[:34], code)
	switch {
	case i < 0:
		return 0, false
	case i == 32:
		return 0xFFFE, true
	case i == 33:
		return 0xFFFF, true
	}
	return rune(i), true
}

// escapeControls returns raw made parseable, and whether it had to change it (only then do the
// decoded texts need unescapeControls). The result is at most limit bytes.
func escapeControls(raw []byte, limit int) ([]byte, bool, error) {
	if !bytes.Contains(raw, []byte("&#")) && !bytes.ContainsFunc(raw, func(r rune) bool {
		_, esc := escapeCode(r)
		return esc || r == ctrlEscape
	}) {
		return raw, false, nil
	}
	out := make([]byte, 0, len(raw)+len(raw)/8)
	// escapeRunes escapes text whose characters all reach the decoded document as they are.
	escapeRunes := func(text []byte) {
		for len(text) > 0 {
			r, n := utf8.DecodeRune(text)
			if code, ok := escapeCode(r); ok {
				out = utf8.AppendRune(out, ctrlEscape)
				out = append(out, code)
			} else if r == ctrlEscape {
				out = utf8.AppendRune(out, ctrlEscape)
				out = utf8.AppendRune(out, ctrlEscape)
			} else {
				out = append(out, text[:n]...)
			}
			text = text[n:]
		}
	}
	for i := 0; i < len(raw); {
		if len(out) > limit {
			return nil, false, errXMLTooComplex
		}
		if raw[i] == '<' {
			open, close, special, err := xmlSpecial(raw[i:])
			if err != nil {
				return nil, false, err
			}
			if special {
				end := bytes.Index(raw[i+len(open):], []byte(close))
				if end < 0 {
					end = len(raw) - i - len(open) - len(close) // unterminated: the tokenizer refuses it
					close = ""
				}
				out = append(out, open...)
				body := raw[i+len(open) : i+len(open)+end]
				if open == "<![CDATA[" {
					escapeRunes(body)
				} else {
					out = append(out, body...)
				}
				out = append(out, close...)
				i += len(open) + end + len(close)
				continue
			}
		}
		if r, n := charRef(raw[i:]); n > 0 && r == ctrlEscape {
			out = utf8.AppendRune(out, ctrlEscape)
			out = utf8.AppendRune(out, ctrlEscape)
			i += n
			continue
		}
		_, n := utf8.DecodeRune(raw[i:])
		escapeRunes(raw[i : i+n])
		i += n
	}
	if len(out) > limit {
		return nil, false, errXMLTooComplex
	}
	return out, true, nil
}

// charRef decodes a numeric character reference at the start of b as encoding/xml reads one
// (&#DDD; or &#xHHH;, lower-case x), returning its rune and length, or n=0 if there is none.
func charRef(b []byte) (r rune, n int) {
	if !bytes.HasPrefix(b, []byte("&#")) {
		return 0, 0
	}
	i, base := 2, 10
	if i < len(b) && b[i] == 'x' {
		i, base = 3, 16
	}
	start := i
	for i < len(b) && (b[i] >= '0' && b[i] <= '9' || base == 16 && (b[i]|0x20 >= 'a' && b[i]|0x20 <= 'f')) {
		i++
	}
	if i == len(b) || b[i] != ';' {
		return 0, 0
	}
	v, err := strconv.ParseUint(string(b[start:i]), base, 64)
	if err != nil || v > unicode.MaxRune {
		return 0, 0
	}
	return rune(v), i + 1
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
			if c, ok := escapedRune(r); ok {
				b.WriteRune(c)
			}
			escaped = false
		case r == ctrlEscape:
			escaped = true
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
