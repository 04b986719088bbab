"""In-memory fakes of the domain's ports, with the same conflict behaviour as DynamoDB."""

from __future__ import annotations

import copy
from dataclasses import replace

from omnicase.domain.errors import ConcurrentUpdate, DuplicateDelivery
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import IntakePlan, IntakeSnapshot, SenderIdentity, StoredMessageRef
from omnicase.domain.model import Case, DeliveryStatus, Direction, Message
from omnicase.domain.ports import SendClaim


class MemoryIntakeStore:
    """IntakeStore in dicts; commit is all-or-nothing with version and uniqueness checks."""

    def __init__(self) -> None:
        self.cases: dict[tuple[str, str], Case] = {}
        self.messages: dict[tuple[str, str], list[Message]] = {}
        self.deliveries: dict[tuple[str, str, str], StoredMessageRef] = {}
        self.email_ids: dict[tuple[str, str], StoredMessageRef] = {}
        self.identities: dict[tuple[str, str, str], SenderIdentity] = {}
        self.conversations: dict[tuple[str, str], str] = {}
        self.customers: dict[tuple[str, str], object] = {}
        self.reads = 0
        self.commits = 0
        self.before_commit = None  # a hook tests use to simulate a concurrent writer

    def read_snapshot(self, inbound: InboundMessage, email_ids, case_ids) -> IntakeSnapshot:
        self.reads += 1
        tenant = inbound.tenant_id
        snapshot = IntakeSnapshot()
        snapshot.already_stored = self.deliveries.get((tenant, *inbound.delivery_key))
        own = inbound.hints.email_message_id
        if snapshot.already_stored is None and own and (tenant, own) in self.email_ids:
            snapshot.already_stored = self.email_ids[(tenant, own)]
        snapshot.email_refs = {i: self.email_ids[(tenant, i)] for i in email_ids if (tenant, i) in self.email_ids}
        snapshot.cases = {c: copy.deepcopy(self.cases[(tenant, c)]) for c in case_ids if (tenant, c) in self.cases}
        if inbound.sender_address:
            snapshot.sender = self.identities.get((tenant, inbound.channel.value, inbound.sender_address))
        for channel, address in inbound.claimed_identities:
            if (tenant, channel, address) in self.identities:
                held = self.identities[(tenant, channel, address)]
                snapshot.claimed[(channel, address)] = held.customer_id
                snapshot.claimed_traits[(channel, address)] = held.traits
        if inbound.hints.conversation_id:
            snapshot.conversation_case_id = self.conversations.get((tenant, inbound.hints.conversation_id))
        return snapshot

    def read_cases(self, tenant_id: str, case_ids) -> dict[str, Case]:
        self.reads += 1
        return {c: copy.deepcopy(self.cases[(tenant_id, c)]) for c in case_ids if (tenant_id, c) in self.cases}

    def commit_intake(self, plan: IntakePlan) -> None:
        if self.before_commit:
            hook, self.before_commit = self.before_commit, None
            hook(self)
        tenant, case = plan.case.tenant_id, plan.case
        self._check(plan)
        self.commits += 1
        self.cases[(tenant, case.case_id)] = replace(case, version=(case.version or 0) + 1)
        for old in plan.followed_up:
            stored = self.cases[(tenant, old.case_id)]
            self.cases[(tenant, old.case_id)] = replace(
                stored, followed_up_by=case.case_id, version=(stored.version or 0) + 1
            )
        channel, provider_id = plan.delivery_key
        self.deliveries[(tenant, channel, provider_id)] = StoredMessageRef(case.case_id, plan.message.message_id)
        for message in filter(None, (plan.message, plan.acknowledgement)):
            self.messages.setdefault((tenant, case.case_id), []).append(message)
            if message.email_message_id and message.direction == Direction.INBOUND:
                self.email_ids[(tenant, message.email_message_id)] = StoredMessageRef(
                    case.case_id, message.message_id, message.direction.value
                )
        if plan.new_customer:
            self.customers[(tenant, plan.new_customer.customer_id)] = plan.new_customer
        self._write_identities(plan)
        if plan.conversation:
            self.conversations[(tenant, plan.conversation[0])] = plan.conversation[1]
        if plan.bounced:
            self.mark_delivery(tenant, plan.bounced.case_id, plan.bounced.message_id, DeliveryStatus.BOUNCED, "bounce")

    def _check(self, plan: IntakePlan) -> None:
        tenant, case = plan.case.tenant_id, plan.case
        stored = self.cases.get((tenant, case.case_id))
        if (stored.version if stored else None) != case.version:
            raise ConcurrentUpdate("case version")
        channel, provider_id = plan.delivery_key
        if (tenant, channel, provider_id) in self.deliveries:
            raise DuplicateDelivery(provider_id)
        if plan.message.email_message_id and (tenant, plan.message.email_message_id) in self.email_ids:
            raise DuplicateDelivery(plan.message.email_message_id)
        write = plan.sender_identity
        if write and write.create and (tenant, write.channel, write.address) in self.identities:
            raise ConcurrentUpdate("identity taken")
        held = self.identities.get((tenant, write.channel, write.address)) if write and not write.create else None
        if write and held and held.thread_case_id != write.thread_read:  # as the table: a callback case took the thread
            raise ConcurrentUpdate("thread moved")
        if any((tenant, *i) in self.identities for i in plan.new_identities):
            raise ConcurrentUpdate("identity taken")
        if plan.conversation and self.conversations.get((tenant, plan.conversation[0])) != plan.conversation[2]:
            raise ConcurrentUpdate("conversation moved")
        for old in plan.followed_up:  # as the table: conditioned on the pointer as read
            if self.cases[(tenant, old.case_id)].followed_up_by != old.followed_up_by:
                raise ConcurrentUpdate("follow-up named meanwhile")

    def _write_identities(self, plan: IntakePlan) -> None:
        tenant, write = plan.case.tenant_id, plan.sender_identity
        if write:
            key = (tenant, write.channel, write.address)
            old = self.identities.get(key) or SenderIdentity(write.customer_id)
            self.identities[key] = SenderIdentity(
                write.customer_id,
                write.thread_case_id or old.thread_case_id,
                old.opted_out if write.opted_out is None else write.opted_out,
                write.ack_window or old.ack_window,
                old.traits if key in self.identities else plan.customer_traits,
            )
        customer_id = write.customer_id if write else plan.case.customer_id
        for channel, address in plan.new_identities:
            self.identities[(tenant, channel, address)] = SenderIdentity(customer_id, traits=plan.customer_traits)

    def mark_delivery(self, tenant_id, case_id, message_id, status, detail) -> None:
        for index, message in enumerate(self.messages.get((tenant_id, case_id), [])):
            if message.message_id == message_id:
                self.messages[(tenant_id, case_id)][index] = replace(
                    message, delivery_status=status, delivery_detail=detail
                )

    def case_messages(self, tenant_id: str, case_id: str) -> list[Message]:
        return sorted(self.messages.get((tenant_id, case_id), []), key=lambda m: m.message_id)


class QueuedAcknowledgements:
    """The acknowledgements intake queued in the store (what send_outbound will send), oldest first."""

    def __init__(self, store: MemoryIntakeStore) -> None:
        self._store = store

    @property
    def sent(self) -> list[tuple[Case, Message]]:
        queued = [
            (self._store.cases[(tenant, case_id)], message)
            for (tenant, case_id), messages in self._store.messages.items()
            for message in messages
            if message.kind == "acknowledgement"
        ]
        return sorted(queued, key=lambda pair: pair[1].message_id)


class FakeDeliveries:
    """DeliveryRecorder and OutboundSender in memory; the sender can refuse or fail on demand."""

    def __init__(self, failure: Exception | None = None) -> None:
        self.status: dict[str, DeliveryStatus] = {}
        self.retrying: dict[str, str] = {}
        self.sent: list[Message] = []
        self.claimed: set[str] = set()
        self.failure = failure

    def current_status(self, message: Message) -> DeliveryStatus | None:
        return self.status.get(message.message_id, message.delivery_status)

    def release_claim(self, message: Message) -> None:
        self.claimed.discard(message.message_id)

    def claim_send(self, message: Message) -> SendClaim:
        if self.current_status(message) != DeliveryStatus.QUEUED:
            return SendClaim.DONE
        if message.message_id in self.claimed:
            return SendClaim.BUSY
        self.claimed.add(message.message_id)
        return SendClaim.CLAIMED

    def note_retry(self, message: Message, detail: str) -> None:
        self.retrying[message.message_id] = detail
        self.claimed.discard(message.message_id)

    def record_delivery(self, message, status, detail, provider_message_id) -> bool:
        if self.current_status(message) != DeliveryStatus.QUEUED:
            return False
        self.status[message.message_id] = status
        return True

    def send(self, message: Message, tenant) -> str:
        if self.failure:
            raise self.failure
        self.sent.append(message)
        return f"provider-{len(self.sent)}"
