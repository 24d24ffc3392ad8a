package oss

// The one-value bucket settings of the families and the callback policy. A pointer is an
// element OSS may leave out (JSON null when it did).

// TransferAccelerationConfiguration is GetBucketTransferAcceleration's answer (kind
// "get_bucket_transfer_acceleration").
type TransferAccelerationConfiguration struct {
	Enabled string `xml:"Enabled" json:"enabled"` // "true" or "false", as OSS wrote it
}

// AccessMonitorConfiguration is GetBucketAccessMonitor's answer (kind
// "get_bucket_access_monitor").
type AccessMonitorConfiguration struct {
	Status string `xml:"Status" json:"status"` // Enabled or Disabled
}

// BucketResourceGroupConfiguration is GetBucketResourceGroup's answer (kind
// "get_bucket_resource_group").
type BucketResourceGroupConfiguration struct {
	ResourceGroupID string `xml:"ResourceGroupId" json:"resource_group_id"`
}

// ArchiveDirectReadConfiguration is GetBucketArchiveDirectRead's answer (kind
// "get_bucket_archive_direct_read").
type ArchiveDirectReadConfiguration struct {
	Enabled *Bool `xml:"Enabled" json:"enabled"`
}

// CallbackPolicyItem is one named callback of a bucket's callback policy.
type CallbackPolicyItem struct {
	PolicyName  *string `xml:"PolicyName" json:"policy_name"`
	Callback    *string `xml:"Callback" json:"callback"`
	CallbackVar *string `xml:"CallbackVar" json:"callback_var"`
}

// BucketCallbackPolicy is GetBucketCallbackPolicy's answer (kind "get_bucket_callback_policy").
type BucketCallbackPolicy struct {
	Items []CallbackPolicyItem `xml:"PolicyItem" json:"items"`
}
