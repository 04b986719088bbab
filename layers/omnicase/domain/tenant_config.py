"""A tenant's service configuration as plain data: calendars, SLA targets, queues, people and routing rules.

Applied from YAML (`omnicase config apply`), stored per tenant, read by intake and the escalation check. A scalar
setting's type and default live here; config/tenant_settings.py declares, one line each, how it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from omnicase.domain.canned_replies import CannedReply
from omnicase.domain.model import Channel, Priority
from omnicase.domain.report_policy import ReportPolicy

PRIORITY_ORDER: tuple[Priority, ...] = (Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT)


def raise_priority(priority: Priority, steps: int = 1) -> Priority:
    """The priority `steps` above this one, capped at urgent."""
    index = min(PRIORITY_ORDER.index(priority) + steps, len(PRIORITY_ORDER) - 1)
    return PRIORITY_ORDER[index]


def higher_priority(a: Priority, b: Priority) -> Priority:
    return a if PRIORITY_ORDER.index(a) >= PRIORITY_ORDER.index(b) else b


@dataclass(frozen=True)
class WorkInterval:
    """Working hours that start on a given weekday; `end <= start` means the shift runs past midnight."""

    start: time
    end: time


@dataclass(frozen=True)
class BusinessCalendar:
    """When the clock runs: weekly intervals in a time zone, minus holidays; or always (24x7)."""

    name: str
    time_zone: str  # IANA name, e.g. "Asia/Shanghai"
    # weekly[0] is Monday … weekly[6] Sunday: the intervals that START on that local weekday
    weekly: tuple[tuple[WorkInterval, ...], ...] = ((),) * 7
    holidays: frozenset[date] = frozenset()  # intervals starting on these local dates do not run
    always_open: bool = False  # 24x7: every second counts, holidays ignored
    # Make-up working days (调休): local dates that run these intervals instead of their weekday's (a Saturday
    # that works), in date order. A date is never both a holiday and a make-up day (the configuration refuses it).
    workdays: tuple[tuple[date, tuple[WorkInterval, ...]], ...] = ()

    def intervals_on(self, day: date) -> tuple[WorkInterval, ...]:
        """The intervals starting on this local date: none on a holiday, a make-up day's own, else its weekday's."""
        if day in self.holidays:
            return ()
        for workday, intervals in self.workdays:
            if workday == day:
                return intervals
        return self.weekly[day.weekday()]


@dataclass(frozen=True)
class SlaTargets:
    """Business-time targets of one priority; None means no target for that clock."""

    first_response: timedelta | None = None
    next_response: timedelta | None = None
    resolution: timedelta | None = None


@dataclass(frozen=True)
class SlaPolicy:
    calendar: str  # name of a BusinessCalendar
    targets: dict[Priority, SlaTargets] = field(default_factory=dict)
    warning_before: timedelta = timedelta(minutes=15)  # wall-clock lead of the pre-breach warning


@dataclass(frozen=True)
class EscalationPolicy:
    """After a breach: level 1 at once, each further level `level_interval` (wall-clock) after the previous."""

    level_interval: timedelta = timedelta(hours=1)
    queue: str = "escalations"  # level 2 moves the case here
    max_level: int = 3


@dataclass(frozen=True)
class Queue:
    name: str
    description: str = ""
    supervisor: str | None = None  # agent id notified at escalation level 2


@dataclass(frozen=True)
class Agent:
    agent_id: str
    name: str
    email: str | None = None
    role: str = "agent"  # agent / supervisor / manager
    queues: tuple[str, ...] = ()
    available: bool = True  # False: away — dedicated and reopened cases do not wait for them
    supervisor: str | None = None


@dataclass(frozen=True)
class KeyAccount:
    """A customer company whose cases go to a dedicated agent for a while, then to the account's queue."""

    account_id: str
    name: str
    match: tuple[str, ...]  # identities: "email:*@globex.example", "sms:+8613800138000", "wechat:o…"
    queue: str
    dedicated_agent: str | None = None
    dedicated_for: timedelta = timedelta(hours=4)


@dataclass(frozen=True)
class CustomerTier:
    """Customers of a tier (e.g. "vip") by identity pattern, as for key accounts."""

    tier: str
    match: tuple[str, ...]


@dataclass(frozen=True)
class GreenChannel:
    """The VIP green channel: the tiers that take it, its queue and the priority they get at least."""

    tiers: tuple[str, ...] = ("vip",)
    queue: str = "vip"
    min_priority: Priority = Priority.HIGH


@dataclass(frozen=True)
class RuleConditions:
    """All given conditions must hold (empty / None = no condition); within one list, any item may match."""

    channels: tuple[Channel, ...] = ()
    tiers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # any of these tags on the case
    key_account: bool | None = None  # True: only key accounts' cases; False: only others
    keywords: tuple[str, ...] = ()  # case-insensitive substrings of subject or body, Chinese and English
    patterns: tuple[str, ...] = ()  # regular expressions searched in subject and body (case-insensitive)
    has_attachments: bool | None = None
    between: tuple[time, time] | None = None  # local time of arrival in the tenant's time zone; may wrap midnight


@dataclass(frozen=True)
class RuleActions:
    queue: str | None = None
    priority: Priority | None = None
    assignee: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoutingRule:
    name: str
    when: RuleConditions
    then: RuleActions


@dataclass(frozen=True)
class SurveyPolicy:
    """Follow-up satisfaction surveys after a case is solved, and the low-score callback loop."""

    enabled: bool = True
    delay: timedelta = timedelta(hours=24)  # after the solve
    reminder_after: timedelta | None = timedelta(hours=48)  # one reminder when unanswered; None: none
    token_valid_for: timedelta = timedelta(days=14)
    per_customer_every: timedelta = timedelta(days=7)  # at most one survey per customer this often
    quiet_hours: tuple[time, time] | None = (time(21, 0), time(9, 0))  # SMS / WeChat not sent then (customer's zone)
    low_score: int = 2  # a score at or under it opens a callback case
    callback_queue: str = "callbacks"
    callback_within: timedelta = timedelta(days=3)  # the callback case's first-response SLA (wall-clock)
    key_complaint_tag: str = "key-complaint"  # such cases get a callback case on solve, whatever the score


DEFAULT_SUGGEST_THRESHOLD = 0.15  # measured on the fixtures' labelled queries (bench --only kb, README)


@dataclass(frozen=True)
class KbPolicy:
    """The knowledge base's tenant settings: synonym groups searched as one word (退款 = 退钱 = refund), and the
    articles offered in acknowledgements (those whose relevance, 0..1, reaches the threshold)."""

    synonyms: tuple[tuple[str, ...], ...] = ()
    suggest_threshold: float = DEFAULT_SUGGEST_THRESHOLD
    acknowledgement_articles: int = 3  # at most this many per acknowledgement; 0: none
    survey_self_served: bool = False  # a case the customer solved with an article gets a survey too


# A solved case: a customer's reply within the window reopens it; after it, or once closed, the reply opens a follow-up.
DEFAULT_REOPEN_WINDOW = timedelta(days=7)
DEFAULT_AUTO_CLOSE_AFTER = timedelta(days=4)


CASE_WEBHOOK_EVENTS = ("created", "assigned", "replied", "solved", "breached")


@dataclass(frozen=True)
class WebhookTarget:
    """A tenant URL told about case events, signed like the chat webhook."""

    url: str
    events: tuple[str, ...] = CASE_WEBHOOK_EVENTS


@dataclass(frozen=True)
class TenantConfig:
    tenant_id: str
    time_zone: str = "UTC"
    default_queue: str = "general"
    default_priority: Priority = Priority.NORMAL
    calendars: dict[str, BusinessCalendar] = field(default_factory=dict)
    sla: SlaPolicy | None = None
    escalation: EscalationPolicy = EscalationPolicy()
    queues: dict[str, Queue] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    rules: tuple[RoutingRule, ...] = ()
    key_accounts: tuple[KeyAccount, ...] = ()
    tiers: tuple[CustomerTier, ...] = ()
    green_channel: GreenChannel = GreenChannel()
    assignment_timeout: timedelta | None = None  # an assignee silent this long (wall-clock) loses the case
    reopen_window: timedelta = DEFAULT_REOPEN_WINDOW  # a customer's reply this soon after the solve reopens the case
    auto_close_after: timedelta | None = DEFAULT_AUTO_CLOSE_AFTER  # solved this long, no reply: closed (None: never)
    managers: tuple[str, ...] = ()  # agent ids notified at escalation level 3
    notify_topic_arn: str | None = None  # SNS topic for escalation notices (besides email to the person)
    banned_phrases: tuple[str, ...] = ()  # replies containing one are blocked (quality check)
    # Customer-facing texts: "acknowledgement.email.zh", "notice_solved.short.en", … (see domain/customer_texts.py)
    texts: dict[str, str] = field(default_factory=dict)
    progress_notices: bool = True  # tell customers when their case is being handled, waits for them, is solved
    surveys: SurveyPolicy = SurveyPolicy()
    kb: KbPolicy = KbPolicy()
    report: ReportPolicy = ReportPolicy()  # noqa: RUF009 - frozen: one shared default is safe
    canned_replies: tuple[CannedReply, ...] = ()  # agents' ready answers (domain/canned_replies.py)
    webhooks: tuple[WebhookTarget, ...] = ()
    applied_at: datetime | None = None
    version: int = 0  # increases with every apply
