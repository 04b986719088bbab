"""What agents do to a case: change status, priority, queue or assignee, and reply through the case's channel."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.case_token import tokens_in_subject
from omnicase.domain.errors import RejectedInput
from omnicase.domain.model import Case, CaseStatus, Channel, DeliveryStatus, Direction, Message, Priority
from omnicase.domain.outbound_message_id import outbound_message_id
from omnicase.domain.routing import RoutingContext
from omnicase.domain.serve_case import serve_new_case
from omnicase.domain.sla_clock import ClockName
from omnicase.domain.tenant_config import Agent, BusinessCalendar, Queue, SlaPolicy, SlaTargets, TenantConfig
from omnicase.domain.work_case import CaseUpdate, add_note, claim_case, link_cases, reply_to_case, update_case
from tests.unit.domain.builders import TENANT

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CASE_ID = "0000AB12CD"
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

CONFIG = TenantConfig(
    tenant_id="acme",
    calendars={"always": BusinessCalendar("always", "UTC", always_open=True)},
    sla=SlaPolicy(
        calendar="always",
        targets={
            Priority.NORMAL: SlaTargets(first_response=HOUR, next_response=2 * HOUR, resolution=8 * HOUR),
            Priority.URGENT: SlaTargets(first_response=15 * MINUTE, next_response=30 * MINUTE, resolution=2 * HOUR),
        },
    ),
    queues={"general": Queue("general", supervisor="sam"), "billing": Queue("billing", supervisor="sam")},
    agents={"ann": Agent("ann", "Ann"), "bob": Agent("bob", "Bob"), "sam": Agent("sam", "Sam", role="supervisor")},
)


def new_case(channel: Channel = Channel.EMAIL, contact: str | None = "ann@example.com", **fields: object) -> Case:
    case = Case(
        tenant_id="acme",
        case_id=CASE_ID,
        channel=channel,
        subject="Printer broken",
        contact_address=contact,
        mailbox="support@acme.example",
        created_at=T0,
        last_inbound_at=T0,
        message_count=1,
        **fields,  # type: ignore[arg-type]
    )
    context = RoutingContext(channel, "Printer broken", "It jams.", False, (), (), T0)
    serve_new_case(case, CONFIG, context, CaseEventLog("acme", CASE_ID, T0))
    return case


def message(direction: Direction, email_id: str | None, at: datetime = T0) -> Message:
    return Message(
        tenant_id="acme",
        case_id=CASE_ID,
        message_id=f"M{at.timestamp():.0f}{email_id}",
        direction=direction,
        channel=Channel.EMAIL,
        created_at=at,
        email_message_id=email_id,
    )


# --- update_case --------------------------------------------------------------------------------------------------


def test_a_status_change_is_recorded_with_its_actor():
    case = new_case()

    events = update_case(case, CaseUpdate(status=CaseStatus.PENDING, reason="waiting for logs"), CONFIG, "ann", T0)

    assert case.status == CaseStatus.PENDING
    assert [(e.kind, e.actor) for e in events] == [("status_changed", "ann"), ("paused", "ann")]
    assert events[0].reason == "waiting for logs"
    assert (events[0].detail["before"], events[0].detail["after"]) == (CaseStatus.NEW, CaseStatus.PENDING)
    assert case.updated_at == T0
    assert case.service.next_deadline is None  # paused


def test_a_priority_change_moves_the_deadlines():
    case = new_case()
    at = T0 + 5 * MINUTE

    events = update_case(case, CaseUpdate(priority=Priority.URGENT), CONFIG, "sam", at)

    assert case.priority == Priority.URGENT
    assert [(e.kind, e.actor) for e in events] == [("priority_changed", "sam"), ("deadline_set", "sam")]
    assert events[1].detail["due"]["first_response"] == (T0 + 15 * MINUTE).isoformat()


def test_a_queue_and_assignee_change_are_recorded():
    case = new_case()
    at = T0 + 5 * MINUTE

    events = update_case(case, CaseUpdate(queue="billing", assignee="bob"), CONFIG, "sam", at)

    assert (case.queue, case.assignee, case.service.assigned_at) == ("billing", "bob", at)
    assert [(e.kind, e.actor) for e in events] == [("queue_changed", "sam"), ("assigned", "sam")]
    assert events[1].detail["assignee"] == "bob"


def test_a_queue_change_keeps_the_assignee():
    case = new_case()
    update_case(case, CaseUpdate(assignee="bob"), CONFIG, "sam", T0)

    events = update_case(case, CaseUpdate(queue="billing"), CONFIG, "sam", T0 + MINUTE)

    assert (case.queue, case.assignee) == ("billing", "bob")
    assert [e.kind for e in events] == ["queue_changed"]


def test_unassigning_remembers_the_previous_assignee():
    case = new_case()
    update_case(case, CaseUpdate(assignee="bob"), CONFIG, "sam", T0)

    events = update_case(case, CaseUpdate(unassign=True), CONFIG, "sam", T0 + MINUTE)

    assert case.assignee is None
    assert case.service.assigned_at is None
    assert case.service.previous_assignee == "bob"
    assert [(e.kind, e.detail["assignee"]) for e in events] == [("assigned", None)]


def test_an_update_that_changes_nothing_records_nothing():
    case = new_case()
    case.updated_at = T0

    events = update_case(
        case, CaseUpdate(status=CaseStatus.NEW, priority=Priority.NORMAL, queue="general"), CONFIG, "ann", T0 + HOUR
    )

    assert events == []
    assert case.updated_at == T0


@pytest.mark.parametrize(
    ("update", "error"),
    [
        (CaseUpdate(queue="nowhere"), "unknown queue"),
        (CaseUpdate(assignee="ghost"), "unknown agent"),
        (CaseUpdate(status=CaseStatus.NEW), "open → new is not allowed"),
        (CaseUpdate(tags=("x" * 51,)), "tags: 51 characters; at most 50"),
        (CaseUpdate(tags=tuple(f"t{n}" for n in range(21))), "tags: 21 tags; at most 20"),
        (CaseUpdate(problem_key="no spaces please"), "problem key"),
    ],
)
def test_an_invalid_update_is_refused_and_changes_nothing(update, error):
    # Given an open case
    case = new_case()
    update_case(case, CaseUpdate(status=CaseStatus.OPEN), CONFIG, "ann", T0)
    before = copy.deepcopy(case)

    # When an agent asks for something impossible
    with pytest.raises((ValueError, RejectedInput), match=error):
        update_case(case, update, CONFIG, "ann", T0 + MINUTE)

    # Then the case is as it was
    assert case == before


# --- reply_to_case ------------------------------------------------------------------------------------------------


def test_an_email_reply_continues_the_thread():
    # Given a thread: the customer's mail, our acknowledgement, the customer's follow-up
    case = new_case()
    ack_id = outbound_message_id(CASE_ID, "ACK", TENANT)
    thread = [
        message(Direction.INBOUND, "first@example.com"),
        message(Direction.OUTBOUND, ack_id, T0 + MINUTE),
        message(Direction.INBOUND, "second@example.com", T0 + 2 * MINUTE),
        message(Direction.NOTE, None, T0 + 3 * MINUTE),
    ]

    # When Ann replies
    reply, _ = reply_to_case(case, thread, TENANT, CONFIG, "ann", "  We are on it.  ", T0 + 10 * MINUTE)

    # Then the reply answers the latest inbound mail, carries the whole chain and the case token
    assert reply.in_reply_to == "second@example.com"
    assert reply.references == ("first@example.com", ack_id, "second@example.com")
    assert reply.subject.startswith("Re: ")
    assert tokens_in_subject(reply.subject) == (CASE_ID,)
    assert "Printer broken" in reply.subject
    assert reply.email_message_id == outbound_message_id(CASE_ID, reply.message_id, TENANT)
    assert reply.sender == "support@acme.example"
    assert reply.recipients == ("ann@example.com",)
    assert reply.body_text == "We are on it."
    assert (reply.direction, reply.channel, reply.delivery_status) == (
        Direction.OUTBOUND,
        Channel.EMAIL,
        DeliveryStatus.QUEUED,
    )
    assert reply.sender_name == "ann"


def test_an_email_reply_keeps_at_most_19_references():
    case = new_case()
    thread = [message(Direction.INBOUND, f"m{n}@example.com", T0 + n * MINUTE) for n in range(25)]

    reply, _ = reply_to_case(case, thread, TENANT, CONFIG, "ann", "Hello", T0 + HOUR)

    assert reply.references == tuple(f"m{n}@example.com" for n in range(6, 25))
    assert reply.in_reply_to == "m24@example.com"


def test_an_email_reply_without_a_mailbox_comes_from_the_acknowledgement_address():
    case = new_case()
    case.mailbox = None

    reply, _ = reply_to_case(case, [], TENANT, CONFIG, "ann", "Hello", T0 + HOUR)

    assert reply.sender == TENANT.ack_from
    assert reply.in_reply_to is None
    assert reply.references == ()


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.CHAT, Channel.WECHAT])
def test_a_message_reply_goes_to_the_conversation_from_the_case_mailbox(channel):
    case = new_case(channel, contact="+8613800138000", conversation_id="conv-9")
    case.mailbox = "+15005550006"

    reply, _ = reply_to_case(case, [], TENANT, CONFIG, "ann", "您好，我们在处理。", T0 + HOUR)

    assert reply.channel == channel
    assert reply.sender == "+15005550006"
    assert reply.conversation_id == "conv-9"
    assert reply.recipients == ("+8613800138000",)
    assert (reply.subject, reply.email_message_id, reply.in_reply_to) == ("", None, None)


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_an_empty_reply_is_refused(body):
    case = new_case()
    before = copy.deepcopy(case)

    with pytest.raises(ValueError, match="body"):
        reply_to_case(case, [], TENANT, CONFIG, "ann", body, T0 + HOUR)
    assert case == before


def test_a_reply_to_a_case_without_an_address_is_refused():
    case = new_case(contact=None)

    with pytest.raises(ValueError, match="address"):
        reply_to_case(case, [], TENANT, CONFIG, "ann", "Hello", T0 + HOUR)


def test_a_reply_opens_a_new_case_and_meets_the_first_response_once():
    # Given a new case
    case = new_case()
    first, second = T0 + 20 * MINUTE, T0 + 3 * HOUR

    # When Ann replies twice
    _, events = reply_to_case(case, [], TENANT, CONFIG, "ann", "Hello", first)
    _, later = reply_to_case(case, [], TENANT, CONFIG, "ann", "Any news?", second)

    # Then the first reply is the first response, the case is open, and the second changes only the last reply
    assert [(e.kind, e.actor) for e in events] == [("responded", "ann"), ("status_changed", "ann")]
    assert [e.kind for e in later] == ["responded"]
    assert case.status == CaseStatus.OPEN
    assert case.service.first_response_at == first
    assert case.service.last_agent_reply_at == second
    assert case.message_count == 3
    assert case.updated_at == second
    assert case.service.sla is not None
    first_response = next(c for c in case.service.sla.clocks if c.name == ClockName.FIRST_RESPONSE)
    assert first_response.stopped_at == first
    assert case.service.breached == ()


def test_a_reply_to_a_pending_case_opens_it_and_resumes_its_clocks():
    case = new_case()
    update_case(case, CaseUpdate(status=CaseStatus.PENDING), CONFIG, "ann", T0 + 10 * MINUTE)

    _, events = reply_to_case(case, [], TENANT, CONFIG, "ann", "Hello", T0 + 40 * MINUTE)

    assert case.status == CaseStatus.OPEN
    assert [e.kind for e in events] == ["responded", "status_changed", "deadline_set"]
    assert case.service.next_deadline is not None


def test_a_reply_to_an_open_case_keeps_its_status():
    case = new_case()
    update_case(case, CaseUpdate(status=CaseStatus.OPEN), CONFIG, "ann", T0)

    _, events = reply_to_case(case, [], TENANT, CONFIG, "ann", "Hello", T0 + 40 * MINUTE)

    assert [e.kind for e in events] == ["responded"]
    assert case.status == CaseStatus.OPEN


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ((CaseStatus.SOLVED, CaseStatus.CLOSED), CaseStatus.OPEN),  # closed is final: a reply opens a follow-up
        ((CaseStatus.SOLVED,), CaseStatus.PENDING),  # a solved case reopens to open, not to pending
    ],
)
def test_the_transition_table_refuses_what_it_does_not_list(path, refused):
    case = new_case()
    for status in path:
        update_case(case, CaseUpdate(status=status), CONFIG, "ann", T0)

    with pytest.raises(RejectedInput) as raised:
        update_case(case, CaseUpdate(status=refused), CONFIG, "ann", T0 + MINUTE)

    assert raised.value.reason == "invalid-transition" and case.status == path[-1]


def test_tags_are_normalized_and_recorded():
    case = new_case()
    events = update_case(case, CaseUpdate(tags=("VIP ", "billing", "vip", " ")), CONFIG, "ann", T0)
    assert case.service.tags == ("vip", "billing")
    assert [(e.kind, e.reason) for e in events] == [("tags_changed", "vip, billing")]


def test_claim_takes_an_unassigned_case_but_not_someone_elses():
    case = new_case()
    claim_case(case, CONFIG, "ann", T0)
    assert case.assignee == "ann"
    with pytest.raises(RejectedInput, match="assigned to ann"):
        claim_case(case, CONFIG, "sam", T0 + MINUTE)


def test_a_note_is_never_queued_for_sending():
    case = new_case()
    note, events = add_note(case, "ann", "  called the warehouse  ", T0)
    assert (
        note.direction == Direction.NOTE and note.delivery_status is None and note.body_text == "called the warehouse"
    )
    assert [e.kind for e in events] == ["noted"]


def test_merging_closes_the_other_case_pointing_here_and_keeps_its_tags():
    case, other = new_case(), new_case()
    other.case_id = "0000ZZ99ZZ"
    update_case(other, CaseUpdate(tags=("refund",)), CONFIG, "ann", T0)

    here, there = link_cases(case, other, "merge", CONFIG, "ann", T0 + MINUTE)

    assert other.status == CaseStatus.CLOSED and other.service.merged_into == case.case_id
    assert case.service.links == ("merged-from:0000ZZ99ZZ",) and "refund" in case.service.tags
    assert [e.kind for e in here] == ["merged"] and "merged" in [e.kind for e in there]
    with pytest.raises(RejectedInput, match="was merged into"):
        link_cases(new_case(), other, "merge", CONFIG, "ann", T0 + 2 * MINUTE)
