"""Translation between domain dataclasses and PynamoDB items (and nothing else)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.expressions.update import Action

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import (
    Attachment,
    Case,
    CaseStatus,
    Channel,
    Customer,
    DeliveryStatus,
    Direction,
    Message,
    Priority,
)
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import AttachmentMap, CaseEventItem, CaseItem, CustomerItem, MessageItem
from omnicase.persistence.service_document import service_from_document, service_to_document


def case_to_item(case: Case) -> CaseItem:
    assert case.created_at is not None and case.updated_at is not None
    created = case.created_at.isoformat()
    item = CaseItem(
        keys.case_pk(case.tenant_id, case.case_id),
        keys.CASE_SK,
        tenant_id=case.tenant_id,
        gsi1pk=keys.tenant_cases_pk(case.tenant_id, keys.shard_of(case.case_id)),
        gsi1sk=keys.created_sk(created, case.case_id),
        gsi2pk=keys.customer_cases_pk(case.tenant_id, case.customer_id) if case.customer_id else None,
        gsi2sk=keys.created_sk(created, case.case_id) if case.customer_id else None,
        # Every write of a case passes here, so every change moves it to the end of the tenant's changes feed, and a
        # case written before the wide partitions were sharded moves to its shard (keys.shards).
        gsi4pk=keys.tenant_changes_pk(case.tenant_id, keys.shard_of(case.case_id)),
        gsi4sk=keys.change_sk(case.updated_at, case.case_id),
        case_id=case.case_id,
        channel=case.channel.value,
        subject=case.subject,
        status=case.status.value,
        customer_id=case.customer_id,
        contact_address=case.contact_address,
        mailbox=case.mailbox,
        priority=case.priority.value,
        queue=case.queue,
        assignee=case.assignee,
        created_at=case.created_at,
        updated_at=case.updated_at,
        last_inbound_at=case.last_inbound_at,
        message_count=case.message_count,
        follow_up_of=case.follow_up_of,
        followed_up_by=case.followed_up_by,
        solved_at=case.solved_at,
        conversation_id=case.conversation_id,
        first_line=case.first_line or None,
        service=service_to_document(case.service),
        tags=list(case.service.tags),
        breached=bool(case.service.breached),
        escalation_level=case.service.escalation_level,
        next_deadline=case.service.next_deadline,
    )
    if case.status not in (CaseStatus.SOLVED, CaseStatus.CLOSED):
        item.gsi3pk = keys.queue_pk(case.tenant_id, case.queue)
        item.gsi3sk = keys.deadline_sk(case.service.next_deadline, case.case_id)
        if case.assignee:  # a whole-item put: solving or unassigning leaves the keys out, so the case leaves gsi5
            item.gsi5pk = keys.assignee_pk(case.tenant_id, case.assignee)
            item.gsi5sk = item.gsi3sk
    if case.version is not None:
        item.version = case.version  # the version read: the save is conditional on it
    return item


def case_touched(tenant_id: str, case_id: str, at: datetime) -> list[Action]:
    """Update actions for a case changed in place (not through case_to_item): its update time and changes feed key."""
    return [
        CaseItem.updated_at.set(at),
        CaseItem.gsi4pk.set(keys.tenant_changes_pk(tenant_id, keys.shard_of(case_id))),
        CaseItem.gsi4sk.set(keys.change_sk(at, case_id)),
    ]


def case_from_item(item: CaseItem) -> Case:
    return Case(
        tenant_id=item.tenant_id,
        case_id=item.case_id,
        channel=Channel(item.channel),
        subject=item.subject,
        status=CaseStatus(item.status),
        customer_id=item.customer_id,
        contact_address=item.contact_address,
        mailbox=item.mailbox,
        priority=Priority(item.priority),
        queue=item.queue,
        assignee=item.assignee,
        created_at=item.created_at,
        updated_at=item.updated_at,
        last_inbound_at=item.last_inbound_at,
        message_count=int(item.message_count or 0),
        follow_up_of=item.follow_up_of,
        followed_up_by=item.followed_up_by,
        solved_at=item.solved_at,
        conversation_id=item.conversation_id,
        first_line=item.first_line or "",
        service=service_from_document(item.service),
        version=item.version,
    )


def message_to_item(message: Message) -> MessageItem:
    return MessageItem(
        keys.case_pk(message.tenant_id, message.case_id),
        keys.message_sk(message.message_id),
        tenant_id=message.tenant_id,
        case_id=message.case_id,
        message_id=message.message_id,
        direction=message.direction.value,
        channel=message.channel.value,
        created_at=message.created_at,
        subject=message.subject,
        body_text=message.body_text,
        preview=message.preview,
        sender=message.sender,
        sender_name=message.sender_name,
        recipients=list(message.recipients),
        kind=message.kind,
        email_message_id=message.email_message_id,
        in_reply_to=message.in_reply_to,
        references=list(message.references),
        conversation_id=message.conversation_id,
        provider_message_id=message.provider_message_id,
        raw_ref=message.raw_ref,
        attachments=[AttachmentMap(**vars(a)) for a in message.attachments],
        delivery_status=message.delivery_status.value if message.delivery_status else None,
        delivery_detail=message.delivery_detail,
        problems=list(message.problems),
    )


def message_from_item(item: MessageItem) -> Message:
    return Message(
        tenant_id=item.tenant_id,
        case_id=item.case_id,
        message_id=item.message_id,
        direction=Direction(item.direction),
        channel=Channel(item.channel),
        created_at=item.created_at,
        subject=item.subject,
        body_text=item.body_text,
        preview=item.preview,
        sender=item.sender,
        sender_name=item.sender_name,
        recipients=tuple(item.recipients or ()),
        kind=item.kind,
        email_message_id=item.email_message_id,
        in_reply_to=item.in_reply_to,
        references=tuple(item.references or ()),
        conversation_id=item.conversation_id,
        provider_message_id=item.provider_message_id,
        raw_ref=item.raw_ref,
        attachments=tuple(
            Attachment(a.filename, a.content_type, int(a.size), a.s3_key, a.url, a.virus_verdict, a.media_id)
            for a in item.attachments or ()
        ),
        delivery_status=DeliveryStatus(item.delivery_status) if item.delivery_status else None,
        delivery_detail=item.delivery_detail,
        problems=tuple(item.problems or ()),
    )


def customer_to_item(customer: Customer) -> CustomerItem:
    return CustomerItem(
        keys.customer_pk(customer.tenant_id, customer.customer_id),
        keys.SINGLETON_SK,
        tenant_id=customer.tenant_id,
        customer_id=customer.customer_id,
        display_name=customer.display_name,
        created_at=customer.created_at,
        identities=list(customer.identities),
    )


def case_event_to_item(event: CaseEvent) -> CaseEventItem:
    return CaseEventItem(
        keys.case_pk(event.tenant_id, event.case_id),
        keys.case_event_sk(event.at, event.event_id),
        tenant_id=event.tenant_id,
        case_id=event.case_id,
        event_id=event.event_id,
        at=event.at,
        kind=event.kind,
        actor=event.actor,
        reason=event.reason,
        detail=event.detail or None,
    )


def case_event_from_item(item: CaseEventItem) -> CaseEvent:
    return CaseEvent(
        item.tenant_id, item.case_id, item.event_id, item.at, item.kind, item.actor, item.reason, item.detail or {}
    )
