"""Connect contact events → calls (pure), and DescribeContact's request checked against botocore's service model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omnicase.channels.phone.connect_call import call_of
from omnicase.channels.phone.contact_event import parse_contact_event
from omnicase.domain.errors import RejectedInput

EVENTS = Path(__file__).resolve().parents[3] / "events" / "phone"


def sample(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def test_an_answered_inbound_call_is_reached_with_its_talk_time_queue_and_agent():
    call = call_of(parse_contact_event(sample("01_inbound_answered.json")))
    assert call is not None and (call.direction, call.outcome, call.duration_s) == ("inbound", "reached", 252)
    assert (
        call.queue == "aaaaaaaa-1111-2222-3333-444444444444"
        and call.agent_id == "connect:bbbbbbbb-1111-2222-3333-444444444444"
    )
    assert not call.wants_callback


def test_a_call_that_waited_in_a_queue_without_an_agent_is_missed_and_wants_a_callback():
    call = call_of(parse_contact_event(sample("02_missed_in_queue.json")))
    assert call is not None and call.outcome == "missed" and call.wants_callback and call.duration_s == 185


def test_pascal_case_keys_and_voice_in_any_case_read_the_same():
    event = parse_contact_event(sample("03_outbound_reached.json"))
    call = call_of(event)
    assert event.system_address == "+15005550006" and event.customer_address is None
    assert call is not None and (call.direction, call.outcome, call.duration_s) == ("outbound", "reached", 240)


def test_an_outbound_call_nobody_answered_is_no_answer_and_an_ivr_hang_up_is_self_service():
    outbound = sample("03_outbound_reached.json")
    del outbound["detail"]["connectedToSystemTimestamp"]
    ivr = sample("02_missed_in_queue.json")
    del ivr["detail"]["queueInfo"]
    assert call_of(parse_contact_event(outbound)).outcome == "no_answer"
    assert call_of(parse_contact_event(ivr)).outcome == "self_service"


def test_connects_placeholder_epoch_time_means_not_yet():
    event = sample("01_inbound_answered.json")
    event["detail"]["agentInfo"]["connectedToAgentTimestamp"] = "1970-01-01T00:00:00.001Z"
    assert call_of(parse_contact_event(event)).outcome == "missed"


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e["detail"].pop("contactId"),
        lambda e: e["detail"].update(instanceArn="arn:aws:s3:::bucket"),
        lambda e: e.update({"detail-type": "Scheduled Event"}),
        lambda e: e["detail"].update(disconnectTimestamp="yesterday"),
        lambda e: e.pop("detail"),
    ],
)
def test_a_malformed_event_is_refused_with_a_reason(change):
    event = sample("01_inbound_answered.json")
    change(event)
    with pytest.raises(RejectedInput) as refused:
        parse_contact_event(event)
    assert refused.value.reason == "malformed"


def test_describe_contact_is_asked_as_the_connect_api_takes_it(monkeypatch):
    import boto3
    from botocore.stub import Stubber

    from omnicase.aws import clients
    from omnicase.aws.connect_contacts import ConnectContacts

    connect = boto3.client("connect", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(connect)
    stub.add_response(
        "describe_contact",
        {"Contact": {"Id": "c1", "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+8613800138000"}}},
        {"InstanceId": "12345678-1234-1234-1234-123456789012", "ContactId": "c1"},
    )
    stub.add_client_error("describe_contact", "ResourceNotFoundException", http_status_code=404)
    monkeypatch.setattr(clients, "client", lambda service: connect)
    monkeypatch.setattr("omnicase.aws.connect_contacts.client", lambda service: connect)
    arn = "arn:aws:connect:us-east-1:111122223333:instance/12345678-1234-1234-1234-123456789012"
    with stub:
        assert ConnectContacts().caller_of(arn, "c1") == "+8613800138000"
        assert ConnectContacts().caller_of(arn, "gone") is None
