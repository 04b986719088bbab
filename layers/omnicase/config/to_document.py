"""TenantConfig → document: the JSON-safe form that reads like one written by hand and parses back unchanged."""

from __future__ import annotations

from typing import Any

from omnicase.config.declared import write_sections
from omnicase.config.document import WEEKDAYS
from omnicase.config.tenant_settings import SECTIONS, TOP
from omnicase.config.values import format_duration, format_interval, holiday_entries, text_channels
from omnicase.domain.canned_replies import CannedReply
from omnicase.domain.customer_texts import KINDS, LANGUAGES
from omnicase.domain.tenant_config import (
    CASE_WEBHOOK_EVENTS,
    Agent,
    BusinessCalendar,
    RoutingRule,
    SlaTargets,
    TenantConfig,
    WebhookTarget,
    WorkInterval,
)


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is unset, so the document reads like one written by hand."""
    return {k: v for k, v in values.items() if v is not None and v != [] and v != {} and v != ""}


def _calendar_document(calendar: BusinessCalendar) -> dict[str, Any]:
    if calendar.always_open:
        return {"time_zone": calendar.time_zone, "always_open": True}
    hours = {
        day: [format_interval(i) for i in intervals] for day, intervals in zip(WEEKDAYS, calendar.weekly, strict=True)
    }
    workdays = [
        {"date": day.isoformat(), "hours": [format_interval(i) for i in intervals]}
        for day, intervals in calendar.workdays
    ]
    return _drop_empty(
        {
            "time_zone": calendar.time_zone,
            "hours": _drop_empty(hours),
            "holidays": holiday_entries(calendar.holidays),
            "workdays": workdays,
        }
    )


def _targets_document(targets: SlaTargets) -> dict[str, str]:
    values = {"first_response": targets.first_response, "next_response": targets.next_response}
    values["resolution"] = targets.resolution
    return {k: format_duration(v) for k, v in values.items() if v is not None}


def _rule_document(rule: RoutingRule) -> dict[str, Any]:
    when, then = rule.when, rule.then
    return {
        "name": rule.name,
        "when": _drop_empty(
            {
                "channels": [c.value for c in when.channels],
                "tiers": list(when.tiers),
                "tags": list(when.tags),
                "key_account": when.key_account,
                "keywords": list(when.keywords),
                "patterns": list(when.patterns),
                "has_attachments": when.has_attachments,
                "between": format_interval(WorkInterval(*when.between)) if when.between else None,
            }
        ),
        "then": _drop_empty(
            {
                "queue": then.queue,
                "priority": then.priority.value if then.priority else None,
                "assignee": then.assignee,
                "tags": list(then.tags),
            }
        ),
    }


def _agent_document(agent: Agent) -> dict[str, Any]:
    return _drop_empty(
        {
            "name": agent.name,
            "email": agent.email,
            "role": None if agent.role == "agent" else agent.role,
            "queues": list(agent.queues),
            "available": None if agent.available else False,
            "supervisor": agent.supervisor,
        }
    )


def _webhook_document(webhook: WebhookTarget) -> dict[str, Any]:
    if webhook.events == CASE_WEBHOOK_EVENTS:
        return {"url": webhook.url}  # every event is the default
    return {"url": webhook.url, "events": list(webhook.events)}


def _texts_document(texts: dict[str, str]) -> dict[str, Any]:
    """{"acknowledgement.sms.zh": …} → {"acknowledgement": {"sms": {"zh": …}}}, kinds, channels and languages in
    their canonical order."""

    def order(key: str) -> tuple[int, ...]:
        kind, channel, language = key.split(".")
        return KINDS.index(kind), text_channels().index(channel), LANGUAGES.index(language)

    document: dict[str, Any] = {}
    for key in sorted(texts, key=order):
        kind, channel, language = key.split(".")
        document.setdefault(kind, {}).setdefault(channel, {})[language] = texts[key]
    return document


def config_to_document(config: TenantConfig) -> dict[str, Any]:
    """The JSON-safe document of a configuration: parse_config(tenant, config_to_document(c)) == c
    (version and applied_at are the store's, not part of the document)."""
    document: dict[str, Any] = {"tenant": config.tenant_id, **TOP.write(config)}
    if config.calendars:
        document["calendars"] = {name: _calendar_document(c) for name, c in config.calendars.items()}
    if config.sla is not None:
        document["sla"] = {
            "calendar": config.sla.calendar,
            "warning_before": format_duration(config.sla.warning_before),
            "targets": {p.value: _targets_document(t) for p, t in config.sla.targets.items()},
        }
    document["queues"] = {
        name: _drop_empty({"description": q.description, "supervisor": q.supervisor})
        for name, q in config.queues.items()
    }
    if config.agents:
        document["agents"] = {agent_id: _agent_document(a) for agent_id, a in config.agents.items()}
    if config.managers:
        document["managers"] = list(config.managers)
    if config.tiers:
        document["tiers"] = [{"tier": t.tier, "match": list(t.match)} for t in config.tiers]
    if config.key_accounts:
        document["key_accounts"] = [
            _drop_empty(
                {
                    "id": k.account_id,
                    "name": k.name,
                    "match": list(k.match),
                    "queue": k.queue,
                    "dedicated_agent": k.dedicated_agent,
                    "dedicated_for": format_duration(k.dedicated_for),
                }
            )
            for k in config.key_accounts
        ]
    if config.rules:
        document["rules"] = [_rule_document(r) for r in config.rules]
    if config.banned_phrases:
        document["banned_phrases"] = list(config.banned_phrases)
    if config.webhooks:
        document["webhooks"] = [_webhook_document(w) for w in config.webhooks]
    if config.texts:
        document["texts"] = _texts_document(config.texts)
    document |= write_sections(config, SECTIONS)  # escalation, green_channel, surveys, …: what differs only
    if config.canned_replies:
        document["canned_replies"] = {reply.reply_id: _canned_document(reply) for reply in config.canned_replies}
    return document


def _canned_document(reply: CannedReply) -> dict[str, Any]:
    changes = {"status": reply.status.value if reply.status else None, "tags": list(reply.tags)}
    changes["priority"] = reply.priority.value if reply.priority else None
    document = {"title": reply.title, "texts": dict(reply.texts), "keywords": list(reply.keywords)}
    return _drop_empty({**document, "set": _drop_empty(changes)})
