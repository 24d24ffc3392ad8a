package server

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Access points: named entries to a bucket (internet or one VPC), each with an optional JSON
// policy and its own public access block. An access point is its GetAccessPointResult document
// kept in its bucket's configs ("accessPoint:<name>"), its policy beside it
// ("accessPointPolicy:<name>"); names are unique in the account.

const (
	accessPointPrefix       = "accessPoint:"
	accessPointPolicyPrefix = "accessPointPolicy:"
	maxAccessPoints         = 1000
)

var accessPointName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,17}[a-z0-9]$`)

type accessPointVpc struct {
	VpcID string `xml:"VpcId"`
}

type accessPoint struct {
	XMLName           xml.Name        `xml:"GetAccessPointResult"`
	Name              string          `xml:"AccessPointName"`
	Bucket            string          `xml:"Bucket"`
	AccountID         string          `xml:"AccountId"`
	NetworkOrigin     string          `xml:"NetworkOrigin"`
	Vpc               *accessPointVpc `xml:"VpcConfiguration"`
	Arn               string          `xml:"AccessPointArn"`
	CreationDate      string          `xml:"CreationDate"`
	Alias             string          `xml:"Alias"`
	Status            string          `xml:"Status"`
	PublicEndpoint    string          `xml:"Endpoints>PublicEndpoint"`
	InternalEndpoint  string          `xml:"Endpoints>InternalEndpoint"`
	BlockPublicAccess string          `xml:"PublicAccessBlockConfiguration>BlockPublicAccess"`
}

func errNoSuchAccessPoint(name string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchAccessPoint", Message: "The specified access point does not exist.", EC: "0031-00000001"}).with("AccessPointName", name)
}

func loadAccessPoint(doc string) (*accessPoint, bool) {
	var ap accessPoint
	if doc == "" || xml.Unmarshal([]byte(doc), &ap) != nil {
		return nil, false
	}
	return &ap, true
}

// accessPointBucket is the bucket holding the access point name, "" when none does.
func (rq *request) accessPointBucket(name string) (string, *ossError) {
	buckets, err := rq.s.cfg.Store.ListBuckets()
	if err != nil {
		return "", errInternal(err)
	}
	for _, b := range buckets {
		if _, ok := b.Configs[accessPointPrefix+name]; ok {
			return b.Name, nil
		}
	}
	return "", nil
}

func (rq *request) createAccessPoint() *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var doc struct {
		XMLName       xml.Name        `xml:"CreateAccessPointConfiguration"`
		Name          string          `xml:"AccessPointName"`
		NetworkOrigin string          `xml:"NetworkOrigin"`
		Vpc           *accessPointVpc `xml:"VpcConfiguration"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if !accessPointName.MatchString(doc.Name) {
		return errInvalidArgument("AccessPointName", doc.Name, "An access point name has 3 to 19 lower-case letters, digits and hyphens, and starts and ends with a letter or digit.")
	}
	switch {
	case doc.NetworkOrigin == "internet" && doc.Vpc == nil:
	case doc.NetworkOrigin == "vpc" && doc.Vpc != nil && doc.Vpc.VpcID != "":
	default:
		return errInvalidArgument("NetworkOrigin", doc.NetworkOrigin, "NetworkOrigin must be internet, or vpc with a VpcId.")
	}
	if holder, e := rq.accessPointBucket(doc.Name); e != nil {
		return e
	} else if holder != "" {
		return (&ossError{Status: 409, Code: "AccessPointAlreadyExists", Message: "The access point already exists.", EC: "0031-00000002"}).with("AccessPointName", doc.Name)
	}
	suffix := make([]byte, 12)
	rand.Read(suffix)
	region := rq.s.cfg.Region
	ap := accessPoint{Name: doc.Name, Bucket: rq.bucket, AccountID: theOwner.ID, NetworkOrigin: doc.NetworkOrigin, Vpc: doc.Vpc,
		Arn:          "acs:oss:" + region + ":" + theOwner.ID + ":accesspoint/" + doc.Name,
		CreationDate: strconv.FormatInt(rq.s.cfg.Now().Unix(), 10), Alias: doc.Name + "-" + hex.EncodeToString(suffix)[:22] + "-ossalias",
		Status: "enable", PublicEndpoint: doc.Name + "-" + theOwner.ID + ".oss-accesspoint." + region + ".aliyuncs.com",
		InternalEndpoint:  doc.Name + "-" + theOwner.ID + ".oss-accesspoint." + region + "-internal.aliyuncs.com",
		BlockPublicAccess: "true"}
	out, err := xml.Marshal(ap)
	if err != nil {
		return errInternal(err)
	}
	e = rq.updateConfig(accessPointPrefix+doc.Name, func(_ string, b *store.BucketInfo) (string, *ossError) {
		if len(prefixedNames(b, accessPointPrefix)) >= maxAccessPoints {
			return "", errInvalidArgument("AccessPointName", doc.Name, "A bucket has at most 1000 access points.")
		}
		return string(out), nil
	})
	if e != nil {
		return e
	}
	return rq.writeXML(struct {
		XMLName xml.Name `xml:"CreateAccessPointResult"`
		Arn     string   `xml:"AccessPointArn"`
		Alias   string   `xml:"Alias"`
	}{Arn: ap.Arn, Alias: ap.Alias})
}

// prefixedNames are the names of the bucket's configs under prefix, sorted.
func prefixedNames(b *store.BucketInfo, prefix string) []string {
	var names []string
	for name := range b.Configs {
		if n, ok := strings.CutPrefix(name, prefix); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// namedAccessPoint is the bucket's access point the request names (header or query).
func (rq *request) namedAccessPoint() (string, *accessPoint, *ossError) {
	name := rq.r.Header.Get("x-oss-access-point-name")
	if name == "" {
		name = rq.query.Get("x-oss-access-point-name")
	}
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return name, nil, storeError(err, rq.bucket, "")
	}
	ap, ok := loadAccessPoint(b.Configs[accessPointPrefix+name])
	if !ok {
		return name, nil, errNoSuchAccessPoint(name)
	}
	return name, ap, nil
}

func (rq *request) getAccessPoint() *ossError {
	_, ap, e := rq.namedAccessPoint()
	if e != nil {
		return e
	}
	return rq.writeXML(ap)
}

func (rq *request) deleteAccessPoint() *ossError {
	name, _, e := rq.namedAccessPoint()
	if e != nil {
		return e
	}
	_, err := rq.s.cfg.Store.UpdateBucket(rq.bucket, func(b *store.BucketInfo) error {
		delete(b.Configs, accessPointPrefix+name)
		delete(b.Configs, accessPointPolicyPrefix+name)
		return nil
	})
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

// listedBuckets are the buckets a listing of a bucket's entries covers: the request's bucket, or
// every bucket for a service request.
func (rq *request) listedBuckets() ([]store.BucketInfo, *ossError) {
	if rq.bucket == "" {
		all, err := rq.s.cfg.Store.ListBuckets()
		if err != nil {
			return nil, errInternal(err)
		}
		return all, nil
	}
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return nil, storeError(err, rq.bucket, "")
	}
	return []store.BucketInfo{b}, nil
}

// listAccessPoints lists the access points of the bucket, or of every bucket for a service
// request, by name, max-keys (1 to 1000) a page.
func (rq *request) listAccessPoints() *ossError {
	buckets, e := rq.listedBuckets()
	if e != nil {
		return e
	}
	maxKeys := 100
	if v := rq.query.Get("max-keys"); v != "" {
		n, ok := parseBoundedInt(v, 1, 1000)
		if !ok {
			return errInvalidArgument("max-keys", v, "max-keys must be between 1 and 1000.")
		}
		maxKeys = n
	}
	var all []*accessPoint
	for i := range buckets {
		for _, name := range prefixedNames(&buckets[i], accessPointPrefix) {
			if ap, ok := loadAccessPoint(buckets[i].Configs[accessPointPrefix+name]); ok {
				all = append(all, ap)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	type entry struct {
		Bucket        string          `xml:"Bucket"`
		Name          string          `xml:"AccessPointName"`
		Alias         string          `xml:"Alias"`
		NetworkOrigin string          `xml:"NetworkOrigin"`
		Vpc           *accessPointVpc `xml:"VpcConfiguration"`
		Status        string          `xml:"Status"`
	}
	out := struct {
		XMLName     xml.Name `xml:"ListAccessPointsResult"`
		IsTruncated bool     `xml:"IsTruncated"`
		Next        string   `xml:"NextContinuationToken,omitempty"`
		AccountID   string   `xml:"AccountId"`
		MaxKeys     int      `xml:"MaxKeys"`
		Entries     []entry  `xml:"AccessPoints>AccessPoint"`
	}{AccountID: theOwner.ID, MaxKeys: maxKeys}
	token := rq.query.Get("continuation-token")
	for _, ap := range all {
		if token != "" && ap.Name < token {
			continue
		}
		if len(out.Entries) == maxKeys {
			out.IsTruncated, out.Next = true, ap.Name
			break
		}
		out.Entries = append(out.Entries, entry{ap.Bucket, ap.Name, ap.Alias, ap.NetworkOrigin, ap.Vpc, ap.Status})
	}
	return rq.writeXML(out)
}

func (rq *request) putAccessPointPolicy() *ossError {
	name, _, e := rq.namedAccessPoint()
	if e != nil {
		return e
	}
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	if e := checkPolicy(rq, raw); e != nil {
		return e
	}
	return rq.setBucketConfig(accessPointPolicyPrefix+name, string(raw))
}

func (rq *request) getAccessPointPolicy() *ossError {
	name, _, e := rq.namedAccessPoint()
	if e != nil {
		return e
	}
	set := bucketSetting{missing: errNoSuchConfig("NoSuchAccessPointPolicy", "The access point policy does not exist.", "0031-00000003")}
	return rq.getBucketSetting(accessPointPolicyPrefix+name, set)
}

func (rq *request) deleteAccessPointPolicy() *ossError {
	name, _, e := rq.namedAccessPoint()
	if e != nil {
		return e
	}
	return rq.deleteBucketSetting(accessPointPolicyPrefix + name)
}

// accessPointRoute finds the handler of an access point request, or nil.
func (rq *request) accessPointRoute(m string) func() *ossError {
	switch {
	case rq.has("accessPoint") && m == http.MethodPut:
		return rq.createAccessPoint
	case rq.has("accessPoint") && m == http.MethodGet && rq.r.Header.Get("x-oss-access-point-name") != "":
		return rq.getAccessPoint
	case rq.has("accessPoint") && m == http.MethodGet:
		return rq.listAccessPoints
	case rq.has("accessPoint") && m == http.MethodDelete:
		return rq.deleteAccessPoint
	case rq.has("accessPointPolicy") && m == http.MethodPut:
		return rq.putAccessPointPolicy
	case rq.has("accessPointPolicy") && m == http.MethodGet:
		return rq.getAccessPointPolicy
	case rq.has("accessPointPolicy") && m == http.MethodDelete:
		return rq.deleteAccessPointPolicy
	case rq.has("publicAccessBlock") && oneOf(m, http.MethodPut, http.MethodGet, http.MethodDelete):
		return func() *ossError { return rq.publicAccessBlock(m) }
	}
	return nil
}

// publicAccessBlock is the bucket's (PUT, GET, DELETE ?publicAccessBlock), or with the query's
// x-oss-access-point-name, that access point's. Booleans are kept as OSS writes them (oss2
// sends Python's "True").
func (rq *request) publicAccessBlock(m string) *ossError {
	var value string
	switch m {
	case http.MethodPut:
		raw, e := rq.familyDocument()
		if e != nil {
			return e
		}
		v, e := readBlockPublicAccess(raw)
		if e != nil {
			return e
		}
		value = v
	case http.MethodDelete:
		value = ""
	}
	if name := rq.query.Get("x-oss-access-point-name"); rq.has("x-oss-access-point-name") {
		_, ap, e := rq.namedAccessPoint()
		if e != nil {
			return e
		}
		switch m {
		case http.MethodGet:
			return rq.writeBlockPublicAccess(ap.BlockPublicAccess)
		case http.MethodDelete:
			value = "false"
		}
		ap.BlockPublicAccess = value
		out, err := xml.Marshal(ap)
		if err != nil {
			return errInternal(err)
		}
		if e := rq.setBucketConfig(accessPointPrefix+name, string(out)); e != nil || m == http.MethodPut {
			return e
		}
		rq.writeHeader(http.StatusNoContent)
		return nil
	}
	if m == http.MethodGet {
		b, err := rq.s.cfg.Store.Bucket(rq.bucket)
		if err != nil {
			return storeError(err, rq.bucket, "")
		}
		return rq.writeBlockPublicAccess(b.Configs["publicAccessBlock"])
	}
	if e := rq.setBucketConfig("publicAccessBlock", value); e != nil || m == http.MethodPut {
		return e
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

func readBlockPublicAccess(raw []byte) (string, *ossError) {
	var doc struct {
		XMLName xml.Name `xml:"PublicAccessBlockConfiguration"`
		Block   string   `xml:"BlockPublicAccess"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return "", e
	}
	v := strings.ToLower(doc.Block)
	if !oneOf(v, "true", "false") {
		return "", errMalformedXML()
	}
	return v, nil
}

// writeBlockPublicAccess answers a get; unset is false.
func (rq *request) writeBlockPublicAccess(v string) *ossError {
	if v == "" {
		v = "false"
	}
	return rq.writeXML(struct {
		XMLName xml.Name `xml:"PublicAccessBlockConfiguration"`
		Block   string   `xml:"BlockPublicAccess"`
	}{Block: v})
}

// accountPublicAccessBlock is the account's public access block (PUT, GET, DELETE
// /?publicAccessBlock on the service).
func (rq *request) accountPublicAccessBlock(m string) *ossError {
	if m == http.MethodGet {
		return rq.writeBlockPublicAccess(rq.s.cfg.Store.Account().Configs["publicAccessBlock"])
	}
	value := ""
	if m == http.MethodPut {
		raw, e := rq.familyDocument()
		if e != nil {
			return e
		}
		if value, e = readBlockPublicAccess(raw); e != nil {
			return e
		}
	}
	_, err := rq.s.cfg.Store.UpdateAccount(func(a *store.AccountInfo) error {
		if value == "" {
			delete(a.Configs, "publicAccessBlock")
		} else {
			a.Configs["publicAccessBlock"] = value
		}
		return nil
	})
	if err != nil {
		return errInternal(err)
	}
	if m == http.MethodDelete {
		rq.writeHeader(http.StatusNoContent)
		return nil
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

// publicAccessBlocked: the account's or the bucket's public access block is on, so public ACLs
// are ignored (anonymous requests are denied) and none may be set.
func (rq *request) publicAccessBlocked(b store.BucketInfo) bool {
	return rq.s.cfg.Store.Account().Configs["publicAccessBlock"] == "true" || b.Configs["publicAccessBlock"] == "true"
}

// refusePublicACL refuses setting a public ACL while public access is blocked.
func (rq *request) refusePublicACL(acl string) *ossError {
	if acl != "public-read" && acl != "public-read-write" {
		return nil
	}
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	if rq.publicAccessBlocked(b) {
		return errAccessDenied("Public ACLs cannot be set while public access is blocked.")
	}
	return nil
}
