"""A loopback HTTP server that records the requests it gets, so a test can compare the bytes
oss2 and pyjindo send (request documents, headers) for the same call."""
import http.server
import threading
from urllib.parse import parse_qsl, urlsplit


class Recorded(object):
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query  # dict of the query parameters ('' for a bare name)
        self.headers = headers  # dict, lower-case names
        self.body = body


class Recorder(object):
    """Answers every request with `status` and `body` and keeps what it received."""

    def __init__(self, status=200, body=b""):
        self.requests = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                recorder.requests.append(Recorded(self.command, url.path, dict(parse_qsl(url.query, keep_blank_values=True)),
                                                  {k.lower(): v for k, v in self.headers.items()}, data))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("x-oss-request-id", "recorded")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _answer

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def last(self):
        assert self.requests, "no request was recorded"
        return self.requests[-1]


def sent_by_both(call, headers=("content-md5", "content-type", "x-oss-acl", "x-oss-object-acl")):
    """Run call(oss, bucket) with oss2 and with pyjindo against a recorder; return both requests
    as (method, path, query, chosen headers, body) tuples."""
    import oss2
    import pyjindo
    out = []
    for oss in (oss2, pyjindo):
        with Recorder() as rec:
            bucket = oss.Bucket(oss.Auth("ak", "sk"), rec.endpoint, "rec-bucket")
            call(oss, bucket)
            r = rec.last()
            out.append((r.method, r.path, r.query, {h: r.headers.get(h) for h in headers}, r.body))
    return out
