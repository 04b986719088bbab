"""Partial batch responses: failed records are reported by sequence number; the rest are handled once each."""

from __future__ import annotations

import json

import pytest

from omnicase.stream_batch import WholeBatchFailed, process_stream_batch


def _record(sequence_number: str, case_id: str) -> dict:
    # The shape Lambda delivers from a DynamoDB stream (NEW_AND_OLD_IMAGES), trimmed to what handlers read.
    return {
        "eventID": f"e{sequence_number}",
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "Keys": {"pk": {"S": f"T#acme#CASE#{case_id}"}, "sk": {"S": "CASE"}},
            "NewImage": {"case_id": {"S": case_id}},
            "SequenceNumber": sequence_number,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }


def test_failed_records_are_reported_and_the_others_handled():
    handled: list[str] = []

    def handle(record):
        case_id = record["dynamodb"]["NewImage"]["case_id"]["S"]
        if case_id == "bad":
            raise RuntimeError("provider down")
        handled.append(case_id)

    event = {"Records": [_record("100", "a"), _record("200", "bad"), _record("300", "c")]}
    assert process_stream_batch(event, handle) == {"batchItemFailures": [{"itemIdentifier": "200"}]}
    assert handled == ["a", "c"]


def test_a_clean_batch_reports_nothing_and_an_empty_one_is_fine():
    seen: list[str] = []
    event = {"Records": [_record("1", "a"), _record("2", "b")]}
    assert process_stream_batch(event, lambda r: seen.append(r["eventID"])) == {"batchItemFailures": []}
    assert seen == ["e1", "e2"]
    assert process_stream_batch({"Records": []}, lambda r: seen.append("never")) == {"batchItemFailures": []}


def test_a_batch_whose_every_record_fails_raises_so_lambda_retries_it_whole(caplog):
    def fail(record):
        raise ValueError("table throttled")

    with pytest.raises(WholeBatchFailed, match="all 2 records"):
        process_stream_batch({"Records": [_record("7", "a"), _record("8", "b")]}, fail)
    assert "change 7 failed" in caplog.text and "table throttled" in caplog.text


def _sqs_record(message_id: str, change: dict | None, body: str | None = None) -> dict:
    # What a consumer polls from its change-feed queue: an SQS message whose body is the EventBridge event the
    # pipe put on the bus, the stream record as its detail.
    event = {"version": "0", "source": "omnicase.table", "detail-type": "table change", "detail": change}
    return {
        "messageId": message_id,
        "receiptHandle": f"h-{message_id}",
        "body": json.dumps(event, ensure_ascii=False) if body is None else body,
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:omnicase-SendOutboundQueue",
    }


def test_a_change_feed_batch_hands_over_the_stream_records_and_reports_failures_by_message_id():
    handled: list[str] = []

    def handle(record):
        case_id = record["dynamodb"]["NewImage"]["case_id"]["S"]
        if case_id == "坏":
            raise RuntimeError("provider down")
        handled.append(case_id)

    event = {"Records": [_sqs_record("m1", _record("1", "a")), _sqs_record("m2", _record("2", "坏"))]}
    assert process_stream_batch(event, handle) == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert handled == ["a"]


def test_a_message_that_carries_no_change_fails_so_it_reaches_the_failure_queue_instead_of_vanishing(caplog):
    handled: list[str] = []
    event = {
        "Records": [
            _sqs_record("m1", _record("1", "a")),
            _sqs_record("m2", None, body="not json"),
            _sqs_record("m3", {"eventName": "INSERT"}),  # an event, but no stream record in it
        ]
    }
    result = process_stream_batch(event, lambda r: handled.append(r["eventID"]))
    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}]}
    assert handled == ["e1"]
    assert "message m2: the body is not an EventBridge event" in caplog.text
