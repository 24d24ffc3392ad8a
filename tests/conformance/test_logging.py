"""Logging, oss2 vs pyjindo (issue 9, item 15): oss2 programs configure the logger named "oss2"
or call set_file_logger / set_stream_logger; pyjindo's records must reach them the same way."""
import inspect
import logging
import re

import oss2
import pytest

import pyjindo


@pytest.fixture
def oss2_logger():
    """The "oss2" logger, restored (level, handlers, module globals) after the test."""
    logs = [logging.getLogger("oss2"), logging.getLogger("oss2.pyjindo")]
    saved = [(log.level, list(log.handlers)) for log in logs]
    globals_before = oss2.logger, pyjindo.logger
    yield logs[0]
    for log, (level, handlers) in zip(logs, saved):
        for h in log.handlers:
            if h not in handlers:
                h.close()
        log.handlers[:] = handlers
        log.setLevel(level)
    oss2.logger, pyjindo.logger = globals_before


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def failing_calls(oss, bucket):
    bucket.put_object("k", b"x")
    for call in (lambda: bucket.get_object("missing"), lambda: bucket.head_object("missing"),
                 lambda: bucket.delete_object("k"), lambda: bucket.object_exists("missing"),
                 lambda: bucket.put_object("missing", b"1", headers={"x-oss-forbid-overwrite": "true"})
                 and bucket.put_object("missing", b"1", headers={"x-oss-forbid-overwrite": "true"})):
        try:
            call()
        except oss.exceptions.OssError:
            pass


def _shape(message):
    """A message without what differs per request (ids, error details in Go's order)."""
    return re.sub(r"'x-oss-request-id': '[^']*'.*", "", message)


def test_configuring_the_oss2_logger_configures_pyjindo(sides, oss2_logger):
    handler = Records()
    oss2_logger.addHandler(handler)
    oss2_logger.setLevel(logging.INFO)

    def scenario(oss, bucket):
        del handler.records[:]
        failing_calls(oss, bucket)
        return [(r.levelname, r.name.split(".")[0], _shape(r.getMessage())) for r in handler.records]
    _, got = sides.run(scenario)
    assert len(got) == 5
    assert all(r.name.startswith("oss2.pyjindo.") for r in handler.records)


def test_set_logger_functions_have_oss2s_signatures():
    def params(f):  # names, kinds and defaults (pyjindo adds type hints)
        return [(p.name, p.kind, p.default) for p in inspect.signature(f).parameters.values()]
    for name in ("set_file_logger", "set_stream_logger"):
        assert params(getattr(pyjindo, name)) == params(getattr(oss2, name))


def test_set_file_logger(sides, tmp_path, oss2_logger):
    def scenario(oss, bucket):
        path = tmp_path / (oss.__name__ + ".log")
        oss.set_file_logger(str(path))
        assert oss.logger is logging.getLogger("oss2")
        failing_calls(oss, bucket)
        for h in list(oss2_logger.handlers):
            if isinstance(h, logging.FileHandler):
                h.close()
                oss2_logger.removeHandler(h)
        lines = path.read_text().splitlines()
        # "<date> <time> <logger name> [LEVEL] <thread> : <message>", as oss2 formats it
        return [re.sub(r"^\S+ \S+ oss2\.\S+ \[(\w+)\] \d+ : (.*)$", r"\1 \2", _shape(line)) for line in lines]
    _, got = sides.run(scenario)
    assert len(got) == 5 and all(line.startswith("INFO ") for line in got)


def test_set_stream_logger_logs_debug_to_stderr(sides, capsys, oss2_logger):
    bucket = sides.fresh_bucket(pyjindo)
    pyjindo.set_stream_logger()
    assert oss2_logger.level == logging.DEBUG
    bucket.put_object("k", b"x")
    err = capsys.readouterr().err
    assert re.search(r"oss2\.pyjindo\.api \[DEBUG\] \d+ : Start to send PUT request, bucket: %s, key: k" % bucket.bucket_name, err)
    pyjindo.set_stream_logger(name="oss2.pyjindo", level=logging.WARNING)
    assert pyjindo.logger is logging.getLogger("oss2.pyjindo")
    oss2_logger.setLevel(logging.WARNING)
    bucket.put_object("k", b"x")
    assert "[DEBUG]" not in capsys.readouterr().err


def test_debug_logs_each_call_not_each_chunk(sides, tmp_path, oss2_logger):
    """At DEBUG oss2 logs a few records per API call and none while a body is read: pyjindo must
    not log a record per chunk (it once logged two per Go read, 322 for one 10 MiB iteration)."""
    handler = Records()
    oss2_logger.addHandler(handler)
    oss2_logger.setLevel(logging.DEBUG)
    totals = {}

    def scenario(oss, bucket):
        del handler.records[:]
        bucket.put_object("k", b"c" * (1024 * 1024))
        result = bucket.get_object("k")
        opened = len(handler.records)
        chunks = sum(1 for _ in iter(lambda: result.read(4096), b""))
        while_reading = len(handler.records) - opened
        for chunk in bucket.get_object("k"):
            pass
        bucket.get_object_to_file("k", str(tmp_path / oss.__name__))
        bucket.head_object("k")
        bucket.delete_object("k")
        totals[oss.__name__] = len(handler.records)
        return {"chunks": chunks, "records while reading": while_reading,
                "levels": sorted({r.levelname for r in handler.records})}
    sides.run(scenario)
    # oss2: 6 records per request (api, http, auth); pyjindo: the call's start and end
    assert totals["oss2"] // 4 <= totals["pyjindo"] <= totals["oss2"], totals
