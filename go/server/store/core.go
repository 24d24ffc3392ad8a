package store

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
)

// blobs keeps immutable byte strings. An object's content is a list of blobs (segments), so an
// append adds a blob and a multipart completion adopts the part blobs: nothing is ever rewritten.
type blobs interface {
	// write stores all of r as a new blob; on error nothing is left behind.
	write(r io.Reader, sizeHint int64) (id string, size int64, err error)
	open(id string) (io.ReaderAt, io.Closer, error)
	remove(id string)
}

// journal persists metadata; Memory uses a journal that records nothing.
type journal interface {
	putBucket(b BucketInfo) error
	deleteBucket(name string) error
	putKey(bucket, key string, versions []*object) error // a key's versions, newest first
	deleteKey(bucket, key string) error
	putUpload(bucket string, u *upload) error
	deleteUpload(bucket, uploadID string) error
	putAccount(a AccountInfo) error
}

type segment struct {
	Blob string `json:"blob"`
	Size int64  `json:"size"`
}

type object struct {
	Info     ObjectInfo `json:"info"`
	Segments []segment  `json:"segments"`
}

type part struct {
	Info PartInfo `json:"info"`
	Blob string   `json:"blob"`
}

type upload struct {
	Info  UploadInfo    `json:"info"`
	Parts map[int]*part `json:"parts"`
}

type bucket struct {
	info    BucketInfo
	objects map[string][]*object // each key's versions, newest first; never empty
	sorted  []string             // keys in order; nil after an insert or delete, rebuilt by List
	uploads map[string]*upload
}

// core implements Store over a blobs and a journal, holding all metadata in memory.
type core struct {
	mu      sync.RWMutex
	blobs   blobs
	journal journal
	now     func() time.Time
	buckets map[string]*bucket
	account AccountInfo
}

func newCore(b blobs, j journal, now func() time.Time) *core {
	if now == nil {
		now = time.Now
	}
	return &core{blobs: b, journal: j, now: now, buckets: map[string]*bucket{}}
}

func (c *core) Close() error { return nil }

func (c *core) CreateBucket(name string) (BucketInfo, error) {
	return c.CreateBucketWith(name, BucketOptions{})
}

func (c *core) CreateBucketWith(name string, opts BucketOptions) (BucketInfo, error) {
	if err := ValidateBucketName(name); err != nil {
		return BucketInfo{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.buckets[name]; ok {
		return b.info, ErrBucketExists
	}
	info := BucketInfo{Name: name, CreationDate: c.now().UTC().Truncate(time.Second), StorageClass: ClassStandard,
		ACL: "private", DataRedundancyType: "LRS"}
	if opts.StorageClass != "" {
		info.StorageClass = opts.StorageClass
	}
	if opts.ACL != "" {
		info.ACL = opts.ACL
	}
	if opts.DataRedundancyType != "" {
		info.DataRedundancyType = opts.DataRedundancyType
	}
	if err := c.journal.putBucket(info); err != nil {
		return BucketInfo{}, err
	}
	c.buckets[name] = newBucket(info)
	return info, nil
}

func newBucket(info BucketInfo) *bucket {
	return &bucket{info: info, objects: map[string][]*object{}, uploads: map[string]*upload{}}
}

func (c *core) DeleteBucket(name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.buckets[name]
	if !ok {
		return ErrNoSuchBucket
	}
	if len(b.objects) > 0 || len(b.uploads) > 0 {
		return ErrBucketNotEmpty
	}
	if err := c.journal.deleteBucket(name); err != nil {
		return err
	}
	delete(c.buckets, name)
	return nil
}

func (c *core) Bucket(name string) (BucketInfo, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	b, ok := c.buckets[name]
	if !ok {
		return BucketInfo{}, ErrNoSuchBucket
	}
	return b.info, nil
}

func (c *core) ListBuckets() ([]BucketInfo, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]BucketInfo, 0, len(c.buckets))
	for _, b := range c.buckets {
		out = append(out, b.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (c *core) UpdateBucket(name string, fn func(*BucketInfo) error) (BucketInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := c.bucketLocked(name)
	if err != nil {
		return BucketInfo{}, err
	}
	info := b.info
	info.Configs = make(map[string]string, len(b.info.Configs))
	for k, v := range b.info.Configs {
		info.Configs[k] = v
	}
	if err := fn(&info); err != nil {
		return BucketInfo{}, err
	}
	info.Name, info.CreationDate = b.info.Name, b.info.CreationDate
	if err := c.journal.putBucket(info); err != nil {
		return BucketInfo{}, err
	}
	b.info = info
	return info, nil
}

func (c *core) Account() AccountInfo {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return copyAccount(c.account)
}

func (c *core) UpdateAccount(fn func(*AccountInfo) error) (AccountInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	info := copyAccount(c.account)
	if err := fn(&info); err != nil {
		return AccountInfo{}, err
	}
	if err := c.journal.putAccount(info); err != nil {
		return AccountInfo{}, err
	}
	c.account = info
	return copyAccount(info), nil
}

func copyAccount(a AccountInfo) AccountInfo {
	out := AccountInfo{Configs: make(map[string]string, len(a.Configs))}
	for k, v := range a.Configs {
		out.Configs[k] = v
	}
	return out
}

// digestReader computes size, MD5 and CRC64 of what passes through it.
type digestReader struct {
	r   io.Reader
	md5 hash.Hash
	crc uint64
	n   int64
}

func newDigestReader(r io.Reader) *digestReader { return &digestReader{r: r, md5: md5.New()} }

func (d *digestReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if n > 0 {
		d.md5.Write(p[:n])
		d.crc = crc.Update(d.crc, p[:n])
		d.n += int64(n)
	}
	return n, err
}

// writeBlob stores body as a blob and checks its digest. It returns the blob, its digests and
// size; on any error the blob is gone.
func (c *core) writeBlob(body io.Reader, opts PutOptions) (id string, sum []byte, crc64 uint64, size int64, err error) {
	d := newDigestReader(body)
	id, size, err = c.blobs.write(d, opts.SizeHint)
	if err != nil {
		return "", nil, 0, 0, err
	}
	sum = d.md5.Sum(nil)
	if opts.ContentMD5 != nil && !bytes.Equal(sum, opts.ContentMD5) {
		c.blobs.remove(id)
		return "", nil, 0, 0, ErrBadDigest
	}
	return id, sum, d.crc, size, nil
}

func (c *core) bucketLocked(name string) (*bucket, error) {
	b, ok := c.buckets[name]
	if !ok {
		return nil, ErrNoSuchBucket
	}
	return b, nil
}

func (c *core) checkBucket(name string) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, err := c.bucketLocked(name)
	return err
}

// withClass fills an unset storage class with the bucket's, as OSS does for a new object.
func withClass(attrs Attrs, b *bucket) Attrs {
	if attrs.StorageClass == "" {
		attrs.StorageClass = b.info.StorageClass
	}
	if attrs.StorageClass == "" {
		attrs.StorageClass = ClassStandard
	}
	return attrs
}

func (c *core) Put(bucketName, key string, body io.Reader, attrs Attrs, opts PutOptions) (ObjectInfo, error) {
	if err := ValidateKey(key); err != nil {
		return ObjectInfo{}, err
	}
	if err := c.checkBucket(bucketName); err != nil {
		return ObjectInfo{}, err
	}
	id, sum, crc64, size, err := c.writeBlob(body, opts)
	if err != nil {
		return ObjectInfo{}, err
	}
	typ := opts.Type
	if typ == "" {
		typ = TypeNormal
	}
	o := &object{
		Info: ObjectInfo{Key: key, Size: size, ETag: strings.ToUpper(hex.EncodeToString(sum)), CRC64: crc64,
			Type: typ, Attrs: attrs},
		Segments: []segment{{Blob: id, Size: size}},
	}
	if err := c.commit(bucketName, o, opts.NoOverwrite); err != nil {
		c.blobs.remove(id)
		return ObjectInfo{}, err
	}
	return o.Info, nil
}

// commit makes o the latest version of its key and frees the blobs of a version it replaces.
func (c *core) commit(bucketName string, o *object, noOverwrite bool) error {
	c.mu.Lock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		c.mu.Unlock()
		return err
	}
	if noOverwrite && forbidsOverwrite(b, o.Info.Key) {
		c.mu.Unlock()
		return ErrObjectExists
	}
	o.Info.Attrs = withClass(o.Info.Attrs, b)
	o.Info.LastModified = c.now().UTC().Truncate(time.Second)
	freed, err := c.putVersion(bucketName, b, o)
	c.mu.Unlock()
	if err != nil {
		return err
	}
	c.freeSegments(freed, o.Segments)
	return nil
}

// forbidsOverwrite: x-oss-forbid-overwrite refuses to replace a live object, and has no effect
// once versioning was ever enabled (OSS keeps the old version instead).
func forbidsOverwrite(b *bucket, key string) bool {
	return b.info.Versioning == "" && b.live(key) != nil
}

// freeSegments removes the blobs of segs that keep does not still use.
func (c *core) freeSegments(segs, keep []segment) {
	used := map[string]bool{}
	for _, s := range keep {
		used[s.Blob] = true
	}
	for _, s := range segs {
		if !used[s.Blob] {
			c.blobs.remove(s.Blob)
		}
	}
}

func (c *core) Stat(bucketName, key string) (ObjectInfo, error) {
	return c.StatVersion(bucketName, key, "")
}

func (c *core) UpdateObject(bucketName, key string, fn func(*ObjectInfo) error) (ObjectInfo, error) {
	return c.UpdateObjectVersion(bucketName, key, "", fn)
}

func (c *core) Open(bucketName, key string) (ObjectInfo, ReadAtCloser, error) {
	return c.OpenVersion(bucketName, key, "")
}

func (c *core) Delete(bucketName, key string) error {
	_, err := c.DeleteVersion(bucketName, key, "")
	return err
}

func (c *core) List(bucketName string, opts ListOptions, fn func(ObjectInfo) bool) error {
	keys, b, err := c.sortedKeys(bucketName)
	if err != nil {
		return err
	}

	start := opts.Prefix
	if opts.After >= start {
		start = opts.After + "\x00"
	}
	for i := sort.SearchStrings(keys, start); i < len(keys); i++ {
		k := keys[i]
		if !strings.HasPrefix(k, opts.Prefix) {
			break
		}
		c.mu.RLock()
		o := b.live(k)
		c.mu.RUnlock()
		if o == nil {
			continue
		}
		if !fn(o.Info) {
			break
		}
	}
	return nil
}

func (c *core) Append(bucketName, key string, position int64, body io.Reader, attrs Attrs, opts PutOptions) (ObjectInfo, error) {
	if err := ValidateKey(key); err != nil {
		return ObjectInfo{}, err
	}
	check := func() (*object, error) {
		c.mu.RLock()
		defer c.mu.RUnlock()
		b, err := c.bucketLocked(bucketName)
		if err != nil {
			return nil, err
		}
		o := b.live(key)
		switch {
		case o == nil && position != 0:
			return nil, &PositionError{Length: 0}
		case o == nil:
			return nil, nil
		case o.Info.Type != TypeAppendable:
			return nil, ErrNotAppendable
		case o.Info.Size != position:
			return nil, &PositionError{Length: o.Info.Size}
		}
		return o, nil
	}
	if _, err := check(); err != nil {
		return ObjectInfo{}, err
	}
	id, sum, crc64, size, err := c.writeBlob(body, opts)
	if err != nil {
		return ObjectInfo{}, err
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		c.blobs.remove(id)
		return ObjectInfo{}, err
	}
	// Check again under the write lock: another append may have won the race. An append extends
	// the latest version in place (OSS keeps no version per append); creating one is a new version.
	old := b.live(key)
	var o *object
	switch {
	case old == nil && position != 0:
		err = &PositionError{Length: 0}
	case old == nil:
		o = &object{Info: ObjectInfo{Key: key, Type: TypeAppendable, Attrs: withClass(attrs, b),
			Size: size, CRC64: crc64, ETag: strings.ToUpper(hex.EncodeToString(sum))}}
	case old.Info.Type != TypeAppendable:
		err = ErrNotAppendable
	case old.Info.Size != position:
		err = &PositionError{Length: old.Info.Size}
	default:
		o = &object{Info: old.Info}
		o.Segments = append(o.Segments, old.Segments...)
		o.Info.Size += size
		o.Info.CRC64 = crc.Combine(old.Info.CRC64, crc64, size)
		// Appendable ETags are opaque in OSS; chain the digests so each version differs.
		h := md5.Sum([]byte(old.Info.ETag + hex.EncodeToString(sum)))
		o.Info.ETag = strings.ToUpper(hex.EncodeToString(h[:]))
	}
	if err != nil {
		c.blobs.remove(id)
		return ObjectInfo{}, err
	}
	if size > 0 || len(o.Segments) == 0 {
		o.Segments = append(o.Segments, segment{Blob: id, Size: size})
	} else {
		c.blobs.remove(id)
	}
	o.Info.LastModified = c.now().UTC().Truncate(time.Second)
	var freed []segment
	if old == nil {
		freed, err = c.putVersion(bucketName, b, o)
	} else {
		err = c.replaceVersion(bucketName, b, 0, o)
	}
	if err != nil {
		c.blobs.remove(id)
		return ObjectInfo{}, err
	}
	c.freeSegments(freed, nil) // under the write lock, so no reader is opening them
	if len(o.Segments) > maxSegments {
		go c.compact(bucketName, key, o.Info.VersionID) // in the background: it copies the whole object
	}
	return o.Info, nil
}

// maxSegments bounds an appendable object's pieces: each is a blob (a file on disk), and a read
// opens them all.
const maxSegments = 32

// compact rewrites a version's segments as one blob, if the version still has them.
func (c *core) compact(bucketName, key, versionID string) {
	c.mu.RLock()
	b, err := c.bucketLocked(bucketName)
	var o *object
	if err == nil {
		if i := findVersion(b.objects[key], versionName(versionID)); i >= 0 {
			o = b.objects[key][i]
		}
	}
	if o == nil || len(o.Segments) <= maxSegments {
		c.mu.RUnlock()
		return
	}
	segs, size := o.Segments, o.Info.Size
	r, err := c.openSegments(segs)
	c.mu.RUnlock()
	if err != nil {
		return
	}
	id, n, err := c.blobs.write(io.NewSectionReader(r, 0, size), size)
	r.Close()
	if err != nil {
		return
	}
	c.mu.Lock()
	i := findVersion(b.objects[key], versionName(versionID))
	var cur *object
	if i >= 0 {
		cur = b.objects[key][i]
	}
	same := cur != nil && len(cur.Segments) >= len(segs) && n == size
	for i := 0; same && i < len(segs); i++ {
		same = cur.Segments[i] == segs[i]
	}
	if !same { // replaced or deleted meanwhile
		c.mu.Unlock()
		c.blobs.remove(id)
		return
	}
	next := &object{Info: cur.Info, Segments: append([]segment{{Blob: id, Size: n}}, cur.Segments[len(segs):]...)}
	if err := c.replaceVersion(bucketName, b, i, next); err != nil {
		c.mu.Unlock()
		c.blobs.remove(id)
		return
	}
	c.mu.Unlock()
	c.freeSegments(segs, nil)
}

func newUploadID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

func (c *core) InitUpload(bucketName, key string, attrs Attrs) (UploadInfo, error) {
	if err := ValidateKey(key); err != nil {
		return UploadInfo{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		return UploadInfo{}, err
	}
	u := &upload{Info: UploadInfo{Bucket: bucketName, Key: key, UploadID: newUploadID(), Initiated: c.now().UTC().Truncate(time.Second), Attrs: withClass(attrs, b)},
		Parts: map[int]*part{}}
	if err := c.journal.putUpload(bucketName, u); err != nil {
		return UploadInfo{}, err
	}
	b.uploads[u.Info.UploadID] = u
	return u.Info, nil
}

func (c *core) uploadLocked(bucketName, key, uploadID string) (*bucket, *upload, error) {
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		return nil, nil, err
	}
	u, ok := b.uploads[uploadID]
	if !ok || u.Info.Key != key {
		return nil, nil, ErrNoSuchUpload
	}
	return b, u, nil
}

func (c *core) PutPart(bucketName, key, uploadID string, number int, body io.Reader, opts PutOptions) (PartInfo, error) {
	if number < 1 || number > 10000 {
		return PartInfo{}, fmt.Errorf("part number %d out of range", number)
	}
	c.mu.RLock()
	_, _, err := c.uploadLocked(bucketName, key, uploadID)
	c.mu.RUnlock()
	if err != nil {
		return PartInfo{}, err
	}
	id, sum, crc64, size, err := c.writeBlob(body, opts)
	if err != nil {
		return PartInfo{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, u, err := c.uploadLocked(bucketName, key, uploadID)
	if err != nil {
		c.blobs.remove(id)
		return PartInfo{}, err
	}
	p := &part{Info: PartInfo{Number: number, Size: size, ETag: strings.ToUpper(hex.EncodeToString(sum)), CRC64: crc64,
		LastModified: c.now().UTC().Truncate(time.Second)}, Blob: id}
	old := u.Parts[number]
	u.Parts[number] = p
	if err := c.journal.putUpload(bucketName, u); err != nil {
		if old != nil {
			u.Parts[number] = old
		} else {
			delete(u.Parts, number)
		}
		c.blobs.remove(id)
		return PartInfo{}, err
	}
	if old != nil {
		c.blobs.remove(old.Blob)
	}
	return p.Info, nil
}

func (c *core) ListParts(bucketName, key, uploadID string) ([]PartInfo, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, u, err := c.uploadLocked(bucketName, key, uploadID)
	if err != nil {
		return nil, err
	}
	out := make([]PartInfo, 0, len(u.Parts))
	for _, p := range u.Parts {
		out = append(out, p.Info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

func (c *core) Complete(bucketName, key, uploadID string, parts []CompletePart, opts PutOptions) (ObjectInfo, error) {
	c.mu.Lock()
	b, u, err := c.uploadLocked(bucketName, key, uploadID)
	if err != nil {
		c.mu.Unlock()
		return ObjectInfo{}, err
	}
	if opts.NoOverwrite && forbidsOverwrite(b, key) {
		c.mu.Unlock()
		return ObjectInfo{}, ErrObjectExists
	}
	if len(parts) == 0 {
		c.mu.Unlock()
		return ObjectInfo{}, ErrInvalidPart
	}
	for i := 1; i < len(parts); i++ {
		if parts[i].Number <= parts[i-1].Number {
			c.mu.Unlock()
			return ObjectInfo{}, ErrInvalidPartOrder
		}
	}
	o := &object{Info: ObjectInfo{Key: key, Type: TypeMultipart, Attrs: withClass(u.Info.Attrs, b)}}
	var etags strings.Builder
	for i, cp := range parts {
		p, ok := u.Parts[cp.Number]
		if !ok || !strings.EqualFold(p.Info.ETag, cp.ETag) {
			c.mu.Unlock()
			return ObjectInfo{}, ErrInvalidPart
		}
		if i < len(parts)-1 && p.Info.Size < MinPartSize {
			c.mu.Unlock()
			return ObjectInfo{}, ErrEntityTooSmall
		}
		o.Segments = append(o.Segments, segment{Blob: p.Blob, Size: p.Info.Size})
		o.Info.CRC64 = crc.Combine(o.Info.CRC64, p.Info.CRC64, p.Info.Size)
		o.Info.Size += p.Info.Size
		etags.WriteString(p.Info.ETag)
	}
	sum := md5.Sum([]byte(etags.String()))
	o.Info.ETag = fmt.Sprintf("%s-%d", strings.ToUpper(hex.EncodeToString(sum[:])), len(parts))
	o.Info.LastModified = c.now().UTC().Truncate(time.Second)
	// The object commits first: a crash between the two writes leaves a finished object and a stale
	// upload (whose blobs the object now owns), never a lost object. Once the object is written
	// it is the truth, so a failure to remove the upload's record is left for load to finish
	// (as after a crash) rather than reported: an abort would otherwise free the object's blobs.
	freed, err := c.putVersion(bucketName, b, o)
	if err != nil {
		c.mu.Unlock()
		return ObjectInfo{}, err
	}
	c.journal.deleteUpload(bucketName, uploadID)
	delete(b.uploads, uploadID)
	c.mu.Unlock()

	unused := freed
	for _, p := range u.Parts {
		unused = append(unused, segment{Blob: p.Blob})
	}
	c.freeSegments(unused, o.Segments)
	return o.Info, nil
}

func (c *core) Abort(bucketName, key, uploadID string) error {
	c.mu.Lock()
	b, u, err := c.uploadLocked(bucketName, key, uploadID)
	if err != nil {
		c.mu.Unlock()
		return err
	}
	if err := c.journal.deleteUpload(bucketName, uploadID); err != nil {
		c.mu.Unlock()
		return err
	}
	delete(b.uploads, uploadID)
	c.mu.Unlock()
	for _, p := range u.Parts {
		c.blobs.remove(p.Blob)
	}
	return nil
}

func (c *core) ListUploads(bucketName string) ([]UploadInfo, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		return nil, err
	}
	out := make([]UploadInfo, 0, len(b.uploads))
	for _, u := range b.uploads {
		out = append(out, u.Info)
	}
	sort.Slice(out, func(i, j int) bool { // a total order, so key-marker/upload-id-marker paging is exact
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].UploadID < out[j].UploadID
	})
	return out, nil
}

// segmentReader reads an object's segments as one ReaderAt.
type segmentReader struct {
	segs    []segment
	readers []io.ReaderAt
	closers []io.Closer
}

// openSegments opens every blob of segs; the caller holds c.mu so no blob is freed meanwhile (the
// writers free replaced blobs only after taking and releasing the write lock).
func (c *core) openSegments(segs []segment) (*segmentReader, error) {
	r := &segmentReader{segs: segs}
	for _, s := range segs {
		ra, cl, err := c.blobs.open(s.Blob)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.readers = append(r.readers, ra)
		r.closers = append(r.closers, cl)
	}
	return r, nil
}

func (r *segmentReader) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	base := int64(0)
	for i, s := range r.segs {
		if len(p) == 0 {
			break
		}
		if off >= base+s.Size {
			base += s.Size
			continue
		}
		want := min(int64(len(p)), base+s.Size-off)
		m, err := r.readers[i].ReadAt(p[:want], off-base)
		n += m
		if m < int(want) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF // a blob shorter than recorded: storage damage
			}
			return n, err
		}
		p = p[want:]
		off += want
		base += s.Size
	}
	if len(p) > 0 {
		return n, io.EOF
	}
	return n, nil
}

func (r *segmentReader) Close() error {
	for _, c := range r.closers {
		c.Close()
	}
	r.closers, r.readers = nil, nil
	return nil
}
