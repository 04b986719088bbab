"""Contact Lens transcripts on moto: the analysis file's S3 event → ingest_connect → a message on the case of its
call (found by the contact id), stored once; before its call it is not lost, and the call joins it."""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import ROOT
from tests.integration.test_case_actions_api import request
from tests.integration.test_phone_calls import CALLER, cases, deliver, phone, sample  # noqa: F401 - fixture
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture

BUCKET = "amzn-s3-demo-connect-bucket"


@pytest.fixture
def analysis(stack, phone):  # noqa: F811
    """The sample analysis file in the instance's bucket, and its Object Created event."""
    import boto3

    event = sample("05_analysis_object_created.json")
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    body = (ROOT / "events" / "phone" / "04_contact_lens_analysis_redacted.json").read_bytes()
    s3.put_object(Bucket=BUCKET, Key=event["detail"]["object"]["key"], Body=body)
    return event


def thread(stack, case_id: str) -> list[dict]:
    return request(stack, "GET", f"/cases/{case_id}")[1]["messages"]


def test_a_transcript_joins_its_calls_case_with_who_said_what_and_a_redelivery_stores_it_once(stack, analysis):
    deliver(stack, sample("01_inbound_answered.json"))
    (case,) = cases(stack)

    first = deliver(stack, analysis)
    again = deliver(stack, analysis, json.loads(json.dumps(analysis)))

    assert first == again == {"batchItemFailures": []}
    assert [c["case_id"] for c in cases(stack)] == [case["case_id"]]
    call, transcript = thread(stack, case["case_id"])
    assert "answered by" in call["body_text"]
    assert transcript["direction"] == "inbound" and transcript["channel"] == "phone"
    assert transcript["sender"] == CALLER and transcript["subject"] == "Call transcript"
    lines = transcript["body_text"].splitlines()
    assert lines[1:4] == [
        "Agent: Okay.",
        "Caller: Just hello. My name is [PII] and help.",
        "Agent: Hello. [PII], how can I help you?",
    ]


def test_a_transcript_before_its_call_goes_to_the_callers_case_and_the_call_lands_there_too(stack, analysis, phone):  # noqa: F811
    assert deliver(stack, analysis) == {"batchItemFailures": []}
    (case,) = cases(stack)
    assert phone.asked == ["c1000000-0000-0000-0000-000000000001"]  # DescribeContact named the caller

    deliver(stack, sample("01_inbound_answered.json"))

    assert [c["case_id"] for c in cases(stack)] == [case["case_id"]]
    subjects = sorted(m["subject"] for m in thread(stack, case["case_id"]))
    assert subjects == ["Call transcript", "Phone call"]


def test_a_transcript_of_a_withheld_number_waits_in_the_queue_until_its_call_is_stored(stack, analysis, phone):  # noqa: F811
    phone.numbers.clear()  # no caller number: nowhere to put it before the call

    assert deliver(stack, analysis) == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert cases(stack) == []
    deliver(stack, sample("01_inbound_answered.json"))  # a call without a customer
    assert deliver(stack, analysis) == {"batchItemFailures": []}  # the queue brings it again

    (case,) = cases(stack)
    assert [m["subject"] for m in thread(stack, case["case_id"])] == ["Phone call", "Call transcript"]


def test_the_original_file_is_skipped_when_the_stack_takes_redacted_ones(stack, analysis):
    original = json.loads(json.dumps(analysis))
    original["detail"]["object"]["key"] = (
        "Analysis/Voice/2025/03/03/c1000000-0000-0000-0000-000000000001_analysis_2025-03-03T01:07:39Z.json"
    )

    assert deliver(stack, original) == {"batchItemFailures": []}
    assert cases(stack) == []


def test_an_analysis_file_of_an_unknown_instance_stays_for_replay(stack, analysis):
    import boto3

    document = json.loads((ROOT / "events" / "phone" / "04_contact_lens_analysis_redacted.json").read_text())
    document["CustomerMetadata"]["InstanceId"] = "99999999-1234-1234-1234-123456789012"
    boto3.client("s3").put_object(Bucket=BUCKET, Key=analysis["detail"]["object"]["key"], Body=json.dumps(document))

    assert deliver(stack, analysis) == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert cases(stack) == []
