"""POST /cases: open the case an agent asked for and read it back as stored (a repeat reads the first one's, and a
changed request under a used Idempotency-Key is refused: 422 naming the case and the fields that differ)."""

from __future__ import annotations

from dataclasses import dataclass

from omnicase.cases.open_case import CaseRequest, differences, open_case, provider_id_of
from omnicase.domain.errors import RejectedInput
from omnicase.domain.model import Case, Message, Tenant
from omnicase.persistence.case_reader import get_case
from omnicase.persistence.customer_store import read_customer
from omnicase.wiring import message_intake

KEY_REUSED = "idempotency-key-reused"


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
    if outcome.duplicate and key:
        first = next((m for m in thread if m.provider_message_id == provider_id_of(key)), None)
        changed = differences(request, case, first)
        if changed:
            verb = "differs" if len(changed) == 1 else "differ"
            raise RejectedInput(
                KEY_REUSED,
                # The key is the client's choice and may spell a customer: never echoed (the answer is logged).
                f"this Idempotency-Key opened case {case.case_id} with a different request"
                f" ({', '.join(changed)} {verb}); send a new key for a new case",
                {"case_id": case.case_id, "fields": changed},
            )
    return OpenedCase(case, thread, outcome.duplicate)
