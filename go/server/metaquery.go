package server

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Metadata query (data indexing): once opened, DoMetaQuery searches the bucket's objects by
// their metadata (a JSON query of field conditions joined by and, or, not), sorted and paged,
// with aggregations. OSS builds an index in the background; the server reads the live store,
// so an opened index is at once Running in its incremental phase.

const metaQueryConfig = "metaQuery"

// metaQueryTime is how OSS writes a metadata query's times: nine fractional digits, always (so a
// document's length does not vary with the clock, as RFC3339Nano's would).
const metaQueryTime = "2006-01-02T15:04:05.000000000Z07:00"

type metaQueryStatus struct {
	XMLName    xml.Name `xml:"MetaQueryStatus"`
	State      string   `xml:"State"`
	Phase      string   `xml:"Phase"`
	CreateTime string   `xml:"CreateTime"`
	UpdateTime string   `xml:"UpdateTime"`
}

func errMetaQueryNotOpen() *ossError {
	return &ossError{Status: 404, Code: "MetaQueryNotExist", Message: "The metadata index of the bucket does not exist.", EC: "0068-00000001"}
}

func (rq *request) openMetaQuery() *ossError {
	now := rq.s.cfg.Now().UTC().Format(metaQueryTime)
	doc, _ := xml.Marshal(metaQueryStatus{State: "Running", Phase: "IncrementalScanning", CreateTime: now, UpdateTime: now}) // strings only: cannot fail
	e := rq.updateConfig(metaQueryConfig, func(old string, _ *store.BucketInfo) (string, *ossError) {
		if old != "" {
			return "", &ossError{Status: 409, Code: "MetaQueryAlreadyExist", Message: "The metadata index of the bucket already exists.", EC: "0068-00000002"}
		}
		return string(doc), nil
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) closeMetaQuery() *ossError {
	e := rq.updateConfig(metaQueryConfig, func(old string, _ *store.BucketInfo) (string, *ossError) {
		if old == "" {
			return "", errMetaQueryNotOpen()
		}
		return "", nil
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) metaQueryStatus() *ossError {
	return rq.getBucketSetting(metaQueryConfig, bucketSetting{root: "MetaQueryStatus", missing: errMetaQueryNotOpen})
}

// metaCondition is one node of a query: a field condition, or and/or/not over sub-queries.
type metaCondition struct {
	Field      string          `json:"Field"`
	Value      string          `json:"Value"`
	Operation  string          `json:"Operation"`
	SubQueries []metaCondition `json:"SubQueries"`
}

// metaFile is an object as the query sees it.
type metaFile struct {
	info store.ObjectInfo
	tags []tag
}

// field is the file's value of a field: text, and a number when the field is numeric.
func (f *metaFile) field(name string) (string, float64, bool, bool) {
	o := f.info
	switch name {
	case "Filename":
		return o.Key, 0, false, true
	case "Size":
		return strconv.FormatInt(o.Size, 10), float64(o.Size), true, true
	case "FileModifiedTime":
		return o.LastModified.UTC().Format(metaQueryTime), float64(o.LastModified.UnixNano()), false, true
	case "OSSObjectType":
		return o.Type, 0, false, true
	case "OSSStorageClass":
		return o.StorageClass, 0, false, true
	case "ObjectACL":
		acl := o.ACL
		if acl == "" {
			acl = "default"
		}
		return acl, 0, false, true
	case "ETag":
		return `"` + o.ETag + `"`, 0, false, true
	case "OSSCRC64":
		return strconv.FormatUint(o.CRC64, 10), 0, false, true
	case "OSSTaggingCount":
		return strconv.Itoa(len(f.tags)), float64(len(f.tags)), true, true
	}
	if key, ok := strings.CutPrefix(name, "OSSTagging."); ok {
		for _, t := range f.tags {
			if t.Key == key {
				return t.Value, 0, false, true
			}
		}
		return "", 0, false, false
	}
	if key, ok := strings.CutPrefix(name, "OSSUserMeta."); ok {
		v, ok := o.Meta[strings.ToLower(key)]
		return v, 0, false, ok
	}
	return "", 0, false, false
}

var metaFields = []string{"Filename", "Size", "FileModifiedTime", "OSSObjectType", "OSSStorageClass", "ObjectACL",
	"ETag", "OSSCRC64", "OSSTaggingCount"}

func knownMetaField(name string) bool {
	return oneOf(name, metaFields...) || strings.HasPrefix(name, "OSSTagging.") || strings.HasPrefix(name, "OSSUserMeta.")
}

// check refuses a query OSS would refuse.
func (c *metaCondition) check() error {
	switch c.Operation {
	case "and", "or":
		if len(c.SubQueries) < 2 {
			return fmt.Errorf("%s needs at least two sub-queries", c.Operation)
		}
	case "not":
		if len(c.SubQueries) != 1 {
			return fmt.Errorf("not needs one sub-query")
		}
	case "eq", "gt", "gte", "lt", "lte", "match", "prefix":
		if !knownMetaField(c.Field) {
			return fmt.Errorf("unknown field %q", c.Field)
		}
		return nil
	default:
		return fmt.Errorf("unknown operation %q", c.Operation)
	}
	for i := range c.SubQueries {
		if err := c.SubQueries[i].check(); err != nil {
			return err
		}
	}
	return nil
}

func (c *metaCondition) matches(f *metaFile) bool {
	switch c.Operation {
	case "and":
		for i := range c.SubQueries {
			if !c.SubQueries[i].matches(f) {
				return false
			}
		}
		return true
	case "or":
		for i := range c.SubQueries {
			if c.SubQueries[i].matches(f) {
				return true
			}
		}
		return false
	case "not":
		return !c.SubQueries[0].matches(f)
	}
	text, num, numeric, ok := f.field(c.Field)
	if !ok {
		return false
	}
	switch c.Operation {
	case "match":
		return strings.Contains(text, c.Value)
	case "prefix":
		return strings.HasPrefix(text, c.Value)
	}
	cmp := strings.Compare(text, c.Value)
	if numeric {
		want, err := strconv.ParseFloat(c.Value, 64)
		if err != nil {
			return false
		}
		cmp = compareFloat(num, want)
	} else if c.Field == "FileModifiedTime" {
		want, err := time.Parse(time.RFC3339Nano, c.Value)
		if err != nil {
			return false
		}
		cmp = compareFloat(num, float64(want.UnixNano()))
	}
	switch c.Operation {
	case "eq":
		return cmp == 0
	case "gt":
		return cmp > 0
	case "gte":
		return cmp >= 0
	case "lt":
		return cmp < 0
	default: // lte
		return cmp <= 0
	}
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type metaQueryRequest struct {
	XMLName      xml.Name `xml:"MetaQuery"`
	NextToken    string   `xml:"NextToken"`
	MaxResults   string   `xml:"MaxResults"`
	Query        string   `xml:"Query"`
	Sort         string   `xml:"Sort"`
	Order        string   `xml:"Order"`
	Aggregations []struct {
		Field     string `xml:"Field"`
		Operation string `xml:"Operation"`
	} `xml:"Aggregations>Aggregation"`
}

type metaTagging struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type metaFileXML struct {
	Filename         string        `xml:"Filename"`
	Size             int64         `xml:"Size"`
	FileModifiedTime string        `xml:"FileModifiedTime"`
	OSSObjectType    string        `xml:"OSSObjectType"`
	OSSStorageClass  string        `xml:"OSSStorageClass"`
	ObjectACL        string        `xml:"ObjectACL"`
	ETag             string        `xml:"ETag"`
	OSSCRC64         string        `xml:"OSSCRC64"`
	OSSTaggingCount  int           `xml:"OSSTaggingCount"`
	OSSTagging       []metaTagging `xml:"OSSTagging>Tagging,omitempty"`
	OSSUserMeta      []metaTagging `xml:"OSSUserMeta>UserMeta,omitempty"`
}

type metaGroup struct {
	Value string `xml:"Value"`
	Count int    `xml:"Count"`
}

type metaAggregation struct {
	Field     string      `xml:"Field"`
	Operation string      `xml:"Operation"`
	Value     *string     `xml:"Value,omitempty"`
	Groups    []metaGroup `xml:"Groups>Group,omitempty"`
}

func (rq *request) doMetaQuery() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	if _, ok := b.Configs[metaQueryConfig]; !ok {
		return errMetaQueryNotOpen()
	}
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var q metaQueryRequest
	if e := decodeXML(raw, &q); e != nil {
		return e
	}
	maxResults := 100
	if q.MaxResults != "" && q.MaxResults != "None" {
		n, ok := parseBoundedInt(q.MaxResults, 0, 100)
		if !ok {
			return errInvalidArgument("MaxResults", q.MaxResults, "MaxResults must be between 0 and 100.")
		}
		maxResults = n
	}
	var cond metaCondition
	if err := json.Unmarshal([]byte(q.Query), &cond); err != nil {
		return errInvalidArgument("Query", q.Query, "The query is not valid JSON.")
	}
	if err := cond.check(); err != nil {
		return errInvalidArgument("Query", q.Query, "The query is not valid: "+err.Error()+".")
	}
	if q.Sort != "" && !knownMetaField(q.Sort) {
		return errInvalidArgument("Sort", q.Sort, "The sort field is not valid.")
	}
	if q.Order != "" && !oneOf(q.Order, "asc", "desc") {
		return errInvalidArgument("Order", q.Order, "Order must be asc or desc.")
	}
	var files []*metaFile
	err = rq.s.cfg.Store.List(rq.bucket, store.ListOptions{}, func(o store.ObjectInfo) bool {
		f := &metaFile{info: o, tags: tagPairs(o.Tagging)}
		if cond.matches(f) {
			files = append(files, f)
		}
		return true
	})
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	if q.Sort != "" {
		sort.SliceStable(files, func(i, j int) bool {
			a, an, numeric, _ := files[i].field(q.Sort)
			b, bn, _, _ := files[j].field(q.Sort)
			cmp := strings.Compare(a, b)
			if numeric || q.Sort == "FileModifiedTime" {
				cmp = compareFloat(an, bn)
			}
			if q.Order == "desc" {
				return cmp > 0
			}
			return cmp < 0
		})
	}
	out := struct {
		XMLName      xml.Name          `xml:"MetaQuery"`
		NextToken    string            `xml:"NextToken"`
		Files        []metaFileXML     `xml:"Files>File"`
		Aggregations []metaAggregation `xml:"Aggregations>Aggregation,omitempty"`
	}{}
	if len(q.Aggregations) > 0 {
		for _, a := range q.Aggregations {
			agg, e := aggregate(files, a.Field, a.Operation)
			if e != nil {
				return e
			}
			out.Aggregations = append(out.Aggregations, agg)
		}
		return rq.writeXML(out)
	}
	start := 0
	if q.NextToken != "" {
		n, ok := parseBoundedInt(q.NextToken, 0, math.MaxInt32)
		if !ok {
			return errInvalidArgument("NextToken", q.NextToken, "The NextToken is not valid.")
		}
		start = min(n, len(files))
	}
	end := min(start+maxResults, len(files))
	if end < len(files) {
		out.NextToken = strconv.Itoa(end)
	}
	for _, f := range files[start:end] {
		o := f.info
		x := metaFileXML{Filename: o.Key, Size: o.Size, OSSObjectType: o.Type, OSSStorageClass: o.StorageClass,
			OSSCRC64: strconv.FormatUint(o.CRC64, 10), OSSTaggingCount: len(f.tags)}
		x.FileModifiedTime, _, _, _ = f.field("FileModifiedTime")
		x.ObjectACL, _, _, _ = f.field("ObjectACL")
		x.ETag, _, _, _ = f.field("ETag")
		for _, t := range f.tags {
			x.OSSTagging = append(x.OSSTagging, metaTagging{t.Key, t.Value})
		}
		keys := make([]string, 0, len(o.Meta))
		for k := range o.Meta {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			x.OSSUserMeta = append(x.OSSUserMeta, metaTagging{k, o.Meta[k]})
		}
		out.Files = append(out.Files, x)
	}
	return rq.writeXML(out)
}

// aggregate computes one aggregation over the matching files.
func aggregate(files []*metaFile, field, op string) (metaAggregation, *ossError) {
	agg := metaAggregation{Field: field, Operation: op}
	if !knownMetaField(field) {
		return agg, errInvalidArgument("Field", field, "The aggregation field is not valid.")
	}
	var nums []float64
	counts := map[string]int{}
	var order []string
	for _, f := range files {
		text, num, numeric, ok := f.field(field)
		if !ok {
			continue
		}
		if numeric {
			nums = append(nums, num)
		}
		if counts[text] == 0 {
			order = append(order, text)
		}
		counts[text]++
	}
	value := func(v float64) *string {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		return &s
	}
	switch op {
	case "count":
		n := 0
		for _, c := range counts {
			n += c
		}
		agg.Value = value(float64(n))
	case "distinct":
		agg.Value = value(float64(len(order)))
	case "group":
		sort.SliceStable(order, func(i, j int) bool { return counts[order[i]] > counts[order[j]] })
		for _, v := range order {
			agg.Groups = append(agg.Groups, metaGroup{v, counts[v]})
		}
	case "min", "max", "sum", "average":
		if len(files) > 0 && len(nums) == 0 {
			return agg, errInvalidArgument("Operation", op, op+" needs a numeric field.")
		}
		var r float64
		for i, n := range nums {
			switch {
			case op == "min" && (i == 0 || n < r), op == "max" && (i == 0 || n > r):
				r = n
			case op == "sum" || op == "average":
				r += n
			}
		}
		if op == "average" && len(nums) > 0 {
			r /= float64(len(nums))
		}
		agg.Value = value(r)
	default:
		return agg, errInvalidArgument("Operation", op, "The aggregation operation is not valid.")
	}
	return agg, nil
}

// metaQueryRoute finds the handler of a metadata query request, or nil.
func (rq *request) metaQueryRoute(m string) func() *ossError {
	if !rq.has("metaQuery") {
		return nil
	}
	switch comp := rq.query.Get("comp"); {
	case m == http.MethodPost && comp == "add":
		return rq.openMetaQuery
	case m == http.MethodPost && comp == "delete":
		return rq.closeMetaQuery
	case m == http.MethodPost && comp == "query":
		return rq.doMetaQuery
	case m == http.MethodGet:
		return rq.metaQueryStatus
	}
	return nil
}
