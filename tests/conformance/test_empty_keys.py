"""Empty keys sign as any others, as in oss2: OSS refuses the Authorization header (400
InvalidArgument) instead of the request going out unsigned and meeting the bucket's ACL. Only
AnonymousAuth sends nothing."""
import pytest


def _auths(oss):
    return {
        "Auth": oss.Auth("", ""),
        "AuthV2": oss.AuthV2("", ""),
        "AuthV4": oss.AuthV4("", ""),
        "StsAuth": oss.StsAuth("", "", ""),
        "ProviderAuth": oss.ProviderAuth(oss.credentials.StaticCredentialsProvider("", "")),
    }


@pytest.mark.parametrize("name", ["Auth", "AuthV2", "AuthV4", "StsAuth", "ProviderAuth"])
def test_empty_keys_are_signed_and_refused(sides, server, name):
    def scenario(oss, bucket):
        b = oss.Bucket(_auths(oss)[name], server.endpoint, bucket.bucket_name, region="cn-hangzhou")
        outcomes = []
        for call in (lambda: b.put_object("k", b"x"), lambda: b.get_object("k"), lambda: b.head_object("k"),
                     lambda: b.get_bucket_acl()):
            try:
                call()
                outcomes.append("ok")
            except oss.exceptions.OssError as e:
                outcomes.append((type(e).__name__, e.status, e.code))
        return outcomes

    expected, _ = sides.run(scenario)
    assert expected[0] == ["InvalidArgument", 400, "InvalidArgument"]


def test_presigned_url_with_empty_keys_names_the_empty_key(sides, server):
    def scenario(oss, bucket):
        b = oss.Bucket(oss.Auth("", ""), server.endpoint, bucket.bucket_name)
        url = b.sign_url("GET", "k", 60)
        return url.split("?", 1)[1].split("&")[0]

    sides.run(scenario)


def test_anonymous_auth_sends_no_signature(sides, server):
    def scenario(oss, bucket):
        b = oss.Bucket(oss.AnonymousAuth(), server.endpoint, bucket.bucket_name)
        try:
            b.get_object("k")
        except oss.exceptions.OssError as e:
            return type(e).__name__, e.status, e.code
        raise AssertionError("a private bucket answered an anonymous GET")

    expected, _ = sides.run(scenario)
    assert expected[1] == 403
