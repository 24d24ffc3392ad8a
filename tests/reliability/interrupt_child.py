"""Child process for test_interrupt: starts one slow call, and reports when Ctrl-C surfaced."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import pyjindo  # noqa: E402

endpoint, ak, sk, bucket_name, op, workdir = sys.argv[1:7]
b = pyjindo.Bucket(pyjindo.Auth(ak, sk), endpoint, bucket_name, part_size=1024 * 1024,
                   multipart_threshold=1024 * 1024)
src = os.path.join(workdir, "src.bin")
STALL = {"x-jindo-fault": "stall=60s"}
print("READY", flush=True)
try:
    if op == "read":
        b.get_object("big").read()
    elif op == "read_amt":
        r = b.get_object("big")
        while r.read(64 * 1024):
            pass
    elif op == "to_file":
        b.get_object_to_file("big", os.path.join(workdir, "out.bin"))
    elif op == "put":
        b.put_object("up-" + op, open(src, "rb").read())
    elif op == "put_from_file":
        b.put_object_from_file("up-" + op, src)
    elif op == "head":  # small calls run on the caller's thread within a wait slice, then hand off
        b.head_object("big", headers=STALL)
    elif op == "small_get":
        b.get_object("big", byte_range=(0, 16383), headers=STALL).read()
    elif op == "small_put":
        b.put_object("up-" + op, b"x" * 16384, headers=STALL)
    elif op == "list":
        list(pyjindo.ObjectIterator(b, headers=STALL))
    print(json.dumps({"finished": True}))
except KeyboardInterrupt:
    print(json.dumps({"interrupted_at": time.time()}), flush=True)
