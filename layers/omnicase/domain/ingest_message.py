"""Intake of one inbound message: read once, plan, commit once; retried on a lost race."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from omnicase.domain.availability import with_availability
from omnicase.domain.channel_traits import traits_of
from omnicase.domain.errors import ConcurrentUpdate, DuplicateDelivery
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import IntakePlan, IntakeSnapshot, SurveyReply
from omnicase.domain.model import Message, Tenant
from omnicase.domain.outbound_message_id import parse_outbound_message_id
from omnicase.domain.plan_intake import plan_intake
from omnicase.domain.ports import IntakeStore
from omnicase.domain.self_service import ArticleSuggester
from omnicase.domain.survey import Survey
from omnicase.domain.survey_answer import REPLY_MARKER, SurveyRefused, answer_survey, answered_events, parse_reply
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.thread_message import cases_to_read, follow_up_to_read, referenced_email_ids

MAX_ATTEMPTS = 4
# Changes a channel adds to the plan before it is committed (a call's first response, a missed call's callback
# case): planned again on every attempt, so they are written with the message or not at all.
Amend = Callable[[IntakePlan, TenantConfig, datetime], None]


@dataclass(frozen=True)
class IngestOutcome:
    case_id: str
    message_id: str
    new_case: bool = False
    duplicate: bool = False
    acknowledgement: Message | None = None  # queued in the same transaction; sent from the table's stream
    survey_answer: bool = False  # the text answered the sender's pending survey: no case message was stored

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None


def ingest_message(
    inbound: InboundMessage,
    tenant: Tenant,
    store: IntakeStore,
    now: datetime | None = None,
    config: TenantConfig | None = None,
    suggester: ArticleSuggester | None = None,
    amend: Amend | None = None,
) -> IngestOutcome:
    """Store one inbound message on its case exactly once (with its acknowledgement queued, if it earns one, and
    the knowledge base's articles for it when `suggester` finds relevant ones)."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        at = now or datetime.now(UTC)
        outcome_or_plan, planned_with = _try_once(inbound, tenant, store, at, config, suggester)
        if amend is not None and isinstance(outcome_or_plan, IntakePlan):
            amend(outcome_or_plan, planned_with, at)
        if isinstance(outcome_or_plan, IngestOutcome):
            return outcome_or_plan
        try:
            return _commit(store, outcome_or_plan)
        except DuplicateDelivery:
            continue  # a concurrent delivery won; the next read reports where it landed
        except ConcurrentUpdate:
            if attempt == MAX_ATTEMPTS:
                raise
            continue  # for a survey reply: answered meanwhile, so the next read takes the text as a message
    raise ConcurrentUpdate(f"intake of {inbound.provider_message_id} lost {MAX_ATTEMPTS} races")


@runtime_checkable
class SurveyReplies(Protocol):
    """What an intake store offers for text replies to surveys (stores without it take every text as a message)."""

    def read_survey(self, tenant_id: str, case_id: str) -> Survey | None: ...

    def commit_survey_reply(self, reply: SurveyReply) -> None: ...


def _commit(store: IntakeStore, plan: IntakePlan | SurveyReply) -> IngestOutcome:
    if isinstance(plan, SurveyReply):
        assert isinstance(store, SurveyReplies)
        store.commit_survey_reply(plan)
        return IngestOutcome(plan.survey.case_id, REPLY_MARKER, survey_answer=True)
    store.commit_intake(plan)
    return IngestOutcome(
        plan.case.case_id, plan.message.message_id, new_case=plan.is_new_case, acknowledgement=plan.acknowledgement
    )


def _try_once(
    inbound: InboundMessage,
    tenant: Tenant,
    store: IntakeStore,
    now: datetime,
    config: TenantConfig | None,
    suggester: ArticleSuggester | None = None,
) -> tuple[IngestOutcome | IntakePlan | SurveyReply, TenantConfig]:
    """The outcome or the plan, and the configuration it was planned with (agents' availability as read)."""
    config = config or TenantConfig(tenant.tenant_id)
    own_id = inbound.hints.email_message_id
    if own_id and (came_back := parse_outbound_message_id(own_id, tenant)):
        return IngestOutcome(came_back.case_id, came_back.message_id, duplicate=True), config  # stored when sent
    mentioned = dict.fromkeys((*referenced_email_ids(inbound), *inbound.bounced_message_ids))
    # Our own Message-IDs name their case: read that case at once instead of looking the id up first.
    own = {i: ref for i in mentioned if (ref := parse_outbound_message_id(i, tenant))}
    lookups = tuple(i for i in mentioned if i not in own)
    case_ids = tuple(dict.fromkeys((*(r.case_id for r in own.values()), *inbound.hints.case_tokens)))
    snapshot = store.read_snapshot(inbound, lookups, case_ids)
    snapshot.email_refs.update(own)
    if snapshot.already_stored:
        ref = snapshot.already_stored
        return IngestOutcome(ref.case_id, ref.message_id, duplicate=True), config
    if snapshot.availability is not None:  # read in the same batch: routing skips agents who are away now
        config = with_availability(config, snapshot.availability, now)
    if reply := _survey_reply(inbound, snapshot, store, now, config):
        return reply, config
    missing = tuple(c for c in cases_to_read(inbound, snapshot) if c not in snapshot.cases)
    if missing:
        snapshot.cases.update(store.read_cases(inbound.tenant_id, missing))
    while follow_up := follow_up_to_read(inbound, snapshot):  # a late reply: the old case's follow-ups (bounded)
        snapshot.cases.update(store.read_cases(inbound.tenant_id, follow_up))
        if not all(c in snapshot.cases for c in follow_up):
            break  # gone (erased): the reply opens a new follow-up
    kb = config.kb
    text = f"{inbound.subject}\n{inbound.body_text}"
    suggest = (lambda case: suggester.suggest(case, text, kb)) if suggester else None
    return plan_intake(inbound, tenant, snapshot, now, config, suggest), config


def _survey_reply(
    inbound: InboundMessage, snapshot: IntakeSnapshot, store: IntakeStore, now: datetime, config: TenantConfig
) -> SurveyReply | None:
    """The answer a text carries when its sender has a survey pending; None takes it as a case message."""
    sender = snapshot.sender
    pending = sender.pending_survey_case_id if sender else None
    if not (sender and pending and sender.pending_survey_until and isinstance(store, SurveyReplies)):
        return None
    texting = traits_of(inbound.channel).answers_by_reply and inbound.kind == "human"
    parsed = parse_reply(inbound.body_text) if texting and not inbound.keyword else None
    if parsed is None or sender.pending_survey_until <= now:
        return None
    case_id = pending
    survey = store.read_survey(inbound.tenant_id, case_id)
    if survey is None:
        return None
    case = snapshot.cases.get(case_id) or store.read_cases(inbound.tenant_id, (case_id,)).get(case_id)
    try:
        answered, callback = answer_survey(survey, parsed[0], parsed[1], now, config, case)
    except SurveyRefused:
        return None
    return SurveyReply(answered, answered_events(answered), callback, inbound.delivery_key)
