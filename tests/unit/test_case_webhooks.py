"""Case webhooks: which case events tell tenants, to which targets, with what payload and signature."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from omnicase.channels.case_webhook_sender import signed_headers
from omnicase.channels.chat.chat_signature import verify_chat_request
from omnicase.domain.case_events import CaseEvent
from omnicase.domain.case_webhooks import (
    RetryableWebhookFailure,
    WebhookOutcome,
    case_webhook,
    deliver_case_webhooks,
    targets_for,
    webhook_event_of,
)
from omnicase.domain.model import Case, CaseStatus, Channel, Priority
from omnicase.domain.tenant_config import TenantConfig, WebhookTarget

AT = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def event(kind: str, **detail) -> CaseEvent:
    return CaseEvent("acme", "K3M9QX2A7B", "000a1b2c3d4", AT, kind, "agent-7", "because", detail)


def a_case() -> Case:
    return Case(
        "acme", "K3M9QX2A7B", Channel.EMAIL, "订单未到", status=CaseStatus.OPEN, priority=Priority.HIGH,
        queue="billing", assignee="agent-7",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "detail", "expected"),
    [
        ("routed", {"queue": "general", "assignee": "agent-7"}, "created"),
        ("assigned", {"assignee": "agent-7"}, "assigned"),
        ("responded", {}, "replied"),
        ("status_changed", {"before": "open", "after": "solved"}, "solved"),
        ("status_changed", {"before": "solved", "after": CaseStatus.SOLVED}, "solved"),
        ("status_changed", {"before": "open", "after": "pending"}, None),
        ("status_changed", {"before": "solved", "after": "closed"}, None),
        ("sla_breached", {"clock": "first_response"}, "breached"),
        ("sla_warning", {}, None),
        ("deadline_set", {}, None),
        ("escalated", {}, None),
        ("reopened", {}, None),
        ("unassigned", {}, None),
        ("queue_changed", {}, None),
    ],
)
def test_case_events_map_to_webhook_events(kind, detail, expected):
    assert webhook_event_of(event(kind, **detail)) == expected


def test_targets_are_those_subscribed_to_the_event_once_per_url():
    config = TenantConfig(
        "acme",
        webhooks=(
            WebhookTarget("https://a.example/hook"),
            WebhookTarget("https://b.example/hook", events=("solved", "breached")),
            WebhookTarget("https://a.example/hook", events=("created",)),
        ),
    )
    assert [t.url for t in targets_for(config, "created")] == ["https://a.example/hook"]
    assert [t.url for t in targets_for(config, "breached")] == ["https://a.example/hook", "https://b.example/hook"]
    assert targets_for(TenantConfig("acme"), "created") == []


def test_payload_carries_the_event_a_stable_delivery_id_and_the_case():
    webhook = case_webhook(event("assigned", assignee="agent-7"), "assigned", a_case())
    assert webhook.delivery_id == "acme-K3M9QX2A7B-000a1b2c3d4" and webhook.event == "assigned"
    assert json.loads(webhook.body) == {
        "event": "assigned",
        "delivery_id": "acme-K3M9QX2A7B-000a1b2c3d4",
        "tenant_id": "acme",
        "case_id": "K3M9QX2A7B",
        "at": "2026-11-02T02:00:00+00:00",
        "actor": "agent-7",
        "reason": "because",
        "detail": {"assignee": "agent-7"},
        "case": {
            "status": "open",
            "priority": "high",
            "queue": "billing",
            "assignee": "agent-7",
            "channel": "email",
            "subject": "订单未到",
        },
    }
    assert "订单未到".encode() in webhook.body  # UTF-8, not \u escapes


def test_payload_of_a_case_that_is_gone_has_no_case():
    assert json.loads(case_webhook(event("responded"), "replied", None).body)["case"] is None


def test_the_same_event_makes_the_same_delivery_id_and_body_every_time():
    first = case_webhook(event("responded"), "replied", a_case())
    assert case_webhook(event("responded"), "replied", a_case()) == first


def test_signature_verifies_like_a_chat_webhook():
    webhook = case_webhook(event("sla_breached", clock="resolution"), "breached", a_case())
    headers = signed_headers(webhook, "hook-secret", "1762070400")
    assert headers["X-Omnicase-Delivery"] == webhook.delivery_id and headers["X-Omnicase-Event"] == "breached"
    verify_chat_request(
        "hook-secret", headers["X-Omnicase-Timestamp"], headers["X-Omnicase-Signature"], webhook.body, now=1762070400
    )


class Configs:
    def __init__(self, *targets: WebhookTarget) -> None:
        self.config = TenantConfig("acme", webhooks=targets)

    def config_for(self, tenant_id: str) -> TenantConfig:
        return self.config


class Poster:
    def __init__(self, answers: dict[str, object]) -> None:
        self.answers, self.posted = answers, []

    def post(self, tenant_id, url, webhook):
        self.posted.append((url, webhook.delivery_id))
        answer = self.answers.get(url, True)
        if isinstance(answer, Exception):
            raise answer
        return WebhookOutcome(url, delivered=bool(answer), status=200 if answer else 410)


def test_every_target_is_tried_before_a_retry_is_asked_for():
    configs = Configs(WebhookTarget("https://down.example/h"), WebhookTarget("https://up.example/h"))
    poster = Poster({"https://down.example/h": RetryableWebhookFailure("503")})
    with pytest.raises(RetryableWebhookFailure):
        deliver_case_webhooks(event("responded"), configs, lambda *_: a_case(), poster)
    assert [url for url, _ in poster.posted] == ["https://down.example/h", "https://up.example/h"]


def test_a_permanent_refusal_is_an_outcome_not_a_retry():
    configs = Configs(WebhookTarget("https://gone.example/h"))
    outcomes = deliver_case_webhooks(
        event("responded"), configs, lambda *_: a_case(), Poster({"https://gone.example/h": False})
    )
    assert [(o.url, o.delivered) for o in outcomes] == [("https://gone.example/h", False)]


def test_events_nobody_hears_about_read_nothing_and_post_nothing():
    def read_case(*_):
        raise AssertionError("no case read without a target")

    poster = Poster({})
    everything = Configs(WebhookTarget("https://a.example/h"))
    assert deliver_case_webhooks(event("sla_warning"), everything, read_case, poster) == []
    only_solved = Configs(WebhookTarget("https://a.example/h", events=("solved",)))
    assert deliver_case_webhooks(event("responded"), only_solved, read_case, poster) == []
    assert poster.posted == []
