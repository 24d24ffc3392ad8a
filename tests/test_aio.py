"""pyjindo.aio: oss2's API as coroutines on the Go engine. Results equal the sync API's; a thousand
concurrent gets in one loop start no thread; a cancelled task cancels its Go operation and leaves
no file and no multipart upload; a Bucket made before fork works in the child's own loop."""
import asyncio
import itertools
import logging
import os
import threading
import time

import pytest

import pyjindo
import pyjindo.aio
from pyjindo import _completion
from jindo_server import JindoServer

_names = itertools.count()


def _auth(server):
    return pyjindo.Auth(server.access_key_id, server.access_key_secret)


@pytest.fixture
def buckets(server):
    """(sync Bucket, aio Bucket) on one fresh bucket."""
    name = "aio-%d-%d" % (os.getpid(), next(_names))
    sync = pyjindo.Bucket(_auth(server), server.endpoint, name)
    sync.create_bucket()
    return sync, pyjindo.aio.Bucket(_auth(server), server.endpoint, name)


def _fields(result):
    """A result's fields as oss2 exposes them, without what differs between two requests."""
    out = {}
    for k, v in vars(result).items():
        if k in ("resp", "request_id", "headers", "duration") or k.startswith("_"):
            continue
        if isinstance(v, list):
            v = [_fields(e) if hasattr(e, "__dict__") else e for e in v]
        elif hasattr(v, "__dict__") and not isinstance(v, type):
            v = _fields(v)
        out[k] = v
    return out


def test_every_public_method_of_bucket_and_service_is_a_coroutine_function_of_the_same_signature(server):
    import inspect
    for sync_cls, aio_cls, least in ((pyjindo.Bucket, pyjindo.aio.Bucket, 100), (pyjindo.Service, pyjindo.aio.Service, 10)):
        names = [n for n in dir(sync_cls) if not n.startswith("_") and callable(getattr(sync_cls, n))
                 and not isinstance(getattr(sync_cls, n), type)]
        assert len(names) > least
        for n in names:
            assert inspect.signature(getattr(aio_cls, n)) == inspect.signature(getattr(sync_cls, n)), n
    bucket = pyjindo.aio.Bucket(_auth(server), server.endpoint, "any")
    coro = bucket.object_exists("k")
    assert inspect.iscoroutine(coro)
    coro.close()


def test_results_equal_the_sync_apis(server, buckets, tmp_path):
    sync, b = buckets
    data = os.urandom(300_000)
    sync.put_object("s/one", data, headers={"x-oss-meta-a": "1"})

    async def run():
        put = await b.put_object("a/two", data, headers={"x-oss-meta-a": "1"})
        assert _fields(put) == _fields(sync.put_object("s/one", data, headers={"x-oss-meta-a": "1"}))
        assert _fields(await b.head_object("s/one")) == _fields(sync.head_object("s/one"))
        assert _fields(await b.get_object_meta("s/one")) == _fields(sync.get_object_meta("s/one"))
        assert _fields(await b.list_objects(prefix="s/")) == _fields(sync.list_objects(prefix="s/"))
        assert _fields(await b.get_bucket_info()) == _fields(sync.get_bucket_info())
        got = await b.get_object("s/one", byte_range=(10, 99))
        want = sync.get_object("s/one", byte_range=(10, 99))
        assert isinstance(got, pyjindo.models.GetObjectResult)
        assert (got.status, got.content_range, got.content_length) == (want.status, want.content_range,
                                                                     want.content_length)
        assert await got.read() == want.read() == data[10:100]
        async with await b.get_object("s/one") as r:
            assert b"".join([c async for c in r]) == data
        assert await b.object_exists("s/one") and not await b.object_exists("nothing")
        with pytest.raises(pyjindo.exceptions.NoSuchKey) as e:
            await b.get_object("nothing")
        with pytest.raises(pyjindo.exceptions.NoSuchKey) as s:
            sync.get_object("nothing")
        assert (e.value.status, e.value.code) == (s.value.status, s.value.code)
        await b.put_object_from_file("a/file", str(_write(tmp_path / "src", data)))
        await b.get_object_to_file("a/file", str(tmp_path / "dst"))
        assert (tmp_path / "dst").read_bytes() == data
        with open(tmp_path / "src", "rb") as f:  # a file body: read by Go while the coroutine waits
            await b.append_object("a/appended", 0, f)
        keys = [o.key async for o in pyjindo.aio.ObjectIterator(b, max_keys=2)]
        assert keys == [o.key for o in pyjindo.ObjectIterator(sync)]
        deleted = await b.batch_delete_objects(["a/two", "a/file"])
        assert sorted(deleted.deleted_keys) == ["a/file", "a/two"]
        service = pyjindo.aio.Service(_auth(server), server.endpoint)
        names = [x.name async for x in pyjindo.aio.BucketIterator(service)]
        assert sync.bucket_name in names
    asyncio.run(run())
    assert sync.get_object("a/appended").read() == data


def test_a_body_larger_than_one_answer_is_read_from_go_in_parts(buckets):
    sync, b = buckets
    data = os.urandom(5 * 1024 * 1024 + 17)  # beyond the quick get's 1 MiB: a Go stream
    sync.put_object("large", data)
    calls = []

    async def run():
        assert await (await b.get_object("large")).read() == data
        r = await b.get_object("large")
        head = await r.read(1000)
        rest = b"".join([c async for c in r])
        assert head + rest == data and r.client_crc == r.server_crc
        r = await b.get_object("large", progress_callback=lambda done, total: calls.append((done, total)))
        assert await r.read() == data
        await b.put_object("large-copy", data, progress_callback=lambda done, total: calls.append((done, total)))
    asyncio.run(run())
    assert calls[-1] == (len(data), len(data))
    assert sync.get_object("large-copy").read() == data


def test_a_task_cancelled_while_waiting_for_its_turn_gives_no_place_away(buckets):
    sync, b = buckets
    sync.put_object("turn", b"t")

    async def run():
        tasks = [asyncio.ensure_future(b.get_object("turn")) for _ in range(b._connections + 20)]
        await asyncio.sleep(0)  # every task has started: the last 20 wait for a place
        for t in tasks[-20:]:
            t.cancel()
        done = await asyncio.gather(*tasks, return_exceptions=True)
        assert sum(isinstance(d, asyncio.CancelledError) for d in done) <= 20
        assert all(isinstance(d, (pyjindo.models.GetObjectResult, asyncio.CancelledError)) for d in done)
        assert _completion.loop_waker().slots(b).free == b._connections
    asyncio.run(run())


def _write(path, data):
    path.write_bytes(data)
    return path


def test_a_thousand_concurrent_small_gets_in_one_loop_start_no_thread(buckets):
    sync, b = buckets
    bodies = {"k%d" % i: os.urandom(16 * 1024) for i in range(100)}
    for k, v in bodies.items():
        sync.put_object(k, v)
    keys = [("k%d" % (i % 100)) for i in range(1000)]

    async def get(k):
        return await (await b.get_object(k)).read()

    async def run():
        await get("k0")  # the library, its Go runtime and the loop's pipe exist from here on
        threads, handles = threading.active_count(), pyjindo._binding.stats()["handles"]
        got = await asyncio.gather(*[get(k) for k in keys])
        assert _completion.loop_waker().slots(b).free == b._connections  # every place handed back
        return threads, threading.active_count(), handles, pyjindo._binding.stats()["handles"], got
    threads_before, threads_after, handles_before, handles_after, got = asyncio.run(run())
    assert threads_after == threads_before
    assert handles_after <= handles_before  # every operation freed (earlier tests' objects may go too)
    assert got == [bodies[k] for k in keys]


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    """A server at 1 MB/s per connection holding a 24 MiB object (seconds to fetch)."""
    workdir = tmp_path_factory.mktemp("aio-cancel")
    data = os.urandom(24 * 1024 * 1024)
    with JindoServer("--bandwidth-per-conn", "1MB", "--bucket", "slow") as s:
        fast = pyjindo.Bucket(_auth(s), s.endpoint, "slow", part_size=512 * 1024, concurrency=48, multipart_threshold=1)
        fast.put_object("big", data)
        yield s, workdir, data


@pytest.mark.parametrize("op", ["read", "to_file", "put"])
def test_cancelling_the_task_cancels_the_go_operation_and_leaves_nothing(slow, op):
    server, workdir, data = slow
    b = pyjindo.aio.Bucket(_auth(server), server.endpoint, "slow", part_size=512 * 1024, multipart_threshold=1)
    target = str(workdir / ("dst-" + op))

    async def call():
        if op == "read":
            return await (await b.get_object("big")).read()
        if op == "to_file":
            return await b.get_object_to_file("big", target)
        return await b.put_object("up-" + op, data)

    async def run():
        task = asyncio.ensure_future(call())
        await asyncio.sleep(0.5)  # well into the transfer
        assert not task.done()
        start = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - start
    latency = asyncio.run(run())
    print("%s: cancelled in %.1f ms" % (op, latency * 1000))
    assert latency < 2.0, latency  # a few ms is usual; the bound only keeps the test robust
    assert os.listdir(workdir) == []
    sync = pyjindo.Bucket(_auth(server), server.endpoint, "slow")
    assert sync.list_multipart_uploads().upload_list == []
    assert not sync.object_exists("up-" + op)


def test_a_bucket_made_before_fork_works_in_the_childs_loop(buckets):
    sync, b = buckets
    sync.put_object("f", b"forked")

    async def read():
        return await (await b.get_object("f")).read()
    assert asyncio.run(read()) == b"forked"  # the parent's library, session and loop pipe are in use
    pid = os.fork()
    if pid == 0:
        try:
            ok = asyncio.run(read()) == b"forked"
            os._exit(0 if ok else 3)
        except BaseException:
            os._exit(4)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:  # hung: what this test exists to catch
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the child hung")
        time.sleep(0.02)
    assert os.waitstatus_to_exitcode(status) == 0
    assert asyncio.run(read()) == b"forked"  # and the parent goes on


def test_a_method_called_outside_a_coroutine_says_so(server):
    b = pyjindo.aio.Bucket(_auth(server), server.endpoint, "any")
    with pytest.raises(pyjindo.exceptions.ClientError, match="await"):
        pyjindo.api.Bucket.get_object(b, "k")


def test_debug_records_are_oss2s_once_per_call(buckets, caplog):
    sync, b = buckets
    sync.put_object("logged", b"x")

    async def run():
        await b.object_exists("logged")
        await b.object_exists("absent")
    with caplog.at_level(logging.DEBUG, logger="oss2.pyjindo.api"):
        asyncio.run(run())
    aio_records = [r.getMessage().split(",")[0] for r in caplog.records]
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="oss2.pyjindo.api"):
        sync.object_exists("logged")
        sync.object_exists("absent")
    assert aio_records == [r.getMessage().split(",")[0] for r in caplog.records]
    assert len(aio_records) == 4


def test_a_method_ending_in_a_quick_call_is_finished_from_its_outcome_not_run_again(buckets, caplog, monkeypatch):
    sync, b = buckets
    sync.put_object("small", b"x" * 100)
    shaped = []
    get_args = b._get_args
    monkeypatch.setattr(b, "_get_args", lambda *a: (shaped.append(a[0]), get_args(*a))[1])

    async def run():
        assert await (await b.get_object("small")).read() == b"x" * 100
        with pytest.raises(pyjindo.exceptions.NoSuchKey):
            await b.head_object("absent")
    with caplog.at_level(logging.INFO, logger="oss2.pyjindo.api"):
        asyncio.run(run())
    assert shaped == ["small"]
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["Exception"]


def test_a_loop_has_one_pipe_and_a_closed_loops_pipe_is_closed(buckets):
    sync, b = buckets
    sync.put_object("p", b"p")

    async def read():
        return await (await b.get_object("p")).read()
    asyncio.run(read())
    fds = len(os.listdir("/proc/self/fd"))
    for _ in range(20):  # each asyncio.run is a new loop, closed at its end
        assert asyncio.run(read()) == b"p"
    assert len(os.listdir("/proc/self/fd")) <= fds + 2  # at most the last loop's pipe is open


def test_an_exception_from_the_progress_callback_stops_the_transfer_and_is_raised(slow):
    server, workdir, data = slow
    b = pyjindo.aio.Bucket(_auth(server), server.endpoint, "slow", part_size=512 * 1024, multipart_threshold=1)

    def callback(done, total):
        if done:
            raise ValueError("enough")

    async def run():
        with pytest.raises(ValueError, match="enough"):
            await b.put_object("up-callback", data, progress_callback=callback)
    asyncio.run(run())
    sync = pyjindo.Bucket(_auth(server), server.endpoint, "slow")
    assert sync.list_multipart_uploads().upload_list == []
    assert not sync.object_exists("up-callback")


def test_multipart_settings_and_their_iterators_as_coroutines(buckets):
    sync, b = buckets
    part = os.urandom(100 * 1024)

    async def run():
        upload = await b.init_multipart_upload("mp")
        p1 = await b.upload_part("mp", upload.upload_id, 1, part)
        p2 = await b.upload_part("mp", upload.upload_id, 2, part)
        parts = [p async for p in pyjindo.aio.PartIterator(b, "mp", upload.upload_id)]
        assert [p.part_number for p in parts] == [1, 2] and [p.etag for p in parts] == [p1.etag, p2.etag]
        uploads = [u.upload_id async for u in pyjindo.aio.MultipartUploadIterator(b)]
        assert uploads == [u.upload_id for u in pyjindo.MultipartUploadIterator(sync)] == [upload.upload_id]
        done = await b.complete_multipart_upload("mp", upload.upload_id, [pyjindo.models.PartInfo(1, p1.etag),
                                                                          pyjindo.models.PartInfo(2, p2.etag)])
        assert done.status == 200
        rule = pyjindo.models.TaggingRule()
        rule.add("k", "v")
        await b.put_object_tagging("mp", pyjindo.models.Tagging(rule))
        assert (await b.get_object_tagging("mp")).tag_set.tagging_rule == {"k": "v"}
        await b.put_object_acl("mp", pyjindo.OBJECT_ACL_PUBLIC_READ)
        assert (await b.get_object_acl("mp")).acl == sync.get_object_acl("mp").acl == "public-read"
        assert _fields(await b.get_bucket_acl()) == _fields(sync.get_bucket_acl())
        url = await b.sign_url("GET", "mp", 60)
        assert url.startswith(sync.endpoint + "/" + sync.bucket_name + "/mp?")
    asyncio.run(run())
    assert sync.get_object("mp").read() == part + part


def test_any_loop_with_add_reader_serves_it(buckets):
    """uvloop is not installed here; pyjindo.aio asks a loop only for add_reader, futures and
    call_later, so a selector loop of another kind stands in for it."""
    import selectors

    sync, b = buckets
    sync.put_object("poll", b"by poll")

    async def read():
        return await (await b.get_object("poll")).read()
    loop = asyncio.SelectorEventLoop(selectors.PollSelector())
    try:
        assert loop.run_until_complete(read()) == b"by poll"
    finally:
        loop.close()


def test_connections_bounds_the_calls_in_flight_of_a_bucket(server, buckets):
    sync, _ = buckets
    sync.put_object("few", b"f")
    b = pyjindo.aio.Bucket(_auth(server), server.endpoint, sync.bucket_name, connections=2)
    with pytest.raises(pyjindo.exceptions.ClientError):
        pyjindo.aio.Bucket(_auth(server), server.endpoint, sync.bucket_name, connections=0)

    async def run():
        # methods that end in one quick call: QUICK_AHEAD per connection start (Go holds them to
        # the connections), the others wait for a place here
        ahead = 2 * _completion.QUICK_AHEAD
        tasks = [asyncio.ensure_future(b.get_object("few")) for _ in range(ahead + 2)]
        await asyncio.sleep(0)
        slots = _completion.loop_waker().slots(b, quick=True)
        assert (slots.free, len(slots.queue)) == (0, 2)
        assert [await (await t).read() for t in tasks] == [b"f"] * (ahead + 2)
        assert slots.free == ahead
        # any other method: as many as the connections
        tasks = [asyncio.ensure_future(b.list_objects()) for _ in range(5)]
        await asyncio.sleep(0)
        slots = _completion.loop_waker().slots(b)
        assert (slots.free, len(slots.queue)) == (0, 3)
        await asyncio.gather(*tasks)
        assert slots.free == 2
    asyncio.run(run())


def _connections_to(port):
    """Sockets of this machine whose far end is port (open or in TIME_WAIT)."""
    n = 0
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(name) as f:
            next(f)
            for line in f:
                remote = line.split()[2]
                n += int(remote.rsplit(":", 1)[1], 16) == port
    return n


def test_quick_calls_started_ahead_use_no_more_connections_than_given():
    # 100 ms before each answer: the calls overlap; with connections=2 Go sends two at a time,
    # so two connections serve all of them (each more would be opened and closed again)
    with JindoServer("--latency", "100ms", "--bucket", "slow") as s:
        pyjindo.Bucket(_auth(s), s.endpoint, "slow").put_object("k", b"v")
        port = int(s.endpoint.rsplit(":", 1)[1])
        before = _connections_to(port)
        b = pyjindo.aio.Bucket(_auth(s), s.endpoint, "slow", connections=2)

        async def run():
            return await asyncio.gather(*[b.head_object("k") for _ in range(2 * _completion.QUICK_AHEAD)])
        assert len(asyncio.run(run())) == 2 * _completion.QUICK_AHEAD
        assert _connections_to(port) - before <= 2


def test_a_call_cancelled_while_it_waits_for_a_place_leaves_the_places_whole(server, buckets):
    sync, _ = buckets
    sync.put_object("wait", b"w")
    b = pyjindo.aio.Bucket(_auth(server), server.endpoint, sync.bucket_name, connections=1)

    async def run():
        # get_object_acl does not end in one quick call, so a call in flight takes the one place
        # (one that does, as get_object, may start QUICK_AHEAD per place, and Go holds them back)
        first, waiting, handed, last = [asyncio.ensure_future(b.get_object_acl("wait")) for _ in range(4)]
        await asyncio.sleep(0)  # the first holds the place, the others wait for it
        waiting.cancel()
        assert (await first).acl == "default"
        handed.cancel()  # cancelled once the place was handed to it: the place goes on to the last
        assert (await last).acl == "default"
        for t in (waiting, handed):
            with pytest.raises(asyncio.CancelledError):
                await t
        slots = _completion.loop_waker().slots(b)
        assert (slots.free, len(slots.queue)) == (1, 0)
    asyncio.run(run())


def test_a_quick_call_cancelled_while_go_holds_it_back_ends_at_once():
    # connections=1 and 1 s before each answer: the second head waits in Go's queue behind the
    # first (ops.Session.StartQuick); cancelled there, it ends now, not when its turn comes
    with JindoServer("--latency", "1s", "--bucket", "slow") as s:
        pyjindo.Bucket(_auth(s), s.endpoint, "slow").put_object("k", b"v")
        b = pyjindo.aio.Bucket(_auth(s), s.endpoint, "slow", connections=1)

        async def run():
            first, second = asyncio.ensure_future(b.head_object("k")), asyncio.ensure_future(b.head_object("k"))
            await asyncio.sleep(0.2)
            assert not first.done() and not second.done()
            start = time.monotonic()
            second.cancel()
            with pytest.raises(asyncio.CancelledError):
                await second
            cancelled_in = time.monotonic() - start
            assert not first.done()  # the call holding the place goes on
            assert (await first).status == 200
            return cancelled_in
        cancelled_in = asyncio.run(run())
        print("cancelled in %.1f ms" % (cancelled_in * 1000))
        assert cancelled_in < 0.5  # a few ms is usual; the bound only keeps the test robust
