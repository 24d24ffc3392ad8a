"""OSSFileSystem's credentials: ossfs's option names, the chain, and never anonymous unasked."""
import warnings

import fsspec
import pytest

import pyjindo
from credential_doubles import KeyIssuer, Metadata, clear_credentials_environment


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    clear_credentials_environment(monkeypatch, tmp_path / "home")


def test_no_credentials_raise_at_construction_naming_every_place(no_credentials, server, tmp_path):
    with pytest.raises(pyjindo.exceptions.CredentialsError) as e:
        fsspec.filesystem("oss", endpoint=server.endpoint, skip_instance_cache=True)
    text = str(e.value)
    for place in ("anon=True", "key=", "ALIBABA_CLOUD_ACCESS_KEY_ID", "OSS_ACCESS_KEY_ID",
                  str(tmp_path / "home" / ".ossutilconfig"), "ALIBABA_CLOUD_ECS_METADATA", "ALIBABA_CLOUD_ROLE_ARN"):
        assert place in text, place


def test_another_sdks_option_name_warns_with_ours(no_credentials, server):
    with pytest.warns(UserWarning, match=r"'access_key_id' is ignored; did you mean 'key'"):
        with pytest.raises(pyjindo.exceptions.CredentialsError):
            fsspec.filesystem("oss", endpoint=server.endpoint, access_key_id=server.access_key_id,
                              access_key_secret=server.access_key_secret, skip_instance_cache=True)
    with pytest.warns(UserWarning, match=r"'secrte' is ignored; did you mean 'secret'"):
        fsspec.filesystem("oss", endpoint=server.endpoint, key=server.access_key_id, secret=server.access_key_secret,
                          secrte="x", skip_instance_cache=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fsspec's own options and ours do not warn
        fsspec.filesystem("oss", endpoint=server.endpoint, key=server.access_key_id, secret=server.access_key_secret,
                          use_listings_cache=False, skip_instance_cache=True)


def test_anon_is_asked_for_by_name(no_credentials, server):
    signed = fsspec.filesystem("oss", endpoint=server.endpoint, key=server.access_key_id,
                               secret=server.access_key_secret, skip_instance_cache=True)
    signed.mkdir("fs-anon")
    try:
        for options in ({"anon": True}, {"anonymous": True}):
            fs = fsspec.filesystem("oss", endpoint=server.endpoint, skip_instance_cache=True, **options)
            assert isinstance(fs.auth, pyjindo.AnonymousAuth)
            with pytest.raises(PermissionError):  # a private bucket
                fs.ls("fs-anon")
    finally:
        signed.rmdir("fs-anon")


def test_ossfs_option_names_and_the_environment(no_credentials, server, monkeypatch):
    fs = fsspec.filesystem("oss", endpoint=server.endpoint, key=server.access_key_id,
                           secret=server.access_key_secret, skip_instance_cache=True)
    fs.mkdir("fs-creds")
    try:
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", server.access_key_id)
        monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", server.access_key_secret)
        from_env = fsspec.filesystem("oss", endpoint=server.endpoint, skip_instance_cache=True)
        from_env.pipe("fs-creds/a", b"env")
        assert fs.cat("fs-creds/a") == b"env"
    finally:
        fs.rm("fs-creds", recursive=True)


def test_the_chain_finds_the_ecs_role(no_credentials, tmp_path, monkeypatch):
    from credential_doubles import LoggingServer

    issuer = KeyIssuer(tmp_path / "keys.json", life=3600, prefix="fs")
    metadata = Metadata(issuer, "fs-role")
    server = LoggingServer(tmp_path / "server.log", "--keys-file", issuer.keys_file, "--bucket", "bkt")
    try:
        monkeypatch.setenv("ALIBABA_CLOUD_IMDS_ENDPOINT", metadata.url)
        monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", "fs-role")
        fs = fsspec.filesystem("oss", endpoint=server.endpoint, skip_instance_cache=True)
        fs.pipe("bkt/role", b"from the role")
        assert fs.cat("bkt/role") == b"from the role"
        assert issuer.issued
    finally:
        server.stop()
        metadata.close()
