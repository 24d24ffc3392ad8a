package oss

// AsyncFetchTaskInfo is GetAsyncFetchTask's answer (kind "async_fetch_task"; PutAsyncFetchTask's
// answer has only TaskId). A pointer is an element OSS may leave out (JSON null when it did).
type AsyncFetchTaskInfo struct {
	TaskID   string  `xml:"TaskId" json:"task_id"`
	State    *string `xml:"State" json:"state"`
	ErrorMsg *string `xml:"ErrorMsg" json:"error_msg"`
	TaskInfo *struct {
		URL           string `xml:"Url" json:"url"`
		Object        string `xml:"Object" json:"object"`
		Host          string `xml:"Host" json:"host"`
		ContentMD5    string `xml:"ContentMD5" json:"content_md5"`
		Callback      string `xml:"Callback" json:"callback"`
		IgnoreSameKey Bool   `xml:"IgnoreSameKey" json:"ignore_same_key"`
	} `xml:"TaskInfo" json:"task_info"`
}
