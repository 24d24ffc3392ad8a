"""CryptoBucket in oss2's envelope format, both ways: what oss2's CryptoBucket writes reads
through pyjindo's and the reverse, whole, by unaligned ranges, as multipart uploads with oss2's
crypto context, through files; RSA (PKCS#1 v1.5) and KMS (a local double, tests/kms_double.py)."""
import itertools
import json
import os
import stat

import oss2
import pytest
from Crypto.PublicKey import RSA

import pyjindo
from kms_double import FakeKMS

_names = itertools.count()
REGION = "cn-hangzhou"
CMK = "cmk-test-1"


@pytest.fixture(scope="module")
def key_pair():
    key = RSA.generate(1024)
    return {"public_key": key.publickey().exportKey().decode(), "private_key": key.exportKey().decode()}


@pytest.fixture(scope="module")
def other_key_pair():
    key = RSA.generate(1024)
    return {"public_key": key.publickey().exportKey().decode(), "private_key": key.exportKey().decode()}


def _bucket_name(server):
    name = "crypto-%d-%04d" % (os.getpid(), next(_names))
    oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, name).create_bucket()
    return name


def _pair(server, oss2_provider, pyjindo_provider, **tuning):
    """(oss2.CryptoBucket, pyjindo.CryptoBucket) on one new bucket."""
    name = _bucket_name(server)
    a = oss2.CryptoBucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, name,
                          oss2_provider)
    b = pyjindo.CryptoBucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint, name,
                             pyjindo_provider, **tuning)
    return a, b


def _rsa(key_pair, **kw):
    return oss2.RsaProvider(key_pair, **kw), pyjindo.RsaProvider(key_pair, **kw)


# the last two reach past the object: OSS answers the whole object, from which oss2 still drops
# the bytes before the start's offset in its block
RANGES = [(0, 0), (1, 30), (15, 16), (17, 1000), (4095, 70001), (100, None), (99990, 99999), (5, 99999),
          (200000, 300000), (200005, 300000)]


def _plain_raw(server, name, key):
    return oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint,
                       name).get_object(key)


def test_oss2_writes_pyjindo_reads_whole_and_by_unaligned_ranges(server, key_pair):
    a, b = _pair(server, *_rsa(key_pair), part_size=128 * 1024)
    data = os.urandom(100000)
    a.put_object("k", data, headers={"x-oss-meta-who": "oss2"})
    assert _plain_raw(server, a.bucket_name, "k").read() != data  # it is stored encrypted
    r = b.get_object("k")
    assert r.read() == data and r.headers["x-oss-meta-who"] == "oss2"
    for rng in RANGES:
        want = a.get_object("k", byte_range=rng)
        got = b.get_object("k", byte_range=rng)
        assert (got.status, got.content_length, got.headers.get("Content-Range")) == \
            (want.status, want.content_length, want.headers.get("Content-Range")), rng
        start, end = rng
        expected = data[start:None if end is None else end + 1] if start < len(data) else data[start % 16:]
        assert got.read() == want.read() == expected, rng
    # read in pieces, from the prefetching reader
    r = b.get_object("k", byte_range=(33, 80000))
    assert b"".join(iter(lambda: r.read(7777), b"")) == data[33:80001]


def test_pyjindo_writes_oss2_reads_including_a_parallel_multipart_put(server, key_pair):
    a, b = _pair(server, *_rsa(key_pair), multipart_threshold=200 * 1024, part_size=100 * 1024 + 5)
    small, big = os.urandom(5000), os.urandom(700 * 1024 + 3)
    b.put_object("small", small, headers={"Content-MD5": oss2.utils.content_md5(small)})
    b.put_object("big", big)
    assert b.head_object("big").object_type == "Multipart"  # parts encrypted where they lie
    for key, data in (("small", small), ("big", big)):
        assert a.get_object(key).read() == data
        for start, end in ((7, 4000), (1000, None), (4096, 4999)):
            assert a.get_object(key, byte_range=(start, end)).read() == data[start:None if end is None else end + 1]
    meta_a = a.head_object("small").headers
    assert meta_a["x-oss-meta-client-side-encryption-cek-alg"] == "AES/CTR/NoPadding"
    assert meta_a["x-oss-meta-client-side-encryption-wrap-alg"] == "RSA/NONE/PKCS1Padding"
    assert meta_a["x-oss-meta-client-side-encryption-unencrypted-content-md5"] == oss2.utils.content_md5(small)


def _multipart(bucket, oss, key, data, part_size):
    context = oss.models.MultipartUploadCryptoContext(data_size=len(data), part_size=part_size)
    upload_id = bucket.init_multipart_upload(key, upload_context=context).upload_id
    parts = []
    # out of order, as parallel uploaders send them
    numbers = list(range(1, (len(data) + part_size - 1) // part_size + 1))
    for n in reversed(numbers):
        chunk = data[(n - 1) * part_size:n * part_size]
        r = bucket.upload_part(key, upload_id, n, chunk, upload_context=context)
        parts.append(oss.models.PartInfo(n, r.etag, size=len(chunk), part_crc=r.crc))
    return bucket.complete_multipart_upload(key, upload_id, parts)


def test_multipart_with_the_crypto_context_both_ways(server, key_pair):
    a, b = _pair(server, *_rsa(key_pair))
    data = os.urandom(3 * 102400 + 777)
    _multipart(a, oss2, "by-oss2", data, 102400)
    _multipart(b, pyjindo, "by-pyjindo", data, 102400)
    for key in ("by-oss2", "by-pyjindo"):
        assert a.get_object(key).read() == data and b.get_object(key).read() == data
        assert b.get_object(key, byte_range=(102390, 204810)).read() == data[102390:204811]
        h = a.head_object(key).headers
        assert (h["x-oss-meta-client-side-encryption-data-size"],
                h["x-oss-meta-client-side-encryption-part-size"]) == (str(len(data)), "102400")


def test_multipart_context_rules_are_oss2s(server, key_pair):
    a, b = _pair(server, *_rsa(key_pair))
    for bucket, oss in ((a, oss2), (b, pyjindo)):
        with pytest.raises(oss.exceptions.ClientError, match="must specify data_size"):
            bucket.init_multipart_upload("k")
        with pytest.raises(oss.exceptions.ClientError, match="part_size is invalid"):
            bucket.init_multipart_upload("k", upload_context=oss.models.MultipartUploadCryptoContext(10 ** 6, 102401))
        ctx = oss.models.MultipartUploadCryptoContext(data_size=10 ** 9)
        upload_id = bucket.init_multipart_upload("k", upload_context=ctx).upload_id
        assert ctx.part_size == 10 * 1024 * 1024
        with pytest.raises(oss.exceptions.ClientError, match="upload context is none"):
            bucket.upload_part("k", upload_id, 1, b"x")
        ctx.content_crypto_material.wrap_alg = "KMS/ALICLOUD"
        with pytest.raises(oss.exceptions.InconsistentError, match="Envelope or data"):
            bucket.upload_part("k", upload_id, 1, b"x", upload_context=ctx)
        bucket.abort_multipart_upload("k", upload_id)


def test_files_both_ways(server, key_pair, tmp_path):
    a, b = _pair(server, *_rsa(key_pair), multipart_threshold=256 * 1024, part_size=100 * 1024)
    data = os.urandom(900 * 1024 + 11)
    src = tmp_path / "src"
    src.write_bytes(data)
    b.put_object_from_file("from-pyjindo", str(src))
    a.put_object_from_file("from-oss2", str(src))
    for key in ("from-pyjindo", "from-oss2"):
        for bucket, name in ((a, "o"), (b, "p")):
            out = tmp_path / (key + name)
            r = bucket.get_object_to_file(key, str(out))
            assert out.read_bytes() == data and r.content_length == len(data)
    out = tmp_path / "ranged"
    b.get_object_to_file("from-oss2", str(out), byte_range=(4096, 9999))
    assert out.read_bytes() == data[4096:10000]
    oss2.Bucket(a.auth, a.endpoint, a.bucket_name).put_object("plain", b"not encrypted")
    for bucket, oss in ((a, oss2), (b, pyjindo)):
        out = tmp_path / ("plain" + oss.__name__)
        bucket.get_object_to_file("plain", str(out))
        assert out.read_bytes() == b"not encrypted"
        with pytest.raises(oss.exceptions.NoSuchKey):
            bucket.get_object_to_file("missing", str(tmp_path / "missing"))
        # an unaligned start: oss2's file gets fewer bytes than content_length and it raises; so does pyjindo
    for bucket, oss in ((a, oss2), (b, pyjindo)):
        with pytest.raises(oss.exceptions.InconsistentError):
            bucket.get_object_to_file("from-oss2", str(tmp_path / "unaligned"), byte_range=(4100, 9999))


def test_get_object_with_url_to_file_decrypts_as_oss2s(server, key_pair, tmp_path):
    a, b = _pair(server, *_rsa(key_pair))
    data = os.urandom(70001)
    a.put_object("k", data)
    for bucket, name in ((a, "o"), (b, "p")):
        url = bucket.sign_url("GET", "k", 60)
        whole, part = tmp_path / ("whole" + name), tmp_path / ("part" + name)
        r = bucket.get_object_with_url_to_file(url, str(whole))
        assert whole.read_bytes() == data and r.content_length == len(data)
        bucket.get_object_with_url_to_file(url, str(part), byte_range=(16, 4095))
        assert part.read_bytes() == data[16:4096]
    # the files' modes are what oss2's open(..., "wb") gives: a new file's and an existing one's
    assert stat.S_IMODE((tmp_path / "wholep").stat().st_mode) == stat.S_IMODE((tmp_path / "wholeo").stat().st_mode)
    for name in ("o", "p"):
        os.chmod(tmp_path / ("whole" + name), 0o640)
    for bucket, name in ((a, "o"), (b, "p")):
        bucket.get_object_with_url_to_file(bucket.sign_url("GET", "k", 60), str(tmp_path / ("whole" + name)))
        assert stat.S_IMODE((tmp_path / ("whole" + name)).stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["parto", "partp", "wholeo", "wholep"]


def test_errors_are_oss2s(server, key_pair, other_key_pair):
    a, b = _pair(server, *_rsa(key_pair))
    a.put_object("k", b"secret data")
    wrong_a = oss2.CryptoBucket(a.auth, a.endpoint, a.bucket_name, oss2.RsaProvider(other_key_pair))
    wrong_b = pyjindo.CryptoBucket(b.auth, b.endpoint, b.bucket_name, pyjindo.RsaProvider(other_key_pair))
    messages = []
    for bucket, oss in ((wrong_a, oss2), (wrong_b, pyjindo)):
        with pytest.raises(oss.exceptions.ClientError) as e:
            bucket.get_object("k")
        messages.append(str(e.value))
    # "Decrypted data error, please check you key pair!", or pycryptodome's "Ciphertext too large"
    # when the wrapped key, as a number, exceeds the other key's modulus
    assert messages[0] == messages[1]
    for bucket, oss in ((a, oss2), (b, pyjindo)):
        with pytest.raises(oss.exceptions.ClientError, match="not support for CryptoBucket"):
            bucket.append_object("app", 0, b"x")
        with pytest.raises(oss.exceptions.ClientError, match="not support for CryptoBucket"):
            bucket.upload_part_copy(a.bucket_name, "k", (0, 1), "t", "uid", 1)
        with pytest.raises(oss.exceptions.ClientError, match="not support for Crypto Bucket"):
            bucket.get_object("k", process="image/resize,w_10")
        with pytest.raises(oss.exceptions.ClientError, match="Don't support range get"):
            bucket.get_object("k", byte_range=(None, 5))
        with pytest.raises(oss.exceptions.ClientError, match="BaseCryptoProvider"):
            oss.CryptoBucket(a.auth, a.endpoint, a.bucket_name, object())
        with pytest.raises(oss.exceptions.ClientError, match="RSA key format is not supported"):
            oss.RsaProvider({"public_key": "not a key"})
    # an object without the encryption headers reads as it is
    oss2.Bucket(a.auth, a.endpoint, a.bucket_name).put_object("plain", b"not encrypted")
    assert a.get_object("plain").read() == b.get_object("plain").read() == b"not encrypted"
    # the wrapped key or IV missing from the metadata: ClientError in both (oss2's says less);
    # the algorithms missing: read as given
    plain = oss2.Bucket(a.auth, a.endpoint, a.bucket_name)
    stored, meta = plain.get_object("k").read(), a.head_object("k").headers
    for drop, readable in (("start", False), ("key", False), ("cek-alg", True), ("wrap-alg", True)):
        plain.put_object("m", stored, headers={n: v for n, v in meta.items() if n.lower().startswith("x-oss-meta-")
                                               and n.lower() != "x-oss-meta-client-side-encryption-" + drop})
        for bucket, oss in ((a, oss2), (b, pyjindo)):
            if readable:
                assert bucket.get_object("m").read() == b"secret data"
            else:
                with pytest.raises(oss.exceptions.ClientError):
                    bucket.get_object("m")
    # a key wrapped another way: the envelope algorithm does not match
    kms_b = pyjindo.CryptoBucket(b.auth, b.endpoint, b.bucket_name,
                                 pyjindo.AliKMSProvider("ak", "sk", REGION, CMK, endpoint="127.0.0.1:9"))
    with pytest.raises(pyjindo.exceptions.InconsistentError, match="Envelope encryption/decryption"):
        kms_b.get_object("k")


def test_material_description_picks_the_encryption_materials(server, key_pair, other_key_pair):
    a, b = _pair(server, *_rsa(other_key_pair, mat_desc={"owner": "other"}))
    a.put_object("k", b"under the other key")
    for oss, bucket in ((oss2, a), (pyjindo, b)):
        provider = oss.RsaProvider(key_pair, mat_desc={"owner": "me"})
        reader = oss.CryptoBucket(bucket.auth, bucket.endpoint, bucket.bucket_name, provider)
        with pytest.raises(oss.exceptions.ClientError, match="no encryption materials match"):
            reader.get_object("k")
        provider.add_encryption_materials(oss.EncryptionMaterials({"owner": "other"}, key_pair=other_key_pair))
        assert reader.get_object("k").read() == b"under the other key"


# --- KMS ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kms():
    with FakeKMS("kms-ak", "kms-sk", keys={CMK}) as k:
        yield k


def _oss2_kms(kms, cmk=CMK, passphrase=None):
    """oss2's provider sending to the double: its endpoint added, over http (oss2's requests ask
    for https)."""
    provider = oss2.AliKMSProvider("kms-ak", "kms-sk", REGION, cmk, passphrase=passphrase)
    client = provider.kms_client
    client.add_endpoint(REGION, "kms", kms.endpoint[len("http://"):])
    send = client.do_action_with_exception

    def over_http(request):
        request.set_protocol_type("http")
        return send(request)

    client.do_action_with_exception = over_http
    return provider


def _pyjindo_kms(kms, cmk=CMK, passphrase=None):
    return pyjindo.AliKMSProvider("kms-ak", "kms-sk", REGION, cmk, passphrase=passphrase, endpoint=kms.endpoint)


def test_kms_both_ways(server, kms):
    a, b = _pair(server, _oss2_kms(kms, passphrase="pw"), _pyjindo_kms(kms, passphrase="pw"),
                 multipart_threshold=200 * 1024, part_size=100 * 1024)
    data = os.urandom(300 * 1024 + 9)
    a.put_object("by-oss2", data)
    before = dict(kms.calls)
    b.put_object("by-pyjindo", data)
    assert kms.calls["GenerateDataKey"] == before["GenerateDataKey"] + 1
    assert kms.calls["Encrypt"] == before["Encrypt"] + 1
    for key in ("by-oss2", "by-pyjindo"):
        assert a.get_object(key).read() == data and b.get_object(key).read() == data
        assert b.get_object(key, byte_range=(5, 200000)).read() == data[5:200001]
        assert a.head_object(key).headers["x-oss-meta-client-side-encryption-wrap-alg"] == "KMS/ALICLOUD"
    _multipart(b, pyjindo, "mp", data, 102400)
    assert a.get_object("mp").read() == data
    # another passphrase is another EncryptionContext: KMS refuses to decrypt, in both
    for bucket, oss in ((oss2.CryptoBucket(a.auth, a.endpoint, a.bucket_name, _oss2_kms(kms, passphrase="x")), oss2),
                        (pyjindo.CryptoBucket(b.auth, b.endpoint, b.bucket_name, _pyjindo_kms(kms, passphrase="x")),
                         pyjindo)):
        with pytest.raises(oss.exceptions.OpenApiServerError) as e:
            bucket.get_object("by-oss2")
        assert (e.value.status, e.value.code) == (400, "InvalidCiphertext")


def test_kms_unknown_master_key_is_an_open_api_error(server, kms):
    a, b = _pair(server, _oss2_kms(kms, cmk="nope"), _pyjindo_kms(kms, cmk="nope"))
    errors = []
    for bucket, oss in ((a, oss2), (b, pyjindo)):
        with pytest.raises(oss.exceptions.OpenApiServerError) as e:
            bucket.put_object("k", b"data")
        errors.append((e.value.status, e.value.code, e.value.message, bool(e.value.request_id)))
    assert errors[0] == errors[1] == (404, "Forbidden.KeyNotFound", "The specified Key is not found.", True)
    assert not oss2.Bucket(a.auth, a.endpoint, a.bucket_name).object_exists("k")


def test_resumable_upload_and_download_through_a_crypto_bucket(server, key_pair, tmp_path):
    a, b = _pair(server, *_rsa(key_pair))
    data = os.urandom(500 * 1024 + 3)
    src = tmp_path / "src"
    src.write_bytes(data)
    for bucket, oss in ((a, oss2), (b, pyjindo)):
        key = "ru-" + oss.__name__
        oss.resumable_upload(bucket, key, str(src), multipart_threshold=200 * 1024, part_size=100 * 1024,
                             store=oss.ResumableStore(root=str(tmp_path / oss.__name__)))
        assert a.head_object(key).headers["x-oss-meta-client-side-encryption-part-size"] == str(100 * 1024)
    for bucket, oss in ((a, oss2), (b, pyjindo)):
        for key in ("ru-oss2", "ru-pyjindo"):
            out = tmp_path / (key + oss.__name__)
            oss.resumable_download(bucket, key, str(out), multiget_threshold=200 * 1024, part_size=100 * 1024,
                                   store=oss.ResumableDownloadStore(root=str(tmp_path / oss.__name__)))
            assert out.read_bytes() == data


class _Interrupted(Exception):
    pass


@pytest.mark.parametrize("first,second", [(oss2, pyjindo), (pyjindo, oss2)], ids=["oss2-then-pyjindo", "pyjindo-then-oss2"])
def test_interrupted_crypto_upload_resumes_under_the_other(server, key_pair, tmp_path, first, second):
    a, b = _pair(server, *_rsa(key_pair))
    buckets = {oss2: a, pyjindo: b}
    part = 100 * 1024
    data = os.urandom(5 * part - 7000)
    src = tmp_path / "src"
    src.write_bytes(data)

    def stop_after_two(consumed, total):
        if 2 * part <= consumed < total:
            raise _Interrupted()

    def upload(oss, **kw):
        oss.resumable_upload(buckets[oss], "obj", str(src), store=oss.ResumableStore(root=str(tmp_path / "store")),
                             multipart_threshold=part, part_size=part, num_threads=1, **kw)

    with pytest.raises(_Interrupted):
        upload(first, progress_callback=stop_after_two)
    (record,) = [json.load(open(os.path.join(root, f))) for root, _, files in os.walk(tmp_path / "store") for f in files]
    assert set(record["content_crypto_material"]) == {"wrap_alg", "cek_alg", "encrypted_key", "encrypted_iv",
                                                      "mat_desc"}
    sent = []
    real = buckets[second].upload_part
    buckets[second].upload_part = lambda *args, **kw: sent.append(args[2]) or real(*args, **kw)
    upload(second)
    assert sent == [3, 4, 5]  # the two parts the first sent are kept, encrypted under the same key
    assert a.get_object("obj").read() == b.get_object("obj").read() == data


def test_key_pair_exported_with_a_passphrase(server):
    key = RSA.generate(1024)
    pair = {"public_key": key.publickey().exportKey(passphrase="pw").decode(),
            "private_key": key.exportKey(passphrase="pw").decode()}  # encrypted PKCS#8, legacy PEM
    a, b = _pair(server, *_rsa(pair, passphrase="pw"))
    a.put_object("by-oss2", b"written by oss2")
    b.put_object("by-pyjindo", b"written by pyjindo")
    for bucket in (a, b):
        assert bucket.get_object("by-oss2").read() == b"written by oss2"
        assert bucket.get_object("by-pyjindo").read() == b"written by pyjindo"
    for oss in (oss2, pyjindo):
        with pytest.raises(oss.exceptions.ClientError):
            oss.RsaProvider(pair, passphrase="wrong")


def test_local_rsa_provider_shares_its_key_files_with_oss2(server, tmp_path):
    # oss2 makes the key files, pyjindo reads them; pyjindo makes them (with a passphrase), oss2 reads them
    oss2_dir, pyjindo_dir = str(tmp_path / "made-by-oss2"), str(tmp_path / "made-by-pyjindo")
    made = oss2.LocalRsaProvider(dir=oss2_dir, key="k")
    for o, p in ((made, pyjindo.LocalRsaProvider(dir=oss2_dir, key="k")),
                 (None, pyjindo.LocalRsaProvider(dir=pyjindo_dir, key="k", passphrase="pw"))):
        if o is None:
            o = oss2.LocalRsaProvider(dir=pyjindo_dir, key="k", passphrase="pw")
        a, b = _pair(server, o, p)
        data = os.urandom(70000)
        a.put_object("by-oss2", data)
        b.put_object("by-pyjindo", data)
        for bucket in (a, b):
            assert bucket.get_object("by-oss2", byte_range=(17, None)).read() == data[17:]
            assert bucket.get_object("by-pyjindo").read() == data
        assert a.head_object("by-pyjindo").headers["x-oss-meta-client-side-encryption-wrap-alg"] == \
            "RSA/NONE/OAEPWithSHA-1AndMGF1Padding"
        with pytest.raises(pyjindo.exceptions.InconsistentError):  # another wrapping
            pyjindo.CryptoBucket(b.auth, b.endpoint, b.bucket_name, pyjindo.RsaProvider(
                {"private_key": open(os.path.join(oss2_dir, "k.private_key.pem")).read()})).get_object("by-pyjindo")
    assert sorted(os.listdir(pyjindo_dir)) == ["k.private_key.pem", "k.public_key.pem"]
    for oss in (oss2, pyjindo):
        with pytest.raises(oss.exceptions.ClientError, match="do not support reset_encryption_materials"):
            oss.LocalRsaProvider(dir=oss2_dir, key="k").reset_encryption_materials(
                oss.EncryptionMaterials({"a": "b"}))
