"""Static website hosting: the routing rules users build and get_bucket_website's result."""
from ..exceptions import ClientError
from .common import _parsed, RequestResult, _ResponseLike
from .constants import (REDIRECT_TYPE_ALICDN, REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_INTERNAL,
                        REDIRECT_TYPE_MIRROR)


class ConditionInlcudeHeader(object):  # oss2's spelling
    """A header a website routing rule's condition requires (oss2's spelling)."""

    def __init__(self, key=None, equals=None):
        self.key = key
        self.equals = equals


class Condition(object):
    """When a website routing rule applies: key prefix, HTTP error code, headers."""

    def __init__(self, key_prefix_equals=None, http_err_code_return_equals=None, include_header_list=None):
        if include_header_list is not None:
            if not isinstance(include_header_list, list):
                raise ClientError("class of include_header should be list")
            if len(include_header_list) > 5:
                raise ClientError("capacity of include_header_list should not > 5, please check!")
        self.key_prefix_equals = key_prefix_equals
        self.http_err_code_return_equals = http_err_code_return_equals
        self.include_header_list = include_header_list or []


def _check_mirror_url(url, message):
    if not url.startswith(("http://", "https://")) or not url.endswith("/"):
        raise ClientError(message)


class Redirect(object):
    """What a website routing rule does: redirect or mirror, with its options (checked as
    oss2 checks them).
    """

    def __init__(self, redirect_type=None, pass_query_string=None, replace_key_with=None,
                 replace_key_prefix_with=None, proto=None, host_name=None, http_redirect_code=None,
                 mirror_url=None, mirror_url_slave=None, mirror_url_probe=None, mirror_pass_query_string=None,
                 mirror_follow_redirect=None, mirror_check_md5=None, mirror_headers=None):
        if redirect_type not in (REDIRECT_TYPE_MIRROR, REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_INTERNAL,
                                 REDIRECT_TYPE_ALICDN):
            raise ClientError("redirect_type must be Internal, External, Mirror or AliCDN.")
        if redirect_type == REDIRECT_TYPE_INTERNAL and any((host_name, proto, http_redirect_code)):
            raise ClientError("host_name, proto, http_redirect_code must be empty when redirect_type is Internal.")
        if redirect_type in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN) and http_redirect_code is not None:
            if http_redirect_code < 300 or http_redirect_code > 399:
                raise ClientError("http_redirect_code must be a valid HTTP 3xx status code.")
        if redirect_type in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN, REDIRECT_TYPE_INTERNAL):
            if all((replace_key_with, replace_key_prefix_with)):
                raise ClientError("replace_key_with or replace_key_prefix_with only choose one.")
        elif redirect_type == REDIRECT_TYPE_MIRROR:
            if any((proto, host_name, replace_key_with, replace_key_prefix_with, http_redirect_code)):
                raise ClientError("host_name, replace_key_with, replace_key_prefix_with, http_redirect_code and "
                                  "proto must be empty when redirect_type is Mirror.")
            if mirror_url is None:
                raise ClientError("mirror_url should not be None when redirect_type is Mirror.")
            _check_mirror_url(mirror_url, 'mirror_url is invalid, should startwith "http://" or "https://", '
                                          'and endwith "/"')
            if mirror_url_slave is not None:
                if mirror_url_probe is None:
                    raise ClientError("mirror_url_probe should not be none when mirror_url_slave is indicated")
                _check_mirror_url(mirror_url_slave, 'mirror_url_salve is invalid, should startwith "http://" or '
                                                    '"https://", and endwith "/"')
        self.redirect_type = redirect_type
        self.pass_query_string = pass_query_string
        self.replace_key_with = replace_key_with
        self.replace_key_prefix_with = replace_key_prefix_with
        self.proto = proto
        self.host_name = host_name
        self.http_redirect_code = http_redirect_code
        self.mirror_url = mirror_url
        self.mirror_url_slave = mirror_url_slave
        self.mirror_url_probe = mirror_url_probe
        self.mirror_pass_query_string = mirror_pass_query_string
        self.mirror_check_md5 = mirror_check_md5
        self.mirror_follow_redirect = mirror_follow_redirect
        self.mirror_headers = mirror_headers


def _list_argument(value, name, limit=10):
    if value is not None:
        if not isinstance(value, list):
            raise ClientError("The type of %s should be list." % name)
        if len(value) > limit:
            raise ClientError("The capacity of %s should not > %d!" % (name, limit))
    return value or []


class RedirectMirrorHeaders(object):
    """Which headers a mirroring rule passes, removes or sets."""

    def __init__(self, pass_all=None, pass_list=None, remove_list=None, set_list=None):
        self.pass_all = pass_all
        self.pass_list = _list_argument(pass_list, "pass_list")
        self.remove_list = _list_argument(remove_list, "remove_list")
        self.set_list = _list_argument(set_list, "set_list")


class MirrorHeadersSet(object):
    """A header (`key`, `value`) a mirroring rule sets."""

    def __init__(self, key=None, value=None):
        self.key = key
        self.value = value


class RoutingRule(object):
    """One website routing rule: `rule_num`, `condition`, `redirect`."""

    def __init__(self, rule_num=None, condition=None, redirect=None):
        if rule_num is None or not isinstance(rule_num, int) or rule_num <= 0:
            raise ClientError("rule_num should be positive integer.")
        if condition is None or redirect is None:
            raise ClientError("condition and redirect should be effective.")
        if redirect.redirect_type == REDIRECT_TYPE_MIRROR and condition.http_err_code_return_equals != 404:
            raise ClientError("http_err_code not match redirect_type, it should be 404!")
        self.rule_num = rule_num
        self.condition = condition
        self.redirect = redirect


class BucketWebsite(object):
    """Static website settings for put_bucket_website: `index_file`, `error_file`,
    `rules` (RoutingRule).
    """

    def __init__(self, index_file, error_file, rules=None):
        if rules is not None:
            if not isinstance(rules, list):
                raise ClientError("rules type should be list.")
            if len(rules) > 5:
                raise ClientError("capacity of rules should not be > 5.")
        self.index_file = index_file
        self.error_file = error_file
        self.rules = rules or []


def _website_condition(d):
    # oss2 2.19.1 raises UnboundLocalError when a condition lacks KeyPrefixEquals or
    # HttpErrorCodeReturnedEquals; an absent element is None here.
    return Condition(d["key_prefix_equals"], d["http_error_code_returned_equals"],
                     [ConditionInlcudeHeader(h["key"], h["equals"]) for h in d["include_headers"]])


def _website_redirect(d):
    """A go/oss RoutingRedirect as oss2 reads it: only the fields of its redirect type."""
    kind = d["redirect_type"]
    args = {"redirect_type": kind, "pass_query_string": d["pass_query_string"]}
    if kind in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN):
        args.update(proto=d["protocol"], host_name=d["host_name"], http_redirect_code=d["http_redirect_code"])
    if kind in (REDIRECT_TYPE_EXTERNAL, REDIRECT_TYPE_ALICDN, REDIRECT_TYPE_INTERNAL):
        args.update(replace_key_with=d["replace_key_with"], replace_key_prefix_with=d["replace_key_prefix_with"])
    elif kind == REDIRECT_TYPE_MIRROR:
        args.update(mirror_url=d["mirror_url"], mirror_url_slave=d["mirror_url_slave"],
                    mirror_url_probe=d["mirror_url_probe"], mirror_pass_query_string=d["mirror_pass_query_string"],
                    mirror_check_md5=d["mirror_check_md5"], mirror_follow_redirect=d["mirror_follow_redirect"])
        headers = d["mirror_headers"]
        if headers is not None:
            args["mirror_headers"] = RedirectMirrorHeaders(
                headers["pass_all"], headers["pass"], headers["remove"],
                [MirrorHeadersSet(h["key"], h["value"]) for h in headers["set"]])
    return Redirect(**args)


class GetBucketWebsiteResult(RequestResult, BucketWebsite):
    """get_bucket_website's result: a RequestResult and a BucketWebsite."""

    def __init__(self, resp: _ResponseLike) -> None:
        RequestResult.__init__(self, resp)
        BucketWebsite.__init__(self, "", "", [])
        body = _parsed(resp)  # go/oss WebsiteConfiguration
        if not body:
            return
        self.index_file = body["index_file"]
        self.error_file = body["error_file"]
        for r in body["rules"]:
            self.rules.append(RoutingRule(r["rule_number"], _website_condition(r["condition"]),
                                          _website_redirect(r["redirect"])))
