"""POST /cases (a case an agent opens) and POST /cases/{id}/calls (a call an agent logs) on moto."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

from tests.integration.conftest import TOKEN
from tests.integration.test_case_actions_api import request
from tests.integration.test_phone_calls import CALLER, deliver, phone, sample  # noqa: F401 - fixture
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.webhook_client import call

WALK_IN = {"channel": "phone", "phone": "138 0013 8000", "subject": "Printer jams", "message": "Jams on every page."}


def post(stack, path: str, body: object, key: str | None = None, token: str = TOKEN):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "X-Omnicase-Agent": "zhang.wei"}
    if key:
        headers["Idempotency-Key"] = key
    response = call(stack.handler("api"), "POST", path, headers=headers, body=json.dumps(body).encode())
    return response.status_code, response.json_body


def test_an_opened_case_is_routed_and_clocked_and_a_repeated_key_answers_the_same_case(stack, acme_config):  # noqa: F811
    body = {**WALK_IN, "phone": CALLER}
    status, opened = post(stack, "/cases", body, key="walk-in-1")
    again, repeated = post(stack, "/cases", body, key="walk-in-1")

    assert (status, again) == (201, 200) and repeated["case"]["case_id"] == opened["case"]["case_id"]
    case = opened["case"]
    assert case["channel"] == "phone" and case["service"]["deadlines"] and case["queue"]
    assert opened["messages"][0]["direction"] == "inbound" and opened["messages"][0]["body_text"] == WALK_IN["message"]
    _, trail = request(stack, "GET", f"/cases/{case['case_id']}/events")
    kinds = [e["kind"] for e in trail["events"]]
    assert {"routed", "deadline_set", "case_opened"} <= set(kinds)
    assert next(e for e in trail["events"] if e["kind"] == "case_opened")["actor"] == "zhang.wei"
    assert len(request(stack, "GET", "/cases?channel=phone")[1]["cases"]) == 1
    _, detail = request(stack, "GET", f"/cases/{case['case_id']}")
    assert sorted(detail["customer"]["identities"]) == [f"phone:{CALLER}", f"sms:{CALLER}"]
    assert [m["direction"] for m in detail["messages"]] == ["inbound"]  # no acknowledgement


def test_a_vips_walk_in_opened_by_customer_id_takes_the_green_channel(stack, acme_config):  # noqa: F811
    _, first = post(stack, "/cases", {**WALK_IN, "phone": CALLER})
    customer = first["case"]["customer_id"]
    assert request(stack, "PATCH", f"/customers/{customer}", {"tier": "vip"})[0] == 200

    status, opened = post(stack, "/cases", {**WALK_IN, "customer_id": customer, "phone": None, "subject": "又来了"})

    assert status == 201
    case = opened["case"]
    assert (case["customer_id"], case["queue"], case["priority"]) == (customer, "vip", "high")
    _, detail = request(stack, "GET", f"/customers/{customer}")
    assert sorted(detail["identities"]) == [f"phone:{CALLER}", f"sms:{CALLER}"]  # nothing new made of the names


def test_a_used_key_with_a_changed_request_is_422_naming_the_case_and_opens_nothing(stack, acme_config):  # noqa: F811
    body = {**WALK_IN, "phone": CALLER, "subject": "打印机卡纸", "message": "每一页都卡纸。"}
    _, opened = post(stack, "/cases", body, key="desk-7")
    case_id = opened["case"]["case_id"]

    for change, fields in [
        ({"message": "每一页都卡纸！"}, ["message"]),
        ({"subject": "打印机卡纸 "}, []),  # cleaned and stripped as the first one was: the same request
        ({"subject": "扫描仪"}, ["subject"]),
        ({"phone": "+8613900139000"}, ["customer"]),
        ({"message": None, "note": "每一页都卡纸。"}, ["note"]),
        ({"channel": "sms"}, ["channel"]),
    ]:
        status, answer = post(stack, "/cases", {**body, **change}, key="desk-7")
        if not fields:
            assert (status, answer["case"]["case_id"]) == (200, case_id)
            continue
        assert status == 422, (change, answer)
        assert answer["Code"] == "idempotency-key-reused" and case_id in answer["Message"]
        assert "desk-7" not in answer["Message"]  # the client's key may spell a customer: never echoed, never logged
        assert (answer["case_id"], answer["fields"]) == (case_id, fields)
    assert [c["case_id"] for c in request(stack, "GET", "/cases")[1]["cases"]] == [case_id]
    assert post(stack, "/cases", body, key="desk-7")[0] == 200  # the first request itself still repeats


def test_another_tenant_may_use_the_same_key_for_its_own_case(stack, acme_config):  # noqa: F811
    body = {**WALK_IN, "phone": CALLER}
    _, ours = post(stack, "/cases", body, key="desk-8")

    status, theirs = post(stack, "/cases", {**body, "subject": "Globex's own"}, key="desk-8", token="globex-token")

    assert status == 201 and theirs["case"]["case_id"] != ours["case"]["case_id"]
    assert theirs["case"]["subject"] == "Globex's own"


def test_an_existing_customer_by_id_and_a_note_instead_of_a_message(stack, acme_config):  # noqa: F811
    _, first = post(stack, "/cases", {**WALK_IN, "phone": CALLER})
    customer = first["case"]["customer_id"]

    status, second = post(
        stack,
        "/cases",
        {
            "channel": "sms",
            "customer_id": customer,
            "subject": "Follow-up",
            "note": "Came to the desk; wants a text when it ships.",
        },
    )

    assert status == 201 and second["case"]["customer_id"] == customer
    assert second["case"]["case_id"] != first["case"]["case_id"]  # never threaded onto the open case
    assert second["messages"][0]["direction"] == "note"
    _, detail = request(stack, "GET", f"/cases/{second['case']['case_id']}")
    assert detail["case"]["contact_address"] == CALLER


def test_two_first_cases_for_one_new_address_make_one_customer(stack, acme_config):  # noqa: F811
    answers: list = []
    body = {"channel": "email", "email": "Ann@Example.com", "subject": "Hi", "message": "Hello"}
    threads = [threading.Thread(target=lambda: answers.append(post(stack, "/cases", body))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert [a[0] for a in answers] == [201, 201]
    assert len({a[1]["case"]["customer_id"] for a in answers}) == 1


def test_bad_case_requests_are_400_or_404_and_open_nothing(stack, acme_config):  # noqa: F811
    for body, reason in [
        ({**WALK_IN, "channel": "email"}, "needs the customer's email address"),
        ({**WALK_IN, "phone": "12"}, "E.164"),
        ({**WALK_IN, "note": "x"}, '"message"'),
        ({**WALK_IN, "channel": "fax"}, "fax"),
        ({**WALK_IN, "email": "a@b.c"}, "name the customer once"),
        ({**WALK_IN, "colour": "red"}, "unknown fields"),
    ]:
        status, answer = post(stack, "/cases", body)
        assert status == 400 and reason in answer["Message"], (body, answer)
    assert post(stack, "/cases", {**WALK_IN, "phone": None, "customer_id": "NOPE"})[0] == 404
    assert post(stack, "/cases", WALK_IN, key="bad key")[0] == 400
    assert request(stack, "GET", "/cases")[1]["cases"] == []


def test_a_reached_outbound_call_is_logged_and_is_the_first_response(stack, acme_config):  # noqa: F811
    _, opened = post(stack, "/cases", {**WALK_IN, "phone": CALLER})
    case_id = opened["case"]["case_id"]
    started = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    body = {"direction": "outbound", "outcome": "reached", "started_at": started, "duration_s": 240, "note": "Sent."}

    status, logged = post(stack, f"/cases/{case_id}/calls", body)

    assert status == 201 and logged["note"]["direction"] == "note"
    (event,) = [e for e in logged["events"] if e["kind"] == "call_logged"]
    assert event["detail"] == {
        "direction": "outbound",
        "outcome": "reached",
        "started_at": event["detail"]["started_at"],
        "duration_s": 240,
        "agent_id": "zhang.wei",
    }
    assert logged["case"]["service"]["first_response_at"] and logged["case"]["status"] == "open"


def test_a_call_that_did_not_reach_the_customer_leaves_the_first_response_open(stack, acme_config):  # noqa: F811
    _, opened = post(stack, "/cases", {**WALK_IN, "phone": CALLER})
    case_id = opened["case"]["case_id"]
    body = {
        "direction": "outbound",
        "outcome": "no_answer",
        "started_at": datetime.now(UTC).isoformat(),
        "duration_s": 0,
    }

    status, logged = post(stack, f"/cases/{case_id}/calls", body)

    assert status == 201 and not logged["case"]["service"].get("first_response_at")


def test_bad_calls_are_refused_with_the_reason(stack, acme_config):  # noqa: F811
    _, opened = post(stack, "/cases", {**WALK_IN, "phone": CALLER})
    path = f"/cases/{opened['case']['case_id']}/calls"
    good = {"direction": "outbound", "outcome": "reached", "started_at": "2025-03-03T09:30:00+08:00", "duration_s": 60}
    for change, reason in [
        ({"outcome": "hung_up"}, "outcome must be one of"),
        ({"direction": "sideways"}, "direction must be one of"),
        ({"started_at": "yesterday"}, "ISO 8601"),
        ({"started_at": "2025-03-03T09:30:00"}, "offset"),
        ({"started_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}, "future"),
        ({"duration_s": -1}, "duration_s"),
        ({"duration_s": "60"}, "duration_s"),
    ]:
        status, answer = post(stack, path, {**good, **change})
        assert status == 400 and reason in answer["Message"], (change, answer)
    assert post(stack, "/cases/NOSUCHCASE/calls", good)[0] == 404


def test_a_missed_call_is_called_back_and_the_callback_case_records_it(stack, phone):  # noqa: F811
    deliver(stack, sample("02_missed_in_queue.json"))
    (callback,) = [c for c in request(stack, "GET", "/cases?channel=phone")[1]["cases"] if "callback" in c["tags"]]
    body = {
        "direction": "outbound",
        "outcome": "reached",
        "started_at": datetime.now(UTC).isoformat(),
        "duration_s": 90,
    }

    status, logged = post(stack, f"/cases/{callback['case_id']}/calls", body)

    assert status == 201 and logged["case"]["service"]["first_response_at"]
    _, trail = request(stack, "GET", f"/cases/{callback['case_id']}/events")
    assert [e["detail"]["outcome"] for e in trail["events"] if e["kind"] == "call_logged"] == ["reached"]
