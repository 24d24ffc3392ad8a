"""The bucket families beyond the everyday settings (WORM, replication, inventory, ...): oss2's
parameter and result classes, with oss2's names, fields and defaults.

Results are read from the typed JSON of their go/oss struct (`resp.parsed`): every field is
there, an absent optional element is None, integers are ints.
"""
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
