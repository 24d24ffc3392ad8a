"""The bucket and service families beyond the everyday settings, with oss2's signatures: WORM,
replication, inventory, ... Bucket and Service (pyjindo.api) inherit them.

Each method builds oss2's request (query, headers, the document from pyjindo.xml_utils) and
names the response document's kind, which go/oss decodes into its typed struct
(go/oss/parse.go's typedDocuments); pyjindo.models.families shapes oss2's result from it.
"""
from __future__ import annotations

from typing import Any, Optional

from . import models, utils, xml_utils
from ._session import GoClient


def _md5_headers(data):
    return {"Content-MD5": utils.content_md5(data)}


class BucketFamilies(GoClient):
    """The families' Bucket methods (pyjindo.api.Bucket)."""

    bucket_name: str

    WORM = "worm"
    WORM_ID = "wormId"
    WORM_EXTEND = "wormExtend"

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


class ServiceFamilies(GoClient):
    """The families' Service methods (pyjindo.api.Service)."""
