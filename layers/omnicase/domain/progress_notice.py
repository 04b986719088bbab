"""Telling customers where their case stands when an agent moves it: being handled, waiting for you, solved."""

from __future__ import annotations

from datetime import datetime

from omnicase.domain.acknowledgement import customer_values
from omnicase.domain.customer_texts import render
from omnicase.domain.model import Case, CaseStatus, Message, Tenant
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.work_case import threaded_outbound

NOTICE_OF_STATUS = {
    CaseStatus.OPEN: "notice_open",
    CaseStatus.PENDING: "notice_pending",
    CaseStatus.SOLVED: "notice_solved",
}


def progress_notice(
    case: Case, before: CaseStatus, thread: list[Message], tenant: Tenant, config: TenantConfig, now: datetime
) -> Message | None:
    """The notice an agent's status change owes the customer, or None: the tenant turned notices off, nobody
    to tell (machine mail, no address), or nothing worth telling (unchanged, on hold, closed, merged)."""
    kind = NOTICE_OF_STATUS.get(case.status)
    if kind is None or case.status == before or not config.progress_notices:
        return None
    if not case.service.notify_customer or not case.contact_address or case.service.merged_into:
        return None
    if kind == "notice_open" and before == CaseStatus.PENDING:
        return None  # back from waiting on the customer: their own reply did that, they know
    language = case.service.language or "en"
    text = render(kind, case.channel.value, language, customer_values(case, tenant, None, config), config.texts)
    return threaded_outbound(case, thread, tenant, tenant.name, text, now, kind="notice")


def fixed_notice(
    case: Case, thread: list[Message], tenant: Tenant, config: TenantConfig, note: str, now: datetime
) -> Message | None:
    """Release follow-up: the problem behind the case is fixed; None when there is nobody to tell."""
    if not case.service.notify_customer or not case.contact_address or case.service.merged_into:
        return None
    values = {**customer_values(case, tenant, None, config), "note": note.strip()}
    text = render("notice_fixed", case.channel.value, case.service.language or "en", values, config.texts)
    return threaded_outbound(case, thread, tenant, tenant.name, text, now, kind="notice")
