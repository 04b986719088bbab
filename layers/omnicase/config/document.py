"""The configuration document's shape as pydantic models: unknown fields are errors, values are parsed on the way in."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator

from omnicase.config.values import (
    check_banned_phrase,
    check_canned_text,
    check_customer_text,
    check_email,
    check_identity,
    check_low_score,
    check_non_empty,
    check_regex,
    check_sns_arn,
    check_text_channel,
    check_text_kind,
    check_text_language,
    check_time_zone,
    check_webhook_event,
    check_webhook_url,
    parse_between,
    parse_duration,
    parse_duration_or_zero,
    parse_holiday,
    parse_interval,
    parse_optional_duration,
    parse_quiet_hours,
)
from omnicase.domain.model import Channel, Priority
from omnicase.domain.tenant_config import CASE_WEBHOOK_EVENTS, KbPolicy, SurveyPolicy, WorkInterval

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


def _empty_mapping(value: object) -> object:
    # `general:` with nothing after it reads as null in YAML; it means "a queue with no settings"
    return {} if value is None else value


Duration = Annotated[timedelta, PlainValidator(parse_duration)]
Interval = Annotated[WorkInterval, PlainValidator(parse_interval)]
Between = Annotated[tuple[time, time], PlainValidator(parse_between)]
DurationOrZero = Annotated[timedelta, PlainValidator(parse_duration_or_zero)]
OptionalDuration = Annotated[timedelta | None, PlainValidator(parse_optional_duration)]
QuietHours = Annotated[tuple[time, time] | None, PlainValidator(parse_quiet_hours)]
LowScore = Annotated[int, PlainValidator(check_low_score)]
Holiday = Annotated[tuple[date, ...], PlainValidator(parse_holiday)]
TimeZone = Annotated[str, AfterValidator(check_time_zone)]
Regex = Annotated[str, AfterValidator(check_regex)]
Identity = Annotated[str, AfterValidator(check_identity)]
Email = Annotated[str, AfterValidator(check_email)]
Text = Annotated[str, AfterValidator(check_non_empty)]
SnsArn = Annotated[str, AfterValidator(check_sns_arn)]
BannedPhrase = Annotated[str, AfterValidator(check_banned_phrase)]
WebhookUrl = Annotated[str, AfterValidator(check_webhook_url)]
WebhookEvent = Annotated[str, AfterValidator(check_webhook_event)]
DayHours = Annotated[list[Interval], BeforeValidator(_one_or_many)]
TextKind = Annotated[str, AfterValidator(check_text_kind)]
TextChannel = Annotated[str, AfterValidator(check_text_channel)]
TextLanguage = Annotated[str, AfterValidator(check_text_language)]
CustomerText = Annotated[str, AfterValidator(check_customer_text)]
# texts.<kind>.<channel>.<language>, e.g. texts.acknowledgement.sms.zh
Texts = dict[TextKind, dict[TextChannel, dict[TextLanguage, CustomerText]]]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HoursDoc(_Doc):
    mon: DayHours = []
    tue: DayHours = []
    wed: DayHours = []
    thu: DayHours = []
    fri: DayHours = []
    sat: DayHours = []
    sun: DayHours = []


class WorkdayDoc(_Doc):
    """A make-up working day (调休): a date (or range) that works these hours although its weekday may not."""

    date: Holiday
    hours: DayHours = Field(min_length=1)


class CalendarDoc(_Doc):
    time_zone: TimeZone | None = None  # default: the tenant's
    always_open: bool = False
    hours: HoursDoc = HoursDoc()
    holidays: list[Holiday] = []
    workdays: list[WorkdayDoc] = []


class TargetsDoc(_Doc):
    first_response: Duration | None = None
    next_response: Duration | None = None
    resolution: Duration | None = None


class TargetsByPriorityDoc(_Doc):
    low: TargetsDoc | None = None
    normal: TargetsDoc | None = None
    high: TargetsDoc | None = None
    urgent: TargetsDoc | None = None


class SlaDoc(_Doc):
    calendar: Text
    warning_before: Duration = timedelta(minutes=15)
    targets: TargetsByPriorityDoc = TargetsByPriorityDoc()


class EscalationDoc(_Doc):
    level_interval: Duration = timedelta(hours=1)
    queue: Text = "escalations"
    max_level: int = Field(default=3, ge=1, le=3)


class QueueDoc(_Doc):
    description: str = ""
    supervisor: Text | None = None


class AgentDoc(_Doc):
    name: Text | None = None  # default: the agent id
    email: Email | None = None
    role: Literal["agent", "supervisor", "manager"] = "agent"
    queues: list[Text] = []
    available: bool = True
    supervisor: Text | None = None


class TierDoc(_Doc):
    tier: Text
    match: list[Identity] = Field(min_length=1)


class GreenChannelDoc(_Doc):
    tiers: list[Text] = ["vip"]
    queue: Text = "vip"
    min_priority: Priority = Priority.HIGH


class KeyAccountDoc(_Doc):
    id: Text
    name: Text | None = None  # default: the id
    match: list[Identity] = Field(min_length=1)
    queue: Text
    dedicated_agent: Text | None = None
    dedicated_for: Duration = timedelta(hours=4)


class WhenDoc(_Doc):
    channels: list[Channel] = []
    tiers: list[Text] = []
    tags: list[Text] = []
    key_account: bool | None = None
    keywords: list[Text] = []
    patterns: list[Regex] = []
    has_attachments: bool | None = None
    between: Between | None = None


class ThenDoc(_Doc):
    queue: Text | None = None
    priority: Priority | None = None
    assignee: Text | None = None
    tags: list[Text] = []


class RuleDoc(_Doc):
    name: Text
    when: WhenDoc = WhenDoc()
    then: ThenDoc


class WebhookDoc(_Doc):
    url: WebhookUrl
    events: list[WebhookEvent] = Field(default=list(CASE_WEBHOOK_EVENTS), min_length=1)  # default: every event


_SURVEYS = SurveyPolicy()


class SurveysDoc(_Doc):
    """Defaults are SurveyPolicy's, so a section or field left out means the same as in code."""

    enabled: bool = _SURVEYS.enabled
    delay: DurationOrZero = _SURVEYS.delay  # 0s: right after the solve
    reminder_after: OptionalDuration = _SURVEYS.reminder_after
    token_valid_for: Duration = _SURVEYS.token_valid_for
    per_customer_every: Duration = _SURVEYS.per_customer_every
    quiet_hours: QuietHours = _SURVEYS.quiet_hours
    low_score: LowScore = _SURVEYS.low_score
    callback_queue: Text = _SURVEYS.callback_queue
    callback_within: Duration = _SURVEYS.callback_within
    key_complaint_tag: Text = _SURVEYS.key_complaint_tag


_KB = KbPolicy()


class KbDoc(_Doc):
    synonyms: list[Annotated[list[Text], Field(min_length=2, max_length=50)]] = Field(default=[], max_length=500)
    suggest_threshold: float = Field(default=_KB.suggest_threshold, gt=0, le=1)
    acknowledgement_articles: int = Field(default=_KB.acknowledgement_articles, ge=0, le=3)
    survey_self_served: bool = _KB.survey_self_served


CannedText = Annotated[str, AfterValidator(check_canned_text)]
CANNED_REPLY_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"


class CannedSetDoc(_Doc):
    """What applying the reply changes on the case."""

    status: Literal["open", "pending", "on_hold", "solved"] | None = None
    priority: Priority | None = None
    tags: list[Text] = Field(default=[], max_length=20)


class CannedReplyDoc(_Doc):
    title: Text
    texts: dict[TextLanguage, CannedText] = Field(min_length=1)
    keywords: list[Text] = Field(default=[], max_length=50)
    set: CannedSetDoc = CannedSetDoc()


MAX_CANNED_REPLIES = 500


MAX_BANNED_PHRASES = 2000  # each reply is checked against every phrase: bounds the cost of one check


class ConfigDoc(_Doc):
    tenant: Text | None = None
    time_zone: TimeZone = "UTC"
    default_queue: Text = "general"
    default_priority: Priority = Priority.NORMAL
    calendars: dict[str, CalendarDoc] = {}
    sla: SlaDoc | None = None
    escalation: EscalationDoc = EscalationDoc()
    assignment_timeout: Duration | None = None
    queues: dict[str, Annotated[QueueDoc, BeforeValidator(_empty_mapping)]] = {}
    agents: dict[str, Annotated[AgentDoc, BeforeValidator(_empty_mapping)]] = {}
    managers: list[Text] = []
    tiers: list[TierDoc] = []
    green_channel: GreenChannelDoc = GreenChannelDoc()
    key_accounts: list[KeyAccountDoc] = []
    rules: list[RuleDoc] = []
    notify_topic_arn: SnsArn | None = None
    banned_phrases: list[BannedPhrase] = Field(default=[], max_length=MAX_BANNED_PHRASES)
    webhooks: list[WebhookDoc] = []
    progress_notices: bool = True
    texts: Annotated[Texts, BeforeValidator(_empty_mapping)] = {}
    surveys: Annotated[SurveysDoc, BeforeValidator(_empty_mapping)] = SurveysDoc()
    kb: Annotated[KbDoc, BeforeValidator(_empty_mapping)] = KbDoc()
    canned_replies: Annotated[
        dict[Annotated[str, Field(pattern=CANNED_REPLY_ID)], CannedReplyDoc], Field(max_length=MAX_CANNED_REPLIES)
    ] = {}
