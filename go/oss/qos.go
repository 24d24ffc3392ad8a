package oss

// The QoS and resource pool documents. A pointer is an element OSS may leave out (JSON null
// when it did).

// QoSConfiguration is a set of bandwidth (Gbps) and QPS limits, -1 for none of its own (kind
// "get_qos_info", for a bucket's or, with Region, the account's).
type QoSConfiguration struct {
	Region                    *string `xml:"Region" json:"region"`
	TotalUploadBandwidth      *int64  `xml:"TotalUploadBandwidth" json:"total_upload_bw"`
	IntranetUploadBandwidth   *int64  `xml:"IntranetUploadBandwidth" json:"intranet_upload_bw"`
	ExtranetUploadBandwidth   *int64  `xml:"ExtranetUploadBandwidth" json:"extranet_upload_bw"`
	TotalDownloadBandwidth    *int64  `xml:"TotalDownloadBandwidth" json:"total_download_bw"`
	IntranetDownloadBandwidth *int64  `xml:"IntranetDownloadBandwidth" json:"intranet_download_bw"`
	ExtranetDownloadBandwidth *int64  `xml:"ExtranetDownloadBandwidth" json:"extranet_download_bw"`
	TotalQps                  *int64  `xml:"TotalQps" json:"total_qps"`
	IntranetQps               *int64  `xml:"IntranetQps" json:"intranet_qps"`
	ExtranetQps               *int64  `xml:"ExtranetQps" json:"extranet_qps"`
}

// BucketUserQos is GetBucketStorageCapacity's answer (kind "get_bucket_storage_capacity").
type BucketUserQos struct {
	StorageCapacity int64 `xml:"StorageCapacity" json:"storage_capacity"` // GB, -1 for no limit
}

// RequesterQoSInfo is one requester's limits (kind "get_requester_qos_info").
type RequesterQoSInfo struct {
	Requester        *string           `xml:"Requester" json:"requester"`
	QoSConfiguration *QoSConfiguration `xml:"QoSConfiguration" json:"qos_configuration"`
}

// RequesterQoSInfos is one page of requesters' limits, of a bucket or a resource pool (kind
// "list_requester_qos_infos").
type RequesterQoSInfos struct {
	Bucket                *string            `xml:"Bucket" json:"bucket"`
	ResourcePool          *string            `xml:"ResourcePool" json:"resource_pool"`
	ContinuationToken     *string            `xml:"ContinuationToken" json:"continuation_token"`
	NextContinuationToken *string            `xml:"NextContinuationToken" json:"next_continuation_token"`
	IsTruncated           Bool               `xml:"IsTruncated" json:"is_truncated"`
	Infos                 []RequesterQoSInfo `xml:"RequesterQoSInfo" json:"infos"`
}

// ResourcePoolSummary is one resource pool of a listing, or one bucket of a pool.
type ResourcePoolSummary struct {
	Name       *string `xml:"Name" json:"name"`
	CreateTime *string `xml:"CreateTime" json:"create_time"`
	JoinTime   *string `xml:"JoinTime" json:"join_time"`
}

// ResourcePools is one page of the account's resource pools (kind "list_resource_pools").
type ResourcePools struct {
	Region                *string               `xml:"Region" json:"region"`
	Owner                 *string               `xml:"Owner" json:"owner"`
	ContinuationToken     *string               `xml:"ContinuationToken" json:"continuation_token"`
	NextContinuationToken *string               `xml:"NextContinuationToken" json:"next_continuation_token"`
	IsTruncated           Bool                  `xml:"IsTruncated" json:"is_truncated"`
	Pools                 []ResourcePoolSummary `xml:"ResourcePool" json:"pools"`
}

// ResourcePoolBuckets is one page of a resource pool's buckets (kind
// "list_resource_pool_buckets").
type ResourcePoolBuckets struct {
	ResourcePool          *string               `xml:"ResourcePool" json:"resource_pool"`
	ContinuationToken     *string               `xml:"ContinuationToken" json:"continuation_token"`
	NextContinuationToken *string               `xml:"NextContinuationToken" json:"next_continuation_token"`
	IsTruncated           Bool                  `xml:"IsTruncated" json:"is_truncated"`
	Buckets               []ResourcePoolSummary `xml:"ResourcePoolBucket" json:"buckets"`
}

// ResourcePoolInfo is GetResourcePoolInfo's answer (kind "get_resource_pool_info").
type ResourcePoolInfo struct {
	Region           *string           `xml:"Region" json:"region"`
	Name             *string           `xml:"Name" json:"name"`
	Owner            *string           `xml:"Owner" json:"owner"`
	CreateTime       *string           `xml:"CreateTime" json:"create_time"`
	QoSConfiguration *QoSConfiguration `xml:"QoSConfiguration" json:"qos_configuration"`
}
