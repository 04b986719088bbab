"""Survey planning and stepping: when a survey is due, who never gets one, and what each due survey needs next."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from omnicase.domain.model import Case, CaseService, CaseStatus, Channel
from omnicase.domain.survey import SurveyStatus
from omnicase.domain.survey_schedule import SurveyAction, next_step, plan_survey, survey_message_text
from omnicase.domain.tenant_config import SurveyPolicy, TenantConfig

SOLVED = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai
SHANGHAI = "Asia/Shanghai"


def case(channel: Channel = Channel.EMAIL, contact: str | None = "ann@example.com", **service: object) -> Case:
    return Case(
        "acme", "0ABCDEFGHJ", channel, "Printer broken", status=CaseStatus.SOLVED, customer_id="CU1",
        contact_address=contact, queue="general", assignee="agent-7", solved_at=SOLVED,
        service=CaseService(**{"notify_customer": True, **service}),  # type: ignore[arg-type]
    )  # fmt: skip


def config(**policy: object) -> TenantConfig:
    return TenantConfig("acme", time_zone="UTC", surveys=SurveyPolicy(**policy))  # type: ignore[arg-type]


def sms_case(**service: object) -> Case:
    return case(Channel.SMS, "+8613800138000", customer_time_zone=SHANGHAI, **service)


def test_a_solved_case_gets_one_survey_due_after_the_tenants_delay():
    survey = plan_survey(case(language="zh"), config(), SOLVED)
    assert survey is not None
    assert survey.status == SurveyStatus.SCHEDULED and survey.due_at == SOLVED + timedelta(hours=24)
    assert (survey.contact, survey.channel, survey.language) == ("ann@example.com", Channel.EMAIL, "zh")
    assert (survey.queue, survey.assignee, survey.customer_id, survey.solved_at) == (
        "general",
        "agent-7",
        "CU1",
        SOLVED,
    )
    assert survey.nonce and survey.nonce != plan_survey(case(), config(), SOLVED).nonce
    assert plan_survey(case(), config(delay=timedelta(hours=2)), SOLVED).due_at == SOLVED + timedelta(hours=2)


@pytest.mark.parametrize(
    ("delay", "due_utc"),
    [
        (timedelta(hours=7, minutes=30), datetime(2026, 11, 3, 1, 0, tzinfo=UTC)),  # 21:30 → next day 09:00
        (timedelta(hours=11), datetime(2026, 11, 3, 1, 0, tzinfo=UTC)),  # 01:00 after midnight → same day 09:00
        (timedelta(hours=6, minutes=59), SOLVED + timedelta(hours=6, minutes=59)),  # 20:59: not quiet yet
        (timedelta(hours=19), SOLVED + timedelta(hours=19)),  # 09:00: quiet hours over
    ],
)
def test_sms_surveys_wait_out_the_quiet_hours_in_the_customers_zone(delay, due_utc):
    assert plan_survey(sms_case(), config(delay=delay), SOLVED).due_at == due_utc


def test_quiet_hours_use_the_tenants_zone_when_the_customers_is_unknown_and_spare_email():
    late = config(delay=timedelta(hours=7, minutes=30))  # 13:30 UTC
    tenant_zone = replace(late, time_zone=SHANGHAI)
    assert plan_survey(case(Channel.WECHAT, "oUpF8u"), tenant_zone, SOLVED).due_at == datetime(
        2026, 11, 3, 1, 0, tzinfo=UTC
    )
    assert plan_survey(case(Channel.WECHAT, "oUpF8u"), late, SOLVED).due_at == SOLVED + timedelta(hours=7, minutes=30)
    email = case(customer_time_zone=SHANGHAI)
    assert plan_survey(email, late, SOLVED).due_at == SOLVED + timedelta(hours=7, minutes=30)
    assert plan_survey(sms_case(), config(delay=timedelta(hours=15), quiet_hours=None), SOLVED).due_at == SOLVED + (
        timedelta(hours=15)
    )


@pytest.mark.parametrize(
    "solved_case, tenant_config",
    [
        (case(tags=("callback",)), config()),
        (case(contact=None), config()),
        (case(notify_customer=False), config()),
        (case(merged_into="0ABCDEFGHK"), config()),
        (case(), config(enabled=False)),
    ],
    ids=["callback-case", "no-contact", "machine-mail", "merged", "disabled"],
)
def test_no_survey_for(solved_case, tenant_config):
    assert plan_survey(solved_case, tenant_config, SOLVED) is None


def scheduled(channel: Channel = Channel.EMAIL, **policy: object):
    """A survey due at the solve (14:00 in Shanghai, the tenant's zone: no quiet hours)."""
    solved = case(channel, "+8613800138000" if channel != Channel.EMAIL else "ann@example.com")
    tenant_config = replace(config(delay=timedelta(0), **policy), time_zone=SHANGHAI)
    return plan_survey(solved, tenant_config, SOLVED), tenant_config


def test_a_due_survey_is_sent_with_its_token_end_and_the_reminder_next():
    survey, tenant_config = scheduled()
    assert next_step(survey, tenant_config, SOLVED - timedelta(seconds=1), False, None) == (SurveyAction.NONE, survey)
    action, sent = next_step(survey, tenant_config, SOLVED, False, None)
    assert action == SurveyAction.SEND
    assert (sent.status, sent.sent_at) == (SurveyStatus.SENT, SOLVED)
    assert sent.expires_at == SOLVED + timedelta(days=14) and sent.due_at == SOLVED + timedelta(hours=48)


@pytest.mark.parametrize(
    ("opted_out", "last_surveyed", "reason"),
    [(True, None, "opted-out"), (False, SOLVED - timedelta(days=6, hours=23), "customer-cap")],
)
def test_a_due_survey_is_skipped_for(opted_out, last_surveyed, reason):
    survey, tenant_config = scheduled(Channel.SMS)
    action, skipped = next_step(survey, tenant_config, SOLVED, opted_out, last_surveyed)
    assert action == SurveyAction.SKIP
    assert (skipped.status, skipped.skipped_reason, skipped.due_at) == (SurveyStatus.SKIPPED, reason, None)


def test_the_customer_cap_lets_a_survey_through_once_the_period_is_over():
    survey, tenant_config = scheduled()
    assert next_step(survey, tenant_config, SOLVED, False, SOLVED - timedelta(days=7))[0] == SurveyAction.SEND
    assert next_step(survey, config(enabled=False), SOLVED, False, None)[1].skipped_reason == "disabled"


def test_an_sms_survey_due_in_quiet_hours_waits_for_the_morning():
    survey, tenant_config = scheduled(Channel.SMS)
    night = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai
    action, later = next_step(survey, tenant_config, night, False, None, time_zone=SHANGHAI)
    assert (action, later.due_at, later.status) == (
        SurveyAction.POSTPONE,
        datetime(2026, 11, 3, 1, 0, tzinfo=UTC),
        SurveyStatus.SCHEDULED,
    )
    assert next_step(survey, tenant_config, night, False, None, time_zone="UTC")[0] == SurveyAction.SEND


def test_one_reminder_then_the_survey_expires_with_its_token():
    survey, tenant_config = scheduled()
    sent = next_step(survey, tenant_config, SOLVED, False, None)[1]
    remind_at = SOLVED + timedelta(hours=48)
    assert next_step(sent, tenant_config, remind_at - timedelta(seconds=1), False, None)[0] == SurveyAction.NONE
    action, reminded = next_step(sent, tenant_config, remind_at, False, None)
    assert (action, reminded.status, reminded.reminded_at) == (SurveyAction.REMIND, SurveyStatus.REMINDED, remind_at)
    assert reminded.due_at == sent.expires_at
    assert next_step(reminded, tenant_config, remind_at + timedelta(days=1), False, None)[0] == SurveyAction.NONE
    action, expired = next_step(reminded, tenant_config, sent.expires_at, False, None)
    assert (action, expired.status, expired.due_at) == (SurveyAction.EXPIRE, SurveyStatus.EXPIRED, None)


def test_without_reminders_or_after_an_opt_out_the_survey_just_waits_for_its_end():
    survey, tenant_config = scheduled(reminder_after=None)
    sent = next_step(survey, tenant_config, SOLVED, False, None)[1]
    assert sent.due_at == sent.expires_at
    assert next_step(sent, tenant_config, sent.expires_at, False, None)[0] == SurveyAction.EXPIRE
    survey, tenant_config = scheduled(Channel.SMS)
    sent = next_step(survey, tenant_config, SOLVED, False, None)[1]
    action, waiting = next_step(sent, tenant_config, sent.due_at, True, None)
    assert (action, waiting.status, waiting.due_at) == (SurveyAction.POSTPONE, SurveyStatus.SENT, sent.expires_at)


def test_answered_or_finished_surveys_need_nothing():
    survey, tenant_config = scheduled()
    for status in (SurveyStatus.ANSWERED, SurveyStatus.SKIPPED, SurveyStatus.EXPIRED):
        done = replace(survey, status=status)
        assert next_step(done, tenant_config, SOLVED + timedelta(days=30), False, None) == (SurveyAction.NONE, done)


def test_the_email_survey_carries_five_rating_links_and_the_page():
    survey, _ = scheduled()
    text = survey_message_text("survey", survey, "TOKEN", "https://help.acme.example/", "Acme Support")
    for score in range(1, 6):
        assert f"https://help.acme.example/surveys/TOKEN?score={score}" in text
    assert "https://help.acme.example/surveys/TOKEN\n" in text and "case 0ABCDEFGHJ" in text
    assert text.count("?score=") == 5


def test_short_channels_ask_for_a_digit_in_the_customers_language():
    survey, _ = scheduled(Channel.SMS)
    text = survey_message_text("survey", survey, "TOKEN", "https://x.example", "Acme")
    assert "Reply with a number 1-5" in text and "http" not in text
    reminder = survey_message_text("survey_reminder", replace(survey, language="zh"), "TOKEN", "https://x", "Acme")
    assert "请回复数字 1-5" in reminder and "提醒" in reminder
    own = {"survey.sms.en": "{tenant}: rate case {case_id} 1-5"}
    assert survey_message_text("survey", survey, "T", "https://x", "Acme", own) == "Acme: rate case 0ABCDEFGHJ 1-5"
