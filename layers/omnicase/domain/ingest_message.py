"""Intake of one inbound message: read once, plan, commit once; retried on a lost race."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from omnicase.domain.errors import ConcurrentUpdate, DuplicateDelivery
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import IntakePlan
from omnicase.domain.model import Message, Tenant
from omnicase.domain.outbound_message_id import parse_outbound_message_id
from omnicase.domain.plan_intake import plan_intake
from omnicase.domain.ports import IntakeStore
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.thread_message import candidate_case_ids, referenced_email_ids

MAX_ATTEMPTS = 4


@dataclass(frozen=True)
class IngestOutcome:
    case_id: str
    message_id: str
    new_case: bool = False
    duplicate: bool = False
    acknowledgement: Message | None = None  # queued in the same transaction; sent from the table's stream

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None


def ingest_message(
    inbound: InboundMessage,
    tenant: Tenant,
    store: IntakeStore,
    now: datetime | None = None,
    config: TenantConfig | None = None,
) -> IngestOutcome:
    """Store one inbound message on its case exactly once (with its acknowledgement queued, if it earns one)."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome_or_plan = _try_once(inbound, tenant, store, now or datetime.now(UTC), config)
        if isinstance(outcome_or_plan, IngestOutcome):
            return outcome_or_plan
        plan = outcome_or_plan
        try:
            store.commit_intake(plan)
        except DuplicateDelivery:
            continue  # a concurrent delivery won; the next read reports where it landed
        except ConcurrentUpdate:
            if attempt == MAX_ATTEMPTS:
                raise
            continue
        return IngestOutcome(
            plan.case.case_id, plan.message.message_id, new_case=plan.is_new_case, acknowledgement=plan.acknowledgement
        )
    raise ConcurrentUpdate(f"intake of {inbound.provider_message_id} lost {MAX_ATTEMPTS} races")


def _try_once(
    inbound: InboundMessage, tenant: Tenant, store: IntakeStore, now: datetime, config: TenantConfig | None
) -> IngestOutcome | IntakePlan:
    own_id = inbound.hints.email_message_id
    if own_id and (came_back := parse_outbound_message_id(own_id, tenant)):
        return IngestOutcome(came_back.case_id, came_back.message_id, duplicate=True)  # our mail, stored when sent
    mentioned = dict.fromkeys((*referenced_email_ids(inbound), *inbound.bounced_message_ids))
    # Our own Message-IDs name their case: read that case at once instead of looking the id up first.
    own = {i: ref for i in mentioned if (ref := parse_outbound_message_id(i, tenant))}
    lookups = tuple(i for i in mentioned if i not in own)
    case_ids = tuple(dict.fromkeys((*(r.case_id for r in own.values()), *inbound.hints.case_tokens)))
    snapshot = store.read_snapshot(inbound, lookups, case_ids)
    snapshot.email_refs.update(own)
    if snapshot.already_stored:
        ref = snapshot.already_stored
        return IngestOutcome(ref.case_id, ref.message_id, duplicate=True)
    missing = tuple(c for c in candidate_case_ids(inbound, snapshot) if c not in snapshot.cases)
    if missing:
        snapshot.cases.update(store.read_cases(inbound.tenant_id, missing))
    return plan_intake(inbound, tenant, snapshot, now, config)
