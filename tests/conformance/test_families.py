"""The bucket families beyond the everyday settings (issue 22 item 4): WORM, replication,
inventory, ... each run through oss2 and pyjindo side by side against jindo server, results and
errors compared field by field, and the request documents compared byte for byte."""
import pytest

from .compare import Raised
from .recorder import sent_by_both


def _same_id(result, worm_id):
    """Random per run: whether the result names the policy the scenario created."""
    result.worm_id = result.worm_id == worm_id
    if hasattr(result, "headers"):
        result.headers.pop("x-oss-worm-id", None)
    if getattr(result, "creation_date", None):
        result.creation_date = True
    return result


def test_worm_life(sides):
    def scenario(oss, bucket):
        missing = _raised(bucket.get_bucket_worm)
        init = bucket.init_bucket_worm(3)
        worm_id = init.worm_id
        pending = _same_id(bucket.get_bucket_worm(), worm_id)
        early_extend = _raised(lambda: bucket.extend_bucket_worm(worm_id, 5))
        wrong = _raised(lambda: bucket.complete_bucket_worm("0" * 32))
        done = bucket.complete_bucket_worm(worm_id)
        abort_locked = _raised(bucket.abort_bucket_worm)
        shorter = _raised(lambda: bucket.extend_bucket_worm(worm_id, 2))
        extended = bucket.extend_bucket_worm(worm_id, 10)
        locked = _same_id(bucket.get_bucket_worm(), worm_id)
        return missing, _same_id(init, worm_id), pending, early_extend, wrong, done, abort_locked, shorter, extended, locked
    _, got = sides.run(scenario)
    assert got[2]["state"] == "InProgress" and got[2]["retention_period_days"] == 3 and got[2]["worm_id"] is True
    assert got[9]["state"] == "Locked" and got[9]["retention_period_days"] == 10 and got[9]["worm_state"] is None
    assert got[0]["__raised__"]["code"] == "NoSuchWORMConfiguration"
    assert got[6]["__raised__"]["code"] == "WORMConfigurationLocked"


def test_worm_abort_and_bad_days(sides):
    def scenario(oss, bucket):
        bucket.init_bucket_worm(1)
        return bucket.abort_bucket_worm(), _raised(bucket.get_bucket_worm), _raised(bucket.abort_bucket_worm), \
            _raised(lambda: bucket.init_bucket_worm(0)), _raised(lambda: bucket.init_bucket_worm())
    _, got = sides.run(scenario)
    assert got[0]["status"] == 204 and got[3]["__raised__"]["code"] == "InvalidArgument"


@pytest.mark.parametrize("call", [
    lambda oss, b: b.init_bucket_worm(30), lambda oss, b: b.extend_bucket_worm("id", 40),
    lambda oss, b: b.complete_bucket_worm("id"), lambda oss, b: b.abort_bucket_worm(),
], ids=["init", "extend", "complete", "abort"])
def test_worm_requests_are_oss2s(call):
    theirs, ours = sent_by_both(call)
    assert ours == theirs


def _raised(call):
    """The error a call raises, compared as the scenario's own results are."""
    try:
        call()
    except Exception as e:
        return Raised(e)
    raise AssertionError("no error")
