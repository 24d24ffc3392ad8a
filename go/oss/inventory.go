package oss

// The inventory documents. A pointer is an element OSS may leave out (JSON null when it did);
// numbers in a filter stay text, as OSS wrote them.

// InventoryFilter selects the objects an inventory lists.
type InventoryFilter struct {
	Prefix                   *string `xml:"Prefix" json:"prefix"`
	LastModifyBeginTimeStamp *string `xml:"LastModifyBeginTimeStamp" json:"last_modify_begin_time_stamp"`
	LastModifyEndTimeStamp   *string `xml:"LastModifyEndTimeStamp" json:"last_modify_end_time_stamp"`
	LowerSizeBound           *string `xml:"LowerSizeBound" json:"lower_size_bound"`
	UpperSizeBound           *string `xml:"UpperSizeBound" json:"upper_size_bound"`
	StorageClass             *string `xml:"StorageClass" json:"storage_class"`
}

// InventorySSEKMS names the KMS key inventory files are encrypted with.
type InventorySSEKMS struct {
	KeyID string `xml:"KeyId" json:"key_id"`
}

// InventoryEncryption is how inventory files are encrypted: SSE-KMS or SSE-OSS (an empty element).
type InventoryEncryption struct {
	SSEKMS *InventorySSEKMS `xml:"SSE-KMS" json:"sse_kms"`
	SSEOSS *struct{}        `xml:"SSE-OSS" json:"sse_oss"`
}

// InventoryBucketDestination is the bucket inventory files are written to.
type InventoryBucketDestination struct {
	AccountID  *string              `xml:"AccountId" json:"account_id"`
	RoleArn    *string              `xml:"RoleArn" json:"role_arn"`
	Bucket     *string              `xml:"Bucket" json:"bucket"` // "acs:oss:::<name>"
	Format     *string              `xml:"Format" json:"format"`
	Prefix     *string              `xml:"Prefix" json:"prefix"`
	Encryption *InventoryEncryption `xml:"Encryption" json:"encryption"`
}

// InventoryConfiguration is one inventory (GetBucketInventory; document kind
// "get_bucket_inventory").
type InventoryConfiguration struct {
	ID                     string                      `xml:"Id" json:"id"`
	IsEnabled              Bool                        `xml:"IsEnabled" json:"is_enabled"`
	IncludedObjectVersions string                      `xml:"IncludedObjectVersions" json:"included_object_versions"`
	Filter                 *InventoryFilter            `xml:"Filter" json:"filter"`
	Frequency              *string                     `xml:"Schedule>Frequency" json:"frequency"`
	OptionalFields         []string                    `xml:"OptionalFields>Field" json:"optional_fields"`
	Destination            *InventoryBucketDestination `xml:"Destination>OSSBucketDestination" json:"destination"`
}

// ListInventoryConfigurationsResult is one page of a bucket's inventories (kind
// "list_bucket_inventory").
type ListInventoryConfigurationsResult struct {
	Configurations        []InventoryConfiguration `xml:"InventoryConfiguration" json:"configurations"`
	ContinuationToken     *string                  `xml:"ContinuationToken" json:"continuation_token"`
	IsTruncated           *Bool                    `xml:"IsTruncated" json:"is_truncated"`
	NextContinuationToken *string                  `xml:"NextContinuationToken" json:"next_continuation_token"`
}
