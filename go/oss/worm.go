package oss

// WormConfiguration is a bucket's retention policy (GetBucketWorm; document kind
// "get_bucket_worm").
type WormConfiguration struct {
	WormID                string  `xml:"WormId" json:"worm_id"`
	State                 string  `xml:"State" json:"state"` // InProgress or Locked
	RetentionPeriodInDays int     `xml:"RetentionPeriodInDays" json:"retention_period_days"`
	CreationDate          string  `xml:"CreationDate" json:"creation_date"` // as OSS wrote it, RFC 3339
	ExpirationDate        *string `xml:"ExpirationDate" json:"expiration_date"`
}
