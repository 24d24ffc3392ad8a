package oss

// The documents of the bucket and object settings (GET ?acl, ?tagging, ?cors, ?lifecycle,
// ?referer, ?logging, ?website, ?encryption, ?versioning, ?requestPayment). Their JSON is the
// shape pyjindo's models read (document kinds in parse.go): a pointer is an element OSS may
// leave out, null when it did; lists are never null.

// AccessControlPolicy is GetObjectACL's and GetBucketACL's answer.
type AccessControlPolicy struct {
	Owner Owner  `xml:"Owner" json:"owner"`
	Grant string `xml:"AccessControlList>Grant" json:"grant"`
}

// Tag is one key and value: of a tag set, a lifecycle rule, a website rule's mirror headers.
type Tag struct {
	Key   string `xml:"Key" json:"key"`
	Value string `xml:"Value" json:"value"`
}

// Tagging is GetObjectTagging's and GetBucketTagging's answer; keys and values are decoded when
// the document says encoding type url.
type Tagging struct {
	EncodingType string `xml:"EncodingType" json:"-"`
	Tags         []Tag  `xml:"TagSet>Tag" json:"tags"`
}

func (t *Tagging) finish() {
	for i := range t.Tags {
		decodeNames(t.EncodingType, &t.Tags[i].Key, &t.Tags[i].Value)
	}
}

// CORSConfiguration is GetBucketCors' answer.
type CORSConfiguration struct {
	Rules        []CORSRule `xml:"CORSRule" json:"rules"`
	ResponseVary *Bool      `xml:"ResponseVary" json:"response_vary"`
}

// CORSRule is one rule of a CORSConfiguration.
type CORSRule struct {
	AllowedOrigins []string `xml:"AllowedOrigin" json:"allowed_origins"`
	AllowedMethods []string `xml:"AllowedMethod" json:"allowed_methods"`
	AllowedHeaders []string `xml:"AllowedHeader" json:"allowed_headers"`
	ExposeHeaders  []string `xml:"ExposeHeader" json:"expose_headers"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds" json:"max_age_seconds"`
}

// LifecycleConfiguration is GetBucketLifecycle's answer.
type LifecycleConfiguration struct {
	Rules []LifecycleRule `xml:"Rule" json:"rules"`
}

// LifecycleRule is one rule of a LifecycleConfiguration.
type LifecycleRule struct {
	ID                           string                   `xml:"ID" json:"id"`
	Prefix                       string                   `xml:"Prefix" json:"prefix"`
	Status                       string                   `xml:"Status" json:"status"`
	Expiration                   *LifecycleExpiration     `xml:"Expiration" json:"expiration"`
	AbortMultipartUpload         *LifecycleTransition     `xml:"AbortMultipartUpload" json:"abort_multipart_upload"`
	Transitions                  []LifecycleTransition    `xml:"Transition" json:"transitions"`
	Tags                         []Tag                    `xml:"Tag" json:"tags"`
	NoncurrentVersionExpiration  *LifecycleNoncurrentDays `xml:"NoncurrentVersionExpiration" json:"noncurrent_version_expiration"`
	NoncurrentVersionTransitions []LifecycleTransition    `xml:"NoncurrentVersionTransition" json:"noncurrent_version_transitions"`
	AtimeBase                    int64                    `xml:"AtimeBase" json:"atime_base"`
	Filter                       *LifecycleFilter         `xml:"Filter" json:"filter"`
}

// LifecycleExpiration is when a rule deletes objects: after Days, at Date, before
// CreatedBeforeDate, or (ExpiredObjectDeleteMarker) the delete markers left alone.
type LifecycleExpiration struct {
	Days                      *int    `xml:"Days" json:"days"`
	Date                      *string `xml:"Date" json:"date"`
	CreatedBeforeDate         *string `xml:"CreatedBeforeDate" json:"created_before_date"`
	ExpiredObjectDeleteMarker *Bool   `xml:"ExpiredObjectDeleteMarker" json:"expired_object_delete_marker"`
}

// LifecycleTransition is a rule's Transition, NoncurrentVersionTransition or
// AbortMultipartUpload: when (Days, CreatedBeforeDate or NoncurrentDays), and for a transition
// the storage class and its flags.
type LifecycleTransition struct {
	Days                 *int    `xml:"Days" json:"days"`
	CreatedBeforeDate    *string `xml:"CreatedBeforeDate" json:"created_before_date"`
	NoncurrentDays       int     `xml:"NoncurrentDays" json:"noncurrent_days"`
	StorageClass         string  `xml:"StorageClass" json:"storage_class"`
	IsAccessTime         *Bool   `xml:"IsAccessTime" json:"is_access_time"`
	ReturnToStdWhenVisit *Bool   `xml:"ReturnToStdWhenVisit" json:"return_to_std_when_visit"`
	AllowSmallFile       *Bool   `xml:"AllowSmallFile" json:"allow_small_file"`
}

// LifecycleNoncurrentDays is a rule's NoncurrentVersionExpiration.
type LifecycleNoncurrentDays struct {
	NoncurrentDays int `xml:"NoncurrentDays" json:"noncurrent_days"`
}

// LifecycleFilter narrows a rule: object size bounds and the objects it leaves out.
type LifecycleFilter struct {
	ObjectSizeGreaterThan *int64         `xml:"ObjectSizeGreaterThan" json:"object_size_greater_than"`
	ObjectSizeLessThan    *int64         `xml:"ObjectSizeLessThan" json:"object_size_less_than"`
	Not                   []LifecycleNot `xml:"Not" json:"not"`
}

// LifecycleNot is objects a rule leaves out: a prefix and a tag.
type LifecycleNot struct {
	Prefix   *string `xml:"Prefix" json:"prefix"`
	TagKey   *string `xml:"Tag>Key" json:"tag_key"`
	TagValue *string `xml:"Tag>Value" json:"tag_value"`
}

// RefererConfiguration is GetBucketReferer's answer.
type RefererConfiguration struct {
	AllowEmptyReferer        Bool     `xml:"AllowEmptyReferer" json:"allow_empty_referer"`
	AllowTruncateQueryString *Bool    `xml:"AllowTruncateQueryString" json:"allow_truncate_query_string"`
	Referers                 []string `xml:"RefererList>Referer" json:"referers"`
	BlackReferers            []string `xml:"RefererBlacklist>Referer" json:"black_referers"`
}

// BucketLoggingStatus is GetBucketLogging's answer; no LoggingEnabled when logging is off.
type BucketLoggingStatus struct {
	TargetBucket *string `xml:"LoggingEnabled>TargetBucket" json:"target_bucket"`
	TargetPrefix *string `xml:"LoggingEnabled>TargetPrefix" json:"target_prefix"`
}

// BucketEncryption is GetBucketEncryption's answer.
type BucketEncryption struct {
	Rule ServerSideEncryptionRule `xml:"ApplyServerSideEncryptionByDefault" json:"rule"`
}

// VersioningConfiguration is GetBucketVersioning's answer; no Status for a bucket that never
// had versioning.
type VersioningConfiguration struct {
	Status *string `xml:"Status" json:"status"`
}

// RequestPaymentConfiguration is GetBucketRequestPayment's answer.
type RequestPaymentConfiguration struct {
	Payer string `xml:"Payer" json:"payer"`
}

// WebsiteConfiguration is GetBucketWebsite's answer.
type WebsiteConfiguration struct {
	IndexSuffix *string       `xml:"IndexDocument>Suffix" json:"index_file"`
	ErrorKey    *string       `xml:"ErrorDocument>Key" json:"error_file"`
	Rules       []RoutingRule `xml:"RoutingRules>RoutingRule" json:"rules"`
}

// RoutingRule is one routing rule of a website: when it applies and where it sends.
type RoutingRule struct {
	RuleNumber int              `xml:"RuleNumber" json:"rule_number"`
	Condition  RoutingCondition `xml:"Condition" json:"condition"`
	Redirect   RoutingRedirect  `xml:"Redirect" json:"redirect"`
}

// RoutingCondition is when a routing rule applies.
type RoutingCondition struct {
	KeyPrefixEquals             *string         `xml:"KeyPrefixEquals" json:"key_prefix_equals"`
	HTTPErrorCodeReturnedEquals *int            `xml:"HttpErrorCodeReturnedEquals" json:"http_error_code_returned_equals"`
	IncludeHeaders              []IncludeHeader `xml:"IncludeHeader" json:"include_headers"`
}

// IncludeHeader is a request header a routing condition requires.
type IncludeHeader struct {
	Key    string `xml:"Key" json:"key"`
	Equals string `xml:"Equals" json:"equals"`
}

// RoutingRedirect is where a routing rule sends a request (Mirror: the origin it fetches from).
type RoutingRedirect struct {
	RedirectType          string         `xml:"RedirectType" json:"redirect_type"`
	PassQueryString       *Bool          `xml:"PassQueryString" json:"pass_query_string"`
	Protocol              *string        `xml:"Protocol" json:"protocol"`
	HostName              *string        `xml:"HostName" json:"host_name"`
	HTTPRedirectCode      *int           `xml:"HttpRedirectCode" json:"http_redirect_code"`
	ReplaceKeyWith        *string        `xml:"ReplaceKeyWith" json:"replace_key_with"`
	ReplaceKeyPrefixWith  *string        `xml:"ReplaceKeyPrefixWith" json:"replace_key_prefix_with"`
	MirrorURL             *string        `xml:"MirrorURL" json:"mirror_url"`
	MirrorURLSlave        *string        `xml:"MirrorURLSlave" json:"mirror_url_slave"`
	MirrorURLProbe        *string        `xml:"MirrorURLProbe" json:"mirror_url_probe"`
	MirrorPassQueryString *Bool          `xml:"MirrorPassQueryString" json:"mirror_pass_query_string"`
	MirrorCheckMd5        *Bool          `xml:"MirrorCheckMd5" json:"mirror_check_md5"`
	MirrorFollowRedirect  *Bool          `xml:"MirrorFollowRedirect" json:"mirror_follow_redirect"`
	MirrorHeaders         *MirrorHeaders `xml:"MirrorHeaders" json:"mirror_headers"`
}

// MirrorHeaders is which request headers a Mirror redirect passes on, removes or sets.
type MirrorHeaders struct {
	PassAll *Bool    `xml:"PassAll" json:"pass_all"`
	Pass    []string `xml:"Pass" json:"pass"`
	Remove  []string `xml:"Remove" json:"remove"`
	Set     []Tag    `xml:"Set" json:"set"`
}
