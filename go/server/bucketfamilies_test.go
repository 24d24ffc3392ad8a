package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// The bucket families keep their state in a --root store across a restart: each request below
// is made on one server, then the read answers the same on a new server over the same root.
func TestBucketFamiliesSurviveRestart(t *testing.T) {
	root := t.TempDir()
	open := func() *env {
		st, err := store.OpenDisk(root, nil)
		if err != nil {
			t.Fatal(err)
		}
		return newEnv(t, Config{Store: st})
	}
	e := open()
	for _, w := range []struct {
		method, query, body string
	}{
		{"POST", "worm", "<InitiateWormConfiguration><RetentionPeriodInDays>7</RetentionPeriodInDays></InitiateWormConfiguration>"},
		{"POST", "replication&comp=add", "<ReplicationConfiguration><Rule><ID>r</ID><Destination><Bucket>dst</Bucket>" +
			"<Location>oss-cn-beijing</Location></Destination></Rule></ReplicationConfiguration>"},
		{"PUT", "inventory&inventoryId=i", "<InventoryConfiguration><Id>i</Id><IsEnabled>True</IsEnabled><Destination>" +
			"<OSSBucketDestination><AccountId>1</AccountId><RoleArn>r</RoleArn><Bucket>acs:oss:::dst</Bucket><Format>CSV</Format>" +
			"</OSSBucketDestination></Destination><Schedule><Frequency>Daily</Frequency></Schedule>" +
			"<IncludedObjectVersions>All</IncludedObjectVersions></InventoryConfiguration>"},
		{"POST", "cname&comp=token", "<BucketCnameConfiguration><Cname><Domain>a.example.com</Domain></Cname></BucketCnameConfiguration>"},
		{"POST", "cname&comp=add", "<BucketCnameConfiguration><Cname><Domain>a.example.com</Domain></Cname></BucketCnameConfiguration>"},
		{"PUT", "httpsConfig", "<HttpsConfiguration><TLS><Enable>true</Enable><TLSVersion>TLSv1.2</TLSVersion></TLS></HttpsConfiguration>"},
		{"PUT", "accessPoint", "<CreateAccessPointConfiguration><AccessPointName>ap1</AccessPointName>" +
			"<NetworkOrigin>internet</NetworkOrigin></CreateAccessPointConfiguration>"},
		{"PUT", "publicAccessBlock", "<PublicAccessBlockConfiguration><BlockPublicAccess>True</BlockPublicAccess></PublicAccessBlockConfiguration>"},
		{"PUT", "transferAcceleration", "<TransferAccelerationConfiguration><Enabled>True</Enabled></TransferAccelerationConfiguration>"},
		{"PUT", "policy&comp=callback", "<BucketCallbackPolicy><PolicyItem><PolicyName>p</PolicyName><Callback>c</Callback>" +
			"<CallbackVar></CallbackVar></PolicyItem></BucketCallbackPolicy>"},
		{"PUT", "qosInfo", "<QoSConfiguration><TotalQps>100</TotalQps></QoSConfiguration>"},
		{"PUT", "qos", "<BucketUserQos><StorageCapacity>9</StorageCapacity></BucketUserQos>"},
		{"PUT", "requesterQosInfo&qosRequester=7", "<QoSConfiguration><TotalQps>5</TotalQps></QoSConfiguration>"},
		{"POST", "redundancyTransition&x-oss-target-redundancy-type=ZRS", ""},
		{"POST", "metaQuery&comp=add", ""},
	} {
		e.do(t, w.method, "/bkt", query(w.query), hdr("Content-MD5", md5b64([]byte(w.body))), []byte(w.body)).expectStatus(t, http.StatusOK)
	}
	reads := []string{"worm", "replication", "inventory", "inventory&inventoryId=i", "cname", "cname=a.example.com&comp=token", "httpsConfig", "accessPoint", "publicAccessBlock", "publicAccessBlock&x-oss-access-point-name=ap1",
		"transferAcceleration", "policy&comp=callback", "qosInfo", "qos", "requesterQosInfo", "redundancyTransition", "metaQuery"}
	before := map[string]string{}
	for _, q := range reads {
		r := e.do(t, "GET", "/bkt", query(q), nil, nil)
		r.expectStatus(t, http.StatusOK)
		before[q] = string(r.body)
	}
	put := "<PublicAccessBlockConfiguration><BlockPublicAccess>true</BlockPublicAccess></PublicAccessBlockConfiguration>"
	e.do(t, "PUT", "/", query("publicAccessBlock"), nil, []byte(put)).expectStatus(t, http.StatusOK)
	account := string(e.do(t, "GET", "/", query("publicAccessBlock"), nil, nil).body)
	e = open()
	if got := string(e.do(t, "GET", "/", query("publicAccessBlock"), nil, nil).body); got != account || !strings.Contains(got, "true") {
		t.Errorf("the account's public access block after a restart: %s", got)
	}
	for _, q := range reads {
		r := e.do(t, "GET", "/bkt", query(q), nil, nil)
		r.expectStatus(t, http.StatusOK)
		if string(r.body) != before[q] {
			t.Errorf("?%s after a restart:\n%s\nbefore:\n%s", q, r.body, before[q])
		}
	}
}

// query reads "a&b=c" into url.Values.
func query(s string) url.Values {
	q, _ := url.ParseQuery(s)
	return q
}

// WORM's life: InProgress until completed, then locked (no abort, only a longer extension).
func TestWormLifecycle(t *testing.T) {
	e := newEnv(t, Config{})
	doc := func(root string, days string) []byte {
		return []byte("<" + root + "><RetentionPeriodInDays>" + days + "</RetentionPeriodInDays></" + root + ">")
	}
	post := func(q []string, body []byte) *response {
		return e.do(t, "POST", "/bkt", qv(q...), hdr("Content-MD5", md5b64(body)), body)
	}
	e.do(t, "GET", "/bkt", qv("worm", ""), nil, nil).expectError(t, 404, "NoSuchWORMConfiguration")
	post([]string{"worm", ""}, doc("InitiateWormConfiguration", "0")).expectError(t, 400, "InvalidArgument")
	post([]string{"worm", ""}, doc("ExtendWormConfiguration", "1")).expectError(t, 400, "MalformedXML")
	r := post([]string{"worm", ""}, doc("InitiateWormConfiguration", "3"))
	r.expectStatus(t, 200)
	id := r.header.Get("x-oss-worm-id")
	got := e.do(t, "GET", "/bkt", qv("worm", ""), nil, nil)
	if !strings.Contains(string(got.body), "<State>InProgress</State>") || !strings.Contains(string(got.body), id) {
		t.Fatalf("after initiate: %s", got.body)
	}
	post([]string{"wormId", id, "wormExtend", ""}, doc("ExtendWormConfiguration", "5")).expectError(t, 409, "InvalidWORMConfigurationState")
	post([]string{"wormId", "other"}, nil).expectError(t, 404, "NoSuchWORMConfiguration")
	post([]string{"wormId", id}, nil).expectStatus(t, 200)
	e.do(t, "DELETE", "/bkt", qv("worm", ""), nil, nil).expectError(t, 409, "WORMConfigurationLocked")
	post([]string{"wormId", id, "wormExtend", ""}, doc("ExtendWormConfiguration", "2")).expectError(t, 400, "InvalidArgument")
	post([]string{"wormId", id, "wormExtend", ""}, doc("ExtendWormConfiguration", "9")).expectStatus(t, 200)
	got = e.do(t, "GET", "/bkt", qv("worm", ""), nil, nil)
	if !strings.Contains(string(got.body), "<State>Locked</State>") || !strings.Contains(string(got.body), "<RetentionPeriodInDays>9<") {
		t.Fatalf("after extend: %s", got.body)
	}
}

// Metadata query conditions: field operations, and/or/not, tags and user metadata.
func TestMetaQueryConditions(t *testing.T) {
	f := &metaFile{info: store.ObjectInfo{Key: "logs/a.txt", Size: 300, Type: "Normal",
		Attrs: store.Attrs{StorageClass: "IA", Meta: map[string]string{"owner": "ann"}}},
		tags: []tag{{"team", "ml"}}}
	for _, c := range []struct {
		query string
		want  bool
	}{
		{`{"Field":"Size","Value":"100","Operation":"gt"}`, true},
		{`{"Field":"Size","Value":"300","Operation":"lt"}`, false},
		{`{"Field":"Filename","Value":"logs/","Operation":"prefix"}`, true},
		{`{"Field":"Filename","Value":"a.t","Operation":"match"}`, true},
		{`{"Field":"OSSTagging.team","Value":"ml","Operation":"eq"}`, true},
		{`{"Field":"OSSUserMeta.owner","Value":"bob","Operation":"eq"}`, false},
		{`{"Operation":"and","SubQueries":[{"Field":"OSSStorageClass","Value":"IA","Operation":"eq"},{"Field":"Size","Value":"300","Operation":"gte"}]}`, true},
		{`{"Operation":"or","SubQueries":[{"Field":"Size","Value":"1","Operation":"lt"},{"Field":"OSSTaggingCount","Value":"1","Operation":"eq"}]}`, true},
		{`{"Operation":"not","SubQueries":[{"Field":"OSSObjectType","Value":"Normal","Operation":"eq"}]}`, false},
	} {
		var q metaCondition
		if err := json.Unmarshal([]byte(c.query), &q); err != nil {
			t.Fatal(err)
		}
		if err := q.check(); err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if got := q.matches(f); got != c.want {
			t.Errorf("%s: %v, want %v", c.query, got, c.want)
		}
	}
	for _, bad := range []string{`{"Field":"Colour","Value":"x","Operation":"eq"}`, `{"Operation":"and","SubQueries":[]}`,
		`{"Field":"Size","Value":"1","Operation":"near"}`} {
		var q metaCondition
		json.Unmarshal([]byte(bad), &q)
		if q.check() == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}

// QoS limits: -1 or 0 up to the account's, and a part no more than its total.
func TestCheckQoS(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	for _, c := range []struct {
		q  qosConfiguration
		ok bool
	}{
		{qosConfiguration{TotalUploadBw: n(10), IntranetUploadBw: n(5)}, true},
		{qosConfiguration{TotalUploadBw: n(11)}, false},
		{qosConfiguration{TotalQps: n(-2)}, false},
		{qosConfiguration{TotalQps: n(10), IntranetQps: n(20)}, false},
		{qosConfiguration{TotalQps: n(10), ExtranetQps: n(-1)}, false},
		{qosConfiguration{TotalQps: n(-1), ExtranetQps: n(5)}, true},
	} {
		if got := checkQoS(&c.q) == nil; got != c.ok {
			t.Errorf("%+v: accepted %v, want %v", c.q, got, c.ok)
		}
	}
}

// Replication never overwrites or deletes a copy the destination's retention policy protects:
// the server's own writes pass the same WORM check as a request.
func TestReplicationRespectsTheDestinationsRetention(t *testing.T) {
	e := newEnv(t, Config{})
	e.do(t, "PUT", "/dst", nil, nil, nil).expectStatus(t, http.StatusOK)
	e.do(t, "PUT", "/dst/k", nil, nil, []byte("protected")).expectStatus(t, http.StatusOK)
	worm := []byte("<InitiateWormConfiguration><RetentionPeriodInDays>3</RetentionPeriodInDays></InitiateWormConfiguration>")
	e.do(t, "POST", "/dst", qv("worm", ""), hdr("Content-MD5", md5b64(worm)), worm).expectStatus(t, http.StatusOK)
	rule := []byte("<ReplicationConfiguration><Rule><ID>r</ID><Action>ALL</Action><Destination><Bucket>dst</Bucket>" +
		"<Location>oss-cn-beijing</Location></Destination></Rule></ReplicationConfiguration>")
	e.do(t, "POST", "/bkt", query("replication&comp=add"), hdr("Content-MD5", md5b64(rule)), rule).expectStatus(t, http.StatusOK)
	e.do(t, "PUT", "/bkt/k", nil, nil, []byte("new")).expectStatus(t, http.StatusOK)
	e.do(t, "PUT", "/bkt/other", nil, nil, []byte("copied")).expectStatus(t, http.StatusOK)
	if got := e.do(t, "GET", "/dst/k", nil, nil, nil); string(got.body) != "protected" {
		t.Fatalf("dst/k after the source was overwritten: %q", got.body)
	}
	e.do(t, "DELETE", "/bkt/k", nil, nil, nil).expectStatus(t, http.StatusNoContent)
	if got := e.do(t, "GET", "/dst/k", nil, nil, nil); string(got.body) != "protected" {
		t.Fatalf("dst/k after the source was deleted: %q", got.body)
	}
	if got := e.do(t, "GET", "/dst/other", nil, nil, nil); string(got.body) != "copied" {
		t.Fatalf("an unprotected key is still replicated: %q", got.body)
	}
}

// An async fetch task recorded as running by a server that stopped (or was killed) before the
// fetch ended reads as failed, not running for ever.
func TestAnInterruptedAsyncFetchReadsAsFailed(t *testing.T) {
	st, err := store.OpenDisk(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, Config{Store: st})
	doc := `<AsyncFetchTaskInfo><TaskId>t1</TaskId><State>Running</State><ErrorMsg></ErrorMsg><TaskInfo>` +
		`<Url>http://127.0.0.1:1/x</Url><Object>k</Object><Host></Host><ContentMD5></ContentMD5><Callback></Callback>` +
		`<IgnoreSameKey>true</IgnoreSameKey></TaskInfo></AsyncFetchTaskInfo>`
	if _, err := st.UpdateBucket("bkt", func(b *store.BucketInfo) error {
		setConfig(b, asyncFetchPrefix+"t1", doc)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second read finds the failure recorded
		got := e.do(t, "GET", "/bkt", qv("asyncFetch", ""), hdr("x-oss-task-id", "t1"), nil)
		got.expectStatus(t, http.StatusOK)
		if !strings.Contains(string(got.body), "<State>Failed</State>") || !strings.Contains(string(got.body), "interrupted") {
			t.Fatalf("an interrupted task: %s", got.body)
		}
	}
}
