"""10,000 operations (gets, puts, listings, errors, streams left half-read) keep memory, goroutines
and handles flat."""
import gc
import os

import pyjindo
from pyjindo import exceptions


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def test_ten_thousand_operations_leak_nothing(server, fresh_bucket_name, tmp_path):
    b = pyjindo.Bucket(pyjindo.Auth(server.access_key_id, server.access_key_secret), server.endpoint,
                       fresh_bucket_name, part_size=100 * 1024)
    b.create_bucket()
    blob = os.urandom(300 * 1024)  # three parts: the parallel paths run too
    b.put_object("big", blob)
    target = str(tmp_path / "out")

    def one(i):
        k = i % 10
        if k == 0:
            b.put_object("k%d" % (i % 50), b"x" * (i % 2000))
        elif k == 1:
            assert b.get_object("big").read() == blob
        elif k == 2:
            r = b.get_object("big")
            r.read(1000)  # half-read and dropped: the stream must be released
        elif k == 3:
            assert len(b.get_object("big", byte_range=(10, 99)).read()) == 90
        elif k == 4:
            b.list_objects(max_keys=20)
        elif k == 5:
            try:
                b.get_object("missing")
            except exceptions.NoSuchKey:
                pass
        elif k == 6:
            try:
                b.head_object("missing")
            except exceptions.NotFound:
                pass
        elif k == 7:
            b.get_object_to_file("big", target)
        elif k == 8:
            b.get_object_meta("big")
        else:
            list(pyjindo.ObjectIterator(b, max_keys=25))

    for i in range(1000):  # warm up: connection pools, caches, allocator
        one(i)
    gc.collect()
    before_rss, before = rss_mib(), pyjindo._binding.stats()
    for i in range(10000):
        one(i)
    gc.collect()
    after_rss, after = rss_mib(), pyjindo._binding.stats()
    assert after["handles"] == before["handles"], (before, after)
    assert after["goroutines"] <= before["goroutines"] + 10, (before, after)
    assert after_rss - before_rss < 40, (before_rss, after_rss)
    print("RSS %.1f -> %.1f MiB, stats %s -> %s" % (before_rss, after_rss, before, after))
