package server

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

type bucketEntry struct {
	CreationDate     string
	ExtranetEndpoint string
	IntranetEndpoint string
	Location         string
	Name             string
	Region           string
	StorageClass     string
}

type listBucketsResult struct {
	XMLName     xml.Name `xml:"ListAllMyBucketsResult"`
	Prefix      string   `xml:"Prefix,omitempty"`
	Marker      string   `xml:"Marker,omitempty"`
	MaxKeys     int      `xml:"MaxKeys,omitempty"`
	IsTruncated bool     `xml:"IsTruncated,omitempty"`
	NextMarker  string   `xml:"NextMarker,omitempty"`
	Owner       owner
	Buckets     []bucketEntry `xml:"Buckets>Bucket"`
}

func (rq *request) endpoint() string {
	host := rq.r.Host
	if rq.bucket != "" {
		host = strings.TrimPrefix(host, rq.bucket+".")
	}
	return host
}

func (rq *request) listBuckets() *ossError {
	max, e := rq.maxKeys("max-keys", 1000)
	if e != nil {
		return e
	}
	buckets, err := rq.s.cfg.Store.ListBuckets()
	if err != nil {
		return storeError(err, "", "")
	}
	prefix, marker := rq.query.Get("prefix"), rq.query.Get("marker")
	res := listBucketsResult{Prefix: prefix, Marker: marker, Owner: theOwner}
	if rq.has("max-keys") {
		res.MaxKeys = max
	}
	for _, b := range buckets {
		if !strings.HasPrefix(b.Name, prefix) || b.Name <= marker {
			continue
		}
		if len(res.Buckets) == max {
			if max > 0 { // an empty page that says "truncated" would send clients round for ever
				res.IsTruncated = true
				res.NextMarker = res.Buckets[len(res.Buckets)-1].Name
			}
			break
		}
		res.Buckets = append(res.Buckets, bucketEntry{CreationDate: b.CreationDate.UTC().Format(listTimeFormat),
			ExtranetEndpoint: rq.endpoint(), IntranetEndpoint: rq.endpoint(), Location: "oss-" + rq.s.cfg.Region,
			Name: b.Name, Region: rq.s.cfg.Region, StorageClass: b.StorageClass})
	}
	return rq.writeXML(res)
}

// createBucketConfiguration is PutBucket's optional body.
type createBucketConfiguration struct {
	XMLName            xml.Name `xml:"CreateBucketConfiguration"`
	StorageClass       string
	DataRedundancyType string
}

// bucketOptions reads PutBucket's x-oss-acl and CreateBucketConfiguration.
func (rq *request) bucketOptions() (store.BucketOptions, *ossError) {
	var opts store.BucketOptions
	if vs, ok := rq.r.Header["X-Oss-Acl"]; ok {
		if v := strings.Join(vs, ","); !validACLs[v] {
			return opts, errInvalidACL(v)
		}
		opts.ACL = rq.r.Header.Get("X-Oss-Acl")
	}
	if rq.r.ContentLength == 0 {
		return opts, nil
	}
	raw, e := rq.readXMLBody(maxRequestXML)
	if e != nil || len(bytes.TrimSpace(raw)) == 0 {
		return opts, e
	}
	var cfg createBucketConfiguration
	if e := decodeXML(raw, &cfg); e != nil {
		return opts, e
	}
	if cfg.StorageClass != "" && !store.ValidStorageClass(cfg.StorageClass) {
		return opts, errInvalidStorageClass("StorageClass", cfg.StorageClass, classECCopy)
	}
	switch cfg.DataRedundancyType {
	case "", "LRS", "ZRS":
	default:
		return opts, errInvalidArgument("DataRedundancyType", cfg.DataRedundancyType, "The data redundancy type you specified is not valid.")
	}
	opts.StorageClass, opts.DataRedundancyType = cfg.StorageClass, cfg.DataRedundancyType
	return opts, nil
}

// createBucket makes a bucket. Creating one that exists succeeds and changes nothing, as OSS
// does for the owner (every bucket here has the one owner).
func (rq *request) createBucket() *ossError {
	opts, e := rq.bucketOptions()
	if e != nil {
		return e
	}
	if _, err := rq.s.cfg.Store.CreateBucketWith(rq.bucket, opts); err != nil && !errors.Is(err, store.ErrBucketExists) {
		return storeError(err, rq.bucket, "")
	}
	rq.w.Header().Set("Location", "/"+rq.bucket)
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) deleteBucket() *ossError {
	if err := rq.s.cfg.Store.DeleteBucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

type bucketInfoResult struct {
	XMLName xml.Name `xml:"BucketInfo"`
	Bucket  struct {
		AccessMonitor      string
		CreationDate       string
		ExtranetEndpoint   string
		IntranetEndpoint   string
		Location           string
		StorageClass       string
		TransferAccel      string `xml:"TransferAcceleration"`
		CrossRegionRepl    string `xml:"CrossRegionReplication"`
		DataRedundancyType string
		Name               string
		Owner              owner
		AccessControlList  struct{ Grant string }
		Comment            string
		Versioning         string `xml:",omitempty"`
		// A bucket without an encryption setting reports SSEAlgorithm None, as OSS does.
		ServerSideEncryptionRule struct {
			SSEAlgorithm      string
			KMSMasterKeyID    string `xml:",omitempty"`
			KMSDataEncryption string `xml:",omitempty"`
		}
	}
}

func (rq *request) getBucketInfo() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	var res bucketInfoResult
	res.Bucket.CreationDate = b.CreationDate.UTC().Format(listTimeFormat)
	res.Bucket.ExtranetEndpoint = rq.endpoint()
	res.Bucket.IntranetEndpoint = rq.endpoint()
	res.Bucket.Location = "oss-" + rq.s.cfg.Region
	res.Bucket.StorageClass = b.StorageClass
	res.Bucket.AccessMonitor, res.Bucket.TransferAccel, res.Bucket.CrossRegionRepl = familyStates(b)
	res.Bucket.DataRedundancyType = b.DataRedundancyType
	if res.Bucket.DataRedundancyType == "" {
		res.Bucket.DataRedundancyType = "LRS"
	}
	res.Bucket.Name = b.Name
	res.Bucket.Owner = theOwner
	res.Bucket.AccessControlList.Grant = b.ACL
	if b.ACL == "" {
		res.Bucket.AccessControlList.Grant = "private"
	}
	res.Bucket.ServerSideEncryptionRule.SSEAlgorithm = "None"
	if r, ok := bucketEncryption(b); ok {
		sse := &res.Bucket.ServerSideEncryptionRule
		sse.SSEAlgorithm, sse.KMSMasterKeyID, sse.KMSDataEncryption = r.Algorithm, r.KeyID, r.DataEncryption
	}
	res.Bucket.Versioning = bucketVersioning(b)
	return rq.writeXML(res)
}

type locationResult struct {
	XMLName  xml.Name `xml:"LocationConstraint"`
	Location string   `xml:",chardata"`
}

func (rq *request) getBucketLocation() *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	return rq.writeXML(locationResult{Location: "oss-" + rq.s.cfg.Region})
}

// bucketStat is GetBucketStat's answer: sizes and counts, in total and by storage class.
type bucketStat struct {
	XMLName                     xml.Name `xml:"BucketStat"`
	Storage                     int64
	ObjectCount                 int64
	MultipartUploadCount        int64
	LiveChannelCount            int64
	LastModifiedTime            int64
	StandardStorage             int64
	StandardObjectCount         int64
	InfrequentAccessStorage     int64
	InfrequentAccessRealStorage int64
	InfrequentAccessObjectCount int64
	ArchiveStorage              int64
	ArchiveRealStorage          int64
	ArchiveObjectCount          int64
	ColdArchiveStorage          int64
	ColdArchiveRealStorage      int64
	ColdArchiveObjectCount      int64
	DeepColdArchiveStorage      int64
	DeepColdArchiveRealStorage  int64
	DeepColdArchiveObjectCount  int64
	MultipartPartCount          int64
	DeleteMarkerCount           int64
}

func (rq *request) getBucketStat() *ossError {
	var st bucketStat
	err := rq.s.cfg.Store.List(rq.bucket, store.ListOptions{}, func(o store.ObjectInfo) bool {
		st.Storage += o.Size
		st.ObjectCount++
		st.LastModifiedTime = max(st.LastModifiedTime, o.LastModified.Unix())
		size, count := &st.StandardStorage, &st.StandardObjectCount
		switch o.StorageClass {
		case store.ClassIA:
			size, count = &st.InfrequentAccessStorage, &st.InfrequentAccessObjectCount
			st.InfrequentAccessRealStorage += o.Size
		case store.ClassArchive:
			size, count = &st.ArchiveStorage, &st.ArchiveObjectCount
			st.ArchiveRealStorage += o.Size
		case store.ClassColdArchive:
			size, count = &st.ColdArchiveStorage, &st.ColdArchiveObjectCount
			st.ColdArchiveRealStorage += o.Size
		case store.ClassDeepColdArchive:
			size, count = &st.DeepColdArchiveStorage, &st.DeepColdArchiveObjectCount
			st.DeepColdArchiveRealStorage += o.Size
		}
		*size += o.Size
		*count++
		return true
	})
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	uploads, err := rq.s.cfg.Store.ListUploads(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	st.MultipartUploadCount = int64(len(uploads))
	for _, u := range uploads {
		parts, err := rq.s.cfg.Store.ListParts(rq.bucket, u.Key, u.UploadID)
		if err == nil { // an upload completed meanwhile has no parts to count
			st.MultipartPartCount += int64(len(parts))
		}
	}
	return rq.writeXML(st)
}
