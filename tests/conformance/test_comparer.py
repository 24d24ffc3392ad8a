"""The comparer itself must catch a difference, or the conformance suite proves nothing."""
import pytest

from . import compare


class Result(object):
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_comparer_catches_a_different_field():
    a = compare.snapshot(Result(status=200, etag="A", request_id="1"))
    b = compare.snapshot(Result(status=200, etag="B", request_id="2"))
    with pytest.raises(compare.Different, match="etag"):
        compare.compare(a, b)


def test_comparer_catches_a_missing_field_and_a_different_exception():
    with pytest.raises(compare.Different, match="crc"):
        compare.compare(compare.snapshot(Result(crc=1)), compare.snapshot(Result()))
    e1 = compare.Raised(KeyError("x"))
    e2 = compare.Raised(ValueError("x"))
    with pytest.raises(compare.Different, match="cls"):
        compare.compare(compare.snapshot(e1), compare.snapshot(e2))


def test_comparer_ignores_request_ids_and_near_times():
    a = compare.snapshot(Result(request_id="1", last_modified=1000, headers={"Date": "x", "ETag": "E"}))
    b = compare.snapshot(Result(request_id="2", last_modified=1002, headers={"date": "y", "etag": "E"}))
    compare.compare(a, b)
    c = compare.snapshot(Result(request_id="2", last_modified=1002, headers={"etag": "F"}))
    with pytest.raises(compare.Different):
        compare.compare(a, c)
