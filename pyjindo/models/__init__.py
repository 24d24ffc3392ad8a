"""Result and parameter classes with oss2.models' names, fields and values, one module per family:
`objects`, `listing`, `multipart`, `buckets`, `settings`, `website`, `constants`, and `common`
(RequestResult and the readers every family uses). Every public name is here too, as oss2's
users import them from `oss2.models`.

Results are built from a `_response.Response`: status, headers (CaseInsensitiveDict), request_id,
duration and `parsed`, the response document already decoded by the Go core. Field values equal
oss2's: ETags without quotes, times as int epoch seconds (HTTP dates in headers, ISO8601 in
documents), CRCs as int, sizes as int; keys URL-decoded where oss2 decodes them.

Parsed documents: go/oss owns their schema. Each document kind (go/oss/parse.go typedDocuments)
is a go/oss struct whose JSON is what `parsed` holds: ints and bools typed, an optional element
OSS left out null, lists always lists, names already decoded when the document says
EncodingType url (as oss2's urlunquote: '+' stays '+'), text otherwise as OSS wrote it (ETags
quoted, times ISO8601). go/oss/testdata/documents has an OSS sample of each kind with its JSON;
tests/test_pymodules.py builds these models from that JSON and compares them with oss2's parse
of the sample.
"""
import json  # noqa: F401  (oss2.models imports json; code that reaches it there keeps working)
import logging
from types import ModuleType as _ModuleType

from .. import utils  # noqa: F401  (the names the single module had, kept for code that used them)
from ..compat import to_string, urlquote, urlunquote  # noqa: F401
from ..exceptions import ClientError, InconsistentError  # noqa: F401
from ..utils import CaseInsensitiveDict, http_to_unixtime, iso8601_to_date, iso8601_to_unixtime  # noqa: F401
from ..headers import *  # noqa: F401,F403  (oss2.models re-exports oss2.headers the same way)
from .access import *  # noqa: F401,F403
from .bucketflags import *  # noqa: F401,F403
from .buckets import *  # noqa: F401,F403
from .common import *  # noqa: F401,F403
from .constants import *  # noqa: F401,F403
from .crypto import *  # noqa: F401,F403
from .domains import *  # noqa: F401,F403
from .families import *  # noqa: F401,F403
from .listing import *  # noqa: F401,F403
from .metaquery import *  # noqa: F401,F403
from .multipart import *  # noqa: F401,F403
from .objects import *  # noqa: F401,F403
from .qos import *  # noqa: F401,F403
from .settings import *  # noqa: F401,F403
from .versions import *  # noqa: F401,F403
from .website import *  # noqa: F401,F403

logger = logging.getLogger("oss2.pyjindo.models")

# oss2.models' public names: the classes and values (and oss2.headers' names), not the helpers
__all__ = [name for name, value in globals().items() if not name.startswith("_")
           and not isinstance(value, _ModuleType) and name not in (
               "logger", "to_string", "urlquote", "urlunquote", "CaseInsensitiveDict", "http_to_unixtime",
               "iso8601_to_date", "iso8601_to_unixtime")]
