"""Surveys in the single table: one per case, found when due through a sparse, sharded gsi1; each step one
conditional write (or transaction), so a repeated or interrupted run never sends a survey twice."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from omnicase.domain.channel_traits import traits_of
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Channel, Message
from omnicase.domain.survey import WAITING, Survey, SurveyStatus
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import (
    CustomerSurveyItem,
    IdentityItem,
    MessageItem,
    OmnicaseItem,
    SurveyItem,
    transaction_connection,
)
from omnicase.persistence.mapping import message_to_item

SendOutcome = Literal["sent", "customer-cap", "stale"]


def survey_shard(tenant_id: str, case_id: str) -> int:
    """The gsi1 partition of a survey's due entry: stable across processes (unlike hash())."""
    return zlib.crc32(f"{tenant_id}#{case_id}".encode()) % keys.SURVEY_SHARDS


def survey_to_item(survey: Survey) -> SurveyItem:
    """The item of a survey; on gsi1 only while it waits for a step (WAITING and due_at set). With `version` set the
    save is conditional on it (pynamodb's VersionAttribute), without it on the item not existing."""
    item = SurveyItem(
        keys.case_pk(survey.tenant_id, survey.case_id),
        keys.SURVEY_SK,
        tenant_id=survey.tenant_id,
        case_id=survey.case_id,
        channel=survey.channel.value,
        contact=survey.contact,
        status=survey.status.value,
        due_at=survey.due_at,
        nonce=survey.nonce,
        customer_id=survey.customer_id,
        language=survey.language,
        queue=survey.queue,
        assignee=survey.assignee,
        solved_at=survey.solved_at,
        sent_at=survey.sent_at,
        token_expires_at=survey.expires_at,
        reminded_at=survey.reminded_at,
        answered_at=survey.answered_at,
        score=survey.score,
        comment=survey.comment,
        skipped_reason=survey.skipped_reason,
        callback_case_id=survey.callback_case_id,
    )
    if survey.status in WAITING and survey.due_at is not None:
        item.gsi1pk = keys.survey_due_pk(survey_shard(survey.tenant_id, survey.case_id))
        item.gsi1sk = keys.survey_due_sk(survey.due_at, survey.tenant_id, survey.case_id)
    if survey.version is not None:
        item.version = survey.version
    return item


def survey_from_item(item: SurveyItem) -> Survey:
    return Survey(
        tenant_id=item.tenant_id,
        case_id=item.case_id,
        channel=Channel(item.channel),
        contact=item.contact,
        status=SurveyStatus(item.status),
        due_at=item.due_at,
        nonce=item.nonce,
        customer_id=item.customer_id,
        language=item.language or "en",
        queue=item.queue,
        assignee=item.assignee,
        solved_at=item.solved_at,
        sent_at=item.sent_at,
        expires_at=item.token_expires_at,
        reminded_at=item.reminded_at,
        answered_at=item.answered_at,
        score=int(item.score) if item.score is not None else None,
        comment=item.comment or "",
        skipped_reason=item.skipped_reason,
        callback_case_id=item.callback_case_id,
        version=item.version,
    )


class DynamoSurveyStore:
    def __init__(self) -> None:
        self.last_read = 0  # items the last due() query read (DynamoDB's ScannedCount): grows with due surveys only

    def schedule(self, survey: Survey) -> bool:
        """Store a planned survey; False when the case already has one (at most one per case, redeliveries)."""
        item = survey_to_item(replace(survey, version=None))
        try:
            item.save(condition=SurveyItem.pk.does_not_exist())
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get(self, tenant_id: str, case_id: str) -> Survey | None:
        try:
            item = SurveyItem.get(keys.case_pk(tenant_id, case_id), keys.SURVEY_SK, consistent_read=True)
        except DoesNotExist:
            return None
        return survey_from_item(item)

    def due(self, now: datetime, limit: int) -> list[Survey]:
        """Waiting surveys due at `now` or before, soonest first per shard, at most `limit`: a key-range query on each
        shard of the sparse gsi1 (eventually consistent: get() the survey before acting on it)."""
        upper = keys.survey_due_sk(now, "\uffff", "")
        found: list[Survey] = []
        self.last_read = 0
        for shard in range(keys.SURVEY_SHARDS):
            remaining = limit - len(found)
            if remaining <= 0:
                break
            results = OmnicaseItem.gsi1.query(
                keys.survey_due_pk(shard), OmnicaseItem.gsi1sk <= upper, limit=remaining, page_size=remaining
            )
            found += [survey_from_item(i) for i in results if isinstance(i, SurveyItem)]
            self.last_read += results.page_iter.total_scanned_count
        return found

    def opted_out(self, survey: Survey) -> bool:
        """The contact sent STOP (SMS) or unsubscribed: nothing goes to them."""
        identity = self._identity(survey)
        return bool(identity and identity.opted_out)

    def last_surveyed_at(self, survey: Survey) -> datetime | None:
        if not survey.customer_id:
            return None
        try:
            item = CustomerSurveyItem.get(
                keys.customer_pk(survey.tenant_id, survey.customer_id), keys.customer_survey_sk(), consistent_read=True
            )
        except DoesNotExist:
            return None
        return item.last_sent_at

    def mark_sent(self, survey: Survey, message: Message, now: datetime, per_customer_every: timedelta) -> SendOutcome:
        """One transaction: the survey SCHEDULED → `survey` (as read: same version), the queued message (the outbox
        sends it), the customer's last survey time (only if older than `per_customer_every`), the contact's pending
        survey. "stale": the survey changed (another run sent it); "customer-cap": surveyed lately (nothing written)."""
        cap = None
        if survey.customer_id:
            cap = CustomerSurveyItem(
                keys.customer_pk(survey.tenant_id, survey.customer_id),
                keys.customer_survey_sk(),
                tenant_id=survey.tenant_id,
                last_sent_at=now,
                case_id=survey.case_id,
            )
        condition = CustomerSurveyItem.pk.does_not_exist() | (
            CustomerSurveyItem.last_sent_at < now - per_customer_every
        )
        failed = self._write(survey, SurveyStatus.SCHEDULED, message, cap, condition)
        if failed is None:
            return "sent"
        return "customer-cap" if failed == {"cap"} else "stale"

    def mark_reminded(self, survey: Survey, message: Message) -> bool:
        """The survey SENT → REMINDED with the reminder queued; False when it changed meanwhile."""
        return self._write(survey, SurveyStatus.SENT, message, None, None) is None

    def mark_skipped(self, survey: Survey) -> bool:
        return self._replace(survey)

    def mark_expired(self, survey: Survey) -> bool:
        return self._replace(survey)

    def postpone(self, survey: Survey) -> bool:
        """The survey waits until its new due_at."""
        return self._replace(survey)

    def _replace(self, survey: Survey) -> bool:
        """Write the survey as changed from the version read; False when it changed since."""
        try:
            survey_to_item(survey).save()
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _write(
        self,
        survey: Survey,
        before: SurveyStatus,
        message: Message,
        cap: CustomerSurveyItem | None,
        cap_condition: Condition | None,
    ) -> set[str] | None:
        """The transaction of a send or reminder; None when committed, else which conditions failed."""
        # A digit reply from the contact answers the survey on channels where a reply can.
        identity = self._identity(survey) if traits_of(survey.channel).answers_by_reply else None
        positions = ["survey", "message"]
        try:
            with TransactWrite(connection=transaction_connection()) as tx:
                tx.save(survey_to_item(survey), condition=SurveyItem.status == before.value)
                tx.save(message_to_item(message), condition=MessageItem.pk.does_not_exist())
                if before == SurveyStatus.SCHEDULED and survey.sent_at is not None:
                    tx.save(survey_sent_item(survey, survey.sent_at))  # counted once: the send is conditional
                    positions.append("sent")
                if cap is not None:
                    tx.save(cap, condition=cap_condition)
                    positions.append("cap")
                if identity is not None:
                    tx.update(
                        IdentityItem(identity.pk, identity.sk),
                        actions=[
                            IdentityItem.pending_survey_case_id.set(survey.case_id),
                            IdentityItem.pending_survey_until.set(survey.expires_at),
                        ],
                        condition=IdentityItem.pk.exists(),
                    )
                    positions.append("identity")
        except TransactWriteError as error:
            reasons = error.cancellation_reasons or []
            failed = {
                positions[i]
                for i, r in enumerate(reasons)
                if r is not None and r.code == "ConditionalCheckFailed" and i < len(positions)
            }
            if failed:
                return failed
            if error.cause_response_code == "TransactionConflict" or any(
                r is not None and r.code == "TransactionConflict" for r in reasons
            ):
                raise ConcurrentUpdate(str(error)) from error
            raise
        return None

    def _identity(self, survey: Survey) -> IdentityItem | None:
        try:
            return IdentityItem.get(
                keys.identity_pk(survey.tenant_id, survey.channel.value, survey.contact),
                keys.SINGLETON_SK,
                consistent_read=True,
            )
        except DoesNotExist:
            return None


class SurveySentItem(OmnicaseItem, discriminator="survey_sent"):
    """One sent survey under the tenant's sent partition: the denominator of the response rate."""

    case_id = UnicodeAttribute()
    sent_at = UTCDateTimeAttribute()


def survey_sent_item(survey: Survey, sent_at: datetime) -> SurveySentItem:
    return SurveySentItem(
        keys.surveys_sent_pk(survey.tenant_id, keys.shard_of(survey.case_id)),
        keys.survey_answer_sk(sent_at, survey.case_id),
        tenant_id=survey.tenant_id,
        case_id=survey.case_id,
        sent_at=sent_at,
    )
