package server

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Cross-region replication rules: added and deleted one at a time (POST ?replication&comp=add
// or delete), listed whole. A rule whose destination bucket is in this server copies as writes
// complete (see replicateKey); any other is kept and answered, its progress at nothing copied.

const replicationConfig = "replication"

type replicationDestination struct {
	Bucket       string `xml:"Bucket"`
	Location     string `xml:"Location"`
	TransferType string `xml:"TransferType,omitempty"`
}

type replicationRule struct {
	ID                          string                 `xml:"ID"`
	Destination                 replicationDestination `xml:"Destination"`
	Status                      string                 `xml:"Status"`
	HistoricalObjectReplication string                 `xml:"HistoricalObjectReplication"`
	Prefixes                    *[]string              `xml:"PrefixSet>Prefix"`
	Action                      string                 `xml:"Action"`
	SyncRole                    string                 `xml:"SyncRole,omitempty"`
	ReplicaKmsKeyID             string                 `xml:"EncryptionConfiguration>ReplicaKmsKeyID,omitempty"`
	SseKmsStatus                string                 `xml:"SourceSelectionCriteria>SseKmsEncryptedObjects>Status,omitempty"`
}

// storedReplication is the config document: the rules and when each was added.
type storedReplication struct {
	XMLName xml.Name `xml:"ReplicationConfiguration"`
	Rules   []storedRule
}

type storedRule struct {
	Rule    replicationRule `xml:"Rule"`
	Created string          `xml:"Created"`
}

func errNoSuchReplication() *ossError {
	return &ossError{Status: 404, Code: "NoSuchReplicationConfiguration", Message: "The replication configuration does not exist.", EC: "0025-00000001"}
}

func errNoSuchReplicationRule(id string) *ossError {
	return (&ossError{Status: 404, Code: "NoSuchReplicationRule", Message: "The specified replication rule does not exist.", EC: "0025-00000002"}).with("RuleId", id)
}

func loadReplication(doc string) storedReplication {
	var r storedReplication
	xml.Unmarshal([]byte(doc), &r)
	return r
}

// checkReplicationRule refuses what OSS refuses in a rule being added.
func (rq *request) checkReplicationRule(r *replicationRule) *ossError {
	d := r.Destination
	if d.Bucket == "" || d.Location == "" || store.ValidateBucketName(d.Bucket) != nil {
		return errInvalidArgument("Destination", d.Bucket, "The destination bucket and location are required.")
	}
	if !oneOf(d.Location, ossRegions...) {
		return errInvalidArgument("Location", d.Location, "The destination location is not supported.")
	}
	if d.Bucket == rq.bucket && d.Location == "oss-"+rq.s.cfg.Region {
		return errInvalidArgument("Destination", d.Bucket, "The destination bucket must differ from the source bucket.")
	}
	if d.TransferType != "" && !oneOf(d.TransferType, "internal", "oss_acc") {
		return errInvalidArgument("TransferType", d.TransferType, "TransferType must be internal or oss_acc.")
	}
	if r.HistoricalObjectReplication == "" {
		r.HistoricalObjectReplication = "enabled"
	}
	if !oneOf(r.HistoricalObjectReplication, "enabled", "disabled") {
		return errInvalidArgument("HistoricalObjectReplication", r.HistoricalObjectReplication, "HistoricalObjectReplication must be enabled or disabled.")
	}
	if r.Action == "" {
		r.Action = "ALL"
	}
	for _, a := range strings.Split(r.Action, ",") {
		if !oneOf(a, "ALL", "PUT", "DELETE", "ABORT") {
			return errInvalidArgument("Action", r.Action, "Action must be ALL or a list of PUT, DELETE and ABORT.")
		}
	}
	if r.SseKmsStatus != "" && !oneOf(r.SseKmsStatus, "Enabled", "Disabled") {
		return errMalformedXML()
	}
	if r.Prefixes != nil && len(*r.Prefixes) > 10 {
		return errInvalidArgument("PrefixSet", "", "A rule has at most 10 prefixes.")
	}
	return nil
}

func (rq *request) addReplicationRule() *ossError {
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var doc struct {
		XMLName xml.Name
		Rules   []replicationRule `xml:"Rule"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if doc.XMLName.Local != "ReplicationConfiguration" || len(doc.Rules) != 1 {
		return errMalformedXML()
	}
	rule := doc.Rules[0]
	if e := rq.checkReplicationRule(&rule); e != nil {
		return e
	}
	if rule.ID == "" {
		rule.ID = newUUID()
	}
	rule.Status = "doing"
	e = rq.updateConfig(replicationConfig, func(old string, _ *store.BucketInfo) (string, *ossError) {
		cur := loadReplication(old)
		for _, r := range cur.Rules {
			if r.Rule.ID == rule.ID {
				return "", errInvalidArgument("ID", rule.ID, "The replication rule ID already exists.")
			}
			if r.Rule.Destination.Bucket == rule.Destination.Bucket && r.Rule.Destination.Location == rule.Destination.Location {
				return "", &ossError{Status: 409, Code: "BucketReplicationAlreadyExist", Message: "A replication rule to this destination already exists.", EC: "0025-00000003"}
			}
		}
		if len(cur.Rules) >= 100 {
			return "", errInvalidArgument("Rule", rule.ID, "A bucket has at most 100 replication rules.")
		}
		cur.Rules = append(cur.Rules, storedRule{Rule: rule, Created: rq.s.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z")})
		out, err := xml.Marshal(cur)
		if err != nil {
			return "", errInternal(err)
		}
		return string(out), nil
	})
	if e != nil {
		return e
	}
	rq.s.replicateHistory(rq.bucket, rule)
	rq.w.Header().Set("x-oss-replication-rule-id", rule.ID)
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) deleteReplicationRule() *ossError {
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var doc struct {
		XMLName xml.Name
		ID      string `xml:"ID"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if doc.XMLName.Local != "ReplicationRules" || doc.ID == "" {
		return errMalformedXML()
	}
	e = rq.updateConfig(replicationConfig, func(old string, _ *store.BucketInfo) (string, *ossError) {
		cur := loadReplication(old)
		for i, r := range cur.Rules {
			if r.Rule.ID == doc.ID {
				cur.Rules = append(cur.Rules[:i], cur.Rules[i+1:]...)
				if len(cur.Rules) == 0 {
					return "", nil
				}
				out, err := xml.Marshal(cur)
				if err != nil {
					return "", errInternal(err)
				}
				return string(out), nil
			}
		}
		return "", errNoSuchReplicationRule(doc.ID)
	})
	if e != nil {
		return e
	}
	rq.w.Header().Set("Content-Length", "0")
	return nil
}

func (rq *request) storedReplication() (storedReplication, *ossError) {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storedReplication{}, storeError(err, rq.bucket, "")
	}
	return loadReplication(b.Configs[replicationConfig]), nil
}

func (rq *request) getReplication() *ossError {
	cur, e := rq.storedReplication()
	if e != nil {
		return e
	}
	if len(cur.Rules) == 0 {
		return errNoSuchReplication().with("BucketName", rq.bucket)
	}
	out := struct {
		XMLName xml.Name          `xml:"ReplicationConfiguration"`
		Rules   []replicationRule `xml:"Rule"`
	}{}
	for _, r := range cur.Rules {
		out.Rules = append(out.Rules, r.Rule)
	}
	return rq.writeXML(out)
}

func (rq *request) getReplicationProgress() *ossError {
	cur, e := rq.storedReplication()
	if e != nil {
		return e
	}
	id := rq.query.Get("rule-id")
	for _, r := range cur.Rules {
		if r.Rule.ID != id {
			continue
		}
		type progress struct {
			HistoricalObject string `xml:"HistoricalObject,omitempty"`
			NewObject        string `xml:"NewObject"`
		}
		// A local destination is in line with every write so far; another copies nothing.
		p, done := progress{NewObject: r.Created}, "0.00"
		if _, err := rq.s.cfg.Store.Bucket(r.Rule.Destination.Bucket); err == nil {
			p.NewObject, done = rq.s.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z"), "1.00"
		}
		if r.Rule.HistoricalObjectReplication == "enabled" {
			p.HistoricalObject = done
		}
		return rq.writeXML(struct {
			XMLName xml.Name `xml:"ReplicationProgress"`
			Rule    struct {
				replicationRule
				Progress progress `xml:"Progress"`
			} `xml:"Rule"`
		}{Rule: struct {
			replicationRule
			Progress progress `xml:"Progress"`
		}{r.Rule, p}})
	}
	if len(cur.Rules) == 0 {
		return errNoSuchReplication().with("BucketName", rq.bucket)
	}
	return errNoSuchReplicationRule(id)
}

func (rq *request) getReplicationLocation() *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	type transferType struct {
		Location string   `xml:"Location"`
		Types    []string `xml:"TransferTypes>Type"`
	}
	out := struct {
		XMLName     xml.Name       `xml:"ReplicationLocation"`
		Locations   []string       `xml:"Location"`
		Constraints []transferType `xml:"LocationTransferTypeConstraint>LocationTransferType"`
	}{}
	for _, l := range ossRegions {
		if l == "oss-"+rq.s.cfg.Region {
			continue
		}
		out.Locations = append(out.Locations, l)
		if l == "oss-cn-hongkong" || l == "oss-us-west-1" {
			out.Constraints = append(out.Constraints, transferType{l, []string{"oss_acc"}})
		}
	}
	return rq.writeXML(out)
}

// replicationRoute finds the handler of a replication request, or nil.
func (rq *request) replicationRoute(m string) func() *ossError {
	switch {
	case rq.has("replication") && m == http.MethodPost && rq.query.Get("comp") == "add":
		return rq.addReplicationRule
	case rq.has("replication") && m == http.MethodPost && rq.query.Get("comp") == "delete":
		return rq.deleteReplicationRule
	case rq.has("replication") && m == http.MethodGet:
		return rq.getReplication
	case rq.has("replicationProgress") && m == http.MethodGet:
		return rq.getReplicationProgress
	case rq.has("replicationLocation") && m == http.MethodGet:
		return rq.getReplicationLocation
	}
	return nil
}

// Replication within the server: a rule whose destination bucket is in this store copies each
// write of a matching key there (and, with DELETE or ALL, each delete) as the write completes,
// and with historical replication the matching objects already there when the rule is added.
// Destinations elsewhere are kept as rules only.

// ruleApplies: the rule covers key and the action (PUT or DELETE).
func ruleApplies(r replicationRule, key, action string) bool {
	if r.Action != "ALL" && !strings.Contains(","+r.Action+",", ","+action+",") {
		return false
	}
	if r.Prefixes == nil || len(*r.Prefixes) == 0 {
		return true
	}
	for _, p := range *r.Prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// replicateKey brings key's replicas in line with the source after a write or a delete.
func (s *Server) replicateKey(b *store.BucketInfo, key string) {
	doc, ok := b.Configs[replicationConfig]
	if !ok {
		return
	}
	for _, sr := range loadReplication(doc).Rules {
		s.replicateByRule(b.Name, sr.Rule, key)
	}
}

func (s *Server) replicateByRule(bucket string, r replicationRule, key string) {
	target := r.Destination.Bucket
	if target == bucket {
		return
	}
	tb, err := s.cfg.Store.Bucket(target)
	if err != nil {
		return // a destination outside this server
	}
	if e := s.wormProtects(&tb, key); e != nil {
		s.cfg.Logger.Warn("replication: not replicated", "bucket", target, "key", key, "error", e.Message)
		return // the destination's retention policy protects its copy
	}
	info, body, err := s.cfg.Store.Open(bucket, key)
	if err != nil {
		if ruleApplies(r, key, "DELETE") {
			if err := s.cfg.Store.Delete(target, key); err != nil && !errors.Is(err, store.ErrNoSuchKey) {
				s.cfg.Logger.Warn("replication: delete", "bucket", target, "key", key, "error", err)
			}
		}
		return
	}
	defer body.Close()
	if !ruleApplies(r, key, "PUT") {
		return
	}
	opts := store.PutOptions{Type: info.Type, SizeHint: info.Size}
	if info.Type == store.TypeNormal {
		opts.Type = ""
	}
	if _, err := s.cfg.Store.Put(target, key, io.NewSectionReader(body, 0, info.Size), info.Attrs, opts); err != nil {
		s.cfg.Logger.Warn("replication: copy", "bucket", target, "key", key, "error", err)
	}
}

// replicateHistory copies the objects a new rule covers that were there before it.
func (s *Server) replicateHistory(bucket string, r replicationRule) {
	if r.HistoricalObjectReplication != "enabled" {
		return
	}
	var keys []string
	s.cfg.Store.List(bucket, store.ListOptions{}, func(o store.ObjectInfo) bool {
		if ruleApplies(r, o.Key, "PUT") {
			keys = append(keys, o.Key)
		}
		return true
	})
	for _, k := range keys {
		s.replicateByRule(bucket, r, k)
	}
}

// replicateWrite follows a successful object request that changed content.
func (rq *request) replicateWrite(m string) {
	if !contentChange(rq, m) {
		return
	}
	if b, err := rq.s.cfg.Store.Bucket(rq.bucket); err == nil {
		rq.s.replicateKey(&b, rq.key)
	}
}
