"""Metadata query (data indexing): oss2's parameter and result classes, read from the typed
JSON of their go/oss structs (`resp.parsed`; an absent optional element is None)."""
from .common import _parsed, RequestResult, _ResponseLike


class MetaQuery(object):
    """do_bucket_meta_query's argument: `query` (JSON: a field condition, or "and", "or",
    "not" over SubQueries), `max_results` (kept as text, as oss2 does), `next_token`, `sort`,
    `order` ("asc" or "desc") and `aggregations` (AggregationsRequest list)."""

    def __init__(self, next_token=None, max_results=None, query=None, sort=None, order=None, aggregations=None):
        self.next_token = next_token
        self.max_results = str(max_results)
        self.query = query
        self.sort = sort
        self.order = order
        self.aggregations = aggregations or []


class AggregationsRequest(object):
    """One aggregation to compute: `field` and `operation` (min, max, average, sum, count,
    distinct, group)."""

    def __init__(self, field=None, operation=None):
        self.field = field
        self.operation = operation


class GetBucketMetaQueryResult(RequestResult):
    """get_bucket_meta_query_status's result: `state`, `phase`, `create_time`, `update_time`."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(GetBucketMetaQueryResult, self).__init__(resp)
        self.state = None
        self.phase = None
        self.create_time = None
        self.update_time = None
        body = _parsed(resp)  # go/oss MetaQueryStatus
        if body:
            for field in ("state", "phase", "create_time", "update_time"):
                setattr(self, field, body[field])


class MetaQueryFile(object):
    """One object a metadata query found: `file_name`, `size`, `file_modified_time`,
    `oss_object_type`, `oss_storage_class`, `object_acl`, `etag`, `oss_crc64`,
    `oss_tagging_count`, `oss_tagging` (OSSTaggingInfo), `oss_user_meta` (OSSUserMetaInfo), ..."""

    def __init__(self):
        self.file_name = None
        self.size = None
        self.file_modified_time = None
        self.file_create_time = None
        self.file_access_time = None
        self.oss_object_type = None
        self.oss_storage_class = None
        self.object_acl = None
        self.etag = None
        self.oss_crc64 = None
        self.oss_tagging_count = None
        self.oss_tagging = []
        self.oss_user_meta = []


class AggregationsInfo(object):
    """One aggregation's result: `field`, `operation`, `value` (float), `groups`
    (AggregationGroupInfo, for group)."""

    def __init__(self):
        self.field = None
        self.operation = None
        self.value = None
        self.groups = []


class OSSTaggingInfo(object):
    """A tag of a found object."""

    def __init__(self, key, value):
        self.key = key
        self.value = value


class OSSUserMetaInfo(object):
    """A user metadata entry of a found object."""

    def __init__(self, key, value):
        self.key = key
        self.value = value


class AggregationGroupInfo(object):
    """A value of a group aggregation and how many objects have it."""

    def __init__(self, value, count):
        self.value = value
        self.count = count


class DoBucketMetaQueryResult(RequestResult):
    """do_bucket_meta_query's result: `files` (MetaQueryFile), `aggregations`
    (AggregationsInfo), `next_token` ("" on the last page)."""

    def __init__(self, resp: _ResponseLike) -> None:
        super(DoBucketMetaQueryResult, self).__init__(resp)
        self.next_token = None
        self.files = []
        self.aggregations = []
        body = _parsed(resp)  # go/oss MetaQueryResult
        if not body:
            return
        self.next_token = body["next_token"]
        for f in body["files"] or ():
            info = MetaQueryFile()
            info.file_name = f["filename"]
            info.size = int(f["size"] or 0)
            for field in ("file_modified_time", "file_create_time", "file_access_time", "oss_object_type",
                          "oss_storage_class", "object_acl", "etag", "oss_crc64"):
                setattr(info, field, f[field])
            info.oss_tagging_count = int(f["oss_tagging_count"] or 0)
            info.oss_tagging = [OSSTaggingInfo(t["key"], t["value"]) for t in f["oss_tagging"] or ()]
            info.oss_user_meta = [OSSUserMetaInfo(m["key"], m["value"]) for m in f["oss_user_meta"] or ()]
            self.files.append(info)
        for a in body["aggregations"] or ():
            agg = AggregationsInfo()
            agg.field, agg.operation = a["field"], a["operation"]
            agg.value = float(a["value"] or 0)
            agg.groups = [AggregationGroupInfo(g["value"], int(g["count"] or 0)) for g in a["groups"] or ()]
            self.aggregations.append(agg)
