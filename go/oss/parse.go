package oss

import (
	"bytes"
	"fmt"
	"reflect"
)

// ParseDocument decodes an OSS response document of the given kind into its typed result, the
// one shape pyjindo reads (the result's JSON); nil for an empty body.
func ParseDocument(kind string, doc []byte) (any, error) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil, nil
	}
	decode, ok := typedDocuments[kind]
	if !ok {
		return nil, &ClientError{Message: fmt.Sprintf("oss: no document kind %q", kind)}
	}
	return decode(doc)
}

// typedDocuments are the document kinds: the struct go/oss decodes each into, whose JSON tags
// are the one shape pyjindo reads (no snake_case guessing, ints and bools typed, an absent
// optional element null, lists never null). testdata/documents has a sample of each.
var typedDocuments = map[string]func(doc []byte) (any, error){
	"list_buckets":                          typed[ListBucketsResult]("list buckets"),
	"init_multipart_upload":                 typed[InitiateMultipartUploadResult]("initiate multipart upload"),
	"list_objects":                          typed[ListObjectsResult]("list objects"),
	"list_objects_v2":                       typed[ListObjectsV2Result]("list objects v2"),
	"list_parts":                            typed[ListPartsResult]("list parts"),
	"list_multipart_uploads":                typed[ListMultipartUploadsResult]("list multipart uploads"),
	"list_object_versions":                  typed[ListObjectVersionsResult]("list object versions"),
	"get_bucket_info":                       typed[BucketInfo]("get bucket info"),
	"get_bucket_stat":                       typed[BucketStat]("get bucket stat"),
	"get_bucket_location":                   typed[BucketLocation]("get bucket location"),
	"get_object_acl":                        typed[AccessControlPolicy]("get acl"),
	"get_bucket_acl":                        typed[AccessControlPolicy]("get acl"),
	"get_tagging":                           typed[Tagging]("get tagging"),
	"get_bucket_cors":                       typed[CORSConfiguration]("get bucket cors"),
	"get_bucket_lifecycle":                  typed[LifecycleConfiguration]("get bucket lifecycle"),
	"get_bucket_referer":                    typed[RefererConfiguration]("get bucket referer"),
	"get_bucket_logging":                    typed[BucketLoggingStatus]("get bucket logging"),
	"get_bucket_encryption":                 typed[BucketEncryption]("get bucket encryption"),
	"get_bucket_versioning":                 typed[VersioningConfiguration]("get bucket versioning"),
	"get_bucket_request_payment":            typed[RequestPaymentConfiguration]("get bucket request payment"),
	"get_bucket_website":                    typed[WebsiteConfiguration]("get bucket website"),
	"get_bucket_worm":                       typed[WormConfiguration]("get bucket worm"),
	"get_bucket_replication":                typed[ReplicationConfiguration]("get bucket replication"),
	"get_bucket_replication_progress":       typed[ReplicationProgress]("get bucket replication progress"),
	"get_bucket_replication_location":       typed[ReplicationLocation]("get bucket replication location"),
	"get_bucket_inventory":                  typed[InventoryConfiguration]("get bucket inventory"),
	"list_bucket_inventory":                 typed[ListInventoryConfigurationsResult]("list bucket inventory"),
	"cname_token":                           typed[CnameToken]("cname token"),
	"list_bucket_cname":                     typed[ListCnameResult]("list bucket cname"),
	"get_bucket_https_config":               typed[HttpsConfiguration]("get bucket https config"),
	"create_access_point":                   typed[CreateAccessPointResult]("create access point"),
	"get_access_point":                      typed[GetAccessPointResult]("get access point"),
	"list_access_points":                    typed[ListAccessPointsResult]("list access points"),
	"get_public_access_block":               typed[PublicAccessBlockConfiguration]("get public access block"),
	"get_bucket_transfer_acceleration":      typed[TransferAccelerationConfiguration]("get bucket transfer acceleration"),
	"get_bucket_access_monitor":             typed[AccessMonitorConfiguration]("get bucket access monitor"),
	"get_bucket_resource_group":             typed[BucketResourceGroupConfiguration]("get bucket resource group"),
	"get_bucket_archive_direct_read":        typed[ArchiveDirectReadConfiguration]("get bucket archive direct read"),
	"get_bucket_callback_policy":            typed[BucketCallbackPolicy]("get bucket callback policy"),
	"describe_regions":                      typed[RegionInfoList]("describe regions"),
	"get_qos_info":                          typed[QoSConfiguration]("get qos info"),
	"get_bucket_storage_capacity":           typed[BucketUserQos]("get bucket storage capacity"),
	"get_requester_qos_info":                typed[RequesterQoSInfo]("get requester qos info"),
	"list_requester_qos_infos":              typed[RequesterQoSInfos]("list requester qos infos"),
	"list_resource_pools":                   typed[ResourcePools]("list resource pools"),
	"list_resource_pool_buckets":            typed[ResourcePoolBuckets]("list resource pool buckets"),
	"get_resource_pool_info":                typed[ResourcePoolInfo]("get resource pool info"),
	"get_bucket_data_redundancy_transition": typed[DataRedundancyTransition]("get bucket data redundancy transition"),
	"list_data_redundancy_transitions":      typed[DataRedundancyTransitions]("list data redundancy transitions"),
	"async_fetch_task":                      typed[AsyncFetchTaskInfo]("async fetch task"),
	"get_bucket_meta_query_status":          typed[MetaQueryStatus]("get bucket meta query status"),
	"do_bucket_meta_query":                  typed[MetaQueryResult]("do bucket meta query"),
}

// Bool is an OSS boolean element: "true" or "false" exactly, as oss2 reads them (oss2 refuses
// the "True" its own builders write for some settings, and so does this).
type Bool bool

func (b *Bool) UnmarshalText(text []byte) error {
	switch string(text) {
	case "true":
		*b = true
	case "false":
		*b = false
	default:
		return fmt.Errorf("boolean %q is neither true nor false", text)
	}
	return nil
}

// finisher is a typed result that completes itself after decoding: names decoded as the
// document's EncodingType says.
type finisher interface{ finish() }

func typed[T any](op string) func(doc []byte) (any, error) {
	return func(doc []byte) (any, error) {
		out := new(T)
		if err := decodeDocument(op, doc, out); err != nil {
			return nil, err
		}
		if f, ok := any(out).(finisher); ok {
			f.finish()
		}
		emptyLists(reflect.ValueOf(out))
		return out, nil
	}
}

// emptyLists makes every nil slice within v empty, so that a list is [] in JSON, never null.
func emptyLists(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			emptyLists(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				emptyLists(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		}
		for i := 0; i < v.Len(); i++ {
			emptyLists(v.Index(i))
		}
	}
}

// decodeNames decodes each name in place as the document's encoding type says.
func decodeNames(encodingType string, names ...*string) {
	for _, s := range names {
		*s = decodeName(*s, encodingType)
	}
}
