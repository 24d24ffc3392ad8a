"""The Go session behind a Bucket or Service: oss2's client settings turned into the session
config, the session's lifetime (made on first use, again after fork or a key rotation), the
credentials handed to Go, and every call into Go with oss2's DEBUG/INFO records around it.
"""
import functools
import json
import logging
import os
import threading

from . import _binding, _ops, _wire, defaults, exceptions
from ._response import Response, quick_parts
from .compat import to_string
from .exceptions import ClientError

# oss2 users filter on this name; the records are the api's, as in oss2
logger = logging.getLogger("oss2.pyjindo.api")

#: PutObject bodies at least this large go up as a parallel multipart upload (the object's type is
#: then Multipart and its ETag is not the MD5 of the content). Bucket(multipart_threshold=None)
#: keeps oss2's single PUT for every size.
DEFAULT_MULTIPART_THRESHOLD = 64 * 1024 * 1024
#: Bytes per ranged GET of a download, and per part of a multipart upload.
DEFAULT_PART_SIZE = 8 * 1024 * 1024
#: Connections one transfer uses at once.
DEFAULT_CONCURRENCY = 8
#: Attempts for an idempotent request, a transfer part or a listing page (1 = no retry), and the
#: time budget for retrying one of them, in seconds (one policy, go/oss/retry). Appends and other
#: POSTs are never retried.
DEFAULT_RETRY_ATTEMPTS = 3
DEFAULT_RETRY_TIME = 30.0


@functools.lru_cache(maxsize=64)
def endpoint_info(endpoint):
    """(URL, region) of an endpoint as Go reads it (go/oss.ParseEndpoint, the one rule): the URL
    with its scheme, as oss2's Bucket.endpoint, and the region an OSS endpoint names ("" if
    none). An endpoint Go refuses raises oss2's ClientError. Go is asked once per endpoint, by a
    session that only parses it: nothing is sent."""
    session = _binding.new_session({"endpoint": endpoint})
    try:
        info = _binding.call(session, _ops.ENDPOINT, {})
    finally:
        session.free()
    return info["endpoint"], info["region"]


# How the DEBUG records name the Go operations, in oss2's words ("Start to get object, ...").
_LOG_NAMES = {_ops.GET_OPEN: "get object", _ops.GET_TO_FILE: "get object to file",
              _ops.BATCH_DELETE: "batch delete objects", _ops.COMPLETE_MULTIPART: "complete multipart upload"}


class GoClient(object):
    """What Bucket and Service share: oss2's client settings and the Go session they run on.

    The session is made on first use, and made again after os.fork() (the child has a fresh
    library) or when the auth's keys change (a rotation); a call holds its session until it
    ends, so a rotation never frees one under way.
    """

    # The two crossings into Go every call goes through: pyjindo.aio's classes replace them with
    # ones that start the operation and suspend the coroutine until it ends.
    _run = staticmethod(_binding.call)

    @staticmethod
    def _run_quick(session, kind, block, buf, finish):
        """finish(the quick call's (generation, result bytes)): what `_quick` returns."""
        return finish(_binding.call_quick(session, kind, block, buf))
    # idle connections the Go session keeps (0: go/oss's default); pyjindo.aio's match its calls in flight
    _connections = 0

    def __init__(self, auth, endpoint, is_cname, session, connect_timeout, app_name="", enable_crc=True,
                 proxies=None, region=None, cloudbox_id=None, is_path_style=False, is_verify_object_strict=True,
                 multipart_threshold=DEFAULT_MULTIPART_THRESHOLD, part_size=DEFAULT_PART_SIZE,
                 concurrency=DEFAULT_CONCURRENCY, retry_attempts=DEFAULT_RETRY_ATTEMPTS,
                 retry_time=DEFAULT_RETRY_TIME):
        self.auth = auth
        self.endpoint = endpoint_info(endpoint)[0]
        self.session = session
        self.timeout = defaults.get(connect_timeout, defaults.connect_timeout)
        self.app_name = app_name
        self.enable_crc = enable_crc
        self.proxies = proxies
        self.region = region
        # oss2's attributes. The Go core does not sign for CloudBox (product "oss-cloudbox") yet.
        self.product = "oss" if cloudbox_id is None else "oss-cloudbox"
        self.cloudbox_id = cloudbox_id
        self.is_cname = is_cname
        self.is_path_style = is_path_style
        self.is_verify_object_strict = is_verify_object_strict
        if hasattr(auth, "auth_version") and auth.auth_version() != "v1":
            self.is_verify_object_strict = False
        if multipart_threshold is not None and multipart_threshold < 1:
            raise ClientError("multipart_threshold must be a positive size or None")
        if part_size < 100 * 1024 or concurrency < 1:
            raise ClientError("part_size must be at least 100 KiB and concurrency at least 1")
        self.multipart_threshold = multipart_threshold
        self.part_size = int(part_size)
        self.concurrency = int(concurrency)
        if retry_attempts < 1 or retry_time <= 0:
            raise ClientError("retry_attempts must be at least 1 and retry_time positive")
        self.retry_attempts = int(retry_attempts)
        self.retry_time = float(retry_time)
        self._go_lock = (_binding.generation(), threading.Lock())
        self._go = None  # (credentials, session Handle)

    def _go_config(self, credentials):
        spec = None
        if isinstance(credentials, str):  # a Go credentials source, asked by Go before each request
            spec, credentials = json.loads(credentials), ("", "", "")
        ak, sk, token = credentials
        config = {
            "endpoint": self.endpoint,
            "is_cname": bool(self.is_cname),
            "is_path_style": bool(self.is_path_style),
            "connect_timeout": float(self.timeout),
            "enable_crc": bool(self.enable_crc),
            "region": self.region or "",
            "sign_version": self.auth.auth_version() or ("anonymous" if not ak and spec is None else "v1"),
            "access_key_id": ak,
            "access_key_secret": sk,
            "security_token": token,
            "app_name": self.app_name or "",
            "proxy": (self.proxies or {}).get(self.endpoint.split(":", 1)[0], ""),
            "multipart_threshold": -1 if self.multipart_threshold is None else int(self.multipart_threshold),
            "part_size": self.part_size,
            "concurrency": self.concurrency,
            "retry_attempts": self.retry_attempts,
            "retry_time": self.retry_time,
            "max_conns": self._connections,
        }
        if spec is not None:
            config["credentials"] = spec
        return config

    def _session(self):
        """The Go session for the current credentials, re-created after fork or key rotation."""
        go_credentials = getattr(self.auth, "_go_credentials", None)
        credentials = go_credentials() if go_credentials is not None else self.auth._credentials()
        gen, lock = self._go_lock
        if gen != _binding.generation():
            # forked: a parent thread may have held the lock at fork time; none will release it here
            lock = threading.Lock()
            self._go_lock = (_binding.generation(), lock)
        with lock:
            go = self._go
            if go is None or not go[1].alive() or go[0] != credentials:
                self._go = go = (credentials, _binding.new_session(self._go_config(credentials)))
            return go[1]

    def _call(self, name, args, buf=None, progress_callback=None, progress_total=_binding.TOTAL_FROM_GO,
              progress_start_at=None, log=True, report=None):
        """One Go operation. With log (every operation but the reads of an open body, which would
        flood DEBUG with a pair per chunk) it is logged once at its start and once at its end at
        DEBUG, as oss2 logs each API call; a ServerError is logged at INFO, as oss2 does. Retries
        are logged by _binding.call; report as there."""
        session = self._session()  # held until the call ends, so a key rotation cannot free it
        debug = log and logger.isEnabledFor(logging.DEBUG)
        if debug:
            if name == _ops.REQUEST:
                what, done = "send {0} request".format(args["method"]), "{0} request".format(args["method"])
            else:
                what = _LOG_NAMES.get(name, name.replace("_", " "))
                done = what[:1].upper() + what[1:]
            logger.debug("Start to {0}, bucket: {1}, key: {2}, params: {3}, headers: {4}".format(
                what, args.get("bucket"), args.get("key"), args.get("params"), args.get("headers")))
        try:
            result = self._run(session, name, args, buf, progress_callback, progress_total, progress_start_at,
                                   report)
        except exceptions.ServerError as e:
            logger.info("Exception: {0}".format(e))  # as oss2 logs every error response
            raise
        if debug:
            logger.debug("{0} done, req_id: {1}, status_code: {2}".format(
                done, result.get("request_id"), result.get("status")))
        return result

    def _quick_block(self, method, bucket_name, key, params, headers, parse, crc_operation):
        """The arguments of a quick call (go/ops quick.go) as one NUL-separated block (params and
        headers as _wire encodes them), or None
        when the quick door does not apply: DEBUG logging or the retry logger on (their records
        come from the JSON door), or a NUL or an unencodable character in an argument."""
        if logger.isEnabledFor(logging.DEBUG) or not _binding.quick_allowed():
            return None
        fields = [method, bucket_name, key, crc_operation or "", parse or "", str(len(params))]
        for kv in params:
            fields += kv
        for kv in headers:
            fields += kv
        block = "\0".join(fields)
        if block.count("\0") != len(fields) - 1:
            return None
        try:
            return block.encode("utf-8")
        except UnicodeEncodeError:
            return None

    def _quick(self, kind, block, buf=None, then=None):
        """Run a quick call: then(a Response) for QUICK_REQUEST (the Response without then); for
        QUICK_GET then(generation, quick_parts tuple or, from the JSON form, the result dict).
        Everything after the call into Go is in `then`, so a method whose last act this is
        (`ends_in_quick_call`) is finished by pyjindo.aio from the call's outcome without being
        run again."""
        return self._run_quick(self._session(), kind, block, buf, functools.partial(_quick_result, kind, then))

    def _do(self, method, bucket_name, key, params=None, headers=None, data=None, parse=None,
            progress_callback=None, crc_operation=None, init_crc=None, transfer=None, progress_start_at=None,
            then=None):
        """One signed request; returns a Response whose `body` is the parsed document, if any (or
        then(that Response): see `_quick`).
        crc_operation ("put_object", "append_object" or "upload_part") asks Go to compare the CRC64
        of the body sent with the server's (when enable_crc), naming the operation in the error;
        transfer overrides the bucket's multipart_threshold / part_size for this request;
        progress_start_at as in _binding.call."""
        body_args, buf, total = _wire.body(data)
        if (progress_callback is None and not body_args and transfer is None and init_crc is None
                and progress_start_at is None):
            block = self._quick_block(method, bucket_name, to_string(key), _wire.params(params),
                                      _wire.headers(headers), parse, crc_operation if self.enable_crc else None)
            if block is not None:
                return self._quick(_binding.QUICK_REQUEST, block, buf, then)
        args = {
            "method": method,
            "bucket": bucket_name,
            "key": to_string(key),
            "params": _wire.params(params),
            "headers": _wire.headers(headers),
            "parse": parse or "",
        }
        if crc_operation is not None and self.enable_crc:
            args["check_crc"] = True
            args["operation"] = crc_operation
        if init_crc is not None:
            args["init_crc"] = str(init_crc)
        args.update(body_args)
        args.update(transfer or {})
        result = self._call(_ops.REQUEST, args, buf, progress_callback, total, progress_start_at)
        if "fd" in body_args:  # oss2 leaves the file position at the end of what it sent
            os.lseek(body_args["fd"], body_args["offset"] + body_args["size"], os.SEEK_SET)
            data.seek(body_args["offset"] + body_args["size"])
        resp = Response.from_result(result)
        return resp if then is None else then(resp)


def _quick_result(kind, then, outcome):
    """What a quick call returns (GoClient._quick), from its (generation, result bytes)."""
    gen, data = outcome
    if data[:1] == b"J":
        try:
            result = _binding.quick_json(gen, data)
        except exceptions.ServerError as e:
            logger.info("Exception: {0}".format(e))  # as oss2 logs every error response
            raise
        if kind != _binding.QUICK_REQUEST:
            return then(gen, result)
        resp = Response.from_result(result)
    else:
        parts = quick_parts(data)
        if kind != _binding.QUICK_REQUEST:
            return then(gen, parts)
        resp = Response.from_quick(parts)
    return resp if then is None else then(resp)


def ends_in_quick_call(method):
    """Marks a method whose last act is a quick call (`GoClient._quick`) whose `then` makes the
    method's result from the response: pyjindo.aio then awaits that call and finishes the
    method with `then` instead of running it again (see pyjindo/aio.py)."""
    method.ends_in_quick_call = True
    return method
