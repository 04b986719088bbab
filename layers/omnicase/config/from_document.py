"""Document → TenantConfig: validate the shape, then the references, then build the configuration."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from omnicase.config.checks import check
from omnicase.config.declared import read_sections
from omnicase.config.document import WEEKDAYS, ConfigDoc, TargetsByPriorityDoc
from omnicase.config.problems import ConfigError, ConfigProblem
from omnicase.config.shape_problems import problems_from
from omnicase.config.tenant_settings import SECTIONS, TOP
from omnicase.domain.canned_replies import CannedReply
from omnicase.domain.model import CaseStatus, Priority
from omnicase.domain.tenant_config import (
    CASE_WEBHOOK_EVENTS,
    Agent,
    BusinessCalendar,
    CustomerTier,
    KeyAccount,
    Queue,
    RoutingRule,
    RuleActions,
    RuleConditions,
    SlaPolicy,
    SlaTargets,
    TenantConfig,
    WebhookTarget,
)


def to_config(tenant_id: str, doc: ConfigDoc) -> TenantConfig:
    calendars = {
        name: BusinessCalendar(
            name=name,
            time_zone=c.time_zone or doc.time_zone,
            weekly=tuple(tuple(getattr(c.hours, day)) for day in WEEKDAYS),
            holidays=frozenset(d for entry in c.holidays for d in entry),
            always_open=c.always_open,
            workdays=tuple(sorted((d, tuple(w.hours)) for w in c.workdays for d in w.date)),
        )
        for name, c in doc.calendars.items()
    }
    sla = None
    if doc.sla is not None:
        targets = {
            Priority(p): SlaTargets(t.first_response, t.next_response, t.resolution)
            for p in TargetsByPriorityDoc.model_fields
            if (t := getattr(doc.sla.targets, p)) is not None
        }
        sla = SlaPolicy(calendar=doc.sla.calendar, targets=targets, warning_before=doc.sla.warning_before)
    return TenantConfig(
        tenant_id=tenant_id,
        calendars=calendars,
        sla=sla,
        queues={name: Queue(name, q.description, q.supervisor) for name, q in doc.queues.items()},
        agents={
            agent_id: Agent(
                agent_id=agent_id,
                name=a.name or agent_id,
                email=a.email,
                role=a.role,
                queues=tuple(a.queues),
                available=a.available,
                supervisor=a.supervisor,
            )
            for agent_id, a in doc.agents.items()
        },
        rules=tuple(
            RoutingRule(
                name=r.name,
                when=RuleConditions(
                    channels=tuple(r.when.channels),
                    tiers=tuple(r.when.tiers),
                    tags=tuple(r.when.tags),
                    key_account=r.when.key_account,
                    keywords=tuple(r.when.keywords),
                    patterns=tuple(r.when.patterns),
                    has_attachments=r.when.has_attachments,
                    between=r.when.between,
                ),
                then=RuleActions(r.then.queue, r.then.priority, r.then.assignee, tuple(r.then.tags)),
            )
            for r in doc.rules
        ),
        key_accounts=tuple(
            KeyAccount(k.id, k.name or k.id, tuple(k.match), k.queue, k.dedicated_agent, k.dedicated_for)
            for k in doc.key_accounts
        ),
        tiers=tuple(CustomerTier(t.tier, tuple(t.match)) for t in doc.tiers),
        managers=tuple(doc.managers),
        banned_phrases=tuple(doc.banned_phrases),
        # Events in their canonical order, so the same subscription is the same value however it was written.
        webhooks=tuple(
            WebhookTarget(w.url, tuple(e for e in CASE_WEBHOOK_EVENTS if e in w.events)) for w in doc.webhooks
        ),
        canned_replies=tuple(
            CannedReply(
                reply_id,
                reply.title,
                dict(reply.texts),
                tuple(reply.keywords),
                CaseStatus(reply.set.status) if reply.set.status else None,
                reply.set.priority,
                tuple(tag.strip().lower() for tag in reply.set.tags),
            )
            for reply_id, reply in doc.canned_replies.items()
        ),
        texts={
            f"{kind}.{channel}.{language}": text
            for kind, channels in doc.texts.items()
            for channel, languages in channels.items()
            for language, text in languages.items()
        },
        **read_sections(doc, TOP, SECTIONS),
    )


def parse_config(tenant_id: str, document: dict[str, Any]) -> TenantConfig:
    """Validate a configuration document (shape, then references) and build the tenant's TenantConfig.

    Raises ConfigError with every problem found; version and applied_at are left for the store to set.
    """
    if not isinstance(document, dict):
        raise ConfigError([ConfigProblem((), "the configuration must be a mapping of fields")])
    try:
        doc = ConfigDoc.model_validate(document)
    except ValidationError as error:
        raise ConfigError(problems_from(error)) from None
    problems = check(tenant_id, doc)
    if problems:
        raise ConfigError(problems)
    return to_config(tenant_id, doc)
