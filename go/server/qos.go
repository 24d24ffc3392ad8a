package server

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// QoS: the bucket's storage capacity (?qos), its bandwidth and QPS limits (?qosInfo), the
// limits of single requesters on it (?requesterQosInfo&qosRequester=uid), and the account's
// limits (GET /?qosInfo), which bound the others. Limits are kept, validated and answered;
// the server does not throttle by them (its own shaping is --bandwidth-per-conn). A value of -1
// is "no limit of its own", 0 forbids that kind of access. The account has no resource pools
// (OSS makes them on request), so their operations find none.

// qosConfiguration is a QoSConfiguration document; nil fields were not sent.
type qosConfiguration struct {
	XMLName            xml.Name `xml:"QoSConfiguration"`
	TotalUploadBw      *int64   `xml:"TotalUploadBandwidth"`
	IntranetUploadBw   *int64   `xml:"IntranetUploadBandwidth"`
	ExtranetUploadBw   *int64   `xml:"ExtranetUploadBandwidth"`
	TotalDownloadBw    *int64   `xml:"TotalDownloadBandwidth"`
	IntranetDownloadBw *int64   `xml:"IntranetDownloadBandwidth"`
	ExtranetDownloadBw *int64   `xml:"ExtranetDownloadBandwidth"`
	TotalQps           *int64   `xml:"TotalQps"`
	IntranetQps        *int64   `xml:"IntranetQps"`
	ExtranetQps        *int64   `xml:"ExtranetQps"`
}

// The account's limits: Gbps of bandwidth and requests per second.
const (
	accountBandwidth = 10
	accountQps       = 10000
)

func (q *qosConfiguration) fields() []**int64 {
	return []**int64{&q.TotalUploadBw, &q.IntranetUploadBw, &q.ExtranetUploadBw, &q.TotalDownloadBw,
		&q.IntranetDownloadBw, &q.ExtranetDownloadBw, &q.TotalQps, &q.IntranetQps, &q.ExtranetQps}
}

var qosFieldNames = []string{"TotalUploadBandwidth", "IntranetUploadBandwidth", "ExtranetUploadBandwidth",
	"TotalDownloadBandwidth", "IntranetDownloadBandwidth", "ExtranetDownloadBandwidth", "TotalQps", "IntranetQps",
	"ExtranetQps"}

// complete fills the fields not sent with -1 (no limit of its own).
func (q *qosConfiguration) complete() {
	for _, f := range q.fields() {
		if *f == nil {
			v := int64(-1)
			*f = &v
		}
	}
}

// checkQoS: each limit -1 or 0 up to the account's, and an intranet or extranet limit no more
// than its total.
func checkQoS(q *qosConfiguration) *ossError {
	for i, f := range q.fields() {
		limit := int64(accountBandwidth)
		if i >= 6 {
			limit = accountQps
		}
		if *f != nil && (**f < -1 || **f > limit) {
			return errInvalidArgument(qosFieldNames[i], strconv.FormatInt(**f, 10), qosFieldNames[i]+" must be -1 or between 0 and "+strconv.FormatInt(limit, 10)+".")
		}
	}
	fs := q.fields()
	for total := 0; total < 9; total += 3 {
		t := *fs[total]
		for _, part := range []int{total + 1, total + 2} {
			p := *fs[part]
			if t != nil && p != nil && *t >= 0 && (*p == -1 || *p > *t) {
				return errInvalidArgument(qosFieldNames[part], strconv.FormatInt(*p, 10), qosFieldNames[part]+" cannot exceed "+qosFieldNames[total]+".")
			}
		}
	}
	return nil
}

func (rq *request) readQoS() (*qosConfiguration, *ossError) {
	raw, e := rq.familyDocument()
	if e != nil {
		return nil, e
	}
	var q qosConfiguration
	if e := decodeXML(raw, &q); e != nil {
		return nil, e
	}
	if e := checkQoS(&q); e != nil {
		return nil, e
	}
	q.complete()
	return &q, nil
}

func (rq *request) putBucketQoS() *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	q, e := rq.readQoS()
	if e != nil {
		return e
	}
	out, err := xml.Marshal(q)
	if err != nil {
		return errInternal(err)
	}
	return rq.setBucketConfig("qosInfo", string(out))
}

func unlimitedQoS() string {
	var q qosConfiguration
	q.complete()
	out, _ := xml.Marshal(q) // ints only: cannot fail
	return string(out)
}

func accountQoS(region string) any {
	var q qosConfiguration
	bw, qps := int64(accountBandwidth), int64(accountQps)
	for i, f := range q.fields() {
		if i >= 6 {
			*f = &qps
		} else {
			*f = &bw
		}
	}
	return struct {
		XMLName xml.Name `xml:"QoSConfiguration"`
		Region  string   `xml:"Region"`
		qosConfiguration
	}{Region: region, qosConfiguration: q}
}

// Requester QoS: one QoSConfiguration per requester uid, in configs "requesterQosInfo:<uid>".

const requesterQoSPrefix = "requesterQosInfo:"

type requesterQoS struct {
	XMLName   xml.Name         `xml:"RequesterQoSInfo"`
	Requester string           `xml:"Requester"`
	QoS       qosConfiguration `xml:"QoSConfiguration"`
}

func (rq *request) requesterUID() (string, *ossError) {
	uid := rq.query.Get("qosRequester")
	if uid == "" || strings.ContainsAny(uid, "<>&:/") {
		return "", errInvalidArgument("qosRequester", uid, "qosRequester must name a requester uid.")
	}
	return uid, nil
}

func (rq *request) putRequesterQoS() *ossError {
	uid, e := rq.requesterUID()
	if e != nil {
		return e
	}
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	q, e := rq.readQoS()
	if e != nil {
		return e
	}
	out, err := xml.Marshal(requesterQoS{Requester: uid, QoS: *q})
	if err != nil {
		return errInternal(err)
	}
	return rq.setBucketConfig(requesterQoSPrefix+uid, string(out))
}

func (rq *request) getRequesterQoS() *ossError {
	uid, e := rq.requesterUID()
	if e != nil {
		return e
	}
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	doc, ok := b.Configs[requesterQoSPrefix+uid]
	if !ok {
		// a requester without limits of its own has the bucket's
		bucketDoc := b.Configs["qosInfo"]
		if bucketDoc == "" {
			bucketDoc = unlimitedQoS()
		}
		var q qosConfiguration
		xml.Unmarshal([]byte(bucketDoc), &q)
		out, err := xml.Marshal(requesterQoS{Requester: uid, QoS: q})
		if err != nil {
			return errInternal(err)
		}
		doc = string(out)
	}
	return rq.writeRawXML(doc)
}

func (rq *request) deleteRequesterQoS() *ossError {
	uid, e := rq.requesterUID()
	if e != nil {
		return e
	}
	return rq.deleteBucketSetting(requesterQoSPrefix + uid)
}

func (rq *request) listRequesterQoS() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	maxKeys, e := maxKeysParam(rq, 100)
	if e != nil {
		return e
	}
	token := rq.query.Get("continuation-token")
	var out strings.Builder
	out.WriteString("<ListBucketRequesterQoSInfosResult>")
	writeElement(&out, "Bucket", rq.bucket)
	writeElement(&out, "ContinuationToken", token)
	n, next := 0, ""
	for _, uid := range prefixedNames(&b, requesterQoSPrefix) {
		if uid < token {
			continue
		}
		if n == maxKeys {
			next = uid
			break
		}
		out.WriteString(b.Configs[requesterQoSPrefix+uid])
		n++
	}
	if next != "" {
		writeElement(&out, "NextContinuationToken", next)
		out.WriteString("<IsTruncated>true</IsTruncated>")
	} else {
		out.WriteString("<IsTruncated>false</IsTruncated>")
	}
	out.WriteString("</ListBucketRequesterQoSInfosResult>")
	return rq.writeRawXML(out.String())
}

// maxKeysParam reads max-keys (1 to 1000), def when absent.
func maxKeysParam(rq *request, def int) (int, *ossError) {
	v := rq.query.Get("max-keys")
	if v == "" {
		return def, nil
	}
	n, ok := parseBoundedInt(v, 1, 1000)
	if !ok {
		return 0, errInvalidArgument("max-keys", v, "max-keys must be between 1 and 1000.")
	}
	return n, nil
}

// Storage capacity (?qos): GB the bucket may hold, -1 for no limit of its own.

func (rq *request) putStorageCapacity() *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var doc struct {
		XMLName  xml.Name `xml:"BucketUserQos"`
		Capacity string   `xml:"StorageCapacity"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	n, err := strconv.ParseInt(doc.Capacity, 10, 64)
	if err != nil || n < -1 || n > 1<<40 {
		return errInvalidArgument("StorageCapacity", doc.Capacity, "StorageCapacity must be -1 or a number of GB.")
	}
	return rq.setBucketConfig("qos", "<BucketUserQos><StorageCapacity>"+strconv.FormatInt(n, 10)+"</StorageCapacity></BucketUserQos>")
}

func errNoSuchResourcePool(name string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchResourcePool", Message: "The specified resource pool does not exist.", EC: "0064-00000001"}).with("ResourcePool", name)
}

// qosRoute finds the handler of a bucket QoS request, or nil.
func (rq *request) qosRoute(m string) func() *ossError {
	switch {
	case rq.has("qos") && m == http.MethodPut:
		return rq.putStorageCapacity
	case rq.has("qos") && m == http.MethodGet:
		return func() *ossError {
			return rq.getBucketSetting("qos", bucketSetting{root: "BucketUserQos", empty: "<BucketUserQos><StorageCapacity>-1</StorageCapacity></BucketUserQos>"})
		}
	case rq.has("qosInfo") && m == http.MethodPut:
		return rq.putBucketQoS
	case rq.has("qosInfo") && m == http.MethodGet:
		return func() *ossError {
			return rq.getBucketSetting("qosInfo", bucketSetting{root: "QoSConfiguration", empty: unlimitedQoS()})
		}
	case rq.has("qosInfo") && m == http.MethodDelete:
		return func() *ossError { return rq.deleteBucketSetting("qosInfo") }
	case rq.has("requesterQosInfo") && m == http.MethodPut:
		return rq.putRequesterQoS
	case rq.has("requesterQosInfo") && m == http.MethodGet && rq.has("qosRequester"):
		return rq.getRequesterQoS
	case rq.has("requesterQosInfo") && m == http.MethodGet:
		return rq.listRequesterQoS
	case rq.has("requesterQosInfo") && m == http.MethodDelete:
		return rq.deleteRequesterQoS
	}
	return nil
}

// serviceQoSRoute finds the handler of an account QoS or resource pool request, or nil.
func (rq *request) serviceQoSRoute(m string) func() *ossError {
	pool := rq.query.Get("resourcePool")
	switch {
	case rq.has("qosInfo") && m == http.MethodGet:
		return func() *ossError { return rq.writeXML(accountQoS("oss-" + rq.s.cfg.Region)) }
	case rq.has("resourcePool") && m == http.MethodGet && !rq.has("resourcePoolInfo") && !rq.has("resourcePoolBuckets") && !rq.has("requesterQosInfo"):
		return func() *ossError {
			return rq.writeXML(struct {
				XMLName     xml.Name `xml:"ListResourcePoolsResult"`
				Region      string   `xml:"Region"`
				Owner       string   `xml:"Owner"`
				Token       string   `xml:"ContinuationToken"`
				IsTruncated bool     `xml:"IsTruncated"`
			}{Region: "oss-" + rq.s.cfg.Region, Owner: theOwner.ID, Token: rq.query.Get("continuation-token")})
		}
	case rq.has("resourcePool") && oneOf(m, http.MethodGet, http.MethodPut, http.MethodDelete):
		return func() *ossError { return errNoSuchResourcePool(pool) }
	}
	return nil
}
