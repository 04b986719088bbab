"""The DynamoDB side of intake: one batch read for the snapshot, one transaction for the plan."""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.transactions import TransactWrite

from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import (
    AckWindow,
    CustomerTraits,
    IdentityWrite,
    IntakePlan,
    IntakeSnapshot,
    SenderIdentity,
    StoredMessageRef,
    SurveyReply,
)
from omnicase.domain.model import Case, DeliveryStatus, Message
from omnicase.domain.survey import Survey
from omnicase.persistence import keys
from omnicase.persistence.availability_store import states_of
from omnicase.persistence.dynamo_models import (
    AgentAvailabilityItem,
    CaseItem,
    ConversationItem,
    DeliveryItem,
    EmailIdItem,
    IdentityItem,
    MessageItem,
    OmnicaseItem,
    transaction_connection,
)
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import (
    case_event_to_item,
    case_from_item,
    case_to_item,
    customer_to_item,
    message_to_item,
)

AWAITED = "awaited"  # an EmailIdItem's direction while its mail has not arrived


class DynamoIntakeStore:
    """IntakeStore on the single table."""

    def read_snapshot(
        self, inbound: InboundMessage, email_ids: tuple[str, ...], case_ids: tuple[str, ...]
    ) -> IntakeSnapshot:
        tenant = inbound.tenant_id
        wanted = [(keys.delivery_pk(tenant, *inbound.delivery_key), keys.SINGLETON_SK)]
        own_email_id = inbound.hints.email_message_id
        wanted += [(keys.email_id_pk(tenant, i), keys.SINGLETON_SK) for i in {*email_ids, own_email_id} if i]
        wanted += [(keys.case_pk(tenant, c), keys.CASE_SK) for c in case_ids]
        identities = [(inbound.channel.value, inbound.sender_address)] if inbound.sender_address else []
        identities += list(inbound.claimed_identities)
        wanted += [(keys.identity_pk(tenant, channel, address), keys.SINGLETON_SK) for channel, address in identities]
        if inbound.hints.conversation_id:
            wanted.append((keys.conversation_pk(tenant, inbound.hints.conversation_id), keys.SINGLETON_SK))
        # Agents' availability in the same request (routing skips who is away), consistent as its own store reads
        # it: a GetItem fewer per message.
        wanted.append(keys.agent_availability_key(tenant))
        return _snapshot(OmnicaseItem.batch_get(dict.fromkeys(wanted), consistent_read=True), inbound)

    def read_cases(self, tenant_id: str, case_ids: tuple[str, ...]) -> dict[str, Case]:
        items = CaseItem.batch_get([(keys.case_pk(tenant_id, c), keys.CASE_SK) for c in case_ids])
        return {item.case_id: case_from_item(item) for item in items if item.tenant_id == tenant_id}

    def commit_intake(self, plan: IntakePlan) -> None:
        dedupe_positions: set[int] = set()
        tenant = plan.case.tenant_id
        with transaction_errors(dedupe_positions), TransactWrite(connection=transaction_connection()) as tx:
            tx.save(case_to_item(plan.case))
            tx.save(message_to_item(plan.message), condition=MessageItem.pk.does_not_exist())
            # One redelivery marker: the Message-ID when the mail has one (it also threads replies), else the
            # provider's delivery id. Its failed condition is how a concurrent duplicate shows up.
            dedupe_positions.add(2)
            if plan.message.email_message_id:  # replaces a forward reference a reply left for this mail
                marker_free = OmnicaseItem.pk.does_not_exist() | (EmailIdItem.direction == AWAITED)
                tx.save(_email_id_item(plan.message), condition=marker_free)
            else:
                tx.save(_delivery_item(plan), condition=OmnicaseItem.pk.does_not_exist())
            if plan.sender_identity:
                _write_sender_identity(tx, tenant, plan.sender_identity, plan.customer_traits)
            customer_id = plan.sender_identity.customer_id if plan.sender_identity else plan.case.customer_id
            for channel, address in plan.new_identities:
                identity = new_identity(tenant, channel, address, customer_id, plan.customer_traits)
                tx.save(identity, condition=IdentityItem.pk.does_not_exist())
            if plan.new_customer:
                tx.save(customer_to_item(plan.new_customer), condition=OmnicaseItem.pk.does_not_exist())
            if plan.conversation:
                _point_conversation(tx, tenant, *plan.conversation)
            if plan.bounced:
                self._mark_bounced(tx, plan)
            for event in plan.events:
                tx.save(case_event_to_item(event))
            for opened in plan.new_cases:
                tx.save(case_to_item(opened), condition=CaseItem.pk.does_not_exist())
            for email_id in plan.awaited_refs:  # taken meanwhile: a lost race, retried with a fresh read
                tx.save(_awaited_item(plan, email_id), condition=OmnicaseItem.pk.does_not_exist())
            for old in plan.followed_up:
                _name_follow_up(tx, old, plan.case.case_id)
            if plan.acknowledgement:  # last: nothing after it can still cancel the transaction
                tx.save(message_to_item(plan.acknowledgement), condition=MessageItem.pk.does_not_exist())

    def read_survey(self, tenant_id: str, case_id: str) -> Survey | None:
        """The survey a text reply may answer (read only when the sender has one pending)."""
        from omnicase.persistence.survey_store import DynamoSurveyStore

        return DynamoSurveyStore().get(tenant_id, case_id)

    def commit_survey_reply(self, reply: SurveyReply) -> None:
        """The answer with the reply's redelivery marker; DuplicateDelivery or ConcurrentUpdate as for intake."""
        from omnicase.persistence.survey_answers import DynamoSurveyAnswers

        DynamoSurveyAnswers().record_answer(reply.survey, reply.events, reply.callback, delivery=reply.delivery_key)

    def _mark_bounced(self, tx: TransactWrite, plan: IntakePlan) -> None:
        ref = plan.bounced
        assert ref is not None
        tx.update(
            MessageItem(keys.case_pk(plan.case.tenant_id, ref.case_id), keys.message_sk(ref.message_id)),
            actions=[
                MessageItem.delivery_status.set(DeliveryStatus.BOUNCED.value),
                MessageItem.delivery_detail.set(f"bounce {plan.message.message_id}"),
            ],
            condition=MessageItem.pk.exists(),
        )


def _delivery_item(plan: IntakePlan) -> DeliveryItem:
    channel, provider_id = plan.delivery_key
    return DeliveryItem(
        keys.delivery_pk(plan.case.tenant_id, channel, provider_id),
        keys.SINGLETON_SK,
        tenant_id=plan.case.tenant_id,
        case_id=plan.message.case_id,
        message_id=plan.message.message_id,
    )


def _awaited_item(plan: IntakePlan, email_id: str) -> EmailIdItem:
    tenant = plan.case.tenant_id
    return EmailIdItem(
        keys.email_id_pk(tenant, email_id),
        keys.SINGLETON_SK,
        tenant_id=tenant,
        case_id=plan.case.case_id,
        message_id=plan.message.message_id,  # the reply that is waiting for it
        direction=AWAITED,
    )


def _email_id_item(message: Message) -> EmailIdItem:
    assert message.email_message_id
    return EmailIdItem(
        keys.email_id_pk(message.tenant_id, message.email_message_id),
        keys.SINGLETON_SK,
        tenant_id=message.tenant_id,
        case_id=message.case_id,
        message_id=message.message_id,
        direction=message.direction.value,
    )


def new_identity(
    tenant: str, channel: str, address: str, customer_id: str | None, traits: CustomerTraits | None = None
) -> IdentityItem:
    """An identity item, also listed under its customer on gsi2 (merges find every identity there), carrying the
    customer's routing traits (intake reads them from the identity, in its one batch)."""
    traits = traits or CustomerTraits()
    return IdentityItem(
        keys.identity_pk(tenant, channel, address),
        keys.SINGLETON_SK,
        tenant_id=tenant,
        customer_id=customer_id,
        gsi2pk=keys.customer_cases_pk(tenant, customer_id) if customer_id else None,
        gsi2sk=keys.identity_sk(channel, address),
        tier=traits.tier,
        key_account=traits.key_account,
        dedicated_agent=traits.dedicated_agent,
    )


def _write_sender_identity(tx: TransactWrite, tenant: str, write: IdentityWrite, traits: CustomerTraits) -> None:
    window = write.ack_window
    fields = {
        "thread_case_id": write.thread_case_id,
        "opted_out": write.opted_out,
        "ack_window_start": window.window_start if window else None,
        "ack_count": window.count if window else None,
    }
    changed = {name: value for name, value in fields.items() if value is not None}
    item = IdentityItem(keys.identity_pk(tenant, write.channel, write.address), keys.SINGLETON_SK)
    if write.create:
        item = new_identity(tenant, write.channel, write.address, write.customer_id, traits)
        for name, value in changed.items():
            setattr(item, name, value)
        tx.save(item, condition=IdentityItem.pk.does_not_exist())  # two first messages: one wins, one retries
        return
    # Threading followed the pointer as read; a callback case that opened meanwhile moved it (callback_threads.py)
    read = write.thread_read
    unmoved = IdentityItem.thread_case_id == read if read else IdentityItem.thread_case_id.does_not_exist()
    if changed:
        actions = [getattr(IdentityItem, name).set(value) for name, value in changed.items()]
        tx.update(item, actions=actions, condition=(IdentityItem.customer_id == write.customer_id) & unmoved)
    else:
        tx.condition_check(IdentityItem, item.pk, item.sk, condition=unmoved)


def _name_follow_up(tx: TransactWrite, old: Case, follow_up_id: str) -> None:
    """The old case names its newest follow-up. Conditioned on the pointer as read, not on the whole case: a second
    late reply that raced this one fails here, re-reads and joins the follow-up; an agent's edit meanwhile does not
    fail it.
    The version still moves, so a save from an older read cannot drop the pointer."""
    item = CaseItem(keys.case_pk(old.tenant_id, old.case_id), keys.CASE_SK, version=old.version)
    if old.followed_up_by is None:
        as_read = CaseItem.followed_up_by.does_not_exist()
    else:
        as_read = CaseItem.followed_up_by == old.followed_up_by
    tx.update(
        item,
        actions=[CaseItem.followed_up_by.set(follow_up_id)],
        condition=CaseItem.pk.exists() & as_read,
        add_version_condition=False,
    )


def _point_conversation(tx: TransactWrite, tenant: str, conversation_id: str, case_id: str, before: str | None) -> None:
    pointer = ConversationItem(keys.conversation_pk(tenant, conversation_id), keys.SINGLETON_SK)
    if before is None:
        pointer.tenant_id, pointer.case_id = tenant, case_id
        tx.save(pointer, condition=ConversationItem.pk.does_not_exist())  # two first messages: one case
    else:  # the conversation's case was closed: it continues on a follow-up case
        tx.update(
            pointer, actions=[ConversationItem.case_id.set(case_id)], condition=ConversationItem.case_id == before
        )


def _snapshot(items: Iterable[OmnicaseItem], inbound: InboundMessage) -> IntakeSnapshot:
    snapshot = IntakeSnapshot(availability={})
    own_email_id = inbound.hints.email_message_id
    sender_pk = None
    if inbound.sender_address:
        sender_pk = keys.identity_pk(inbound.tenant_id, inbound.channel.value, inbound.sender_address)
    for item in items:
        if isinstance(item, DeliveryItem):
            snapshot.already_stored = StoredMessageRef(item.case_id, item.message_id)
        elif isinstance(item, EmailIdItem):
            email_id = item.pk.split("#EMAILID#", 1)[1]
            if item.direction == AWAITED:
                snapshot.awaited[email_id] = item.case_id
            else:
                snapshot.email_refs[email_id] = StoredMessageRef(item.case_id, item.message_id, item.direction)
        elif isinstance(item, CaseItem):
            snapshot.cases[item.case_id] = case_from_item(item)
        elif isinstance(item, ConversationItem):
            snapshot.conversation_case_id = item.case_id
        elif isinstance(item, AgentAvailabilityItem) and item.tenant_id == inbound.tenant_id:
            snapshot.availability = states_of(item)
        elif isinstance(item, IdentityItem) and item.pk == sender_pk:
            snapshot.sender = _sender(item, inbound.sender_address or "")
        elif isinstance(item, IdentityItem):
            channel, address = item.pk.split("#IDENT#", 1)[1].split("#", 1)
            snapshot.claimed[(channel, address)] = item.customer_id
            snapshot.claimed_traits[(channel, address)] = _traits(item)
    if own_email_id and own_email_id in snapshot.email_refs and snapshot.already_stored is None:
        snapshot.already_stored = snapshot.email_refs.pop(own_email_id)
    return snapshot


def _traits(item: IdentityItem) -> CustomerTraits:
    return CustomerTraits(item.tier, item.key_account, item.dedicated_agent)


def _sender(item: IdentityItem, address: str) -> SenderIdentity:
    window = None
    if item.ack_window_start is not None:
        window = AckWindow(address, int(item.ack_window_start), int(item.ack_count or 0))
    traits = _traits(item)
    pending = item.pending_survey_case_id, item.pending_survey_until
    return SenderIdentity(item.customer_id, item.thread_case_id, bool(item.opted_out), window, traits, *pending)
