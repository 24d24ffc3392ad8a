// Package ops is the registry of the operations a foreign caller (pyjindo, through go/capi) runs
// by name: each registers its name with a Go struct of arguments and one of results, whose
// JSON field names are the only place the names are spelled in Go, and whose `arg:"required"`
// tags say which keys the caller must send. The registry decodes a call's JSON arguments
// strictly (an unknown key or a missing required one is an error), runs the typed function,
// and hands back the typed result for the caller to encode. It knows nothing of cgo: go/capi is
// a shim that looks operations up here, and `go test -race` reaches every operation.
//
// The registry is filled by init functions (librclone's pattern) and never changed after.
package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Call is what an operation runs with besides its arguments.
type Call struct {
	Session *Session
	// Buffer is the caller's buffer (data to send, room to fill, or a buffer table); it is only
	// valid until the operation returns.
	Buffer   []byte
	Progress Progress
	Handles  Handles
	// Result, when set, gives the memory a quick operation builds its result in (go/capi: C
	// memory handed to its caller as it is); nil: a buffer of the session's (resultBuffer).
	Result func(n int) []byte
}

// result is n bytes for a quick operation's result (Call.Result).
func (c *Call) result(n int) []byte {
	if c.Result != nil {
		return c.Result(n)
	}
	return c.Session.resultBuffer(n)
}

// Progress receives an operation's byte counters, read by the caller while it waits.
type Progress interface {
	Add(n int64)
	SetTotal(n int64)
	// Retries is the operation's retry log, nil unless the caller asked for its retries.
	Retries() *RetryLog
}

// Handles is the caller's table of Go values it holds by number (go/capi: runtime/cgo
// handles, tagged per loaded library).
type Handles interface {
	New(v any) uint64
	Value(h uint64) (any, bool)
}

// Buffer says what an operation does with Call.Buffer.
type Buffer string

const (
	NoBuffer    Buffer = ""      // none
	BufferIn    Buffer = "in"    // bytes to send
	BufferOut   Buffer = "out"   // room Go fills
	BufferTable Buffer = "table" // (pointer, length) pairs naming many buffers Go fills
)

// Op is one registered operation.
type Op struct {
	Name   string
	Buffer Buffer
	args   reflect.Type
	result reflect.Type
	shape  shape
	run    func(ctx context.Context, c *Call, raw []byte) (any, error)
}

var registry = map[string]*Op{}

// register adds the operation name, whose arguments decode into A and whose result is R.
// Called from init functions only.
func register[A, R any](name string, buffer Buffer, fn func(ctx context.Context, c *Call, a *A) (R, error)) {
	if _, dup := registry[name]; dup {
		panic("ops: " + name + " registered twice")
	}
	at := reflect.TypeFor[A]()
	op := &Op{Name: name, Buffer: buffer, args: at, result: reflect.TypeFor[R](), shape: shapeOf(at)}
	op.run = func(ctx context.Context, c *Call, raw []byte) (any, error) {
		var a A
		if err := decode(name, raw, &a, &op.shape); err != nil {
			return nil, err
		}
		return fn(ctx, c, &a)
	}
	registry[name] = op
}

// Lookup returns the operation registered as name.
func Lookup(name string) (*Op, bool) {
	op, ok := registry[name]
	return op, ok
}

// Names lists the registered operations, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Run decodes raw (a JSON object) as the operation's arguments and runs it; the result is the
// operation's result struct (or list of them), for the caller to encode.
func (op *Op) Run(ctx context.Context, c *Call, raw []byte) (any, error) {
	return op.run(ctx, c, raw)
}

// shape is an argument struct's keys: the required and the optional ones, and those of its
// nested objects (items of a list, ...).
type shape struct {
	Required []string         `json:"required"`
	Optional []string         `json:"optional"`
	Nested   map[string]shape `json:"nested,omitempty"`
	// checked: some key here or below is required, so decode looks at which keys were sent.
	checked bool
}

// shapeOf reads T's JSON fields (embedded structs flattened, as encoding/json does) and their
// `arg:"required"` tags.
func shapeOf(t reflect.Type) shape {
	s := shape{Required: []string{}, Optional: []string{}}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if f.Anonymous && tag == "" {
				walk(f.Type)
				continue
			}
			if !f.IsExported() || tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			switch f.Tag.Get("arg") {
			case "required":
				s.Required = append(s.Required, name)
				s.checked = true
			case "":
				s.Optional = append(s.Optional, name)
			default:
				panic(fmt.Sprintf("ops: %s.%s: arg tag %q (want \"required\" or none)", t, f.Name, f.Tag.Get("arg")))
			}
			if inner := elemStruct(f.Type); inner != nil {
				n := shapeOf(inner)
				if s.Nested == nil {
					s.Nested = map[string]shape{}
				}
				s.Nested[name] = n
				s.checked = s.checked || n.checked
			}
		}
	}
	walk(t)
	slices.Sort(s.Required)
	slices.Sort(s.Optional)
	return s
}

// elemStruct is the struct type a field holds, directly or as the items of a list (through
// pointers), or nil.
func elemStruct(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		return t
	}
	return nil
}

// decode decodes an operation's JSON arguments strictly: a key Go does not know is an error,
// so the caller cannot send something that is silently ignored, and so is a required key
// missing, so it cannot silently become its zero value.
func decode(op string, raw []byte, v any, s *shape) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return clientErrorf("bad %s arguments: %v", op, err)
	}
	if dec.More() {
		return clientErrorf("bad %s arguments: trailing data", op)
	}
	if !s.checked {
		return nil
	}
	var sent any
	if err := json.Unmarshal(raw, &sent); err != nil {
		return clientErrorf("bad %s arguments: %v", op, err)
	}
	if missing := s.missing(sent, ""); missing != "" {
		return clientErrorf("bad %s arguments: missing %s", op, missing)
	}
	return nil
}

// missing names the first required key absent from v (an object, or a list of them), with its
// path ("items[3].key"), or is "".
func (s *shape) missing(v any, path string) string {
	if list, ok := v.([]any); ok {
		for i, item := range list {
			if m := s.missing(item, fmt.Sprintf("%s[%d]", path, i)); m != "" {
				return m
			}
		}
		return ""
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return "" // null, or a type the strict decode already refused
	}
	prefix := path
	if prefix != "" {
		prefix += "."
	}
	for _, k := range s.Required {
		if _, ok := obj[k]; !ok {
			return fmt.Sprintf("%q", prefix+k)
		}
	}
	for k, n := range s.Nested {
		if n.checked {
			if m := n.missing(obj[k], prefix+k); m != "" {
				return m
			}
		}
	}
	return ""
}

// Description is the registry as the caller's own table of operations is checked against:
// each operation's argument keys (required, optional, those of nested objects), what it does
// with the buffer, and the keys of its result.
type Description struct {
	Args   shape    `json:"args"`
	Buffer Buffer   `json:"buffer"`
	Result []string `json:"result"`
}

// Describe describes every registered operation, and the session configuration under the
// name "$session".
func Describe() map[string]Description {
	out := make(map[string]Description, len(registry)+1)
	for name, op := range registry {
		out[name] = Description{Args: op.shape, Buffer: op.Buffer, Result: resultKeys(op.result)}
	}
	out[SessionConfigName] = Description{Args: shapeOf(reflect.TypeFor[SessionConfig]()), Result: []string{}}
	return out
}

// resultKeys are the JSON keys of a result struct (or of the items of a result list).
func resultKeys(t reflect.Type) []string {
	st := elemStruct(t)
	if st == nil {
		return []string{}
	}
	s := shapeOf(st)
	keys := append(s.Required, s.Optional...)
	slices.Sort(keys)
	return keys
}
