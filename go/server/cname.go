package server

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Custom domains (CNAME): a token proves the domain is the owner's (OSS reads it from a DNS TXT
// record; the server takes a live token for the domain as the proof), then the domain is bound,
// optionally with a certificate (uploaded PEM, read for its fingerprint and validity, or a
// certificate service id). Tokens and bindings are one document in the bucket's configs.

const (
	cnameConfig   = "cname"
	cnameTokenTTL = 72 * time.Hour
	maxCnames     = 100
)

type cnameToken struct {
	Bucket     string `xml:"Bucket"`
	Cname      string `xml:"Cname"`
	Token      string `xml:"Token"`
	ExpireTime string `xml:"ExpireTime"` // RFC 1123, GMT
}

type cnameCertificate struct {
	Type           string `xml:"Type"`
	CertID         string `xml:"CertId"`
	Status         string `xml:"Status"`
	CreationDate   string `xml:"CreationDate"`
	Fingerprint    string `xml:"Fingerprint,omitempty"`
	ValidStartDate string `xml:"ValidStartDate,omitempty"`
	ValidEndDate   string `xml:"ValidEndDate,omitempty"`
}

type cnameInfo struct {
	Domain          string            `xml:"Domain"`
	LastModified    string            `xml:"LastModified"`
	Status          string            `xml:"Status"`
	IsPurgeCdnCache string            `xml:"IsPurgeCdnCache"`
	Certificate     *cnameCertificate `xml:"Certificate,omitempty"`
}

type storedCnames struct {
	XMLName xml.Name     `xml:"Cnames"`
	Tokens  []cnameToken `xml:"Token"`
	Cnames  []cnameInfo  `xml:"Cname"`
}

// cnameRequest is the BucketCnameConfiguration document.
type cnameRequest struct {
	XMLName xml.Name `xml:"BucketCnameConfiguration"`
	Domain  string   `xml:"Cname>Domain"`
	Cert    *struct {
		CertID            string `xml:"CertId"`
		Certificate       string `xml:"Certificate"`
		PrivateKey        string `xml:"PrivateKey"`
		PreviousCertID    string `xml:"PreviousCertId"`
		Force             string `xml:"Force"`
		DeleteCertificate string `xml:"DeleteCertificate"`
	} `xml:"Cname>CertificateConfiguration"`
}

func errNoSuchCname(domain string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchCname", Message: "The specified cname does not exist.", EC: "0041-00000201"}).with("Cname", domain)
}

func (rq *request) readCnameRequest() (*cnameRequest, *ossError) {
	raw, e := rq.familyDocument()
	if e != nil {
		return nil, e
	}
	var doc cnameRequest
	if e := decodeXML(raw, &doc); e != nil {
		return nil, e
	}
	if !validDomain(doc.Domain) {
		return nil, errInvalidArgument("Domain", doc.Domain, "The domain name is not valid.")
	}
	return &doc, nil
}

// validDomain: dot-separated labels of letters, digits and hyphens, not the OSS endpoint's own.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 || strings.HasSuffix(d, ".aliyuncs.com") {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '*') {
				return false
			}
		}
	}
	return true
}

func loadCnames(doc string) storedCnames {
	var s storedCnames
	xml.Unmarshal([]byte(doc), &s)
	return s
}

func saveCnames(s storedCnames) (string, *ossError) {
	if len(s.Tokens) == 0 && len(s.Cnames) == 0 {
		return "", nil
	}
	out, err := xml.Marshal(s)
	if err != nil {
		return "", errInternal(err)
	}
	return string(out), nil
}

// liveToken is the domain's unexpired token.
func (s *storedCnames) liveToken(domain string, now time.Time) *cnameToken {
	for i, t := range s.Tokens {
		exp, err := time.Parse(http.TimeFormat, t.ExpireTime)
		if t.Cname == domain && err == nil && now.Before(exp) {
			return &s.Tokens[i]
		}
	}
	return nil
}

func (rq *request) createCnameToken() *ossError {
	doc, e := rq.readCnameRequest()
	if e != nil {
		return e
	}
	var tok cnameToken
	e = rq.updateConfig(cnameConfig, func(old string, _ *store.BucketInfo) (string, *ossError) {
		s := loadCnames(old)
		now := rq.s.cfg.Now()
		if t := s.liveToken(doc.Domain, now); t != nil {
			tok = *t
			return old, nil
		}
		var live []cnameToken
		for _, t := range s.Tokens {
			if t.Cname != doc.Domain {
				live = append(live, t)
			}
		}
		raw := make([]byte, 16)
		rand.Read(raw)
		tok = cnameToken{Bucket: rq.bucket, Cname: doc.Domain, Token: hex.EncodeToString(raw),
			ExpireTime: now.Add(cnameTokenTTL).UTC().Format(http.TimeFormat)}
		s.Tokens = append(live, tok)
		return saveCnames(s)
	})
	if e != nil {
		return e
	}
	return rq.writeXML(struct {
		XMLName xml.Name `xml:"CnameToken"`
		cnameToken
	}{cnameToken: tok})
}

func (rq *request) getCnameToken() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	domain := rq.query.Get("cname")
	s := loadCnames(b.Configs[cnameConfig])
	t := s.liveToken(domain, rq.s.cfg.Now())
	if t == nil {
		return (&ossError{Status: 404, Code: "CnameTokenNotFound", Message: "The CNAME token does not exist or has expired.", EC: "0041-00000202"}).with("Cname", domain)
	}
	return rq.writeXML(struct {
		XMLName xml.Name `xml:"CnameToken"`
		cnameToken
	}{cnameToken: *t})
}

// certificateOf reads the certificate part of a put: nil keeps the binding's, a deletion clears.
func certificateOf(doc *cnameRequest, old *cnameCertificate, now time.Time) (*cnameCertificate, *ossError) {
	c := doc.Cert
	switch {
	case c == nil:
		return old, nil
	case strings.EqualFold(c.DeleteCertificate, "true"):
		return nil, nil
	case old != nil && c.PreviousCertID != old.CertID && !strings.EqualFold(c.Force, "true"):
		return nil, errInvalidArgument("PreviousCertId", c.PreviousCertID, "PreviousCertId must name the bound certificate, or Force be true.")
	}
	created := now.UTC().Format(http.TimeFormat)
	if c.Certificate == "" {
		if c.CertID == "" {
			return nil, errMalformedXML()
		}
		return &cnameCertificate{Type: "CAS", CertID: c.CertID, Status: "Enabled", CreationDate: created}, nil
	}
	block, _ := pem.Decode([]byte(c.Certificate))
	if block == nil || c.PrivateKey == "" {
		return nil, errInvalidArgument("Certificate", "", "The certificate or private key is not valid PEM.")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, errInvalidArgument("Certificate", "", "The certificate is not valid: "+err.Error())
	}
	sum := sha1.Sum(cert.Raw)
	fp := make([]string, len(sum))
	for i, b := range sum {
		fp[i] = fmt.Sprintf("%02X", b)
	}
	id := c.CertID
	if id == "" {
		id = fmt.Sprintf("%d-cn-hangzhou", uint32(sum[0])<<16|uint32(sum[1])<<8|uint32(sum[2]))
	}
	return &cnameCertificate{Type: "Upload", CertID: id, Status: "Enabled", CreationDate: created,
		Fingerprint: strings.Join(fp, ":"), ValidStartDate: cert.NotBefore.UTC().Format(http.TimeFormat),
		ValidEndDate: cert.NotAfter.UTC().Format(http.TimeFormat)}, nil
}

func (rq *request) putCname() *ossError {
	doc, e := rq.readCnameRequest()
	if e != nil {
		return e
	}
	e = rq.updateConfig(cnameConfig, func(old string, _ *store.BucketInfo) (string, *ossError) {
		s := loadCnames(old)
		now := rq.s.cfg.Now()
		i := 0
		for i < len(s.Cnames) && s.Cnames[i].Domain != doc.Domain {
			i++
		}
		if i == len(s.Cnames) {
			if s.liveToken(doc.Domain, now) == nil {
				return "", &ossError{Status: 400, Code: "NeedVerifyDomainOwnership", Message: "Please verify domain ownership by CreateCnameToken and try again.", EC: "0041-00000101"}
			}
			if len(s.Cnames) >= maxCnames {
				return "", errInvalidArgument("Domain", doc.Domain, "A bucket has at most 100 custom domains.")
			}
			s.Cnames = append(s.Cnames, cnameInfo{Domain: doc.Domain, Status: "Enabled", IsPurgeCdnCache: "false"})
		}
		cert, e := certificateOf(doc, s.Cnames[i].Certificate, now)
		if e != nil {
			return "", e
		}
		s.Cnames[i].Certificate = cert
		s.Cnames[i].LastModified = now.UTC().Format("2006-01-02T15:04:05.000Z")
		return saveCnames(s)
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) deleteCname() *ossError {
	doc, e := rq.readCnameRequest()
	if e != nil {
		return e
	}
	e = rq.updateConfig(cnameConfig, func(old string, _ *store.BucketInfo) (string, *ossError) {
		s := loadCnames(old)
		for i, c := range s.Cnames {
			if c.Domain == doc.Domain {
				s.Cnames = append(s.Cnames[:i], s.Cnames[i+1:]...)
				return saveCnames(s)
			}
		}
		return "", errNoSuchCname(doc.Domain)
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) listCnames() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	return rq.writeXML(struct {
		XMLName xml.Name    `xml:"ListCnameResult"`
		Bucket  string      `xml:"Bucket"`
		Owner   string      `xml:"Owner"`
		Cnames  []cnameInfo `xml:"Cname"`
	}{Bucket: rq.bucket, Owner: theOwner.ID, Cnames: loadCnames(b.Configs[cnameConfig]).Cnames})
}

// cnameRoute finds the handler of a custom-domain request, or nil.
func (rq *request) cnameRoute(m string) func() *ossError {
	if !rq.has("cname") {
		return nil
	}
	comp := rq.query.Get("comp")
	switch {
	case m == http.MethodPost && comp == "token":
		return rq.createCnameToken
	case m == http.MethodGet && comp == "token":
		return rq.getCnameToken
	case m == http.MethodPost && comp == "add":
		return rq.putCname
	case m == http.MethodPost && comp == "delete":
		return rq.deleteCname
	case m == http.MethodGet:
		return rq.listCnames
	}
	return nil
}

// httpsSetting is the bucket's TLS versions (PUT and GET ?httpsConfig), a plain setting.
var httpsSetting = bucketSetting{root: "HttpsConfiguration", check: checkHTTPS,
	empty: "<HttpsConfiguration><TLS><Enable>false</Enable></TLS></HttpsConfiguration>"}

func checkHTTPS(_ *request, raw []byte) *ossError {
	var doc struct {
		Enable   string   `xml:"TLS>Enable"`
		Versions []string `xml:"TLS>TLSVersion"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if !oneOf(doc.Enable, "true", "false") {
		return errMalformedXML()
	}
	if doc.Enable == "true" && len(doc.Versions) == 0 {
		return errInvalidArgument("TLSVersion", "", "TLSVersion is required when TLS is enabled.")
	}
	for _, v := range doc.Versions {
		if !oneOf(v, "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3") {
			return errInvalidArgument("TLSVersion", v, "TLSVersion must be TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3.")
		}
	}
	return nil
}

// httpsRoute finds the handler of an HTTPS configuration request, or nil.
func (rq *request) httpsRoute(m string) func() *ossError {
	switch {
	case rq.has("httpsConfig") && m == http.MethodGet:
		return func() *ossError { return rq.getBucketSetting("httpsConfig", httpsSetting) }
	case rq.has("httpsConfig") && m == http.MethodPut:
		return func() *ossError { return rq.putBucketSetting("httpsConfig", httpsSetting) }
	}
	return nil
}
