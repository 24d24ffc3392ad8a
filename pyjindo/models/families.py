"""The bucket families beyond the everyday settings (WORM, replication, inventory, ...): oss2's
parameter and result classes, with oss2's names, fields and defaults.

Results are read from the typed JSON of their go/oss struct (`resp.parsed`): every field is
there, an absent optional element is None, integers are ints.
"""
from ..exceptions import ClientError
from .common import _parsed, RequestResult


# --- WORM (retention policy) -------------------------------------------------------------------

class InitBucketWormResult(RequestResult):
    """init_bucket_worm's result: `worm_id` (from the x-oss-worm-id header)."""

    def __init__(self, resp):
        super(InitBucketWormResult, self).__init__(resp)
        self.worm_id = None


class GetBucketWormResult(RequestResult):
    """get_bucket_worm's result: `worm_id`, `state` ("InProgress" or "Locked"),
    `retention_period_days`, `creation_date` (as OSS wrote it). `worm_state` stays None, as
    in oss2, which declares it but fills `state`.
    """

    def __init__(self, resp):
        super(GetBucketWormResult, self).__init__(resp)
        self.worm_id = None
        self.worm_state = None
        self.retention_period_days = None
        self.creation_date = None
        body = _parsed(resp)  # go/oss WormConfiguration
        if body:
            self.worm_id = body["worm_id"]
            self.state = body["state"]
            self.retention_period_days = body["retention_period_days"]
            self.creation_date = body["creation_date"]


# --- cross-region replication ------------------------------------------------------------------

class ReplicationRule(object):
    """A replication rule, as oss2: put_bucket_replication's argument and get_bucket_replication's
    `rule_list` entries. `status` ("starting", "doing", "closing") is set by the server. Raises
    ClientError for a non-bool `is_enable_historical_object_replication` or a
    `sse_kms_encrypted_objects_status` other than ENABLED or DISABLED.
    """

    ENABLED = "Enabled"
    DISABLED = "Disabled"
    ALL = "ALL"
    PUT = "PUT"
    DELETE = "DELETE"
    ABORT = "ABORT"

    STARTING = "starting"
    DOING = "doing"
    CLOSING = "closing"

    def __init__(self, rule_id=None, target_bucket_name=None, target_bucket_location=None, target_transfer_type=None,
                 prefix_list=None, action_list=None, is_enable_historical_object_replication=None,
                 sync_role_name=None, replica_kms_keyid=None, sse_kms_encrypted_objects_status=None, status=None,
                 target_cloud=None, target_cloud_location=None):
        if is_enable_historical_object_replication is not None and \
                not isinstance(is_enable_historical_object_replication, bool):
            raise ClientError("is_enable_historical_object_replication should be instance of bool.")
        if sse_kms_encrypted_objects_status not in (None, self.ENABLED, self.DISABLED):
            raise ClientError('sse_kms_encrypted_objects_status should be "Enabled" or "Disabled".')
        self.rule_id = rule_id
        self.target_bucket_name = target_bucket_name
        self.target_bucket_location = target_bucket_location
        self.target_transfer_type = target_transfer_type
        self.prefix_list = prefix_list or []
        self.action_list = action_list or []
        self.is_enable_historical_object_replication = is_enable_historical_object_replication
        self.sync_role_name = sync_role_name
        self.replica_kms_keyid = replica_kms_keyid
        self.sse_kms_encrypted_objects_status = sse_kms_encrypted_objects_status
        self.status = status
        self.target_cloud = target_cloud
        self.target_cloud_location = target_cloud_location


class BucketReplicationProgress(object):
    """A rule's replication progress, as oss2: the rule's fields, `historical_object_progress`
    (a fraction, 0 when not reported) and `new_object_progress` (writes before it are copied)."""

    def __init__(self, rule_id=None, target_bucket_name=None, target_bucket_location=None, target_transfer_type=None,
                 prefix_list=None, action_list=None, is_enable_historical_object_replication=None, status=None,
                 historical_object_progress=None, new_object_progress=None):
        self.rule_id = rule_id
        self.target_bucket_name = target_bucket_name
        self.target_bucket_location = target_bucket_location
        self.target_transfer_type = target_transfer_type
        self.prefix_list = prefix_list or []
        self.action_list = action_list or []
        self.is_enable_historical_object_replication = is_enable_historical_object_replication
        self.status = status
        self.historical_object_progress = historical_object_progress or 0
        self.new_object_progress = new_object_progress


class LocationTransferType(object):
    """A region a rule may copy to only over `transfer_type`."""

    def __init__(self):
        self.location = None
        self.transfer_type = None


def _destination(rule):
    return rule["destination"] or {}


def _rule_common(target, rule):
    """The fields a replication rule and its progress share, read as oss2 reads them."""
    dest = _destination(rule)
    target.target_bucket_name = dest.get("bucket")
    target.target_bucket_location = dest.get("location")
    target.target_transfer_type = dest.get("transfer_type")
    target.status = rule["status"]
    target.is_enable_historical_object_replication = rule["historical_object_replication"] == "enabled"
    if rule["prefix_set"] is not None:
        target.prefix_list = list(rule["prefix_set"]["prefixes"] or ())
    target.action_list = rule["action"].split(",")


class GetBucketReplicationResult(RequestResult):
    """get_bucket_replication's result: `rule_list` (ReplicationRule)."""

    def __init__(self, resp):
        super(GetBucketReplicationResult, self).__init__(resp)
        self.rule_list = []
        for r in _parsed(resp).get("rules") or ():  # go/oss ReplicationConfiguration
            rule = ReplicationRule()
            if r["id"] is not None:
                rule.rule_id = r["id"]
            _rule_common(rule, r)
            dest = _destination(r)
            rule.target_cloud = dest.get("cloud")
            rule.target_cloud_location = dest.get("cloud_location")
            rule.sync_role_name = r["sync_role"]
            rule.replica_kms_keyid = r["replica_kms_key_id"]
            rule.sse_kms_encrypted_objects_status = r["sse_kms_encrypted_objects_status"]
            self.rule_list.append(rule)


class GetBucketReplicationLocationResult(RequestResult):
    """get_bucket_replication_location's result: `location_list` (region names) and
    `location_transfer_type_list` (LocationTransferType)."""

    def __init__(self, resp):
        super(GetBucketReplicationLocationResult, self).__init__(resp)
        self.location_list = []
        self.location_transfer_type_list = []
        body = _parsed(resp)  # go/oss ReplicationLocation
        self.location_list = list(body.get("locations") or ())
        for c in body.get("location_transfer_types") or ():
            t = LocationTransferType()
            t.location = c["location"]
            t.transfer_type = (c["transfer_types"] or [None])[0]
            self.location_transfer_type_list.append(t)


class GetBucketReplicationProgressResult(RequestResult):
    """get_bucket_replication_progress's result: `progress` (BucketReplicationProgress)."""

    def __init__(self, resp):
        super(GetBucketReplicationProgressResult, self).__init__(resp)
        self.progress = None
        rule = _parsed(resp).get("rule")  # go/oss ReplicationProgress
        if rule is None:
            return
        progress = BucketReplicationProgress()
        progress.rule_id = rule["id"]
        _rule_common(progress, rule)
        if rule["historical_object"] is not None:
            progress.historical_object_progress = float(rule["historical_object"])
        progress.new_object_progress = rule["new_object"]
        self.progress = progress
