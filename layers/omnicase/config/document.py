"""The configuration document's shape as pydantic models: unknown fields are errors, values are parsed on the way in."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator

from omnicase.config.declared import document_model, empty_mapping
from omnicase.config.setting_kinds import DURATION, TEXT, TIME_ZONE
from omnicase.config.tenant_settings import SECTIONS, TOP
from omnicase.config.values import (
    check_banned_phrase,
    check_canned_text,
    check_customer_text,
    check_email,
    check_identity,
    check_regex,
    check_text_channel,
    check_text_kind,
    check_text_language,
    check_webhook_event,
    check_webhook_url,
    parse_between,
    parse_holiday,
    parse_interval,
)
from omnicase.domain.model import Channel, Priority
from omnicase.domain.tenant_config import CASE_WEBHOOK_EVENTS, WorkInterval

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


Duration = DURATION.annotation
Text = TEXT.annotation
TimeZone = TIME_ZONE.annotation
Interval = Annotated[WorkInterval, PlainValidator(parse_interval)]
Between = Annotated[tuple[time, time], PlainValidator(parse_between)]
Holiday = Annotated[tuple[date, ...], PlainValidator(parse_holiday)]
Regex = Annotated[str, AfterValidator(check_regex)]
Identity = Annotated[str, AfterValidator(check_identity)]
Email = Annotated[str, AfterValidator(check_email)]
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


class StructuresDoc(_Doc):
    """The hand-kept parts: structures with references between them (the scalar settings are declared)."""

    tenant: Text | None = None
    calendars: dict[str, CalendarDoc] = {}
    sla: SlaDoc | None = None
    queues: dict[str, Annotated[QueueDoc, BeforeValidator(empty_mapping)]] = {}
    agents: dict[str, Annotated[AgentDoc, BeforeValidator(empty_mapping)]] = {}
    managers: list[Text] = []
    tiers: list[TierDoc] = []
    key_accounts: list[KeyAccountDoc] = []
    rules: list[RuleDoc] = []
    banned_phrases: list[BannedPhrase] = Field(default=[], max_length=MAX_BANNED_PHRASES)
    webhooks: list[WebhookDoc] = []
    texts: Annotated[Texts, BeforeValidator(empty_mapping)] = {}
    canned_replies: Annotated[
        dict[Annotated[str, Field(pattern=CANNED_REPLY_ID)], CannedReplyDoc], Field(max_length=MAX_CANNED_REPLIES)
    ] = {}


# The whole document: the structures, then the declared settings (tenant_settings.py) and their sections.
ConfigDoc = document_model("ConfigDoc", StructuresDoc, TOP, SECTIONS)
