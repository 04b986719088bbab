"""The DynamoDB side of intake: one batch read for the snapshot, one transaction for the plan."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import AckWindow, IntakePlan, IntakeSnapshot, StoredMessageRef
from omnicase.domain.model import Case, DeliveryStatus, Message
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import (
    AckWindowItem,
    CaseItem,
    DeliveryItem,
    EmailIdItem,
    IdentityItem,
    MessageItem,
    OmnicaseItem,
)
from omnicase.persistence.errors import single_write_errors, transaction_errors
from omnicase.persistence.mapping import case_from_item, case_to_item, customer_to_item, message_to_item

ACK_WINDOW_TTL_SECONDS = 2 * 3600


class DynamoIntakeStore:
    """IntakeStore on the single table."""

    def __init__(self) -> None:
        self._connection: Connection | None = None

    def read_snapshot(
        self, inbound: InboundMessage, email_ids: tuple[str, ...], case_ids: tuple[str, ...]
    ) -> IntakeSnapshot:
        tenant = inbound.tenant_id
        wanted = [(keys.delivery_pk(tenant, inbound.channel.value, inbound.provider_message_id), keys.SINGLETON_SK)]
        own_email_id = inbound.hints.email_message_id
        wanted += [(keys.email_id_pk(tenant, i), keys.SINGLETON_SK) for i in {*email_ids, own_email_id} if i]
        wanted += [(keys.case_pk(tenant, c), keys.CASE_SK) for c in case_ids]
        if inbound.sender_address:
            wanted.append((keys.identity_pk(tenant, inbound.channel.value, inbound.sender_address), keys.SINGLETON_SK))
            wanted.append((keys.ack_window_pk(tenant, inbound.sender_address), keys.SINGLETON_SK))
        return _snapshot(OmnicaseItem.batch_get(dict.fromkeys(wanted)), own_email_id)

    def read_cases(self, tenant_id: str, case_ids: tuple[str, ...]) -> dict[str, Case]:
        items = CaseItem.batch_get([(keys.case_pk(tenant_id, c), keys.CASE_SK) for c in case_ids])
        return {item.case_id: case_from_item(item) for item in items if item.tenant_id == tenant_id}

    def commit_intake(self, plan: IntakePlan) -> None:
        tenant = plan.case.tenant_id
        message = plan.message
        dedupe_positions: set[int] = set()
        with transaction_errors(dedupe_positions), TransactWrite(connection=self._conn()) as tx:
            tx.save(case_to_item(plan.case))
            tx.save(message_to_item(message), condition=MessageItem.pk.does_not_exist())
            channel, provider_id = plan.delivery_key
            dedupe_positions.add(2)
            tx.save(
                DeliveryItem(
                    keys.delivery_pk(tenant, channel, provider_id),
                    keys.SINGLETON_SK,
                    tenant_id=tenant,
                    case_id=message.case_id,
                    message_id=message.message_id,
                ),
                condition=DeliveryItem.pk.does_not_exist(),
            )
            if message.email_message_id:
                dedupe_positions.add(3)
                tx.save(_email_id_item(message), condition=EmailIdItem.pk.does_not_exist())
            for item in self._optional_items(plan):
                tx.save(item, condition=_create_only(item))
            if plan.bounced:
                ref = plan.bounced
                tx.update(
                    MessageItem(keys.case_pk(tenant, ref.case_id), keys.message_sk(ref.message_id)),
                    actions=[
                        MessageItem.delivery_status.set(DeliveryStatus.BOUNCED.value),
                        MessageItem.delivery_detail.set(f"bounce {message.message_id}"),
                    ],
                    condition=MessageItem.pk.exists(),
                )

    def mark_delivery(
        self, tenant_id: str, case_id: str, message_id: str, status: DeliveryStatus, detail: str | None
    ) -> None:
        item = MessageItem(keys.case_pk(tenant_id, case_id), keys.message_sk(message_id))
        with single_write_errors(f"message {message_id}"):
            item.update(
                actions=[MessageItem.delivery_status.set(status.value), MessageItem.delivery_detail.set(detail)],
                condition=MessageItem.pk.exists(),
            )

    def _optional_items(self, plan: IntakePlan) -> Iterable[OmnicaseItem]:
        tenant = plan.case.tenant_id
        if plan.new_customer:
            yield customer_to_item(plan.new_customer)
        if plan.new_customer and plan.identity:
            channel, address = plan.identity
            yield IdentityItem(
                keys.identity_pk(tenant, channel, address),
                keys.SINGLETON_SK,
                tenant_id=tenant,
                customer_id=plan.new_customer.customer_id,
            )
        if plan.acknowledgement:
            yield message_to_item(plan.acknowledgement)
            yield _email_id_item(plan.acknowledgement)
        if plan.ack_window:
            window = plan.ack_window
            yield AckWindowItem(
                keys.ack_window_pk(tenant, window.address),
                keys.SINGLETON_SK,
                tenant_id=tenant,
                window_start=window.window_start,
                count=window.count,
                expires_at=datetime.fromtimestamp(window.window_start + ACK_WINDOW_TTL_SECONDS, UTC),
            )

    def _conn(self) -> Connection:
        if self._connection is None:
            meta = OmnicaseItem.Meta
            self._connection = Connection(region=meta.region, host=getattr(meta, "host", None))
        return self._connection


def _create_only(item: OmnicaseItem):  # noqa: ANN202 - a pynamodb Condition
    # The ack window is overwritten on purpose; everything else must be new (identity races → retry).
    return None if isinstance(item, AckWindowItem) else OmnicaseItem.pk.does_not_exist()


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


def _snapshot(items: Iterable[OmnicaseItem], own_email_id: str | None) -> IntakeSnapshot:
    snapshot = IntakeSnapshot()
    for item in items:
        if isinstance(item, DeliveryItem):
            snapshot.already_stored = StoredMessageRef(item.case_id, item.message_id)
        elif isinstance(item, EmailIdItem):
            ref = StoredMessageRef(item.case_id, item.message_id, item.direction)
            snapshot.email_refs[item.pk.split("#EMAILID#", 1)[1]] = ref
        elif isinstance(item, CaseItem):
            snapshot.cases[item.case_id] = case_from_item(item)
        elif isinstance(item, IdentityItem):
            snapshot.customer_id = item.customer_id
        elif isinstance(item, AckWindowItem):
            address = item.pk.split("#ACKRATE#", 1)[1]
            snapshot.ack_window = AckWindow(address, int(item.window_start), int(item.count))
    if own_email_id and own_email_id in snapshot.email_refs and snapshot.already_stored is None:
        snapshot.already_stored = snapshot.email_refs.pop(own_email_id)
    return snapshot
