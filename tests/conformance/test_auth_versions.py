"""Buckets signing with AuthV2 behave as oss2's: V2 requests verify, a wrong secret does not."""


def _v2_bucket(oss, server, bucket, secret):
    return oss.Bucket(oss.AuthV2(server.access_key_id, secret), server.endpoint, bucket.bucket_name)


def test_auth_v2_round_trip(sides, server):
    def scenario(oss, bucket):
        b = _v2_bucket(oss, server, bucket, server.access_key_secret)
        put = b.put_object("dir/v2 key+ü", b"signed with v2", headers={"x-oss-meta-a": "b", "Content-Type": "text/plain"})
        whole = b.get_object("dir/v2 key+ü")
        ranged = b.get_object("dir/v2 key+ü", byte_range=(0, 5))
        head = b.head_object("dir/v2 key+ü")
        listed = [o.key for o in oss.ObjectIterator(b, prefix="dir/", max_keys=1)]
        meta = b.get_object_meta("dir/v2 key+ü")
        b.delete_object("dir/v2 key+ü")
        return put, whole, whole.read(), ranged, ranged.read(), head, listed, meta, b.object_exists("dir/v2 key+ü")

    sides.run(scenario)


def test_auth_v2_wrong_secret_is_signature_does_not_match(sides, server):
    def scenario(oss, bucket):
        bad = _v2_bucket(oss, server, bucket, "wrong-secret")
        try:
            bad.put_object("k", b"x")
        except oss.exceptions.SignatureDoesNotMatch as e:
            # The error's body and details quote the string to sign, which holds the Date.
            return type(e).__name__, e.status, e.code, e.message, sorted(e.details)
        raise AssertionError("a wrong V2 secret was accepted")

    sides.run(scenario)
