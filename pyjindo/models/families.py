"""The bucket families beyond the everyday settings (WORM, replication, inventory, ...): oss2's
parameter and result classes, with oss2's names, fields and defaults.

Results are read from the typed JSON of their go/oss struct (`resp.parsed`): every field is
there, an absent optional element is None, integers are ints.
"""
from ..exceptions import ClientError
from .common import _parsed, RequestResult, _ResponseLike


# --- WORM (retention policy) -------------------------------------------------------------------

class InitBucketWormResult(RequestResult):
    """init_bucket_worm's result: `worm_id` (from the x-oss-worm-id header)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(InitBucketWormResult, self).__init__(resp)
        self.worm_id = None


class GetBucketWormResult(RequestResult):
    """get_bucket_worm's result: `worm_id`, `state` ("InProgress" or "Locked"),
    `retention_period_days`, `creation_date` (as OSS wrote it). `worm_state` stays None, as
    in oss2, which declares it but fills `state`.
    """

    def __init__(self, resp: _ResponseLike) -> None:
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

    def __init__(self, resp: _ResponseLike) -> None:
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

    def __init__(self, resp: _ResponseLike) -> None:
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

    def __init__(self, resp: _ResponseLike) -> None:
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


# --- inventory ---------------------------------------------------------------------------------

class InventoryConfiguration(object):
    """An inventory, as oss2: `inventory_id`, `is_enabled`, `included_object_versions`
    (INVENTORY_INCLUDED_OBJECT_VERSIONS_*), `inventory_filter` (InventoryFilter),
    `inventory_destination` (InventoryDestination), `inventory_schedule` (InventorySchedule),
    `optional_fields` (FIELD_* values)."""

    def __init__(self, inventory_id=None, is_enabled=None, included_object_versions=None, inventory_filter=None,
                 inventory_destination=None, inventory_schedule=None, optional_fields=None):
        self.inventory_id = inventory_id
        self.is_enabled = is_enabled
        self.included_object_versions = included_object_versions
        self.inventory_filter = inventory_filter
        self.inventory_destination = inventory_destination
        self.inventory_schedule = inventory_schedule
        self.optional_fields = optional_fields or []


class InventoryFilter(object):
    """Which objects an inventory lists: key prefix, modification time and size bounds, storage
    classes (values as given; read back as the document's text)."""

    def __init__(self, prefix=None, last_modify_begin_time_stamp=None, last_modify_end_time_stamp=None,
                 lower_size_bound=None, upper_size_bound=None, storage_class=None):
        self.prefix = prefix
        self.last_modify_begin_time_stamp = last_modify_begin_time_stamp
        self.last_modify_end_time_stamp = last_modify_end_time_stamp
        self.lower_size_bound = lower_size_bound
        self.upper_size_bound = upper_size_bound
        self.storage_class = storage_class


class InventorySchedule(object):
    """How often an inventory is made: INVENTORY_FREQUENCY_DAILY or _WEEKLY."""

    def __init__(self, frequency):
        self.frequency = frequency


class InventoryDestination(object):
    """Where inventory files go: `bucket_destination` (InventoryBucketDestination)."""

    def __init__(self, bucket_destination=None):
        self.bucket_destination = bucket_destination


class InventoryBucketDestination(object):
    """The bucket inventory files are written to (`bucket` without oss2's "acs:oss:::"), their
    format, prefix, the writer's account and role, and at most one encryption. Raises ClientError
    when both encryptions are given.
    """

    def __init__(self, account_id=None, role_arn=None, bucket=None, inventory_format=None, prefix=None,
                 sse_kms_encryption=None, sse_oss_encryption=None):
        if sse_kms_encryption and sse_oss_encryption:
            raise ClientError("only one encryption method between sse_kms_encryption and sse_oss_encryption "
                              "can be chosen.")
        self.account_id = account_id
        self.role_arn = role_arn
        self.bucket = bucket
        self.inventory_format = inventory_format
        self.prefix = prefix
        self.sse_kms_encryption = sse_kms_encryption
        self.sse_oss_encryption = sse_oss_encryption


class InventoryServerSideEncryptionKMS(object):
    """Inventory files encrypted with the KMS key `key_id`."""

    def __init__(self, key_id):
        self.key_id = key_id


class InventoryServerSideEncryptionOSS(object):
    """Inventory files encrypted with keys OSS manages."""


def _inventory(target, c):
    """Fill an InventoryConfiguration from go/oss InventoryConfiguration, as oss2 reads one."""
    target.inventory_id = c["id"]
    target.is_enabled = c["is_enabled"]
    target.included_object_versions = c["included_object_versions"]
    f = c["filter"]
    if f is not None:
        target.inventory_filter = InventoryFilter(f["prefix"], f["last_modify_begin_time_stamp"],
                                                  f["last_modify_end_time_stamp"], f["lower_size_bound"],
                                                  f["upper_size_bound"], f["storage_class"])
    if c["frequency"] is not None:
        target.inventory_schedule = InventorySchedule(c["frequency"])
    target.optional_fields = list(c["optional_fields"] or ())
    d = c["destination"]
    if d is not None:
        bucket = d["bucket"]
        if bucket is not None:
            bucket = bucket[len("acs:oss:::"):] if bucket.startswith("acs:oss:::") else None
        kms = oss = None
        enc = d["encryption"] or {}
        if enc.get("sse_kms") is not None:
            kms = InventoryServerSideEncryptionKMS(enc["sse_kms"]["key_id"])
        elif enc.get("sse_oss") is not None:
            oss = InventoryServerSideEncryptionOSS()
        target.inventory_destination = InventoryDestination(InventoryBucketDestination(
            d["account_id"], d["role_arn"], bucket, d["format"], d["prefix"], kms, oss))
    return target


class GetInventoryConfigurationResult(RequestResult, InventoryConfiguration):
    """get_bucket_inventory_configuration's result: an InventoryConfiguration."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        InventoryConfiguration.__init__(self)
        body = _parsed(resp)  # go/oss InventoryConfiguration
        if body:
            _inventory(self, body)


class ListInventoryConfigurationsResult(RequestResult):
    """One page of list_bucket_inventory_configurations: `inventory_configurations`,
    `is_truncated`, `next_continuation_token`, and `continuaiton_token` (sic, as oss2 spells it).
    """

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        self.inventory_configurations = []
        self.is_truncated = None
        self.continuaiton_token = None
        self.next_continuation_token = None
        body = _parsed(resp)  # go/oss ListInventoryConfigurationsResult
        for c in body.get("configurations") or ():
            self.inventory_configurations.append(_inventory(InventoryConfiguration(), c))
        if body.get("continuation_token") is not None:
            self.continuaiton_token = body["continuation_token"]
        if body.get("is_truncated") is not None:
            self.is_truncated = body["is_truncated"]
        if body.get("next_continuation_token") is not None:
            self.next_continuation_token = body["next_continuation_token"]
