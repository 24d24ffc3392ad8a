"""Retries and batches on oss2's logger: the records, and how Go's retries reach them.

Go retries (go/oss/retry, applied by oss.Client.Do and go/transfer's parts) and never calls into
Python. When the "oss2.pyjindo.retry" logger is enabled at INFO, `_binding.call` starts the
operation with RETRY_EVENTS: the operation's context then carries an Observer that keeps its
retries (the last 100 between two drains, and a count of older ones), and the wait loop drains
them every 50 ms and when the operation ends, logging them here on the calling thread. With the
logger disabled nothing is asked for: Go collects nothing, allocates nothing.

INFO, because oss2 logs every error answer at INFO ("Exception: ...") and a retry is a failed
attempt; oss2's own set_file_logger defaults to INFO, so its users see them. Not WARNING: a
retried call succeeded, and WARNING records of a program that configured no logging reach
stderr through logging.lastResort, which oss2 programs never printed. Not DEBUG: that is the
level of every call's start and end, where retries would be lost in the volume.

Records (README, "Retries"; docs/ARCHITECTURE.md, "Retries"):

    Retry put_object, PUT bucket: b, key: k: attempt 1 of 3 failed: status: 503, code: SlowDown, request_id: 5E1...; next attempt in 0.084 s
    Retry get_object, GET bucket: b, key: k, part: bytes=8388608-16777215: attempt 1 of 3 failed: connection error: ...; next attempt in 0.152 s
    Batch get_many: 2 ok, 1 failed, 3072 bytes in 0.012 s, 0 retries

with the fields as a dict on the record: `record.oss_retry`, `record.oss_batch`. A retry's
operation is the public method the user called (`_session.GoClient._operation`); outside one, the
batch engine's function (get_many, ...) or the Go operation (reader_read, ...).
"""
import json
import logging
import time

logger = logging.getLogger("oss2.pyjindo.retry")
batch_logger = logging.getLogger("oss2.pyjindo.batch")


class Report(object):
    """What one operation did, for a batch summary: retries seen and bytes moved (the
    operation's progress counter). Filled by `_binding.call(report=...)`."""

    __slots__ = ("retries", "bytes")

    def __init__(self):
        self.retries = 0
        self.bytes = 0


class Retries(object):
    """One operation's retries, drained from Go and logged."""

    __slots__ = ("operation", "report")

    def __init__(self, operation, report=None):
        self.operation = operation
        self.report = report

    def drain(self, raw):
        """Log the retries of one pj_events document (None: nothing new). The binding reads it
        from Go, so this module never reaches back into the binding."""
        if raw is None:
            return
        doc = json.loads(raw)
        if self.report is not None:
            self.report.retries += len(doc["events"]) + doc["dropped"]
        if doc["dropped"]:
            logger.info("{0} earlier retries of this {1} call were not logged (only the last 100 are kept between "
                        "polls)".format(doc["dropped"], self.operation))
        for e in doc["events"]:
            e["operation"] = self.operation
            logger.info(retry_message(e), extra={"oss_retry": e})

    def finish(self, raw, moved):
        """The last drain, once the operation is done; fills the report with `moved`, the
        operation's byte counter."""
        self.drain(raw)
        if self.report is not None:
            self.report.bytes = moved


def retry_message(e):
    """The message of one retry record; e is the event as go/capi/retrylog.go encodes it."""
    what = "{0}, {1} bucket: {2}, key: {3}".format(e["operation"], e["method"], e["bucket"], e["key"])
    if e["part"]:
        what += ", part: " + e["part"]
    elif e["params"]:
        what += ", params: " + e["params"]
    if e["status"]:
        cause = "status: {0}, code: {1}, request_id: {2}".format(e["status"], e["code"], e["request_id"])
    elif e["connection"]:
        cause = "connection error: " + e["error"]
    else:
        cause = "error: " + e["error"]
    return "Retry {0}: attempt {1} of {2} failed: {3}; next attempt in {4:.3f} s".format(
        what, e["attempt"], e["max_attempts"], cause, e["backoff"])


class Batch(object):
    """A batch operation's summary record: created only when the batch logger is enabled
    (`batch()`), its `report` passed to the Go call, then `done(ok, failed)`."""

    __slots__ = ("name", "start", "report")

    def __init__(self, name):
        self.name = name
        self.start = time.monotonic()
        self.report = Report()

    def done(self, ok, failed):
        seconds = time.monotonic() - self.start
        fields = {"operation": self.name, "ok": ok, "failed": failed, "bytes": self.report.bytes,
                  "seconds": seconds, "retries": self.report.retries}
        batch_logger.info("Batch {0}: {1} ok, {2} failed, {3} bytes in {4:.3f} s, {5} retries".format(
            self.name, ok, failed, self.report.bytes, seconds, self.report.retries), extra={"oss_batch": fields})

    def done_with(self, results):
        """done() counting the exceptions among results as failed."""
        failed = sum(1 for r in results if isinstance(r, Exception))
        self.done(len(results) - failed, failed)


def batch(name):
    """A Batch for operation `name` when its summary will be logged, else None (no cost)."""
    return Batch(name) if batch_logger.isEnabledFor(logging.INFO) else None
