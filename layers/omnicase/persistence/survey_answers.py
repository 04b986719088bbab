"""Recording a survey answer in one transaction (single use), and reading the scores of a window (CSAT)."""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from omnicase.domain.answered_survey import SurveyAnswer
from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case
from omnicase.domain.survey import Survey, SurveyStatus
from omnicase.domain.survey_answer import REPLY_MARKER
from omnicase.persistence import keys
from omnicase.persistence.callback_threads import take_threads, threads_to_take
from omnicase.persistence.dynamo_models import (
    DeliveryItem,
    IdentityItem,
    OmnicaseItem,
    SurveyItem,
    transaction_connection,
)
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import case_event_to_item, case_to_item
from omnicase.persistence.survey_store import SurveySentItem, survey_to_item

ANSWERABLE = (SurveyStatus.SENT.value, SurveyStatus.REMINDED.value)


class SurveyAnswerItem(OmnicaseItem, discriminator="survey_answer"):
    """One answer under the tenant's answers partition, sorted by when it was given."""

    case_id = UnicodeAttribute()
    score = NumberAttribute()
    answered_at = UTCDateTimeAttribute()
    # Who and where, for CSAT per queue, agent and channel.
    queue = UnicodeAttribute(null=True)
    assignee = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)


class DynamoSurveyAnswers:
    def record_answer(
        self,
        survey: Survey,
        original_case_events: list[CaseEvent],
        callback: tuple[Case, list[CaseEvent]] | None,
        delivery: tuple[str, str] | None = None,
    ) -> None:
        """The answered survey, the identity's pending survey cleared, the events and the callback case (with its
        customer's threads), all or nothing. ConcurrentUpdate when the survey was answered meanwhile (or its nonce
        changed): single use. `delivery` (channel, provider id) also writes a text reply's redelivery marker:
        DuplicateDelivery then."""
        assert survey.answered_at is not None and survey.score is not None
        pending = self._pending_identity(survey)
        threads = threads_to_take(callback[0]) if callback is not None else []
        dedupe: set[int] = set()
        with transaction_errors(dedupe), TransactWrite(connection=transaction_connection()) as tx:
            if delivery is not None:
                dedupe.add(0)
                tx.save(_delivery_marker(survey, *delivery), condition=OmnicaseItem.pk.does_not_exist())
            tx.save(
                survey_to_item(survey),
                condition=SurveyItem.status.is_in(*ANSWERABLE) & (SurveyItem.nonce == survey.nonce),
            )
            tx.save(_answer_item(survey), condition=OmnicaseItem.pk.does_not_exist())
            if pending is not None:
                actions = [IdentityItem.pending_survey_case_id.remove(), IdentityItem.pending_survey_until.remove()]
                condition = IdentityItem.pending_survey_case_id == survey.case_id
                if callback is not None and pending.pk in threads:  # one operation per item in a transaction
                    threads.remove(pending.pk)
                    actions.append(IdentityItem.thread_case_id.set(callback[0].case_id))
                    condition &= IdentityItem.customer_id == callback[0].customer_id
                tx.update(pending, actions=actions, condition=condition)
            for event in original_case_events:
                tx.save(case_event_to_item(event))
            if callback is not None:
                case, events = callback
                tx.save(case_to_item(case), condition=OmnicaseItem.pk.does_not_exist())
                for event in events:
                    tx.save(case_event_to_item(event))
                take_threads(tx, case, threads)

    def between(self, tenant_id: str, start: datetime, end: datetime) -> list[SurveyAnswer]:
        """Answers given in [start, end): one query of the tenant's answers partition."""
        if end <= start:
            return []
        bounds = SurveyAnswerItem.sk.between(keys.survey_answer_time(start), keys.survey_answer_time(end))
        shards = [SurveyAnswerItem.query(keys.survey_answers_pk(tenant_id, s), bounds) for s in keys.shards()]
        items = heapq.merge(*shards, key=lambda item: item.sk)  # each shard in time order, so the whole
        return [
            SurveyAnswer(int(i.score), i.answered_at, i.queue, i.assignee, i.channel)
            for i in items
            if isinstance(i, SurveyAnswerItem) and i.tenant_id == tenant_id and i.answered_at < end
        ]

    def sent_between(self, tenant_id: str, start: datetime, end: datetime) -> int:
        """How many surveys went out in [start, end)."""
        if end <= start:
            return 0
        bounds = SurveySentItem.sk.between(keys.survey_answer_time(start), keys.survey_answer_time(end))
        items = itertools.chain.from_iterable(
            SurveySentItem.query(keys.surveys_sent_pk(tenant_id, shard), bounds) for shard in keys.shards()
        )
        return sum(1 for i in items if isinstance(i, SurveySentItem) and i.tenant_id == tenant_id and i.sent_at < end)

    def _pending_identity(self, survey: Survey) -> IdentityItem | None:
        """The identity the survey went to, when it still waits for this survey's text reply."""
        try:
            item = IdentityItem.get(
                keys.identity_pk(survey.tenant_id, survey.channel.value, survey.contact), keys.SINGLETON_SK
            )
        except DoesNotExist:
            return None
        if item.pending_survey_case_id != survey.case_id:
            return None
        return IdentityItem(item.pk, item.sk)


def _answer_item(survey: Survey) -> SurveyAnswerItem:
    assert survey.answered_at is not None
    return SurveyAnswerItem(
        keys.survey_answers_pk(survey.tenant_id, keys.shard_of(survey.case_id)),
        keys.survey_answer_sk(survey.answered_at, survey.case_id),
        tenant_id=survey.tenant_id,
        case_id=survey.case_id,
        score=survey.score,
        answered_at=survey.answered_at,
        queue=survey.queue,
        assignee=survey.assignee,
        channel=survey.channel.value,
    )


def _delivery_marker(survey: Survey, channel: str, provider_id: str) -> DeliveryItem:
    return DeliveryItem(
        keys.delivery_pk(survey.tenant_id, channel, provider_id),
        keys.SINGLETON_SK,
        tenant_id=survey.tenant_id,
        case_id=survey.case_id,
        message_id=REPLY_MARKER,
    )
