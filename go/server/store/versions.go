package store

import (
	"crypto/rand"
	"encoding/base64"
	"sort"
	"strings"
	"time"
)

// Versions: each key maps to its versions, newest first, in one slice that is never changed in
// place (readers hold it without the lock), and the journal records a key's versions together,
// so a write that adds one version and drops another is one atomic record.

// newVersionID returns a fresh version id. OSS's ids are opaque strings of URL-safe characters
// ("CAEQ..."), and clients treat them so.
func newVersionID() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "CAEQ" + base64.RawURLEncoding.EncodeToString(b[:])
}

// sameVersion reports whether a stored id is the one a request names ("null": the null version).
func sameVersion(stored, asked string) bool {
	return stored == asked || (stored == "" && asked == NullVersion)
}

func findVersion(vs []*object, versionID string) int {
	for i, v := range vs {
		if sameVersion(v.Info.VersionID, versionID) {
			return i
		}
	}
	return -1
}

// live is the key's latest version unless it is a delete marker.
func (b *bucket) live(key string) *object {
	if vs := b.objects[key]; len(vs) > 0 && !vs[0].Info.DeleteMarker {
		return vs[0]
	}
	return nil
}

// pick finds the version a request names (versionID "": the latest) and its index.
func (b *bucket) pick(key, versionID string) (*object, int, error) {
	vs := b.objects[key]
	i := 0
	switch {
	case versionID != "":
		if i = findVersion(vs, versionID); i < 0 {
			return nil, -1, ErrNoSuchVersion
		}
	case len(vs) == 0:
		return nil, -1, ErrNoSuchKey
	}
	if o := vs[i]; o.Info.DeleteMarker {
		return nil, i, &DeleteMarkerError{VersionID: o.Info.VersionID, LastModified: o.Info.LastModified}
	}
	return vs[i], i, nil
}

// saveKey journals vs as key's versions (none: the key is gone) and installs them. The caller
// holds c.mu for writing.
func (c *core) saveKey(bucketName string, b *bucket, key string, vs []*object) error {
	var err error
	if len(vs) == 0 {
		err = c.journal.deleteKey(bucketName, key)
	} else {
		err = c.journal.putKey(bucketName, key, vs)
	}
	if err != nil {
		return err
	}
	_, had := b.objects[key]
	if had != (len(vs) > 0) {
		b.sorted = nil
	}
	if len(vs) == 0 {
		delete(b.objects, key)
	} else {
		b.objects[key] = vs
	}
	return nil
}

// putVersion makes o (a new object or delete marker) the latest version of its key, as the
// bucket's versioning decides: Enabled gives it a new id and keeps every version; otherwise it
// is the null version and replaces the key's null version, whose segments it returns for the
// caller to free once the lock is released. The caller holds c.mu for writing.
func (c *core) putVersion(bucketName string, b *bucket, o *object) ([]segment, error) {
	key := o.Info.Key
	old := b.objects[key]
	next := make([]*object, 0, len(old)+1)
	next = append(next, o)
	var freed []segment
	if b.info.Versioning == VersioningEnabled {
		o.Info.VersionID = newVersionID()
		next = append(next, old...)
	} else {
		o.Info.VersionID = ""
		for _, v := range old {
			if v.Info.VersionID == "" {
				freed = v.Segments
				continue
			}
			next = append(next, v)
		}
	}
	if err := c.saveKey(bucketName, b, key, next); err != nil {
		return nil, err
	}
	return freed, nil
}

// replaceVersion puts o in place of the key's version at index i. The caller holds c.mu.
func (c *core) replaceVersion(bucketName string, b *bucket, i int, o *object) error {
	next := append([]*object(nil), b.objects[o.Info.Key]...)
	next[i] = o
	return c.saveKey(bucketName, b, o.Info.Key, next)
}

func (c *core) StatVersion(bucketName, key, versionID string) (ObjectInfo, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		return ObjectInfo{}, err
	}
	o, _, err := b.pick(key, versionID)
	if err != nil {
		return ObjectInfo{}, err
	}
	return o.Info, nil
}

func (c *core) OpenVersion(bucketName, key, versionID string) (ObjectInfo, ReadAtCloser, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		return ObjectInfo{}, nil, err
	}
	o, _, err := b.pick(key, versionID)
	if err != nil {
		return ObjectInfo{}, nil, err
	}
	r, err := c.openSegments(o.Segments)
	if err != nil {
		return ObjectInfo{}, nil, err
	}
	return o.Info, r, nil
}

func (c *core) UpdateObjectVersion(bucketName, key, versionID string, fn func(*ObjectInfo) error) (ObjectInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		return ObjectInfo{}, err
	}
	old, i, err := b.pick(key, versionID)
	if err != nil {
		return ObjectInfo{}, err
	}
	info := old.Info
	if err := fn(&info); err != nil {
		return ObjectInfo{}, err
	}
	info.Key, info.Size, info.ETag, info.CRC64, info.Type = old.Info.Key, old.Info.Size, old.Info.ETag, old.Info.CRC64, old.Info.Type
	info.VersionID, info.DeleteMarker = old.Info.VersionID, false
	if err := c.replaceVersion(bucketName, b, i, &object{Info: info, Segments: old.Segments}); err != nil {
		return ObjectInfo{}, err
	}
	return info, nil
}

func (c *core) DeleteVersion(bucketName, key, versionID string) (ObjectInfo, error) {
	c.mu.Lock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		c.mu.Unlock()
		return ObjectInfo{}, err
	}
	vs := b.objects[key]
	var gone *object
	var result ObjectInfo
	switch {
	case versionID != "":
		i := findVersion(vs, versionID)
		if i < 0 {
			c.mu.Unlock()
			return ObjectInfo{}, ErrNoSuchVersion
		}
		gone, result = vs[i], vs[i].Info
		next := append(append([]*object(nil), vs[:i]...), vs[i+1:]...)
		err = c.saveKey(bucketName, b, key, next)
	case b.info.Versioning == "":
		if len(vs) == 0 {
			c.mu.Unlock()
			return ObjectInfo{}, ErrNoSuchKey
		}
		gone, result = vs[0], vs[0].Info
		err = c.saveKey(bucketName, b, key, nil)
	default:
		marker := &object{Info: ObjectInfo{Key: key, DeleteMarker: true, LastModified: c.now().UTC().Truncate(time.Second)}}
		var freed []segment
		if freed, err = c.putVersion(bucketName, b, marker); err == nil {
			gone, result = &object{Segments: freed}, marker.Info
		}
	}
	c.mu.Unlock()
	if err != nil {
		return ObjectInfo{}, err
	}
	c.freeSegments(gone.Segments, nil)
	return result, nil
}

func (c *core) ListVersions(bucketName string, opts ListOptions, fn func(ObjectInfo, bool) bool) error {
	keys, b, err := c.sortedKeys(bucketName)
	if err != nil {
		return err
	}
	start := opts.Prefix
	if opts.After >= start {
		start = opts.After
	}
	for i := sort.SearchStrings(keys, start); i < len(keys); i++ {
		k := keys[i]
		if !strings.HasPrefix(k, opts.Prefix) {
			break
		}
		c.mu.RLock()
		vs := b.objects[k]
		c.mu.RUnlock()
		from := 0
		if k == opts.After {
			// Resume after the marker's version; without one (or when it is gone) the key was done.
			if from = len(vs); opts.AfterVersion != "" {
				if j := findVersion(vs, opts.AfterVersion); j >= 0 {
					from = j + 1
				}
			}
		}
		for j := from; j < len(vs); j++ {
			if !fn(vs[j].Info, j == 0) {
				return nil
			}
		}
	}
	return nil
}

// sortedKeys returns the bucket's keys in order (a slice never changed in place) and the bucket.
func (c *core) sortedKeys(bucketName string) ([]string, *bucket, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := c.bucketLocked(bucketName)
	if err != nil {
		return nil, nil, err
	}
	if b.sorted == nil {
		b.sorted = make([]string, 0, len(b.objects))
		for k := range b.objects {
			b.sorted = append(b.sorted, k)
		}
		sort.Strings(b.sorted)
	}
	return b.sorted, b, nil
}
