"""The bucket families beyond the everyday settings (issue 22 item 4): WORM, replication,
inventory, ... each run through oss2 and pyjindo side by side against jindo server, results and
errors compared field by field, and the request documents compared byte for byte."""
import json
import time

import oss2
import pytest

import pyjindo

from .compare import Raised
from .recorder import Recorder


def assert_same_requests(calls, headers=("content-md5", "content-type")):
    """Each call(oss, bucket) sends the same request (method, path, query, chosen headers, body)
    through oss2 and through pyjindo; one recorder per side for them all."""
    sent = []
    for oss in (oss2, pyjindo):
        with Recorder() as rec:
            bucket = oss.Bucket(oss.Auth("ak", "sk"), rec.endpoint, "rec-bucket")
            for call in calls:
                call(oss, bucket)
            sent.append([(r.method, r.path, r.query, {h: r.headers.get(h) for h in headers}, r.body)
                         for r in rec.requests])
    assert len(sent[0]) == len(calls) and sent[0] == sent[1]


def _sending(call):
    """call for assert_same_requests where only the request matters: the recorder's empty answer is no
    document, which oss2 fails to parse."""
    def send(oss, bucket):
        try:
            call(oss, bucket)
        except Exception:
            pass
    return send


def _raised(call):
    """The error a call raises, compared as the scenario's own results are."""
    try:
        call()
    except Exception as e:
        return Raised(e)
    raise AssertionError("no error")


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


def test_worm_requests_are_oss2s():
    assert_same_requests([
        lambda oss, b: b.init_bucket_worm(30), lambda oss, b: b.extend_bucket_worm("id", 40),
        lambda oss, b: b.complete_bucket_worm("id"), lambda oss, b: b.abort_bucket_worm(),
    ])




def _rule(oss, **kw):
    m = oss.models
    args = dict(rule_id="r1", target_bucket_name="target-bkt", target_bucket_location="oss-cn-beijing",
                target_transfer_type="internal", prefix_list=["logs/", "data/"],
                action_list=[m.ReplicationRule.PUT, m.ReplicationRule.DELETE],
                is_enable_historical_object_replication=False, sync_role_name="role",
                replica_kms_keyid="kms-id", sse_kms_encrypted_objects_status=m.ReplicationRule.ENABLED)
    args.update(kw)
    return m.ReplicationRule(**args)


def test_replication_rules(sides):
    def scenario(oss, bucket):
        missing = _raised(bucket.get_bucket_replication)
        put = bucket.put_bucket_replication(_rule(oss))
        second = bucket.put_bucket_replication(_rule(oss, rule_id=None, target_bucket_name="other-bkt",
                                                      prefix_list=None, action_list=None, sync_role_name=None,
                                                      replica_kms_keyid=None, sse_kms_encrypted_objects_status=None,
                                                      is_enable_historical_object_replication=None,
                                                      target_transfer_type=None))
        second.headers.pop("x-oss-replication-rule-id")
        got = bucket.get_bucket_replication()
        generated = got.rule_list[1]
        assert len(generated.rule_id) == 36
        generated.rule_id = "generated"
        same_dest = _raised(lambda: bucket.put_bucket_replication(_rule(oss, rule_id="r2")))
        duplicate = _raised(lambda: bucket.put_bucket_replication(_rule(oss, target_bucket_name="third")))
        bad_location = _raised(lambda: bucket.put_bucket_replication(_rule(oss, rule_id="r3",
                                                                           target_bucket_location="mars")))
        progress = bucket.get_bucket_replication_progress("r1")
        assert progress.progress.new_object_progress
        progress.progress.new_object_progress = True
        no_rule = _raised(lambda: bucket.get_bucket_replication_progress("nope"))
        deleted = bucket.delete_bucket_replication("r1")
        gone = _raised(lambda: bucket.delete_bucket_replication("r1"))
        return missing, put, second, got, same_dest, duplicate, bad_location, progress, no_rule, deleted, gone, \
            len(bucket.get_bucket_replication().rule_list), bucket.get_bucket_replication_location()
    _, got = sides.run(scenario)
    first, generated = got[3]["rule_list"]
    assert first["prefix_list"] == ["logs/", "data/"] and first["action_list"] == ["PUT", "DELETE"]
    assert first["is_enable_historical_object_replication"] is False and first["replica_kms_keyid"] == "kms-id"
    assert generated["action_list"] == ["ALL"] and generated["is_enable_historical_object_replication"] is True
    assert got[0]["__raised__"]["code"] == "NoSuchReplicationConfiguration"
    assert got[8]["__raised__"]["code"] == got[10]["__raised__"]["code"] == "NoSuchReplicationRule"
    assert got[11] == 1 and "oss-cn-beijing" in got[12]["location_list"]


def test_replication_rule_checks_its_arguments():
    for oss in (oss2, pyjindo):
        with pytest.raises(oss.exceptions.ClientError):
            oss.models.ReplicationRule(is_enable_historical_object_replication="yes")
        with pytest.raises(oss.exceptions.ClientError):
            oss.models.ReplicationRule(sse_kms_encrypted_objects_status="On")


def test_replication_requests_are_oss2s():
    assert_same_requests([
        lambda oss, b: b.put_bucket_replication(_rule(oss)), lambda oss, b: b.delete_bucket_replication("r1"),
        _sending(lambda oss, b: b.get_bucket_replication_progress("r1")),
        _sending(lambda oss, b: b.get_bucket_replication_location()),
    ])


def _inventory(oss, inventory_id, kms=True):
    m = oss.models
    encryption = dict(sse_kms_encryption=m.InventoryServerSideEncryptionKMS("key-1")) if kms else \
        dict(sse_oss_encryption=m.InventoryServerSideEncryptionOSS())
    return m.InventoryConfiguration(
        inventory_id=inventory_id, is_enabled=True,
        included_object_versions=m.INVENTORY_INCLUDED_OBJECT_VERSIONS_ALL,
        inventory_filter=m.InventoryFilter(prefix="logs/", last_modify_begin_time_stamp=1637883649,
                                           last_modify_end_time_stamp=1638347592, lower_size_bound=1024,
                                           upper_size_bound=1048576, storage_class="Standard,IA"),
        inventory_destination=m.InventoryDestination(m.InventoryBucketDestination(
            account_id="1234", role_arn="acs:ram::1234:role/AliyunOSSRole", bucket="inventory-dst",
            inventory_format=m.INVENTORY_FORMAT_CSV, prefix="out/", **encryption)),
        inventory_schedule=m.InventorySchedule(m.INVENTORY_FREQUENCY_WEEKLY),
        optional_fields=[m.FIELD_SIZE, m.FIELD_LAST_MODIFIED_DATE, m.FIELD_ETAG, m.FIELD_STORAG_CLASS])


def test_inventory_configurations(sides):
    def scenario(oss, bucket):
        missing = _raised(lambda: bucket.get_bucket_inventory_configuration("inv-a"))
        empty = bucket.list_bucket_inventory_configurations()
        puts = [bucket.put_bucket_inventory_configuration(_inventory(oss, "inv-%03d" % i, kms=i % 2 == 0))
                for i in range(102)]
        taken = _raised(lambda: bucket.put_bucket_inventory_configuration(_inventory(oss, "inv-000")))
        bad = _inventory(oss, "bad")
        bad.inventory_schedule = oss.models.InventorySchedule("Hourly")
        refused = _raised(lambda: bucket.put_bucket_inventory_configuration(bad))
        got = bucket.get_bucket_inventory_configuration("inv-001")
        first = bucket.list_bucket_inventory_configurations()
        second = bucket.list_bucket_inventory_configurations(first.next_continuation_token)
        deleted = bucket.delete_bucket_inventory_configuration("inv-001")
        gone = _raised(lambda: bucket.delete_bucket_inventory_configuration("inv-001"))
        return missing, empty, puts[0], taken, refused, got, first, second, deleted, gone
    _, got = sides.run(scenario)
    assert got[0]["__raised__"]["code"] == "NoSuchInventory" and got[3]["__raised__"]["code"] == "InventoryAlreadyExist"
    assert got[5]["is_enabled"] is True and got[5]["inventory_filter"]["lower_size_bound"] == "1024"
    assert got[5]["inventory_destination"]["bucket_destination"]["bucket"] == "inventory-dst"
    assert len(got[6]["inventory_configurations"]) == 100 and got[6]["is_truncated"] is True
    assert len(got[7]["inventory_configurations"]) == 2 and got[7]["continuaiton_token"] == "inv-099"


def test_inventory_request_is_oss2s():
    assert_same_requests([lambda oss, b: b.put_bucket_inventory_configuration(_inventory(oss, "i", kms=False))])


def _self_signed():
    """A PEM certificate and key for example.com (made here, no network)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.example.com")])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    cert = x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()) \
        .serial_number(1).not_valid_before(start).not_valid_after(start + datetime.timedelta(days=365)) \
        .sign(key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.PEM).decode(), \
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()).decode()


CERT, KEY = _self_signed()


def test_cname_tokens_and_bindings(sides):
    def scenario(oss, bucket):
        m = oss.models
        unverified = _raised(lambda: bucket.put_bucket_cname(m.PutBucketCnameRequest("www.example.com")))
        no_token = _raised(lambda: bucket.get_bucket_cname_token("www.example.com"))
        created = bucket.create_bucket_cname_token("www.example.com")
        again = bucket.create_bucket_cname_token("www.example.com")
        got = bucket.get_bucket_cname_token("www.example.com")
        assert again.token == created.token == got.token and len(got.token) == 32
        for r in (created, again, got):
            r.token, r.expire_time = True, bool(r.expire_time)
        bad_domain = _raised(lambda: bucket.create_bucket_cname_token("no_dots"))
        bucket.put_bucket_cname(m.PutBucketCnameRequest("www.example.com"))
        bucket.create_bucket_cname_token("cas.example.com")
        bucket.put_bucket_cname(m.PutBucketCnameRequest("cas.example.com", m.CertInfo(cert_id="123-cn-hangzhou")))
        uploaded = bucket.put_bucket_cname(m.PutBucketCnameRequest(
            "www.example.com", m.CertInfo(certificate=CERT, private_key=KEY, force=True)))
        listed = bucket.list_bucket_cname()
        for c in listed.cname:
            c.last_modified = bool(c.last_modified)
            c.certificate.creation_date = bool(c.certificate.creation_date)
        unbound = bucket.put_bucket_cname(m.PutBucketCnameRequest("cas.example.com",
                                                                  m.CertInfo(delete_certificate=True)))
        deleted = bucket.delete_bucket_cname("www.example.com")
        gone = _raised(lambda: bucket.delete_bucket_cname("www.example.com"))
        left = [(c.domain, c.certificate) for c in bucket.list_bucket_cname().cname]
        return unverified, no_token, created, again, got, bad_domain, uploaded, listed, unbound, deleted, gone, left
    _, got = sides.run(scenario)
    assert got[0]["__raised__"]["code"] == "NeedVerifyDomainOwnership"
    www, cas = sorted(got[7]["cname"], key=lambda c: c["domain"], reverse=True)
    assert www["certificate"]["type"] == "Upload" and www["certificate"]["valid_end_date"].startswith("Fri, 01 Jan 2027")
    assert cas["certificate"]["cert_id"] == "123-cn-hangzhou" and cas["certificate"]["type"] == "CAS"
    assert got[11] == [["cas.example.com", None]]


def test_https_config(sides):
    def scenario(oss, bucket):
        m = oss.models
        default = bucket.get_bucket_https_config()
        put = bucket.put_bucket_https_config(m.BucketTlsVersion(True, ["TLSv1.2", "TLSv1.3"]))
        enabled = bucket.get_bucket_https_config()
        bad = _raised(lambda: bucket.put_bucket_https_config(m.BucketTlsVersion(True, ["SSLv3"])))
        bucket.put_bucket_https_config(m.BucketTlsVersion())
        return default, put, enabled, bad, bucket.get_bucket_https_config()
    _, got = sides.run(scenario)
    assert got[0]["tls_enabled"] is False and got[2]["tls_version"] == ["TLSv1.2", "TLSv1.3"]
    assert got[3]["__raised__"]["code"] == "InvalidArgument" and got[4]["tls_enabled"] is False


def test_cname_and_https_requests_are_oss2s():
    assert_same_requests([
        _sending(lambda oss, b: b.create_bucket_cname_token("a.example.com")),
        _sending(lambda oss, b: b.get_bucket_cname_token("a.example.com")),
        lambda oss, b: b.put_bucket_cname(oss.models.PutBucketCnameRequest("a.example.com", oss.models.CertInfo(
            "id", "cert", "key", "prev", True, False))),
        lambda oss, b: b.delete_bucket_cname("a.example.com"),
        lambda oss, b: b.put_bucket_https_config(oss.models.BucketTlsVersion(True, ["TLSv1.2"])),
    ])


def _steady_access_point(result):
    """Random or per-run values of an access point result, reduced to their presence."""
    for field in ("alias", "creation_date"):
        if getattr(result, field, None):
            setattr(result, field, True)
    return result


def test_access_points_and_their_policies(sides):
    """Names are unique in the account: each side removes its access points before the other runs."""
    def scenario(oss, bucket):
        m = oss.models
        created = bucket.create_access_point(m.CreateAccessPointRequest("ap-net", "internet"))
        vpc = bucket.create_access_point(m.CreateAccessPointRequest("ap-vpc", "vpc", m.AccessPointVpcConfiguration("vpc-1")))
        taken = _raised(lambda: bucket.create_access_point(m.CreateAccessPointRequest("ap-net", "internet")))
        bad_name = _raised(lambda: bucket.create_access_point(m.CreateAccessPointRequest("AP", "internet")))
        no_vpc = _raised(lambda: bucket.create_access_point(m.CreateAccessPointRequest("ap-x", "vpc")))
        got = _steady_access_point(bucket.get_access_point("ap-vpc"))
        page = bucket.list_bucket_access_points(max_keys=1)
        rest = bucket.list_bucket_access_points(max_keys=1, continuation_token=page.next_continuation_token)
        mine = [a for a in oss.Service(bucket.auth, bucket.endpoint).list_access_points(max_keys=1000).access_points
                if a.bucket == bucket.bucket_name]
        no_policy = _raised(lambda: bucket.get_access_point_policy("ap-net"))
        policy = '{"Version":"1","Statement":[]}'
        put_policy = bucket.put_access_point_policy("ap-net", policy)
        got_policy = bucket.get_access_point_policy("ap-net")
        bad_policy = _raised(lambda: bucket.put_access_point_policy("ap-net", "not json"))
        del_policy = bucket.delete_access_point_policy("ap-net")
        block = bucket.get_access_point_public_access_block("ap-net")
        bucket.put_access_point_public_access_block("ap-net", False)
        unblocked = bucket.get_access_point_public_access_block("ap-net")
        bucket.put_access_point_public_access_block("ap-net", True)
        deleted_block = bucket.delete_access_point_public_access_block("ap-net")
        after = bucket.get_access_point_public_access_block("ap-net")
        deletes = [bucket.delete_access_point(n) for n in ("ap-net", "ap-vpc")]
        gone = _raised(lambda: bucket.get_access_point("ap-net"))
        for r in (created, vpc):
            assert r.alias.startswith(r.access_point_arn.rsplit("/", 1)[1] + "-")
            r.alias = True
        for r in page.access_points + rest.access_points + mine:
            _steady_access_point(r)
        return created, vpc, taken, bad_name, no_vpc, got, page, rest, mine, no_policy, put_policy, got_policy, \
            bad_policy, del_policy, block, unblocked, deleted_block, after, deletes, gone
    _, got = sides.run(scenario)
    assert got[2]["__raised__"]["code"] == "AccessPointAlreadyExists" and got[19]["__raised__"]["code"] == "NoSuchAccessPoint"
    assert got[5]["vpc"]["vpc_id"] == "vpc-1" and got[5]["public_access_block_configuration"]["block_public_access"] is True
    assert [a["access_point_name"] for a in got[8]] == ["ap-net", "ap-vpc"] and got[6]["is_truncated"] is True
    assert got[11]["policy"] == '{"Version":"1","Statement":[]}'
    assert (got[14]["block_public_access"], got[15]["block_public_access"], got[17]["block_public_access"]) == \
        (True, False, False)


def test_bucket_public_access_block(sides):
    def scenario(oss, bucket):
        default = bucket.get_bucket_public_access_block()
        put = bucket.put_bucket_public_access_block(True)
        blocked = bucket.get_bucket_public_access_block()
        deleted = bucket.delete_bucket_public_access_block()
        return default, put, blocked, deleted, bucket.get_bucket_public_access_block(), \
            _raised(lambda: bucket.put_bucket_public_access_block("maybe"))
    _, got = sides.run(scenario)
    assert [got[i]["block_public_access"] for i in (0, 2, 4)] == [False, True, False]
    assert got[5]["__raised__"]["code"] == "MalformedXML"


def test_access_point_requests_are_oss2s():
    assert_same_requests([
        _sending(lambda oss, b: b.create_access_point(oss.models.CreateAccessPointRequest(
            "ap", "vpc", oss.models.AccessPointVpcConfiguration("v")))),
        _sending(lambda oss, b: b.get_access_point("ap")),
        _sending(lambda oss, b: b.list_bucket_access_points(10, "t")),
        lambda oss, b: b.put_access_point_policy("ap", "{}"),
        lambda oss, b: b.put_bucket_public_access_block(True),
        lambda oss, b: b.put_access_point_public_access_block("ap", True),
        lambda oss, b: b.delete_access_point_public_access_block("ap"),
    ], headers=("content-md5", "content-type", "x-oss-access-point-name"))


def test_one_value_settings(sides):
    def scenario(oss, bucket):
        defaults = (bucket.get_bucket_transfer_acceleration(), bucket.get_bucket_access_monitor(),
                    bucket.get_bucket_resource_group(), bucket.get_bucket_archive_direct_read())
        puts = (bucket.put_bucket_transfer_acceleration(True), bucket.put_bucket_access_monitor("Enabled"),
                bucket.put_bucket_resource_group("rg-aek27tc2abcdefg"), bucket.put_bucket_archive_direct_read(True))
        got = (bucket.get_bucket_transfer_acceleration(), bucket.get_bucket_access_monitor(),
               bucket.get_bucket_resource_group(), bucket.get_bucket_archive_direct_read())
        bad = (_raised(lambda: bucket.put_bucket_transfer_acceleration("maybe")),
               _raised(lambda: bucket.put_bucket_access_monitor("On")),
               _raised(lambda: bucket.put_bucket_resource_group("group 1")))
        bucket.put_bucket_transfer_acceleration("false")
        return defaults, puts, got, bad, bucket.get_bucket_transfer_acceleration()
    _, got = sides.run(scenario)
    defaults, _, after, bad, off = got
    assert [defaults[0]["enabled"], defaults[1]["access_monitor"]["status"], defaults[3]["enabled"]] == \
        ["false", "Disabled", False]
    assert [after[0]["enabled"], after[1]["access_monitor"]["status"], after[2]["resource_group_id"], after[3]["enabled"]] == \
        ["true", "Enabled", "rg-aek27tc2abcdefg", True]
    assert [b["__raised__"]["code"] for b in bad] == ["InvalidArgument"] * 3 and off["enabled"] == "false"


def test_access_monitor_stays_on_for_access_time_rules(sides):
    def scenario(oss, bucket):
        m = oss.models
        bucket.put_bucket_access_monitor("Enabled")
        bucket.put_bucket_lifecycle(m.BucketLifecycle([m.LifecycleRule(
            "atime", "a/", status=m.LifecycleRule.ENABLED,
            storage_transitions=[m.StorageTransition(days=30, storage_class="IA", is_access_time=True,
                                                     return_to_std_when_visit=False)])]))
        return _raised(lambda: bucket.put_bucket_access_monitor("Disabled"))
    _, got = sides.run(scenario)
    assert got["__raised__"]["status"] == 409


def test_callback_policy(sides):
    def scenario(oss, bucket):
        m = oss.models
        empty = bucket.get_bucket_callback_policy()
        put = bucket.put_bucket_callback_policy([
            m.CallbackPolicyInfo("first", "eyJjYWxsYmFja1VybCI6Ind3dy5hYmMuY29tL2NhbGxiYWNrIn0=", "eyJ4OmEiOiJhIn0="),
            m.CallbackPolicyInfo("second", "eyJjYWxsYmFja1VybCI6Ind3dy5hYmMuY29tL2NhbGxiYWNrIn0=")])
        got = bucket.get_bucket_callback_policy()
        dup = _raised(lambda: bucket.put_bucket_callback_policy([m.CallbackPolicyInfo("a", "x"), m.CallbackPolicyInfo("a", "y")]))
        deleted = bucket.delete_bucket_callback_policy()
        return empty, put, got, dup, deleted, bucket.get_bucket_callback_policy()
    _, got = sides.run(scenario)
    assert got[0]["callback_policies"] == [] == got[5]["callback_policies"]
    assert [p["policy_name"] for p in got[2]["callback_policies"]] == ["first", "second"]
    assert got[2]["callback_policies"][1]["callback_var"] == ""


def test_setting_requests_are_oss2s():
    assert_same_requests([
        lambda oss, b: b.put_bucket_transfer_acceleration(True), lambda oss, b: b.put_bucket_access_monitor("Enabled"),
        lambda oss, b: b.put_bucket_resource_group("rg-1"), lambda oss, b: b.put_bucket_archive_direct_read(True),
        lambda oss, b: b.put_bucket_callback_policy([oss.models.CallbackPolicyInfo("n", "c"), None]),
        lambda oss, b: b.delete_bucket_callback_policy(),
    ])


def test_archive_direct_read_lets_archive_objects_be_read(sides):
    def scenario(oss, bucket):
        archive = {"x-oss-storage-class": "Archive"}
        bucket.put_object("a", b"archived", headers=archive)
        bucket.put_object("c", b"cold", headers={"x-oss-storage-class": "ColdArchive"})
        before = _raised(lambda: bucket.get_object("a").read())
        bucket.put_bucket_archive_direct_read(True)
        return before, bucket.get_object("a").read(), _raised(lambda: bucket.get_object("c").read())
    _, got = sides.run(scenario)
    assert got[0]["__raised__"]["code"] == got[2]["__raised__"]["code"] == "InvalidObjectState"


def test_describe_regions(sides):
    def scenario(oss, bucket):
        service = oss.Service(bucket.auth, bucket.endpoint)
        return service.describe_regions(), service.describe_regions("oss-cn-hongkong"), \
            _raised(lambda: service.describe_regions("oss-moon-1"))
    _, got = sides.run(scenario)
    assert "oss-cn-hangzhou" in [r["region"] for r in got[0]["regions"]]
    assert got[1]["regions"] == [{"__class__": "RegionInfo", "region": "oss-cn-hongkong",
                                  "internet_endpoint": "oss-cn-hongkong.aliyuncs.com",
                                  "internal_endpoint": "oss-cn-hongkong-internal.aliyuncs.com",
                                  "accelerate_endpoint": "oss-accelerate-overseas.aliyuncs.com"}]


def test_account_public_access_block(sides):
    """The account is shared: each side ends with the block removed, as it began."""
    def scenario(oss, bucket):
        service = oss.Service(bucket.auth, bucket.endpoint)
        before = service.get_public_access_block()
        put = service.put_public_access_block(True)
        blocked = service.get_public_access_block()
        deleted = service.delete_public_access_block()
        return before, put, blocked, deleted, service.get_public_access_block()
    _, got = sides.run(scenario)
    assert [got[i]["block_public_access"] for i in (0, 2, 4)] == [False, True, False]


def test_account_requests_are_oss2s():
    sent = []
    for oss in (oss2, pyjindo):
        with Recorder() as rec:
            service = oss.Service(oss.Auth("ak", "sk"), rec.endpoint)
            service.put_public_access_block(True)
            service.delete_public_access_block()
            for call in (service.get_public_access_block, lambda: service.describe_regions("r"),
                         lambda: service.list_access_points(5, "t")):
                try:
                    call()
                except Exception:
                    pass  # the recorder's empty answer is no document
            sent.append([(r.method, r.path, r.query, r.body, r.headers.get("content-md5")) for r in rec.requests])
    assert sent[0] == sent[1]


def test_bucket_qos(sides):
    def scenario(oss, bucket):
        m = oss.models
        capacity = bucket.get_bucket_storage_capacity()
        bucket.set_bucket_storage_capacity(m.BucketUserQos(100))
        capacity_set = bucket.get_bucket_storage_capacity()
        default = bucket.get_bucket_qos_info()
        put = bucket.put_bucket_qos_info(m.BucketQosInfo(total_upload_bw=8, intranet_upload_bw=4, total_qps=1000,
                                                         extranet_qps=500))
        got = bucket.get_bucket_qos_info()
        too_much = _raised(lambda: bucket.put_bucket_qos_info(m.BucketQosInfo(total_upload_bw=11)))
        part_over = _raised(lambda: bucket.put_bucket_qos_info(m.BucketQosInfo(total_qps=10, intranet_qps=20)))
        deleted = bucket.delete_bucket_qos_info()
        requester = bucket.get_bucket_requester_qos_info("2123")
        bucket.put_bucket_requester_qos_info("2123", m.QoSConfiguration(total_download_bw=2, total_qps=50))
        bucket.put_bucket_requester_qos_info("3123", m.QoSConfiguration(total_qps=-1))
        mine = bucket.get_bucket_requester_qos_info("2123")
        page = bucket.list_bucket_requester_qos_infos(max_keys=1)
        rest = bucket.list_bucket_requester_qos_infos(continuation_token=page.next_continuation_token)
        no_uid = _raised(lambda: bucket.get_bucket_requester_qos_info(""))
        removed = bucket.delete_bucket_requester_qos_info("2123")
        service = oss.Service(bucket.auth, bucket.endpoint)
        return capacity, capacity_set, default, put, got, too_much, part_over, deleted, requester, mine, page, rest, \
            no_uid, removed, bucket.list_bucket_requester_qos_infos(), service.get_user_qos_info()
    _, got = sides.run(scenario)
    assert got[0]["storage_capacity"] == -1 and got[1]["storage_capacity"] == 100
    assert got[2]["total_qps"] == -1 and (got[4]["total_upload_bw"], got[4]["extranet_qps"], got[4]["total_download_bw"]) == (8, 500, -1)
    assert got[5]["__raised__"]["code"] == got[6]["__raised__"]["code"] == "InvalidArgument"
    assert got[9]["qos_configuration"]["total_qps"] == 50 and got[10]["is_truncated"] is True
    assert [i["requester"] for i in got[11]["requester_qos_info"]] == ["3123"]
    assert got[12]["__raised__"]["cls"] == "ClientError" and len(got[14]["requester_qos_info"]) == 1
    assert got[15]["total_upload_bw"] == 10 and got[15]["region"] == "oss-cn-hangzhou"


def test_resource_pools_are_none(sides):
    def scenario(oss, bucket):
        m = oss.models
        service = oss.Service(bucket.auth, bucket.endpoint)
        return service.list_resource_pools(), _raised(lambda: service.get_resource_pool_info("pool")), \
            _raised(lambda: service.list_resource_pool_buckets("pool")), \
            _raised(lambda: service.put_resource_pool_requester_qos_info("1", "pool", m.QoSConfiguration(total_qps=1))), \
            _raised(lambda: service.get_resource_pool_requester_qos_info("1", "pool")), \
            _raised(lambda: service.list_resource_pool_requester_qos_infos("pool")), \
            _raised(lambda: service.delete_resource_pool_requester_qos_info("1", "pool")), \
            _raised(lambda: service.get_resource_pool_info("")), _raised(lambda: service.get_resource_pool_requester_qos_info("", ""))
    _, got = sides.run(scenario)
    assert got[0]["resource_pool"] == [] and got[0]["is_truncated"] is False
    assert {g["__raised__"]["code"] for g in got[1:7]} == {"NoSuchResourcePool"}


def test_qos_requests_are_oss2s():
    assert_same_requests([
        lambda oss, b: b.set_bucket_storage_capacity(oss.models.BucketUserQos(5)),
        lambda oss, b: b.put_bucket_qos_info(oss.models.BucketQosInfo(1, 2, 3, 4, 5, 6, 7, 8, 9)),
        lambda oss, b: b.put_bucket_requester_qos_info("u", oss.models.QoSConfiguration(total_qps=3)),
        _sending(lambda oss, b: b.list_bucket_requester_qos_infos("t", 7)),
    ])


def test_data_redundancy_transition(sides):
    def scenario(oss, bucket):
        empty = bucket.list_bucket_data_redundancy_transition()
        bad = _raised(lambda: bucket.create_bucket_data_redundancy_transition("LRS"))
        created = bucket.create_bucket_data_redundancy_transition("ZRS")
        task_id = created.task_id
        got = bucket.get_bucket_data_redundancy_transition(task_id)
        again = _raised(lambda: bucket.create_bucket_data_redundancy_transition("ZRS"))
        listed = bucket.list_bucket_data_redundancy_transition()
        mine = [t for t in oss.Service(bucket.auth, bucket.endpoint).list_user_data_redundancy_transition(
            max_keys=1000).data_redundancy_transitions if t.bucket == bucket.bucket_name]
        finished = _raised(lambda: bucket.delete_bucket_data_redundancy_transition(task_id))
        missing = _raised(lambda: bucket.get_bucket_data_redundancy_transition("0" * 32))
        info = bucket.get_bucket_info().data_redundancy_type
        for t in [created, got] + listed.data_redundancy_transitions + mine:
            assert t.task_id == task_id
            t.task_id = True
            for field in ("create_time", "start_time", "end_time"):
                if getattr(t, field, None):
                    setattr(t, field, True)
        return empty, bad, created, got, again, listed, mine, finished, missing, info
    _, got = sides.run(scenario)
    assert got[0]["data_redundancy_transitions"] == [] and got[3]["transition_status"] == "Finished"
    assert got[3]["process_percentage"] == 100 and len(got[6]) == 1 and got[9] == "ZRS"
    assert got[4]["__raised__"]["status"] == 409 and got[7]["__raised__"]["status"] == 409


def _fetch_done(bucket, task_id):
    """The task once it left Running (the server fetches in the background; bounded wait)."""
    deadline = time.monotonic() + 10
    while True:
        got = bucket.get_async_fetch_task(task_id)
        if got.task_state != "Running" or time.monotonic() > deadline:
            assert got.task_id == task_id
            got.task_id = True
            return got
        time.sleep(0.02)


def test_async_fetch(sides):
    with Recorder(body=b"fetched from the source") as source, Recorder(status=404) as missing:
        def scenario(oss, bucket):
            m = oss.models
            put = bucket.put_async_fetch_task(m.AsyncFetchTaskConfiguration(source.endpoint + "/a.txt", "fetched",
                                                                            host="src.example.com"))
            done = _fetch_done(bucket, put.task_id)
            put.task_id = bool(put.task_id)
            body = bucket.get_object("fetched").read()
            same_key = _fetch_done(bucket, bucket.put_async_fetch_task(m.AsyncFetchTaskConfiguration(
                source.endpoint + "/b.txt", "fetched", ignore_same_key=True)).task_id)
            failed = _fetch_done(bucket, bucket.put_async_fetch_task(m.AsyncFetchTaskConfiguration(
                missing.endpoint + "/gone", "never", ignore_same_key=False)).task_id)
            callback = _fetch_done(bucket, bucket.put_async_fetch_task(m.AsyncFetchTaskConfiguration(
                source.endpoint + "/c.txt", "with-callback", callback="eyJjYWxsYmFja1VybCI6IngifQ==",
                content_md5=oss.utils.content_md5(b"fetched from the source"))).task_id)
            bad_url = _raised(lambda: bucket.put_async_fetch_task(m.AsyncFetchTaskConfiguration("ftp://x/y", "k")))
            no_task = _raised(lambda: bucket.get_async_fetch_task("nope"))
            return put, done, body, same_key, failed, callback, bad_url, no_task
        _, got = sides.run(scenario)
    assert got[1]["task_state"] == "Success" and got[2]["__bytes__"] == len(b"fetched from the source")
    assert got[1]["task_config"]["host"] == "src.example.com" and got[1]["task_config"]["ignore_same_key"] is True
    assert (got[3]["task_state"], got[4]["task_state"], got[5]["task_state"]) == \
        ("Failed", "Failed", "FetchSuccessCallbackFailed")
    assert source.requests[0].headers["host"] == "src.example.com"


def test_async_fetch_requests_are_oss2s():
    assert_same_requests([
        _sending(lambda oss, b: b.put_async_fetch_task(oss.models.AsyncFetchTaskConfiguration(
            "http://h/x", "k", "host", "md5", "cb", False, True))),
        _sending(lambda oss, b: b.get_async_fetch_task("t")),
    ], headers=("content-md5", "content-type", "x-oss-task-id"))


def test_meta_query(sides):
    def scenario(oss, bucket):
        m = oss.models
        closed = _raised(bucket.get_bucket_meta_query_status)
        query_closed = _raised(lambda: bucket.do_bucket_meta_query(m.MetaQuery(query='{"Field": "Size", "Value": "1", "Operation": "gt"}')))
        opened = bucket.open_bucket_meta_query()
        status = bucket.get_bucket_meta_query_status()
        assert status.create_time and status.update_time
        status.create_time = status.update_time = True
        again = _raised(bucket.open_bucket_meta_query)
        bucket.put_object("logs/a.txt", b"a" * 10, headers={"x-oss-tagging": "team=ml&env=prod", "x-oss-meta-owner": "ann"})
        bucket.put_object("logs/b.txt", b"b" * 300, headers={"x-oss-storage-class": "IA", "x-oss-tagging": "team=ml"})
        bucket.put_object("data/c.bin", b"c" * 5000)
        big = bucket.do_bucket_meta_query(m.MetaQuery(
            max_results=10, query='{"Field": "Size", "Value": "100", "Operation": "gt"}', sort="Size", order="desc"))
        both = bucket.do_bucket_meta_query(m.MetaQuery(max_results=1, sort="Filename", order="asc", query=json.dumps(
            {"Operation": "and", "SubQueries": [{"Field": "Filename", "Value": "logs/", "Operation": "prefix"},
                                                {"Field": "OSSTagging.team", "Value": "ml", "Operation": "eq"}]})))
        rest = bucket.do_bucket_meta_query(m.MetaQuery(next_token=both.next_token, max_results=1, sort="Filename",
                                                       order="asc", query=json.dumps(
            {"Operation": "and", "SubQueries": [{"Field": "Filename", "Value": "logs/", "Operation": "prefix"},
                                                {"Field": "OSSTagging.team", "Value": "ml", "Operation": "eq"}]})))
        aggs = bucket.do_bucket_meta_query(m.MetaQuery(
            query='{"Field": "Size", "Value": "0", "Operation": "gte"}',
            aggregations=[m.AggregationsRequest("Size", "sum"), m.AggregationsRequest("Size", "max"),
                          m.AggregationsRequest("OSSStorageClass", "group"), m.AggregationsRequest("Filename", "count")]))
        bad = _raised(lambda: bucket.do_bucket_meta_query(m.MetaQuery(query='{"Field": "Colour", "Value": "red", "Operation": "eq"}')))
        for r in (big, both, rest):
            for f in r.files:
                assert f.file_modified_time
                f.file_modified_time = True
        closed_now = bucket.close_bucket_meta_query()
        return closed, query_closed, opened, status, again, big, both, rest, aggs, bad, closed_now, \
            _raised(bucket.get_bucket_meta_query_status)
    _, got = sides.run(scenario)
    assert got[0]["__raised__"]["code"] == "MetaQueryNotExist" and got[3]["state"] == "Running"
    assert [f["file_name"] for f in got[5]["files"]] == ["data/c.bin", "logs/b.txt"] and got[5]["next_token"] == ""
    assert [f["file_name"] for f in got[6]["files"]] == ["logs/a.txt"] and got[6]["next_token"] == "1"
    a = got[6]["files"][0]
    assert a["oss_tagging_count"] == 2 and a["oss_user_meta"][0]["value"] == "ann" and a["size"] == 10
    assert [f["file_name"] for f in got[7]["files"]] == ["logs/b.txt"]
    sums = {x["operation"]: x for x in got[8]["aggregations"]}
    assert sums["sum"]["value"] == 5310.0 and sums["max"]["value"] == 5000.0 and sums["count"]["value"] == 3.0
    assert {g["value"]: g["count"] for g in sums["group"]["groups"]} == {"Standard": 2, "IA": 1}
    assert got[9]["__raised__"]["code"] == "InvalidArgument"


def test_meta_query_requests_are_oss2s():
    assert_same_requests([
        lambda oss, b: b.open_bucket_meta_query(), lambda oss, b: b.close_bucket_meta_query(),
        _sending(lambda oss, b: b.do_bucket_meta_query(oss.models.MetaQuery(
            "tok", 5, '{"Field": "Size"}', "Size", "asc", [oss.models.AggregationsRequest("Size", "sum")]))),
    ])


def test_write_get_object_response(sides):
    def scenario(oss, bucket):
        service = oss.Service(bucket.auth, bucket.endpoint)
        return _raised(lambda: service.write_get_object_response("route.example", "token-1", "200", b"body",
                                                                 headers={"x-oss-meta-a": "1"})), \
            _raised(lambda: service.write_get_object_response("route.example", "token-1", "999", b"")), \
            _raised(lambda: service.write_get_object_response("", "token-1", "200", b""))
    _, got = sides.run(scenario)
    assert [g["__raised__"]["code"] for g in got] == ["InvalidArgument", "InvalidArgument", "MissingArgument"]


def test_write_get_object_response_request_is_oss2s():
    sent = []
    for oss in (oss2, pyjindo):
        with Recorder() as rec:
            oss.Service(oss.Auth("ak", "sk"), rec.endpoint).write_get_object_response(
                "r", "t", "206", b"data", headers={"Content-Type": "text/plain"})
            r = rec.last()
            sent.append((r.method, r.path, r.query, r.body, {h: r.headers.get(h) for h in (
                "x-oss-request-route", "x-oss-request-token", "x-oss-fwd-status", "content-type")}))
    assert sent[0] == sent[1]


def test_bucket_info_reports_the_families(sides):
    def scenario(oss, bucket):
        def states():
            info = bucket.get_bucket_info()
            return info.access_monitor, info.transfer_acceleration, info.cross_region_replication
        before = states()
        bucket.put_bucket_access_monitor("Enabled")
        bucket.put_bucket_transfer_acceleration(True)
        bucket.put_bucket_replication(_rule(oss))
        return before, states()
    _, got = sides.run(scenario)
    assert got == [["Disabled"] * 3, ["Enabled"] * 3]


def test_worm_protects_objects(sides):
    def scenario(oss, bucket):
        bucket.put_object("old", b"before")
        bucket.init_bucket_worm(1)
        blocked = [_raised(lambda: bucket.delete_object("old")), _raised(lambda: bucket.put_object("old", b"new")),
                   _raised(lambda: bucket.batch_delete_objects(["new-free", "old"])),
                   _raised(lambda: bucket.copy_object(bucket.bucket_name, "old", "old")),
                   _raised(lambda: bucket.put_bucket_versioning(oss.models.BucketVersioningConfig("Enabled")))]
        fresh = bucket.put_object("fresh", b"x").status
        tagged = bucket.put_object_tagging("old", oss.models.Tagging()).status
        bucket.abort_bucket_worm()
        return blocked, fresh, tagged, bucket.delete_object("old").status, bucket.get_object("fresh").read()
    _, got = sides.run(scenario)
    assert [b["__raised__"]["code"] for b in got[0]] == ["FileImmutable"] * 4 + ["InvalidArgument"]
    assert got[1:4] == [200, 200, 204]


def test_public_access_block_is_enforced(sides):
    def scenario(oss, bucket):
        bucket.put_object("o", b"public")
        bucket.put_bucket_acl(oss.BUCKET_ACL_PUBLIC_READ)
        anonymous = oss.Bucket(oss.AnonymousAuth(), bucket.endpoint, bucket.bucket_name)
        before = anonymous.get_object("o").read()
        bucket.put_bucket_public_access_block(True)
        blocked = (_raised(lambda: anonymous.get_object("o").read()),
                   _raised(lambda: bucket.put_bucket_acl(oss.BUCKET_ACL_PUBLIC_READ_WRITE)),
                   _raised(lambda: bucket.put_object_acl("o", oss.OBJECT_ACL_PUBLIC_READ)))
        private = bucket.put_bucket_acl(oss.BUCKET_ACL_PRIVATE).status
        bucket.delete_bucket_public_access_block()
        bucket.put_bucket_acl(oss.BUCKET_ACL_PUBLIC_READ)
        return before, blocked, private, anonymous.get_object("o").read()
    _, got = sides.run(scenario)
    assert [b["__raised__"]["code"] for b in got[1]] == ["AccessDenied"] * 3 and got[2] == 200


def test_replication_to_a_bucket_of_the_same_server(sides):
    def scenario(oss, bucket):
        m = oss.models
        target = oss.Bucket(bucket.auth, bucket.endpoint, bucket.bucket_name + "-dst")
        target.create_bucket()
        bucket.put_object("logs/old", b"before the rule")
        bucket.put_object("other/old", b"not covered")
        bucket.put_bucket_replication(m.ReplicationRule(
            rule_id="local", target_bucket_name=target.bucket_name, target_bucket_location="oss-cn-beijing",
            prefix_list=["logs/"], action_list=[m.ReplicationRule.ALL]))
        bucket.put_object("logs/new", b"after the rule", headers={"x-oss-meta-k": "v"})
        bucket.append_object("logs/appended", 0, b"ab")
        bucket.delete_object("logs/old")
        progress = bucket.get_bucket_replication_progress("local").progress
        assert progress.new_object_progress
        progress.new_object_progress = True
        keys = sorted(o.key for o in oss.ObjectIterator(target))
        return keys, target.get_object("logs/new").read(), target.head_object("logs/new").headers["x-oss-meta-k"], \
            target.get_object("logs/appended").read(), progress
    _, got = sides.run(scenario)
    assert got[0] == ["logs/appended", "logs/new"] and got[4]["historical_object_progress"] == 1.0
