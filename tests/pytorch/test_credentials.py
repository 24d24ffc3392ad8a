"""pyjindo.torch's credentials: cred_path problems named, the chain, never anonymous unasked, and
an import without torch that says what to install."""
import json
import os
import subprocess
import sys

import pytest

import pyjindo
import pyjindo.torch as pt
from credential_doubles import clear_credentials_environment

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    clear_credentials_environment(monkeypatch, tmp_path / "home")


def test_no_cred_path_and_no_chain_is_a_clear_error(no_credentials, server, tmp_path):
    with pytest.raises(pyjindo.exceptions.CredentialsError) as e:
        pt.OssCheckpoint(server.endpoint)
    text = str(e.value)
    for place in ("cred_path=", "anon=True", "ALIBABA_CLOUD_ACCESS_KEY_ID", "OSS_ACCESS_KEY_ID",
                  str(tmp_path / "home" / ".ossutilconfig"), "ALIBABA_CLOUD_ECS_METADATA", "ALIBABA_CLOUD_ROLE_ARN"):
        assert place in text, place


@pytest.mark.parametrize("content, problem", [
    (None, "does not exist"),
    ('{"AccessKeyId": "ak", ', "not JSON"),
    ('{"AccessKeyId": "ak"}', "no AccessKeyId and AccessKeySecret"),
    ('{"AccessKeyId": "ak", "AccessKeySecret": "sk", "Expiration": "2020-01-01T00:00:00Z"}', "expired"),
])
def test_a_bad_cred_path_names_the_file_and_the_problem(no_credentials, server, tmp_path, content, problem):
    path = tmp_path / "cred.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(pyjindo.exceptions.CredentialsError) as e:
        pt.OssMapDataset.from_objects(["oss://b/k"], server.endpoint, cred_path=str(path))
    assert str(path) in str(e.value) and problem in str(e.value)
    assert not isinstance(e.value, json.JSONDecodeError)


def test_the_chain_gives_the_dataset_its_keys(no_credentials, server, monkeypatch):
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "torch-chain")
    b.create_bucket()
    b.put_object("data/a", b"chained")
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", server.access_key_id)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", server.access_key_secret)
    ds = pt.OssMapDataset.from_prefix("oss://torch-chain/data/", server.endpoint)
    assert ds[0].read() == b"chained"


def test_import_without_torch_is_module_not_found_torch_saying_how_to_install_it():
    code = ("import sys; sys.modules['torch'] = None\n"
            "try:\n    import pyjindo.torch\n"
            "except ImportError as e:\n    print(type(e).__name__, e.name)\n    raise\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert r.stdout.split() == ["ModuleNotFoundError", "torch"], r.stdout
    assert "pip install torch" in r.stderr and "pyjindo[torch]" in r.stderr, r.stderr


def test_anon_is_asked_for_by_name_and_sends_unsigned_requests(no_credentials, server):
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "torch-anon")
    b.create_bucket(pyjindo.BUCKET_ACL_PRIVATE)
    b.put_object("public", b"for everyone")
    b.put_object_acl("public", pyjindo.OBJECT_ACL_PUBLIC_READ)
    b.put_object("private", b"secret")
    ds = pt.OssMapDataset.from_objects(["oss://torch-anon/public", "oss://torch-anon/private"], server.endpoint,
                                       anon=True)
    assert isinstance(ds._client.auth, pyjindo.AnonymousAuth)
    assert ds[0].read() == b"for everyone"
    with pytest.raises(pyjindo.exceptions.AccessDenied):
        ds[1]
    with pt.OssCheckpoint(server.endpoint, anon=True).reader("oss://torch-anon/public") as r:
        assert r.read() == b"for everyone"
