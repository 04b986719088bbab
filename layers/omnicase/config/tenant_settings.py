"""The tenant's scalar settings, one line each: the document's shape, defaults, checks and the way back follow.

Adding one: the field with its default on the domain dataclass, a line here, a row in the README's Fields table
(tests/unit/test_config_declared.py checks every declared setting round-trips, refuses bad values with their
`file:line`, and is in the README with its default). Calendars, SLA targets, queues, agents, tiers, key accounts,
rules, webhooks, texts and canned replies are structures with references between them: document.py and
to_document.py keep them by hand.
"""

from __future__ import annotations

from datetime import timedelta

from omnicase.config.declared import Section, Setting
from omnicase.config.setting_kinds import (
    BOOL,
    DURATION,
    DURATION_OR_NONE,
    DURATION_OR_ZERO,
    NAMES,
    PRIORITY,
    QUIET_HOURS,
    SCORE,
    SNS_TOPIC_ARN,
    SYNONYM_GROUPS,
    TEXT,
    TIME_ZONE,
    duration,
    fraction,
    optional,
    whole_number,
)
from omnicase.domain.tenant_config import (
    EscalationPolicy,
    GreenChannel,
    KbPolicy,
    ReportPolicy,
    SurveyPolicy,
    TenantConfig,
)

# A solved case's execution waits for its auto-close (Standard executions live a year at most); a reopen years on
# would be a new matter anyway.
MAX_REOPEN_WINDOW = timedelta(days=90)
MAX_AUTO_CLOSE_AFTER = timedelta(days=90)
MAX_REPORT_THRESHOLD = timedelta(days=30)  # the report's days are counted from the case's creation

TOP = Section(
    None,
    TenantConfig,
    (
        Setting("time_zone", TIME_ZONE, always_written=True),
        Setting("default_queue", TEXT, always_written=True),
        Setting("default_priority", PRIORITY),
        Setting("assignment_timeout", optional(DURATION)),
        Setting("reopen_window", duration(at_most=MAX_REOPEN_WINDOW)),
        Setting("auto_close_after", duration(at_most=MAX_AUTO_CLOSE_AFTER, none=True)),  # none: stay solved
        Setting("notify_topic_arn", optional(SNS_TOPIC_ARN)),
        Setting("progress_notices", BOOL),
    ),
)

_REPORT_THRESHOLD = duration(at_most=MAX_REPORT_THRESHOLD)

SECTIONS = (
    Section(
        "escalation",
        EscalationPolicy,
        (Setting("level_interval", DURATION), Setting("queue", TEXT), Setting("max_level", whole_number(1, 3))),
    ),
    Section(
        "green_channel",
        GreenChannel,
        (Setting("tiers", NAMES), Setting("queue", TEXT), Setting("min_priority", PRIORITY)),
    ),
    Section(
        "surveys",
        SurveyPolicy,
        (
            Setting("enabled", BOOL),
            Setting("delay", DURATION_OR_ZERO),  # 0s: right after the solve
            Setting("reminder_after", DURATION_OR_NONE),
            Setting("token_valid_for", DURATION),
            Setting("per_customer_every", DURATION),
            Setting("quiet_hours", QUIET_HOURS),
            Setting("low_score", SCORE),
            Setting("callback_queue", TEXT),
            Setting("callback_within", DURATION),
            Setting("key_complaint_tag", TEXT),
        ),
    ),
    Section(
        "report",
        ReportPolicy,
        (
            Setting("chat_answer_within", _REPORT_THRESHOLD),
            Setting("ticket_response_within", _REPORT_THRESHOLD),
            Setting("callback_within", _REPORT_THRESHOLD),
        ),
    ),
    Section(
        "kb",
        KbPolicy,
        (
            Setting("synonyms", SYNONYM_GROUPS),
            Setting("suggest_threshold", fraction(gt=0, le=1)),
            Setting("acknowledgement_articles", whole_number(0, 3)),
            Setting("survey_self_served", BOOL),
        ),
    ),
)
