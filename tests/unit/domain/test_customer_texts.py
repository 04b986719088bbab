"""Acknowledgements and progress notices: language, time zone, tenant templates, and who never gets one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from omnicase.domain.customer_texts import detect_language, expected_reply_text, render
from omnicase.domain.ingest_message import ingest_message
from omnicase.domain.model import CaseStatus, Priority
from omnicase.domain.progress_notice import progress_notice
from omnicase.domain.tenant_config import BusinessCalendar, SlaPolicy, SlaTargets, TenantConfig
from omnicase.domain.work_case import CaseUpdate, update_case
from tests.unit.domain.builders import T0, TENANT, email, sms
from tests.unit.fakes import MemoryIntakeStore

CONFIG = TenantConfig(
    tenant_id="acme",
    time_zone="Europe/London",
    calendars={"always": BusinessCalendar("always", "UTC", always_open=True)},
    sla=SlaPolicy("always", {Priority.NORMAL: SlaTargets(first_response=timedelta(hours=2))}),
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("我的订单还没到，请帮忙查一下", "zh"),
        ("My order has not arrived", "en"),
        ("订单 12345 status?", "zh"),
        ("", "en"),
    ],
)
def test_the_customers_language_is_read_from_what_they_wrote(text, language):
    assert detect_language(text) == language


def test_the_expected_reply_is_told_in_the_customers_time_zone():
    due = datetime(2026, 11, 2, 11, 0, tzinfo=UTC)
    assert expected_reply_text("zh", due, "Asia/Shanghai") == "我们将在 2026-11-02 19:00 CST 前回复您。"
    assert expected_reply_text("en", due, "Europe/London") == "We will reply by Mon 02 Nov 11:00 GMT."
    assert expected_reply_text("en", None, "UTC") == "We will reply as soon as possible."


def test_a_tenant_template_wins_and_unknown_placeholders_stay_as_written():
    templates = {"acknowledgement.sms.en": "{tenant} got it: #{case_id} {unknown}", "notice_solved.short.zh": "好了"}
    values = {"tenant": "Acme", "case_id": "ABC", "expected_reply": ""}
    assert render("acknowledgement", "sms", "en", values, templates) == "Acme got it: #ABC {unknown}"
    assert render("notice_solved", "wechat", "zh", values, templates) == "好了"
    assert render("notice_solved", "wechat", "fr", values, templates).startswith("Acme: case ABC is solved")


def acknowledgement_of(message):
    store = MemoryIntakeStore()
    outcome = ingest_message(message, TENANT, store, now=message.received_at, config=CONFIG)
    case = store.cases[("acme", outcome.case_id)]
    return case, outcome.acknowledgement


def test_a_chinese_text_from_china_is_acknowledged_in_chinese_with_beijing_time():
    case, ack = acknowledgement_of(sms("我的订单还没到", at=T0))
    assert case.service.language == "zh" and case.service.customer_time_zone == "Asia/Shanghai"
    # received 09:00 UTC, first response due two hours later: 19:00 in Beijing
    assert f"工单 {case.case_id}" in ack.body_text and "2026-11-02 19:00 CST" in ack.body_text


def test_an_english_mail_is_acknowledged_with_the_deadline_in_the_tenants_zone():
    case, ack = acknowledgement_of(email("Broken printer", at=T0))
    assert case.service.language == "en" and case.service.customer_time_zone == "Europe/London"
    assert "We will reply by Mon 02 Nov 11:00 GMT." in ack.body_text


def test_agents_moving_a_case_tell_the_customer_unless_told_not_to():
    case, _ = acknowledgement_of(email("Broken printer", at=T0))
    update_case(case, CaseUpdate(status=CaseStatus.PENDING), CONFIG, "ann", T0 + timedelta(minutes=5))

    notice = progress_notice(case, CaseStatus.NEW, [], TENANT, CONFIG, T0 + timedelta(minutes=5))

    assert notice is not None and notice.kind == "notice" and "please reply" in notice.body_text
    assert notice.recipients == ("ann@example.com",) and f"[#{case.case_id}]" in notice.subject
    quiet = replace(CONFIG, progress_notices=False)
    assert progress_notice(case, CaseStatus.NEW, [], TENANT, quiet, T0) is None
    assert progress_notice(case, CaseStatus.PENDING, [], TENANT, CONFIG, T0) is None  # unchanged


def test_machine_mail_never_gets_a_notice():
    case, ack = acknowledgement_of(email("Out of office", kind="auto_reply", at=T0))
    update_case(case, CaseUpdate(status=CaseStatus.SOLVED), CONFIG, "ann", T0 + timedelta(minutes=5))
    assert ack is None and progress_notice(case, CaseStatus.NEW, [], TENANT, CONFIG, T0) is None
