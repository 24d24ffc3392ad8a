"""Request documents for the bucket and object settings, built as oss2.xml_utils builds them.

Each `to_*` function has oss2's name and argument and returns the same bytes (ElementTree,
UTF-8, with its XML declaration), so a server sees exactly what oss2 would have sent.
Response documents are decoded by go/oss into typed documents and shaped in pyjindo.models.
"""
import xml.etree.ElementTree as ElementTree

from .compat import to_unicode
from .models import REDIRECT_TYPE_ALICDN, REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_INTERNAL, REDIRECT_TYPE_MIRROR
from .utils import date_to_iso8601


def _node_to_string(root):
    return ElementTree.tostring(root, encoding="utf-8")


def _add_text_child(parent, tag, text):
    ElementTree.SubElement(parent, tag).text = to_unicode(text)


def _add_node_list(parent, tag, entries):
    for e in entries:
        _add_text_child(parent, tag, e)


def _lower(value):
    return str(value).lower()


def to_put_bucket_config(bucket_config):
    root = ElementTree.Element("CreateBucketConfiguration")
    _add_text_child(root, "StorageClass", bucket_config.storage_class)
    if bucket_config.data_redundancy_type is not None:
        _add_text_child(root, "DataRedundancyType", bucket_config.data_redundancy_type)
    return _node_to_string(root)


def to_put_tagging(object_tagging):
    root = ElementTree.Element("Tagging")
    tag_set = ElementTree.SubElement(root, "TagSet")
    rules = object_tagging.tag_set.tagging_rule
    for key in rules:
        tag = ElementTree.SubElement(tag_set, "Tag")
        _add_text_child(tag, "Key", key)
        _add_text_child(tag, "Value", rules[key])
    return _node_to_string(root)


def to_put_restore_config(restore_config):
    root = ElementTree.Element("RestoreRequest")
    _add_text_child(root, "Days", str(restore_config.days))
    job = restore_config.job_parameters
    if job is not None:
        job_node = ElementTree.SubElement(root, "JobParameters")
        if job.tier is not None:
            _add_text_child(job_node, "Tier", job.tier)
    return _node_to_string(root)


def to_put_bucket_cors(bucket_cors):
    root = ElementTree.Element("CORSConfiguration")
    for rule in bucket_cors.rules:
        rule_node = ElementTree.SubElement(root, "CORSRule")
        _add_node_list(rule_node, "AllowedOrigin", rule.allowed_origins)
        _add_node_list(rule_node, "AllowedMethod", rule.allowed_methods)
        _add_node_list(rule_node, "AllowedHeader", rule.allowed_headers)
        _add_node_list(rule_node, "ExposeHeader", rule.expose_headers)
        if rule.max_age_seconds is not None:
            _add_text_child(rule_node, "MaxAgeSeconds", str(rule.max_age_seconds))
    if bucket_cors.response_vary is not None:
        _add_text_child(root, "ResponseVary", _lower(bucket_cors.response_vary))
    return _node_to_string(root)


def _add_transition_flags(node, transition):
    for tag, value in (("IsAccessTime", transition.is_access_time),
                       ("ReturnToStdWhenVisit", transition.return_to_std_when_visit),
                       ("AllowSmallFile", transition.allow_small_file)):
        if value is not None:
            _add_text_child(node, tag, _lower(value))


def _add_days_or_date(node, days, created_before_date):
    if days is not None:
        _add_text_child(node, "Days", str(days))
    elif created_before_date is not None:
        _add_text_child(node, "CreatedBeforeDate", date_to_iso8601(created_before_date))


def _add_lifecycle_rule(root, rule):
    rule_node = ElementTree.SubElement(root, "Rule")
    _add_text_child(rule_node, "ID", rule.id)
    _add_text_child(rule_node, "Prefix", rule.prefix)
    _add_text_child(rule_node, "Status", rule.status)

    expiration = rule.expiration
    if expiration:
        node = ElementTree.SubElement(rule_node, "Expiration")
        if expiration.days is not None:
            _add_text_child(node, "Days", str(expiration.days))
        elif expiration.date is not None:
            _add_text_child(node, "Date", date_to_iso8601(expiration.date))
        elif expiration.created_before_date is not None:
            _add_text_child(node, "CreatedBeforeDate", date_to_iso8601(expiration.created_before_date))
        elif expiration.expired_detete_marker is not None:
            # str(), not lower(): oss2 sends "True"/"False" here
            _add_text_child(node, "ExpiredObjectDeleteMarker", str(expiration.expired_detete_marker))

    abort = rule.abort_multipart_upload
    if abort:
        node = ElementTree.SubElement(rule_node, "AbortMultipartUpload")
        _add_days_or_date(node, abort.days, abort.created_before_date)

    for transition in rule.storage_transitions or ():
        node = ElementTree.SubElement(rule_node, "Transition")
        _add_text_child(node, "StorageClass", str(transition.storage_class))
        _add_transition_flags(node, transition)
        _add_days_or_date(node, transition.days, transition.created_before_date)

    if rule.tagging:
        tags = rule.tagging.tag_set.tagging_rule
        for key in tags:
            tag_node = ElementTree.SubElement(rule_node, "Tag")
            _add_text_child(tag_node, "Key", key)
            _add_text_child(tag_node, "Value", tags[key])

    if rule.noncurrent_version_expiration is not None:
        node = ElementTree.SubElement(rule_node, "NoncurrentVersionExpiration")
        _add_text_child(node, "NoncurrentDays", str(rule.noncurrent_version_expiration.noncurrent_days))

    for transition in rule.noncurrent_version_sotrage_transitions or ():
        node = ElementTree.SubElement(rule_node, "NoncurrentVersionTransition")
        _add_text_child(node, "NoncurrentDays", str(transition.noncurrent_days))
        _add_text_child(node, "StorageClass", str(transition.storage_class))
        _add_transition_flags(node, transition)

    lifecycle_filter = rule.filter
    if lifecycle_filter:
        filter_node = ElementTree.SubElement(rule_node, "Filter")
        if lifecycle_filter.object_size_greater_than:
            _add_text_child(filter_node, "ObjectSizeGreaterThan", str(lifecycle_filter.object_size_greater_than))
        if lifecycle_filter.object_size_less_than:
            _add_text_child(filter_node, "ObjectSizeLessThan", str(lifecycle_filter.object_size_less_than))
        for not_arg in lifecycle_filter.filter_not or ():
            not_node = ElementTree.SubElement(filter_node, "Not")
            _add_text_child(not_node, "Prefix", not_arg.prefix)
            if not_arg.tag:
                tag_node = ElementTree.SubElement(not_node, "Tag")
                _add_text_child(tag_node, "Key", not_arg.tag.key)
                _add_text_child(tag_node, "Value", not_arg.tag.value)


def to_put_bucket_lifecycle(bucket_lifecycle):
    root = ElementTree.Element("LifecycleConfiguration")
    for rule in bucket_lifecycle.rules:
        _add_lifecycle_rule(root, rule)
    return _node_to_string(root)


def to_put_bucket_logging(bucket_logging):
    root = ElementTree.Element("BucketLoggingStatus")
    if bucket_logging.target_bucket:
        node = ElementTree.SubElement(root, "LoggingEnabled")
        _add_text_child(node, "TargetBucket", bucket_logging.target_bucket)
        _add_text_child(node, "TargetPrefix", bucket_logging.target_prefix)
    return _node_to_string(root)


def to_put_bucket_referer(bucket_referer):
    root = ElementTree.Element("RefererConfiguration")
    _add_text_child(root, "AllowEmptyReferer", _lower(bucket_referer.allow_empty_referer))
    list_node = ElementTree.SubElement(root, "RefererList")
    _add_node_list(list_node, "Referer", bucket_referer.referers)
    if bucket_referer.allow_truncate_query_string is not None:
        _add_text_child(root, "AllowTruncateQueryString", _lower(bucket_referer.allow_truncate_query_string))
    if bucket_referer.black_referers:
        black_node = ElementTree.SubElement(root, "RefererBlacklist")
        _add_node_list(black_node, "Referer", bucket_referer.black_referers)
    return _node_to_string(root)


def _add_redirect(rule_node, redirect):
    node = ElementTree.SubElement(rule_node, "Redirect")
    _add_text_child(node, "RedirectType", redirect.redirect_type)
    if redirect.pass_query_string is not None:
        _add_text_child(node, "PassQueryString", str(redirect.pass_query_string))
    kind = redirect.redirect_type
    if kind in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN):
        for tag, value in (("Protocol", redirect.proto), ("HostName", redirect.host_name)):
            if value is not None:
                _add_text_child(node, tag, value)
        if redirect.http_redirect_code is not None:
            _add_text_child(node, "HttpRedirectCode", str(redirect.http_redirect_code))
    if kind in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN, REDIRECT_TYPE_INTERNAL):
        for tag, value in (("ReplaceKeyWith", redirect.replace_key_with),
                           ("ReplaceKeyPrefixWith", redirect.replace_key_prefix_with)):
            if value is not None:
                _add_text_child(node, tag, value)
    elif kind == REDIRECT_TYPE_MIRROR:
        for tag, value in (("MirrorURL", redirect.mirror_url), ("MirrorURLSlave", redirect.mirror_url_slave),
                           ("MirrorURLProbe", redirect.mirror_url_probe)):
            if value is not None:
                _add_text_child(node, tag, value)
        for tag, value in (("MirrorPassQueryString", redirect.mirror_pass_query_string),
                           ("MirrorFollowRedirect", redirect.mirror_follow_redirect),
                           ("MirrorCheckMd5", redirect.mirror_check_md5)):
            if value is not None:
                _add_text_child(node, tag, str(value))
        headers = redirect.mirror_headers
        if headers is not None:
            headers_node = ElementTree.SubElement(node, "MirrorHeaders")
            if headers.pass_all is not None:
                _add_text_child(headers_node, "PassAll", str(headers.pass_all))
            _add_node_list(headers_node, "Pass", headers.pass_list)
            _add_node_list(headers_node, "Remove", headers.remove_list)
            for item in headers.set_list:
                set_node = ElementTree.SubElement(headers_node, "Set")
                _add_text_child(set_node, "Key", item.key)
                _add_text_child(set_node, "Value", item.value)


def to_put_bucket_website(bucket_website):
    root = ElementTree.Element("WebsiteConfiguration")
    _add_text_child(ElementTree.SubElement(root, "IndexDocument"), "Suffix", bucket_website.index_file)
    _add_text_child(ElementTree.SubElement(root, "ErrorDocument"), "Key", bucket_website.error_file)
    if len(bucket_website.rules) == 0:
        return _node_to_string(root)
    rules_node = ElementTree.SubElement(root, "RoutingRules")
    for rule in bucket_website.rules:
        rule_node = ElementTree.SubElement(rules_node, "RoutingRule")
        _add_text_child(rule_node, "RuleNumber", str(rule.rule_num))
        condition_node = ElementTree.SubElement(rule_node, "Condition")
        if rule.condition.key_prefix_equals is not None:
            _add_text_child(condition_node, "KeyPrefixEquals", rule.condition.key_prefix_equals)
        if rule.condition.http_err_code_return_equals is not None:
            _add_text_child(condition_node, "HttpErrorCodeReturnedEquals",
                            str(rule.condition.http_err_code_return_equals))
        for header in rule.condition.include_header_list:
            header_node = ElementTree.SubElement(condition_node, "IncludeHeader")
            _add_text_child(header_node, "Key", header.key)
            _add_text_child(header_node, "Equals", header.equals)
        if rule.redirect is not None:
            _add_redirect(rule_node, rule.redirect)
    return _node_to_string(root)


def to_put_bucket_encryption(rule):
    root = ElementTree.Element("ServerSideEncryptionRule")
    apply_node = ElementTree.SubElement(root, "ApplyServerSideEncryptionByDefault")
    _add_text_child(apply_node, "SSEAlgorithm", rule.sse_algorithm)
    if rule.kms_master_keyid:
        _add_text_child(apply_node, "KMSMasterKeyID", rule.kms_master_keyid)
    if rule.kms_data_encryption:
        _add_text_child(apply_node, "KMSDataEncryption", rule.kms_data_encryption)
    return _node_to_string(root)


def to_put_bucket_versioning(bucket_version_config):
    root = ElementTree.Element("VersioningConfiguration")
    _add_text_child(root, "Status", str(bucket_version_config.status))
    return _node_to_string(root)


def to_put_bucket_request_payment(payer):
    root = ElementTree.Element("RequestPaymentConfiguration")
    _add_text_child(root, "Payer", payer)
    return _node_to_string(root)


# --- the bucket families (WORM, replication, inventory, ...) -----------------------------------

def to_put_init_bucket_worm(retention_period_days):
    root = ElementTree.Element("InitiateWormConfiguration")
    _add_text_child(root, "RetentionPeriodInDays", str(retention_period_days))
    return _node_to_string(root)


def to_put_extend_bucket_worm(retention_period_days):
    root = ElementTree.Element("ExtendWormConfiguration")
    _add_text_child(root, "RetentionPeriodInDays", str(retention_period_days))
    return _node_to_string(root)


def to_put_bucket_replication(replication_config):
    root = ElementTree.Element("ReplicationConfiguration")
    rule = ElementTree.SubElement(root, "Rule")
    if replication_config.rule_id:
        _add_text_child(rule, "ID", replication_config.rule_id)
    destination = ElementTree.SubElement(rule, "Destination")
    _add_text_child(destination, "Bucket", replication_config.target_bucket_name)
    _add_text_child(destination, "Location", replication_config.target_bucket_location)
    if replication_config.target_transfer_type:
        _add_text_child(destination, "TransferType", replication_config.target_transfer_type)
    historical = replication_config.is_enable_historical_object_replication is not False
    _add_text_child(rule, "HistoricalObjectReplication", "enabled" if historical else "disabled")
    if replication_config.prefix_list:
        _add_node_list(ElementTree.SubElement(rule, "PrefixSet"), "Prefix", replication_config.prefix_list)
    if replication_config.action_list:
        _add_text_child(rule, "Action", ",".join(replication_config.action_list))
    if replication_config.sync_role_name:
        _add_text_child(rule, "SyncRole", replication_config.sync_role_name)
    if replication_config.replica_kms_keyid:
        encryption = ElementTree.SubElement(rule, "EncryptionConfiguration")
        _add_text_child(encryption, "ReplicaKmsKeyID", replication_config.replica_kms_keyid)
    if replication_config.sse_kms_encrypted_objects_status in ("Enabled", "Disabled"):
        criteria = ElementTree.SubElement(ElementTree.SubElement(rule, "SourceSelectionCriteria"),
                                          "SseKmsEncryptedObjects")
        _add_text_child(criteria, "Status", replication_config.sse_kms_encrypted_objects_status)
    return _node_to_string(root)


def to_delete_bucket_replication(rule_id):
    root = ElementTree.Element("ReplicationRules")
    _add_text_child(root, "ID", rule_id)
    return _node_to_string(root)


def _add_present(parent, tag, value):
    if value is not None:
        _add_text_child(parent, tag, str(value))


def to_put_inventory_configuration(inventory_config):
    root = ElementTree.Element("InventoryConfiguration")
    _add_text_child(root, "Id", inventory_config.inventory_id)
    _add_present(root, "IsEnabled", inventory_config.is_enabled)
    _add_present(root, "IncludedObjectVersions", inventory_config.included_object_versions)
    f = inventory_config.inventory_filter
    if f is not None:
        node = ElementTree.SubElement(root, "Filter")
        _add_present(node, "Prefix", f.prefix)
        _add_present(node, "LastModifyBeginTimeStamp", f.last_modify_begin_time_stamp)
        _add_present(node, "LastModifyEndTimeStamp", f.last_modify_end_time_stamp)
        _add_present(node, "LowerSizeBound", f.lower_size_bound)
        _add_present(node, "UpperSizeBound", f.upper_size_bound)
        _add_present(node, "StorageClass", f.storage_class)
    schedule = inventory_config.inventory_schedule
    if schedule is not None and schedule.frequency is not None:
        _add_text_child(ElementTree.SubElement(root, "Schedule"), "Frequency", schedule.frequency)
    if inventory_config.optional_fields is not None:
        _add_node_list(ElementTree.SubElement(root, "OptionalFields"), "Field", inventory_config.optional_fields)
    destination = inventory_config.inventory_destination
    if destination is not None and destination.bucket_destination is not None:
        d = destination.bucket_destination
        node = ElementTree.SubElement(ElementTree.SubElement(root, "Destination"), "OSSBucketDestination")
        _add_present(node, "AccountId", d.account_id)
        _add_present(node, "RoleArn", d.role_arn)
        if d.bucket is not None:
            _add_text_child(node, "Bucket", "acs:oss:::" + d.bucket)
        _add_present(node, "Format", d.inventory_format)
        _add_present(node, "Prefix", d.prefix)
        if d.sse_kms_encryption is not None:
            kms = ElementTree.SubElement(ElementTree.SubElement(node, "Encryption"), "SSE-KMS")
            _add_text_child(kms, "KeyId", d.sse_kms_encryption.key_id)
        elif d.sse_oss_encryption is not None:
            ElementTree.SubElement(ElementTree.SubElement(node, "Encryption"), "SSE-OSS")
    return _node_to_string(root)


def to_bucket_cname_configuration(domain, cert=None):
    root = ElementTree.Element("BucketCnameConfiguration")
    cname = ElementTree.SubElement(root, "Cname")
    _add_text_child(cname, "Domain", domain)
    if cert is not None:
        node = ElementTree.SubElement(cname, "CertificateConfiguration")
        for tag, value in (("CertId", cert.cert_id), ("Certificate", cert.certificate),
                           ("PrivateKey", cert.private_key), ("PreviousCertId", cert.previous_cert_id)):
            if value is not None:
                _add_text_child(node, tag, value)
        _add_present(node, "Force", cert.force)
        _add_present(node, "DeleteCertificate", cert.delete_certificate)
    return _node_to_string(root)


def to_do_bucket_https_config_request(https_config):
    root = ElementTree.Element("HttpsConfiguration")
    tls = ElementTree.SubElement(root, "TLS")
    _add_text_child(tls, "Enable", _lower(https_config.tls_enabled))
    if https_config.tls_version:
        _add_node_list(tls, "TLSVersion", https_config.tls_version)
    return _node_to_string(root)


def to_do_create_access_point_request(access_point):
    root = ElementTree.Element("CreateAccessPointConfiguration")
    if access_point.access_point_name is not None:
        _add_text_child(root, "AccessPointName", access_point.access_point_name)
    if access_point.network_origin is not None:
        _add_text_child(root, "NetworkOrigin", access_point.network_origin)
    if access_point.vpc is not None:
        _add_text_child(ElementTree.SubElement(root, "VpcConfiguration"), "VpcId", access_point.vpc.vpc_id)
    return _node_to_string(root)


def to_put_public_access_block_request(block_public_access):
    root = ElementTree.Element("PublicAccessBlockConfiguration")
    _add_text_child(root, "BlockPublicAccess", str(block_public_access))
    return _node_to_string(root)


def _one_value(root_tag, tag, value):
    root = ElementTree.Element(root_tag)
    _add_text_child(root, tag, value)
    return _node_to_string(root)


def to_put_bucket_transfer_acceleration(enabled):
    return _one_value("TransferAccelerationConfiguration", "Enabled", str(enabled))


def to_put_bucket_access_monitor(status):
    return _one_value("AccessMonitorConfiguration", "Status", status)


def to_put_bucket_resource_group(resourceGroupId):
    return _one_value("BucketResourceGroupConfiguration", "ResourceGroupId", resourceGroupId)


def to_put_bucket_archive_direct_read(enabled):
    return _one_value("ArchiveDirectReadConfiguration", "Enabled", _lower(enabled))


def to_do_bucket_callback_policy_request(callback_policy):
    root = ElementTree.Element("BucketCallbackPolicy")
    for policy in callback_policy or ():
        if not policy:
            continue
        node = ElementTree.SubElement(root, "PolicyItem")
        if policy.policy_name is not None:
            _add_text_child(node, "PolicyName", policy.policy_name)
        if policy.callback is not None:
            _add_text_child(node, "Callback", policy.callback)
        _add_text_child(node, "CallbackVar", "" if policy.callback_var is None else policy.callback_var)
    return _node_to_string(root)


_QOS_ELEMENTS = (("TotalUploadBandwidth", "total_upload_bw"), ("IntranetUploadBandwidth", "intranet_upload_bw"),
                 ("ExtranetUploadBandwidth", "extranet_upload_bw"), ("TotalDownloadBandwidth", "total_download_bw"),
                 ("IntranetDownloadBandwidth", "intranet_download_bw"),
                 ("ExtranetDownloadBandwidth", "extranet_download_bw"), ("TotalQps", "total_qps"),
                 ("IntranetQps", "intranet_qps"), ("ExtranetQps", "extranet_qps"))


def to_put_qos_info(qos_info):
    root = ElementTree.Element("QoSConfiguration")
    for tag, field in _QOS_ELEMENTS:
        _add_present(root, tag, getattr(qos_info, field))
    return _node_to_string(root)


def to_put_bucket_user_qos(user_qos):
    return _one_value("BucketUserQos", "StorageCapacity", str(user_qos.storage_capacity))


def to_put_async_fetch_task(task_config):
    root = ElementTree.Element("AsyncFetchTaskConfiguration")
    _add_text_child(root, "Url", task_config.url)
    _add_text_child(root, "Object", task_config.object_name)
    for tag, value in (("Host", task_config.host), ("ContentMD5", task_config.content_md5),
                       ("Callback", task_config.callback)):
        if value is not None:
            _add_text_child(root, tag, value)
    if task_config.ignore_same_key is not None:
        _add_text_child(root, "IgnoreSameKey", _lower(task_config.ignore_same_key))
    if task_config.callback_when_failed is not None:
        _add_text_child(root, "CallbackWhenFailed", _lower(task_config.callback_when_failed))
    return _node_to_string(root)


def to_do_bucket_meta_query_request(meta_query):
    root = ElementTree.Element("MetaQuery")
    if meta_query.next_token is not None:
        _add_text_child(root, "NextToken", meta_query.next_token)
    _add_text_child(root, "MaxResults", meta_query.max_results)
    _add_text_child(root, "Query", meta_query.query)
    if meta_query.sort is not None:
        _add_text_child(root, "Sort", meta_query.sort)
    if meta_query.order is not None:
        _add_text_child(root, "Order", meta_query.order)
    if meta_query.aggregations:
        node = ElementTree.SubElement(root, "Aggregations")
        for aggregation in meta_query.aggregations:
            item = ElementTree.SubElement(node, "Aggregation")
            if aggregation.field is not None:
                _add_text_child(item, "Field", aggregation.field)
            if aggregation.operation is not None:
                _add_text_child(item, "Operation", aggregation.operation)
    return _node_to_string(root)
