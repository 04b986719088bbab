"""The tenant configuration document (YAML for ops, JSON in DynamoDB) ⇄ TenantConfig.

Shape is checked by pydantic models (unknown fields are errors), references between sections by hand; every
problem names its field path, e.g. `rules[2].when.patterns[0]`, so the file loader can add the line.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, ValidationError

from omnicase.domain.model import Channel, Priority
from omnicase.domain.tenant_config import (
    Agent,
    BusinessCalendar,
    CustomerTier,
    EscalationPolicy,
    GreenChannel,
    KeyAccount,
    Queue,
    RoutingRule,
    RuleActions,
    RuleConditions,
    SlaPolicy,
    SlaTargets,
    TenantConfig,
    WorkInterval,
)

FieldPath = tuple[str | int, ...]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MAX_HOLIDAY_RANGE = 366  # a longer range is a typo in a year, not a holiday


@dataclass(frozen=True)
class ConfigProblem:
    path: FieldPath
    message: str

    def __str__(self) -> str:
        return f"{format_path(self.path)}: {self.message}" if self.path else self.message


class ConfigError(ValueError):
    """The document is not a valid configuration; `problems` lists every reason found."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def format_path(path: Iterable[str | int]) -> str:
    """("rules", 2, "when") → `rules[2].when`; keys that are not plain words are quoted: `agents["li.na"]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


# --- scalar values --------------------------------------------------------------------------------------------

_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_DURATION_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def parse_duration(value: object) -> timedelta:
    """ "30s", "15m", "4h", "2d", "1h30m", or whole seconds; always more than zero."""
    seconds: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and (match := _DURATION.fullmatch(value.strip())) and any(match.groups()):
        days, hours, minutes, secs = (int(g or 0) for g in match.groups())
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
    if seconds is None:
        raise ValueError(f'expected a duration like "30s", "15m", "4h", "2d", "1h30m" or seconds, got {value!r}')
    if seconds <= 0:
        raise ValueError("must be longer than zero")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    remaining = int(value.total_seconds())
    parts = []
    for unit, size in _DURATION_UNITS:
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


_TIME = re.compile(r"([01]?\d|2[0-4]):([0-5]\d)")


def parse_time(value: object, *, end: bool = False) -> time:
    """ "09:00"; "24:00" only as the end of an interval (it means midnight, the start of the next day)."""
    match = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'expected a time like "09:00", got {value!r}')
    hour, minute = int(match[1]), int(match[2])
    if hour == 24 and (minute or not end):
        raise ValueError(f'"{value}" is not a time of day (24:00 may only end an interval)')
    return time(hour % 24, minute)


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_interval(value: object) -> WorkInterval:
    """ "09:00-18:00"; an end at or before the start runs past midnight ("22:00-06:00", "00:00-24:00")."""
    if not isinstance(value, str) or value.count("-") != 1:
        raise ValueError(f'expected hours like "09:00-18:00" (or "22:00-06:00" overnight), got {value!r}')
    start, end = value.split("-")
    return WorkInterval(parse_time(start), parse_time(end, end=True))


def format_interval(value: WorkInterval) -> str:
    return f"{format_time(value.start)}-{format_time(value.end)}"


def _interval_minutes(value: WorkInterval) -> tuple[int, int]:
    start = value.start.hour * 60 + value.start.minute
    end = value.end.hour * 60 + value.end.minute
    return start, end + 1440 if end <= start else end


def parse_between(value: object) -> tuple[time, time]:
    interval = parse_interval(value)
    if interval.start == interval.end:
        raise ValueError("start and end are the same: leave `between` out to match at any time")
    return interval.start, interval.end


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f'expected a date like "2026-10-01", got {text!r}') from None


def parse_holiday(value: object) -> tuple[date, ...]:
    """ "2026-10-01", or an inclusive range "2026-10-01..2026-10-07"."""
    if isinstance(value, date):
        return (value,)
    if not isinstance(value, str):
        raise ValueError(f'expected a date like "2026-10-01" or a range "2026-10-01..2026-10-07", got {value!r}')
    first_text, _, last_text = value.partition("..")
    first = _parse_date(first_text)
    last = _parse_date(last_text) if last_text else first
    days = (last - first).days
    if not 0 <= days < _MAX_HOLIDAY_RANGE:
        raise ValueError(f"range {value!r} must run forwards and span less than a year")
    return tuple(first + timedelta(days=n) for n in range(days + 1))


def _holiday_entries(dates: Iterable[date]) -> list[str]:
    """Dates as written by hand: runs of three or more consecutive days as one range."""
    entries: list[str] = []
    ordered = sorted(dates)
    start = 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or ordered[i] - ordered[i - 1] != timedelta(days=1):
            run = ordered[start:i]
            if len(run) >= 3:
                entries.append(f"{run[0].isoformat()}..{run[-1].isoformat()}")
            else:
                entries.extend(d.isoformat() for d in run)
            start = i
    return entries


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError; malformed names raise ValueError
        raise ValueError(f'unknown time zone "{value}" (use an IANA name like "Asia/Shanghai")') from None
    return value


def _regex(value: str) -> str:
    if not value:
        raise ValueError("an empty pattern matches every case: leave `patterns` out instead")
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"bad regular expression: {error}") from None
    return value


_CHANNELS = tuple(c.value for c in Channel)


def _identity(value: str) -> str:
    channel, _, address = value.partition(":")
    if channel not in _CHANNELS or not address.strip():
        raise ValueError(f'expected "<channel>:<address pattern>" with channel one of {", ".join(_CHANNELS)}')
    return value


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError(f'"{value}" is not an email address')
    return value


def _sns_arn(value: str) -> str:
    if not re.fullmatch(r"arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w.-]+", value):
        raise ValueError(f'"{value}" is not an SNS topic ARN')
    return value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


def _empty_mapping(value: object) -> object:
    # `general:` with nothing after it reads as null in YAML; it means "a queue with no settings"
    return {} if value is None else value


Duration = Annotated[timedelta, PlainValidator(parse_duration)]
Interval = Annotated[WorkInterval, PlainValidator(parse_interval)]
Between = Annotated[tuple[time, time], PlainValidator(parse_between)]
Holiday = Annotated[tuple[date, ...], PlainValidator(parse_holiday)]
TimeZone = Annotated[str, AfterValidator(_time_zone)]
Regex = Annotated[str, AfterValidator(_regex)]
Identity = Annotated[str, AfterValidator(_identity)]
Email = Annotated[str, AfterValidator(_email)]
Text = Annotated[str, AfterValidator(_non_empty)]
SnsArn = Annotated[str, AfterValidator(_sns_arn)]
DayHours = Annotated[list[Interval], BeforeValidator(_one_or_many)]


# --- the document's shape -------------------------------------------------------------------------------------


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


class CalendarDoc(_Doc):
    time_zone: TimeZone | None = None  # default: the tenant's
    always_open: bool = False
    hours: HoursDoc = HoursDoc()
    holidays: list[Holiday] = []


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


# --- pydantic errors → problems -------------------------------------------------------------------------------


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (Annotated, typing.Union, type(int | None)):
        return next((m for a in typing.get_args(annotation) if (m := _model_in(a))), None)
    return None


def _fields_at(path: FieldPath) -> list[str]:
    """The fields the document allows at `path` (for "did you mean" on unknown fields)."""
    annotation: Any = ConfigDoc
    for part in path:
        model = _model_in(annotation)
        if model is not None and isinstance(part, str) and part in model.model_fields:
            annotation = model.model_fields[part].annotation
            continue
        while typing.get_origin(annotation) in (Annotated, typing.Union, type(int | None)):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        args = typing.get_args(annotation)  # dict[str, X] / list[X]: step into X
        annotation = args[-1] if args else None
    model = _model_in(annotation)
    return list(model.model_fields) if model else []


def _unknown_field(path: FieldPath) -> str:
    allowed = _fields_at(path[:-1])
    close = difflib.get_close_matches(str(path[-1]), allowed, n=1)
    if close:
        return f'unknown field (did you mean "{close[0]}"?)'
    return f"unknown field (allowed: {', '.join(allowed)})" if allowed else "unknown field"


def _problems_from(error: ValidationError) -> list[ConfigProblem]:
    problems = []
    for detail in error.errors(include_url=False):
        path: FieldPath = tuple(detail["loc"])
        message = detail["msg"]
        if path and path[-1] == "[key]":
            path, message = path[:-1], f"bad key: {message}"
        elif detail["type"] == "extra_forbidden":
            message = _unknown_field(path)
        elif detail["type"] == "missing":
            message = "required"
        else:
            message = message.removeprefix("Value error, ")
        problems.append(ConfigProblem(path, message))
    return problems


# --- references between sections ------------------------------------------------------------------------------

_NAME = re.compile(r"\w[\w.@+-]*")


def _missing(kind: str, name: str, known: Iterable[str], section: str) -> str:
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f' (did you mean "{close[0]}"?)' if close else f" (defined: {', '.join(known) or 'none'})"
    return f'no {kind} "{name}" in {section}{hint}'


class _Checker:
    """Collects every reference problem of a shape-valid document."""

    def __init__(self, doc: ConfigDoc) -> None:
        self.doc = doc
        self.problems: list[ConfigProblem] = []

    def add(self, path: FieldPath, message: str) -> None:
        self.problems.append(ConfigProblem(path, message))

    def queue(self, path: FieldPath, name: str | None, note: str = "") -> None:
        if name is not None and name not in self.doc.queues:
            self.add(path, _missing("queue", name, self.doc.queues, "queues") + note)

    def agent(self, path: FieldPath, name: str | None) -> None:
        if name is not None and name not in self.doc.agents:
            self.add(path, _missing("agent", name, self.doc.agents, "agents"))

    def tier(self, path: FieldPath, name: str) -> None:
        defined = [t.tier for t in self.doc.tiers]
        if name not in defined:
            self.add(path, _missing("tier", name, defined, "tiers"))

    def unique(self, path: FieldPath, seen: dict[str, int], value: str, what: str) -> None:
        if value in seen:
            self.add(path, f'duplicate {what} "{value}" (also at [{seen[value]}])')
        else:
            seen[value] = path[1] if isinstance(path[1], int) else 0

    def names(self) -> None:
        for section in ("calendars", "queues", "agents"):
            for name in getattr(self.doc, section):
                if not _NAME.fullmatch(name):
                    self.add((section, name), "bad name: use letters, digits and . _ - @ + (no spaces)")

    def calendars(self) -> None:
        for name, calendar in self.doc.calendars.items():
            days = [getattr(calendar.hours, day) for day in WEEKDAYS]
            if calendar.always_open:
                if any(days) or calendar.holidays:
                    self.add(("calendars", name), "an always_open calendar takes no hours or holidays")
            elif not any(days):
                self.add(("calendars", name, "hours"), "no working hours: give some, or always_open: true for 24x7")
            else:
                self.overlaps(name, days)

    def overlaps(self, calendar: str, days: list[list[WorkInterval]]) -> None:
        week = 7 * 1440
        spans = []
        for day, intervals in enumerate(days):
            for i, interval in enumerate(intervals):
                start, end = _interval_minutes(interval)
                label = (WEEKDAYS[day], i, format_interval(interval))
                spans.append((day * 1440 + start, day * 1440 + end, label))
                if day * 1440 + end > week:  # Sunday night runs into Monday
                    spans.append((day * 1440 + start - week, day * 1440 + end - week, label))
        spans.sort()
        reported = set()
        for (_, earlier_end, earlier), (later_start, _, later) in itertools.pairwise(spans):
            if later_start < earlier_end and (earlier, later) not in reported:
                reported.add((earlier, later))
                self.add(
                    ("calendars", calendar, "hours", later[0], later[1]),
                    f'"{later[2]}" overlaps {earlier[0]} "{earlier[2]}"',
                )

    def sla_and_escalation(self) -> None:
        doc = self.doc
        if doc.sla is not None and doc.sla.calendar not in doc.calendars:
            self.add(("sla", "calendar"), _missing("calendar", doc.sla.calendar, doc.calendars, "calendars"))
        if doc.sla is not None or "escalation" in doc.model_fields_set:
            note = "" if "escalation" in doc.model_fields_set else " (the default escalation queue; add it or set one)"
            self.queue(("escalation", "queue"), doc.escalation.queue, note)

    def people(self) -> None:
        doc = self.doc
        note = "" if "default_queue" in doc.model_fields_set else " (the default; add it or set default_queue)"
        self.queue(("default_queue",), doc.default_queue, note)
        for name, queue in doc.queues.items():
            self.agent(("queues", name, "supervisor"), queue.supervisor)
        for agent_id, agent in doc.agents.items():
            for i, queue_name in enumerate(agent.queues):
                self.queue(("agents", agent_id, "queues", i), queue_name)
            self.agent(("agents", agent_id, "supervisor"), agent.supervisor)
            if agent.supervisor == agent_id:
                self.add(("agents", agent_id, "supervisor"), "an agent cannot be their own supervisor")
        for i, manager in enumerate(doc.managers):
            self.agent(("managers", i), manager)

    def customers(self) -> None:
        doc = self.doc
        tiers: dict[str, int] = {}
        for i, tier in enumerate(doc.tiers):
            self.unique(("tiers", i, "tier"), tiers, tier.tier, "tier")
        green = doc.green_channel
        if "green_channel" in doc.model_fields_set:
            for i, name in enumerate(green.tiers):
                self.tier(("green_channel", "tiers", i), name)
            self.queue(("green_channel", "queue"), green.queue)
        elif set(green.tiers) & set(tiers):
            self.queue(("green_channel", "queue"), green.queue, " (the default green channel queue; add it)")
        accounts: dict[str, int] = {}
        patterns: dict[str, int] = {}
        for i, account in enumerate(doc.key_accounts):
            self.unique(("key_accounts", i, "id"), accounts, account.id, "key account")
            self.queue(("key_accounts", i, "queue"), account.queue)
            self.agent(("key_accounts", i, "dedicated_agent"), account.dedicated_agent)
            for j, pattern in enumerate(account.match):
                if pattern in patterns and patterns[pattern] != i:
                    self.add(
                        ("key_accounts", i, "match", j),
                        f'"{pattern}" is already matched by key_accounts[{patterns[pattern]}]',
                    )
                patterns.setdefault(pattern, i)

    def rules(self) -> None:
        names: dict[str, int] = {}
        for i, rule in enumerate(self.doc.rules):
            self.unique(("rules", i, "name"), names, rule.name, "rule name")
            for j, tier in enumerate(rule.when.tiers):
                self.tier(("rules", i, "when", "tiers", j), tier)
            self.queue(("rules", i, "then", "queue"), rule.then.queue)
            self.agent(("rules", i, "then", "assignee"), rule.then.assignee)
            then = rule.then
            if then.queue is None and then.priority is None and then.assignee is None and not then.tags:
                self.add(("rules", i, "then"), "the rule does nothing: set a queue, priority, assignee or tags")


def _check(tenant_id: str, doc: ConfigDoc) -> list[ConfigProblem]:
    checker = _Checker(doc)
    if doc.tenant is not None and doc.tenant != tenant_id:
        checker.add(("tenant",), f'this configuration is for tenant "{doc.tenant}", not "{tenant_id}"')
    checker.names()
    checker.calendars()
    checker.sla_and_escalation()
    checker.people()
    checker.customers()
    checker.rules()
    return checker.problems


# --- document → TenantConfig ----------------------------------------------------------------------------------


def _to_config(tenant_id: str, doc: ConfigDoc) -> TenantConfig:
    calendars = {
        name: BusinessCalendar(
            name=name,
            time_zone=c.time_zone or doc.time_zone,
            weekly=tuple(tuple(getattr(c.hours, day)) for day in WEEKDAYS),
            holidays=frozenset(d for entry in c.holidays for d in entry),
            always_open=c.always_open,
        )
        for name, c in doc.calendars.items()
    }
    sla = None
    if doc.sla is not None:
        targets = {
            Priority(p): SlaTargets(t.first_response, t.next_response, t.resolution)
            for p in TargetsByPriorityDoc.model_fields
            if (t := getattr(doc.sla.targets, p)) is not None
        }
        sla = SlaPolicy(calendar=doc.sla.calendar, targets=targets, warning_before=doc.sla.warning_before)
    return TenantConfig(
        tenant_id=tenant_id,
        time_zone=doc.time_zone,
        default_queue=doc.default_queue,
        default_priority=doc.default_priority,
        calendars=calendars,
        sla=sla,
        escalation=EscalationPolicy(doc.escalation.level_interval, doc.escalation.queue, doc.escalation.max_level),
        queues={name: Queue(name, q.description, q.supervisor) for name, q in doc.queues.items()},
        agents={
            agent_id: Agent(
                agent_id=agent_id,
                name=a.name or agent_id,
                email=a.email,
                role=a.role,
                queues=tuple(a.queues),
                available=a.available,
                supervisor=a.supervisor,
            )
            for agent_id, a in doc.agents.items()
        },
        rules=tuple(
            RoutingRule(
                name=r.name,
                when=RuleConditions(
                    channels=tuple(r.when.channels),
                    tiers=tuple(r.when.tiers),
                    tags=tuple(r.when.tags),
                    key_account=r.when.key_account,
                    keywords=tuple(r.when.keywords),
                    patterns=tuple(r.when.patterns),
                    has_attachments=r.when.has_attachments,
                    between=r.when.between,
                ),
                then=RuleActions(r.then.queue, r.then.priority, r.then.assignee, tuple(r.then.tags)),
            )
            for r in doc.rules
        ),
        key_accounts=tuple(
            KeyAccount(k.id, k.name or k.id, tuple(k.match), k.queue, k.dedicated_agent, k.dedicated_for)
            for k in doc.key_accounts
        ),
        tiers=tuple(CustomerTier(t.tier, tuple(t.match)) for t in doc.tiers),
        green_channel=GreenChannel(
            tuple(doc.green_channel.tiers), doc.green_channel.queue, doc.green_channel.min_priority
        ),
        assignment_timeout=doc.assignment_timeout,
        managers=tuple(doc.managers),
        notify_topic_arn=doc.notify_topic_arn,
    )


def parse_config(tenant_id: str, document: dict[str, Any]) -> TenantConfig:
    """Validate a configuration document (shape, then references) and build the tenant's TenantConfig.

    Raises ConfigError with every problem found; version and applied_at are left for the store to set.
    """
    if not isinstance(document, dict):
        raise ConfigError([ConfigProblem((), "the configuration must be a mapping of fields")])
    try:
        doc = ConfigDoc.model_validate(document)
    except ValidationError as error:
        raise ConfigError(_problems_from(error)) from None
    problems = _check(tenant_id, doc)
    if problems:
        raise ConfigError(problems)
    return _to_config(tenant_id, doc)


# --- TenantConfig → document ----------------------------------------------------------------------------------


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is unset, so the document reads like one written by hand."""
    return {k: v for k, v in values.items() if v is not None and v != [] and v != {} and v != ""}


def _calendar_document(calendar: BusinessCalendar) -> dict[str, Any]:
    if calendar.always_open:
        return {"time_zone": calendar.time_zone, "always_open": True}
    hours = {
        day: [format_interval(i) for i in intervals] for day, intervals in zip(WEEKDAYS, calendar.weekly, strict=True)
    }
    return _drop_empty(
        {"time_zone": calendar.time_zone, "hours": _drop_empty(hours), "holidays": _holiday_entries(calendar.holidays)}
    )


def _targets_document(targets: SlaTargets) -> dict[str, str]:
    values = {"first_response": targets.first_response, "next_response": targets.next_response}
    values["resolution"] = targets.resolution
    return {k: format_duration(v) for k, v in values.items() if v is not None}


def _rule_document(rule: RoutingRule) -> dict[str, Any]:
    when, then = rule.when, rule.then
    return {
        "name": rule.name,
        "when": _drop_empty(
            {
                "channels": [c.value for c in when.channels],
                "tiers": list(when.tiers),
                "tags": list(when.tags),
                "key_account": when.key_account,
                "keywords": list(when.keywords),
                "patterns": list(when.patterns),
                "has_attachments": when.has_attachments,
                "between": format_interval(WorkInterval(*when.between)) if when.between else None,
            }
        ),
        "then": _drop_empty(
            {
                "queue": then.queue,
                "priority": then.priority.value if then.priority else None,
                "assignee": then.assignee,
                "tags": list(then.tags),
            }
        ),
    }


def _agent_document(agent: Agent) -> dict[str, Any]:
    return _drop_empty(
        {
            "name": agent.name,
            "email": agent.email,
            "role": None if agent.role == "agent" else agent.role,
            "queues": list(agent.queues),
            "available": None if agent.available else False,
            "supervisor": agent.supervisor,
        }
    )


def config_to_document(config: TenantConfig) -> dict[str, Any]:
    """The JSON-safe document of a configuration: parse_config(tenant, config_to_document(c)) == c
    (version and applied_at are the store's, not part of the document)."""
    document: dict[str, Any] = {
        "tenant": config.tenant_id,
        "time_zone": config.time_zone,
        "default_queue": config.default_queue,
    }
    if config.default_priority != Priority.NORMAL:
        document["default_priority"] = config.default_priority.value
    if config.calendars:
        document["calendars"] = {name: _calendar_document(c) for name, c in config.calendars.items()}
    if config.sla is not None:
        document["sla"] = {
            "calendar": config.sla.calendar,
            "warning_before": format_duration(config.sla.warning_before),
            "targets": {p.value: _targets_document(t) for p, t in config.sla.targets.items()},
        }
    if config.escalation != EscalationPolicy():
        escalation = config.escalation
        document["escalation"] = {
            "level_interval": format_duration(escalation.level_interval),
            "queue": escalation.queue,
            "max_level": escalation.max_level,
        }
    if config.assignment_timeout is not None:
        document["assignment_timeout"] = format_duration(config.assignment_timeout)
    document["queues"] = {
        name: _drop_empty({"description": q.description, "supervisor": q.supervisor})
        for name, q in config.queues.items()
    }
    if config.agents:
        document["agents"] = {agent_id: _agent_document(a) for agent_id, a in config.agents.items()}
    if config.managers:
        document["managers"] = list(config.managers)
    if config.tiers:
        document["tiers"] = [{"tier": t.tier, "match": list(t.match)} for t in config.tiers]
    if config.green_channel != GreenChannel():
        green = config.green_channel
        document["green_channel"] = {
            "tiers": list(green.tiers),
            "queue": green.queue,
            "min_priority": green.min_priority.value,
        }
    if config.key_accounts:
        document["key_accounts"] = [
            _drop_empty(
                {
                    "id": k.account_id,
                    "name": k.name,
                    "match": list(k.match),
                    "queue": k.queue,
                    "dedicated_agent": k.dedicated_agent,
                    "dedicated_for": format_duration(k.dedicated_for),
                }
            )
            for k in config.key_accounts
        ]
    if config.rules:
        document["rules"] = [_rule_document(r) for r in config.rules]
    if config.notify_topic_arn:
        document["notify_topic_arn"] = config.notify_topic_arn
    return document
