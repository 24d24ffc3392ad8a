package server

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// The one-value bucket settings of the families (transfer acceleration, access monitor,
// resource group, archive direct read) and the callback policy: each a document validated,
// rewritten as OSS writes it (booleans lower case; oss2 sends Python's "True") and kept in the
// bucket's configs; a get of one never set answers OSS's default.

// defaultResourceGroup is the account's default resource group, which holds every bucket not
// put in another.
const defaultResourceGroup = "rg-default"

type familySetting struct {
	name, root, element string
	// value checks the element's text and returns it as kept ("" refuses it)
	value func(text string) string
	// empty is the element's value for a setting never put
	empty string
}

var familySettings = []familySetting{
	transferAccelerationSetting,
	accessMonitorSetting,
	{name: "resourceGroup", root: "BucketResourceGroupConfiguration", element: "ResourceGroupId", value: resourceGroupID, empty: defaultResourceGroup},
	archiveDirectReadSetting,
}

var transferAccelerationSetting = familySetting{name: "transferAcceleration", root: "TransferAccelerationConfiguration",
	element: "Enabled", value: lowerBool, empty: "false"}

var accessMonitorSetting = familySetting{name: "accessmonitor", root: "AccessMonitorConfiguration",
	element: "Status", value: enabledOrDisabled, empty: "Disabled"}

var archiveDirectReadSetting = familySetting{name: "bucketArchiveDirectRead", root: "ArchiveDirectReadConfiguration",
	element: "Enabled", value: lowerBool, empty: "false"}

func lowerBool(s string) string {
	if s = strings.ToLower(s); oneOf(s, "true", "false") {
		return s
	}
	return ""
}

func enabledOrDisabled(s string) string {
	if oneOf(s, "Enabled", "Disabled") {
		return s
	}
	return ""
}

// resourceGroupID: "rg-" and letters and digits (OSS's ids look like rg-aek27tc2xxxxxxx).
func resourceGroupID(s string) string {
	rest, ok := strings.CutPrefix(s, "rg-")
	if !ok || rest == "" || len(s) > 64 {
		return ""
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return ""
		}
	}
	return s
}

// oneValueDocument is a setting's document: its root and the one element.
type oneValueDocument struct {
	XMLName  xml.Name
	Children []struct {
		XMLName xml.Name
		Text    string `xml:",chardata"`
	} `xml:",any"`
}

func (rq *request) putFamilySetting(set familySetting) *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var doc oneValueDocument
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if doc.XMLName.Local != set.root || len(doc.Children) != 1 || doc.Children[0].XMLName.Local != set.element {
		return errMalformedXML()
	}
	v := set.value(doc.Children[0].Text)
	if v == "" {
		return errInvalidArgument(set.element, doc.Children[0].Text, "The value of "+set.element+" is not valid.")
	}
	if set.name == "accessmonitor" && v == "Disabled" {
		if e := rq.accessTimeRulesBlock(); e != nil {
			return e
		}
	}
	return rq.setBucketConfig(set.name, setDocument(set, v))
}

func setDocument(set familySetting, v string) string {
	var b strings.Builder
	b.WriteString("<" + set.root + ">")
	writeElement(&b, set.element, v)
	b.WriteString("</" + set.root + ">")
	return b.String()
}

// accessTimeRulesBlock refuses turning access monitoring off while a lifecycle rule acts on
// last access time, as OSS does.
func (rq *request) accessTimeRulesBlock() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	var lc struct {
		AccessTime []string `xml:"Rule>Transition>IsAccessTime"`
	}
	xml.Unmarshal([]byte(b.Configs["lifecycle"]), &lc)
	for _, v := range lc.AccessTime {
		if v == "true" {
			return &ossError{Status: 409, Code: "AccessMonitorDisableNotAllowed", Message: "Access monitor cannot be disabled while lifecycle rules use the last access time.", EC: "0055-00000003"}
		}
	}
	return nil
}

func (rq *request) getFamilySetting(set familySetting) *ossError {
	return rq.getBucketSetting(set.name, bucketSetting{root: set.root, empty: setDocument(set, set.empty)})
}

// The callback policy (PUT, GET, DELETE ?policy&comp=callback): up to 5 named callbacks.

const callbackPolicyConfig = "callbackPolicy"

func (rq *request) putCallbackPolicy() *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var doc struct {
		XMLName xml.Name `xml:"BucketCallbackPolicy"`
		Items   []struct {
			Name        string `xml:"PolicyName"`
			Callback    string `xml:"Callback"`
			CallbackVar string `xml:"CallbackVar"`
		} `xml:"PolicyItem"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if len(doc.Items) == 0 || len(doc.Items) > 5 {
		return errInvalidArgument("PolicyItem", "", "A callback policy has 1 to 5 items.")
	}
	names := map[string]bool{}
	for _, it := range doc.Items {
		if it.Name == "" || it.Callback == "" || names[it.Name] {
			return errInvalidArgument("PolicyName", it.Name, "Each item needs a unique PolicyName and a Callback.")
		}
		names[it.Name] = true
	}
	out, err := xml.Marshal(doc)
	if err != nil {
		return errInternal(err)
	}
	return rq.setBucketConfig(callbackPolicyConfig, string(out))
}

// familySettingRoute finds the handler of a one-value setting or the callback policy, or nil.
func (rq *request) familySettingRoute(m string) func() *ossError {
	if rq.has("policy") && rq.query.Get("comp") == "callback" {
		switch m {
		case http.MethodPut:
			return rq.putCallbackPolicy
		case http.MethodGet:
			return func() *ossError {
				return rq.getBucketSetting(callbackPolicyConfig, bucketSetting{root: "BucketCallbackPolicy", empty: "<BucketCallbackPolicy></BucketCallbackPolicy>"})
			}
		case http.MethodDelete:
			return func() *ossError { return rq.deleteBucketSetting(callbackPolicyConfig) }
		}
	}
	for _, set := range familySettings {
		if !rq.has(set.name) {
			continue
		}
		switch m {
		case http.MethodPut:
			return func() *ossError { return rq.putFamilySetting(set) }
		case http.MethodGet:
			return func() *ossError { return rq.getFamilySetting(set) }
		}
	}
	return nil
}

// archiveDirectRead: the bucket lets its Archive objects (not the colder classes) be read
// without a restore.
func (rq *request) archiveDirectRead(info store.ObjectInfo) bool {
	if info.StorageClass != store.ClassArchive {
		return false
	}
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	return err == nil && b.Configs[archiveDirectReadSetting.name] == setDocument(archiveDirectReadSetting, "true")
}

// familyStates are the Enabled or Disabled states GetBucketInfo reports: access monitor,
// transfer acceleration, cross-region replication.
func familyStates(b store.BucketInfo) (accessMonitor, transferAcceleration, replication string) {
	state := func(on bool) string {
		if on {
			return "Enabled"
		}
		return "Disabled"
	}
	return state(b.Configs[accessMonitorSetting.name] == setDocument(accessMonitorSetting, "Enabled")),
		state(b.Configs[transferAccelerationSetting.name] == setDocument(transferAccelerationSetting, "true")),
		state(len(loadReplication(b.Configs[replicationConfig]).Rules) > 0)
}
