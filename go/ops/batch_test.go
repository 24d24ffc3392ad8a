package ops

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// batch_delete with version_ids deletes the named versions through the registry, as oss2's
// delete_object_versions: a given id removes that version for good, an empty one adds a delete
// marker, and the answer carries each version id and delete marker.
func TestBatchDeleteWithVersionIDs(t *testing.T) {
	s := testSession(t, "")
	call := func(name, args string, buf []byte) map[string]any {
		t.Helper()
		res, err := run(t, s, nil, name, args, buf)
		if err != nil {
			t.Fatalf("%s %s: %v", name, args, err)
		}
		enc, _ := json.Marshal(res)
		var got map[string]any
		if err := json.Unmarshal(enc, &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	versionOf := func(r map[string]any) string {
		for _, p := range r["headers"].([]any) {
			if kv := p.([]any); strings.EqualFold(kv[0].(string), "x-oss-version-id") {
				return kv[1].(string)
			}
		}
		t.Fatalf("no version id in %v", r["headers"])
		return ""
	}
	call("request", `{"method": "PUT", "bucket": "bkt", "key": "", "params": [["versioning", ""]]}`,
		[]byte("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"))
	v1 := versionOf(call("request", `{"method": "PUT", "bucket": "bkt", "key": "k"}`, []byte("one")))
	versionOf(call("request", `{"method": "PUT", "bucket": "bkt", "key": "k"}`, []byte("two")))
	versionOf(call("request", `{"method": "PUT", "bucket": "bkt", "key": "other"}`, []byte("x")))

	got := call("batch_delete", fmt.Sprintf(`{"bucket": "bkt", "keys": ["k", "other"], "version_ids": [%q, ""]}`, v1), nil)
	deleted := got["body"].(map[string]any)["deleted"].([]any)
	if len(deleted) != 2 {
		t.Fatalf("deleted %v", deleted)
	}
	byKey := map[string]map[string]any{}
	for _, d := range deleted {
		byKey[d.(map[string]any)["key"].(string)] = d.(map[string]any)
	}
	if k := byKey["k"]; k["version_id"] != v1 || k["delete_marker"] != false {
		t.Errorf("version delete answered %v", k)
	}
	if o := byKey["other"]; o["delete_marker"] != true || o["delete_marker_version_id"] == "" || o["version_id"] != nil {
		t.Errorf("latest delete answered %v", o)
	}
	// The deleted version is gone, the other one remains.
	if _, err := run(t, s, nil, "request", fmt.Sprintf(`{"method": "HEAD", "bucket": "bkt", "key": "k", "params": [["versionId", %q]]}`, v1), nil); err == nil {
		t.Errorf("version %s still answers", v1)
	}
	call("request", `{"method": "HEAD", "bucket": "bkt", "key": "k"}`, nil)

	if _, err := run(t, s, nil, "batch_delete", `{"bucket": "bkt", "keys": ["k", "other"], "version_ids": [""]}`, nil); err == nil ||
		!strings.Contains(err.Error(), "one version id per key") {
		t.Errorf("mismatched version ids: %v", err)
	}
}
