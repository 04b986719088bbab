"""Agent actions on one case: read it, apply a domain change, save it with its events — retried on a lost race."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from omnicase.channels.unicode_text import clean_text
from omnicase.domain.callback_case import callbacks_on_solve
from omnicase.domain.case_events import CaseEvent
from omnicase.domain.errors import ConcurrentUpdate, RejectedInput, StaleVersion
from omnicase.domain.model import Attachment, Case, CaseStatus, Message, Priority, Tenant
from omnicase.domain.progress_notice import progress_notice
from omnicase.domain.reply_quality import Interception, QualityVerdict, check_reply
from omnicase.domain.text_limits import check_agent_tags, check_agent_text
from omnicase.domain.work_case import CaseUpdate, add_note, claim_case, link_cases, reply_to_case, update_case
from omnicase.persistence.case_reader import get_case
from omnicase.wiring import case_store, tenant_configs

if TYPE_CHECKING:
    from omnicase.domain.tenant_config import TenantConfig
    from omnicase.kb.reply_inserts import ReplyInserts

MAX_ATTEMPTS = 10  # a change that does not depend on what the agent saw is re-read and re-applied this often
BACKOFF_SECONDS = 0.02  # first back-off ceiling; doubles per lost race, with full jitter so racers spread out
Change = Callable[[Case, list[Message]], tuple[list[CaseEvent], tuple[Message, ...]]]


def case_update_from(body: object) -> tuple[CaseUpdate, int | None]:
    """A PATCH body: {"status", "priority", "queue", "assignee" (null to unassign), "reason", "version"}."""
    if not isinstance(body, Mapping) or not body:
        raise ValueError('send a JSON object with any of "status", "priority", "queue", "assignee", "reason"')
    unknown = set(body) - {"status", "priority", "queue", "assignee", "tags", "problem_key", "reason", "version"}
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    status, priority = body.get("status"), body.get("priority")
    if status is not None and status not in CaseStatus.__members__.values():
        raise ValueError(f"status must be one of {', '.join(s.value for s in CaseStatus)}")
    if priority is not None and priority not in Priority.__members__.values():
        raise ValueError(f"priority must be one of {', '.join(p.value for p in Priority)}")
    version = body.get("version")
    if version is not None and not isinstance(version, int):
        raise ValueError("version must be the case's version number")
    tags = body.get("tags")
    if tags is not None and (not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)):
        raise ValueError("tags must be a list of strings")
    if tags is not None:
        check_agent_tags([t.strip() for t in tags if t.strip()])
    problem_key = body.get("problem_key")
    if problem_key is not None and not isinstance(problem_key, str):
        raise ValueError('problem_key must be a string (e.g. "BUG-1234"; "" unlinks)')
    update = CaseUpdate(
        status=CaseStatus(status) if status else None,
        priority=Priority(priority) if priority else None,
        queue=_text(body, "queue"),
        assignee=_text(body, "assignee"),
        unassign="assignee" in body and body["assignee"] is None,
        tags=tuple(tags) if tags is not None else None,
        problem_key=problem_key,
        reason=_text(body, "reason") or "",
    )
    check_agent_text("reason", update.reason)
    if update.assignee is not None:
        check_agent_text("assignee", update.assignee)
    return update, version


def patch_case(tenant: Tenant, case_id: str, update: CaseUpdate, version: int | None, actor: str) -> Case:
    config = tenant_configs().config_for(tenant.tenant_id)

    unlinked: list[str | None] = [None]
    created: list[Case] = []

    def change(case: Case, thread: list[Message]) -> tuple[list[CaseEvent], tuple[Message, ...]]:
        now, before, problem = datetime.now(UTC), case.status, case.service.problem_key
        events = update_case(case, update, config, actor, now)
        unlinked[0] = problem if problem != case.service.problem_key else None
        created.clear()
        if (callback := callbacks_on_solve(case, config, now)) is not None:  # a key complaint is called back
            created.append(callback[0])
            events += callback[1]
        notice = progress_notice(case, before, thread, tenant, config, now)
        if notice is not None:
            case.message_count += 1
        return events, (notice,) if notice else ()

    return _change_case(tenant, case_id, version, change, lambda: unlinked[0], created)[0]


def post_reply(tenant: Tenant, case_id: str, body: object, actor: str) -> tuple[Case, Message]:
    """A reply {"body"} or one inserting {"canned_reply_id", "article_ids"} (kb/reply_inserts.py)."""
    if not isinstance(body, Mapping) or not isinstance(body.get("body", ""), str):
        raise ValueError('send {"body": "<the reply text>"} (or "canned_reply_id" / "article_ids")')
    config = tenant_configs().config_for(tenant.tenant_id)
    inserts = _reply_inserts(tenant, body, config)
    if not inserts and not isinstance(body.get("body"), str):
        raise ValueError('send {"body": "<the reply text>"} (or "canned_reply_id" / "article_ids")')
    written = _inserted_text(tenant, case_id, body, inserts, config, actor) if inserts else str(body["body"])
    text = check_agent_text("body", clean_text(written))
    # Checked as written, so the 422's spans point into the agent's own draft (cleaning moves offsets).
    verdict = check_reply(written, config.banned_phrases)
    if verdict.blocked:
        _intercept(tenant, case_id, actor, verdict, text)
        details = {"phrase": verdict.phrase, "spans": [list(span) for span in verdict.spans]}
        raise RejectedInput("blocked-phrase", f"{verdict.reason}: not sent; rephrase it", details)

    files = _reply_files(tenant, case_id, body)  # checked (422) before anything is queued

    def change(case: Case, thread: list[Message]) -> tuple[list[CaseEvent], tuple[Message, ...]]:
        now = datetime.now(UTC)
        message, events = reply_to_case(case, thread, tenant, config, actor, text, now)
        if files:
            message = replace(message, attachments=files)
        if inserts:
            from omnicase.kb.reply_inserts import record_inserts

            events += record_inserts(case, inserts, config, actor, now)
        return events, (message,)

    case, messages = _change_case(tenant, case_id, None, change)
    return case, messages[0]


def _reply_files(tenant: Tenant, case_id: str, body: Mapping[str, Any]) -> tuple[Attachment, ...]:
    """The uploads the reply names (attachments/agent_uploads.py): there, and fit for the case's channel."""
    if body.get("attachments") is None:
        return ()
    from omnicase.attachments.agent_uploads import AgentUploads
    from omnicase.wiring import attachment_files

    case, _ = get_case(tenant.tenant_id, case_id)
    return AgentUploads(attachment_files()).claim(case, body["attachments"], tenant.endpoints)


def _reply_inserts(tenant: Tenant, body: Mapping[str, Any], config: TenantConfig) -> ReplyInserts | None:
    if "canned_reply_id" not in body and "article_ids" not in body:
        return None
    from omnicase.kb.reply_inserts import read_inserts
    from omnicase.wiring import knowledge_base

    return read_inserts(body, config, knowledge_base(), tenant.tenant_id)


def _inserted_text(
    tenant: Tenant, case_id: str, body: Mapping[str, Any], inserts: ReplyInserts, config: TenantConfig, actor: str
) -> str:
    """The canned reply / the agent's edit of it, filled for the case, with the article links (read once: what it
    fills — the customer's name, the case number, the promised reply time — does not move under a retry)."""
    from omnicase.kb.reply_inserts import compose_reply
    from omnicase.settings import get_settings

    case, thread = get_case(tenant.tenant_id, case_id)
    draft = body.get("body") or None  # an empty body sends the canned reply as written
    base_url = get_settings().public_base_url or get_settings().api_base_url
    return compose_reply(inserts, draft, case, thread, tenant, config, actor, base_url)


def _intercept(tenant: Tenant, case_id: str, actor: str, verdict: QualityVerdict, text: str) -> None:
    """Record and count a blocked reply (who, which case, which phrase, what was written) — on a real case only."""
    from omnicase.api.metrics import record_interception
    from omnicase.persistence.interception_store import DynamoInterceptionStore

    case, _ = get_case(tenant.tenant_id, case_id)  # 404 before anything is recorded
    at = datetime.now(UTC)
    interception = Interception.of_reply(tenant.tenant_id, case.case_id, actor, verdict, text, at, case.channel)
    DynamoInterceptionStore().record(interception)
    record_interception(case, actor)


def claim(tenant: Tenant, case_id: str, actor: str) -> Case:
    if actor == "api":
        raise ValueError("claiming needs an agent: use an agent's token (or X-Omnicase-Agent)")
    config = tenant_configs().config_for(tenant.tenant_id)

    def change(case: Case, thread: list[Message]) -> tuple[list[CaseEvent], tuple[Message, ...]]:
        return claim_case(case, config, actor, datetime.now(UTC)), ()

    return _change_case(tenant, case_id, None, change)[0]


def post_note(tenant: Tenant, case_id: str, body: object, actor: str) -> tuple[Case, Message]:
    if not isinstance(body, Mapping) or not isinstance(body.get("body"), str):
        raise ValueError('send {"body": "<the note>"}')
    text = check_agent_text("body", clean_text(str(body["body"])))

    def change(case: Case, thread: list[Message]) -> tuple[list[CaseEvent], tuple[Message, ...]]:
        note, events = add_note(case, actor, text, datetime.now(UTC))
        return events, (note,)

    case, messages = _change_case(tenant, case_id, None, change)
    return case, messages[0]


def post_link(tenant: Tenant, case_id: str, body: object, actor: str) -> Case:
    """Relate another case to this one, or merge it into this one; both change in one transaction."""
    if not isinstance(body, Mapping) or not isinstance(body.get("case_id"), str):
        raise ValueError('send {"case_id": "<the other case>", "kind": "related" | "merge"}')
    other_id, kind = str(body["case_id"]).strip().upper(), str(body.get("kind", "related"))
    config = tenant_configs().config_for(tenant.tenant_id)
    for _ in range(MAX_ATTEMPTS):
        case, _thread = get_case(tenant.tenant_id, case_id)
        other, _other_thread = get_case(tenant.tenant_id, other_id)
        here, there = link_cases(case, other, kind, config, actor, datetime.now(UTC))
        try:
            case_store().save_all([(case, here), (other, there)])
        except ConcurrentUpdate:
            continue
        case.version = (case.version or 0) + 1
        return case
    raise ConcurrentUpdate(f"cases {case_id} and {other_id} kept changing; try again")


def _change_case(
    tenant: Tenant,
    case_id: str,
    version: int | None,
    change: Change,
    unlinked_problem: Callable[[], str | None] = lambda: None,
    created: list[Case] | None = None,
) -> tuple[Case, tuple[Message, ...]]:
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0, BACKOFF_SECONDS * 2**attempt))
        case, thread = get_case(tenant.tenant_id, case_id)
        if version is not None and case.version != version:
            message = f"case {case_id} is at version {case.version}, not {version}: reload and retry"
            raise StaleVersion(message, case)
        events, messages = change(case, thread)
        if not events and not messages:
            return case, ()
        try:
            new_cases: list[tuple[Case, list[CaseEvent]]] = [(c, []) for c in created or ()]
            case_store().save_all([(case, events), *new_cases], messages, unlinked_problem())
        except ConcurrentUpdate as lost:
            if version is not None:  # the agent decided on what they saw: never re-applied to something else
                current, _ = get_case(tenant.tenant_id, case_id)
                message = f"case {case_id} changed after version {version}: reload and retry"
                raise StaleVersion(message, current) from lost
            continue
        case.version = (case.version or 0) + 1
        return case, messages
    raise ConcurrentUpdate(f"case {case_id} kept changing; try again")


def _text(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    return clean_text(value).strip()
