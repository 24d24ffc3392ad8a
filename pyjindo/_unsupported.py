"""oss2 operations pyjindo does not implement, declared once: each line below becomes a method
with oss2's signature that raises exceptions.UnsupportedOperation naming it (after checking the
arguments as a real call would, so a wrong call is still a TypeError). The README lists them.

`install` never replaces a method the class already has: an operation implemented later simply
wins, and its line here can then be deleted.
"""
import ast
import inspect

from .exceptions import UnsupportedOperation

# "name(parameters after self)" per line, grouped under "# family" lines; defaults are literals.
BUCKET = """
# live channels (RTMP ingest)
create_live_channel(channel_name, input)
delete_live_channel(channel_name)
get_live_channel(channel_name)
list_live_channel(prefix='', marker='', max_keys=100)
get_live_channel_stat(channel_name)
put_live_channel_status(channel_name, status)
get_live_channel_history(channel_name)
post_vod_playlist(channel_name, playlist_name, start_time=0, end_time=0)
get_vod_playlist(channel_name, start_time, end_time)
sign_rtmp_url(channel_name, playlist_name, expires)
# select (SQL over CSV and JSON objects)
select_object(key, sql, progress_callback=None, select_params=None, byte_range=None, headers=None)
select_object_to_file(key, filename, sql, progress_callback=None, select_params=None, headers=None)
create_select_object_meta(key, select_meta_params=None, headers=None)
# image and document processing
process_object(key, process, headers=None)
async_process_object(key, process, headers=None)
put_bucket_style(styleName, content)
get_bucket_style(styleName)
list_bucket_style()
delete_bucket_style(styleName)
"""

SERVICE = """
"""


def parse(table):
    """[(family, name, inspect.Signature), ...] for a table such as BUCKET."""
    out = []
    family = ""
    for line in table.strip().splitlines():
        line = line.strip()
        if line.startswith("#"):
            family = line[1:].strip()
            continue
        name, params = line.split("(", 1)
        out.append((family, name, _signature("self, " + params[:-1] if params[:-1] else "self")))
    return out


def _signature(params):
    func = ast.parse("def f({0}): pass".format(params)).body[0]
    assert isinstance(func, ast.FunctionDef)
    args = func.args
    positional = args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    return inspect.Signature([
        inspect.Parameter(a.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          default=inspect.Parameter.empty if d is None else ast.literal_eval(d))
        for a, d in zip(positional, defaults)])


def _stub(cls_name, family, name, signature):
    operation = "{0}.{1}".format(cls_name, name)

    def unsupported(*args, **kwargs):
        signature.bind(*args, **kwargs)  # the TypeError a real call with these arguments would give
        raise UnsupportedOperation(operation, family)

    unsupported.__name__ = name
    unsupported.__qualname__ = operation
    unsupported.__signature__ = signature  # type: ignore[attr-defined]  # inspect.signature reads it
    unsupported.__doc__ = "oss2's {0} ({1}): not supported by pyjindo; raises UnsupportedOperation.".format(
        operation, family)
    return unsupported


def install(cls, table):
    """Add the table's operations to cls, except those it already has."""
    for family, name, signature in parse(table):
        if not hasattr(cls, name):
            setattr(cls, name, _stub(cls.__name__, family, name, signature))


def _unsupported_class(name, family):
    """A class of oss2's that pyjindo lacks: constructing it raises UnsupportedOperation."""

    def __init__(self, *args, **kwargs):
        raise UnsupportedOperation(name, family)

    return type(name, (object,), {"__init__": __init__, "__doc__": "oss2's {0} ({1}): not supported by pyjindo; "
                                  "constructing it raises UnsupportedOperation.".format(name, family)})


LiveChannelIterator = _unsupported_class("LiveChannelIterator", "live channels (RTMP ingest)")
