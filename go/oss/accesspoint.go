package oss

// The access point and public access block documents. A pointer is an element OSS may leave
// out (JSON null when it did).

// AccessPointVpc is the VPC an access point admits.
type AccessPointVpc struct {
	VpcID *string `xml:"VpcId" json:"vpc_id"`
}

// CreateAccessPointResult is CreateAccessPoint's answer (kind "create_access_point").
type CreateAccessPointResult struct {
	AccessPointArn *string `xml:"AccessPointArn" json:"access_point_arn"`
	Alias          *string `xml:"Alias" json:"alias"`
}

// AccessPointEndpoints are an access point's addresses.
type AccessPointEndpoints struct {
	PublicEndpoint   *string `xml:"PublicEndpoint" json:"public_endpoint"`
	InternalEndpoint *string `xml:"InternalEndpoint" json:"internal_endpoint"`
}

// PublicAccessBlockConfiguration is GetPublicAccessBlock's answer, for the account, a bucket or
// an access point (kind "get_public_access_block").
type PublicAccessBlockConfiguration struct {
	BlockPublicAccess *Bool `xml:"BlockPublicAccess" json:"block_public_access"`
}

// GetAccessPointResult is GetAccessPoint's answer (kind "get_access_point").
type GetAccessPointResult struct {
	AccessPointName   *string                         `xml:"AccessPointName" json:"access_point_name"`
	Bucket            *string                         `xml:"Bucket" json:"bucket"`
	AccountID         *string                         `xml:"AccountId" json:"account_id"`
	NetworkOrigin     *string                         `xml:"NetworkOrigin" json:"network_origin"`
	Vpc               *AccessPointVpc                 `xml:"VpcConfiguration" json:"vpc"`
	AccessPointArn    *string                         `xml:"AccessPointArn" json:"access_point_arn"`
	CreationDate      *string                         `xml:"CreationDate" json:"creation_date"` // epoch seconds, as text
	Alias             *string                         `xml:"Alias" json:"alias"`
	Status            *string                         `xml:"Status" json:"status"`
	Endpoints         *AccessPointEndpoints           `xml:"Endpoints" json:"endpoints"`
	PublicAccessBlock *PublicAccessBlockConfiguration `xml:"PublicAccessBlockConfiguration" json:"public_access_block"`
}

// AccessPointSummary is one access point of a listing.
type AccessPointSummary struct {
	Bucket          string          `xml:"Bucket" json:"bucket"`
	AccessPointName string          `xml:"AccessPointName" json:"access_point_name"`
	Alias           string          `xml:"Alias" json:"alias"`
	Status          string          `xml:"Status" json:"status"`
	NetworkOrigin   string          `xml:"NetworkOrigin" json:"network_origin"`
	Vpc             *AccessPointVpc `xml:"VpcConfiguration" json:"vpc"`
}

// ListAccessPointsResult is one page of ListAccessPoints, for a bucket or the account (kind
// "list_access_points").
type ListAccessPointsResult struct {
	AccountID             *string              `xml:"AccountId" json:"account_id"`
	Marker                *string              `xml:"Marker" json:"marker"`
	MaxKeys               int                  `xml:"MaxKeys" json:"max_keys"`
	IsTruncated           Bool                 `xml:"IsTruncated" json:"is_truncated"`
	NextContinuationToken *string              `xml:"NextContinuationToken" json:"next_continuation_token"`
	AccessPoints          []AccessPointSummary `xml:"AccessPoints>AccessPoint" json:"access_points"`
}
