"""Amazon Connect calls on moto: the EventBridge rule → queue → ingest_connect → the caller's case, callbacks for
missed calls, outbound calls logged, redelivery stored once, unknown instances kept in the failure queue
for replay."""

from __future__ import annotations

import copy
import json

import pytest

from tests.integration.conftest import ROOT, TOKEN
from tests.integration.inbound_traffic import FakeContext
from tests.integration.test_case_actions_api import request
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture

INSTANCE = "arn:aws:connect:us-east-1:111122223333:instance/12345678-1234-1234-1234-123456789012"
CALLER = "+8613800138000"


def sample(name: str) -> dict:
    return json.loads((ROOT / "events" / "phone" / name).read_text())


class FakeCallers:
    """DescribeContact's answer (moto has no Amazon Connect): the caller's number of each contact."""

    def __init__(self, numbers: dict[str, str]) -> None:
        self.numbers = numbers
        self.asked: list[str] = []

    def caller_of(self, instance_arn: str, contact_id: str) -> str | None:
        self.asked.append(contact_id)
        return self.numbers.get(contact_id)


@pytest.fixture
def phone(stack, acme_config):  # noqa: F811
    from omnicase.admin import seed_tenant
    from omnicase.wiring import channel_intake, rebind

    seed_tenant(
        "acme",
        "Acme Support",
        ["support@acme.example"],
        TOKEN,
        "support@acme.example",
        endpoints=["sms:+15005550006", "wechat:gh_acme0000001", "chat:web", f"phone:{INSTANCE}"],
    )
    rebind()
    callers = FakeCallers({f"c1000000-0000-0000-0000-00000000000{n}": CALLER for n in (1, 2, 3)})
    channel_intake("phone").callers = callers
    return callers


def deliver(stack, *events: dict) -> dict:
    records = [{"messageId": f"m{n}", "eventSource": "aws:sqs", "body": json.dumps(e)} for n, e in enumerate(events)]
    return stack.handler("ingest_connect")({"Records": records}, FakeContext())


def cases(stack, channel: str = "phone") -> list[dict]:
    return request(stack, "GET", f"/cases?channel={channel}")[1]["cases"]


def test_a_call_on_the_default_bus_reaches_the_callers_case_through_the_rule_and_queue(stack, phone):
    import boto3

    from omnicase_local.streams import drain

    event = sample("01_inbound_answered.json")
    boto3.client("events").put_events(
        Entries=[{"Source": event["source"], "DetailType": event["detail-type"], "Detail": json.dumps(event["detail"])}]
    )
    drain()

    (case,) = cases(stack)
    _, detail = request(stack, "GET", f"/cases/{case['case_id']}")
    (message,) = detail["messages"]
    assert message["direction"] == "inbound" and message["channel"] == "phone" and message["sender"] == CALLER
    assert "answered by connect:bbbbbbbb" in message["body_text"] and "4 min 12 s" in message["body_text"]
    assert detail["case"]["service"]["first_response_at"]  # a person answered: the first response is met
    assert sorted(detail["customer"]["identities"]) == [f"phone:{CALLER}", f"sms:{CALLER}"]
    assert not [m for m in detail["messages"] if m["direction"] == "outbound"]  # no acknowledgement for a call


def test_a_caller_who_texted_before_is_the_same_customer(stack, phone):
    from omnicase.wiring import sms_intake

    sms = {
        "originationNumber": CALLER,
        "destinationNumber": "+15005550006",
        "messageKeyword": "KEYWORD_111122223333",
        "messageBody": "my parcel never came",
        "inboundMessageId": "sms-before-the-call",
    }
    texted = sms_intake().receive_pinpoint(json.dumps(sms))
    deliver(stack, sample("01_inbound_answered.json"))

    (call,) = cases(stack)
    (text,) = cases(stack, "sms")
    assert call["customer_id"] == text["customer_id"] and texted.case_id == text["case_id"]


def test_a_missed_call_opens_one_callback_case_and_a_redelivery_changes_nothing(stack, phone):
    missed = sample("02_missed_in_queue.json")
    first = deliver(stack, missed)
    again = deliver(stack, copy.deepcopy(missed), missed)

    assert first == again == {"batchItemFailures": []}
    call = next(c for c in cases(stack) if "callback" not in c["tags"])
    (callback,) = [c for c in cases(stack) if "callback" in c["tags"]]
    _, detail = request(stack, "GET", f"/cases/{call['case_id']}")
    assert len(detail["messages"]) == 1 and "Missed call" in detail["messages"][0]["body_text"]
    assert callback["queue"] == "callbacks" and callback["priority"] == "high"
    _, trail = request(stack, "GET", f"/cases/{callback['case_id']}/events")
    assert [e["kind"] for e in trail["events"]] == ["callback_opened"]
    # The number's next call lands on the callback case.
    later = sample("01_inbound_answered.json")
    deliver(stack, later)
    _, callback_now = request(stack, "GET", f"/cases/{callback['case_id']}")
    assert [m["channel"] for m in callback_now["messages"]] == ["phone"]


def test_an_outbound_call_that_reached_the_customer_is_logged_and_is_the_first_response(stack, phone):
    deliver(stack, sample("03_outbound_reached.json"))

    (case,) = cases(stack)
    _, trail = request(stack, "GET", f"/cases/{case['case_id']}/events")
    (logged,) = [e for e in trail["events"] if e["kind"] == "call_logged"]
    assert logged["detail"]["outcome"] == "reached" and logged["detail"]["direction"] == "outbound"
    assert logged["detail"]["duration_s"] == 240 and logged["detail"]["agent_id"].startswith("connect:")
    _, detail = request(stack, "GET", f"/cases/{case['case_id']}")
    assert detail["case"]["service"]["first_response_at"]


def test_an_unknown_instance_or_a_malformed_event_is_refused_writes_nothing_and_stays_for_replay(stack, phone):
    stranger = sample("01_inbound_answered.json")
    stranger["detail"]["instanceArn"] = INSTANCE.replace("12345678-1234", "99999999-1234")
    broken = sample("02_missed_in_queue.json")
    del broken["detail"]["contactId"]

    answer = deliver(stack, stranger, broken, {"detail-type": "Scheduled Event"})

    # Failed, so the queue keeps them and moves them to its failure queue (redrive policy) for `omnicase replay`.
    assert answer == {"batchItemFailures": [{"itemIdentifier": f"m{n}"} for n in range(3)]}
    assert cases(stack) == [] and phone.asked == []  # refused before the caller was looked up


def test_a_call_of_an_instance_added_later_waits_in_the_failure_queue_once_and_replay_stores_it(stack, phone, capsys):
    import boto3

    from omnicase.admin import seed_tenant
    from omnicase.wiring import rebind
    from omnicase_local.streams import drain
    from tests.integration.test_replay import depth, queue_named, replay

    later = INSTANCE.replace("12345678-1234", "99999999-1234")
    event = sample("01_inbound_answered.json")
    event["detail"]["instanceArn"] = later
    boto3.client("events").put_events(
        Entries=[{"Source": event["source"], "DetailType": event["detail-type"], "Detail": json.dumps(event["detail"])}]
    )
    drain()

    failures = queue_named("ConnectEventsFailureQueue")
    assert depth(failures) == 1 and depth(queue_named("ConnectEventsQueue")) == 0  # 5 receives, then kept once
    assert cases(stack) == []
    seed_tenant(
        "acme",
        "Acme Support",
        ["support@acme.example"],
        TOKEN,
        "support@acme.example",
        endpoints=["sms:+15005550006", f"phone:{INSTANCE}", f"phone:{later}"],
    )
    rebind()
    from omnicase.wiring import channel_intake

    channel_intake("phone").callers = phone

    code, out = replay(capsys, "--queue", failures)
    again = replay(capsys, "--queue", failures)[1]

    assert code == 0 and "1 replayed" in out and depth(failures) == 0, out
    assert "nothing to replay" in again
    (case,) = cases(stack)
    assert case["contact_address"] == CALLER


def test_events_that_are_no_finished_voice_call_are_ignored(stack, phone):
    queued = sample("01_inbound_answered.json")
    queued["detail"]["eventType"] = "QUEUED"
    chat = sample("02_missed_in_queue.json")
    chat["detail"]["channel"] = "CHAT"

    assert deliver(stack, queued, chat) == {"batchItemFailures": []}
    assert cases(stack) == []


def test_a_failing_lookup_is_retried_by_the_queue(stack, phone):
    class Throttled(FakeCallers):
        def caller_of(self, instance_arn: str, contact_id: str) -> str | None:
            raise RuntimeError("ThrottlingException")

    from omnicase.wiring import channel_intake

    channel_intake("phone").callers = Throttled({})
    assert deliver(stack, sample("01_inbound_answered.json")) == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert cases(stack) == []
