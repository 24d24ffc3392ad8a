"""Start and stop `jindo server` for tests: builds bin/jindo when missing, waits for its ready line."""
import os
import secrets
import shlex
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JINDO = os.path.join(ROOT, "bin", "jindo")
READY = "jindo server listening on http://"


def ensure_built():
    """The jindo command: $PYJINDO_TEST_JINDO when set (tests/install points it at an installed
    wheel's jindo, or `qemu-aarch64-static .../jindo`), else bin/jindo built through make."""
    if os.environ.get("PYJINDO_TEST_JINDO"):
        return shlex.split(os.environ["PYJINDO_TEST_JINDO"])
    subprocess.run(["make", "-s", "-C", ROOT, "bin/jindo"], check=True, timeout=600)
    return [JINDO]


class JindoServer(object):
    """A running jindo server: .endpoint, .access_key_id, .access_key_secret, .stop()."""

    def __init__(self, *args, access_key_id=None, access_key_secret=None, timeout=30):
        jindo = ensure_built()
        self.access_key_id = access_key_id or "test-ak-" + secrets.token_hex(4)
        self.access_key_secret = access_key_secret or secrets.token_hex(16)
        cmd = jindo + ["server", "--addr", "127.0.0.1:0",
                       "--access-key-id", self.access_key_id, "--access-key-secret", self.access_key_secret]
        cmd += list(args)
        if "--root" not in args:
            cmd.append("--memory")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = _readline_within(self.proc.stdout, timeout)
        if not line.startswith(READY):
            self.proc.kill()
            raise RuntimeError("jindo server did not start: %r %s" % (line, self.proc.stderr.read()))
        self.address = line[len(READY):].strip()
        self.endpoint = "http://" + self.address

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _readline_within(stream, timeout):
    out = []
    t = threading.Thread(target=lambda: out.append(stream.readline()), daemon=True)
    t.start()
    t.join(timeout)
    return out[0] if out else ""
