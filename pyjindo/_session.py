"""The Go session behind a Bucket or Service: oss2's client settings turned into the session
config, the session's lifetime (made on first use, again after fork or when a Go credentials
source changes), the credentials handed to Go and kept current, and every call into Go with
oss2's DEBUG/INFO records around it.
"""
import functools
import json
import logging
import os
import sys
import threading
import time
from types import FrameType
from typing import Any, Dict, Optional

from . import _binding, _ops, _retrylog, _wire, defaults, exceptions
from ._response import Response, quick_parts
from .compat import to_string
from .credentials import logger as credentials_logger
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
#: How often a call under way asks a Python credentials provider again, in seconds. oss2 asks
#: it before every request; a pyjindo call makes its requests (parts, pages) in Go, so its wait
#: loop asks at this pace and pushes keys that changed into the live session.
PROVIDER_POLL_SECONDS = 0.5


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


@functools.lru_cache(maxsize=None)
def _public_methods(cls: Any) -> Dict[Any, str]:
    """{code object: name} of cls's public methods (pyjindo.aio's wrappers unwrapped to the sync
    methods they run), to find on the stack the one a call was made from."""
    codes = {}
    for name in dir(cls):
        if name.startswith("_"):
            continue
        fn: Any = getattr(cls, name, None)
        while hasattr(fn, "__wrapped__"):
            fn = fn.__wrapped__
        code = getattr(fn, "__code__", None)
        if code is not None:
            codes[code] = name
    return codes


# How the DEBUG records name the Go operations, in oss2's words ("Start to get object, ...").
_LOG_NAMES = {_ops.GET_OPEN: "get object", _ops.GET_TO_FILE: "get object to file",
              _ops.BATCH_DELETE: "batch delete objects", _ops.COMPLETE_MULTIPART: "complete multipart upload"}


class GoClient(object):
    """What Bucket and Service share: oss2's client settings and the Go session they run on.

    The session is made on first use, and made again after os.fork() (the child has a fresh
    library) or when the auth's Go credentials source changes (the environment snapshot of
    EnvironmentVariableCredentialsProvider); a call holds its session until it ends. Keys from
    a Python provider (any CredentialsProvider that is not a Go source, StsAuth, Auth) are asked
    for at the start of every call and every PROVIDER_POLL_SECONDS while it runs, and keys that
    changed are pushed into the live session (set_credentials): its later requests and parts
    sign with them, on the same connections. A Go source's failed refreshes (keys still valid)
    are drained from the session after every call and while one runs, and logged at WARNING on
    "oss2.pyjindo.credentials".
    """

    # The two crossings into Go every call goes through: pyjindo.aio's classes replace them with
    # ones that start the operation and suspend the coroutine until it ends.
    _run = staticmethod(_binding.call)

    @staticmethod
    def _run_quick(session, kind, block, buf, finish, ticker=None, operation=None):
        """finish(the quick call's (generation, result bytes)): what `_quick` returns; ticker(session)
        gives the tick of a call that does not end at once (_credentials_ticker); operation()
        names the call's retries in the retry log."""
        return finish(_binding.call_quick(session, kind, block, buf, ticker=ticker, operation=operation))
    # whether _run_quick logs the quick call's retries (pyjindo.aio's does not: it leaves calls
    # to the JSON door while the retry logger is on)
    _quick_logs_retries = True
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
        self._go = None  # [what it signs with: keys tuple or Go source spec, session Handle, the auth]

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
            # only AnonymousAuth signs nothing: empty keys are signed, and refused, as in oss2
            "sign_version": self.auth.auth_version() or "anonymous",
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

    def _credentials(self):
        """The auth's keys as of now (a tuple), or its Go source's spec (JSON text)."""
        return self.auth._go_credentials()

    def _lock(self):
        gen, lock = self._go_lock
        if gen != _binding.generation():
            # forked: a parent thread may have held the lock at fork time; none will release it here
            lock = threading.Lock()
            self._go_lock = (_binding.generation(), lock)
        return lock

    def _session(self):
        """The Go session, made on first use and again after fork or when the Go source changes;
        a Python provider's keys, asked now, pushed into it if they changed."""
        credentials = self._credentials()
        go = self._go
        # the common case, without the lock: the same auth, keys and library as last time
        if go is not None and go[0] == credentials and go[2] is self.auth and go[1].generation == _binding._generation:
            return go[1]
        with self._lock():
            go = self._go
            # Another auth object (bucket.auth = AuthV4(...), as oss2 users rotate) may sign
            # another way: a new session. The same one's new keys go into the live session.
            if go is None or not go[1].alive() or go[2] is not self.auth or (go[0] != credentials and (
                    isinstance(credentials, str) or isinstance(go[0], str))):
                self._go = go = [credentials, _binding.new_session(self._go_config(credentials)), self.auth]
            elif go[0] != credentials:
                self._push(go, credentials)
            return go[1]

    @staticmethod
    def _push(go, keys):
        """Give the live session go[1] new keys; the caller holds the lock."""
        ak, sk, token = keys
        _binding.call(go[1], _ops.SET_CREDENTIALS, {"access_key_id": ak, "access_key_secret": sk,
                                                    "security_token": token})
        go[0] = keys

    def _log_refresh_failures(self, session):
        """Log the failed refreshes of the session's Go credentials source since the last time."""
        go = self._go
        if session is None or go is None or go[1] is not session or type(go[0]) is not str:
            return  # not a session signing with a Go source (whose refreshes may fail)
        messages, dropped = _binding.session_warnings(session)
        for m in messages:
            credentials_logger.warning(m)
        if dropped:
            credentials_logger.warning("{0} more failed credential refreshes were not logged".format(dropped))

    def _credentials_ticker(self, session):
        """For a call on `session`: the wait loop's tick. With a Go source it logs the source's
        failed refreshes; with keys from Python it asks the provider again every
        PROVIDER_POLL_SECONDS and pushes keys that changed. None when nothing is signed or the keys
        are fixed (oss2's Auth classes)."""
        go = self._go
        if go is None or go[1] is not session or not self.auth.auth_version():
            return None
        if isinstance(go[0], str):
            return functools.partial(self._log_refresh_failures, session)
        if getattr(self.auth, "_fixed_keys", lambda: False)():
            return None  # asked at the call's start; nothing to ask again (no timer on the loop)
        next_ask = [time.monotonic() + PROVIDER_POLL_SECONDS]
        live: Any = go  # [keys, Handle] when the call started

        def tick():
            now = time.monotonic()
            if now < next_ask[0]:
                return
            next_ask[0] = now + PROVIDER_POLL_SECONDS
            keys = self._credentials()
            with self._lock():
                if live[0] != keys and not isinstance(keys, str) and live is self._go:
                    self._push(live, keys)
        return tick

    def _call(self, name, args, buf=None, progress_callback=None, progress_total=_binding.TOTAL_FROM_GO,
              progress_start_at=None, log=True, report=None, operation=None):
        """One Go operation. With log (every operation but the reads of an open body, which would
        flood DEBUG with a pair per chunk) it is logged once at its start and once at its end at
        DEBUG, as oss2 logs each API call; a ServerError is logged at INFO, as oss2 does. Retries
        are logged by _binding.call, named by `_operation` (`operation`: the name when no public
        method of this client made the call); report as there."""
        session = self._session()  # held until the call ends
        if report is not None or _retrylog.logger.isEnabledFor(logging.INFO):
            operation = self._operation(operation or name)
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
                               report, operation, tick=self._credentials_ticker(session))
        except exceptions.ServerError as e:
            logger.info("Exception: {0}".format(e))  # as oss2 logs every error response
            raise
        finally:
            self._log_refresh_failures(session)
        if debug:
            logger.debug("{0} done, req_id: {1}, status_code: {2}".format(
                done, result.get("request_id"), result.get("status")))
        return result

    def _quick_operation(self):
        """_operation for a quick call's retries (asked for from _binding.call_quick)."""
        return self._operation(None)

    def _operation(self, default):
        """The public method of this client a call was made from, as the user called it: the
        outermost one on the stack (put_object_from_file, not the put_object it calls), else
        default. Asked only when the call's retries are logged."""
        cls: Any = type(self)  # hashable (mypy takes a class for an unhashable type)
        codes = _public_methods(cls)
        found = default
        f: Optional[FrameType] = sys._getframe(2)
        while f is not None:
            found = codes.get(f.f_code, found)
            f = f.f_back
        return found

    def _quick_block(self, method, bucket_name, key, params, headers, parse, crc_operation):
        """The arguments of a quick call (go/ops quick.go) as one NUL-separated block (params and
        headers as _wire encodes them), or None when the quick door does not apply: DEBUG logging
        (its records come from the JSON door), the retry logger on where _run_quick does not log
        retries, or a NUL or an unencodable character in an argument."""
        if logger.isEnabledFor(logging.DEBUG) or (
                not self._quick_logs_retries and _retrylog.logger.isEnabledFor(logging.INFO)):
            return None
        fields = [method, bucket_name, key, crc_operation or "", parse or "", str(len(params)) if params else "0"]
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

    def _quick(self, kind, block, buf=None, then=None, otherwise=None):
        """Run a quick call: then(a Response) for QUICK_REQUEST (the Response without then); for
        QUICK_GET then(generation, quick_parts tuple or, from the JSON form, the result dict).
        otherwise(the ServerError), if given, answers for a call that failed so (object_exists).
        Everything after the call into Go is in `then` and `otherwise`, so a method whose last
        act this is (`ends_in_quick_call`) is finished by pyjindo.aio from the call's outcome
        without being run again."""
        session = self._session()
        try:
            return self._run_quick(session, kind, block, buf, functools.partial(_quick_result, kind, then, otherwise),
                                   ticker=self._credentials_ticker, operation=self._quick_operation)
        finally:
            self._log_refresh_failures(session)

    def _do(self, method, bucket_name, key, params=None, headers=None, data=None, parse=None,
            progress_callback=None, crc_operation=None, init_crc=None, transfer=None, progress_start_at=None,
            then=None, otherwise=None):
        """One signed request; returns a Response whose `body` is the parsed document, if any (or
        then(that Response), or otherwise(the ServerError it failed with): see `_quick`).
        crc_operation ("put_object", "append_object" or "upload_part") asks Go to compare the CRC64
        of the body sent with the server's (when enable_crc), naming the operation in the error;
        transfer overrides the bucket's multipart_threshold / part_size for this request;
        progress_start_at as in _binding.call."""
        body_args, buf, total = _wire.body(data) if data is not None else _wire.NO_BODY
        key = key if type(key) is str else to_string(key)
        params = _wire.params(params) if params else []
        headers = _wire.headers(headers) if headers else []
        if (progress_callback is None and not body_args and transfer is None and init_crc is None
                and progress_start_at is None):
            block = self._quick_block(method, bucket_name, key, params, headers, parse,
                                      crc_operation if self.enable_crc else None)
            if block is not None:
                return self._quick(_binding.QUICK_REQUEST, block, buf, then, otherwise)
        args = {
            "method": method,
            "bucket": bucket_name,
            "key": key,
            "params": params,
            "headers": headers,
            "parse": parse or "",
        }
        if crc_operation is not None and self.enable_crc:
            args["check_crc"] = True
            args["operation"] = crc_operation
        if init_crc is not None:
            args["init_crc"] = str(init_crc)
        args.update(body_args)
        args.update(transfer or {})
        try:
            result = self._call(_ops.REQUEST, args, buf, progress_callback, total, progress_start_at)
        except exceptions.ServerError as e:
            if otherwise is None:
                raise
            return otherwise(e)
        if "fd" in body_args:  # oss2 leaves the file position at the end of what it sent
            os.lseek(body_args["fd"], body_args["offset"] + body_args["size"], os.SEEK_SET)
            data.seek(body_args["offset"] + body_args["size"])
        resp = Response.from_result(result)
        return resp if then is None else then(resp)


def _quick_result(kind, then, otherwise, outcome):
    """What a quick call returns (GoClient._quick), from its (generation, result bytes)."""
    gen, data = outcome
    if data[:1] == b"J":
        try:
            result = _binding.quick_json(gen, data)
        except exceptions.ServerError as e:
            logger.info("Exception: {0}".format(e))  # as oss2 logs every error response
            if otherwise is None:
                raise
            return otherwise(e)
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
