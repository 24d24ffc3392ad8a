"""Doubles of the services credentials come from, on 127.0.0.1: an ECS metadata service and STS
(AssumeRoleWithOIDC), each handing out numbered temporary keys that live `life` seconds and
writing every key it issues into a keys file that `jindo server --keys-file` accepts until the
key expires. Point pyjindo at them with ALIBABA_CLOUD_IMDS_ENDPOINT / ALIBABA_CLOUD_STS_ENDPOINT.
"""
import datetime
import http.server
import json
import os
import subprocess
import threading
import urllib.parse

from jindo_server import READY, _readline_within, ensure_built

#: the names the credentials variables of go/oss/credentials start with
CREDENTIAL_VARIABLE_PREFIXES = ("ALIBABA_CLOUD_", "OSS_")


def clear_credentials_environment(monkeypatch, home):
    """No credentials anywhere: no variables, and a HOME without ~/.ossutilconfig."""
    for name in list(os.environ):
        if name.startswith(CREDENTIAL_VARIABLE_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))


def _expiration(seconds):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # RFC 3339 with a fraction: lives shorter than a second work


class KeyIssuer(object):
    """Numbered temporary keys, each appended to the keys file as it is issued."""

    def __init__(self, keys_file, life, prefix):
        self.keys_file, self.life, self.prefix = str(keys_file), life, prefix
        self.issued = []
        self.lock = threading.Lock()
        self._write()

    def issue(self, life=None):
        with self.lock:
            n = len(self.issued) + 1
            key = {"AccessKeyId": "STS.%s-%d" % (self.prefix, n), "AccessKeySecret": "secret-%d" % n,
                   "SecurityToken": "token-%d" % n, "Expiration": _expiration(self.life if life is None else life)}
            self.issued.append(key)
            self._write()
            return key

    def _write(self):
        tmp = self.keys_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.issued, f)
        os.replace(tmp, self.keys_file)


class _Service(object):
    def __init__(self, handler):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _quiet(handler):
    handler.log_message = lambda self, *args: None
    return handler


class Metadata(_Service):
    """The ECS metadata service of an instance with RAM role `role`: IMDSv2 token, role list,
    the role's credentials. `down` makes every credentials request fail with 500."""

    def __init__(self, issuer, role="pyjindo-role"):
        self.issuer, self.role, self.down, self.requests = issuer, role, False, []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self):
                outer.requests.append("PUT " + self.path)
                self._answer(200, b"imds-token" if self.path == "/latest/api/token" else b"")

            def do_GET(self):
                outer.requests.append("GET " + self.path)
                base = "/latest/meta-data/ram/security-credentials/"
                if self.headers.get("X-aliyun-ecs-metadata-token") != "imds-token":
                    self._answer(401, b"token required")
                elif self.path == base:
                    self._answer(200, outer.role.encode())
                elif self.path == base + outer.role and not outer.down:
                    self._answer(200, json.dumps(dict(outer.issuer.issue(), Code="Success")).encode())
                else:
                    self._answer(500 if outer.down else 404, b"no")

            def _answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(_quiet(Handler))


class STS(_Service):
    """STS answering AssumeRoleWithOIDC for role `role_arn` when the OIDC token is one it trusts."""

    def __init__(self, issuer, role_arn, trusted_tokens):
        self.issuer, self.role_arn, self.trusted, self.tokens_seen = issuer, role_arn, set(trusted_tokens), []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                token = form.get("OIDCToken", [""])[0]
                outer.tokens_seen.append(token)
                if query.get("Action") != ["AssumeRoleWithOIDC"] or form.get("RoleArn") != [outer.role_arn] \
                        or token not in outer.trusted:
                    status, doc = 400, {"RequestId": "r", "Code": "InvalidParameter", "Message": "refused"}
                else:
                    status, doc = 200, {"RequestId": "r", "Credentials": outer.issuer.issue()}
                body = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(_quiet(Handler))


class LoggingServer(object):
    """`jindo server --verbose` with its log in a file (a pipe nobody reads would fill and stall it)
    and the given extra arguments; .endpoint, .log_lines(), .stop()."""

    def __init__(self, log_path, *args, timeout=30):
        self.log_path = str(log_path)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(ensure_built() + ["server", "--addr", "127.0.0.1:0", "--memory", "--verbose"]
                                     + list(args), stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = _readline_within(self.proc.stdout, timeout)
        if not line.startswith(READY):
            self.stop()
            raise RuntimeError("jindo server did not start: %r" % line)
        self.endpoint = "http://" + line[len(READY):].strip()

    def log_lines(self):
        with open(self.log_path) as f:
            return f.read().splitlines()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
