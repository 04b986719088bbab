"""`omnicase local` with Amazon Connect: a missed call fed through POST /_local/connect/events (the local default
bus, the template's rule, ConnectEventsQueue, ingest_connect) opens a callback case; an agent logs a reached call
on it, and the SLA report's callback rate counts it done."""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from omnicase_local.fake_connect import CONNECT_EVENTS
from omnicase_local.runtime import DemoTenant
from tests.e2e.conftest import API_TOKEN, REPO, LocalStack, run_local

pytestmark = pytest.mark.e2e
INSTANCE = DemoTenant().connect_instance_arn


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with run_local() as running:
        yield running


def post(stack: LocalStack, path: str, document: object, token: str | None = API_TOKEN) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(stack.http_url + path, json.dumps(document).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def missed_call(caller: str) -> dict:
    """events/phone/02_missed_in_queue.json, now, on the demo tenant's instance, naming its caller."""
    event = json.loads((REPO / "events" / "phone" / "02_missed_in_queue.json").read_text())
    contact, ended = str(uuid.uuid4()), datetime.now(UTC)
    detail = event["detail"]
    detail.update(
        contactId=contact,
        initialContactId=contact,
        instanceArn=INSTANCE,
        initiationTimestamp=(ended - timedelta(minutes=3)).isoformat(),
        connectedToSystemTimestamp=(ended - timedelta(minutes=3)).isoformat(),
        disconnectTimestamp=ended.isoformat(),
        customerEndpoint={"type": "TELEPHONE_NUMBER", "address": caller},
    )
    detail["queueInfo"]["enqueueTimestamp"] = (ended - timedelta(minutes=2)).isoformat()
    event["resources"] = [f"{INSTANCE}/contact/{contact}", INSTANCE]
    return event


def callbacks(stack: LocalStack) -> dict:
    return stack.get("/reports/sla")[1]["callback_3d"]


def test_a_missed_call_opens_a_callback_case_and_a_reached_call_moves_the_callback_rate(stack):
    caller = f"+1425555{random.randint(1000, 9999)}"
    before = callbacks(stack)

    # Given a caller who waited in the queue and hung up (Connect's DISCONNECTED event on the default bus)
    status, answer = post(stack, CONNECT_EVENTS, missed_call(caller), token=None)
    assert status == 202 and answer["event_ids"], answer

    # Then a callback case for that number is opened and counted, not yet done
    callback = stack.wait_for(
        lambda: [
            c
            for c in stack.get("/cases?channel=phone&limit=100")[1]["cases"]
            if c["contact_address"] == caller and "callback" in c["tags"]
        ],
        timeout=20,
    )[0]
    opened = stack.wait_for(lambda: (c := callbacks(stack))["denominator"] == before["denominator"] + 1 and c)
    assert opened["numerator"] == before["numerator"]

    # When an agent calls back and reaches the customer
    call = {
        "direction": "outbound",
        "outcome": "reached",
        "started_at": datetime.now(UTC).isoformat(),
        "duration_s": 95,
        "note": "Called back; the parcel is re-sent.",
    }
    status, logged = post(stack, f"/cases/{callback['case_id']}/calls", call)
    assert status == 201, logged

    # Then the report counts the callback done within 3 days
    done = stack.wait_for(lambda: (c := callbacks(stack))["numerator"] == before["numerator"] + 1 and c)
    assert done["denominator"] == before["denominator"] + 1


def test_the_door_refuses_an_event_that_does_not_name_its_caller(stack):
    event = missed_call("+14255550000")
    del event["detail"]["customerEndpoint"]
    status, answer = post(stack, CONNECT_EVENTS, event, token=None)
    assert status == 400 and "customerEndpoint" in answer["message"]
