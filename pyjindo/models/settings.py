"""Bucket and object settings: the configurations users build (lifecycle, CORS, tagging,
versioning, restore, referer, logging) and the results of their get_* calls, each built from
its go/oss document (go/oss/settings.go) with oss2's fields and defaults for absent elements."""
from ..compat import to_string, urlquote
from ..exceptions import ClientError
from ..utils import iso8601_to_date
from .buckets import ServerSideEncryptionRule
from .common import _parsed, RequestResult, _ResponseLike


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

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        Tagging.__init__(self)
        body = _parsed(resp)  # go/oss Tagging: keys and values decoded
        for tag in body.get("tags") or ():
            self.tag_set.add(tag["key"], tag["value"])


class GetBucketCorsResult(RequestResult, BucketCors):
    """get_bucket_cors' result: a RequestResult and a BucketCors."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketCors.__init__(self)
        body = _parsed(resp)  # go/oss CORSConfiguration
        if not body:
            return
        for r in body["rules"]:
            rule = CorsRule(r["allowed_origins"], r["allowed_methods"], r["allowed_headers"], r["expose_headers"])
            if r["max_age_seconds"] is not None:
                rule.max_age_seconds = r["max_age_seconds"]
            self.rules.append(rule)
        if body["response_vary"] is not None:
            self.response_vary = body["response_vary"]


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


def _lifecycle_days_or_date(d, target):
    """Days, else CreatedBeforeDate (a date), as oss2 reads them."""
    if d["days"] is not None:
        target.days = d["days"]
    elif d["created_before_date"] is not None:
        target.created_before_date = iso8601_to_date(d["created_before_date"])


def _lifecycle_transition_flags(d, target):
    for attr in ("is_access_time", "return_to_std_when_visit", "allow_small_file"):
        if d[attr] is not None:
            setattr(target, attr, d[attr])


def _lifecycle_expiration(d):
    if d is None:
        return None
    expiration = LifecycleExpiration()
    if d["days"] is not None:
        expiration.days = d["days"]
    elif d["date"] is not None:
        expiration.date = iso8601_to_date(d["date"])
    elif d["created_before_date"] is not None:
        expiration.created_before_date = iso8601_to_date(d["created_before_date"])
    elif d["expired_object_delete_marker"] is not None:
        expiration.expired_detete_marker = d["expired_object_delete_marker"]
    return expiration


def _lifecycle_abort(d):
    if d is None:
        return None
    abort = AbortMultipartUpload()
    _lifecycle_days_or_date(d, abort)
    return abort


def _lifecycle_transition(d):
    transition = StorageTransition(storage_class=d["storage_class"])
    _lifecycle_days_or_date(d, transition)
    _lifecycle_transition_flags(d, transition)
    return transition


def _lifecycle_tagging(tags):
    if not tags:
        return None
    rules = TaggingRule()
    for tag in tags:
        rules.add(tag["key"], tag["value"])
    return Tagging(rules)


def _lifecycle_noncurrent_transition(d):
    transition = NoncurrentVersionStorageTransition(d["noncurrent_days"], d["storage_class"])
    _lifecycle_transition_flags(d, transition)
    return transition


def _lifecycle_filter(d):
    lifecycle_filter = LifecycleFilter()
    if d is None:
        return lifecycle_filter
    lifecycle_filter.object_size_greater_than = d["object_size_greater_than"]
    lifecycle_filter.object_size_less_than = d["object_size_less_than"]
    lifecycle_filter.filter_not = [FilterNot(n["prefix"], FilterNotTag(n["tag_key"], n["tag_value"]))
                                   for n in d["not"]]
    return lifecycle_filter


class GetBucketLifecycleResult(RequestResult, BucketLifecycle):
    """get_bucket_lifecycle's result: a RequestResult and a BucketLifecycle."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketLifecycle.__init__(self)
        body = _parsed(resp)  # go/oss LifecycleConfiguration
        for r in body.get("rules") or ():
            noncurrent = r["noncurrent_version_expiration"]
            self.rules.append(LifecycleRule(
                r["id"], r["prefix"], status=r["status"],
                expiration=_lifecycle_expiration(r["expiration"]),
                abort_multipart_upload=_lifecycle_abort(r["abort_multipart_upload"]),
                storage_transitions=[_lifecycle_transition(t) for t in r["transitions"]],
                tagging=_lifecycle_tagging(r["tags"]),
                noncurrent_version_expiration=(None if noncurrent is None else NoncurrentVersionExpiration(
                    noncurrent["noncurrent_days"])),
                noncurrent_version_sotrage_transitions=[_lifecycle_noncurrent_transition(t)
                                                        for t in r["noncurrent_version_transitions"]],
                atime_base=r["atime_base"],
                filter=_lifecycle_filter(r["filter"])))


class GetBucketRefererResult(RequestResult, BucketReferer):
    """get_bucket_referer's result: a RequestResult and a BucketReferer."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketReferer.__init__(self, False, [], None, [])
        body = _parsed(resp)  # go/oss RefererConfiguration
        if not body:
            return
        self.allow_empty_referer = body["allow_empty_referer"]
        self.referers = body["referers"]
        self.allow_truncate_query_string = body["allow_truncate_query_string"]
        self.black_referers = body["black_referers"]


class GetBucketLoggingResult(RequestResult, BucketLogging):
    """get_bucket_logging's result: a RequestResult and a BucketLogging."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketLogging.__init__(self, "", "")
        body = _parsed(resp)  # go/oss BucketLoggingStatus: no target while logging is off
        if body.get("target_bucket") is not None:
            self.target_bucket = body["target_bucket"]
        if body.get("target_prefix") is not None:
            self.target_prefix = body["target_prefix"]


class GetServerSideEncryptionResult(RequestResult, ServerSideEncryptionRule):
    """get_bucket_encryption's result: a RequestResult and a
    ServerSideEncryptionRule.
    """

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        ServerSideEncryptionRule.__init__(self)
        body = _parsed(resp)  # go/oss BucketEncryption
        if not body:
            return
        rule = body["rule"]
        self.sse_algorithm = rule["sse_algorithm"]
        # as oss2: an empty KMS element is None, as an absent one
        self.kms_master_keyid = rule["kms_master_key_id"] or None
        self.kms_data_encryption = rule["kms_data_encryption"] or None


class GetBucketVersioningResult(RequestResult, BucketVersioningConfig):
    """get_bucket_versioning's result: `status` ("Enabled", "Suspended" or None)."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketVersioningConfig.__init__(self)
        self.status = _parsed(resp).get("status")  # go/oss VersioningConfiguration


class GetBucketPolicyResult(RequestResult):
    """get_bucket_policy's result: `policy`, the JSON text."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        #: the policy document (JSON text) as stored
        self.policy = to_string(resp.read())


class GetBucketRequestPaymentResult(RequestResult):
    """get_bucket_request_payment's result: `payer`."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        self.payer = ""
        body = _parsed(resp)  # go/oss RequestPaymentConfiguration
        if body:
            self.payer = body["payer"]
