package oss

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The bucket families' documents (WORM, replication, inventory, ...) decoded into their typed
// structs: the JSON pyjindo reads, ints typed, an absent optional element null.
func TestFamilyDocumentsParseTyped(t *testing.T) {
	cases := []struct {
		kind, doc string
		want      map[string]any
	}{
		{"get_bucket_worm", `<?xml version="1.0" encoding="UTF-8"?><WormConfiguration><WormId>1666E2</WormId>
<State>Locked</State><RetentionPeriodInDays>365</RetentionPeriodInDays><CreationDate>2020-10-15T15:50:32</CreationDate>
</WormConfiguration>`, map[string]any{"worm_id": "1666E2", "state": "Locked", "retention_period_days": float64(365),
			"creation_date": "2020-10-15T15:50:32", "expiration_date": nil}},
		{"get_bucket_replication_progress", `<ReplicationProgress><Rule><ID>r</ID><Destination><Bucket>d</Bucket>
<Location>oss-cn-beijing</Location></Destination><Status>doing</Status><HistoricalObjectReplication>enabled</HistoricalObjectReplication>
<Action>PUT</Action><Progress><HistoricalObject>0.85</HistoricalObject><NewObject>2015-09-24T15:28:14.000Z</NewObject></Progress></Rule>
</ReplicationProgress>`, map[string]any{"rule": map[string]any{"id": "r", "destination": map[string]any{"bucket": "d",
			"location": "oss-cn-beijing", "transfer_type": nil, "cloud": nil, "cloud_location": nil}, "status": "doing",
			"historical_object_replication": "enabled", "prefix_set": nil, "action": "PUT", "sync_role": nil,
			"replica_kms_key_id": nil, "sse_kms_encrypted_objects_status": nil, "historical_object": "0.85",
			"new_object": "2015-09-24T15:28:14.000Z"}}},
		{"get_bucket_replication_location", `<ReplicationLocation><Location>oss-cn-beijing</Location><Location>oss-us-west-1</Location>
<LocationTransferTypeConstraint><LocationTransferType><Location>oss-us-west-1</Location><TransferTypes><Type>oss_acc</Type>
</TransferTypes></LocationTransferType></LocationTransferTypeConstraint></ReplicationLocation>`, map[string]any{
			"locations": []any{"oss-cn-beijing", "oss-us-west-1"}, "location_transfer_types": []any{
				map[string]any{"location": "oss-us-west-1", "transfer_types": []any{"oss_acc"}}}}},
		{"list_bucket_inventory", `<ListInventoryConfigurationsResult><InventoryConfiguration><Id>a</Id><IsEnabled>true</IsEnabled>
<Destination><OSSBucketDestination><Bucket>acs:oss:::d</Bucket><Encryption><SSE-OSS/></Encryption></OSSBucketDestination></Destination>
<Schedule><Frequency>Daily</Frequency></Schedule><IncludedObjectVersions>All</IncludedObjectVersions></InventoryConfiguration>
<IsTruncated>false</IsTruncated></ListInventoryConfigurationsResult>`, map[string]any{"configurations": []any{map[string]any{
			"id": "a", "is_enabled": "true", "included_object_versions": "All", "filter": nil, "frequency": "Daily",
			"optional_fields": nil, "destination": map[string]any{"account_id": nil, "role_arn": nil, "bucket": "acs:oss:::d",
				"format": nil, "prefix": nil, "encryption": map[string]any{"sse_kms": nil, "sse_oss": map[string]any{}}}}},
			"continuation_token": nil, "is_truncated": false, "next_continuation_token": nil}},
		{"list_resource_pool_buckets", `<ListResourcePoolBucketsResult><ResourcePool>p</ResourcePool><IsTruncated>false</IsTruncated>
<ResourcePoolBucket><Name>b</Name><JoinTime>2024-07-18T08:02:18.000Z</JoinTime></ResourcePoolBucket></ListResourcePoolBucketsResult>`,
			map[string]any{"resource_pool": "p", "continuation_token": nil, "next_continuation_token": nil, "is_truncated": "false",
				"buckets": []any{map[string]any{"name": "b", "create_time": nil, "join_time": "2024-07-18T08:02:18.000Z"}}}},
		{"get_requester_qos_info", `<RequesterQoSInfo><Requester>21234567890</Requester><QoSConfiguration>
<TotalUploadBandwidth>10</TotalUploadBandwidth><TotalQps>-1</TotalQps></QoSConfiguration></RequesterQoSInfo>`, map[string]any{
			"requester": "21234567890", "qos_configuration": map[string]any{"region": nil, "total_upload_bw": float64(10),
				"intranet_upload_bw": nil, "extranet_upload_bw": nil, "total_download_bw": nil, "intranet_download_bw": nil,
				"extranet_download_bw": nil, "total_qps": float64(-1), "intranet_qps": nil, "extranet_qps": nil}}},
	}
	for _, c := range cases {
		if got := parseJSON(t, c.kind, c.doc); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c.kind, got, c.want)
		}
	}
}

// Every typed kind decodes a document with none of its elements (a struct whose tags conflict
// fails here) into JSON.
func TestEveryTypedKindDecodes(t *testing.T) {
	for kind := range typedDocuments {
		v, err := ParseDocument(kind, []byte("<Root/>"))
		if err != nil {
			t.Errorf("%s: %v", kind, err)
			continue
		}
		if _, err := json.Marshal(v); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}
