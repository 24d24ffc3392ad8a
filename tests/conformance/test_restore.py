"""Archive restore (issue 12, family 4), oss2 vs pyjindo on the same server (restores there take
the server's --restore-delay, 1 s by default; nothing here waits for one to finish)."""
import pytest

from .recorder import sent_by_both


def _archived(oss, bucket, key="cold", storage_class="Archive"):
    bucket.put_object(key, b"frozen", headers={"x-oss-storage-class": storage_class})


def test_restore_then_head_shows_x_oss_restore(sides):
    def scenario(oss, bucket):
        _archived(oss, bucket)
        first = bucket.restore_object("cold")
        head, meta = bucket.head_object("cold"), bucket.get_object_meta("cold")
        return first, head.headers.get("x-oss-restore"), head, meta, [o.restore_info for o in bucket.list_objects().object_list]
    _, got = sides.run(scenario)
    assert got[0]["status"] == 202
    assert got[1] == 'ongoing-request="true"'


def test_restore_with_configuration(sides):
    def scenario(oss, bucket):
        _archived(oss, bucket, storage_class="ColdArchive")
        config = oss.models.RestoreConfiguration(2, oss.models.RestoreJobParameters(oss.models.RESTORE_TIER_BULK))
        return bucket.restore_object("cold", params={}, headers={}, input=config)
    _, got = sides.run(scenario)
    assert got["status"] == 202


@pytest.mark.parametrize("call", [
    lambda oss, b: (_archived(oss, b), b.restore_object("cold"), b.restore_object("cold")),
    lambda oss, b: (_archived(oss, b), b.get_object("cold")),
    lambda oss, b: (b.put_object("warm", b"x"), b.restore_object("warm")),
    lambda oss, b: b.restore_object("missing"),
    lambda oss, b: b.restore_object(""),
    lambda oss, b: (_archived(oss, b), b.restore_object("cold", input="<RestoreRequest><Days>x</Days></RestoreRequest>")),
], ids=["in-progress", "unreadable", "standard", "missing", "empty-key", "bad-document"])
def test_restore_errors(sides, call):
    expected, _ = sides.run(call)
    assert "__raised__" in str(expected)


def test_restore_documents_are_oss2s():
    for config in ("none", "days", "tier"):
        def call(oss, b, config=config):
            m = oss.models
            arg = {"none": None, "days": m.RestoreConfiguration(3),
                   "tier": m.RestoreConfiguration(1, m.RestoreJobParameters("Expedited"))}[config]
            return b.restore_object("k", input=arg)
        o, p = sent_by_both(call)
        assert o == p
