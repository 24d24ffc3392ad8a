package oss

// The metadata query documents. A pointer is an element OSS may leave out (JSON null when it
// did); numbers stay text, as OSS wrote them.

// MetaQueryStatus is GetMetaQueryStatus's answer (kind "get_bucket_meta_query_status").
type MetaQueryStatus struct {
	State      string `xml:"State" json:"state"`
	Phase      string `xml:"Phase" json:"phase"`
	CreateTime string `xml:"CreateTime" json:"create_time"`
	UpdateTime string `xml:"UpdateTime" json:"update_time"`
}

// MetaQueryPair is a tag or a user metadata entry of a found object.
type MetaQueryPair struct {
	Key   string `xml:"Key" json:"key"`
	Value string `xml:"Value" json:"value"`
}

// MetaQueryFile is one object a metadata query found.
type MetaQueryFile struct {
	Filename         string          `xml:"Filename" json:"filename"`
	Size             *string         `xml:"Size" json:"size"`
	FileModifiedTime *string         `xml:"FileModifiedTime" json:"file_modified_time"`
	FileCreateTime   *string         `xml:"FileCreateTime" json:"file_create_time"`
	FileAccessTime   *string         `xml:"FileAccessTime" json:"file_access_time"`
	OSSObjectType    *string         `xml:"OSSObjectType" json:"oss_object_type"`
	OSSStorageClass  *string         `xml:"OSSStorageClass" json:"oss_storage_class"`
	ObjectACL        *string         `xml:"ObjectACL" json:"object_acl"`
	ETag             *string         `xml:"ETag" json:"etag"`
	OSSCRC64         *string         `xml:"OSSCRC64" json:"oss_crc64"`
	OSSTaggingCount  *string         `xml:"OSSTaggingCount" json:"oss_tagging_count"`
	OSSTagging       []MetaQueryPair `xml:"OSSTagging>Tagging" json:"oss_tagging"`
	OSSUserMeta      []MetaQueryPair `xml:"OSSUserMeta>UserMeta" json:"oss_user_meta"`
}

// MetaQueryGroup is one value of a group aggregation and how many objects have it.
type MetaQueryGroup struct {
	Value string  `xml:"Value" json:"value"`
	Count *string `xml:"Count" json:"count"`
}

// MetaQueryAggregation is one aggregation's result.
type MetaQueryAggregation struct {
	Field     string           `xml:"Field" json:"field"`
	Operation string           `xml:"Operation" json:"operation"`
	Value     *string          `xml:"Value" json:"value"`
	Groups    []MetaQueryGroup `xml:"Groups>Group" json:"groups"`
}

// MetaQueryResult is DoMetaQuery's answer (kind "do_bucket_meta_query").
type MetaQueryResult struct {
	NextToken    string                 `xml:"NextToken" json:"next_token"`
	Files        []MetaQueryFile        `xml:"Files>File" json:"files"`
	Aggregations []MetaQueryAggregation `xml:"Aggregations>Aggregation" json:"aggregations"`
}
