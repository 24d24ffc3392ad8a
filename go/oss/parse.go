package oss

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// ParseDocument turns an OSS response document into plain data (maps, lists, strings, ints,
// bools) for the Python models: element names become snake_case keys, repeated elements become
// lists, and text stays as OSS sent it (ETags quoted, times ISO8601, keys possibly URL-encoded).
// kind names the document so lists of one element are still lists. The kind KindTree keeps the
// document's shape instead (see Node).
func ParseDocument(kind string, doc []byte) (any, error) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil, nil
	}
	if decode, ok := typedDocuments[kind]; ok {
		return decode(doc)
	}
	root, err := parseTree(doc)
	if err != nil {
		return nil, fmt.Errorf("oss: parse %s: %w", kind, err)
	}
	if kind == KindTree {
		return root.tree(), nil
	}
	return root.toMap(), nil
}

// typedDocuments are the document kinds with a typed result: the struct go/oss decodes them
// into, whose JSON tags are the one shape pyjindo reads (no snake_case guessing, ints and bools
// typed, an absent optional element null). The other kinds still go through the generic map.
var typedDocuments = map[string]func(doc []byte) (any, error){
	"list_buckets":                          typed[ListBucketsResult]("list buckets"),
	"init_multipart_upload":                 typed[InitiateMultipartUploadResult]("initiate multipart upload"),
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

func typed[T any](op string) func(doc []byte) (any, error) {
	return func(doc []byte) (any, error) {
		out := new(T)
		if err := decodeDocument(op, doc, out); err != nil {
			return nil, err
		}
		return out, nil
	}
}

// KindTree asks ParseDocument for the element tree itself, for documents whose repeated and
// optional elements are too varied for the snake_case maps (bucket settings: lifecycle rules,
// website routing rules, CORS rules, tag sets). Python reads it the way oss2 reads ElementTree.
const KindTree = "tree"

// Node is one element of a KindTree document: its local name, its own character data (a leaf's
// text; whitespace between children for a parent) and its child elements in document order.
type Node struct {
	Tag      string `json:"tag"`
	Text     string `json:"text"`
	Children []Node `json:"children"`
}

func (n *node) tree() Node {
	out := Node{Tag: n.name, Text: n.text.String(), Children: make([]Node, 0, len(n.children))}
	for _, c := range n.children {
		out.Children = append(out.Children, c.tree())
	}
	return out
}

type node struct {
	name     string
	text     strings.Builder
	children []*node
}

func parseTree(doc []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

// listElements are elements that repeat: each maps to a list under the given key.
var listElements = map[string]string{
	"Contents": "contents", "CommonPrefixes": "common_prefixes", "Part": "parts", "Upload": "uploads",
}

var intFields = map[string]bool{
	"max_keys": true, "size": true, "key_count": true, "part_number": true, "max_parts": true, "max_uploads": true,
}

var boolFields = map[string]bool{"is_truncated": true}

func (n *node) toMap() map[string]any {
	out := map[string]any{}
	for _, c := range n.children {
		if key, ok := listElements[c.name]; ok {
			list, _ := out[key].([]any)
			if c.name == "CommonPrefixes" {
				for _, p := range c.children {
					list = append(list, p.text.String())
				}
			} else {
				list = append(list, c.value())
			}
			out[key] = list
			continue
		}
		out[snake(c.name)] = c.value()
	}
	for k, v := range out {
		s, ok := v.(string)
		if !ok {
			continue
		}
		switch {
		case intFields[k]:
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				out[k] = i
			}
		case boolFields[k]:
			out[k] = s == "true"
		}
	}
	for _, key := range []string{"contents", "common_prefixes"} {
		if _, ok := out[key]; !ok && (n.name == "ListBucketResult") {
			out[key] = []any{}
		}
	}
	return out
}

func (n *node) value() any {
	if len(n.children) == 0 {
		return n.text.String()
	}
	return n.toMap()
}

// snake converts an XML element name to the key the Python models expect.
func snake(name string) string {
	switch name {
	case "ETag":
		return "etag"
	case "HashCrc64ecma":
		return "hash_crc64ecma"
	}
	r := []rune(name)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 {
			prevLower := unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1])
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if prevLower || (unicode.IsUpper(r[i-1]) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}
