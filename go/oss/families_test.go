package oss

import (
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
	}
	for _, c := range cases {
		if got := parseJSON(t, c.kind, c.doc); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c.kind, got, c.want)
		}
	}
}
