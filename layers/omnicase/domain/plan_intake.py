"""Plan one intake: dedupe, customer, thread, case changes and acknowledgement — pure, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from omnicase.domain.acknowledgement import compose_acknowledgement, is_own_address, next_ack_window
from omnicase.domain.callback_case import note_customer_reached
from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_lifecycle import follow_up_events
from omnicase.domain.case_status import status_after_customer_message
from omnicase.domain.case_token import NO_SUBJECT, clean_subject
from omnicase.domain.channel_traits import Threading, traits_of
from omnicase.domain.customer_texts import detect_language
from omnicase.domain.customer_zone import customer_time_zone
from omnicase.domain.first_line import first_line_of
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import CustomerTraits, IdentityWrite, IntakePlan, IntakeSnapshot, StoredMessageRef
from omnicase.domain.model import Case, CaseStatus, Customer, Direction, Message, Tenant
from omnicase.domain.routing import RoutingContext
from omnicase.domain.self_service import VIA_REPLY, SuggestedArticle, is_solved_reply, may_self_serve, solve_self_served
from omnicase.domain.serve_case import serve_customer_message, serve_new_case
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.thread_message import awaited_references, choose_thread
from omnicase.ids import new_case_id, new_customer_id, new_message_id


class BounceWithoutOriginal(Exception):
    """A bounce whose original message we never sent: it must not open a case."""


def plan_intake(
    inbound: InboundMessage,
    tenant: Tenant,
    snapshot: IntakeSnapshot,
    now: datetime,
    config: TenantConfig | None = None,
    suggest: Callable[[Case], Sequence[SuggestedArticle]] | None = None,
) -> IntakePlan:
    """Decide every write of one inbound message from what the snapshot holds; `suggest` finds the articles a new
    case's acknowledgement offers (asked only when one is sent)."""
    config = config or TenantConfig(tenant.tenant_id)
    decision = choose_thread(inbound, snapshot, now=now, reopen_window=config.reopen_window)
    solved_reply = decision.case is not None and _says_solved(inbound, decision.case)
    if inbound.is_bounce and decision.case is None:
        raise BounceWithoutOriginal(", ".join(inbound.bounced_message_ids) or "no original Message-ID")
    customer_id, new_customer = _customer(inbound, snapshot, now)
    message = _message(inbound, decision.case.case_id if decision.case else None, now)
    if decision.case is None:
        previous = decision.follow_up_of
        case = _new_case(inbound, customer_id, message, now, previous.case_id if previous else None)
        message = replace(message, case_id=case.case_id)
    else:
        case = _updated_case(decision.case, inbound, now, reopen=not solved_reply)
    plan = IntakePlan(
        case=case,
        is_new_case=decision.case is None,
        message=message,
        delivery_key=inbound.delivery_key,
        new_customer=new_customer,
        new_identities=tuple(i for i in inbound.claimed_identities if i not in snapshot.claimed) if customer_id else (),
        customer_traits=known_traits(inbound, snapshot),
        conversation=_conversation(inbound, case, snapshot),
        bounced=_bounced_ref(inbound, snapshot),
        awaited_refs=awaited_references(inbound, snapshot),
        followed_up=decision.followed_up,
    )
    plan.events = _serve(plan, decision.case, inbound, snapshot, config, tenant, now, solved_reply)
    if decision.follow_up_of is not None:
        plan.events += follow_up_events(case, decision.follow_up_of, now)
    plan.sender_identity = _sender_identity(inbound, snapshot, customer_id, plan)
    if plan.is_new_case and _may_acknowledge(inbound, tenant, snapshot) and plan.sender_identity:
        window = next_ack_window(snapshot.ack_window, inbound.sender_address or "", now, tenant.ack_limit_per_hour)
        if window is not None:
            articles = suggest(case) if suggest and config.kb.acknowledgement_articles else ()
            plan.acknowledgement = compose_acknowledgement(case, inbound, tenant, now, config, articles)
            plan.sender_identity.ack_window = window
            case.message_count += 1
    return plan


def _serve(
    plan: IntakePlan,
    stored: Case | None,
    inbound: InboundMessage,
    snapshot: IntakeSnapshot,
    config: TenantConfig,
    tenant: Tenant,
    now: datetime,
    solved_reply: bool = False,
) -> list[CaseEvent]:
    """Route a new case and run its SLA clocks; a customer's reply moves them on an existing one, and a "solved"
    reply to offered articles solves it as self-served (nothing more on a case solved already)."""
    log = CaseEventLog(plan.case.tenant_id, plan.case.case_id, now)
    if stored is None:
        sender = [f"{inbound.channel.value}:{inbound.sender_address}"] if inbound.sender_address else []
        traits = plan.customer_traits
        context = RoutingContext(
            channel=inbound.channel,
            subject=inbound.subject,
            body=inbound.body_text,
            has_attachments=bool(inbound.attachments),
            identities=(*sender, *(f"{c}:{a}" for c, a in inbound.claimed_identities)),
            tags=(),
            received_at=now,
            profile_tier=traits.tier,
            profile_key_account=traits.key_account,
            profile_dedicated_agent=traits.dedicated_agent,
        )
        service = plan.case.service
        service.language = detect_language(f"{inbound.subject}\n{inbound.body_text}")
        service.customer_time_zone = customer_time_zone(inbound, config.time_zone)
        service.notify_customer = inbound.may_be_acknowledged and not is_own_address(inbound.sender_address, tenant)
        serve_new_case(plan.case, config, context, log, start_sla=inbound.kind == "human")
    elif solved_reply:
        solve_self_served(plan.case, config, VIA_REPLY, now, log)
    elif inbound.kind == "human" and not inbound.keyword:
        serve_customer_message(plan.case, config, now, log, previous_status=stored.status)
    return log.events


def _may_acknowledge(inbound: InboundMessage, tenant: Tenant, snapshot: IntakeSnapshot) -> bool:
    consented = not (snapshot.sender and snapshot.sender.opted_out)
    own = is_own_address(inbound.sender_address, tenant)
    return tenant.ack_enabled and inbound.may_be_acknowledged and inbound.acknowledge and consented and not own


def known_traits(inbound: InboundMessage, snapshot: IntakeSnapshot) -> CustomerTraits:
    """The routing traits of the customer the message joins: its sender identity's, else those of the first named
    identity that has a customer (as `_customer` picks it), so a VIP writing from a new address routes as a VIP."""
    if snapshot.sender:
        return snapshot.sender.traits
    named = _first_known_named(inbound, snapshot)
    return snapshot.claimed_traits.get(named, CustomerTraits()) if named else CustomerTraits()


def _first_known_named(inbound: InboundMessage, snapshot: IntakeSnapshot) -> tuple[str, str] | None:
    """The first identity the sender named that belongs to a customer: the message joins that customer."""
    return next((i for i in inbound.claimed_identities if i in snapshot.claimed), None)


def _customer(inbound: InboundMessage, snapshot: IntakeSnapshot, now: datetime) -> tuple[str | None, Customer | None]:
    """The sender's customer; else the customer of an identity they named; else a new one."""
    named = _first_known_named(inbound, snapshot)
    known = snapshot.customer_id or (snapshot.claimed[named] if named else None)
    if known or not inbound.sender_address:
        return known, None
    identities = [(inbound.channel.value, inbound.sender_address), *inbound.claimed_identities]
    customer = Customer(
        tenant_id=inbound.tenant_id,
        customer_id=new_customer_id(),
        display_name=inbound.sender_name,
        created_at=now,
        identities=[f"{channel}:{address}" for channel, address in identities],
    )
    return customer.customer_id, customer


def _sender_identity(
    inbound: InboundMessage, snapshot: IntakeSnapshot, customer_id: str | None, plan: IntakePlan
) -> IdentityWrite | None:
    if not inbound.sender_address or not customer_id:
        return None
    write = IdentityWrite(inbound.channel.value, inbound.sender_address, customer_id, create=snapshot.sender is None)
    write.thread_read = snapshot.sender.thread_case_id if snapshot.sender else None
    if plan.is_new_case and traits_of(inbound.channel).threading == Threading.SENDER:
        write.thread_case_id = plan.case.case_id  # later messages from this address join this case
    if inbound.keyword in ("stop", "start"):
        write.opted_out = inbound.keyword == "stop"
    return write


def _conversation(inbound: InboundMessage, case: Case, snapshot: IntakeSnapshot) -> tuple[str, str, str | None] | None:
    conversation_id = inbound.hints.conversation_id
    conversations = traits_of(inbound.channel).threading == Threading.CONVERSATION
    if not conversations or not conversation_id or snapshot.conversation_case_id == case.case_id:
        return None
    return conversation_id, case.case_id, snapshot.conversation_case_id


def _message(inbound: InboundMessage, case_id: str | None, now: datetime) -> Message:
    return Message(
        tenant_id=inbound.tenant_id,
        case_id=case_id or "",
        # Sorted by when the customer sent it, so a late redelivery lands in its place.
        message_id=new_message_id(inbound.received_at.timestamp()),
        direction=Direction.INBOUND,
        channel=inbound.channel,
        created_at=inbound.received_at,
        subject=inbound.subject,
        body_text=inbound.body_text,
        preview=inbound.preview,
        sender=inbound.sender_address,
        sender_name=inbound.sender_name,
        recipients=(inbound.recipient,) if inbound.recipient else (),
        kind=inbound.kind,
        email_message_id=inbound.hints.email_message_id,
        provider_message_id=inbound.provider_message_id,
        raw_ref=inbound.raw_ref,
        attachments=inbound.attachments,
        problems=inbound.problems,
    )


def _new_case(
    inbound: InboundMessage, customer_id: str | None, message: Message, now: datetime, follow_up_of: str | None
) -> Case:
    return Case(
        tenant_id=inbound.tenant_id,
        case_id=new_case_id(now.timestamp()),
        channel=inbound.channel,
        subject=clean_subject(inbound.subject) if inbound.subject else NO_SUBJECT,
        customer_id=customer_id,
        contact_address=inbound.sender_address,
        mailbox=inbound.recipient,
        created_at=now,
        updated_at=now,
        last_inbound_at=message.created_at,
        message_count=1,
        follow_up_of=follow_up_of,
        conversation_id=inbound.hints.conversation_id,
        first_line=first_line_of(clean_subject(inbound.subject), inbound.body_text),
    )


def _says_solved(inbound: InboundMessage, case: Case) -> bool:
    """A customer's "solved" / 已解决 reply, on a channel answered by reply, to a case that offered articles."""
    texting = traits_of(inbound.channel).answers_by_reply and inbound.kind == "human" and not inbound.keyword
    finished = case.status in (CaseStatus.SOLVED, CaseStatus.CLOSED)
    return texting and (finished or may_self_serve(case)) and is_solved_reply(inbound.body_text)


def _updated_case(case: Case, inbound: InboundMessage, now: datetime, *, reopen: bool = True) -> Case:
    updated = replace(case, updated_at=now, message_count=case.message_count + 1)
    if inbound.kind == "human" and not inbound.keyword:
        updated.status = status_after_customer_message(case.status) if reopen else case.status
        updated.last_inbound_at = max(filter(None, (case.last_inbound_at, inbound.received_at)))
        note_customer_reached(updated, inbound.received_at)  # a callback case: the customer answered in writing
        if updated.status != case.status:
            updated.solved_at = None
    return updated


def _bounced_ref(inbound: InboundMessage, snapshot: IntakeSnapshot) -> StoredMessageRef | None:
    if not inbound.is_bounce:
        return None
    refs = (snapshot.email_refs.get(i) for i in inbound.bounced_message_ids)
    return next((r for r in refs if r and r.direction == Direction.OUTBOUND.value), None)
