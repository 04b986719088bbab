"""When a solved case's survey goes out, what each due survey needs next, and what the customer reads; pure.

A survey is planned when its case is solved (due after the tenant's delay, out of quiet hours on channels that wake a
phone: SMS, WeChat),
sent when due unless the customer opted out or was surveyed lately, reminded once, and expires with its token.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from omnicase.domain.channel_traits import traits_of
from omnicase.domain.customer_texts import render
from omnicase.domain.model import Case
from omnicase.domain.survey import WAITING, Survey, SurveyStatus
from omnicase.domain.tenant_config import SurveyPolicy, TenantConfig

CALLBACK_TAG = "callback"
SCORES = (1, 2, 3, 4, 5)
_SCORE_LABELS = {
    "en": ("very poor", "poor", "okay", "good", "excellent"),
    "zh": ("非常不满意", "不满意", "一般", "满意", "非常满意"),
}


class SurveyAction(enum.StrEnum):
    SEND = "send"
    REMIND = "remind"
    SKIP = "skip"
    EXPIRE = "expire"
    POSTPONE = "postpone"  # not now (quiet hours, no reminder to send): due again at the survey's new due_at
    NONE = "none"  # not due, or no longer waiting


def plan_survey(case: Case, config: TenantConfig, solved_at: datetime, nonce: str | None = None) -> Survey | None:
    """The survey a just-solved case gets, or None: surveys off, nobody to ask, or nothing to ask about."""
    policy = config.surveys
    service = case.service
    if not policy.enabled or not case.contact_address or not service.notify_customer:
        return None
    if service.merged_into or CALLBACK_TAG in service.tags:
        return None
    if service.self_served and not config.kb.survey_self_served:
        return None  # the customer solved it with an article: nobody of ours to rate, unless the tenant asks
    due_at = solved_at + policy.delay
    if traits_of(case.channel).survey_quiet_hours:
        due_at = after_quiet_hours(due_at, policy.quiet_hours, service.customer_time_zone or config.time_zone)
    return Survey(
        tenant_id=case.tenant_id,
        case_id=case.case_id,
        channel=case.channel,
        contact=case.contact_address,
        status=SurveyStatus.SCHEDULED,
        due_at=due_at,
        nonce=nonce or secrets.token_urlsafe(9),
        customer_id=case.customer_id,
        language=service.language or "en",
        queue=case.queue,
        assignee=case.assignee,
        solved_at=solved_at,
    )


def after_quiet_hours(at: datetime, quiet: tuple[time, time] | None, time_zone: str) -> datetime:
    """`at`, or the end of the quiet hours it falls in (local time of `time_zone`; the window may wrap midnight)."""
    if quiet is None or quiet[0] == quiet[1]:
        return at
    start, end = quiet
    zone = _zone(time_zone)
    local = at.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    wraps = start > end
    inside = (clock >= start or clock < end) if wraps else start <= clock < end
    if not inside:
        return at
    day = local.date() + timedelta(days=1) if wraps and clock >= start else local.date()
    return datetime.combine(day, end, tzinfo=zone).astimezone(at.tzinfo)


def next_step(
    survey: Survey,
    config: TenantConfig,
    now: datetime,
    opted_out: bool,
    last_surveyed_at: datetime | None,
    *,
    time_zone: str | None = None,
) -> tuple[SurveyAction, Survey]:
    """What a survey needs now, and the survey after it (unchanged for NONE). `time_zone` is the customer's
    (the tenant's when None), for quiet hours; `last_surveyed_at` when they last got a survey (the cap)."""
    if survey.status not in WAITING or survey.due_at is None or survey.due_at > now:
        return SurveyAction.NONE, survey
    policy = config.surveys
    zone = time_zone or config.time_zone
    if survey.status == SurveyStatus.SCHEDULED:
        reason = _reason_to_skip(policy, now, opted_out, last_surveyed_at)
        if reason:
            return SurveyAction.SKIP, replace(survey, status=SurveyStatus.SKIPPED, skipped_reason=reason, due_at=None)
        quiet_end = _quiet_end(survey, policy, now, zone)
        if quiet_end:
            return SurveyAction.POSTPONE, replace(survey, due_at=quiet_end)
        expires_at = now + policy.token_valid_for
        due = now + policy.reminder_after if policy.reminder_after is not None else expires_at
        return SurveyAction.SEND, replace(
            survey, status=SurveyStatus.SENT, sent_at=now, expires_at=expires_at, due_at=min(due, expires_at)
        )
    expires_at = survey.expires_at or now
    if now >= expires_at:
        return SurveyAction.EXPIRE, replace(survey, status=SurveyStatus.EXPIRED, due_at=None)
    if survey.status == SurveyStatus.SENT and policy.enabled and policy.reminder_after is not None and not opted_out:
        quiet_end = _quiet_end(survey, policy, now, zone)
        if quiet_end:
            return SurveyAction.POSTPONE, replace(survey, due_at=min(quiet_end, expires_at))
        return SurveyAction.REMIND, replace(survey, status=SurveyStatus.REMINDED, reminded_at=now, due_at=expires_at)
    return SurveyAction.POSTPONE, replace(survey, due_at=expires_at)  # nothing more to send: wait for the end


def survey_links(base_url: str, token: str) -> tuple[str, dict[int, str]]:
    """The survey page and one link per score."""
    page = f"{base_url.rstrip('/')}/surveys/{token}"
    return page, {score: f"{page}?score={score}" for score in SCORES}


def survey_message_text(
    kind: str, survey: Survey, token: str, base_url: str, tenant_name: str, templates: dict[str, str] | None = None
) -> str:
    """The survey ("survey") or its reminder ("survey_reminder") in the customer's language: email carries the five
    rating links and the page; SMS / WeChat / chat ask for a digit 1-5."""
    page, links = survey_links(base_url, token)
    language = survey.language if survey.language in _SCORE_LABELS else "en"
    labels = _SCORE_LABELS[language]
    lines = "\n".join(f"  {score} - {labels[score - 1]}: {url}" for score, url in links.items())
    values = {"tenant": tenant_name, "case_id": survey.case_id, "name": "", "links": lines, "page": page}
    return render(kind, survey.channel.value, language, values, templates)


def _reason_to_skip(
    policy: SurveyPolicy, now: datetime, opted_out: bool, last_surveyed_at: datetime | None
) -> str | None:
    if not policy.enabled:
        return "disabled"
    if opted_out:
        return "opted-out"
    if last_surveyed_at is not None and now - last_surveyed_at < policy.per_customer_every:
        return "customer-cap"
    return None


def _quiet_end(survey: Survey, policy: SurveyPolicy, now: datetime, time_zone: str) -> datetime | None:
    if not traits_of(survey.channel).survey_quiet_hours:
        return None
    later = after_quiet_hours(now, policy.quiet_hours, time_zone)
    return later if later != now else None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
