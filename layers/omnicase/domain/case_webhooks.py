"""Outbound webhooks of case events: which events tell tenants, to which URLs, with what payload.

Pure except for `deliver_case_webhooks`, which talks only through the ports it is given. A delivery id is made of
the tenant, case and event ids, so a stream retry posts the same id again and the receiver can drop duplicates.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.ports import TenantConfigs
from omnicase.domain.tenant_config import TenantConfig, WebhookTarget

logger = logging.getLogger(__name__)

# Case event kind → webhook event; "status_changed" is special-cased (only a change to solved counts).
_EVENT_OF_KIND = {"routed": "created", "assigned": "assigned", "responded": "replied", "sla_breached": "breached"}


class RetryableWebhookFailure(ConnectionError):
    """The receiver may take it later (5xx, 408, 429, timeout, network): the stream should retry the record."""


@dataclass(frozen=True)
class CaseWebhook:
    """One webhook ready to post: the event name, its stable delivery id and the JSON body."""

    event: str
    delivery_id: str
    body: bytes


@dataclass(frozen=True)
class WebhookOutcome:
    url: str
    delivered: bool
    status: int | None = None  # the receiver's HTTP status; None when nothing was sent (refused URL)
    detail: str = ""


class WebhookPoster(Protocol):
    def post(self, tenant_id: str, url: str, webhook: CaseWebhook) -> WebhookOutcome:
        """Post once; an outcome for delivered or permanently refused, RetryableWebhookFailure otherwise."""
        ...


def webhook_event_of(event: CaseEvent) -> str | None:
    """The webhook event a case event is, or None when tenants are not told about it."""
    if event.kind == "status_changed":
        return "solved" if str(event.detail.get("after")) == CaseStatus.SOLVED.value else None
    return _EVENT_OF_KIND.get(event.kind)


def targets_for(config: TenantConfig, webhook_event: str) -> list[WebhookTarget]:
    """The tenant's targets subscribed to this event, in configured order, one per URL."""
    targets: dict[str, WebhookTarget] = {}
    for target in config.webhooks:
        if webhook_event in target.events and target.url not in targets:
            targets[target.url] = target
    return list(targets.values())


def delivery_id(event: CaseEvent) -> str:
    """Stable across retries: the same stored event always has the same id."""
    return f"{event.tenant_id}-{event.case_id}-{event.event_id}"


def case_summary(case: Case) -> dict[str, Any]:
    """The few case fields a receiver needs to act without calling the API back."""
    return {
        "status": case.status.value,
        "priority": case.priority.value,
        "queue": case.queue,
        "assignee": case.assignee,
        "channel": case.channel.value,
        "subject": case.subject,
    }


def webhook_payload(event: CaseEvent, webhook_event: str, case: Case | None) -> dict[str, Any]:
    """The JSON document posted; `case` is the case as read at delivery time (None when it is gone)."""
    return {
        "event": webhook_event,
        "delivery_id": delivery_id(event),
        "tenant_id": event.tenant_id,
        "case_id": event.case_id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "reason": event.reason,
        "detail": event.detail,
        "case": case_summary(case) if case is not None else None,
    }


def case_webhook(event: CaseEvent, webhook_event: str, case: Case | None) -> CaseWebhook:
    payload = webhook_payload(event, webhook_event, case)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return CaseWebhook(webhook_event, payload["delivery_id"], body)


def deliver_case_webhooks(
    event: CaseEvent,
    configs: TenantConfigs,
    read_case: Callable[[str, str], Case | None],
    poster: WebhookPoster,
) -> list[WebhookOutcome]:
    """Post the event to every subscribed target; raise RetryableWebhookFailure after trying them all if any
    asked for a retry (the retry posts to the others again, with the same delivery id: at least once)."""
    webhook_event = webhook_event_of(event)
    if webhook_event is None:
        return []
    targets = targets_for(configs.config_for(event.tenant_id), webhook_event)
    if not targets:
        return []
    webhook = case_webhook(event, webhook_event, read_case(event.tenant_id, event.case_id))
    outcomes: list[WebhookOutcome] = []
    retry: RetryableWebhookFailure | None = None
    for target in targets:
        try:
            outcome = poster.post(event.tenant_id, target.url, webhook)
        except RetryableWebhookFailure as failure:
            logger.warning("webhook %s to %s will be retried: %s", webhook.delivery_id, target.url, failure)
            retry = retry or failure
            continue
        if not outcome.delivered:
            logger.warning("webhook %s to %s refused for good: %s", webhook.delivery_id, target.url, outcome.detail)
        outcomes.append(outcome)
    if retry is not None:
        raise retry
    return outcomes
