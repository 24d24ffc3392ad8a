package server

import (
	"encoding/xml"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Bucket inventories: up to 1000 configurations, each kept (validated, booleans as OSS writes
// them) as its own config, "inventory:<id>", and listed by id, 100 a page. The server writes no
// inventory files.

const (
	inventoryPrefix   = "inventory:"
	maxInventories    = 1000
	inventoriesOnPage = 100
)

type inventoryFilter struct {
	Prefix         *string `xml:"Prefix"`
	BeginTime      *string `xml:"LastModifyBeginTimeStamp"`
	EndTime        *string `xml:"LastModifyEndTimeStamp"`
	LowerSizeBound *string `xml:"LowerSizeBound"`
	UpperSizeBound *string `xml:"UpperSizeBound"`
	StorageClass   *string `xml:"StorageClass"`
}

type inventoryEncryption struct {
	KMSKeyID *string   `xml:"SSE-KMS>KeyId"`
	OSS      *struct{} `xml:"SSE-OSS"`
}

type inventoryDestination struct {
	AccountID  *string              `xml:"AccountId"`
	RoleArn    *string              `xml:"RoleArn"`
	Bucket     *string              `xml:"Bucket"`
	Format     *string              `xml:"Format"`
	Prefix     *string              `xml:"Prefix"`
	Encryption *inventoryEncryption `xml:"Encryption"`
}

type inventoryConfiguration struct {
	XMLName                xml.Name              `xml:"InventoryConfiguration"`
	ID                     string                `xml:"Id"`
	IsEnabled              string                `xml:"IsEnabled"`
	Filter                 *inventoryFilter      `xml:"Filter"`
	Destination            *inventoryDestination `xml:"Destination>OSSBucketDestination"`
	Frequency              string                `xml:"Schedule>Frequency"`
	IncludedObjectVersions string                `xml:"IncludedObjectVersions"`
	OptionalFields         *[]string             `xml:"OptionalFields>Field"`
}

var inventoryFields = []string{"Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded",
	"EncryptionStatus", "ObjectAcl", "TaggingCount", "ObjectType", "Crc64"}

func errNoSuchInventory(id string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchInventory", Message: "The specified inventory does not exist.", EC: "0036-00000201"}).with("InventoryId", id)
}

// checkInventory refuses what OSS refuses in a configuration and writes its booleans as OSS
// does (oss2 sends Python's "True").
func checkInventory(c *inventoryConfiguration, id string) *ossError {
	if c.ID == "" || c.ID != id {
		return errInvalidArgument("inventoryId", id, "The inventory id in the query must be the configuration's Id.")
	}
	switch strings.ToLower(c.IsEnabled) {
	case "true", "false":
		c.IsEnabled = strings.ToLower(c.IsEnabled)
	default:
		return errMalformedXML()
	}
	d := c.Destination
	if d == nil || d.Bucket == nil || d.Format == nil || d.AccountID == nil || d.RoleArn == nil {
		return errMalformedXML()
	}
	name, ok := strings.CutPrefix(*d.Bucket, "acs:oss:::")
	if !ok || store.ValidateBucketName(name) != nil {
		return errInvalidArgument("Bucket", *d.Bucket, "The destination bucket must be acs:oss:::<bucket>.")
	}
	if *d.Format != "CSV" {
		return errInvalidArgument("Format", *d.Format, "The inventory format must be CSV.")
	}
	if e := d.Encryption; e != nil && (e.KMSKeyID != nil) == (e.OSS != nil) {
		return errMalformedXML()
	}
	if !oneOf(c.Frequency, "Daily", "Weekly") {
		return errInvalidArgument("Frequency", c.Frequency, "Frequency must be Daily or Weekly.")
	}
	if !oneOf(c.IncludedObjectVersions, "All", "Current") {
		return errInvalidArgument("IncludedObjectVersions", c.IncludedObjectVersions, "IncludedObjectVersions must be All or Current.")
	}
	if c.OptionalFields != nil {
		for _, f := range *c.OptionalFields {
			if !oneOf(f, inventoryFields...) {
				return errInvalidArgument("Field", f, "The optional field is not supported.")
			}
		}
	}
	if f := c.Filter; f != nil && f.StorageClass != nil {
		for _, class := range strings.Split(*f.StorageClass, ",") {
			if !oneOf(class, store.ClassStandard, store.ClassIA, store.ClassArchive, store.ClassColdArchive, store.ClassDeepColdArchive) {
				return errInvalidArgument("StorageClass", *f.StorageClass, "The storage class is not valid.")
			}
		}
	}
	return nil
}

func (rq *request) putInventory() *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var c inventoryConfiguration
	if e := decodeXML(raw, &c); e != nil {
		return e
	}
	id := rq.query.Get("inventoryId")
	if e := checkInventory(&c, id); e != nil {
		return e
	}
	doc, err := xml.Marshal(c)
	if err != nil {
		return errInternal(err)
	}
	e = rq.updateConfig(inventoryPrefix+id, func(old string, b *store.BucketInfo) (string, *ossError) {
		if old != "" {
			return "", (&ossError{Status: 409, Code: "InventoryAlreadyExist", Message: "The inventory already exists.", EC: "0036-00000301"}).with("InventoryId", id)
		}
		if len(inventoryIDs(b)) >= maxInventories {
			return "", errInvalidArgument("inventoryId", id, "A bucket has at most 1000 inventories.")
		}
		return string(doc), nil
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func inventoryIDs(b *store.BucketInfo) []string {
	var ids []string
	for name := range b.Configs {
		if id, ok := strings.CutPrefix(name, inventoryPrefix); ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

func (rq *request) getInventory() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	id := rq.query.Get("inventoryId")
	doc, ok := b.Configs[inventoryPrefix+id]
	if !ok {
		return errNoSuchInventory(id)
	}
	return rq.writeRawXML(doc)
}

// writeRawXML answers with a stored document.
func (rq *request) writeRawXML(doc string) *ossError {
	body := xml.Header + doc
	h := rq.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	rq.writeHeader(http.StatusOK)
	rq.w.Write([]byte(body))
	return nil
}

func (rq *request) listInventories() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	token := rq.query.Get("continuation-token")
	var page []string
	truncated := false
	for _, id := range inventoryIDs(&b) {
		if id <= token && token != "" {
			continue
		}
		if len(page) == inventoriesOnPage {
			truncated = true
			break
		}
		page = append(page, id)
	}
	var out strings.Builder
	out.WriteString("<ListInventoryConfigurationsResult>")
	for _, id := range page {
		out.WriteString(b.Configs[inventoryPrefix+id])
	}
	if token != "" {
		writeElement(&out, "ContinuationToken", token)
	}
	if truncated {
		out.WriteString("<IsTruncated>true</IsTruncated>")
		writeElement(&out, "NextContinuationToken", page[len(page)-1])
	} else {
		out.WriteString("<IsTruncated>false</IsTruncated>")
	}
	out.WriteString("</ListInventoryConfigurationsResult>")
	return rq.writeRawXML(out.String())
}

func writeElement(b *strings.Builder, name, text string) {
	b.WriteString("<" + name + ">")
	xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">")
}

func (rq *request) deleteInventory() *ossError {
	id := rq.query.Get("inventoryId")
	e := rq.updateConfig(inventoryPrefix+id, func(old string, _ *store.BucketInfo) (string, *ossError) {
		if old == "" {
			return "", errNoSuchInventory(id)
		}
		return "", nil
	})
	if e != nil {
		return e
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

// inventoryRoute finds the handler of an inventory request, or nil.
func (rq *request) inventoryRoute(m string) func() *ossError {
	if !rq.has("inventory") {
		return nil
	}
	switch {
	case m == http.MethodPut:
		return rq.putInventory
	case m == http.MethodGet && rq.has("inventoryId"):
		return rq.getInventory
	case m == http.MethodGet:
		return rq.listInventories
	case m == http.MethodDelete:
		return rq.deleteInventory
	}
	return nil
}
