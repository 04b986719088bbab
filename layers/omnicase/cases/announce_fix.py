"""Release follow-up: a known problem is fixed — every customer of a case linked to it hears, once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.errors import ConcurrentUpdate, NotFound
from omnicase.domain.model import Tenant
from omnicase.domain.progress_notice import fixed_notice
from omnicase.domain.text_limits import check_agent_text
from omnicase.domain.work_case import PROBLEM_KEY
from omnicase.persistence.case_reader import get_case
from omnicase.wiring import case_store, tenant_configs

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


def announce_fix(tenant: Tenant, problem_key: str, body: object, actor: str) -> dict[str, object]:
    """Tell the customer of every linked case not told yet; safe to call again (the rest are told)."""
    key = problem_key.strip().upper()
    if not PROBLEM_KEY.fullmatch(key):
        raise ValueError("a problem key is letters, digits, '-', '_' or '.' (e.g. BUG-1234), at most 64")
    note = body.get("note", "") if isinstance(body, Mapping) else ""
    if not isinstance(note, str):
        raise ValueError('send {"note": "<what changed, at most 2000 characters>"}')
    check_agent_text("note", note)
    linked = case_store().problem_cases(tenant.tenant_id, key)
    if not linked:
        raise NotFound(f"no case is linked to problem {key}")
    config = tenant_configs().config_for(tenant.tenant_id)
    notified = 0
    for case_id, already in linked:
        if not already and _announce(tenant, case_id, key, note, actor, config):
            notified += 1
    return {"problem_key": key, "cases": len(linked), "notified": notified}


def _announce(tenant: Tenant, case_id: str, key: str, note: str, actor: str, config: object) -> bool:
    for _ in range(MAX_ATTEMPTS):
        case, thread = get_case(tenant.tenant_id, case_id)
        now = datetime.now(UTC)
        notice = fixed_notice(case, thread, tenant, config, note, now)  # type: ignore[arg-type]
        log = CaseEventLog(case.tenant_id, case.case_id, now)
        log.add("problem_fixed", f"{key} fixed" + ("; customer told" if notice else "; nobody to tell"), actor=actor)
        if notice is not None:
            case.message_count += 1
        case.updated_at = now
        try:
            case_store().save_fixed(case, log.events, notice, key)
        except ConcurrentUpdate:
            continue  # the case changed, or a concurrent announcement told this customer already
        return notice is not None
    logger.warning("case %s: could not record the fix of %s", case_id, key)
    return False
