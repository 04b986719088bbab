"""`omnicase replay` reading a failed stream batch back: exactly its range, Lambda's record shape, and a clear
refusal when the stream no longer holds it (the DLQ message is then kept)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

from omnicase_local.replay_command import read_stream_records, replay_queue

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/cases/stream/2026-11-02T00:00:00.000"
INFO = {"streamArn": ARN, "shardId": "shardId-1", "startSequenceNumber": "102", "endSequenceNumber": "103"}


class TrimmedDataAccessException(Exception):
    pass


class ResourceNotFoundException(Exception):
    pass


class FakeStreams:
    """GetShardIterator / GetRecords over records 100..109, two per page; `trimmed_before` drops the oldest."""

    class exceptions:
        TrimmedDataAccessException = TrimmedDataAccessException
        ResourceNotFoundException = ResourceNotFoundException

    def __init__(self, trimmed_before: int = 0) -> None:
        self.trimmed_before = trimmed_before

    def get_shard_iterator(self, **kw: Any) -> dict[str, str]:
        if int(kw["SequenceNumber"]) < self.trimmed_before:
            raise TrimmedDataAccessException("trimmed")
        return {"ShardIterator": kw["SequenceNumber"]}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        first = int(ShardIterator)
        page = [self._record(n) for n in range(first, min(first + 2, 110))]
        return {"Records": page, "NextShardIterator": str(first + 2)}

    @staticmethod
    def _record(n: int) -> dict[str, Any]:
        created = datetime(2026, 11, 2, tzinfo=UTC)
        dynamodb = {"SequenceNumber": str(n), "ApproximateCreationDateTime": created, "Keys": {}}
        return {"eventID": str(n), "eventName": "INSERT", "eventSource": "aws:dynamodb", "dynamodb": dynamodb}


def test_the_failed_range_is_read_back_in_lambdas_shape():
    records = read_stream_records(FakeStreams(), INFO)
    assert [r["dynamodb"]["SequenceNumber"] for r in records] == ["102", "103"]
    assert all(
        r["eventSourceARN"] == ARN and isinstance(r["dynamodb"]["ApproximateCreationDateTime"], float) for r in records
    )
    json.dumps(records)  # what lambda:Invoke sends


class FakeQueue:
    def __init__(self, bodies: list[dict[str, Any]]) -> None:
        self.messages = [
            {"MessageId": f"m{i}", "ReceiptHandle": f"r{i}", "Body": json.dumps(b)} for i, b in enumerate(bodies)
        ]
        self.deleted: list[str] = []
        self.released: list[str] = []
        self.received = False

    def get_queue_attributes(self, **kw: Any) -> dict[str, Any]:
        return {"Attributes": {"QueueArn": "arn:aws:sqs:us-east-1:123456789012:failures"}}

    def receive_message(self, **kw: Any) -> dict[str, Any]:
        batch, self.received = ([] if self.received else self.messages), True
        return {"Messages": batch}

    def delete_message(self, QueueUrl: str, ReceiptHandle: str) -> None:
        self.deleted.append(ReceiptHandle)

    def change_message_visibility(self, QueueUrl: str, ReceiptHandle: str, VisibilityTimeout: int) -> None:
        self.released.append(ReceiptHandle)


class FakeLambda:
    def __init__(self) -> None:
        self.events: list[Any] = []

    def invoke(self, FunctionName: str, InvocationType: str, Payload: bytes) -> dict[str, Any]:
        self.events.append(json.loads(Payload))
        return {"Payload": io.BytesIO(b'{"batchItemFailures": []}')}


def test_expired_records_are_reported_and_their_message_kept_while_live_ones_are_replayed():
    context = {"functionArn": "send_outbound"}
    expired = {**INFO, "startSequenceNumber": "100"}
    queue = FakeQueue([{"requestContext": context, "DDBStreamBatchInfo": info} for info in (expired, INFO)])
    lam = FakeLambda()
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/failures"

    outcomes = replay_queue(queue, lam, None, FakeStreams(trimmed_before=101), url, None, False, 10)

    assert [o.result for o in outcomes] == ["failed (kept)", "replayed"]
    assert "24-hour retention" in outcomes[0].detail
    assert (queue.deleted, queue.released) == (["r1"], ["r0"])
    assert [[r["eventID"] for r in e["Records"]] for e in lam.events] == [["102", "103"]]
