"""What every result shares: RequestResult, Owner and AccessControlList, and the readers of
response headers and of the documents Go parsed (plain data, and the "tree" kind walked as
oss2 walks ElementTree)."""
from ..compat import to_string, urlunquote


def _hget(headers, key, converter=None):
    value = headers.get(key)  # one lookup: header values are never None
    if value is None or converter is None:
        return value
    return converter(value)


def _get_etag(headers):
    return _hget(headers, "etag", lambda x: x.strip('"'))


def _parsed(resp):
    body = getattr(resp, "parsed", None)
    return body if isinstance(body, dict) else {}


def _text(d, key, default=""):
    """A text element: "" when present but empty, `default` when absent."""
    if d is None or key not in d or d[key] is None:
        return default
    return to_string(d[key])


def _int(d, key, default=0):
    value = d.get(key) if d else None
    if value is None or value == "":
        return default
    return int(value)


def _bool(d, key, default=False):
    value = d.get(key) if d else None
    if value is None:
        return default
    if isinstance(value, str):
        return value == "true"
    return bool(value)


def _is_url_encoded(d):
    return d.get("encoding_type") == "url"


def _key(value, url_encoded):
    value = to_string(value) if value is not None else ""
    return urlunquote(value) if url_encoded else value


def _unquote_etag(value):
    return to_string(value or "").strip('"')


def _owner(d):
    if not d:
        return None
    return Owner(_text(d, "display_name"), _text(d, "id"))


class _Element(object):
    """One element of a "tree" document: tag, text (None when empty, as ElementTree gives it) and
    children; find and findall take oss2's simple paths ("A/B")."""

    __slots__ = ("tag", "text", "children")

    def __init__(self, d):
        self.tag = d.get("tag", "")
        self.text = d.get("text") or None
        self.children = [_Element(c) for c in d.get("children") or ()]

    def findall(self, path):
        nodes = [self]
        for step in path.split("/"):
            nodes = [c for n in nodes for c in n.children if c.tag == step]
        return nodes

    def find(self, path):
        found = self.findall(path)
        return found[0] if found else None


def _root(resp):
    """The response document as an _Element, or None when there is none."""
    body = getattr(resp, "parsed", None)
    if isinstance(body, dict) and "tag" in body:
        return _Element(body)
    return None


def _node_text(node):
    return "" if node.text is None else to_string(node.text)


def _find_tag(parent, path):
    child = parent.find(path)
    if child is None:
        raise RuntimeError("parse xml: " + path + " could not be found under " + parent.tag)
    return _node_text(child)


def _find_tag_with_default(parent, path, default_value):
    child = parent.find(path)
    return default_value if child is None else _node_text(child)


def _find_bool(parent, path):
    text = _find_tag(parent, path)
    if text in ("true", "false"):
        return text == "true"
    raise RuntimeError("parse xml: value of " + path + " is not a boolean under " + parent.tag)


def _find_int(parent, path):
    return int(_find_tag(parent, path))


def _find_all_tags(parent, path):
    return [_node_text(n) for n in parent.findall(path)]


def _camel(snake_name):
    return "".join(part.capitalize() for part in snake_name.split("_"))


class RequestResult(object):
    """What every call returns at least, as oss2: `status`, `headers` (case-insensitive),
    `request_id`, `versionid`, `delete_marker`, `resp`; and, as the PyJindo API document this
    project started from has them (not in oss2): `duration` (seconds the request took, measured in
    Go), `code` (0: a result means no error; errors raise) and `msg` ("").
    """

    #: 0: a result is only made for a request that succeeded (a failure raises OssError). Class
    #: attributes, so oss2's fields of an instance stay exactly oss2's.
    code = 0
    #: "": a request that succeeded has no error message
    msg = ""

    def __init__(self, resp):
        #: the response this result was made from
        self.resp = resp
        #: HTTP status
        self.status = resp.status
        #: response headers (CaseInsensitiveDict)
        self.headers = resp.headers
        #: request id, for tracing a request at OSS
        self.request_id = resp.request_id
        #: version id of the object, on versioned buckets
        self.versionid = _hget(self.headers, "x-oss-version-id")
        #: as oss2: bool() of the x-oss-delete-marker header text, None when absent
        self.delete_marker = _hget(self.headers, "x-oss-delete-marker", bool)
        #: seconds the request took, measured by the Go core (None when not reported)
        self.duration = getattr(resp, "duration", None)


class Owner(object):
    """An owner: `display_name` and `id`."""

    def __init__(self, display_name, owner_id):
        self.display_name = display_name
        self.id = owner_id


class AccessControlList(object):
    """A bucket's ACL as in get_bucket_info: `grant`."""

    def __init__(self, grant):
        self.grant = grant
