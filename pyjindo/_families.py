"""The bucket families beyond the everyday settings, with oss2's signatures: WORM, replication,
inventory, ... Bucket (pyjindo.api) inherits them; the account's are in _service_families.

Each method builds oss2's request (query, headers, the document from pyjindo.xml_utils) and
names the response document's kind, which go/oss decodes into its typed struct
(go/oss/parse.go's typedDocuments); pyjindo.models.families shapes oss2's result from it.
"""
from __future__ import annotations

from typing import Any, Optional

from . import models, utils, xml_utils
from .exceptions import ClientError
from ._session import GoClient


def _md5_headers(data):
    return {"Content-MD5": utils.content_md5(data)}


class BucketFamilies(GoClient):
    """The families' Bucket methods (pyjindo.api.Bucket)."""

    bucket_name: str

    WORM = "worm"
    WORM_ID = "wormId"
    WORM_EXTEND = "wormExtend"
    REPLICATION = "replication"
    REPLICATION_LOCATION = "replicationLocation"
    REPLICATION_PROGRESS = "replicationProgress"
    INVENTORY = "inventory"
    INVENTORY_CONFIG_ID = "inventoryId"
    CONTINUATION_TOKEN = "continuation-token"
    CNAME = "cname"
    COMP = "comp"
    HTTPS_CONFIG = "httpsConfig"
    ACCESS_POINT = "accessPoint"
    ACCESS_POINT_POLICY = "accessPointPolicy"
    OSS_ACCESS_POINT_NAME = "x-oss-access-point-name"
    PUBLIC_ACCESS_BLOCK = "publicAccessBlock"
    TRANSFER_ACCELERATION = "transferAcceleration"
    ACCESS_MONITOR = "accessmonitor"
    RESOURCE_GROUP = "resourceGroup"
    ARCHIVE_DIRECT_READ = "bucketArchiveDirectRead"
    POLICY = "policy"
    CALLBACK = "callback"
    QOS_INFO = "qosInfo"
    USER_QOS = "qos"
    REQUESTER_QOS_INFO = "requesterQosInfo"
    QOS_REQUESTER = "qosRequester"
    REDUNDANCY_TRANSITION = "redundancyTransition"
    TARGET_REDUNDANCY_TYPE = "x-oss-target-redundancy-type"
    REDUNDANCY_TRANSITION_TASK_ID = "x-oss-redundancy-transition-taskid"
    ASYNC_FETCH = "asyncFetch"
    META_QUERY = "metaQuery"

    def _family(self, method, params, data=None, headers=None, parse=None):
        return self._do(method, self.bucket_name, "", params=params, data=data, headers=headers, parse=parse)

    # --- WORM (retention policy) ---------------------------------------------------------------

    def init_bucket_worm(self, retention_period_days: Optional[int] = None) -> models.InitBucketWormResult:
        """Start a retention policy of `retention_period_days` days, as oss2: InitBucketWormResult
        with `worm_id`. The policy is InProgress until complete_bucket_worm locks it (or a day
        passes); abort_bucket_worm removes an unlocked one.
        """
        data = xml_utils.to_put_init_bucket_worm(retention_period_days)
        resp = self._family("POST", {BucketFamilies.WORM: ""}, data=data, headers=_md5_headers(data))
        result = models.InitBucketWormResult(resp)
        result.worm_id = resp.headers.get("x-oss-worm-id")
        return result

    def abort_bucket_worm(self) -> models.RequestResult:
        """Remove the unlocked retention policy, as oss2. A locked one cannot be removed."""
        return models.RequestResult(self._family("DELETE", {BucketFamilies.WORM: ""}))

    def complete_bucket_worm(self, worm_id: Optional[str] = None) -> models.RequestResult:
        """Lock the retention policy `worm_id`, as oss2; from then on it can only be extended."""
        return models.RequestResult(self._family("POST", {BucketFamilies.WORM_ID: worm_id}))

    def extend_bucket_worm(self, worm_id: Optional[str] = None,
                           retention_period_days: Optional[int] = None) -> models.RequestResult:
        """Lengthen the locked retention policy `worm_id` to `retention_period_days`, as oss2."""
        data = xml_utils.to_put_extend_bucket_worm(retention_period_days)
        return models.RequestResult(self._family(
            "POST", {BucketFamilies.WORM_ID: worm_id, BucketFamilies.WORM_EXTEND: ""}, data=data,
            headers=_md5_headers(data)))

    def get_bucket_worm(self) -> models.GetBucketWormResult:
        """The retention policy, as oss2: GetBucketWormResult with `worm_id`, `state`,
        `retention_period_days`, `creation_date`. Raises NoSuchWORMConfiguration (a ServerError)
        when there is none.
        """
        return models.GetBucketWormResult(self._family("GET", {BucketFamilies.WORM: ""}, parse="get_bucket_worm"))

    # --- cross-region replication --------------------------------------------------------------

    def put_bucket_replication(self, rule: models.ReplicationRule) -> models.RequestResult:
        """Add the replication rule `rule` (a ReplicationRule), as oss2."""
        data = xml_utils.to_put_bucket_replication(rule)
        return models.RequestResult(self._family("POST", {BucketFamilies.REPLICATION: "", "comp": "add"}, data=data,
                                                 headers=_md5_headers(data)))

    def get_bucket_replication(self) -> models.GetBucketReplicationResult:
        """The bucket's replication rules, as oss2: `rule_list` (ReplicationRule). Raises
        NoSuchReplicationConfiguration when there are none.
        """
        return models.GetBucketReplicationResult(self._family("GET", {BucketFamilies.REPLICATION: ""},
                                                              parse="get_bucket_replication"))

    def delete_bucket_replication(self, rule_id: str) -> models.RequestResult:
        """Delete the replication rule `rule_id`, as oss2."""
        data = xml_utils.to_delete_bucket_replication(rule_id)
        return models.RequestResult(self._family("POST", {BucketFamilies.REPLICATION: "", "comp": "delete"},
                                                 data=data, headers=_md5_headers(data)))

    def get_bucket_replication_location(self) -> models.GetBucketReplicationLocationResult:
        """The regions a rule may replicate to, as oss2: `location_list`,
        `location_transfer_type_list`."""
        return models.GetBucketReplicationLocationResult(self._family(
            "GET", {BucketFamilies.REPLICATION_LOCATION: ""}, parse="get_bucket_replication_location"))

    def get_bucket_replication_progress(self, rule_id: str) -> models.GetBucketReplicationProgressResult:
        """How far the rule `rule_id` got, as oss2: `progress` (BucketReplicationProgress)."""
        return models.GetBucketReplicationProgressResult(self._family(
            "GET", {BucketFamilies.REPLICATION_PROGRESS: "", "rule-id": rule_id},
            parse="get_bucket_replication_progress"))

    # --- inventory -----------------------------------------------------------------------------

    def put_bucket_inventory_configuration(self, inventory_configuration: Any) -> models.RequestResult:
        """Add an inventory from an InventoryConfiguration (or its XML), as oss2; its
        `inventory_id` names it in the request. Raises InventoryAlreadyExist for a taken id.
        """
        data = inventory_configuration
        if isinstance(data, models.InventoryConfiguration):
            data = xml_utils.to_put_inventory_configuration(data)
        params = {BucketFamilies.INVENTORY: "", BucketFamilies.INVENTORY_CONFIG_ID: inventory_configuration.inventory_id}
        return models.RequestResult(self._family("PUT", params, data=data, headers=_md5_headers(data)))

    def get_bucket_inventory_configuration(self, inventory_id: str) -> models.GetInventoryConfigurationResult:
        """The inventory `inventory_id`, as oss2: GetInventoryConfigurationResult (an
        InventoryConfiguration). Raises NoSuchInventory.
        """
        return models.GetInventoryConfigurationResult(self._family(
            "GET", {BucketFamilies.INVENTORY: "", BucketFamilies.INVENTORY_CONFIG_ID: inventory_id},
            parse="get_bucket_inventory"))

    def list_bucket_inventory_configurations(
            self, continuation_token: Optional[str] = None) -> models.ListInventoryConfigurationsResult:
        """One page (100) of the bucket's inventories by id, as oss2: `inventory_configurations`,
        `is_truncated`, `next_continuation_token` (pass it as `continuation_token` for the next).
        """
        params = {BucketFamilies.INVENTORY: ""}
        if continuation_token is not None:
            params[BucketFamilies.CONTINUATION_TOKEN] = continuation_token
        return models.ListInventoryConfigurationsResult(self._family("GET", params, parse="list_bucket_inventory"))

    def delete_bucket_inventory_configuration(self, inventory_id: str) -> models.RequestResult:
        """Delete the inventory `inventory_id`, as oss2. Raises NoSuchInventory."""
        return models.RequestResult(self._family(
            "DELETE", {BucketFamilies.INVENTORY: "", BucketFamilies.INVENTORY_CONFIG_ID: inventory_id}))

    # --- custom domains (CNAME) and HTTPS ------------------------------------------------------

    def create_bucket_cname_token(self, domain: str) -> models.CreateBucketCnameTokenResult:
        """A token proving `domain` is yours (publish it in the domain's DNS TXT record), as oss2:
        `token`, `expire_time`, ... A live token is returned again until it expires (72 hours).
        jindo server takes the live token itself as the proof.
        """
        data = xml_utils.to_bucket_cname_configuration(domain)
        return models.CreateBucketCnameTokenResult(self._family(
            "POST", {BucketFamilies.CNAME: "", BucketFamilies.COMP: "token"}, data=data, parse="cname_token"))

    def get_bucket_cname_token(self, domain: str) -> models.GetBucketCnameTokenResult:
        """The live token of `domain`, as oss2."""
        return models.GetBucketCnameTokenResult(self._family(
            "GET", {BucketFamilies.CNAME: domain, BucketFamilies.COMP: "token"}, parse="cname_token"))

    def put_bucket_cname(self, input: models.PutBucketCnameRequest) -> models.RequestResult:
        """Bind the domain of a PutBucketCnameRequest (with its CertInfo, if any) to the bucket,
        as oss2. Raises NeedVerifyDomainOwnership without a live token for the domain.
        """
        data = xml_utils.to_bucket_cname_configuration(input.domain, input.cert)
        return models.RequestResult(self._family("POST", {BucketFamilies.CNAME: "", BucketFamilies.COMP: "add"},
                                                 data=data))

    def list_bucket_cname(self) -> models.ListBucketCnameResult:
        """The bucket's custom domains, as oss2: `cname` (CnameInfo list), `bucket`, `owner`."""
        return models.ListBucketCnameResult(self._family("GET", {BucketFamilies.CNAME: ""}, parse="list_bucket_cname"))

    def delete_bucket_cname(self, domain: str) -> models.RequestResult:
        """Unbind `domain` from the bucket, as oss2."""
        data = xml_utils.to_bucket_cname_configuration(domain)
        return models.RequestResult(self._family("POST", {BucketFamilies.CNAME: "", BucketFamilies.COMP: "delete"},
                                                 data=data))

    def put_bucket_https_config(self, httpsConfig: models.BucketTlsVersion) -> models.RequestResult:
        """Set the TLS versions the bucket accepts from a BucketTlsVersion, as oss2."""
        data = xml_utils.to_do_bucket_https_config_request(httpsConfig)
        return models.RequestResult(self._family("PUT", {BucketFamilies.HTTPS_CONFIG: ""}, data=data))

    def get_bucket_https_config(self) -> models.HttpsConfigResult:
        """The TLS versions the bucket accepts, as oss2: `tls_enabled`, `tls_version`."""
        return models.HttpsConfigResult(self._family("GET", {BucketFamilies.HTTPS_CONFIG: ""},
                                                     parse="get_bucket_https_config"))

    # --- access points -------------------------------------------------------------------------

    def _access_point(self, method, params, name, data=None, parse=None):
        return self._family(method, params, data=data, headers={BucketFamilies.OSS_ACCESS_POINT_NAME: name},
                            parse=parse)

    def create_access_point(self, accessPoint: models.CreateAccessPointRequest) -> models.CreateAccessPointResult:
        """Create an access point from a CreateAccessPointRequest, as oss2: `access_point_arn`,
        `alias`. Raises AccessPointAlreadyExists for a name taken in the account.
        """
        data = xml_utils.to_do_create_access_point_request(accessPoint)
        return models.CreateAccessPointResult(self._family("PUT", {BucketFamilies.ACCESS_POINT: ""}, data=data,
                                                           parse="create_access_point"))

    def get_access_point(self, accessPointName: str) -> models.GetAccessPointResult:
        """The access point `accessPointName`, as oss2. Raises NoSuchAccessPoint."""
        return models.GetAccessPointResult(self._access_point("GET", {BucketFamilies.ACCESS_POINT: ""},
                                                              accessPointName, parse="get_access_point"))

    def delete_access_point(self, accessPointName: str) -> models.RequestResult:
        """Delete the access point `accessPointName` (and its policy), as oss2."""
        return models.RequestResult(self._access_point("DELETE", {BucketFamilies.ACCESS_POINT: ""}, accessPointName))

    def list_bucket_access_points(self, max_keys: int = 100,
                                  continuation_token: str = "") -> models.ListAccessPointResult:
        """One page of the bucket's access points by name, as oss2: `access_points`,
        `is_truncated`, `next_continuation_token`."""
        return models.ListAccessPointResult(self._family(
            "GET", {BucketFamilies.ACCESS_POINT: "", "max-keys": str(max_keys), "continuation-token": continuation_token},
            parse="list_access_points"))

    def put_access_point_policy(self, accessPointName: str, accessPointPolicy: Any) -> models.RequestResult:
        """Set the access point's policy (a JSON document, str or bytes), as oss2."""
        return models.RequestResult(self._access_point("PUT", {BucketFamilies.ACCESS_POINT_POLICY: ""},
                                                       accessPointName, data=accessPointPolicy))

    def get_access_point_policy(self, accessPointName: str) -> models.GetAccessPointPolicyResult:
        """The access point's policy, as oss2: `policy` (the JSON text). Raises
        NoSuchAccessPointPolicy."""
        return models.GetAccessPointPolicyResult(self._access_point("GET", {BucketFamilies.ACCESS_POINT_POLICY: ""},
                                                                    accessPointName))

    def delete_access_point_policy(self, accessPointName: str) -> models.RequestResult:
        """Delete the access point's policy, as oss2."""
        return models.RequestResult(self._access_point("DELETE", {BucketFamilies.ACCESS_POINT_POLICY: ""},
                                                       accessPointName))

    # --- block public access (bucket and access point) -----------------------------------------

    def put_bucket_public_access_block(self, block_public_access: bool = False) -> models.RequestResult:
        """Block (or allow) public access to the bucket, as oss2."""
        data = xml_utils.to_put_public_access_block_request(block_public_access)
        return models.RequestResult(self._family("PUT", {BucketFamilies.PUBLIC_ACCESS_BLOCK: ""}, data=data))

    def get_bucket_public_access_block(self) -> models.GetBucketPublicAccessBlockResult:
        """Whether public access to the bucket is blocked, as oss2: `block_public_access`."""
        return models.GetBucketPublicAccessBlockResult(self._family(
            "GET", {BucketFamilies.PUBLIC_ACCESS_BLOCK: ""}, parse="get_public_access_block"))

    def delete_bucket_public_access_block(self) -> models.RequestResult:
        """Remove the bucket's public access block, as oss2."""
        return models.RequestResult(self._family("DELETE", {BucketFamilies.PUBLIC_ACCESS_BLOCK: ""}))

    def put_access_point_public_access_block(self, access_point_name: str,
                                             block_public_access: bool = False) -> models.RequestResult:
        """Block (or allow) public access through the access point, as oss2."""
        data = xml_utils.to_put_public_access_block_request(block_public_access)
        return models.RequestResult(self._family("PUT", {
            BucketFamilies.PUBLIC_ACCESS_BLOCK: "", BucketFamilies.OSS_ACCESS_POINT_NAME: access_point_name}, data=data))

    def get_access_point_public_access_block(self, access_point_name: str) -> models.GetBucketPublicAccessBlockResult:
        """Whether public access through the access point is blocked, as oss2."""
        return models.GetBucketPublicAccessBlockResult(self._family("GET", {
            BucketFamilies.PUBLIC_ACCESS_BLOCK: "", BucketFamilies.OSS_ACCESS_POINT_NAME: access_point_name},
            parse="get_public_access_block"))

    def delete_access_point_public_access_block(self, access_point_name: str) -> models.RequestResult:
        """Remove the access point's public access block, as oss2."""
        return models.RequestResult(self._family("DELETE", {
            BucketFamilies.PUBLIC_ACCESS_BLOCK: "", BucketFamilies.OSS_ACCESS_POINT_NAME: access_point_name}))

    # --- one-value settings and the callback policy --------------------------------------------

    def put_bucket_transfer_acceleration(self, enabled: Any) -> models.RequestResult:
        """Turn transfer acceleration on or off ("true"/"false" or a bool), as oss2."""
        data = xml_utils.to_put_bucket_transfer_acceleration(enabled)
        return models.RequestResult(self._family("PUT", {BucketFamilies.TRANSFER_ACCELERATION: ""}, data=data,
                                                 headers=_md5_headers(data)))

    def get_bucket_transfer_acceleration(self) -> models.GetBucketTransferAccelerationResult:
        """Whether transfer acceleration is on, as oss2: `enabled` ("true" or "false")."""
        return models.GetBucketTransferAccelerationResult(self._family(
            "GET", {BucketFamilies.TRANSFER_ACCELERATION: ""}, parse="get_bucket_transfer_acceleration"))

    def put_bucket_access_monitor(self, status: str) -> models.RequestResult:
        """Turn access monitoring "Enabled" or "Disabled", as oss2. Disabling is refused while a
        lifecycle rule acts on last access time."""
        data = xml_utils.to_put_bucket_access_monitor(status)
        return models.RequestResult(self._family("PUT", {BucketFamilies.ACCESS_MONITOR: ""}, data=data))

    def get_bucket_access_monitor(self) -> models.GetBucketAccessMonitorResult:
        """The bucket's access monitoring, as oss2: `access_monitor.status`."""
        return models.GetBucketAccessMonitorResult(self._family("GET", {BucketFamilies.ACCESS_MONITOR: ""},
                                                                parse="get_bucket_access_monitor"))

    def put_bucket_resource_group(self, resourceGroupId: str) -> models.RequestResult:
        """Move the bucket to the resource group `resourceGroupId`, as oss2."""
        data = xml_utils.to_put_bucket_resource_group(resourceGroupId)
        return models.RequestResult(self._family("PUT", {BucketFamilies.RESOURCE_GROUP: ""}, data=data))

    def get_bucket_resource_group(self) -> models.GetBucketResourceGroupResult:
        """The bucket's resource group, as oss2: `resource_group_id` (the default group's when
        never set)."""
        return models.GetBucketResourceGroupResult(self._family("GET", {BucketFamilies.RESOURCE_GROUP: ""},
                                                                parse="get_bucket_resource_group"))

    def put_bucket_archive_direct_read(self, enabled: bool = False) -> models.RequestResult:
        """Allow (or not) reading Archive objects without restoring them, as oss2."""
        data = xml_utils.to_put_bucket_archive_direct_read(enabled)
        return models.RequestResult(self._family("PUT", {BucketFamilies.ARCHIVE_DIRECT_READ: ""}, data=data))

    def get_bucket_archive_direct_read(self) -> models.GetBucketArchiveDirectReadResult:
        """Whether Archive objects are read without a restore, as oss2: `enabled`."""
        return models.GetBucketArchiveDirectReadResult(self._family(
            "GET", {BucketFamilies.ARCHIVE_DIRECT_READ: ""}, parse="get_bucket_archive_direct_read"))

    def put_bucket_callback_policy(self, callbackPolicy: Any) -> models.RequestResult:
        """Set the bucket's named callbacks from a list of CallbackPolicyInfo, as oss2."""
        data = xml_utils.to_do_bucket_callback_policy_request(callbackPolicy)
        return models.RequestResult(self._family(
            "PUT", {BucketFamilies.POLICY: "", BucketFamilies.COMP: BucketFamilies.CALLBACK}, data=data))

    def get_bucket_callback_policy(self) -> models.CallbackPolicyResult:
        """The bucket's named callbacks, as oss2: `callback_policies` (CallbackPolicyInfo)."""
        return models.CallbackPolicyResult(self._family(
            "GET", {BucketFamilies.POLICY: "", BucketFamilies.COMP: BucketFamilies.CALLBACK},
            parse="get_bucket_callback_policy"))

    def delete_bucket_callback_policy(self) -> models.RequestResult:
        """Delete the bucket's named callbacks, as oss2."""
        return models.RequestResult(self._family(
            "DELETE", {BucketFamilies.POLICY: "", BucketFamilies.COMP: BucketFamilies.CALLBACK}))

    # --- QoS and capacity ----------------------------------------------------------------------

    def set_bucket_storage_capacity(self, user_qos: models.BucketUserQos) -> models.RequestResult:
        """Set the bucket's storage capacity in GB (-1: no limit) from a BucketUserQos, as oss2."""
        data = xml_utils.to_put_bucket_user_qos(user_qos)
        return models.RequestResult(self._family("PUT", {BucketFamilies.USER_QOS: ""}, data=data))

    def get_bucket_storage_capacity(self) -> models.GetBucketUserQosResult:
        """The bucket's storage capacity, as oss2: `storage_capacity` (GB, -1 when unlimited)."""
        return models.GetBucketUserQosResult(self._family("GET", {BucketFamilies.USER_QOS: ""},
                                                          parse="get_bucket_storage_capacity"))

    def put_bucket_qos_info(self, bucket_qos_info: Any) -> models.RequestResult:
        """Set the bucket's bandwidth and QPS limits from a BucketQosInfo (or its XML), as oss2.
        A limit left None is -1 (none of its own); none may exceed the account's."""
        data = bucket_qos_info
        if isinstance(data, models.BucketQosInfo):
            data = xml_utils.to_put_qos_info(data)
        return models.RequestResult(self._family("PUT", {BucketFamilies.QOS_INFO: ""}, data=data,
                                                 headers=_md5_headers(data)))

    def get_bucket_qos_info(self) -> models.GetBucketQosInfoResult:
        """The bucket's bandwidth and QPS limits, as oss2 (-1 each when never set)."""
        return models.GetBucketQosInfoResult(self._family("GET", {BucketFamilies.QOS_INFO: ""}, parse="get_qos_info"))

    def delete_bucket_qos_info(self) -> models.RequestResult:
        """Remove the bucket's limits, as oss2."""
        return models.RequestResult(self._family("DELETE", {BucketFamilies.QOS_INFO: ""}))

    @staticmethod
    def _requester(uid):
        if not uid:
            raise ClientError("uid should not be empty")
        return {BucketFamilies.REQUESTER_QOS_INFO: "", BucketFamilies.QOS_REQUESTER: uid}

    def put_bucket_requester_qos_info(self, uid: str, qos_configuration: Any) -> models.RequestResult:
        """Set the limits of the requester `uid` on this bucket from a QoSConfiguration, as oss2.
        Raises ClientError for an empty uid."""
        params = self._requester(uid)
        data = xml_utils.to_put_qos_info(qos_configuration)
        return models.RequestResult(self._family("PUT", params, data=data))

    def get_bucket_requester_qos_info(self, uid: str) -> models.RequesterQoSInfoResult:
        """The limits of the requester `uid` on this bucket (the bucket's when it has none of its
        own), as oss2: `requester`, `qos_configuration`."""
        return models.RequesterQoSInfoResult(self._family("GET", self._requester(uid),
                                                          parse="get_requester_qos_info"))

    def list_bucket_requester_qos_infos(self, continuation_token: str = "",
                                        max_keys: int = 100) -> models.ListBucketRequesterQoSInfosResult:
        """One page of the requesters with limits on this bucket, by uid, as oss2."""
        return models.ListBucketRequesterQoSInfosResult(self._family("GET", {
            BucketFamilies.REQUESTER_QOS_INFO: "", "continuation-token": continuation_token, "max-keys": str(max_keys)},
            parse="list_requester_qos_infos"))

    def delete_bucket_requester_qos_info(self, uid: str) -> models.RequestResult:
        """Remove the limits of the requester `uid` on this bucket, as oss2."""
        return models.RequestResult(self._family("DELETE", self._requester(uid)))

    # --- data redundancy transition ------------------------------------------------------------

    def create_bucket_data_redundancy_transition(self, targetType: str) -> models.CreateDataRedundancyTransitionResult:
        """Start moving the bucket to the redundancy type `targetType` ("ZRS"), as oss2:
        `task_id`. jindo server has no data to move: the task is Finished, and the bucket ZRS,
        at once."""
        return models.CreateDataRedundancyTransitionResult(self._family("POST", {
            BucketFamilies.REDUNDANCY_TRANSITION: "", BucketFamilies.TARGET_REDUNDANCY_TYPE: targetType},
            parse="get_bucket_data_redundancy_transition"))

    def get_bucket_data_redundancy_transition(self, taskId: str) -> models.DataRedundancyTransitionInfoResult:
        """The task `taskId`, as oss2: `transition_status`, `process_percentage`, ..."""
        return models.DataRedundancyTransitionInfoResult(self._family("GET", {
            BucketFamilies.REDUNDANCY_TRANSITION: "", BucketFamilies.REDUNDANCY_TRANSITION_TASK_ID: taskId},
            parse="get_bucket_data_redundancy_transition"))

    def delete_bucket_data_redundancy_transition(self, taskId: str) -> models.RequestResult:
        """Delete the task `taskId` while it is still queueing, as oss2."""
        return models.RequestResult(self._family("DELETE", {
            BucketFamilies.REDUNDANCY_TRANSITION: "", BucketFamilies.REDUNDANCY_TRANSITION_TASK_ID: taskId}))

    def list_bucket_data_redundancy_transition(self) -> models.ListBucketDataRedundancyTransitionResult:
        """The bucket's tasks, as oss2: `data_redundancy_transitions`."""
        return models.ListBucketDataRedundancyTransitionResult(self._family(
            "GET", {BucketFamilies.REDUNDANCY_TRANSITION: ""}, parse="list_data_redundancy_transitions"))

    # --- asynchronous fetch --------------------------------------------------------------------

    def put_async_fetch_task(self, task_config: models.AsyncFetchTaskConfiguration) -> models.PutAsyncFetchTaskResult:
        """Have the server fetch a URL into an object in the background, as oss2: `task_id`.
        jindo server makes no callbacks (a task naming one ends FetchSuccessCallbackFailed)."""
        data = xml_utils.to_put_async_fetch_task(task_config)
        return models.PutAsyncFetchTaskResult(self._family("POST", {BucketFamilies.ASYNC_FETCH: ""}, data=data,
                                                           headers=_md5_headers(data), parse="async_fetch_task"))

    def get_async_fetch_task(self, task_id: str) -> models.GetAsyncFetchTaskResult:
        """The fetch task `task_id`, as oss2: `task_state`, `error_msg`, `task_config`."""
        return models.GetAsyncFetchTaskResult(self._family("GET", {BucketFamilies.ASYNC_FETCH: ""},
                                                           headers={"x-oss-task-id": task_id}, parse="async_fetch_task"))

    # --- metadata query (data indexing) --------------------------------------------------------

    def open_bucket_meta_query(self) -> models.RequestResult:
        """Start indexing the bucket's metadata, as oss2."""
        return models.RequestResult(self._family("POST", {BucketFamilies.META_QUERY: "", BucketFamilies.COMP: "add"}))

    def get_bucket_meta_query_status(self) -> models.GetBucketMetaQueryResult:
        """The metadata index's state, as oss2: `state`, `phase`, `create_time`, `update_time`."""
        return models.GetBucketMetaQueryResult(self._family("GET", {BucketFamilies.META_QUERY: ""},
                                                            parse="get_bucket_meta_query_status"))

    def do_bucket_meta_query(self, do_meta_query_request: Any) -> models.DoBucketMetaQueryResult:
        """Search the bucket's objects by metadata with a MetaQuery (or its XML), as oss2:
        `files`, `aggregations`, `next_token`."""
        data = do_meta_query_request
        if isinstance(data, models.MetaQuery):
            data = xml_utils.to_do_bucket_meta_query_request(data)
        return models.DoBucketMetaQueryResult(self._family(
            "POST", {BucketFamilies.META_QUERY: "", BucketFamilies.COMP: "query"}, data=data,
            parse="do_bucket_meta_query"))

    def close_bucket_meta_query(self) -> models.RequestResult:
        """Stop indexing the bucket's metadata and drop the index, as oss2."""
        return models.RequestResult(self._family("POST", {BucketFamilies.META_QUERY: "",
                                                          BucketFamilies.COMP: "delete"}))

