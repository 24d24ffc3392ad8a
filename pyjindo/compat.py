"""Python-version helpers with oss2.compat's names (pyjindo supports Python 3 only)."""
import json  # noqa: F401  (oss2.compat exposes a json module too)
import sys
from typing import TypeVar, overload
from urllib.parse import parse_qs, quote as urlquote, unquote as urlunquote, urlparse, urlsplit  # noqa: F401

is_py2 = False
is_py3 = sys.version_info[0] == 3
is_py33 = sys.version_info[:2] == (3, 3)

builtin_str = str
bytes = bytes
str = str


def to_bytes(data):
    """str becomes its UTF-8 encoding; anything else is returned unchanged."""
    if isinstance(data, builtin_str):
        return data.encode("utf-8")
    return data


_T = TypeVar("_T")


@overload
def to_string(data: bytes) -> str: ...
@overload
def to_string(data: _T) -> _T: ...


def to_string(data):
    """bytes are decoded as UTF-8; anything else is returned unchanged."""
    if isinstance(data, bytes):
        return data.decode("utf-8")
    return data


def to_unicode(data):
    """Same as to_string on Python 3."""
    return to_string(data)


def stringify(value):
    """Identity on Python 3 (oss2 needed it for Python 2)."""
    return value
