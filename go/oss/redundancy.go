package oss

// DataRedundancyTransition is a bucket's LRS-to-ZRS task (kind
// "get_bucket_data_redundancy_transition"; CreateBucketDataRedundancyTransition's answer has
// only TaskId). A pointer is an element OSS may leave out (JSON null when it did).
type DataRedundancyTransition struct {
	Bucket                 *string `xml:"Bucket" json:"bucket"`
	TaskID                 *string `xml:"TaskId" json:"task_id"`
	Status                 *string `xml:"Status" json:"status"` // Queueing, Processing or Finished
	CreateTime             *string `xml:"CreateTime" json:"create_time"`
	StartTime              *string `xml:"StartTime" json:"start_time"`
	EndTime                *string `xml:"EndTime" json:"end_time"`
	EstimatedRemainingTime *int64  `xml:"EstimatedRemainingTime" json:"estimated_remaining_time"`
	ProcessPercentage      *int64  `xml:"ProcessPercentage" json:"process_percentage"`
}

// DataRedundancyTransitions lists tasks, of a bucket or (paged) of the account (kind
// "list_data_redundancy_transitions").
type DataRedundancyTransitions struct {
	IsTruncated           *Bool                      `xml:"IsTruncated" json:"is_truncated"`
	NextContinuationToken *string                    `xml:"NextContinuationToken" json:"next_continuation_token"`
	Transitions           []DataRedundancyTransition `xml:"BucketDataRedundancyTransition" json:"transitions"`
}
