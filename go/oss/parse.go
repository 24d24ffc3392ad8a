package oss

import (
	"bytes"
	"fmt"
	"reflect"
)

// ParseDocument decodes an OSS response document of the given kind into its typed result, the
// one shape pyjindo reads (the result's JSON); nil for an empty body.
func ParseDocument(kind string, doc []byte) (any, error) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil, nil
	}
	decode, ok := typedDocuments[kind]
	if !ok {
		return nil, &ClientError{Message: fmt.Sprintf("oss: no document kind %q", kind)}
	}
	return decode(doc)
}

// typedDocuments are the document kinds: the struct go/oss decodes each into, whose JSON tags
// are the one shape pyjindo reads (no snake_case guessing, ints and bools typed, an absent
// optional element null, lists never null). testdata/documents has a sample of each.
var typedDocuments = map[string]func(doc []byte) (any, error){
	"list_buckets":               typed[ListBucketsResult]("list buckets"),
	"init_multipart_upload":      typed[InitiateMultipartUploadResult]("initiate multipart upload"),
	"list_objects":               typed[ListObjectsResult]("list objects"),
	"list_objects_v2":            typed[ListObjectsV2Result]("list objects v2"),
	"list_parts":                 typed[ListPartsResult]("list parts"),
	"list_multipart_uploads":     typed[ListMultipartUploadsResult]("list multipart uploads"),
	"list_object_versions":       typed[ListObjectVersionsResult]("list object versions"),
	"get_bucket_info":            typed[BucketInfo]("get bucket info"),
	"get_bucket_stat":            typed[BucketStat]("get bucket stat"),
	"get_bucket_location":        typed[BucketLocation]("get bucket location"),
	"get_object_acl":             typed[AccessControlPolicy]("get acl"),
	"get_bucket_acl":             typed[AccessControlPolicy]("get acl"),
	"get_tagging":                typed[Tagging]("get tagging"),
	"get_bucket_cors":            typed[CORSConfiguration]("get bucket cors"),
	"get_bucket_lifecycle":       typed[LifecycleConfiguration]("get bucket lifecycle"),
	"get_bucket_referer":         typed[RefererConfiguration]("get bucket referer"),
	"get_bucket_logging":         typed[BucketLoggingStatus]("get bucket logging"),
	"get_bucket_encryption":      typed[BucketEncryption]("get bucket encryption"),
	"get_bucket_versioning":      typed[VersioningConfiguration]("get bucket versioning"),
	"get_bucket_request_payment": typed[RequestPaymentConfiguration]("get bucket request payment"),
	"get_bucket_website":         typed[WebsiteConfiguration]("get bucket website"),
}

// Bool is an OSS boolean element: "true" or "false" exactly, as oss2 reads them (oss2 refuses
// the "True" its own builders write for some settings, and so does this).
type Bool bool

func (b *Bool) UnmarshalText(text []byte) error {
	switch string(text) {
	case "true":
		*b = true
	case "false":
		*b = false
	default:
		return fmt.Errorf("boolean %q is neither true nor false", text)
	}
	return nil
}

// finisher is a typed result that completes itself after decoding: names decoded as the
// document's EncodingType says.
type finisher interface{ finish() }

func typed[T any](op string) func(doc []byte) (any, error) {
	return func(doc []byte) (any, error) {
		out := new(T)
		if err := decodeDocument(op, doc, out); err != nil {
			return nil, err
		}
		if f, ok := any(out).(finisher); ok {
			f.finish()
		}
		emptyLists(reflect.ValueOf(out))
		return out, nil
	}
}

// emptyLists makes every nil slice within v empty, so that a list is [] in JSON, never null.
func emptyLists(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			emptyLists(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				emptyLists(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		}
		for i := 0; i < v.Len(); i++ {
			emptyLists(v.Index(i))
		}
	}
}

// decodeNames decodes each name in place as the document's encoding type says.
func decodeNames(encodingType string, names ...*string) {
	for _, s := range names {
		*s = decodeName(*s, encodingType)
	}
}
