package server

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Bucket settings (CORS, lifecycle, referer, website, policy, encryption, logging, versioning,
// request payment): each is a document the owner puts, gets back as put, and (most) deletes. The
// server checks what OSS would refuse where that is cheap and stores the document as sent.

type bucketSetting struct {
	root    string           // the document's element; "" for the JSON policy
	missing func() *ossError // the answer to a get when unset; nil: empty is returned instead
	empty   string           // the document a get returns when unset and missing is nil
	del     bool             // DELETE ?name removes it
	check   func(rq *request, raw []byte) *ossError
}

func errNoSuchConfig(code, msg, ec string) func() *ossError {
	return func() *ossError { return &ossError{Status: 404, Code: code, Message: msg, EC: ec} }
}

var bucketSettings = map[string]bucketSetting{
	"cors": {root: "CORSConfiguration", del: true, check: checkCORS,
		missing: errNoSuchConfig("NoSuchCORSConfiguration", "The CORS configuration does not exist.", "0013-00000201")},
	"lifecycle": {root: "LifecycleConfiguration", del: true, check: checkLifecycle,
		missing: errNoSuchConfig("NoSuchLifecycle", "No Row found in Lifecycle Table.", "0038-00000201")},
	"website": {root: "WebsiteConfiguration", del: true, check: checkWebsite,
		missing: errNoSuchConfig("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration.", "0014-00000201")},
	"policy": {del: true, check: checkPolicy,
		missing: errNoSuchConfig("NoSuchBucketPolicy", "The bucket policy does not exist.", "0047-00000201")},
	"encryption": {root: "ServerSideEncryptionRule", del: true, check: checkEncryption,
		missing: errNoSuchConfig("NoSuchServerSideEncryptionRule", "The server side encryption configuration was not found.", "0045-00000201")},
	"referer": {root: "RefererConfiguration", check: checkReferer,
		empty: "<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList></RefererList></RefererConfiguration>"},
	"logging": {root: "BucketLoggingStatus", del: true, check: checkLogging, empty: "<BucketLoggingStatus></BucketLoggingStatus>"},
	"versioning": {root: "VersioningConfiguration", check: checkVersioning,
		empty: "<VersioningConfiguration></VersioningConfiguration>"},
	"requestPayment": {root: "RequestPaymentConfiguration", check: checkPayment,
		empty: "<RequestPaymentConfiguration><Payer>BucketOwner</Payer></RequestPaymentConfiguration>"},
}

func (rq *request) getBucketSetting(name string, set bucketSetting) *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	doc, ok := b.Configs[name]
	if !ok && set.missing != nil {
		return set.missing().with("BucketName", rq.bucket)
	}
	if !ok {
		doc = xml.Header + set.empty
	}
	ctype := "application/xml"
	if set.root == "" {
		ctype = "application/json"
	}
	h := rq.w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	rq.writeHeader(http.StatusOK)
	rq.w.Write([]byte(doc))
	return nil
}

func (rq *request) putBucketSetting(name string, set bucketSetting) *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	opts, e := rq.putOptions()
	if e != nil {
		return e
	}
	raw, e := rq.readXMLBody(maxRequestXML)
	if e != nil {
		return e
	}
	if !digestMatches(raw, opts.ContentMD5) {
		return errInvalidDigest()
	}
	if set.root != "" {
		var root struct{ XMLName xml.Name }
		if e := decodeXML(raw, &root); e != nil {
			return e
		}
		if root.XMLName.Local != set.root {
			return errMalformedXML()
		}
	}
	if e := set.check(rq, raw); e != nil {
		return e
	}
	return rq.setBucketConfig(name, string(raw))
}

func (rq *request) deleteBucketSetting(name string) *ossError {
	if _, err := rq.s.cfg.Store.UpdateBucket(rq.bucket, func(b *store.BucketInfo) error {
		delete(b.Configs, name)
		return nil
	}); err != nil {
		return storeError(err, rq.bucket, "")
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

// setBucketConfig stores one setting; an empty document removes it.
func (rq *request) setBucketConfig(name, doc string) *ossError {
	_, err := rq.s.cfg.Store.UpdateBucket(rq.bucket, func(b *store.BucketInfo) error {
		setConfig(b, name, doc)
		return nil
	})
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func setConfig(b *store.BucketInfo, name, doc string) {
	if name == "versioning" && doc != "" {
		// The store acts on the state (a write's version id, a delete's marker); the
		// document is kept as sent, like every setting.
		var v struct{ Status string }
		if xml.Unmarshal([]byte(doc), &v) == nil {
			b.Versioning = v.Status
		}
	}
	if doc == "" {
		delete(b.Configs, name)
		return
	}
	if b.Configs == nil {
		b.Configs = map[string]string{}
	}
	b.Configs[name] = doc
}

// The settings' checks: what OSS refuses that costs nothing to see.

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func checkLifecycle(_ *request, raw []byte) *ossError {
	var doc struct {
		Rules []struct {
			ID     string
			Status string
		} `xml:"Rule"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if len(doc.Rules) == 0 || len(doc.Rules) > 1000 {
		return errMalformedXML()
	}
	ids := map[string]bool{}
	for _, r := range doc.Rules {
		if !oneOf(r.Status, "Enabled", "Disabled") {
			return errMalformedXML()
		}
		if r.ID != "" && ids[r.ID] {
			return errInvalidArgument("ID", r.ID, "Rule ID must be unique.")
		}
		ids[r.ID] = true
	}
	return nil
}

func checkWebsite(_ *request, raw []byte) *ossError {
	var doc struct {
		Index    string   `xml:"IndexDocument>Suffix"`
		Error    string   `xml:"ErrorDocument>Key"`
		Routings []string `xml:"RoutingRules>RoutingRule>RuleNumber"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if doc.Index == "" && doc.Error == "" && len(doc.Routings) == 0 {
		return errMalformedXML()
	}
	return nil
}

func checkPolicy(_ *request, raw []byte) *ossError {
	var doc map[string]any
	if json.Unmarshal(raw, &doc) != nil {
		return &ossError{Status: 400, Code: "InvalidPolicyDocument", Message: "Invalid policy document.", EC: "0047-00000101"}
	}
	return nil
}

// encryptionRule is a bucket's default encryption.
type encryptionRule struct {
	Algorithm      string `xml:"ApplyServerSideEncryptionByDefault>SSEAlgorithm"`
	KeyID          string `xml:"ApplyServerSideEncryptionByDefault>KMSMasterKeyID"`
	DataEncryption string `xml:"ApplyServerSideEncryptionByDefault>KMSDataEncryption"`
}

func checkEncryption(_ *request, raw []byte) *ossError {
	var r encryptionRule
	if e := decodeXML(raw, &r); e != nil {
		return e
	}
	switch {
	case !oneOf(r.Algorithm, "AES256", "KMS", "SM4"):
		return errInvalidArgument("SSEAlgorithm", r.Algorithm, "The SSEAlgorithm must be AES256, KMS or SM4.")
	case r.KeyID != "" && r.Algorithm != "KMS":
		return errInvalidArgument("KMSMasterKeyID", r.KeyID, "KMSMasterKeyID is only allowed with KMS.")
	case r.DataEncryption != "" && (r.Algorithm != "KMS" || r.DataEncryption != "SM4"):
		return errInvalidArgument("KMSDataEncryption", r.DataEncryption, "KMSDataEncryption must be SM4, with KMS.")
	}
	return nil
}

func checkReferer(_ *request, raw []byte) *ossError {
	var doc struct {
		AllowEmpty string `xml:"AllowEmptyReferer"`
		Truncate   string `xml:"AllowTruncateQueryString"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if !oneOf(doc.AllowEmpty, "true", "false") || !oneOf(doc.Truncate, "", "true", "false") {
		return errMalformedXML()
	}
	return nil
}

func checkLogging(rq *request, raw []byte) *ossError {
	var doc struct {
		Enabled *struct {
			TargetBucket string
			TargetPrefix string
		} `xml:"LoggingEnabled"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if doc.Enabled == nil {
		return nil
	}
	if _, err := rq.s.cfg.Store.Bucket(doc.Enabled.TargetBucket); err != nil {
		return (&ossError{Status: 400, Code: "InvalidTargetBucketForLogging", Message: "Target bucket does not exist.", EC: "0021-00000202"}).
			with("TargetBucket", doc.Enabled.TargetBucket)
	}
	return nil
}

func checkVersioning(rq *request, raw []byte) *ossError {
	var doc struct{ Status string }
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if !oneOf(doc.Status, "Enabled", "Suspended") {
		return errMalformedXML()
	}
	return rq.wormBlocksVersioning()
}

func checkPayment(_ *request, raw []byte) *ossError {
	var doc struct{ Payer string }
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if !oneOf(doc.Payer, "BucketOwner", "Requester") {
		return errMalformedXML()
	}
	return nil
}

// bucketEncryption is the bucket's default encryption rule, if it has one.
func bucketEncryption(b store.BucketInfo) (encryptionRule, bool) {
	var r encryptionRule
	doc, ok := b.Configs["encryption"]
	if !ok || xml.Unmarshal([]byte(doc), &r) != nil {
		return r, false
	}
	return r, true
}

// bucketVersioning is the status the versioning setting declares, "" when never set.
func bucketVersioning(b store.BucketInfo) string {
	var doc struct{ Status string }
	if v, ok := b.Configs["versioning"]; ok {
		xml.Unmarshal([]byte(v), &doc)
	}
	return doc.Status
}
