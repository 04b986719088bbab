"""Threading under out-of-order redelivery: a reply that arrives before the mail it answers leaves a forward
reference, and that mail joins the reply's case when it comes."""

from __future__ import annotations

from datetime import UTC, datetime

from omnicase.domain.inbound import InboundMessage, ThreadHints
from omnicase.domain.intake_plan import IntakeSnapshot, StoredMessageRef
from omnicase.domain.model import Channel
from omnicase.domain.thread_message import MAX_AWAITED, awaited_references, candidate_case_ids

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def mail(own: str, *, in_reply_to: tuple[str, ...] = (), references: tuple[str, ...] = (), kind: str = "human"):
    hints = ThreadHints(email_message_id=own, in_reply_to=in_reply_to, references=references)
    return InboundMessage("acme", Channel.EMAIL, own, AT, "ann@example.com", kind=kind, hints=hints)


def test_a_reply_before_its_original_awaits_the_ids_it_names_that_are_not_stored():
    reply = mail("r@x", in_reply_to=("o@x",), references=("root@x", "o@x"))
    snapshot = IntakeSnapshot(email_refs={"root@x": StoredMessageRef("CASE1", "M1")})
    assert awaited_references(reply, snapshot) == ("o@x",)
    assert awaited_references(reply, IntakeSnapshot(awaited={"o@x": "CASE2", "root@x": "CASE2"})) == ()


def test_the_original_joins_the_case_of_the_reply_that_awaited_it():
    assert candidate_case_ids(mail("o@x"), IntakeSnapshot(awaited={"o@x": "CASE2"})) == ("CASE2",)
    # a third mail naming the same missing original joins that case too
    assert candidate_case_ids(mail("t@x", in_reply_to=("o@x",)), IntakeSnapshot(awaited={"o@x": "CASE2"})) == ("CASE2",)


def test_forward_references_are_bounded_and_only_for_email():
    many = mail("r@x", references=tuple(f"{n}@x" for n in range(30)))
    assert len(awaited_references(many, IntakeSnapshot())) == MAX_AWAITED
    sms = InboundMessage("acme", Channel.SMS, "SM1", AT, "+8613800138000")
    assert awaited_references(sms, IntakeSnapshot()) == ()
