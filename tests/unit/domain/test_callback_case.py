"""The callback case: linked to the original, high priority, callback queue, the right agent, due in 3 days."""

from __future__ import annotations

from datetime import timedelta

from omnicase.domain.callback_case import callback_case, callbacks_on_solve, has_callback
from omnicase.domain.model import Case, CaseService, CaseStatus, Channel, Priority
from omnicase.domain.sla_clock import ClockName
from omnicase.domain.tenant_config import Agent, KeyAccount, SurveyPolicy, TenantConfig
from tests.unit.domain.builders import T0

NOW = T0 + timedelta(days=2)


def original(**service: object) -> Case:
    return Case(
        tenant_id="acme",
        case_id="0AB12CDE34",
        channel=Channel.SMS,
        subject="Parcel lost",
        status=CaseStatus.SOLVED,
        customer_id="CU1",
        contact_address="+8613800138000",
        mailbox="+15005550006",
        queue="general",
        assignee="li.na",
        created_at=T0,
        updated_at=T0,
        solved_at=T0 + timedelta(hours=3),
        service=CaseService(language="zh", **service),  # type: ignore[arg-type]
    )


def test_callback_case_is_linked_urgent_enough_queued_and_due_three_days_later_around_the_clock():
    before = original()
    case, events = callback_case(before, TenantConfig("acme"), "survey score 1", NOW)

    assert case.case_id != "0AB12CDE34" and case.tenant_id == "acme"
    assert (case.customer_id, case.channel, case.contact_address, case.mailbox) == (
        "CU1",
        Channel.SMS,
        "+8613800138000",
        "+15005550006",
    )
    assert case.subject == "Callback: Parcel lost" and case.priority == Priority.HIGH
    assert case.queue == "callbacks" and case.follow_up_of == "0AB12CDE34"
    assert case.service.tags == ("callback",) and case.service.links == ("callback-of:0AB12CDE34",)
    assert case.service.notify_customer is False and case.message_count == 0
    assert case.service.sla is not None
    due = {clock.name: clock.due_at for clock in case.service.sla.clocks}
    assert due == {ClockName.FIRST_RESPONSE: NOW + timedelta(days=3), ClockName.RESOLUTION: NOW + timedelta(days=3)}
    assert case.service.next_deadline == NOW + timedelta(days=3)
    assert before == original()  # the original is left as it was
    assert {(e.case_id, e.kind) for e in events} == {
        (case.case_id, "callback_opened"),
        ("0AB12CDE34", "callback_opened"),
    }


def test_callback_goes_to_the_original_assignee_or_the_one_before_an_unassignment():
    case, _ = callback_case(original(), TenantConfig("acme"), "r", NOW)
    assert case.assignee == "li.na" and case.service.assigned_at == NOW

    unassigned = original(previous_assignee="wang.fang")
    unassigned.assignee = None
    case, _ = callback_case(unassigned, TenantConfig("acme"), "r", NOW)
    assert case.assignee == "wang.fang"


def test_key_account_dedicated_agent_takes_the_callback_when_available_else_the_original_assignee():
    account = KeyAccount("globex", "Globex", ("sms:*",), queue="globex", dedicated_agent="zhao.lei")
    present = TenantConfig("acme", key_accounts=(account,), agents={"zhao.lei": Agent("zhao.lei", "Zhao Lei")})
    away = TenantConfig(
        "acme", key_accounts=(account,), agents={"zhao.lei": Agent("zhao.lei", "Zhao Lei", available=False)}
    )

    assert callback_case(original(key_account="globex"), present, "r", NOW)[0].assignee == "zhao.lei"
    assert callback_case(original(key_account="globex"), away, "r", NOW)[0].assignee == "li.na"


def test_an_assignee_who_is_away_leaves_the_callback_to_the_queue():
    config = TenantConfig("acme", agents={"li.na": Agent("li.na", "Li Na", available=False)})
    case, _ = callback_case(original(), config, "r", NOW)
    assert case.assignee is None and case.status == CaseStatus.NEW


def test_the_tenant_policy_sets_queue_and_window():
    config = TenantConfig(
        "acme", surveys=SurveyPolicy(callback_queue="vip-callbacks", callback_within=timedelta(hours=8))
    )
    case, _ = callback_case(original(), config, "r", NOW)
    assert case.queue == "vip-callbacks" and case.service.next_deadline == NOW + timedelta(hours=8)


def test_a_solved_key_complaint_gets_one_callback_whatever_the_score():
    config = TenantConfig("acme")
    complaint = original(tags=("key-complaint",))

    opened = callbacks_on_solve(complaint, config, NOW)

    assert opened is not None and opened[0].follow_up_of == complaint.case_id
    assert has_callback(complaint) and f"callback:{opened[0].case_id}" in complaint.service.links
    assert callbacks_on_solve(complaint, config, NOW) is None  # solved again later: no second callback


def test_other_cases_and_unsolved_complaints_get_no_callback_on_solve():
    config = TenantConfig("acme")
    assert callbacks_on_solve(original(tags=("billing",)), config, NOW) is None
    open_complaint = original(tags=("key-complaint",))
    open_complaint.status = CaseStatus.OPEN
    assert callbacks_on_solve(open_complaint, config, NOW) is None
