"""oss2.http's names. oss2 sends through a requests session; pyjindo sends from its Go core,
which keeps its own connection pool per Bucket/Service (sized for parallel transfers), so a
Session here only carries oss2's arguments: `Bucket(..., session=oss2.Session())` works and
changes nothing."""
from . import defaults
from ._version import __version__
from .exceptions import UnsupportedOperation
from .utils import CaseInsensitiveDict  # noqa: F401  (oss2.http exports it)

#: the User-Agent pyjindo's requests carry (followed by "/" and app_name when one is given)
USER_AGENT = "pyjindo/{0}".format(__version__)


class Session(object):
    """Accepted wherever oss2 takes a session. `pool_size` and `adapter` are kept but unused:
    connections are pooled in Go."""

    def __init__(self, pool_size=None, adapter=None):
        self.pool_size = pool_size or defaults.connection_pool_size
        self.adapter = adapter

    def do_request(self, req, timeout):
        """oss2 sends a raw oss2.http.Request here; pyjindo has no Python HTTP path."""
        raise UnsupportedOperation("Session.do_request", "raw HTTP requests through oss2's requests session")
