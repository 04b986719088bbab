"""DynamoDB stream readers the way AWS runs them: after the write, filtered, retried, then on-failure.

Two kinds of reader. The change feed's pipe (omnicase_local.pipes: stream → EventBridge bus → a queue per consumer,
polled by omnicase_local.sqs_event_sources) gets every new record from the shard. A function with its own
DynamoDB event source mapping (none in template.yaml today: docs/change-feed.md) gets them as Lambda would: moto
calls it synchronously inside the write itself, unfiltered, with no retry; here the records go to a queue and one
worker delivers them, so handlers never run inside another request. `drain()` waits for both.
"""

from __future__ import annotations

import functools
import json
import logging
import queue
import threading
import time
from datetime import UTC, datetime
from typing import Any

from omnicase_local.event_filter import matches_filter_criteria
from omnicase_local.loaded_on_use import pack, unpack

logger = logging.getLogger("omnicase_local.streams")
MAX_RETRIES = 2  # in addition to the first attempt; kept small so a failing record reaches its destination fast
_pending: queue.Queue[tuple[Any, dict[str, Any], dict[str, Any]] | None] = queue.Queue()
_worker: threading.Thread | None = None
_lock = threading.Lock()


def install_stream_delivery(invoke: Any) -> None:
    """Patch moto so stream records are queued and `invoke(function_name, event) -> payload` delivers them."""
    global _worker
    from moto.awslambda.models import LambdaBackend

    with _lock:
        if _worker is not None:
            return

        def send_dynamodb_items(self: Any, function_arn: str, items: list[Any], source: str) -> None:
            mappings = self.list_event_source_mappings(event_source_arn=source, function_name="")
            name = function_arn.split(":function:")[-1]
            fresh = []
            for item in reversed(items):  # new records are at the end: look no further back than the last handed over
                if name in item.__dict__.setdefault("omnicase_queued_for", set()):
                    break
                fresh.append(item)
            fresh.reverse()
            for mapping in (m for m in mappings if m.function_name.split(":function:")[-1] == name):
                for item in fresh:
                    record = _record(item, self.region_name, source)
                    if matches_filter_criteria(mapping.filter_criteria, record):
                        _pending.put((mapping, record, {"function": function_arn}))
            for item in fresh:
                item.omnicase_queued_for.add(name)
            # None: moto keeps the shard's records, as a stream does (GetRecords, `omnicase replay` read them back)
            return None

        LambdaBackend.send_dynamodb_items = send_dynamodb_items  # type: ignore[method-assign]
        _keep_a_window_of_records()
        _worker = threading.Thread(target=_deliver_forever, args=(invoke,), name="dynamodb-streams", daemon=True)
        _worker.start()


STREAM_WINDOW = 20_000  # records a shard keeps; DynamoDB keeps 24 hours of them, a long local run would keep all


def _keep_a_window_of_records() -> None:
    """Hand each new record to the pipes reading its stream, and trim each shard's oldest records past
    STREAM_WINDOW, moving its first sequence number as DynamoDB's trim horizon moves: record numbers stay unique and
    GetRecords of a trimmed number fails as it would on AWS."""
    from moto.dynamodb.models.table import StreamShard

    from omnicase_local import pipes

    add = StreamShard.add

    def add_then_trim(self: Any, old: Any, new: Any) -> None:
        add(self, old, new)
        stream_arn = f"{self.table.table_arn}/stream/{self.table.latest_stream_label}"
        pipes.offer(stream_arn, _record(self.items[-1], self.table.region_name, stream_arn))
        pack_record(self.items[-1])  # every reader has it now; GetRecords and replay unpack it
        excess = len(self.items) - STREAM_WINDOW
        if excess > STREAM_WINDOW // 10:  # trim in steps, not on every record
            del self.items[:excess]
            self.starting_sequence_number += excess

    StreamShard.add = add_then_trim  # type: ignore[method-assign]


class PackedStreamRecord:
    """A shard's record held pickled and compressed: one bytes object instead of a tree of dicts and strings per
    image (~8 KB → ~1.1 KB pickled → ~0.4 KB compressed a record on the load bench's mix; zlib's fastest level,
    ~60 µs a record), read back whole by `to_json` as moto's own."""

    packed: bytes

    @property
    def record(self) -> dict[str, Any]:
        return self.to_json()

    def to_json(self) -> dict[str, Any]:
        return unpack(self.packed)


def pack_record(record: Any) -> None:
    """Turn moto's StreamRecord into a PackedStreamRecord in place (its other attributes stay)."""
    if "record" in record.__dict__:
        packed = pack(record.__dict__.pop("record"))
        record.__class__ = _packed_class(type(record))
        record.packed = packed


@functools.cache
def _packed_class(base: type) -> type:
    return type(f"Packed{base.__name__}", (PackedStreamRecord, base), {})


def drain(timeout: float = 10.0) -> None:
    """Wait until every stream record has been delivered and every change-feed queue is empty, including the work
    those deliveries caused in turn (tests and the demo use it)."""
    from omnicase_local import sqs_event_sources

    deadline = time.monotonic() + timeout
    with sqs_event_sources.batches_flushed():
        _wait_until_quiet(deadline)


def _wait_until_quiet(deadline: float) -> None:
    from omnicase_local import pipes, sqs_event_sources

    quiet_checks = 0
    while quiet_checks < 2:  # twice in a row: nothing was between a handler finishing and its writes' records
        done = threading.Event()
        _markers.append(done)
        _pending.put(None)  # a marker: when the worker reaches it, everything before it is delivered
        if not done.wait(max(0.0, deadline - time.monotonic())):
            raise TimeoutError("stream records still undelivered")
        quiet = pipes.idle() and sqs_event_sources.idle() and _pending.empty()
        quiet_checks = quiet_checks + 1 if quiet else 0
        if not quiet:
            if time.monotonic() > deadline:
                raise TimeoutError("change-feed events still undelivered")
            time.sleep(0.01)


_markers: list[threading.Event] = []


def _deliver_forever(invoke: Any) -> None:
    while True:
        entry = _pending.get()
        if entry is None:
            _markers.pop(0).set()
            continue
        mapping, record, target = entry
        _deliver(invoke, mapping, record, target["function"])


def _deliver(invoke: Any, mapping: Any, record: dict[str, Any], function_arn: str) -> None:
    event = {"Records": [record]}
    attempts = 1 + min(MAX_RETRIES, mapping.max_retry_attempts if mapping.max_retry_attempts is not None else 99)
    for attempt in range(attempts):
        try:
            payload = invoke(function_arn, event)
        except Exception as error:
            logger.warning("stream delivery to %s failed (attempt %d): %s", function_arn, attempt + 1, error)
            continue
        if not (isinstance(payload, dict) and payload.get("batchItemFailures")):
            return
        logger.warning("stream record reported as failed by %s (attempt %d)", function_arn, attempt + 1)
    _on_failure(mapping, record, function_arn)


def _on_failure(mapping: Any, record: dict[str, Any], function_arn: str) -> None:
    destination = ((mapping.destination_config or {}).get("OnFailure") or {}).get("Destination")
    logger.error("stream record given up by %s; on-failure destination %s", function_arn, destination)
    if destination and destination.startswith("arn:aws:sqs:"):
        import boto3

        _, _, _, region, account, name = destination.split(":")
        sqs = boto3.client("sqs", region_name=region)
        url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(_invocation_record(record, function_arn), default=str))


def _invocation_record(record: dict[str, Any], function_arn: str) -> dict[str, Any]:
    """What Lambda sends an on-failure destination for a stream batch: where the records are, not the records."""
    from moto.dynamodb.models import dynamodb_backends

    stream_arn = record["eventSourceARN"]
    table = stream_arn.split(":table/", 1)[1].split("/stream/", 1)[0]
    shard = dynamodb_backends[stream_arn.split(":")[4]][record["awsRegion"]].tables[table].stream_shard
    sequence = record["dynamodb"]["SequenceNumber"]
    return {
        "requestContext": {
            "functionArn": function_arn,
            "condition": "RetryAttemptsExhausted",
            "approximateInvokeCount": 1 + MAX_RETRIES,
        },
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "version": "1.0",
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "DDBStreamBatchInfo": {
            "shardId": shard.id,
            "startSequenceNumber": sequence,
            "endSequenceNumber": sequence,
            "batchSize": 1,
            "streamArn": stream_arn,
        },
    }


def _record(item: Any, region: str, source: str) -> dict[str, Any]:
    return {**lambda_record(item.to_json(), source), "awsRegion": region}


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A stream record (moto's, or GetRecords') as the Lambda event carries it: with its source, its time in epoch
    seconds rounded down to the second as DynamoDB Streams records it."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = float(int(created.timestamp()))
    fields = ("eventID", "eventName", "eventVersion", "eventSource", "awsRegion")
    return {**{k: record[k] for k in fields if k in record}, "dynamodb": dynamodb, "eventSourceARN": stream_arn}
