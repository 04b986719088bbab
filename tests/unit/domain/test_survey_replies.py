"""A texted digit answers the sender's pending survey instead of becoming a case message (in-memory store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from omnicase.domain.errors import DuplicateDelivery
from omnicase.domain.ingest_message import ingest_message
from omnicase.domain.intake_plan import SenderIdentity, StoredMessageRef, SurveyReply
from omnicase.domain.model import Channel
from omnicase.domain.survey import Survey, SurveyStatus
from tests.unit.domain.builders import T0, TENANT, email, sms
from tests.unit.fakes import MemoryIntakeStore

PHONE = "+8613800138000"


class SurveyIntakeStore(MemoryIntakeStore):
    """MemoryIntakeStore that also answers surveys by text, with the redelivery marker in the same write."""

    def __init__(self) -> None:
        super().__init__()
        self.surveys: dict[tuple[str, str], Survey] = {}
        self.callbacks: list[str] = []

    def read_survey(self, tenant_id: str, case_id: str) -> Survey | None:
        return self.surveys.get((tenant_id, case_id))

    def commit_survey_reply(self, reply: SurveyReply) -> None:
        tenant, (channel, provider_id) = reply.survey.tenant_id, reply.delivery_key
        if (tenant, channel, provider_id) in self.deliveries:
            raise DuplicateDelivery(provider_id)
        self.deliveries[(tenant, channel, provider_id)] = StoredMessageRef(reply.survey.case_id, "survey-answer")
        self.surveys[(tenant, reply.survey.case_id)] = reply.survey
        self.callbacks += [reply.callback[0].case_id] if reply.callback else []


def store_with_pending_survey(until_days: int = 7, status: SurveyStatus = SurveyStatus.SENT) -> tuple:
    store = SurveyIntakeStore()
    first = ingest(sms("包裹丢了"), store)
    until = T0 + timedelta(days=until_days)
    key = ("acme", "sms", PHONE)
    store.identities[key] = replace(
        store.identities[key], pending_survey_case_id=first.case_id, pending_survey_until=until
    )
    store.surveys[("acme", first.case_id)] = Survey(
        "acme", first.case_id, Channel.SMS, PHONE, status, due_at=None, nonce="n", expires_at=T0 + timedelta(days=14)
    )
    return store, first.case_id


def ingest(message, store):
    return ingest_message(message, TENANT, store, now=message.received_at)


def inbound_bodies(store: MemoryIntakeStore, case_id: str) -> list[str]:
    return [m.body_text for m in store.case_messages("acme", case_id) if m.direction.value == "inbound"]


def test_a_digit_answers_the_survey_and_its_redelivery_is_a_duplicate():
    store, case_id = store_with_pending_survey()
    reply = sms("1 nobody called")

    outcome = ingest(reply, store)
    again = ingest(replace(reply), store)

    assert outcome.survey_answer and outcome.case_id == case_id and not outcome.new_case
    assert again.duplicate and not again.survey_answer
    survey = store.surveys[("acme", case_id)]
    assert (survey.status, survey.score, survey.comment) == (SurveyStatus.ANSWERED, 1, "nobody called")
    assert inbound_bodies(store, case_id) == ["包裹丢了"] and len(store.callbacks) == 1


def test_after_the_pending_window_a_digit_is_a_case_message():
    store, case_id = store_with_pending_survey(until_days=-1)
    outcome = ingest(sms("5"), store)
    assert not outcome.survey_answer and inbound_bodies(store, case_id) == ["包裹丢了", "5"]


def test_a_survey_that_was_answered_on_the_page_leaves_the_digit_a_case_message():
    store, case_id = store_with_pending_survey(status=SurveyStatus.ANSWERED)
    outcome = ingest(sms("4"), store)
    assert not outcome.survey_answer and inbound_bodies(store, case_id)[-1] == "4"


def test_other_texts_and_stores_without_survey_support_take_the_text_as_a_message():
    store, _ = store_with_pending_survey()
    assert not ingest(sms("12 parcels"), store).survey_answer

    plain = MemoryIntakeStore()
    first = ingest(sms("hi"), plain)
    key = ("acme", "sms", PHONE)
    plain.identities[key] = SenderIdentity(
        plain.identities[key].customer_id,
        first.case_id,
        pending_survey_case_id=first.case_id,
        pending_survey_until=T0 + timedelta(days=7),
    )
    assert not ingest(sms("3"), plain).survey_answer
    assert inbound_bodies(plain, first.case_id) == ["hi", "3"]


def test_an_email_of_one_digit_is_never_a_survey_answer():
    store = SurveyIntakeStore()
    outcome = ingest(replace(email("1"), body_text="1"), store)
    assert not outcome.survey_answer and outcome.new_case
