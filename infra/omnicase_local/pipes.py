"""EventBridge Pipes with a DynamoDB stream source and an event-bus target, the way AWS runs them.

moto keeps pipes as API records and moves no data. Here each pipe of the stack (created from template.yaml through
moto's Pipes API) reads its table's stream: records its FilterCriteria let through are batched (BatchSize, taking
what is waiting: a batching window of 0), put on the bus in one PutEvents call (the event's `detail` is the stream
record; Source and DetailType from the target parameters), retried, and given up to the pipe's dead-letter queue
with where the records are in the stream. The bus's rules then deliver through moto's EventBridge.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from omnicase_local.event_filter import matches_filter_criteria

logger = logging.getLogger("omnicase_local.pipes")
MAX_RETRIES = 2  # in addition to the first attempt; kept small so a failing change reaches the DLQ fast
MAX_EVENT_BYTES = 256 * 1024  # what one PutEvents entry may weigh (AWS counts Source, DetailType and Detail)
PUT_EVENTS_MAX_ENTRIES = 10


class EventTooLarge(ValueError):
    """An entry the bus would refuse: EventBridge takes events of at most 256 KB."""


@dataclass
class StreamPipe:
    """One running pipe: its source stream, filter, batch size, bus target and dead-letter queue."""

    name: str
    arn: str
    stream_arn: str
    filter_criteria: dict[str, Any] | None
    batch_size: int
    max_retries: int
    dead_letter_arn: str | None
    bus_arn: str
    source: str
    detail_type: str
    region: str
    account_id: str

    def __post_init__(self) -> None:
        self.pending: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events_put = 0  # changes past the filter that the bus took (counted for the bench's cost estimate)


_RUNNING_STATE = ("pending", "events_put")  # kept when a redeployed stack's pipe is taken over
_pipes: dict[str, StreamPipe] = {}  # by pipe ARN
_lock = threading.Lock()


def install_stream_pipes(account_id: str, region: str) -> list[StreamPipe]:
    """Start a reader for every pipe of moto's Pipes API whose source is a DynamoDB stream and target a bus."""
    from moto.pipes.models import pipes_backends

    _parse_each_json_path_once()
    installed = []
    with _lock:
        for pipe in list(pipes_backends[account_id][region].pipes.values()):
            if ":dynamodb:" not in pipe.source or ":event-bus/" not in pipe.target:
                continue
            stream_pipe = _stream_pipe(pipe, account_id, region)
            known = _pipes.get(pipe.arn)
            if known is not None:  # the same pipe in a fresh moto (tests redeploy the stack): its reader carries on
                vars(known).update({k: v for k, v in vars(stream_pipe).items() if k not in _RUNNING_STATE})
                stream_pipe = known
            else:
                _pipes[pipe.arn] = stream_pipe
                reader = threading.Thread(target=_read_forever, args=(stream_pipe,), name=f"pipe-{pipe.name}")
                reader.daemon = True
                reader.start()
            installed.append(stream_pipe)
    return installed


def _parse_each_json_path_once() -> None:
    """moto's EventBridge builds every target's input from a template of JSON paths, parsing each path again for
    every event and target (a yacc parser each time: 60 % of a change's cost on the bus). The parsed expressions
    are pure, so parsing each once gives the same input."""
    from jsonpath_ng import ext

    if not hasattr(ext.parse, "cache_info"):
        ext.parse = lru_cache(maxsize=256)(ext.parse)


def _stream_pipe(pipe: Any, account_id: str, region: str) -> StreamPipe:
    source = pipe.source_parameters or {}
    stream = source.get("DynamoDBStreamParameters") or {}
    bus = (pipe.target_parameters or {}).get("EventBridgeEventBusParameters") or {}
    retries = int(stream.get("MaximumRetryAttempts", -1))
    return StreamPipe(
        name=pipe.name,
        arn=pipe.arn,
        stream_arn=pipe.source,
        filter_criteria=source.get("FilterCriteria"),
        batch_size=min(int(stream.get("BatchSize", 1)), PUT_EVENTS_MAX_ENTRIES),
        max_retries=MAX_RETRIES if retries < 0 else min(retries, MAX_RETRIES),
        dead_letter_arn=(stream.get("DeadLetterConfig") or {}).get("Arn"),
        bus_arn=pipe.target,
        source=bus.get("Source") or f"Pipe {pipe.name}",
        detail_type=bus.get("DetailType") or "Event from aws:dynamodb",
        region=region,
        account_id=account_id,
    )


def offer(stream_arn: str, record: dict[str, Any]) -> None:
    """A new stream record: queued for every pipe reading that stream whose filter lets it through."""
    for pipe in list(_pipes.values()):
        if pipe.stream_arn == stream_arn and matches_filter_criteria(pipe.filter_criteria, record):
            pipe.pending.put(record)


def events_put() -> int:
    """Changes every pipe has put on its bus so far."""
    return sum(pipe.events_put for pipe in list(_pipes.values()))


def idle() -> bool:
    """No pipe holds a record it has not yet put on its bus (or given up)."""
    return all(pipe.pending.unfinished_tasks == 0 for pipe in list(_pipes.values()))


def _read_forever(pipe: StreamPipe) -> None:
    while True:
        batch = [pipe.pending.get()]
        while len(batch) < pipe.batch_size:
            try:
                batch.append(pipe.pending.get_nowait())
            except queue.Empty:
                break
        try:
            _deliver(pipe, batch)
        except Exception:
            logger.exception("pipe %s lost a batch of %d records", pipe.name, len(batch))
        finally:
            for _ in batch:
                pipe.pending.task_done()


def _deliver(pipe: StreamPipe, batch: list[dict[str, Any]]) -> None:
    """Put the batch on the bus; entries the bus refused are retried, then dead-lettered one by one."""
    waiting = batch
    for attempt in range(1 + pipe.max_retries):
        waiting = _put(pipe, waiting)
        if not waiting:
            return
        logger.warning("pipe %s: %d change(s) refused by the bus (attempt %d)", pipe.name, len(waiting), attempt + 1)
    for record in waiting:
        _dead_letter(pipe, record)


def _put(pipe: StreamPipe, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One PutEvents call; the records whose entries failed."""
    from moto.events.models import events_backends

    entries, refused = [], []
    for record in records:
        entry = {
            "Source": pipe.source,
            "DetailType": pipe.detail_type,
            "Detail": json.dumps(record, default=str),
            "EventBusName": pipe.bus_arn,
        }
        if _entry_bytes(entry) > MAX_EVENT_BYTES:
            logger.error("pipe %s: change %s is over 256 KB", pipe.name, record["dynamodb"].get("SequenceNumber"))
            refused.append(record)
        else:
            entries.append((record, entry))
    if entries:
        results = events_backends[pipe.account_id][pipe.region].put_events([entry for _, entry in entries])
        outcomes = [(record, "EventId" in result) for (record, _), result in zip(entries, results, strict=True)]
        refused += [record for record, put in outcomes if not put]
        pipe.events_put += sum(put for _, put in outcomes)
    return refused


def _entry_bytes(entry: dict[str, str]) -> int:
    """PutEvents entry size as AWS counts it: Source, DetailType and Detail in UTF-8, plus 14 bytes for the time."""
    return 14 + sum(len(entry[key].encode()) for key in ("Source", "DetailType", "Detail"))


def _dead_letter(pipe: StreamPipe, record: dict[str, Any]) -> None:
    """Where the record is in the stream (as Lambda's on-failure records say it), for `omnicase replay`."""
    from moto.sqs.models import sqs_backends

    if not pipe.dead_letter_arn:
        logger.error("pipe %s dropped change %s: no dead-letter queue", pipe.name, record["eventID"])
        return
    from moto.dynamodb.models import dynamodb_backends

    table = pipe.stream_arn.split(":table/", 1)[1].split("/stream/", 1)[0]
    shard = dynamodb_backends[pipe.account_id][pipe.region].tables[table].stream_shard
    sequence = record["dynamodb"]["SequenceNumber"]
    body = {
        "requestContext": {"pipeArn": pipe.arn, "condition": "RetryAttemptsExhausted"},
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "DDBStreamBatchInfo": {
            "shardId": shard.id,
            "startSequenceNumber": sequence,
            "endSequenceNumber": sequence,
            "batchSize": 1,
            "streamArn": pipe.stream_arn,
        },
    }
    queue_name = pipe.dead_letter_arn.rsplit(":", 1)[1]
    sqs_backends[pipe.account_id][pipe.region].send_message(queue_name=queue_name, message_body=json.dumps(body))
    logger.error("pipe %s gave up change %s: sent to %s", pipe.name, sequence, pipe.dead_letter_arn)
