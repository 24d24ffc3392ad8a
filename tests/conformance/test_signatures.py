"""Every oss2.Bucket / oss2.Service method pyjindo has takes oss2's exact signature."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))

import oss2_signatures  # noqa: E402

ISSUE12_METHODS = """put_object_acl get_object_acl put_bucket_acl get_bucket_acl put_object_tagging get_object_tagging
delete_object_tagging put_bucket_tagging get_bucket_tagging delete_bucket_tagging put_symlink get_symlink restore_object
put_bucket_cors get_bucket_cors delete_bucket_cors put_bucket_lifecycle get_bucket_lifecycle delete_bucket_lifecycle
put_bucket_referer get_bucket_referer put_bucket_website get_bucket_website delete_bucket_website put_bucket_policy
get_bucket_policy delete_bucket_policy put_bucket_encryption get_bucket_encryption delete_bucket_encryption
put_bucket_logging get_bucket_logging delete_bucket_logging put_bucket_versioning get_bucket_versioning
put_bucket_request_payment get_bucket_request_payment get_bucket_stat get_bucket_location get_bucket_info""".split()


@pytest.mark.parametrize("name", ["Bucket", "Service"])
def test_shared_methods_have_oss2s_signatures(name):
    _, different, _ = oss2_signatures.compare_class(name)
    assert different == []


def test_issue12_settings_methods_are_there():
    identical, _, _ = oss2_signatures.compare_class("Bucket")
    assert sorted(set(ISSUE12_METHODS) - set(identical)) == []
