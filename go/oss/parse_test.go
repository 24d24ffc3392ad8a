package oss

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// parseJSON is ParseDocument's result as Python receives it: encoded as JSON, decoded again.
func parseJSON(t *testing.T, kind, doc string) map[string]any {
	t.Helper()
	v, err := ParseDocument(kind, []byte(doc))
	if err != nil {
		t.Fatalf("ParseDocument(%s): %v", kind, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func check(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %#v\n want %#v", what, got, want)
	}
}

const listV1 = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
  <Name>examplebucket</Name>
  <Prefix>fun/</Prefix>
  <Marker></Marker>
  <MaxKeys>100</MaxKeys>
  <Delimiter>/</Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <NextMarker>fun%2Fmovie%2F007.avi</NextMarker>
  <Contents>
    <Key>fun/movie/001.avi</Key>
    <LastModified>2012-02-24T08:43:07.000Z</LastModified>
    <ETag>"5B3C1A2E053D763E1B002CC607C5A0FE"</ETag>
    <Type>Normal</Type>
    <Size>344606</Size>
    <StorageClass>Standard</StorageClass>
    <Owner>
      <ID>0022012****</ID>
      <DisplayName>user-example</DisplayName>
    </Owner>
  </Contents>
  <Contents>
    <Key>fun/movie/007.avi</Key>
    <LastModified>2012-02-24T08:43:27.000Z</LastModified>
    <ETag>"5B3C1A2E053D763E1B002CC607C5A0FE"</ETag>
    <Type>Appendable</Type>
    <Size>0</Size>
    <StorageClass>IA</StorageClass>
    <RestoreInfo>ongoing-request="true"</RestoreInfo>
  </Contents>
  <CommonPrefixes>
    <Prefix>fun/movie/</Prefix>
  </CommonPrefixes>
  <CommonPrefixes>
    <Prefix>fun/test%20a/</Prefix>
  </CommonPrefixes>
</ListBucketResult>`

func TestParseListBucketV1(t *testing.T) {
	m := parseJSON(t, "list_objects", listV1)
	owner := map[string]any{"id": "0022012****", "display_name": "user-example"}
	want := map[string]any{
		"name": "examplebucket", "prefix": "fun/", "marker": "", "max_keys": float64(100), "delimiter": "/",
		"encoding_type": "url", "is_truncated": true, "next_marker": "fun/movie/007.avi",
		"contents": []any{
			map[string]any{"key": "fun/movie/001.avi", "last_modified": "2012-02-24T08:43:07.000Z",
				"etag": `"5B3C1A2E053D763E1B002CC607C5A0FE"`, "type": "Normal", "size": float64(344606),
				"storage_class": "Standard", "owner": owner, "restore_info": nil},
			map[string]any{"key": "fun/movie/007.avi", "last_modified": "2012-02-24T08:43:27.000Z",
				"etag": `"5B3C1A2E053D763E1B002CC607C5A0FE"`, "type": "Appendable", "size": float64(0),
				"storage_class": "IA", "owner": nil, "restore_info": `ongoing-request="true"`},
		},
		"common_prefixes": []any{"fun/movie/", "fun/test a/"},
	}
	check(t, "ListBucketResult v1", m, want)
}

// Keys of an encoding-type=url listing decode as oss2's urlunquote does: %XX only, '+' kept, a
// malformed escape left as it is; a listing without EncodingType is taken verbatim.
func TestParseListBucketURLDecoding(t *testing.T) {
	m := parseJSON(t, "list_objects", `<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>
<Contents><Key>a+b%20c%2Bd%zz%</Key></Contents><CommonPrefixes><Prefix>p+%2F</Prefix></CommonPrefixes></ListBucketResult>`)
	check(t, "key", m["contents"].([]any)[0].(map[string]any)["key"], "a+b c+d%zz%")
	check(t, "prefix", m["common_prefixes"], []any{"p+/"})
	raw := parseJSON(t, "list_objects", `<ListBucketResult><Contents><Key>a%20b</Key></Contents></ListBucketResult>`)
	check(t, "verbatim key", raw["contents"].([]any)[0].(map[string]any)["key"], "a%20b")
}

func TestParseListBucketSingleEntryIsList(t *testing.T) {
	m := parseJSON(t, "list_objects", `<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>
<Contents><Key>only</Key><Size>1</Size></Contents><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>`)
	check(t, "contents", len(m["contents"].([]any)), 1)
	check(t, "common_prefixes", m["common_prefixes"], []any{"p/"})
	check(t, "is_truncated", m["is_truncated"], false)
}

func TestParseListBucketEmpty(t *testing.T) {
	for _, kind := range []string{"list_objects", "list_objects_v2"} {
		m := parseJSON(t, kind, `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult>
  <Name>examplebucket</Name>
  <Prefix>nothing/</Prefix>
  <Marker></Marker>
  <MaxKeys>1000</MaxKeys>
  <Delimiter></Delimiter>
  <IsTruncated>false</IsTruncated>
</ListBucketResult>`)
		check(t, kind+" contents", m["contents"], []any{})
		check(t, kind+" common_prefixes", m["common_prefixes"], []any{})
		check(t, kind+" max_keys", m["max_keys"], float64(1000))
	}
}

func TestParseListBucketV2(t *testing.T) {
	m := parseJSON(t, "list_objects_v2", `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult>
  <Name>examplebucket</Name>
  <Prefix>a/</Prefix>
  <StartAfter>a/b</StartAfter>
  <ContinuationToken>CgJiYw--</ContinuationToken>
  <MaxKeys>3</MaxKeys>
  <Delimiter>/</Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>CgJiZA--</NextContinuationToken>
  <KeyCount>2</KeyCount>
  <Contents>
    <Key>a/c%2B</Key>
    <LastModified>2020-06-22T11:42:32.000Z</LastModified>
    <ETag>"5B3C1A2E053D763E1B002CC607C5A0FE"</ETag>
    <Type>Normal</Type>
    <Size>1024</Size>
    <StorageClass>Standard</StorageClass>
  </Contents>
  <CommonPrefixes>
    <Prefix>a/d/</Prefix>
  </CommonPrefixes>
</ListBucketResult>`)
	want := map[string]any{"name": "examplebucket", "prefix": "a/", "start_after": "a/b", "continuation_token": "CgJiYw--",
		"max_keys": float64(3), "delimiter": "/", "encoding_type": "url", "is_truncated": true,
		"next_continuation_token": "CgJiZA--", "key_count": float64(2),
		"contents": []any{map[string]any{"key": "a/c+", "last_modified": "2020-06-22T11:42:32.000Z",
			"etag": `"5B3C1A2E053D763E1B002CC607C5A0FE"`, "type": "Normal", "size": float64(1024), "storage_class": "Standard",
			"owner": nil, "restore_info": nil}},
		"common_prefixes": []any{"a/d/"}}
	check(t, "ListBucketResult v2", m, want)
}

func TestParseInitiateMultipartUpload(t *testing.T) {
	m := parseJSON(t, "init_multipart_upload", `<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <Bucket>oss-example</Bucket>
    <Key>multipart.data</Key>
    <UploadId>0004B9894A22E5B1888A1E29F823****</UploadId>
    <EncodingType>url</EncodingType>
</InitiateMultipartUploadResult>`)
	check(t, "InitiateMultipartUploadResult", m, map[string]any{"upload_id": "0004B9894A22E5B1888A1E29F823****"})
}

func TestParseListParts(t *testing.T) {
	m := parseJSON(t, "list_parts", `<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <Bucket>multipart_upload</Bucket>
    <Key>multipart.data</Key>
    <UploadId>0004B999EF5A239BB9138C6227D6****</UploadId>
    <NextPartNumberMarker>5</NextPartNumberMarker>
    <MaxParts>1000</MaxParts>
    <IsTruncated>false</IsTruncated>
    <Part>
        <PartNumber>1</PartNumber>
        <LastModified>2012-02-23T07:01:34.000Z</LastModified>
        <ETag>"3349DC700140D7F86A0784842780****"</ETag>
        <HashCrc64ecma>1609006434444223244</HashCrc64ecma>
        <Size>6291456</Size>
    </Part>
    <Part>
        <PartNumber>2</PartNumber>
        <LastModified>2012-02-23T07:01:12.000Z</LastModified>
        <ETag>"3349DC700140D7F86A0784842780****"</ETag>
        <Size>1024</Size>
    </Part>
</ListPartsResult>`)
	want := map[string]any{"bucket": "multipart_upload", "key": "multipart.data", "upload_id": "0004B999EF5A239BB9138C6227D6****",
		"part_number_marker": float64(0), "next_part_number_marker": float64(5), "max_parts": float64(1000), "is_truncated": false,
		"parts": []any{
			map[string]any{"part_number": float64(1), "last_modified": "2012-02-23T07:01:34.000Z",
				"etag": `"3349DC700140D7F86A0784842780****"`, "hash_crc64ecma": "1609006434444223244", "size": float64(6291456)},
			map[string]any{"part_number": float64(2), "last_modified": "2012-02-23T07:01:12.000Z",
				"etag": `"3349DC700140D7F86A0784842780****"`, "hash_crc64ecma": "", "size": float64(1024)},
		}}
	check(t, "ListPartsResult", m, want)

	one := parseJSON(t, "list_parts", `<ListPartsResult><Part><PartNumber>7</PartNumber><Size>5</Size></Part></ListPartsResult>`)
	check(t, "single part", len(one["parts"].([]any)), 1)
	none := parseJSON(t, "list_parts", `<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>`)
	check(t, "no parts", none["parts"], []any{})
}

func TestParseListMultipartUploads(t *testing.T) {
	m := parseJSON(t, "list_multipart_uploads", `<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <Bucket>oss-example</Bucket>
    <EncodingType>url</EncodingType>
    <KeyMarker></KeyMarker>
    <UploadIdMarker></UploadIdMarker>
    <NextKeyMarker>oss%2B.avi</NextKeyMarker>
    <NextUploadIdMarker>0004B99B8E707874FC2D692FA5D7****</NextUploadIdMarker>
    <Delimiter>/</Delimiter>
    <Prefix></Prefix>
    <MaxUploads>1000</MaxUploads>
    <IsTruncated>false</IsTruncated>
    <Upload>
        <Key>multipart.data</Key>
        <UploadId>0004B999EF518A1FE585B0C9360D****</UploadId>
        <StorageClass>Standard</StorageClass>
        <Initiated>2012-02-23T04:18:23.000Z</Initiated>
    </Upload>
    <Upload>
        <Key>x%20y+z</Key>
        <UploadId>0004B999EF5A239BB9138C6227D6****</UploadId>
        <StorageClass>Standard</StorageClass>
        <Initiated>2012-02-23T04:18:24.000Z</Initiated>
    </Upload>
    <CommonPrefixes>
        <Prefix>dir/</Prefix>
    </CommonPrefixes>
</ListMultipartUploadsResult>`)
	want := map[string]any{"bucket": "oss-example", "encoding_type": "url", "key_marker": "", "upload_id_marker": "",
		"next_key_marker": "oss+.avi", "next_upload_id_marker": "0004B99B8E707874FC2D692FA5D7****", "delimiter": "/", "prefix": "",
		"max_uploads": float64(1000), "is_truncated": false,
		"uploads": []any{
			map[string]any{"key": "multipart.data", "upload_id": "0004B999EF518A1FE585B0C9360D****", "storage_class": "Standard", "initiated": "2012-02-23T04:18:23.000Z"},
			map[string]any{"key": "x y+z", "upload_id": "0004B999EF5A239BB9138C6227D6****", "storage_class": "Standard", "initiated": "2012-02-23T04:18:24.000Z"},
		},
		"common_prefixes": []any{"dir/"}}
	check(t, "ListMultipartUploadsResult", m, want)
	none := parseJSON(t, "list_multipart_uploads", `<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`)
	check(t, "no uploads", none["uploads"], []any{})
	check(t, "no prefixes", none["common_prefixes"], []any{})
}

func TestParseListObjectVersions(t *testing.T) {
	m := parseJSON(t, "list_object_versions", `<?xml version="1.0" encoding="UTF-8"?>
<ListVersionsResult>
  <Name>examplebucket</Name>
  <Prefix>dir%2F</Prefix>
  <KeyMarker></KeyMarker>
  <VersionIdMarker></VersionIdMarker>
  <MaxKeys>2</MaxKeys>
  <Delimiter></Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <NextKeyMarker>dir%2Fb+c</NextKeyMarker>
  <NextVersionIdMarker>CAEQMxiBgICbof2D0BYiIGRhZjgwMzJiMjA3MjQ0ODE5MWYxZDYwMzJlZjU1****</NextVersionIdMarker>
  <DeleteMarker>
    <Key>dir%2Fa</Key>
    <VersionId>CAEQMxiBgMDNoP2D0BYiIDE3MWUxNzgxZDQxNTRiODI5OGYwZGMwNGY3MzZjNDVh</VersionId>
    <IsLatest>true</IsLatest>
    <LastModified>2019-04-09T07:27:28.000Z</LastModified>
    <Owner><ID>1234512528586****</ID><DisplayName>12345125285864390</DisplayName></Owner>
  </DeleteMarker>
  <Version>
    <Key>dir%2Fb+c</Key>
    <VersionId>CAEQMxiBgMCZov2D0BYiIDY4MDllOTc2YmY5MjQxMzdiOGI3OTlhNTU0ODIx****</VersionId>
    <IsLatest>false</IsLatest>
    <LastModified>2019-04-09T07:27:28.000Z</LastModified>
    <ETag>"250F8A0AE989679A22926A875F0A2****"</ETag>
    <Type>Normal</Type>
    <Size>93731</Size>
    <StorageClass>Standard</StorageClass>
    <Owner><ID>1234512528586****</ID><DisplayName>12345125285864390</DisplayName></Owner>
  </Version>
</ListVersionsResult>`)
	check(t, "prefix", m["prefix"], "dir/")
	check(t, "next_key_marker", m["next_key_marker"], "dir/b+c")
	check(t, "max_keys", m["max_keys"], float64(2))
	v := m["versions"].([]any)
	if len(v) != 2 {
		t.Fatalf("versions = %v", v)
	}
	marker, version := v[0].(map[string]any), v[1].(map[string]any)
	check(t, "marker kind", marker["kind"], "DeleteMarker")
	check(t, "marker key", marker["key"], "dir/a")
	check(t, "marker latest", marker["is_latest"], true)
	check(t, "version", version, map[string]any{"kind": "Version", "key": "dir/b+c",
		"version_id": "CAEQMxiBgMCZov2D0BYiIDY4MDllOTc2YmY5MjQxMzdiOGI3OTlhNTU0ODIx****", "is_latest": false,
		"last_modified": "2019-04-09T07:27:28.000Z", "etag": `"250F8A0AE989679A22926A875F0A2****"`, "type": "Normal",
		"size": float64(93731), "storage_class": "Standard", "restore_info": nil,
		"owner": map[string]any{"id": "1234512528586****", "display_name": "12345125285864390"}})
	none := parseJSON(t, "list_object_versions", `<ListVersionsResult><IsTruncated>false</IsTruncated></ListVersionsResult>`)
	check(t, "no versions", none["versions"], []any{})
	check(t, "no prefixes", none["common_prefixes"], []any{})
}

func TestParseBucketInfo(t *testing.T) {
	m := parseJSON(t, "get_bucket_info", `<?xml version="1.0" encoding="UTF-8"?>
<BucketInfo>
  <Bucket>
    <AccessMonitor>Enabled</AccessMonitor>
    <CreationDate>2013-07-31T10:56:21.000Z</CreationDate>
    <ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint>
    <IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint>
    <Location>oss-cn-hangzhou</Location>
    <StorageClass>Standard</StorageClass>
    <TransferAcceleration>Disabled</TransferAcceleration>
    <CrossRegionReplication>Disabled</CrossRegionReplication>
    <Name>oss-example</Name>
    <ResourceGroupId>rg-aek27tc********</ResourceGroupId>
    <Owner>
      <DisplayName>username</DisplayName>
      <ID>27183473914****</ID>
    </Owner>
    <AccessControlList>
      <Grant>private</Grant>
    </AccessControlList>
    <Comment></Comment>
    <ServerSideEncryptionRule>
      <SSEAlgorithm>KMS</SSEAlgorithm>
      <KMSMasterKeyID>9468da86-3509-4f8d-a61e-6eab1eac****</KMSMasterKeyID>
      <KMSDataEncryption>SM4</KMSDataEncryption>
    </ServerSideEncryptionRule>
    <BucketPolicy>
      <LogBucket>examplebucket</LogBucket>
      <LogPrefix>log/</LogPrefix>
    </BucketPolicy>
  </Bucket>
</BucketInfo>`)
	want := map[string]any{
		"access_monitor": "Enabled", "creation_date": "2013-07-31T10:56:21.000Z",
		"extranet_endpoint": "oss-cn-hangzhou.aliyuncs.com", "intranet_endpoint": "oss-cn-hangzhou-internal.aliyuncs.com",
		"location": "oss-cn-hangzhou", "storage_class": "Standard", "transfer_acceleration": "Disabled",
		"cross_region_replication": "Disabled", "name": "oss-example", "resource_group_id": "rg-aek27tc********",
		"owner": map[string]any{"display_name": "username", "id": "27183473914****"},
		"acl":   "private", "comment": "", "versioning": nil, "data_redundancy_type": nil,
		"server_side_encryption_rule": map[string]any{"sse_algorithm": "KMS",
			"kms_master_key_id": "9468da86-3509-4f8d-a61e-6eab1eac****", "kms_data_encryption": "SM4"},
	}
	check(t, "BucketInfo", m, want)
	bare := parseJSON(t, "get_bucket_info", `<BucketInfo><Bucket><Name>b</Name></Bucket></BucketInfo>`)
	check(t, "no encryption rule", bare["server_side_encryption_rule"], nil)
	check(t, "no comment", bare["comment"], nil)
}

func TestParseBucketStatAndLocation(t *testing.T) {
	m := parseJSON(t, "get_bucket_stat", `<?xml version="1.0" encoding="UTF-8"?>
<BucketStat>
  <Storage>1600</Storage>
  <ObjectCount>230</ObjectCount>
  <MultipartUploadCount>40</MultipartUploadCount>
  <LastModifiedTime>1643341269</LastModifiedTime>
  <StandardStorage>430</StandardStorage>
  <DeleteMarkerCount>0</DeleteMarkerCount>
</BucketStat>`)
	check(t, "storage", m["storage"], float64(1600))
	check(t, "multipart_upload_count", m["multipart_upload_count"], float64(40))
	check(t, "last_modified_time", m["last_modified_time"], float64(1643341269))
	check(t, "delete_marker_count", m["delete_marker_count"], float64(0))
	check(t, "absent count", m["archive_storage"], nil)
	loc := parseJSON(t, "get_bucket_location", `<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">oss-cn-hangzhou</LocationConstraint>`)
	check(t, "location", loc, map[string]any{"location": "oss-cn-hangzhou"})
}

func TestParseListAllMyBuckets(t *testing.T) {
	m := parseJSON(t, "list_buckets", `<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult>
  <Prefix>my</Prefix>
  <Marker>mybucket</Marker>
  <MaxKeys>10</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <NextMarker>mybucket10</NextMarker>
  <Owner>
    <ID>512**</ID>
    <DisplayName>51264</DisplayName>
  </Owner>
  <Buckets>
    <Bucket>
      <CreationDate>2014-02-07T18:12:43.000Z</CreationDate>
      <ExtranetEndpoint>oss-cn-shanghai.aliyuncs.com</ExtranetEndpoint>
      <IntranetEndpoint>oss-cn-shanghai-internal.aliyuncs.com</IntranetEndpoint>
      <Location>oss-cn-shanghai</Location>
      <Name>app-base-oss</Name>
      <Region>cn-shanghai</Region>
      <StorageClass>Standard</StorageClass>
    </Bucket>
    <Bucket>
      <CreationDate>2014-02-25T11:21:04.000Z</CreationDate>
      <ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint>
      <IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint>
      <Location>oss-cn-hangzhou</Location>
      <Name>mybucket</Name>
      <StorageClass>IA</StorageClass>
      <ResourceGroupId>rg-aek27tc****</ResourceGroupId>
    </Bucket>
  </Buckets>
</ListAllMyBucketsResult>`)
	want := map[string]any{"prefix": "my", "marker": "mybucket", "max_keys": float64(10), "is_truncated": true,
		"next_marker": "mybucket10", "owner": map[string]any{"id": "512**", "display_name": "51264"},
		"buckets": []any{
			map[string]any{"creation_date": "2014-02-07T18:12:43.000Z", "extranet_endpoint": "oss-cn-shanghai.aliyuncs.com",
				"intranet_endpoint": "oss-cn-shanghai-internal.aliyuncs.com", "location": "oss-cn-shanghai",
				"name": "app-base-oss", "region": "cn-shanghai", "storage_class": "Standard", "resource_group_id": nil},
			map[string]any{"creation_date": "2014-02-25T11:21:04.000Z", "extranet_endpoint": "oss-cn-hangzhou.aliyuncs.com",
				"intranet_endpoint": "oss-cn-hangzhou-internal.aliyuncs.com", "location": "oss-cn-hangzhou",
				"name": "mybucket", "storage_class": "IA", "resource_group_id": "rg-aek27tc****", "region": nil},
		}}
	check(t, "ListAllMyBucketsResult", m, want)

	one := parseJSON(t, "list_buckets", `<ListAllMyBucketsResult><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner>
<Buckets><Bucket><Name>only</Name></Bucket></Buckets></ListAllMyBucketsResult>`)
	check(t, "single bucket", one["buckets"], []any{map[string]any{"name": "only", "creation_date": "", "location": "",
		"storage_class": "", "extranet_endpoint": "", "intranet_endpoint": "", "region": nil, "resource_group_id": nil}})
	if one["is_truncated"] != false {
		t.Error("is_truncated is not false although the XML has none")
	}

	none := parseJSON(t, "list_buckets", `<ListAllMyBucketsResult><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner><Buckets></Buckets></ListAllMyBucketsResult>`)
	if b := none["buckets"]; b != nil && len(b.([]any)) != 0 {
		t.Errorf("no buckets: %v", b)
	}
	if none := parseJSON(t, "list_buckets", `<ListAllMyBucketsResult/>`); none["owner"] != nil {
		t.Errorf("an absent owner is %v, want null", none["owner"])
	}
}

func TestParseEmptyBody(t *testing.T) {
	for _, doc := range []string{"", "   ", "\n\t\r\n"} {
		v, err := ParseDocument("list_objects", []byte(doc))
		if v != nil || err != nil {
			t.Errorf("ParseDocument(%q) = %#v, %v; want nil, nil", doc, v, err)
		}
	}
	v, err := ParseDocument("list_objects", nil)
	if v != nil || err != nil {
		t.Errorf("ParseDocument(nil) = %#v, %v", v, err)
	}
}

func TestParseTextKeptVerbatim(t *testing.T) {
	m := parseJSON(t, "list_objects", `<ListBucketResult><Contents><Key>  spaced &amp; &lt;escaped&gt; &#x4E2D;</Key>
<ETag>&quot;abc&quot;</ETag></Contents><MaxKeys> 5 </MaxKeys><IsTruncated>true</IsTruncated></ListBucketResult>`)
	c := m["contents"].([]any)[0].(map[string]any)
	check(t, "key", c["key"], "  spaced & <escaped> 中")
	check(t, "etag", c["etag"], `"abc"`)
	check(t, "max_keys with spaces", m["max_keys"], float64(5))
	check(t, "is_truncated", m["is_truncated"], true)
	cdata := parseJSON(t, "list_objects", `<ListBucketResult><Prefix><![CDATA[a<b]]></Prefix></ListBucketResult>`)
	check(t, "cdata", cdata["prefix"], "a<b")
	if v, err := ParseDocument("list_objects", []byte(`<ListBucketResult><Contents><Size>x</Size></Contents></ListBucketResult>`)); err == nil {
		t.Errorf("a size that is no number parsed: %#v", v)
	}
}

func TestParseMalformed(t *testing.T) {
	for _, doc := range []string{
		"<ListBucketResult>",
		"<ListBucketResult><Name>x</ListBucketResult>",
		"<a></b>",
		"</a>",
		"not xml at all",
		"<a attr=></a>",
		"<?xml version=\"1.0\"?>",
		"<a>&bogus;</a>",
		"<Error><Code>x</Code></Error><",
	} {
		v, err := ParseDocument("list_objects", []byte(doc))
		if err == nil {
			t.Errorf("ParseDocument(%q) = %#v, nil; want an error", doc, v)
			continue
		}
		if !strings.Contains(err.Error(), "list objects") {
			t.Errorf("error %q does not name the document kind", err)
		}
	}
}

// Booleans read as oss2 reads them: "true" or "false" only; anything else is a DocumentError.
func TestParseBooleansStrict(t *testing.T) {
	for _, c := range []struct{ kind, doc string }{
		{"list_objects", `<ListBucketResult><IsTruncated>True</IsTruncated></ListBucketResult>`},
		{"list_objects", `<ListBucketResult><IsTruncated></IsTruncated></ListBucketResult>`},
		{"get_bucket_website", `<WebsiteConfiguration><RoutingRules><RoutingRule><Redirect><PassQueryString>True</PassQueryString></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`},
		{"get_public_access_block", `<PublicAccessBlockConfiguration><BlockPublicAccess>True</BlockPublicAccess></PublicAccessBlockConfiguration>`},
		{"get_bucket_inventory", `<InventoryConfiguration><Id>a</Id><IsEnabled>1</IsEnabled></InventoryConfiguration>`},
		{"list_resource_pools", `<ListResourcePoolsResult><IsTruncated>FALSE</IsTruncated></ListResourcePoolsResult>`},
	} {
		var de *DocumentError
		if v, err := ParseDocument(c.kind, []byte(c.doc)); !errors.As(err, &de) {
			t.Errorf("%s: %#v, %v; want a DocumentError", c.doc, v, err)
		}
	}
}

func TestParseUnknownKind(t *testing.T) {
	if v, err := ParseDocument("tree", []byte("<a/>")); err == nil {
		t.Errorf("an unknown kind parsed: %#v", v)
	}
}

func TestParseErrorDetails(t *testing.T) {
	d := parseErrorDetails([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The specified key does not exist.</Message>
  <RequestId>5C3D9175B6FC201293AD****</RequestId>
  <HostId>test.oss-cn-hangzhou.aliyuncs.com</HostId>
  <Key>a b</Key>
  <EC>0026-00000001</EC>
</Error>`))
	check(t, "details", d, map[string]string{"Code": "NoSuchKey", "Message": "The specified key does not exist.",
		"RequestId": "5C3D9175B6FC201293AD****", "HostId": "test.oss-cn-hangzhou.aliyuncs.com", "Key": "a b", "EC": "0026-00000001"})
	if d := parseErrorDetails([]byte("<html>")); d == nil || len(d) != 0 {
		t.Errorf("malformed details = %v, want empty map", d)
	}
	// oss2's rules: another root has no details; a broken <Error> keeps what its text shows.
	if d := parseErrorDetails([]byte("<NotError><Code>X</Code></NotError>")); len(d) != 0 {
		t.Errorf("details of another root = %v, want none", d)
	}
	broken := parseErrorDetails([]byte("<Error><Code>AccessDenied</Code>\n<Message>no & way</Message><RequestId>r</Error>"))
	check(t, "broken details", broken, map[string]string{"Code": "AccessDenied", "Message": "no & way"})
	if d := parseErrorDetails(nil); d == nil || len(d) != 0 {
		t.Errorf("nil details = %v, want empty map", d)
	}
}

func FuzzParseDocument(f *testing.F) {
	for _, s := range []string{
		listV1,
		"",
		"<a/>",
		"<ListBucketResult></ListBucketResult>",
		"<ListBucketResult><CommonPrefixes><Prefix>p</Prefix></CommonPrefixes></ListBucketResult>",
		"<ListAllMyBucketsResult><Buckets><Bucket><Name>b</Name></Bucket></Buckets></ListAllMyBucketsResult>",
		"<DeleteResult><Deleted><Key>k</Key><DeleteMarker>true</DeleteMarker></Deleted></DeleteResult>",
		"<ListPartsResult><Part><PartNumber>1</PartNumber><Size>x</Size></Part></ListPartsResult>",
		"<a><Buckets>text</Buckets><Contents/><Contents>t</Contents><Size>1</Size><Size>2</Size></a>",
		"</a>",
		"<a><b></a>",
	} {
		f.Add("list_objects", []byte(s))
	}
	f.Fuzz(func(t *testing.T, kind string, doc []byte) {
		v, err := ParseDocument(kind, doc)
		if err != nil && v != nil {
			t.Fatalf("ParseDocument returned both %v and %v", v, err)
		}
		if err == nil && v != nil {
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("ParseDocument's %T does not encode: %v", v, err)
			}
		}
	})
}

func FuzzParseErrorDetails(f *testing.F) {
	for _, s := range []string{"<Error><Code>NoSuchKey</Code><Message>m</Message></Error>", "<Error>", "", "<a><b><c/></b></a>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		parseErrorDetails(doc) // must not panic; any map is acceptable
	})
}
