"""`omnicase local` with a seconds-scale SLA (tests/fixtures/config/fast-sla.yaml): a chat case over HTTP is routed,
warned, breached and escalated by the Step Functions flow, all read back over HTTP."""

from __future__ import annotations

import json
import urllib.request

from tests.e2e.conftest import API_TOKEN, REPO, LocalStack, run_local
from tests.e2e.console_driver import post_chat

FAST_SLA = REPO / "tests" / "fixtures" / "config" / "fast-sla.yaml"


def send(stack: LocalStack, method: str, path: str, document: dict) -> dict:
    headers = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json", "X-Omnicase-Agent": "li"}
    request = urllib.request.Request(stack.http_url + path, json.dumps(document).encode(), headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def kinds(stack: LocalStack, case_id: str) -> list[str]:
    return [e["kind"] for e in stack.get(f"/cases/{case_id}/events")[1]["events"]]


def test_unanswered_escalates_level_by_level_answered_does_not_paused_waits_reprioritized_moves(monkeypatch) -> None:
    monkeypatch.setenv("OMNICASE_LOCAL_CONFIG", str(FAST_SLA))
    with run_local() as stack:
        texts = {"u-1": "发票开错了", "u-2": "hello", "u-3": "在吗", "u-4": "urgent?"}
        for n, (user, text) in enumerate(texts.items()):
            document = {"conversation_id": f"c-{n}", "message_id": f"m-{n}", "user_id": user, "text": text}
            assert post_chat(stack, document) == 201
        listed = stack.wait_for(lambda: len(stack.get("/cases")[1]["cases"]) == 4 and stack.get("/cases")[1]["cases"])
        by_user = {c["contact_address"]: c for c in listed}
        billing, paused, answered, urgent = (by_user[u] for u in texts)
        send(stack, "PATCH", f"/cases/{paused['case_id']}", {"status": "on_hold"})
        send(stack, "POST", f"/cases/{answered['case_id']}/replies", {"body": "您好，马上处理"})
        moved = send(stack, "PATCH", f"/cases/{urgent['case_id']}", {"priority": "urgent"})["case"]["service"]
        assert moved["next_deadline"] < urgent["service"]["next_deadline"]
        assert billing["queue"] == "billing" and billing["service"]["routed_by"] == "billing"

        def escalated_to_3() -> list[dict] | None:
            events = stack.get(f"/cases/{billing['case_id']}/events")[1]["events"]
            return (
                events if [e["detail"].get("level") for e in events if e["kind"] == "escalated"] == [1, 2, 3] else None
            )

        events = stack.wait_for(escalated_to_3, timeout=30, interval=0.5)

        assert [e["kind"] for e in events][:2] == ["routed", "deadline_set"]
        assert "sla_warning" in [e["kind"] for e in events]
        status, queue = stack.get("/queues/escalations")
        escalated = [c["case_id"] for c in queue["cases"]]
        assert status == 200 and billing["case_id"] in escalated
        assert answered["case_id"] not in escalated and paused["case_id"] not in escalated
        on_hold = kinds(stack, paused["case_id"])
        assert "paused" in on_hold and "sla_breached" not in on_hold
        replied, raised = kinds(stack, answered["case_id"]), kinds(stack, urgent["case_id"])
        assert "responded" in replied and "sla_breached" not in replied
        assert "priority_changed" in raised and "sla_breached" in raised
