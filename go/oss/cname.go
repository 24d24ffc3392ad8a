package oss

// The custom-domain (CNAME) and HTTPS documents. A pointer is an element OSS may leave out
// (JSON null when it did).

// CnameToken is CreateCnameToken's and GetCnameToken's answer (kind "cname_token").
type CnameToken struct {
	Bucket     string `xml:"Bucket" json:"bucket"`
	Cname      string `xml:"Cname" json:"cname"`
	Token      string `xml:"Token" json:"token"`
	ExpireTime string `xml:"ExpireTime" json:"expire_time"` // as OSS wrote it, an HTTP date
}

// CnameCertificate is the certificate bound to a custom domain.
type CnameCertificate struct {
	Type           *string `xml:"Type" json:"type"` // CAS or Upload
	CertID         *string `xml:"CertId" json:"cert_id"`
	Status         *string `xml:"Status" json:"status"`
	CreationDate   *string `xml:"CreationDate" json:"creation_date"`
	Fingerprint    *string `xml:"Fingerprint" json:"fingerprint"`
	ValidStartDate *string `xml:"ValidStartDate" json:"valid_start_date"`
	ValidEndDate   *string `xml:"ValidEndDate" json:"valid_end_date"`
}

// CnameInfo is one custom domain of a bucket.
type CnameInfo struct {
	Domain          *string           `xml:"Domain" json:"domain"`
	LastModified    *string           `xml:"LastModified" json:"last_modified"`
	Status          *string           `xml:"Status" json:"status"`
	IsPurgeCdnCache *string           `xml:"IsPurgeCdnCache" json:"is_purge_cdn_cache"`
	Certificate     *CnameCertificate `xml:"Certificate" json:"certificate"`
}

// ListCnameResult is ListCname's answer (kind "list_bucket_cname").
type ListCnameResult struct {
	Bucket string      `xml:"Bucket" json:"bucket"`
	Owner  string      `xml:"Owner" json:"owner"`
	Cnames []CnameInfo `xml:"Cname" json:"cnames"`
}

// HttpsConfiguration is GetBucketHttpsConfig's answer (kind "get_bucket_https_config").
type HttpsConfiguration struct {
	Enable      Bool     `xml:"TLS>Enable" json:"enable"`
	TLSVersions []string `xml:"TLS>TLSVersion" json:"tls_versions"`
}
