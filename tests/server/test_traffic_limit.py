"""The real oss2 against jindo server: x-oss-traffic-limit (bits per second, 819200..838860800)
on uploads and downloads, as a header and in presigned URLs."""
import oss2
import pytest
import requests
from oss2 import exceptions
from oss2.models import OSS_TRAFFIC_LIMIT

LIMIT = str(100 * 8 * 1024 * 1024)  # 100 MiB/s: within OSS's range and quick for a test
DATA = bytes(range(256)) * 1024


def test_limited_put_get_append_and_part(bucket):
    headers = {OSS_TRAFFIC_LIMIT: LIMIT}
    bucket.put_object("k", DATA, headers=headers)
    assert bucket.get_object("k", headers=headers).read() == DATA
    assert bucket.get_object("k", byte_range=(10, 19), headers=headers).read() == DATA[10:20]
    bucket.append_object("a", 0, DATA, headers=headers)
    upload = bucket.init_multipart_upload("mp").upload_id
    part = bucket.upload_part("mp", upload, 1, DATA, headers=headers)
    bucket.complete_multipart_upload("mp", upload, [oss2.models.PartInfo(1, part.etag)])
    assert bucket.get_object("a").read() == DATA and bucket.get_object("mp").read() == DATA


@pytest.mark.parametrize("limit", ["819199", "838860801", "fast", "-1"])
def test_limit_out_of_range_is_refused(bucket, limit):
    bucket.put_object("k", b"x")
    with pytest.raises(exceptions.InvalidArgument):
        bucket.put_object("k", b"changed", headers={OSS_TRAFFIC_LIMIT: limit})
    with pytest.raises(exceptions.InvalidArgument):
        bucket.get_object("k", headers={OSS_TRAFFIC_LIMIT: limit})
    assert bucket.get_object("k").read() == b"x"


def test_limit_in_presigned_urls(bucket):
    url = bucket.sign_url("PUT", "signed", 60, params={OSS_TRAFFIC_LIMIT: LIMIT})
    assert requests.put(url, data=DATA, timeout=10).status_code == 200
    url = bucket.sign_url("GET", "signed", 60, params={OSS_TRAFFIC_LIMIT: LIMIT})
    r = requests.get(url, timeout=10)
    assert (r.status_code, r.content) == (200, DATA)
    url = bucket.sign_url("GET", "signed", 60, params={OSS_TRAFFIC_LIMIT: "1"})
    r = requests.get(url, timeout=10)
    assert r.status_code == 400 and b"<Code>InvalidArgument</Code>" in r.content
