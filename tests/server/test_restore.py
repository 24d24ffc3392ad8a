"""The real oss2 against jindo server: archived objects and restore_object, on a server whose
restores take 0.2 s (--restore-delay)."""
import os
import time

import oss2
import pytest
from oss2 import exceptions
from oss2.models import RestoreConfiguration, RestoreJobParameters

from jindo_server import JindoServer

_names = iter(range(1 << 30))


@pytest.fixture(scope="module")
def quick_server():
    with JindoServer("--restore-delay", "200ms") as s:
        yield s


@pytest.fixture
def archive(quick_server):
    auth = oss2.Auth(quick_server.access_key_id, quick_server.access_key_secret)
    b = oss2.Bucket(auth, quick_server.endpoint, "restore-%d-%d" % (os.getpid(), next(_names)))
    b.create_bucket(input=oss2.models.BucketCreateConfig(oss2.BUCKET_STORAGE_CLASS_ARCHIVE))
    return b


def _wait_restored(bucket, key):
    """Polls HEAD until the restore is done (bounded): the state, not a duration, is under test."""
    deadline = time.monotonic() + 20
    while True:
        state = bucket.head_object(key).headers.get("x-oss-restore", "")
        if state.startswith('ongoing-request="false"'):
            return state
        assert time.monotonic() < deadline, "restore never finished: %r" % state
        time.sleep(0.05)


def test_restore_cycle(archive):
    archive.put_object("cold", b"frozen")
    assert "x-oss-restore" not in archive.head_object("cold").headers
    with pytest.raises(exceptions.ServerError) as e:
        archive.get_object("cold")
    assert (e.value.status, e.value.code) == (403, "InvalidObjectState")

    assert archive.restore_object("cold").status == 202
    assert archive.head_object("cold").headers["x-oss-restore"] == 'ongoing-request="true"'
    assert [o.restore_info for o in archive.list_objects().object_list] == ['ongoing-request="true"']
    with pytest.raises(exceptions.RestoreAlreadyInProgress):
        archive.restore_object("cold")
    with pytest.raises(exceptions.ServerError) as e:
        archive.get_object("cold")
    assert e.value.code == "InvalidObjectState"

    state = _wait_restored(archive, "cold")
    assert state.startswith('ongoing-request="false", expiry-date="') and state.endswith(' GMT"')
    assert archive.get_object("cold").read() == b"frozen"
    # Asked again once restored: 200, and the copy stays readable.
    assert archive.restore_object("cold").status == 200
    assert archive.get_object("cold").read() == b"frozen"
    archive.copy_object(archive.bucket_name, "cold", "warm", headers={"x-oss-storage-class": "Standard"})
    assert archive.get_object("warm").read() == b"frozen"


def test_restore_of_a_readable_object_is_not_supported(archive):
    for cls in ("Standard", "IA"):
        archive.put_object(cls, b"x", headers={"x-oss-storage-class": cls})
        with pytest.raises(exceptions.OperationNotSupported):
            archive.restore_object(cls)


def test_restore_of_a_missing_object(archive):
    with pytest.raises(exceptions.NoSuchKey):
        archive.restore_object("missing")


@pytest.mark.parametrize("cls,tiers", [
    ("ColdArchive", ["Expedited", "Standard", "Bulk"]),
    ("DeepColdArchive", ["Expedited", "Standard"]),
])
def test_cold_archive_restore_tiers(archive, cls, tiers):
    for tier in tiers:
        key = cls + tier
        archive.put_object(key, b"x", headers={"x-oss-storage-class": cls})
        result = archive.restore_object(key, input=RestoreConfiguration(days=5, job_parameters=RestoreJobParameters(tier)))
        assert result.status == 202
        assert result.headers["x-oss-object-restore-priority"] == tier
    archive.put_object(cls + "wrong", b"x", headers={"x-oss-storage-class": cls})
    with pytest.raises(exceptions.InvalidArgument):
        archive.restore_object(cls + "wrong", input=RestoreConfiguration(days=5, job_parameters=RestoreJobParameters("wrong-tier")))
    # Without a configuration, a cold archive object restores at the Standard tier.
    assert archive.restore_object(cls + "wrong").headers["x-oss-object-restore-priority"] == "Standard"
    key = cls + "Standard"
    _wait_restored(archive, key)
    assert archive.get_object(key).read() == b"x"


def test_archive_restore_refuses_job_parameters_and_bad_days(archive):
    archive.put_object("a", b"x")
    with pytest.raises(exceptions.MalformedXml):
        archive.restore_object("a", input=RestoreConfiguration(days=5, job_parameters=RestoreJobParameters("Bulk")))
    with pytest.raises(exceptions.InvalidArgument):
        archive.restore_object("a", input=RestoreConfiguration(days=8))
    assert archive.restore_object("a", input=RestoreConfiguration(days=7)).status == 202


def test_link_to_an_archived_object(archive):
    archive.put_object("cold", b"frozen")
    archive.put_symlink("cold", "link")
    with pytest.raises(exceptions.ServerError) as e:
        archive.get_object("link")
    assert e.value.code == "InvalidObjectState"
    archive.restore_object("cold")
    _wait_restored(archive, "cold")
    assert archive.get_object("link").read() == b"frozen"


def test_restore_state_survives_a_restart(tmp_path):
    root = str(tmp_path / "root")
    with JindoServer("--root", root, "--restore-delay", "200ms") as s:
        b = oss2.Bucket(oss2.Auth(s.access_key_id, s.access_key_secret), s.endpoint, "restart")
        b.create_bucket()
        b.put_object("cold", b"frozen", headers={"x-oss-storage-class": "Archive"})
        b.restore_object("cold")
        _wait_restored(b, "cold")
        keys = (s.access_key_id, s.access_key_secret)
    with JindoServer("--root", root, access_key_id=keys[0], access_key_secret=keys[1]) as s:
        b = oss2.Bucket(oss2.Auth(*keys), s.endpoint, "restart")
        assert b.get_object("cold").read() == b"frozen"
        assert b.head_object("cold").headers["x-oss-restore"].startswith('ongoing-request="false"')
