package oss

// The cross-region replication documents. A pointer is an element OSS may leave out (JSON
// null when it did).

// ReplicationDestination is where a rule copies to.
type ReplicationDestination struct {
	Bucket        *string `xml:"Bucket" json:"bucket"`
	Location      *string `xml:"Location" json:"location"`
	TransferType  *string `xml:"TransferType" json:"transfer_type"`
	Cloud         *string `xml:"Cloud" json:"cloud"`
	CloudLocation *string `xml:"CloudLocation" json:"cloud_location"`
}

// ReplicationPrefixSet is a rule's key prefixes.
type ReplicationPrefixSet struct {
	Prefixes []string `xml:"Prefix" json:"prefixes"`
}

// ReplicationRule is one rule as GetBucketReplication and GetBucketReplicationProgress give it.
type ReplicationRule struct {
	ID                           *string                 `xml:"ID" json:"id"`
	Destination                  *ReplicationDestination `xml:"Destination" json:"destination"`
	Status                       string                  `xml:"Status" json:"status"`
	HistoricalObjectReplication  string                  `xml:"HistoricalObjectReplication" json:"historical_object_replication"`
	PrefixSet                    *ReplicationPrefixSet   `xml:"PrefixSet" json:"prefix_set"`
	Action                       string                  `xml:"Action" json:"action"` // "ALL" or "PUT,DELETE,..."
	SyncRole                     *string                 `xml:"SyncRole" json:"sync_role"`
	ReplicaKmsKeyID              *string                 `xml:"EncryptionConfiguration>ReplicaKmsKeyID" json:"replica_kms_key_id"`
	SseKmsEncryptedObjectsStatus *string                 `xml:"SourceSelectionCriteria>SseKmsEncryptedObjects>Status" json:"sse_kms_encrypted_objects_status"`
}

// ReplicationConfiguration is GetBucketReplication's answer (kind "get_bucket_replication").
type ReplicationConfiguration struct {
	Rules []ReplicationRule `xml:"Rule" json:"rules"`
}

// ReplicationProgressRule is a rule with how far it got.
type ReplicationProgressRule struct {
	ReplicationRule
	HistoricalObject *string `xml:"Progress>HistoricalObject" json:"historical_object"` // a fraction, "0.85"
	NewObject        *string `xml:"Progress>NewObject" json:"new_object"`               // writes before it are copied
}

// ReplicationProgress is GetBucketReplicationProgress's answer (kind
// "get_bucket_replication_progress").
type ReplicationProgress struct {
	Rule *ReplicationProgressRule `xml:"Rule" json:"rule"`
}

// LocationTransferType is a region reachable only through the transfer types it names.
type LocationTransferType struct {
	Location      *string  `xml:"Location" json:"location"`
	TransferTypes []string `xml:"TransferTypes>Type" json:"transfer_types"`
}

// ReplicationLocation is GetBucketReplicationLocation's answer (kind
// "get_bucket_replication_location"): the regions a rule may copy to.
type ReplicationLocation struct {
	Locations             []string               `xml:"Location" json:"locations"`
	LocationTransferTypes []LocationTransferType `xml:"LocationTransferTypeConstraint>LocationTransferType" json:"location_transfer_types"`
}
