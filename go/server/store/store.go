// Package store keeps the buckets, objects and multipart uploads of the local OSS server.
//
// It knows nothing of HTTP: the server package maps its errors to OSS error codes. Two
// backends implement Store: Memory (nothing survives a restart) and Disk (everything lives under
// one root directory, written atomically, and keys never become file paths, so no key can reach
// outside the root).
package store

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Object types as OSS reports them in x-oss-object-type.
const (
	TypeNormal     = "Normal"
	TypeAppendable = "Appendable"
	TypeMultipart  = "Multipart"
	TypeSymlink    = "Symlink" // no content of its own: Attrs.SymlinkTarget names the object it stands for
)

// Attrs are the attributes a writer sets on an object: content type, the standard headers
// OSS stores and returns (Cache-Control, Content-Disposition, Content-Encoding, Content-Language,
// Expires), user metadata (x-oss-meta-*, names lower-cased, without the prefix), the storage
// class (empty: the bucket's), server-side encryption and tagging (x-oss-tagging, validated).
type Attrs struct {
	ContentType  string            `json:"content_type,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"`
	Meta         map[string]string `json:"meta,omitempty"`
	StorageClass string            `json:"storage_class,omitempty"`
	SSE          string            `json:"sse,omitempty"`        // AES256, KMS or SM4
	SSEKeyID     string            `json:"sse_key_id,omitempty"` // the KMS key, when one was named
	Tagging      string            `json:"tagging,omitempty"`    // as sent: url-encoded k=v pairs joined by &
	// ACL is the object's own ACL (private, public-read, public-read-write); empty or "default"
	// means the bucket's.
	ACL string `json:"acl,omitempty"`
	// SymlinkTarget is the key a Symlink object points to (in the same bucket).
	SymlinkTarget string `json:"symlink_target,omitempty"`
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"` // uppercase hex, no quotes; "<hex>-N" for multipart
	CRC64        uint64    `json:"crc64"`
	LastModified time.Time `json:"last_modified"`
	Type         string    `json:"type"`
	Attrs                  // its StorageClass is always set on a stored object
	// An archived object asked to be restored is readable from RestoreReady until RestoreExpiry;
	// both zero: never asked. The server sets them (UpdateObject); a rewrite clears them.
	RestoreReady  time.Time `json:"restore_ready,omitzero"`
	RestoreExpiry time.Time `json:"restore_expiry,omitzero"`
	// VersionID names this version of the key; empty for the null version (OSS spells it "null"):
	// what a bucket holds while versioning was never enabled, or writes while it is suspended.
	VersionID string `json:"version_id,omitempty"`
	// DeleteMarker: this version is a delete marker (no content, no attributes).
	DeleteMarker bool `json:"delete_marker,omitempty"`
}

// BucketInfo describes a bucket.
type BucketInfo struct {
	Name               string    `json:"name"`
	CreationDate       time.Time `json:"creation_date"`
	StorageClass       string    `json:"storage_class"`
	ACL                string    `json:"acl,omitempty"`                  // empty in stores written before ACLs: private
	DataRedundancyType string    `json:"data_redundancy_type,omitempty"` // empty: LRS
	// Configs holds the bucket's settings documents (CORS, lifecycle, policy, ...) as the server
	// validated them, by sub-resource name; the store does not interpret them.
	Configs map[string]string `json:"configs,omitempty"`
	// Versioning is the bucket's versioning state: "" (never enabled), VersioningEnabled or
	// VersioningSuspended. It decides what a write or a delete without a version id does.
	Versioning string `json:"versioning,omitempty"`
}

// AccountInfo is what the account holds beside its buckets: its settings documents (the
// account's public access block, ...) by name, as the server validated them.
type AccountInfo struct {
	Configs map[string]string `json:"configs,omitempty"`
}

// Versioning states (BucketInfo.Versioning) and the null version's id as OSS spells it.
const (
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
	NullVersion         = "null"
)

// BucketOptions are what a bucket's creator may choose; empty fields take OSS's defaults
// (Standard, private, LRS).
type BucketOptions struct {
	StorageClass       string
	ACL                string
	DataRedundancyType string
}

// Storage classes. Objects of the archive classes cannot be read until restored.
const (
	ClassStandard        = "Standard"
	ClassIA              = "IA"
	ClassArchive         = "Archive"
	ClassColdArchive     = "ColdArchive"
	ClassDeepColdArchive = "DeepColdArchive"
)

// ValidStorageClass reports whether OSS knows the class (names are case-sensitive).
func ValidStorageClass(c string) bool {
	switch c {
	case ClassStandard, ClassIA, ClassArchive, ClassColdArchive, ClassDeepColdArchive:
		return true
	}
	return false
}

// Archived reports whether objects of class c must be restored before they can be read.
func Archived(c string) bool {
	return c == ClassArchive || c == ClassColdArchive || c == ClassDeepColdArchive
}

// PartInfo describes one uploaded part of a multipart upload.
type PartInfo struct {
	Number       int       `json:"number"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"` // uppercase hex MD5, no quotes
	CRC64        uint64    `json:"crc64"`
	LastModified time.Time `json:"last_modified"`
}

// UploadInfo describes an unfinished multipart upload.
type UploadInfo struct {
	Bucket    string    `json:"bucket"`
	Key       string    `json:"key"`
	UploadID  string    `json:"upload_id"`
	Initiated time.Time `json:"initiated"`
	Attrs     Attrs     `json:"attrs"`
}

// CompletePart names a part in a CompleteMultipartUpload request.
type CompletePart struct {
	Number int
	ETag   string // as the client sent it, quotes already stripped
}

// PutOptions control a write.
type PutOptions struct {
	// ContentMD5, if not nil, is the raw 16-byte digest the body must have; on mismatch the write
	// is discarded and ErrBadDigest returned.
	ContentMD5 []byte
	// Type overrides the stored object type (CopyObject keeps the source's type); empty means Normal.
	Type string
	// SizeHint is the body's length if known (Content-Length), so memory can be sized once.
	SizeHint int64
	// NoOverwrite refuses (ErrObjectExists) to replace an existing object, checked atomically
	// with the write (x-oss-forbid-overwrite).
	NoOverwrite bool
}

// ListOptions select objects for List. Objects come back in byte order of their keys.
type ListOptions struct {
	Prefix string
	After  string // only keys strictly greater than this
	// AfterVersion (ListVersions only) resumes inside key After, after this version of it.
	AfterVersion string
}

// Store is implemented by Memory and Disk. All methods are safe for concurrent use. Writes are
// all-or-nothing: a failed or interrupted write (body read error, digest mismatch) leaves the
// previous object, if any, untouched.
//
// Each key holds its versions, newest first. A write (Put, Append creating, Complete) in a bucket
// whose versioning is Enabled adds a version with a new id; otherwise it is the null version and
// replaces the key's null version (the only version while versioning was never enabled). The
// methods without a version id work on the latest version; when that is a delete marker they
// fail with a *DeleteMarkerError, which is ErrNoSuchKey to errors.Is.
type Store interface {
	CreateBucket(name string) (BucketInfo, error) // ErrBucketExists; OSS's defaults
	// CreateBucketWith creates a bucket with the options (validated by the caller).
	CreateBucketWith(name string, opts BucketOptions) (BucketInfo, error) // ErrBucketExists
	DeleteBucket(name string) error                                       // ErrNoSuchBucket, ErrBucketNotEmpty
	Bucket(name string) (BucketInfo, error)                               // ErrNoSuchBucket
	ListBuckets() ([]BucketInfo, error)                                   // sorted by name
	// UpdateBucket changes a bucket's info (ACL, Configs) through fn, atomically; fn gets a copy
	// whose Configs map it may change, and an error from fn changes nothing. Name and
	// CreationDate are kept.
	UpdateBucket(name string, fn func(*BucketInfo) error) (BucketInfo, error) // ErrNoSuchBucket
	// Account is the account's own settings; UpdateAccount changes them as UpdateBucket does.
	Account() AccountInfo
	UpdateAccount(fn func(*AccountInfo) error) (AccountInfo, error)

	// Put stores body as bucket/key, computing size, MD5 ETag and CRC64 as it reads. An empty
	// attrs.StorageClass (here and in Append, InitUpload) means the bucket's.
	Put(bucket, key string, body io.Reader, attrs Attrs, opts PutOptions) (ObjectInfo, error)
	// Open returns the object and a reader of its whole content; the caller closes it.
	Open(bucket, key string) (ObjectInfo, ReadAtCloser, error) // ErrNoSuchKey
	Stat(bucket, key string) (ObjectInfo, error)               // ErrNoSuchKey
	Delete(bucket, key string) error                           // ErrNoSuchKey
	// UpdateObject changes an object's attributes (ACL, tagging, restore times) through fn,
	// atomically, keeping its content; an error from fn changes nothing. fn must replace, never
	// modify, the maps of the info it gets. Key, size, digests and type are kept.
	UpdateObject(bucket, key string, fn func(*ObjectInfo) error) (ObjectInfo, error) // ErrNoSuchKey
	// List calls fn for each matching object in key order until fn returns false: the latest
	// version of each key, skipping keys whose latest version is a delete marker.
	List(bucket string, opts ListOptions, fn func(ObjectInfo) bool) error

	// The versioned forms: versionID "" means the latest version, NullVersion the null version.
	// Errors: ErrNoSuchVersion (no such version of the key), *DeleteMarkerError (it is a delete
	// marker, or the latest version is one).
	OpenVersion(bucket, key, versionID string) (ObjectInfo, ReadAtCloser, error)
	StatVersion(bucket, key, versionID string) (ObjectInfo, error)
	UpdateObjectVersion(bucket, key, versionID string, fn func(*ObjectInfo) error) (ObjectInfo, error)
	// DeleteVersion with a version id removes that version for good and returns it (a delete
	// marker's info when it was one). Without one, in a bucket whose versioning was never
	// enabled it removes the object (ErrNoSuchKey if none); otherwise it adds a delete marker
	// (a new id when Enabled, the null version when Suspended, replacing the null version) and
	// returns the marker.
	DeleteVersion(bucket, key, versionID string) (ObjectInfo, error)
	// ListVersions calls fn for every version and delete marker in key order, newest first within
	// a key, with latest set on each key's first, until fn returns false.
	ListVersions(bucket string, opts ListOptions, fn func(v ObjectInfo, latest bool) bool) error

	// Append adds body at position. Creating (position 0, no object) makes an Appendable object
	// with attrs; later appends keep the first attrs. Errors: *PositionError when position is not
	// the current length, ErrNotAppendable for a Normal or Multipart object. The returned info's
	// CRC64 is the whole object's.
	Append(bucket, key string, position int64, body io.Reader, attrs Attrs, opts PutOptions) (ObjectInfo, error)

	InitUpload(bucket, key string, attrs Attrs) (UploadInfo, error)
	// PutPart stores (or replaces) one part; numbers are 1..10000.
	PutPart(bucket, key, uploadID string, number int, body io.Reader, opts PutOptions) (PartInfo, error) // ErrNoSuchUpload
	ListParts(bucket, key, uploadID string) ([]PartInfo, error)                                          // sorted by number
	// Complete joins the named parts into bucket/key, type Multipart, and ends the upload. It
	// checks the parts exist with those ETags (ErrInvalidPart), are in ascending order
	// (ErrInvalidPartOrder) and that all but the last are at least MinPartSize (ErrEntityTooSmall).
	// opts.NoOverwrite is honoured; its other fields are ignored.
	Complete(bucket, key, uploadID string, parts []CompletePart, opts PutOptions) (ObjectInfo, error)
	Abort(bucket, key, uploadID string) error        // ErrNoSuchUpload
	ListUploads(bucket string) ([]UploadInfo, error) // sorted by key, then upload id

	Close() error
}

// ReadAtCloser reads an object's content at any offset.
type ReadAtCloser interface {
	io.ReaderAt
	io.Closer
}

// MinPartSize is the smallest size OSS accepts for a part that is not the last.
const MinPartSize = 100 * 1024

// MaxKeyLen is the longest object key OSS accepts, in bytes.
const MaxKeyLen = 1023

var (
	ErrNoSuchBucket     = errors.New("no such bucket")
	ErrBucketExists     = errors.New("bucket already exists")
	ErrBucketNotEmpty   = errors.New("bucket not empty")
	ErrNoSuchKey        = errors.New("no such key")
	ErrNoSuchUpload     = errors.New("no such upload")
	ErrNotAppendable    = errors.New("object not appendable")
	ErrBadDigest        = errors.New("content md5 mismatch")
	ErrInvalidPart      = errors.New("invalid part")
	ErrInvalidPartOrder = errors.New("invalid part order")
	ErrEntityTooSmall   = errors.New("part too small")
	ErrInvalidKey       = errors.New("invalid object name")
	ErrInvalidBucket    = errors.New("invalid bucket name")
	ErrObjectExists     = errors.New("object exists and overwriting was forbidden")
	// ErrInsufficientStorage: a write would take a memory store past its limit.
	ErrInsufficientStorage = errors.New("store memory limit reached")
	ErrNoSuchVersion       = errors.New("no such version")
)

// DeleteMarkerError reports that the version asked for, or the latest version of the key when
// none was named, is a delete marker. errors.Is(err, ErrNoSuchKey) holds.
type DeleteMarkerError struct {
	VersionID    string // the marker's; "" is the null version
	LastModified time.Time
}

func (e *DeleteMarkerError) Error() string { return "delete marker " + versionName(e.VersionID) }

func (e *DeleteMarkerError) Is(target error) bool { return target == ErrNoSuchKey }

// versionName is the id OSS shows for a version: "null" for the null version.
func versionName(id string) string {
	if id == "" {
		return NullVersion
	}
	return id
}

// PositionError reports an append at a position other than the object's length.
type PositionError struct {
	Length int64 // the current length: where the next append must start
}

func (e *PositionError) Error() string {
	return fmt.Sprintf("position is not equal to object length %d", e.Length)
}
