"""What erasing a customer keeps and removes (pure), and the service's idempotence over an in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.customer_erasure import (
    ERASED,
    NOT_SENT,
    CaseErasure,
    ErasureRecord,
    erased_event,
    erased_message,
    erased_survey,
    keeps_delivery_marker,
    keeps_email_marker,
    mail_keys,
    needles,
)
from omnicase.domain.erase_customer import CustomerErasure
from omnicase.domain.errors import NotFound
from omnicase.domain.model import Attachment, Channel, DeliveryStatus, Direction, Message
from omnicase.domain.survey import Survey, SurveyStatus

AT = datetime(2026, 11, 2, 9, tzinfo=UTC)
ANN = needles(["email:Ann.Wang@Example.com", "sms:+8613912345678", "chat:visitor-77"], "王安娜")


def event(kind: str, reason: str, **detail) -> CaseEvent:
    return CaseEvent("acme", "K1", "001abc", AT, kind, "zhang.wei", reason, detail)


def test_needles_are_the_addresses_and_the_name_case_folded():
    assert {"ann.wang@example.com", "+8613912345678", "visitor-77", "王安娜"} == ANN


@pytest.mark.parametrize(
    ("kind", "reason", "kept"),
    [
        ("routed", "keyword 退款 → refunds", True),  # composed by omnicase from configuration
        ("sla_breached", "first_response target missed", True),
        ("noted", "王安娜 wants a call back", False),  # an agent's words
        ("status_changed", "customer asked to close", False),
        ("bounced", "550 <ann.wang@example.com>: no such user", False),
        ("routed", "dedicated agent for ann.wang@example.com", False),  # a system reason quoting her
    ],
)
def test_only_reasons_omnicase_composed_without_the_customer_stay(kind, reason, kept):
    assert erased_event(event(kind, reason), ANN).reason == (reason if kept else ERASED)


def test_event_details_lose_addresses_and_keep_their_structure():
    bounced = event(
        "bounced", "x", recipients=["ann.wang@example.com"], permanent=True, note={"to": "Ann.Wang@example.com"}
    )
    assert erased_event(bounced, ANN).detail == {"permanent": True, "note": {"to": ERASED}}


def message(**fields) -> Message:
    base = {"tenant_id": "acme", "case_id": "K1", "message_id": "M1", "channel": Channel.CHAT, "created_at": AT}
    return Message(**{**base, "direction": Direction.INBOUND, **fields})


def test_an_inbound_message_loses_text_sender_headers_and_files():
    erased = erased_message(
        message(
            subject="退款",
            body_text="我的退款",
            preview="我的退款",
            sender="visitor-77",
            sender_name="王安娜",
            in_reply_to="a@x",
            references=("a@x",),
            provider_message_id="conv-9:m-1",
            raw_ref="s3://mail/inbound/ses-1",
            attachments=(Attachment("王安娜.pdf", "application/pdf", 9, "attachments/acme/ses-1/000-x.pdf"),),
        ),
        ANN | {"conv-9"},
    )
    assert (erased.subject, erased.body_text, erased.preview) == (ERASED, ERASED, ERASED)
    assert erased.sender is None and erased.sender_name is None and erased.attachments == ()
    assert erased.in_reply_to is None and erased.references == () and erased.raw_ref is None
    assert erased.provider_message_id is None and erased.created_at == AT


def test_a_queued_reply_is_never_sent_and_ours_keeps_its_sender():
    queued = message(
        direction=Direction.OUTBOUND,
        sender="support@acme.example",
        sender_name="zhang.wei",
        recipients=("ann.wang@example.com",),
        delivery_status=DeliveryStatus.QUEUED,
    )
    erased = erased_message(queued)
    assert (erased.delivery_status, erased.delivery_detail) == (DeliveryStatus.FAILED, NOT_SENT)
    assert (erased.sender, erased.sender_name, erased.recipients) == ("support@acme.example", "zhang.wei", ())


def test_mail_keys_are_the_raw_mail_in_our_bucket_and_the_attachments():
    stored = message(
        raw_ref="s3://mail/inbound/ses-1",
        attachments=(Attachment("a", "b", 1, "attachments/k"), Attachment("c", "d", 1, "")),
    )
    assert mail_keys(stored, "mail") == ["attachments/k", "inbound/ses-1"]
    assert mail_keys(stored, "another-bucket") == ["attachments/k"]


@pytest.mark.parametrize(
    ("status", "after"),
    [
        (SurveyStatus.SCHEDULED, SurveyStatus.SKIPPED),
        (SurveyStatus.SENT, SurveyStatus.EXPIRED),
        (SurveyStatus.ANSWERED, SurveyStatus.ANSWERED),
    ],
)
def test_a_survey_keeps_its_score_but_not_its_contact_or_comment(status, after):
    survey = Survey("acme", "K1", Channel.SMS, "+8613912345678", status, AT, "n", score=2, comment="太慢了")
    erased = erased_survey(survey)
    assert (erased.status, erased.contact, erased.comment, erased.score) == (after, ERASED, "", 2)
    assert erased.due_at is (AT if after == SurveyStatus.ANSWERED else None)


def test_markers_that_spell_the_customer_or_lead_to_the_erased_case_go():
    assert keeps_email_marker("CAF1x@mail.gmail.com", "inbound", ANN)
    assert not keeps_email_marker("1700.ann.wang@example.com", "inbound", ANN)
    assert not keeps_email_marker("omnicase-1@acme.example", "outbound", ANN)
    assert keeps_delivery_marker("SM" + "a" * 32, ANN) and not keeps_delivery_marker("visitor-77:m-1", ANN)


class MemoryStore:
    """ErasureStore in memory: what the service asks for, and how often."""

    def __init__(self, cases: list[str]) -> None:
        self.record: ErasureRecord | None = None
        self.cases, self.erased_cases, self.deleted_identities = cases, [], 0

    def read_record(self, tenant_id, customer_id):
        return self.record

    def start_record(self, record):
        self.record = self.record or record
        return self.record

    def customer_identities(self, tenant_id, customer_id):
        if customer_id != "CU1":
            raise NotFound(customer_id)
        return ["email:ann.wang@example.com", "sms:+8613912345678"], "王安娜"

    def delete_identities(self, tenant_id, customer_id):
        self.deleted_identities += 1
        return 2

    def customer_case_ids(self, tenant_id, customer_id):
        return list(self.cases)

    def erase_case(self, record, case_id, customer):
        assert "ann.wang@example.com" in customer
        self.erased_cases.append(case_id)
        if case_id == "K1":
            self.cases.append("K-NEW")  # opened meanwhile by a message that had found the customer before step 2
        return CaseErasure(messages=2, mail_objects=1)

    def erase_interceptions(self, tenant_id, case_ids):
        return 0

    def finish(self, record):
        self.record = record
        return record


def test_the_service_erases_every_case_once_even_one_opened_meanwhile_and_a_rerun_is_a_no_op():
    store = MemoryStore(["K1", "K2"])
    service = CustomerErasure(store, clock=lambda: AT)
    record, erased_now = service.erase("acme", "CU1", "wang.fang")
    assert erased_now and store.erased_cases == ["K1", "K2", "K-NEW"]
    assert (record.cases, record.messages, record.identities, record.mail_objects) == (3, 6, 2, 3)
    assert record.erased_by == "wang.fang" and record.completed_at == AT
    assert service.erase("acme", "CU1", "someone.else") == (record, False)
    assert store.erased_cases == ["K1", "K2", "K-NEW"] and store.deleted_identities == 1


def test_an_unknown_customer_is_not_found_before_anything_is_written():
    store = MemoryStore([])
    with pytest.raises(NotFound):
        CustomerErasure(store).erase("acme", "CU-NOBODY", "wang.fang")
    assert store.record is None


def test_the_report_counters_keep_the_day_and_counts_but_not_the_subject():
    from omnicase.domain.customer_erasure import erased_tally
    from omnicase.reports.day_counts import Tally

    tally = Tally("2026-11-02", {"cases": 1, "ticket": 1}, "subject:我的退款什么时候到账")
    assert erased_tally(tally) == Tally("2026-11-02", {"cases": 1, "ticket": 1}, "subject:(erased)")
    assert erased_tally(Tally("2026-11-02", {"cases": 1})).subject == ""
