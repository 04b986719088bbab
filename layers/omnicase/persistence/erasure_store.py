"""The table and mail-bucket side of erasing a customer (domain/erase_customer.py says the order, and
domain/customer_erasure.py what each item keeps). Every step is safe to run again.

Items of an erased case (under its pk): the case, its messages, audit events and survey are rewritten; the timer,
problem links and counters hold no personal data. Beside it: identity items (their keys are the addresses) and the
chat conversation pointer are deleted; Message-ID markers as customer_erasure.keeps_email_marker says; provider
delivery markers and signed-request replay items stay (opaque ids; they keep redeliveries from re-creating what was
erased). Raw mails and attachments are deleted with every version (the bucket is versioned).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError
from pynamodb.transactions import TransactWrite

from omnicase.domain.counted_source import Tally
from omnicase.domain.customer_erasure import (
    CaseErasure,
    ErasureRecord,
    erased_case,
    erased_event,
    erased_message,
    erased_survey,
    erased_tally,
    erasure_event,
    keeps_delivery_marker,
    keeps_email_marker,
    mail_keys,
)
from omnicase.domain.errors import ConcurrentUpdate, NotFound
from omnicase.domain.inbound import AGENT_OPENED, agent_opened_id
from omnicase.domain.model import Case
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import (
    CaseEventItem,
    CaseItem,
    ConversationItem,
    CustomerErasureItem,
    CustomerItem,
    DeliveryItem,
    EmailIdItem,
    IdentityItem,
    InterceptionItem,
    MessageItem,
    OmnicaseItem,
    SurveyItem,
    transaction_connection,
)
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import (
    case_event_from_item,
    case_event_to_item,
    case_from_item,
    case_to_item,
    message_from_item,
    message_to_item,
)
from omnicase.persistence.report_counters import CountedItem, stage_row_moves
from omnicase.persistence.survey_store import survey_from_item, survey_to_item

ERASURE_SK = "ERASURE"  # under the customer's pk, beside the customer item
CASE_RETRIES = 5  # a case changed by intake or an agent meanwhile: read again and erase again
_CONDITION_FAILED = "ConditionalCheckFailedException"


class DynamoErasureStore:
    """ErasureStore on the single table and the mail bucket."""

    def __init__(self, bucket: str, s3: Any = None) -> None:
        self._bucket, self._s3 = bucket, s3

    def read_record(self, tenant_id: str, customer_id: str) -> ErasureRecord | None:
        try:
            item = CustomerErasureItem.get(keys.customer_pk(tenant_id, customer_id), ERASURE_SK, consistent_read=True)
        except DoesNotExist:
            return None
        return _record(item)

    def start_record(self, record: ErasureRecord) -> ErasureRecord:
        try:
            _record_item(record).save(condition=OmnicaseItem.pk.does_not_exist())
        except PutError as error:
            if error.cause_response_code != _CONDITION_FAILED:
                raise
            stored = self.read_record(record.tenant_id, record.customer_id)
            assert stored is not None
            return stored  # another request started it first: theirs is the record
        return record

    def customer_identities(self, tenant_id: str, customer_id: str) -> tuple[list[str], str | None]:
        customer = _customer(tenant_id, customer_id)
        noted = set(customer.identities or ())
        names = noted | {_identity_name(i) for i in _identity_items(tenant_id, customer_id)}
        if names != noted:  # remembered before the identity items go: a resumed run still knows every address
            customer.update(actions=[CustomerItem.identities.set(sorted(names))])
        return sorted(names), customer.display_name

    def delete_identities(self, tenant_id: str, customer_id: str) -> int:
        deleted = 0
        for identity in _identity_items(tenant_id, customer_id):
            try:
                identity.delete(condition=IdentityItem.customer_id == customer_id)
            except DeleteError as error:  # moved to another customer by a merge meanwhile: theirs now
                if error.cause_response_code != _CONDITION_FAILED:
                    raise
                continue
            deleted += 1
        return deleted

    def customer_case_ids(self, tenant_id: str, customer_id: str) -> list[str]:
        found = OmnicaseItem.gsi2.query(keys.customer_cases_pk(tenant_id, customer_id))
        return [i.case_id for i in found if isinstance(i, CaseItem) and i.tenant_id == tenant_id]

    def erase_case(self, record: ErasureRecord, case_id: str, customer: frozenset[str]) -> CaseErasure:
        tenant_id = record.tenant_id
        original = self._erase_case_item(tenant_id, case_id)  # first: a racing intake now fails and retries
        conversation_id = original.conversation_id if original else None
        if conversation_id:  # a chat id of theirs: also in the chat messages' provider ids
            customer = customer | {conversation_id.casefold()}
        if original is not None:
            _erase_subject_tally(tenant_id, case_id)
        messages = mail_objects = 0
        for item in OmnicaseItem.query(keys.case_pk(tenant_id, case_id)):
            if isinstance(item, MessageItem):
                erased, objects = self._erase_message(item, customer)
                messages, mail_objects = messages + erased, mail_objects + objects
            elif isinstance(item, CaseEventItem):
                event = case_event_from_item(item)
                if (rewritten := erased_event(event, customer)) != event:
                    case_event_to_item(rewritten).save()
            elif isinstance(item, SurveyItem):
                survey = survey_from_item(item)
                survey_to_item(erased_survey(survey)).save()  # conditional on the version read
        if conversation_id:
            _delete_pointing_at(ConversationItem, keys.conversation_pk(tenant_id, conversation_id), case_id)
        case_event_to_item(erasure_event(record, case_id)).save()
        return CaseErasure(messages, mail_objects)

    def erase_interceptions(self, tenant_id: str, case_ids: set[str]) -> int:
        """Blocked reply drafts on the erased cases lose their text; who, when and which phrase stay (counts)."""
        erased = 0
        partitions = (keys.interceptions_pk(tenant_id, shard) for shard in keys.shards())
        for item in (item for pk in partitions for item in OmnicaseItem.query(pk)):
            if isinstance(item, InterceptionItem) and item.case_id in case_ids and item.text is not None:
                item.update(actions=[InterceptionItem.text.remove(), InterceptionItem.spans.remove()])
                erased += 1
        return erased

    def finish(self, record: ErasureRecord) -> ErasureRecord:
        customer = _customer(record.tenant_id, record.customer_id)
        optional = (CustomerItem.display_name, CustomerItem.tier, CustomerItem.key_account)
        customer.update(
            actions=[
                *(attribute.remove() for attribute in (*optional, CustomerItem.dedicated_agent)),
                CustomerItem.identities.set([]),
                CustomerItem.tags.set([]),
            ]
        )
        _record_item(record).save()
        return record

    def _erase_case_item(self, tenant_id: str, case_id: str) -> Case | None:
        """The case without the customer's traces, conditional on its version; the case as it was."""
        for _ in range(CASE_RETRIES):
            try:
                item = CaseItem.get(keys.case_pk(tenant_id, case_id), keys.CASE_SK, consistent_read=True)
            except DoesNotExist:
                return None
            case = case_from_item(item)
            erased = erased_case(case)
            erased.updated_at = datetime.now(UTC)  # the console's changes feed shows the erased rows
            try:
                case_to_item(erased).save()  # VersionAttribute: only over the version just read
            except PutError as error:
                if error.cause_response_code != _CONDITION_FAILED:
                    raise
                continue
            return case
        raise ConcurrentUpdate(f"case {case_id} kept changing while it was being erased; run the erasure again")

    def _erase_message(self, item: MessageItem, customer: frozenset[str]) -> tuple[int, int]:
        message = message_from_item(item)
        objects = self._delete_every_version(mail_keys(message, self._bucket))
        for email_id in {message.email_message_id, message.in_reply_to, *message.references} - {None}:
            assert email_id is not None
            self._drop_email_marker(message.tenant_id, email_id, message.case_id, customer)
        provider_id = message.provider_message_id
        if provider_id and not keeps_delivery_marker(provider_id, customer):
            scopes = {message.channel.value}
            if provider_id.startswith(agent_opened_id("")):  # a case an agent opened is guarded across channels
                scopes.add(AGENT_OPENED)
            for scope in scopes:
                marker = keys.delivery_pk(message.tenant_id, scope, provider_id)
                _delete_pointing_at(DeliveryItem, marker, message.case_id)
        erased = erased_message(message, customer)
        if erased == message:
            return 0, objects
        message_to_item(erased).save()
        return 1, objects

    def _drop_email_marker(self, tenant_id: str, email_id: str, case_id: str, customer: frozenset[str]) -> None:
        try:
            marker = EmailIdItem.get(keys.email_id_pk(tenant_id, email_id), keys.SINGLETON_SK)
        except DoesNotExist:
            return
        if marker.case_id == case_id and not keeps_email_marker(email_id, marker.direction, customer):
            _delete_pointing_at(EmailIdItem, marker.pk, case_id)

    def _delete_every_version(self, object_keys: Iterable[str]) -> int:
        """Each key with all its versions and delete markers (a plain delete in a versioned bucket only hides it)."""
        s3 = self._s3 or _s3()
        deleted = 0
        for key in object_keys:
            versions = [
                {"Key": key, "VersionId": entry["VersionId"]}
                for page in s3.get_paginator("list_object_versions").paginate(Bucket=self._bucket, Prefix=key)
                for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                if entry["Key"] == key  # the prefix also matches longer keys
            ]
            for start in range(0, len(versions), 1000):  # DeleteObjects takes at most 1000 keys
                s3.delete_objects(
                    Bucket=self._bucket, Delete={"Objects": versions[start : start + 1000], "Quiet": True}
                )
            deleted += bool(versions)
        return deleted


def _erase_subject_tally(tenant_id: str, case_id: str) -> None:
    """The report counters' record of the case tallies its subject as erased (moving the day's count with it, as
    the counters would: reports/count_changes.py then finds nothing to move), and the day's subject row drops the
    customer's words once no case is tallied under them."""
    pk, sk = keys.counted_key(tenant_id, case_id, "CASE")
    for _ in range(CASE_RETRIES):
        try:
            record = CountedItem.get(pk, sk, consistent_read=True)
        except DoesNotExist:
            return  # never counted (yet): it will be counted as erased
        if not record.tally:
            return
        tally = Tally.from_document(record.tally)
        erased = erased_tally(tally)
        if erased == tally:
            break  # erased before, or counted after the case was erased
        try:
            with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
                writes = CountedItem.writes
                actions = [CountedItem.tally.set(erased.to_document()), writes.set(writes + 1)]
                tx.update(record, actions=actions, condition=writes == record.writes)
                if tally.subject_slot != erased.subject_slot:
                    # the packed row drops a name at zero: another case with the same subject keeps it
                    moves = {tally.subject_slot: -1} | ({erased.subject_slot: 1} if erased.subject_slot else {})
                    periods = (tally.day, tally.day[:7]) if tally.in_months else (tally.day,)
                    stage_row_moves(tx, {(tenant_id, period, "subjects"): moves for period in periods})
        except ConcurrentUpdate:
            continue  # the counters moved it meanwhile (or the day's row): read again
        break


def _delete_pointing_at(
    model: type[ConversationItem] | type[EmailIdItem] | type[DeliveryItem], pk: str, case_id: str
) -> None:
    """Delete a pointer item only while it still points at the erased case (a new case may own it by now)."""
    try:
        model(pk, keys.SINGLETON_SK).delete(condition=model.case_id == case_id)
    except DeleteError as error:
        if error.cause_response_code != _CONDITION_FAILED:
            raise


def _identity_items(tenant_id: str, customer_id: str) -> list[IdentityItem]:
    index_pk = keys.customer_cases_pk(tenant_id, customer_id)
    found = OmnicaseItem.gsi2.query(index_pk, range_key_condition=OmnicaseItem.gsi2sk < "0")  # "!IDENT#…" only
    return [
        i for i in found if isinstance(i, IdentityItem) and i.tenant_id == tenant_id and i.customer_id == customer_id
    ]


def _identity_name(item: IdentityItem) -> str:
    return item.pk.split("#IDENT#", 1)[1].replace("#", ":", 1)  # T#acme#IDENT#email#ann@x → email:ann@x


def _customer(tenant_id: str, customer_id: str) -> CustomerItem:
    try:
        return CustomerItem.get(keys.customer_pk(tenant_id, customer_id), keys.SINGLETON_SK, consistent_read=True)
    except DoesNotExist as error:
        raise NotFound(f"customer {customer_id}") from error


def _record_item(record: ErasureRecord) -> CustomerErasureItem:
    return CustomerErasureItem(
        keys.customer_pk(record.tenant_id, record.customer_id),
        ERASURE_SK,
        tenant_id=record.tenant_id,
        customer_id=record.customer_id,
        erased_by=record.erased_by,
        erased_at=record.erased_at,
        completed_at=record.completed_at,
        cases=record.cases,
        messages=record.messages,
        identities=record.identities,
        mail_objects=record.mail_objects,
    )


def _record(item: CustomerErasureItem) -> ErasureRecord:
    return ErasureRecord(
        item.tenant_id,
        item.customer_id,
        item.erased_by,
        item.erased_at,
        item.completed_at,
        int(item.cases),
        int(item.messages),
        int(item.identities),
        int(item.mail_objects),
    )


def _s3() -> Any:
    from omnicase.aws.clients import client

    return client("s3")
