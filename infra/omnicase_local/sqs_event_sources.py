"""Lambda's SQS event source mappings, the way AWS runs them: a poller per mapping, batches, partial batch responses.

moto invokes a queue's function inside SendMessage itself, with one message per call, treats any answer as success
and never polls again. Here each mapping has its own poller thread (so a failing consumer holds up no other): it
receives up to BatchSize messages — waiting up to MaximumBatchingWindowInSeconds for a batch to fill, as Lambda's
poller does — invokes the function with them, deletes what succeeded and leaves the rest to
come back (the messages `batchItemFailures` names with ReportBatchItemFailures; all of them when the function
raised). A message received maxReceiveCount times moves to the queue's dead-letter queue, as moto's ReceiveMessage
does under a redrive policy. Locally a failed message is visible again at once instead of after the visibility
timeout, so a poison message reaches its dead-letter queue in moments.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger("omnicase_local.sqs")
POLL_WAIT_SECONDS = 1  # long polling: a poller wakes as soon as a message arrives
BATCH_TOP_UP_WAIT_SECONDS = 0.05  # inside a batching window: how often the poller looks for more
Invoke = Callable[[str, dict[str, Any]], tuple[Any, bool]]  # (function ARN, event) -> (payload, raised)


@dataclass
class QueuePoller:
    """One SQS event source mapping: which queue feeds which function, how."""

    queue_name: str
    queue_arn: str
    function_arn: str
    batch_size: int
    batching_window: float  # seconds a batch may wait to fill (MaximumBatchingWindowInSeconds)
    reports_item_failures: bool
    account_id: str
    region: str
    mapping: Any  # moto's EventSourceMapping: UpdateEventSourceMapping(Enabled=False) pauses the poller
    busy: bool = False
    retired: bool = False  # its queue is gone from a newer moto (tests deploy a stack each): the thread ends
    messages_handed: int = 0  # counted for the cost estimate (bench): SQS bills each message's send and delete
    batches_handed: int = 0  # ... and each receive that brought a batch

    @property
    def enabled(self) -> bool:
        return bool(self.mapping.enabled)


_RUNNING_STATE = ("busy", "messages_handed", "batches_handed")  # kept when a redeployed stack's mapping is taken over
_pollers: dict[tuple[str, str], QueuePoller] = {}  # by (queue ARN, function ARN)
_lock = threading.Lock()
_flushing = threading.Event()  # set while someone waits for every queue to empty: batches go as they are


@contextmanager
def batches_flushed() -> Iterator[None]:
    """While inside, a poller hands on what it has instead of waiting out its batching window: `drain()` waits for
    the queues to empty, and a window would only make every wait up to that long."""
    _flushing.set()
    try:
        yield
    finally:
        _flushing.clear()


def install_sqs_pollers(account_id: str, region: str, invoke: Invoke) -> list[QueuePoller]:
    """Take every SQS event source mapping of this moto away from moto's send-time trigger and poll it instead."""
    from moto.sqs.models import sqs_backends

    installed = []
    with _lock:
        _retire_pollers_of_vanished_queues(sqs_backends)
        for queue in list(sqs_backends[account_id][region].queues.values()):
            for function_arn, esm in list(queue.lambda_event_source_mappings.items()):
                del queue.lambda_event_source_mappings[function_arn]  # no invocation inside SendMessage any more
                poller = QueuePoller(
                    queue_name=queue.name,
                    queue_arn=queue.queue_arn,
                    function_arn=function_arn,
                    batch_size=int(esm.batch_size or 10),
                    batching_window=float(esm.max_batch_window or 0),
                    reports_item_failures="ReportBatchItemFailures" in (esm.function_response_types or []),
                    account_id=account_id,
                    region=region,
                    mapping=esm,
                )
                known = _pollers.get((poller.queue_arn, function_arn))
                if known is not None:  # the same mapping in a fresh moto (tests redeploy): its poller carries on
                    vars(known).update({k: v for k, v in vars(poller).items() if k not in _RUNNING_STATE})
                    installed.append(known)
                    continue
                _pollers[(poller.queue_arn, function_arn)] = poller
                thread = threading.Thread(
                    target=_poll_forever, args=(poller, invoke), name=f"sqs-{queue.name}", daemon=True
                )
                thread.start()
                installed.append(poller)
    return installed


def _retire_pollers_of_vanished_queues(sqs_backends: Any) -> None:
    # Without this every test's stack (queues with fresh random names) would leave its pollers spinning for good.
    for key, poller in list(_pollers.items()):
        if poller.queue_name not in sqs_backends[poller.account_id][poller.region].queues:
            poller.retired = True
            del _pollers[key]


def idle() -> bool:
    """Every queue an enabled mapping polls is empty (no message waiting, in flight or delayed), no poller invoking."""
    from moto.sqs.models import sqs_backends

    for poller in list(_pollers.values()):
        queue = sqs_backends[poller.account_id][poller.region].queues.get(poller.queue_name)
        if poller.busy or (poller.enabled and queue is not None and queue._messages):
            return False
    return True


def _poll_forever(poller: QueuePoller, invoke: Invoke) -> None:
    from moto.sqs.models import sqs_backends

    while not poller.retired:
        backend = sqs_backends[poller.account_id][poller.region]
        queue = backend.queues.get(poller.queue_name)
        if queue is None or not poller.enabled:  # between two tests' mocks, or a disabled mapping
            time.sleep(0.2)
            continue
        try:
            messages = _receive_batch(poller, backend, int(queue.visibility_timeout))
            poller.busy = bool(messages)  # received messages stay in the queue until handled: idle() sees them
            if messages and not poller.enabled:  # disabled while it waited: the messages go back untouched
                for message in messages:
                    backend.change_message_visibility(poller.queue_name, message.receipt_handle, visibility_timeout=0)
            elif messages:
                _handle(poller, invoke, backend, messages)
        except Exception:
            logger.exception("SQS poller of %s failed; polling on", poller.queue_name)
            time.sleep(0.2)
        finally:
            poller.busy = False


def _receive_batch(poller: QueuePoller, backend: Any, visibility_timeout: int) -> list[Any]:
    """Up to BatchSize messages: what the first receive brings, topped up until the batch is full or its window
    (from the first message) has passed."""
    name, size = poller.queue_name, poller.batch_size
    messages = list(backend.receive_message(name, size, POLL_WAIT_SECONDS, visibility_timeout))
    closes = time.monotonic() + poller.batching_window
    while messages and len(messages) < poller.batch_size and not _flushing.is_set():
        left = closes - time.monotonic()
        if left <= 0:
            break
        wait = min(left, BATCH_TOP_UP_WAIT_SECONDS)
        more = backend.receive_message(name, size - len(messages), 0, visibility_timeout)
        if more:
            messages += more
        else:
            time.sleep(wait)
    return messages


def handed_counts() -> tuple[int, int]:
    """(messages, batches) the pollers have handed to their functions so far."""
    pollers = list(_pollers.values())
    return sum(p.messages_handed for p in pollers), sum(p.batches_handed for p in pollers)


def _handle(poller: QueuePoller, invoke: Invoke, backend: Any, messages: list[Any]) -> None:
    poller.messages_handed += len(messages)
    poller.batches_handed += 1
    payload, raised = invoke(poller.function_arn, sqs_event(messages, poller.queue_arn, poller.region))
    failed = {m.id for m in messages} if raised else _reported_failures(poller, payload, messages)
    for message in messages:
        if message.id in failed:  # back in the queue at once; the redrive policy counts the receives
            backend.change_message_visibility(poller.queue_name, message.receipt_handle, visibility_timeout=0)
        else:
            backend.delete_message(poller.queue_name, message.receipt_handle)
    if failed:
        logger.warning("%s: %d of %d message(s) failed; they come again", poller.queue_name, len(failed), len(messages))


def _reported_failures(poller: QueuePoller, payload: Any, messages: list[Any]) -> set[str]:
    """The message ids a partial batch response names; an id that is not in the batch fails the whole batch (as
    Lambda treats a malformed response)."""
    if not poller.reports_item_failures or not isinstance(payload, dict):
        return set()
    named = {str(f.get("itemIdentifier")) for f in payload.get("batchItemFailures") or [] if isinstance(f, dict)}
    ids = {m.id for m in messages}
    return ids if named - ids else named


def sqs_event(messages: list[Any], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda hands a function for a batch of SQS messages."""
    return {"Records": [sqs_record(m, queue_arn, region) for m in messages]}


def sqs_record(message: Any, queue_arn: str, region: str) -> dict[str, Any]:
    """One message as Lambda's SQS event carries it (moto's Message, received)."""
    return {
        "messageId": message.id,
        "receiptHandle": message.receipt_handle,
        "body": message.body,
        "attributes": {
            "ApproximateReceiveCount": str(message.approximate_receive_count),
            "SentTimestamp": str(message.sent_timestamp),
            "SenderId": str(message.sender_id),
            "ApproximateFirstReceiveTimestamp": str(message.approximate_first_receive_timestamp),
        },
        "messageAttributes": {},
        "md5OfBody": message.body_md5,
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }
