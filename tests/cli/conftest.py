"""The built `jindo` binary against `jindo server`, as a user runs it."""
import os
import secrets
import subprocess
import sys

import oss2
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from jindo_server import READY, _readline_within, ensure_built  # noqa: E402


class Server(object):
    """A jindo server whose request log (--verbose) goes to a file the test can read."""

    def __init__(self, tmp_path, *args):
        self.jindo = ensure_built()
        self.ak, self.sk = "cli-ak", secrets.token_hex(8)
        self.log = tmp_path / "server.log"
        self._log = open(self.log, "w")
        self.proc = subprocess.Popen(self.jindo + ["server", "--addr", "127.0.0.1:0", "--memory", "--verbose",
                                                   "--access-key-id", self.ak, "--access-key-secret", self.sk,
                                                   "--bucket", "bkt"] + list(args),
                                     stdout=subprocess.PIPE, stderr=self._log, text=True)
        line = _readline_within(self.proc.stdout, 30)
        if not line.startswith(READY):
            self.proc.kill()
            raise RuntimeError("jindo server did not start: %r" % line)
        self.endpoint = "http://" + line[len(READY):].strip()
        self.config = tmp_path / "ossutilconfig"
        self.config.write_text("[Credentials]\nlanguage=EN\nendpoint=%s\naccessKeyID=%s\naccessKeySecret=%s\n"
                               % (self.endpoint, self.ak, self.sk))
        self.bucket = oss2.Bucket(oss2.Auth(self.ak, self.sk), self.endpoint, "bkt")

    def command(self, *args):
        return self.jindo + list(args) + ["-c", str(self.config)]

    def run(self, *args, stdin=None, timeout=120, **kw):
        return subprocess.run(self.command(*args), capture_output=True, text=True, timeout=timeout,
                              input=stdin, **kw)

    def requests(self):
        with open(self.log) as f:
            return [l for l in f if "msg=request" in l]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self._log.close()


@pytest.fixture
def make_server(tmp_path):
    servers = []

    def make(*args):
        s = Server(tmp_path, *args)
        servers.append(s)
        return s
    yield make
    for s in servers:
        s.stop()


@pytest.fixture
def srv(make_server):
    return make_server()
