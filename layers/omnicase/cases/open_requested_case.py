"""POST /cases: open the case an agent asked for and read it back as stored (a repeat reads the first one's)."""

from __future__ import annotations

from dataclasses import dataclass

from omnicase.cases.open_case import CaseRequest, open_case
from omnicase.domain.model import Case, Message, Tenant
from omnicase.persistence.case_reader import get_case
from omnicase.persistence.customer_store import read_customer
from omnicase.wiring import message_intake


@dataclass(frozen=True)
class OpenedCase:
    case: Case
    thread: list[Message]
    duplicate: bool  # a repeated Idempotency-Key: the case its first request opened


def open_requested_case(tenant: Tenant, request: CaseRequest, key: str | None, actor: str) -> OpenedCase:
    """The case as stored after intake; NotFound for a customer id that is not the tenant's."""
    customer = read_customer(tenant.tenant_id, request.customer_id) if request.customer_id else None
    outcome = open_case(tenant, request, key, actor, message_intake(), customer)
    case, thread = get_case(tenant.tenant_id, outcome.case_id)
    return OpenedCase(case, thread, outcome.duplicate)
