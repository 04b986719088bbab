"""The SLA report on a seeded set of cases whose figures are counted by hand in the comments."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from omnicase.console_api.sla_report_view import report_days
from omnicase.domain.answered_survey import SurveyAnswer
from omnicase.domain.model import Case, CaseService, Channel
from omnicase.domain.report_policy import ReportPolicy
from omnicase.reports.report_metrics import emit_report_metrics
from omnicase.reports.sla_report import build_sla_report, normalize_subject, report_to_dict

START = datetime(2026, 11, 2, tzinfo=UTC)
END = datetime(2026, 11, 9, tzinfo=UTC)
S, MIN, H, D = timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def case(
    name: str,
    channel: Channel,
    answered_after: timedelta | None,
    *,
    created: datetime = START + D,
    subject: str = "(no subject)",
    queue: str = "general",
    tags: tuple[str, ...] = (),
    breached: tuple[str, ...] = (),
    level: int = 0,
    kind: str | None = None,
    reached_after: timedelta | None = None,
) -> Case:
    first_response = created + answered_after if answered_after is not None else None
    service = CaseService(tags=tags, first_response_at=first_response, breached=breached, escalation_level=level)
    service.callback_kind = kind
    service.customer_reached_at = created + reached_after if reached_after is not None else None
    return Case("acme", name, channel, subject, queue=queue, created_at=created, service=service)


SINGLE_TAGS = tuple(f"t{n:02d}" for n in range(1, 12))  # 11 tags used once: the top 10 must cut them

CASES = [
    # Chat: 7 in the window, answered within 30 s: C1 C2 (exactly 30 s) C3 C4 → 4/7
    case("C1", Channel.CHAT, 5 * S, created=START),  # created exactly at `from`: in the window
    case("C2", Channel.CHAT, 30 * S),
    case("C3", Channel.CHAT, 29 * S),
    case("C4", Channel.CHAT, 12 * S),
    case("C5", Channel.CHAT, 31 * S, queue="chat", breached=("first_response",)),
    case("C6", Channel.CHAT, 2 * MIN, queue="chat", level=1),
    case("C7", Channel.CHAT, None, tags=SINGLE_TAGS),  # never answered
    # Tickets (every other channel): 8 in the window, first response within 30 min: E1 E2 (exactly 30 min) E3 → 3/8
    case("E1", Channel.EMAIL, 10 * MIN, subject="Refund for order 42", queue="billing", tags=("billing", "billing")),
    case("E2", Channel.EMAIL, 30 * MIN, subject="Re: refund for   ORDER 42"),
    case("E3", Channel.SMS, 30 * MIN - S, subject="Printer broken", tags=("outage",)),
    case(
        "E4",
        Channel.WECHAT,
        31 * MIN,
        subject="Login issue",
        queue="billing",
        tags=("billing", "key-complaint"),
        breached=("first_response",),
    ),
    # Callbacks (tagged `callback`): 4, customer reached (call or their answer) within 3 days: E5 (2 h), E7 (exactly
    # 3 days) → 2/4. Key complaints' (kind key_complaint): E7 reached, E8 one second late → 1/2; low scores' (kind
    # low_score or none): E5 reached, E6 answered in writing by the agent in 1 h but never reached → 1/2.
    case(
        "E5",
        Channel.EMAIL,
        2 * H,
        kind="low_score",
        reached_after=2 * H,
        subject="[#AB12CD34EF] Fwd: Refund for order 42",
        queue="billing",
        tags=("callback", "billing"),
        breached=("first_response", "resolution"),
        level=1,
    ),
    case("E6", Channel.EMAIL, H, subject="回复: 发票开错了", tags=("callback",)),
    case("E7", Channel.SMS, 3 * D, subject="发票开错了", tags=("callback",), kind="key_complaint", reached_after=3 * D),
    case(
        "E8",
        Channel.EMAIL,
        3 * D + S,
        kind="key_complaint",
        reached_after=3 * D + S,
        subject="转发：Printer   BROKEN",
        queue="vip",
        tags=("callback", "key-complaint"),
        level=2,
    ),
    # Outside [from, to): neither is counted anywhere
    case("O1", Channel.CHAT, S, created=START - S, queue="chat", breached=("first_response",), level=3),
    case("O2", Channel.EMAIL, MIN, created=END, subject="Refund for order 42", queue="tech", tags=("callback",)),
]
SURVEYS = [5, 4, 4, 3, 1, 5, 2, 5]  # 4 or 5: 5, 4, 4, 5, 5 → 5/8
INTERCEPTIONS = {"zhang.wei": 3, "li.na": 1, "idle.agent": 0}


@pytest.fixture
def report():
    return build_sla_report(CASES, SURVEYS, INTERCEPTIONS, START, END)


def test_rates_agree_with_the_hand_count(report):
    figures = report_to_dict(report)
    assert figures["cases"] == 15  # 7 chat + 8 tickets; O1 and O2 are outside
    assert figures["chat_answer_30s"] == {"numerator": 4, "denominator": 7, "rate": 0.5714}
    assert figures["ticket_first_response_30min"] == {"numerator": 3, "denominator": 8, "rate": 0.375}
    assert figures["callback_3d"] == {"numerator": 2, "denominator": 4, "rate": 0.5}
    assert figures["key_complaint_callback_3d"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
    assert figures["low_score_callback_3d"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
    assert figures["key_complaints"] == 2  # E4, E8
    assert figures["thresholds"] == {
        "chat_answer_within_s": 30,
        "ticket_response_within_s": 1800,
        "callback_within_s": 259200,
    }


def test_the_tenants_thresholds_decide_what_is_met():
    # 60 s for chats: C5 (31 s) too → 5/7; 31 min for tickets: E4 (31 min) too → 4/8;
    # 3 days and 1 s for callbacks: E8 too → key complaints 2/2
    thresholds = ReportPolicy(60 * S, 31 * MIN, 3 * D + S)
    figures = report_to_dict(build_sla_report(CASES, SURVEYS, INTERCEPTIONS, START, END, thresholds=thresholds))

    assert figures["chat_answer_30s"]["numerator"] == 5
    assert figures["ticket_first_response_30min"]["numerator"] == 4
    assert figures["key_complaint_callback_3d"] == {"numerator": 2, "denominator": 2, "rate": 1.0}
    assert figures["low_score_callback_3d"]["numerator"] == 1
    assert figures["thresholds"]["callback_within_s"] == 3 * 86_400 + 1


def test_breaches_and_escalations_are_counted_by_queue(report):
    figures = report_to_dict(report)
    # Breached: C5 (chat), E4 and E5 (billing); O1 is outside.
    assert figures["breaches_by_queue"] == {"billing": 2, "chat": 1}
    # Escalated: C6 (chat, level 1), E5 (billing, level 1), E8 (vip, level 2); O1 (level 3) is outside.
    assert figures["escalations_by_queue"] == {"billing": 1, "chat": 1, "vip": 1}
    assert figures["escalation_levels"] == {"1": 2, "2": 1}


def test_csat_is_the_share_of_4_and_5_with_the_full_distribution(report):
    csat = report_to_dict(report)["csat"]
    assert {k: csat[k] for k in ("answers", "share_4_5", "distribution")} == {
        "answers": 8,
        "share_4_5": {"numerator": 5, "denominator": 8, "rate": 0.625},
        "distribution": {"1": 1, "2": 1, "3": 1, "4": 2, "5": 3},
    }


def test_csat_per_queue_agent_channel_and_day_and_the_response_rate():
    day1, day2 = START + timedelta(hours=10), START + timedelta(days=1, hours=10)
    answers = [
        SurveyAnswer(5, day1, "billing", "li.na", "email"),  # billing: 2 of 3 happy; li.na 2 of 2
        SurveyAnswer(4, day1, "billing", "li.na", "sms"),
        SurveyAnswer(1, day2, "billing", "zhang.wei", "sms"),  # zhang.wei: 0 of 2
        SurveyAnswer(2, day2, "general", "zhang.wei", "email"),  # general: 0 of 1
    ]
    csat = build_sla_report([], answers, {}, START, END, surveys_sent=10).csat
    # by hand: email 1 of 2, sms 1 of 2; day 1 both happy, day 2 none; 4 answers to 10 surveys sent
    assert {q: (r.numerator, r.denominator) for q, r in csat.by_queue.items()} == {"billing": (2, 3), "general": (0, 1)}
    assert {a: (r.numerator, r.denominator) for a, r in csat.by_agent.items()} == {"li.na": (2, 2), "zhang.wei": (0, 2)}
    assert {c: (r.numerator, r.denominator) for c, r in csat.by_channel.items()} == {"email": (1, 2), "sms": (1, 2)}
    assert [(d, r.rate) for d, r in csat.by_day.items()] == [
        (day1.date().isoformat(), 1.0),
        (day2.date().isoformat(), 0.0),
    ]
    assert (csat.response.numerator, csat.response.denominator, csat.response.rate) == (4, 10, 0.4)


def test_csat_ignores_scores_outside_1_to_5():
    csat = build_sla_report([], [0, 6, 4, 2], {}, START, END).csat
    assert (csat.share_4_5.numerator, csat.share_4_5.denominator) == (1, 2)
    assert csat.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}


def test_interceptions_by_agent_leave_out_agents_without_any(report):
    assert report_to_dict(report)["interceptions_by_agent"] == {"li.na": 1, "zhang.wei": 3}


def test_top_tags_count_a_tag_once_per_case_and_keep_ten(report):
    # callback: E5 E6 E7 E8 (O2 outside) = 4; billing: E1 (twice on the case: once) E4 E5 = 3; key-complaint: E4 E8;
    # then 12 tags used once (outage, t01..t11): alphabetically the first 7 fill the ten.
    assert report.top_tags == [
        ("callback", 4),
        ("billing", 3),
        ("key-complaint", 2),
        ("outage", 1),
        *((f"t{n:02d}", 1) for n in range(1, 7)),
    ]


def test_top_subjects_group_replies_forwards_tokens_case_and_spacing(report):
    # refund for order 42: E1, E2 (Re:, spacing, case), E5 ([#token] Fwd:) — O2 outside; printer broken: E3, E8
    # (转发：); 发票开错了: E6 (回复:), E7; login issue: E4. Chat cases have no subject.
    assert report.top_subjects == [
        ("refund for order 42", 3),
        ("printer broken", 2),
        ("发票开错了", 2),
        ("login issue", 1),
    ]


def test_normalize_subject():
    assert normalize_subject("RE: Fwd: [#AB12CD34EF]  Where is\tmy   Parcel ") == "where is my parcel"
    assert normalize_subject("(no subject)") == normalize_subject("") == normalize_subject("Re: ") == ""


def test_an_empty_window_has_no_rates():
    figures = report_to_dict(build_sla_report([], [], {}, START, END))
    none = {"numerator": 0, "denominator": 0, "rate": None}
    assert figures["cases"] == 0
    assert figures["chat_answer_30s"] == figures["ticket_first_response_30min"] == figures["callback_3d"] == none
    assert figures["csat"]["share_4_5"] == none
    assert figures["csat"]["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    assert figures["breaches_by_queue"] == figures["escalations_by_queue"] == figures["interceptions_by_agent"] == {}
    assert figures["top_tags"] == figures["top_subjects"] == []
    assert (figures["from"], figures["to"]) == ("2026-11-02T00:00:00+00:00", "2026-11-09T00:00:00+00:00")


def test_the_report_is_json(report):
    figures = json.loads(json.dumps(report_to_dict(report), ensure_ascii=False))
    assert figures["top_tags"][0] == {"tag": "callback", "count": 4}
    assert figures["top_subjects"][0] == {"subject": "refund for order 42", "count": 3}


def test_the_same_figures_go_out_as_emf_metrics(report, capsys):
    emit_report_metrics("acme", report)

    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    figures = {}
    for blob in blobs:
        (directive,) = blob["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == "omnicase" and blob["tenant"] == "acme"
        (metric,) = directive["Metrics"]
        extra = tuple(sorted(blob[d] for d in directive["Dimensions"][0] if d not in ("tenant", "service")))
        value = blob[metric["Name"]]
        figures[(metric["Name"], *extra)] = value[0] if isinstance(value, list) and len(value) == 1 else value
    assert figures[("ChatAnswerRate30sNumerator",)] == 4 and figures[("ChatAnswerRate30sDenominator",)] == 7
    assert figures[("ChatAnswerRate30s",)] == 57.14
    assert figures[("TicketFirstResponseRate30min",)] == 37.5 and figures[("CallbackRate3d",)] == 50.0
    assert figures[("CsatShare45",)] == 62.5 and figures[("CsatAnswers", "5")] == 3
    assert figures[("KeyComplaints",)] == 2 and figures[("ReportCases",)] == 15
    assert figures[("BreachedCases", "billing")] == 2 and figures[("EscalatedCases", "vip")] == 1
    assert figures[("EscalatedCasesByLevel", "2")] == 1
    assert figures[("Interceptions", "zhang.wei")] == 3 and figures[("TaggedCases", "callback")] == 4


def test_no_rate_metric_without_a_denominator(capsys):
    emit_report_metrics("acme", build_sla_report([], [], {}, START, END))

    names = {
        next(iter(json.loads(line)["_aws"]["CloudWatchMetrics"][0]["Metrics"]))["Name"]
        for line in capsys.readouterr().out.splitlines()
    }
    assert "ChatAnswerRate30sDenominator" in names and "ChatAnswerRate30s" not in names


NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai, the 20th there too
DAY = date.fromisoformat


@pytest.mark.parametrize(
    ("params", "zone", "first", "last"),
    [
        ({"from": "2026-11-01", "to": "2026-11-08"}, "UTC", DAY("2026-11-01"), DAY("2026-11-08")),
        ({}, "UTC", DAY("2026-11-14"), DAY("2026-11-21")),  # 7 days, today included
        ({}, "Pacific/Kiritimati", DAY("2026-11-15"), DAY("2026-11-22")),  # UTC+14: already the 21st there
        ({"to": "2026-11-08"}, "Asia/Shanghai", DAY("2026-11-01"), DAY("2026-11-08")),
        ({"from": "2025-11-01", "to": "2027-11-01"}, "UTC", DAY("2025-11-01"), DAY("2027-11-01")),  # 730 days
    ],
)
def test_the_days_of_the_window_from_the_query(params, zone, first, last):
    assert report_days(params, zone, NOW) == (first, last)


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"from": "yesterday"}, "from must be an ISO date"),
        ({"to": "2026-13-01"}, "to must be an ISO date"),
        ({"from": "2026-11-01T08:00:00+08:00"}, "from must be an ISO date"),  # an instant: counters count days
        ({"from": "2026-11-08", "to": "2026-11-08"}, "must be before to"),
        ({"from": "2026-11-09", "to": "2026-11-08"}, "must be before to"),
        ({"from": "2025-11-01", "to": "2027-11-03"}, "longer than 731 days"),
    ],
)
def test_a_bad_window_is_refused_with_the_reason(params, reason):
    with pytest.raises(ValueError, match=reason):
        report_days(params, "Asia/Shanghai", NOW)


def test_a_missed_calls_callback_counts_in_the_callback_rate_only_and_the_counters_agree():
    from omnicase.domain.counted_source import DayCounts
    from omnicase.reports.day_counts import case_tally, report_from_days

    missed = case("P1", Channel.SMS, H, tags=("callback",), kind="missed_call", reached_after=H)
    scanned = report_to_dict(build_sla_report([missed], [], {}, START, END))
    tally = case_tally(missed, "UTC")
    assert tally is not None
    counted = report_to_dict(report_from_days([DayCounts(date(2026, 11, 3), dict(tally.counts))], START, END))

    assert scanned["callback_3d"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert scanned["key_complaint_callback_3d"]["denominator"] == scanned["low_score_callback_3d"]["denominator"] == 0
    assert {k: counted[k] for k in ("callback_3d", "key_complaint_callback_3d", "low_score_callback_3d")} == {
        k: scanned[k] for k in ("callback_3d", "key_complaint_callback_3d", "low_score_callback_3d")
    }
