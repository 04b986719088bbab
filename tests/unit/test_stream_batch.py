"""Partial batch responses: failed records are reported by sequence number; the rest are handled once each."""

from __future__ import annotations

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
    assert "stream record 7 failed" in caplog.text and "table throttled" in caplog.text
