"""Bucket and object settings: the configurations users build (lifecycle, CORS, tagging,
versioning, restore, referer, logging) and the results of their get_* calls, each read from
the "tree" document by the same steps as oss2.xml_utils' parse_* functions (same fields, same
defaults for absent elements, same RuntimeError for a missing required element)."""
from ..compat import to_string, urlquote
from ..exceptions import ClientError
from ..utils import iso8601_to_date
from .buckets import ServerSideEncryptionRule
from .common import (_find_all_tags, _find_bool, _find_int, _find_tag, _find_tag_with_default, _key, _root,
                     RequestResult)


_MAX_OBJECT_TAGGING_KEY_LENGTH = 128
_MAX_OBJECT_TAGGING_VALUE_LENGTH = 256


class BucketLogging(object):
    """Access-log settings for put_bucket_logging: `target_bucket`, `target_prefix`."""

    def __init__(self, target_bucket, target_prefix):
        self.target_bucket = target_bucket
        self.target_prefix = target_prefix


class BucketReferer(object):
    """Referer settings for put_bucket_referer: `allow_empty_referer`, `referers`,
    `allow_truncate_query_string`, `black_referers`.
    """

    def __init__(self, allow_empty_referer, referers, allow_truncate_query_string=None, black_referers=None):
        self.allow_empty_referer = allow_empty_referer
        self.referers = referers
        self.allow_truncate_query_string = allow_truncate_query_string
        self.black_referers = black_referers


class LifecycleExpiration(object):
    """When a lifecycle rule deletes objects: `days`, `date` or
    `created_before_date`; `expired_detete_marker` (oss2's spelling).
    """

    def __init__(self, days=None, date=None, created_before_date=None, expired_detete_marker=None):
        if sum(v is not None for v in (days, date, created_before_date, expired_detete_marker)) > 1:
            raise ClientError("More than one field(days, date and created_before_date, expired_detete_marker) "
                              "has been specified")
        self.days = days
        self.date = date
        self.created_before_date = created_before_date
        self.expired_detete_marker = expired_detete_marker


class AbortMultipartUpload(object):
    """When a lifecycle rule aborts unfinished uploads: `days` or
    `created_before_date`.
    """

    def __init__(self, days=None, created_before_date=None):
        if days is not None and created_before_date is not None:
            raise ClientError("days and created_before_date should not be both specified")
        self.days = days
        self.created_before_date = created_before_date


class StorageTransition(object):
    """When a lifecycle rule moves objects to another `storage_class`."""

    def __init__(self, days=None, created_before_date=None, storage_class=None, is_access_time=None,
                 return_to_std_when_visit=None, allow_small_file=None):
        if days is not None and created_before_date is not None:
            raise ClientError("days and created_before_date should not be both specified")
        self.days = days
        self.created_before_date = created_before_date
        self.storage_class = storage_class
        self.is_access_time = is_access_time
        self.return_to_std_when_visit = return_to_std_when_visit
        self.allow_small_file = allow_small_file


class NoncurrentVersionExpiration(object):
    """When a lifecycle rule deletes non-current versions: `noncurrent_days`."""

    def __init__(self, noncurrent_days):
        self.noncurrent_days = noncurrent_days


class NoncurrentVersionStorageTransition(object):
    """When a lifecycle rule moves non-current versions to another
    storage class.
    """

    def __init__(self, noncurrent_days, storage_class, is_access_time=None, return_to_std_when_visit=None,
                 allow_small_file=None):
        self.noncurrent_days = noncurrent_days
        self.storage_class = storage_class
        self.is_access_time = is_access_time
        self.return_to_std_when_visit = return_to_std_when_visit
        self.allow_small_file = allow_small_file


class LifecycleRule(object):
    """One lifecycle rule: `id`, `prefix`, `status` (ENABLED/DISABLED), and its
    expiration, abort, transitions, tagging and filter.
    """

    ENABLED = "Enabled"
    DISABLED = "Disabled"

    def __init__(self, id, prefix, status=ENABLED, expiration=None, abort_multipart_upload=None,
                 storage_transitions=None, tagging=None, noncurrent_version_expiration=None,
                 noncurrent_version_sotrage_transitions=None, atime_base=None, filter=None):
        self.id = id
        self.prefix = prefix
        self.status = status
        self.expiration = expiration
        self.abort_multipart_upload = abort_multipart_upload
        self.storage_transitions = storage_transitions
        self.tagging = tagging
        self.noncurrent_version_expiration = noncurrent_version_expiration
        self.noncurrent_version_sotrage_transitions = noncurrent_version_sotrage_transitions
        self.atime_base = atime_base
        self.filter = filter


class BucketLifecycle(object):
    """Lifecycle rules for put_bucket_lifecycle: `rules` (LifecycleRule)."""

    def __init__(self, rules=None):
        self.rules = rules or []


class CorsRule(object):
    """One CORS rule: allowed origins, methods and headers, expose headers, max age."""

    def __init__(self, allowed_origins=None, allowed_methods=None, allowed_headers=None, expose_headers=None,
                 max_age_seconds=None):
        self.allowed_origins = allowed_origins or []
        self.allowed_methods = allowed_methods or []
        self.allowed_headers = allowed_headers or []
        self.expose_headers = expose_headers or []
        self.max_age_seconds = max_age_seconds


class BucketCors(object):
    """CORS rules for put_bucket_cors: `rules` (CorsRule), `response_vary`."""

    def __init__(self, rules=None, response_vary=None):
        self.rules = rules or []
        self.response_vary = response_vary


class TaggingRule(object):
    """Tags as key -> value (`tagging_rule`): add(), delete(), len(), to_query_string()."""

    def __init__(self):
        self.tagging_rule = dict()

    def add(self, key, value):
        """Set the tag `key` to `value`; ClientError for an empty or too long key or value."""
        if key is None or key == "":
            raise ClientError("Tagging key should not be empty")
        if len(key) > _MAX_OBJECT_TAGGING_KEY_LENGTH:
            raise ClientError("Tagging key is too long")
        if len(value) > _MAX_OBJECT_TAGGING_VALUE_LENGTH:
            raise ClientError("Tagging value is too long")
        self.tagging_rule[key] = value

    def delete(self, key):
        """Remove the tag `key` (KeyError when absent)."""
        del self.tagging_rule[key]

    def len(self):
        """How many tags there are."""
        return len(self.tagging_rule)

    def to_query_string(self):
        """The tags as the x-oss-tagging header value: k1=v1&k2=v2, URL-encoded."""
        return "&".join(urlquote(k) + "=" + urlquote(v) for k, v in self.tagging_rule.items())


class Tagging(object):
    """Tags for put_object_tagging / put_bucket_tagging: `tag_set` (a TaggingRule)."""

    def __init__(self, tagging_rules=None):
        self.tag_set = tagging_rules or TaggingRule()

    def __str__(self):
        return "".join(k + "#" + v + " " for k, v in self.tag_set.tagging_rule.items())


class BucketVersioningConfig(object):
    """Versioning for put_bucket_versioning: `status` ("Enabled" or "Suspended")."""

    def __init__(self, status=None):
        self.status = status


class ResotreJobParameters(object):  # oss2's misspelt name, kept for compatibility
    """oss2's misspelt RestoreJobParameters, kept so programs using it still work."""

    def __init__(self, tier):
        self.tier = tier


class RestoreJobParameters(object):
    """How fast a Cold Archive restore runs: `tier` ("Expedited", "Standard", "Bulk")."""

    def __init__(self, tier):
        self.tier = tier


class RestoreConfiguration(object):
    """restore_object's input: `days` to keep the restored copy, `job_parameters`."""

    def __init__(self, days, job_parameters=None):
        self.days = days
        self.job_parameters = job_parameters


class GetTaggingResult(RequestResult, Tagging):
    """get_object_tagging / get_bucket_tagging's result: a RequestResult and a Tagging."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        Tagging.__init__(self)
        root = _root(resp)
        if root is None:
            return
        url_encoded = _find_tag_with_default(root, "EncodingType", None) == "url"
        tag_set = root.find("TagSet")
        if tag_set is None:
            return
        rules = TaggingRule()
        for tag in tag_set.findall("Tag"):
            rules.add(_key(_find_tag(tag, "Key"), url_encoded), _key(_find_tag(tag, "Value"), url_encoded))
        self.tag_set = rules


class GetBucketCorsResult(RequestResult, BucketCors):
    """get_bucket_cors' result: a RequestResult and a BucketCors."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketCors.__init__(self)
        root = _root(resp)
        if root is None:
            return
        for node in root.findall("CORSRule"):
            rule = CorsRule(_find_all_tags(node, "AllowedOrigin"), _find_all_tags(node, "AllowedMethod"),
                            _find_all_tags(node, "AllowedHeader"), _find_all_tags(node, "ExposeHeader"))
            max_age = node.find("MaxAgeSeconds")
            if max_age is not None:
                rule.max_age_seconds = int(max_age.text)
            self.rules.append(rule)
        if root.find("ResponseVary") is not None:
            self.response_vary = _find_bool(root, "ResponseVary")


class LifecycleFilter(object):
    """A lifecycle rule's filter: `filter_not`, object size bounds."""

    def __init__(self, filter_not=None, object_size_greater_than=None, object_size_less_than=None):
        self.filter_not = filter_not or []
        self.object_size_greater_than = object_size_greater_than
        self.object_size_less_than = object_size_less_than


class FilterNot(object):
    """Objects a lifecycle rule leaves out: a `prefix` and a `tag`."""

    def __init__(self, prefix=None, tag=None):
        self.prefix = prefix
        self.tag = tag


class FilterNotTag(object):
    """A tag (`key`, `value`) of a FilterNot."""

    def __init__(self, key=None, value=None):
        self.key = key
        self.value = value


def _lifecycle_days_or_date(node, target):
    if node.find("Days") is not None:
        target.days = _find_int(node, "Days")
    elif node.find("CreatedBeforeDate") is not None:
        target.created_before_date = iso8601_to_date(_find_tag(node, "CreatedBeforeDate"))


def _lifecycle_transition_flags(node, target):
    for attr, tag in (("is_access_time", "IsAccessTime"), ("return_to_std_when_visit", "ReturnToStdWhenVisit"),
                      ("allow_small_file", "AllowSmallFile")):
        if node.find(tag) is not None:
            setattr(target, attr, _find_bool(node, tag))


def _lifecycle_expiration(node):
    if node is None:
        return None
    expiration = LifecycleExpiration()
    if node.find("Days") is not None:
        expiration.days = _find_int(node, "Days")
    elif node.find("Date") is not None:
        expiration.date = iso8601_to_date(_find_tag(node, "Date"))
    elif node.find("CreatedBeforeDate") is not None:
        expiration.created_before_date = iso8601_to_date(_find_tag(node, "CreatedBeforeDate"))
    elif node.find("ExpiredObjectDeleteMarker") is not None:
        expiration.expired_detete_marker = _find_bool(node, "ExpiredObjectDeleteMarker")
    return expiration


def _lifecycle_abort(node):
    if node is None:
        return None
    abort = AbortMultipartUpload()
    _lifecycle_days_or_date(node, abort)
    return abort


def _lifecycle_transitions(nodes):
    transitions = []
    for node in nodes:
        transition = StorageTransition(storage_class=_find_tag(node, "StorageClass"))
        _lifecycle_days_or_date(node, transition)
        _lifecycle_transition_flags(node, transition)
        transitions.append(transition)
    return transitions


def _lifecycle_tagging(nodes):
    if not nodes:
        return None
    rules = TaggingRule()
    for node in nodes:
        rules.add(_find_tag(node, "Key"), _find_tag(node, "Value"))
    return Tagging(rules)


def _lifecycle_noncurrent_transitions(nodes):
    transitions = []
    for node in nodes:
        transition = NoncurrentVersionStorageTransition(_find_int(node, "NoncurrentDays"),
                                                        _find_tag(node, "StorageClass"))
        _lifecycle_transition_flags(node, transition)
        transitions.append(transition)
    return transitions


def _lifecycle_filter(node):
    lifecycle_filter = LifecycleFilter()
    if node is None:
        return lifecycle_filter
    for attr, tag in (("object_size_greater_than", "ObjectSizeGreaterThan"),
                      ("object_size_less_than", "ObjectSizeLessThan")):
        if node.find(tag) is not None:
            setattr(lifecycle_filter, attr, int(_find_tag_with_default(node, tag, 0)))
    for not_node in node.findall("Not"):
        tag = FilterNotTag(_find_tag_with_default(not_node, "Tag/Key", None),
                           _find_tag_with_default(not_node, "Tag/Value", None))
        lifecycle_filter.filter_not.append(FilterNot(_find_tag_with_default(not_node, "Prefix", None), tag))
    return lifecycle_filter


class GetBucketLifecycleResult(RequestResult, BucketLifecycle):
    """get_bucket_lifecycle's result: a RequestResult and a BucketLifecycle."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketLifecycle.__init__(self)
        root = _root(resp)
        if root is None:
            return
        for node in root.findall("Rule"):
            noncurrent = node.find("NoncurrentVersionExpiration")
            self.rules.append(LifecycleRule(
                _find_tag(node, "ID"), _find_tag(node, "Prefix"), status=_find_tag(node, "Status"),
                expiration=_lifecycle_expiration(node.find("Expiration")),
                abort_multipart_upload=_lifecycle_abort(node.find("AbortMultipartUpload")),
                storage_transitions=_lifecycle_transitions(node.findall("Transition")),
                tagging=_lifecycle_tagging(node.findall("Tag")),
                noncurrent_version_expiration=(None if noncurrent is None else NoncurrentVersionExpiration(
                    _find_int(noncurrent, "NoncurrentDays"))),
                noncurrent_version_sotrage_transitions=_lifecycle_noncurrent_transitions(
                    node.findall("NoncurrentVersionTransition")),
                atime_base=int(_find_tag_with_default(node, "AtimeBase", 0)),
                filter=_lifecycle_filter(node.find("Filter"))))


class GetBucketRefererResult(RequestResult, BucketReferer):
    """get_bucket_referer's result: a RequestResult and a BucketReferer."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketReferer.__init__(self, False, [], None, [])
        root = _root(resp)
        if root is None:
            return
        self.allow_empty_referer = _find_bool(root, "AllowEmptyReferer")
        self.referers = _find_all_tags(root, "RefererList/Referer")
        if root.find("AllowTruncateQueryString") is not None:
            self.allow_truncate_query_string = _find_bool(root, "AllowTruncateQueryString")
        if root.find("RefererBlacklist/Referer") is not None:
            self.black_referers = _find_all_tags(root, "RefererBlacklist/Referer")


class GetBucketLoggingResult(RequestResult, BucketLogging):
    """get_bucket_logging's result: a RequestResult and a BucketLogging."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketLogging.__init__(self, "", "")
        root = _root(resp)
        if root is None:
            return
        if root.find("LoggingEnabled/TargetBucket") is not None:
            self.target_bucket = _find_tag(root, "LoggingEnabled/TargetBucket")
        if root.find("LoggingEnabled/TargetPrefix") is not None:
            self.target_prefix = _find_tag(root, "LoggingEnabled/TargetPrefix")


class GetServerSideEncryptionResult(RequestResult, ServerSideEncryptionRule):
    """get_bucket_encryption's result: a RequestResult and a
    ServerSideEncryptionRule.
    """

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        ServerSideEncryptionRule.__init__(self)
        root = _root(resp)
        if root is None:
            return
        apply_node = root.find("ApplyServerSideEncryptionByDefault")
        self.sse_algorithm = _find_tag(apply_node, "SSEAlgorithm")
        self.kms_master_keyid = _find_tag_with_default(apply_node, "KMSMasterKeyID", None) or None
        self.kms_data_encryption = _find_tag_with_default(apply_node, "KMSDataEncryption", None) or None


class GetBucketVersioningResult(RequestResult, BucketVersioningConfig):
    """get_bucket_versioning's result: `status` ("Enabled", "Suspended" or None)."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        BucketVersioningConfig.__init__(self)
        root = _root(resp)
        if root is not None:
            self.status = _find_tag_with_default(root, "Status", None)


class GetBucketPolicyResult(RequestResult):
    """get_bucket_policy's result: `policy`, the JSON text."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        #: the policy document (JSON text) as stored
        self.policy = to_string(resp.read())


class GetBucketRequestPaymentResult(RequestResult):
    """get_bucket_request_payment's result: `payer`."""

    def __init__(self, resp):
        RequestResult.__init__(self, resp)
        self.payer = ""
        root = _root(resp)
        if root is not None:
            self.payer = _find_tag(root, "Payer")
