package server

import (
	"crypto/rand"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Helpers of the bucket families whose state is one document in the bucket's configs (WORM,
// replication, inventory, ...): the document is rewritten whole under the store's bucket lock.

// ossRegions are the regions DescribeRegions names and replication rules may copy to (OSS's
// mainland regions and a few beyond).
var ossRegions = []string{
	"oss-cn-beijing", "oss-cn-hangzhou", "oss-cn-hongkong", "oss-cn-qingdao", "oss-cn-shanghai",
	"oss-cn-shenzhen", "oss-cn-zhangjiakou", "oss-ap-southeast-1", "oss-eu-central-1", "oss-us-west-1",
}

// describeRegions answers GET /?regions: every region, or the one named.
func (rq *request) describeRegions() *ossError {
	type regionInfo struct {
		Region             string `xml:"Region"`
		InternetEndpoint   string `xml:"InternetEndpoint"`
		InternalEndpoint   string `xml:"InternalEndpoint"`
		AccelerateEndpoint string `xml:"AccelerateEndpoint"`
	}
	out := struct {
		XMLName xml.Name     `xml:"RegionInfoList"`
		Regions []regionInfo `xml:"RegionInfo"`
	}{}
	want := rq.query.Get("regions")
	for _, r := range ossRegions {
		if want != "" && r != want {
			continue
		}
		accelerate := "oss-accelerate.aliyuncs.com"
		if !strings.HasPrefix(r, "oss-cn-") || r == "oss-cn-hongkong" {
			accelerate = "oss-accelerate-overseas.aliyuncs.com"
		}
		out.Regions = append(out.Regions, regionInfo{r, r + ".aliyuncs.com", r + "-internal.aliyuncs.com", accelerate})
	}
	if len(out.Regions) == 0 {
		return errInvalidArgument("regions", want, "The region does not exist.")
	}
	return rq.writeXML(out)
}

// errRefused abandons a bucket update whose change was refused with an ossError.
var errRefused = errors.New("refused")

// updateConfig rewrites the bucket's config name: change gets the stored document ("" when
// there is none) and returns the new one ("" removes it) or the error to answer with.
func (rq *request) updateConfig(name string, change func(doc string, b *store.BucketInfo) (string, *ossError)) *ossError {
	var fail *ossError
	_, err := rq.s.cfg.Store.UpdateBucket(rq.bucket, func(b *store.BucketInfo) error {
		doc, e := change(b.Configs[name], b)
		if e != nil {
			fail = e
			return errRefused
		}
		setConfig(b, name, doc)
		return nil
	})
	if fail != nil {
		return fail
	}
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	return nil
}

// newUUID is a random (version 4) UUID, as OSS names rules and tasks it was not given a name for.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// familyDocument reads a family's request document, checking its Content-MD5 when sent.
func (rq *request) familyDocument() ([]byte, *ossError) {
	raw, e := rq.readXMLBody(maxRequestXML)
	if e != nil {
		return nil, e
	}
	opts, e := rq.putOptions()
	if e != nil {
		return nil, e
	}
	if !digestMatches(raw, opts.ContentMD5) {
		return nil, errInvalidDigest()
	}
	return raw, nil
}

// parseBoundedInt reads a decimal integer in [lo, hi].
func parseBoundedInt(s string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// familySubresource finds the handler of a family's bucket request, or nil.
func (rq *request) familySubresource(m string) func() *ossError {
	for _, route := range []func(string) func() *ossError{rq.wormRoute, rq.replicationRoute, rq.inventoryRoute, rq.cnameRoute, rq.httpsRoute, rq.accessPointRoute, rq.familySettingRoute, rq.qosRoute, rq.redundancyRoute, rq.asyncFetchRoute, rq.metaQueryRoute} {
		if h := route(m); h != nil {
			return h
		}
	}
	return nil
}

// serviceSubresource finds the handler of a family's service (account) request, or nil.
func (rq *request) serviceSubresource(m string) func() *ossError {
	switch {
	case rq.has("accessPoint") && m == http.MethodGet:
		return rq.listAccessPoints
	case rq.has("regions") && m == http.MethodGet:
		return rq.describeRegions
	case rq.has("publicAccessBlock") && oneOf(m, http.MethodPut, http.MethodGet, http.MethodDelete):
		return func() *ossError { return rq.accountPublicAccessBlock(m) }
	case rq.has("redundancyTransition") && m == http.MethodGet:
		return rq.listRedundancyTransitions
	case rq.has("x-oss-write-get-object-response") && m == http.MethodPost:
		return rq.writeGetObjectResponse
	}
	return rq.serviceQoSRoute(m)
}

// writeGetObjectResponse is a Function Compute function's answer to a GET through an Object FC
// access point, naming the waiting request by route and token. jindo server has no Object FC
// access points, so no request waits: the call is checked, then refused naming the token.
func (rq *request) writeGetObjectResponse() *ossError {
	h := rq.r.Header
	for _, name := range []string{"x-oss-request-route", "x-oss-request-token", "x-oss-fwd-status"} {
		if h.Get(name) == "" {
			return (&ossError{Status: 400, Code: "MissingArgument", Message: "Missing header " + name + ".", EC: "0017-00000101"}).with("ArgumentName", name)
		}
	}
	if status, ok := parseBoundedInt(h.Get("x-oss-fwd-status"), 100, 599); !ok || http.StatusText(status) == "" {
		return errInvalidArgument("x-oss-fwd-status", h.Get("x-oss-fwd-status"), "x-oss-fwd-status must be an HTTP status.")
	}
	return errInvalidArgument("x-oss-request-token", h.Get("x-oss-request-token"), "No request through an Object FC access point waits for this token.")
}
