"""A local stand-in for Alibaba Cloud KMS: the three calls oss2's AliKMSProvider makes
(GenerateDataKey, Encrypt, Decrypt), RPC-style requests whose HMAC-SHA1 signature it checks.
A CiphertextBlob is opaque to clients; here it names the master key and the encryption context,
so Decrypt under another context (passphrase) fails as real KMS does."""
import base64
import hashlib
import hmac
import json
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit


def _enc(s):
    return quote(s, safe="-_.~")


def rpc_signature(method, params, secret):
    canonical = "&".join(_enc(k) + "=" + _enc(params[k]) for k in sorted(params) if k != "Signature")
    to_sign = method + "&%2F&" + _enc(canonical)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeKMS(object):
    """`with FakeKMS(ak, sk, keys={"cmk-id"}) as kms:` then kms.endpoint ("http://127.0.0.1:port");
    kms.calls counts the requests by action."""

    def __init__(self, access_key_id, access_key_secret, keys):
        self.access_key_id, self.access_key_secret, self.keys = access_key_id, access_key_secret, set(keys)
        self.calls = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.timeout = 5
        self.endpoint = "http://127.0.0.1:%d" % self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer(self, params):
        """(status, JSON document) for one request's parameters."""
        request_id = str(uuid.uuid4()).upper()

        def error(status, code, message):
            return status, {"RequestId": request_id, "HostId": "kms.local", "Code": code, "Message": message}

        if params.get("AccessKeyId") != self.access_key_id:
            return error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if rpc_signature("POST", params, self.access_key_secret) != params.get("Signature"):
            return error(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        action = params.get("Action")
        self.calls[action] = self.calls.get(action, 0) + 1
        context = params.get("EncryptionContext", "")

        def blob(plaintext):
            doc = {"KeyId": params["KeyId"], "Context": context, "Plaintext": plaintext}
            return base64.b64encode(json.dumps(doc).encode()).decode()

        if action in ("GenerateDataKey", "Encrypt") and params.get("KeyId") not in self.keys:
            return error(404, "Forbidden.KeyNotFound", "The specified Key is not found.")
        if action == "GenerateDataKey":
            plaintext = base64.b64encode(os.urandom(int(params.get("NumberOfBytes", "32")))).decode()
            return 200, {"RequestId": request_id, "KeyId": params["KeyId"], "Plaintext": plaintext,
                         "CiphertextBlob": blob(plaintext)}
        if action == "Encrypt":
            return 200, {"RequestId": request_id, "KeyId": params["KeyId"], "CiphertextBlob": blob(params["Plaintext"])}
        if action == "Decrypt":
            try:
                doc = json.loads(base64.b64decode(params["CiphertextBlob"]))
            except (KeyError, ValueError):
                return error(400, "InvalidCiphertext", "The specified Ciphertext is not valid.")
            if doc["Context"] != context:
                return error(400, "InvalidCiphertext", "The EncryptionContext does not match.")
            return 200, {"RequestId": request_id, "KeyId": doc["KeyId"], "Plaintext": doc["Plaintext"]}
        return error(400, "InvalidAction.NotFound", "Specified api is not found.")

    def _handler(self):
        kms = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                params.update(parse_qsl(body, keep_blank_values=True))
                status, doc = kms.answer(params)
                out = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        return Handler
