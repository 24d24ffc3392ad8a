"""pyjindo's Python API on the Go credentials sources (go/oss/credentials): the environment,
ossutil's config file, a JSON credentials file, the ECS RAM role and RRSA, each against doubles
on 127.0.0.1 (tests/credential_doubles.py) and a jindo server that accepts the keys they issue
only until they expire. pyjindo only: oss2 has no such sources to compare with."""
import json
import logging
import os
import re
import secrets
import time

import pytest

import pyjindo
from pyjindo.credentials import (ChainCredentialsProvider, EnvironmentVariableCredentialsProvider,
                                 JsonFileCredentialsProvider, RrsaCredentialsProvider)
from credential_doubles import STS, KeyIssuer, LoggingServer, Metadata, clear_credentials_environment

ROLE = "pyjindo-role"


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    clear_credentials_environment(monkeypatch, tmp_path / "home")


@pytest.fixture
def issuer(tmp_path):
    return KeyIssuer(tmp_path / "keys.json", life=3600, prefix="ak")


@pytest.fixture
def keys_server(tmp_path, issuer):
    """A jindo server that accepts the issuer's keys (and its own static pair), each response
    delayed 50 ms so that a transfer of many parts takes seconds."""
    s = LoggingServer(tmp_path / "server.log", "--keys-file", issuer.keys_file, "--latency", "50ms",
                      "--access-key-id", "static-ak", "--access-key-secret", "static-sk", "--bucket", "bkt")
    yield s
    s.stop()


@pytest.fixture
def metadata(issuer, monkeypatch):
    m = Metadata(issuer, ROLE)
    monkeypatch.setenv("ALIBABA_CLOUD_IMDS_ENDPOINT", m.url)
    yield m
    m.close()


def failed_requests(server):
    return [line for line in server.log_lines() if re.search(r"\bstatus=[45]\d\d\b", line)]


def test_environment_provider_reads_the_variables_at_each_request(no_credentials, keys_server, issuer, monkeypatch):
    key = issuer.issue()
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", key["AccessKeySecret"])
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", key["SecurityToken"])
    b = pyjindo.Bucket(pyjindo.ProviderAuth(EnvironmentVariableCredentialsProvider()), keys_server.endpoint, "bkt")
    b.put_object("env", b"x")
    # oss2's variables, once the official SDKs' are gone
    for name in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", "static-ak")
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", "static-sk")
    assert b.get_object("env").read() == b"x"
    assert EnvironmentVariableCredentialsProvider().get_credentials().get_access_key_id() == "static-ak"
    monkeypatch.delenv("OSS_ACCESS_KEY_ID")
    monkeypatch.delenv("OSS_ACCESS_KEY_SECRET")
    with pytest.raises(pyjindo.exceptions.ClientError) as e:
        b.get_object("env")
    assert isinstance(e.value, pyjindo.exceptions.CredentialsError) and e.value.not_found
    assert "ALIBABA_CLOUD_ACCESS_KEY_ID" in str(e.value) and "OSS_ACCESS_KEY_ID" in str(e.value)


def test_chain_lists_every_place_it_looked(no_credentials, tmp_path):
    with pytest.raises(pyjindo.exceptions.CredentialsError) as e:
        ChainCredentialsProvider().describe()
    text = str(e.value)
    for place in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "OSS_ACCESS_KEY_ID", str(tmp_path / "home" / ".ossutilconfig"),
                  "ALIBABA_CLOUD_ECS_METADATA", "ALIBABA_CLOUD_ROLE_ARN"):
        assert place in text


def test_chain_reads_ossutils_config_file(no_credentials, keys_server, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".ossutilconfig").write_text("[Credentials]\nendpoint = x\naccessKeyID = static-ak\naccessKeySecret = static-sk\n")
    provider = ChainCredentialsProvider()
    assert provider.describe()["source"] == "config file %s [Credentials]" % (home / ".ossutilconfig")
    b = pyjindo.Bucket(pyjindo.ProviderAuth(provider), keys_server.endpoint, "bkt")
    b.put_object("profile", b"p")
    assert b.get_object("profile").read() == b"p"


def test_json_file_is_read_again_when_it_changes_and_expired_keys_name_it(no_credentials, keys_server, issuer, tmp_path):
    path = tmp_path / "cred.json"

    def write(key):
        tmp = str(path) + ".tmp"
        with open(tmp, "w") as f:
            json.dump(key, f)
        os.replace(tmp, str(path))

    first = issuer.issue()
    write(first)
    b = pyjindo.Bucket(pyjindo.ProviderAuth(JsonFileCredentialsProvider(str(path))), keys_server.endpoint, "bkt")
    b.put_object("file", b"f")
    second = issuer.issue()
    write(second)
    assert b.get_object("file").read() == b"f"
    write(dict(second, Expiration="2020-01-01T00:00:00Z"))
    with pytest.raises(pyjindo.exceptions.CredentialsError) as e:
        b.get_object("file")
    assert str(path) in str(e.value) and "expired" in str(e.value)


def test_ecs_role_found_by_the_chain_signs_requests(no_credentials, keys_server, metadata, monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", ROLE)
    provider = ChainCredentialsProvider()
    assert provider.describe()["source"] == "ECS RAM role " + ROLE
    b = pyjindo.Bucket(pyjindo.ProviderAuth(provider), keys_server.endpoint, "bkt")
    b.put_object("ecs", b"e")
    assert b.get_object("ecs").read() == b"e"
    assert "PUT /latest/api/token" in metadata.requests  # IMDSv2


def test_oss2s_ecs_provider_signs_through_go(no_credentials, keys_server, metadata):
    """auth_host names the role; requests go through Go's provider (with the IMDSv2 token, which
    oss2's own fetcher never sends: the double refuses requests without it)."""
    url = metadata.url + "/latest/meta-data/ram/security-credentials/" + ROLE
    b = pyjindo.Bucket(pyjindo.ProviderAuth(pyjindo.EcsRamRoleCredentialsProvider(url)), keys_server.endpoint, "bkt")
    b.put_object("oss2-ecs", b"o")
    assert b.get_object("oss2-ecs").read() == b"o"


def test_role_keys_expiring_during_a_large_transfer_fail_no_part(no_credentials, keys_server, issuer, metadata,
                                                                 monkeypatch):
    issuer.life = 1.0  # a refresh every half second or so
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", ROLE)
    b = pyjindo.Bucket(pyjindo.ProviderAuth(ChainCredentialsProvider()), keys_server.endpoint, "bkt",
                       part_size=256 << 10, concurrency=4, multipart_threshold=256 << 10)
    data = secrets.token_bytes(24 << 20)
    started = time.monotonic()
    b.put_object("big", data)  # 96 parts, 4 at a time, 50 ms each: over a second
    assert b.get_object("big").read() == data  # 96 ranged GETs, as many again
    elapsed = time.monotonic() - started
    assert not failed_requests(keys_server)
    used = {k["AccessKeyId"] for k in issuer.issued}
    assert len(issuer.issued) >= 3, "%d keys issued in %.1f s" % (len(issuer.issued), elapsed)
    assert len(used) == len(issuer.issued)


def test_expired_role_keys_with_the_metadata_service_down_are_a_clear_error(no_credentials, keys_server, issuer,
                                                                             metadata, monkeypatch):
    issuer.life = 0.6
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", ROLE)
    b = pyjindo.Bucket(pyjindo.ProviderAuth(ChainCredentialsProvider()), keys_server.endpoint, "bkt")
    b.put_object("down", b"d")
    metadata.down = True
    time.sleep(0.8)
    with pytest.raises(pyjindo.exceptions.CredentialsError) as e:
        b.get_object("down")
    text = str(e.value)
    assert "ECS RAM role " + ROLE in text and "expired at" in text and "500" in text
    assert not e.value.not_found


def test_a_failed_refresh_of_valid_role_keys_is_one_warning_and_the_call_succeeds(
        no_credentials, keys_server, issuer, metadata, monkeypatch, caplog):
    issuer.life = 2.0  # refreshed 0.5 to 1 s after it is fetched
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", ROLE)
    caplog.set_level(logging.WARNING, logger="oss2.pyjindo.credentials")
    b = pyjindo.Bucket(pyjindo.ProviderAuth(ChainCredentialsProvider()), keys_server.endpoint, "bkt")
    b.put_object("warn", b"w")
    metadata.down = True
    time.sleep(1.05)  # past the refresh time, 0.95 s before expiry
    assert b.get_object("warn").read() == b"w"  # the refresh fails while the GET waits 50 ms

    def warnings():
        return [r for r in caplog.records if r.name == "oss2.pyjindo.credentials"]

    # On a busy machine the refresh may fail after the GET: the next call logs it (the keys last
    # 0.5 s more, and the next refresh is a second away).
    deadline = time.monotonic() + 0.4
    while not warnings() and time.monotonic() < deadline:
        b.head_object("warn")
    records = warnings()
    assert [r.levelno for r in records] == [logging.WARNING], [r.getMessage() for r in records]
    text = records[0].getMessage()
    assert "refreshing credentials from ECS RAM role " + ROLE + " failed, keeping those valid until" in text
    assert "500" in text
    assert not failed_requests(keys_server)


def test_rrsa_exchanges_the_oidc_token_file_and_refreshes(no_credentials, keys_server, issuer, tmp_path, monkeypatch):
    issuer.life = 1.0
    token = tmp_path / "oidc-token"
    token.write_text("jwt-1")
    sts = STS(issuer, "acs:ram::1:role/pyjindo", trusted_tokens={"jwt-1", "jwt-2"})
    try:
        for name, value in {"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/pyjindo",
                            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/ack",
                            "ALIBABA_CLOUD_OIDC_TOKEN_FILE": str(token),
                            "ALIBABA_CLOUD_STS_ENDPOINT": sts.url}.items():
            monkeypatch.setenv(name, value)
        for provider in (ChainCredentialsProvider(), RrsaCredentialsProvider()):
            b = pyjindo.Bucket(pyjindo.ProviderAuth(provider), keys_server.endpoint, "bkt")
            b.put_object("rrsa", b"r")
            token.write_text("jwt-2")  # the kubelet rotates the token: the next exchange reads it
            time.sleep(1.1)
            assert b.get_object("rrsa").read() == b"r"
            token.write_text("jwt-1")
        assert "jwt-2" in sts.tokens_seen and not failed_requests(keys_server)
    finally:
        sts.close()


class ShortLivedKeys(pyjindo.CredentialsProvider):
    """A provider of the user's own, as an STS client would be: it hands out its current key and
    takes a new one from the issuer once less than `renew` seconds of it are left."""

    def __init__(self, issuer, renew):
        self.issuer, self.renew, self.key, self.asked = issuer, renew, None, 0

    def get_credentials(self):
        self.asked += 1
        if self.key is None or self.expires - time.time() < self.renew:
            self.key = self.issuer.issue()
            self.expires = time.time() + self.issuer.life
        k = self.key
        return pyjindo.credentials.Credentials(k["AccessKeyId"], k["AccessKeySecret"], k["SecurityToken"])


def test_custom_provider_keys_expiring_during_a_large_transfer_fail_no_request_and_keep_the_session(
        keys_server, issuer, tmp_path, monkeypatch):
    issuer.life = 1.5  # each key is handed out for half a second, and refused a second later
    provider = ShortLivedKeys(issuer, renew=1.0)
    b = pyjindo.Bucket(pyjindo.ProviderAuth(provider), keys_server.endpoint, "bkt",
                       part_size=256 << 10, concurrency=4, multipart_threshold=256 << 10)
    session = b._session()
    made = []
    new_session = pyjindo._binding.new_session
    monkeypatch.setattr(pyjindo._binding, "new_session", lambda config: made.append(config) or new_session(config))
    data = secrets.token_bytes(32 << 20)
    started = time.monotonic()
    b.put_object("custom", data)  # 128 parts, 4 at a time, 50 ms each: each call outlasts a key
    b.get_object_to_file("custom", str(tmp_path / "custom"))  # 128 ranged GETs
    elapsed = time.monotonic() - started
    assert (tmp_path / "custom").read_bytes() == data
    assert not failed_requests(keys_server)
    assert len(issuer.issued) >= 4, "%d keys issued in %.1f s" % (len(issuer.issued), elapsed)
    assert b._session() is session and not made  # the keys went into the same Go session


def test_custom_provider_keys_reach_a_long_asyncio_call(keys_server, issuer):
    import asyncio
    import pyjindo.aio

    issuer.life = 1.5
    data = secrets.token_bytes(32 << 20)

    async def scenario():
        b = pyjindo.aio.Bucket(pyjindo.ProviderAuth(ShortLivedKeys(issuer, renew=1.0)), keys_server.endpoint, "bkt",
                               part_size=256 << 10, concurrency=4, multipart_threshold=256 << 10)
        await b.put_object("custom-aio", data)  # 128 parts: outlasts a key
        return await (await b.get_object("custom-aio")).read()

    assert asyncio.run(scenario()) == data
    assert not failed_requests(keys_server)
    assert len(issuer.issued) >= 3
