"""The escalation flow for real on moto: Step Functions executions wake at each deadline and run the check task.

A seconds-scale SLA policy on a 24x7 calendar keeps the waits short.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from omnicase.domain.model import Priority
from omnicase.domain.tenant_config import (
    Agent,
    BusinessCalendar,
    EscalationPolicy,
    Queue,
    SlaPolicy,
    SlaTargets,
    TenantConfig,
)
from tests.integration.conftest import TOKEN
from tests.integration.webhook_client import call, chat_post

FAST = TenantConfig(
    tenant_id="acme",
    calendars={"always": BusinessCalendar("always", "UTC", always_open=True)},
    sla=SlaPolicy(
        "always",
        {
            Priority.NORMAL: SlaTargets(first_response=timedelta(seconds=3)),
            Priority.HIGH: SlaTargets(first_response=timedelta(seconds=3)),
            Priority.URGENT: SlaTargets(first_response=timedelta(seconds=2)),
        },
        warning_before=timedelta(seconds=1),
    ),
    escalation=EscalationPolicy(level_interval=timedelta(seconds=2), queue="escalations"),
    queues={"general": Queue("general", supervisor="wang"), "escalations": Queue("escalations")},
    agents={"wang": Agent("wang", "Wang Fang", role="supervisor"), "zhao": Agent("zhao", "Zhao Lei", role="manager")},
    managers=("zhao",),
)


@pytest.fixture
def fast_sla(stack):
    from omnicase.wiring import config_store

    config_store().save(FAST, expected_version=None)
    return FAST


def api(stack, method: str, path: str, body: dict | None = None):
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", "X-Omnicase-Agent": "li.na"}
    data = json.dumps(body).encode() if body is not None else b""
    return call(stack.handler("api"), method, path, headers=headers, body=data)


def open_chat_case(stack, n: int) -> str:
    message = {"conversation_id": f"conv-{n}", "message_id": f"m-{n}", "user_id": f"visitor-{n}", "text": "还在吗？"}
    assert chat_post(stack, message).status_code == 201
    listed = api(stack, "GET", "/cases?limit=100").json_body["cases"]
    return next(c["case_id"] for c in listed if c["contact_address"] == f"visitor-{n}")


def events(stack, case_id: str) -> list[dict]:
    return api(stack, "GET", f"/cases/{case_id}/events").json_body["events"]


def wait_for(stack, case_id: str, done, seconds: float = 25.0) -> list[dict]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen = events(stack, case_id)
        if done(seen):
            return seen
        time.sleep(0.3)
    raise AssertionError(f"timed out; events so far: {[(e['kind'], e['reason']) for e in seen]}")


def levels(seen: list[dict]) -> list[int]:
    return [e["detail"]["level"] for e in seen if e["kind"] == "escalated"]


def test_an_unanswered_case_is_warned_then_escalated_level_by_level(stack, fast_sla):
    case_id = open_chat_case(stack, 1)

    seen = wait_for(stack, case_id, lambda s: 3 in levels(s))

    kinds = [e["kind"] for e in seen]
    assert (
        kinds.index("routed") < kinds.index("deadline_set") < kinds.index("sla_warning") < kinds.index("sla_breached")
    )
    assert levels(seen) == [1, 2, 3]
    level2 = next(e for e in seen if e["kind"] == "escalated" and e["detail"]["level"] == 2)
    assert level2["detail"]["notified"] == ["wang"]
    case = api(stack, "GET", f"/cases/{case_id}").json_body["case"]
    assert case["queue"] == "escalations" and case["priority"] == "high"
    assert case["service"]["escalation_level"] == 3 and case["service"]["breached"] == ["first_response"]
    breached = api(stack, "GET", "/cases?breached=true").json_body["cases"]
    assert [c["case_id"] for c in breached] == [case_id]
    # The execution started asleep until the first deadline: its first check task ran only after that first Wait
    entered = [e["type"] for e in first_execution_history(case_id) if e["type"].endswith("StateEntered")]
    assert entered[:3] == ["ChoiceStateEntered", "WaitStateEntered", "TaskStateEntered"]


def first_execution_history(case_id: str) -> list[dict]:
    import os

    import boto3

    sfn = boto3.client("stepfunctions")
    machine = os.environ["ESCALATION_STATE_MACHINE_ARN"]
    runs = sfn.list_executions(stateMachineArn=machine)["executions"]
    (first,) = [r for r in runs if r["name"].startswith(f"acme-{case_id}-1-")]
    return sfn.get_execution_history(executionArn=first["executionArn"])["events"]


def test_an_answered_case_does_not_escalate(stack, fast_sla):
    case_id = open_chat_case(stack, 2)
    reply = api(stack, "POST", f"/cases/{case_id}/replies", {"body": "您好，我们正在处理。"})
    assert reply.status_code == 201 and reply.json_body["message"]["delivery_status"] == "queued"

    time.sleep(5)  # past the 3 s target

    kinds = [e["kind"] for e in events(stack, case_id)]
    assert "responded" in kinds and "sla_breached" not in kinds and "escalated" not in kinds
    case = api(stack, "GET", f"/cases/{case_id}").json_body["case"]
    assert case["status"] == "open" and case["service"]["first_response_at"] is not None


def test_a_paused_case_waits_and_its_clock_resumes_later(stack, fast_sla):
    case_id = open_chat_case(stack, 3)
    assert api(stack, "PATCH", f"/cases/{case_id}", {"status": "pending"}).status_code == 200

    time.sleep(4)  # the 3 s target would have passed had the clock run
    assert "sla_breached" not in [e["kind"] for e in events(stack, case_id)]

    resumed = api(stack, "PATCH", f"/cases/{case_id}", {"status": "open"}).json_body["case"]
    (clock,) = resumed["service"]["deadlines"]
    assert clock["due_at"] > resumed["updated_at"]  # moved past the pause
    seen = wait_for(stack, case_id, lambda s: "sla_breached" in [e["kind"] for e in s])
    assert [e["kind"] for e in seen].count("paused") == 1


def test_a_reprioritized_case_moves_its_deadline_and_escalates_sooner(stack, fast_sla):
    slow = {**FAST.sla.targets, Priority.NORMAL: SlaTargets(first_response=timedelta(minutes=5))}
    from dataclasses import replace

    from omnicase.wiring import config_store

    config_store().save(replace(FAST, sla=replace(FAST.sla, targets=slow), version=1), expected_version=1)
    case_id = open_chat_case(stack, 4)
    before = api(stack, "GET", f"/cases/{case_id}").json_body["case"]["service"]["next_deadline"]

    after = api(stack, "PATCH", f"/cases/{case_id}", {"priority": "urgent"}).json_body["case"]["service"]

    assert after["next_deadline"] < before
    seen = wait_for(stack, case_id, lambda s: "sla_breached" in [e["kind"] for e in s], seconds=15)
    assert any(e["kind"] == "priority_changed" and e["actor"] == "li.na" for e in seen)


def test_the_timer_item_refuses_a_stale_case_or_a_former_owner_and_never_bumps_the_case(stack):
    from omnicase.domain.errors import ConcurrentUpdate
    from omnicase.domain.timer_ownership import CaseTimer
    from omnicase.wiring import case_store, timer_store

    case_id = open_chat_case(stack, 9)
    timers = timer_store()
    case, timer = timers.read("acme", case_id)
    assert case is not None and timer == CaseTimer()  # no SLA configured: never claimed
    assert timers.claim(case, CaseTimer("exec-1", 1), read_generation=0)
    assert not timers.claim(case, CaseTimer("exec-2", 1), read_generation=0)  # lost the race

    timers.set_wake(case, "exec-1", case.created_at, [])
    assert timers.read("acme", case_id)[0].version == case.version  # bookkeeping leaves the case alone
    with pytest.raises(ConcurrentUpdate):
        timers.set_wake(case, "exec-2", None, [])  # not the owner
    edited = case_store().get("acme", case_id)
    edited.subject = "edited by an agent"
    case_store().save(edited, [])
    with pytest.raises(ConcurrentUpdate):
        timers.set_wake(case, "exec-1", None, [])  # computed from the version before the edit
