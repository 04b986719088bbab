"""The SLA report's figures as daily counters: what one case, answer, sent survey or interception adds to its day,
and the report summed back from days. Pure: no AWS.

A tenant has one counter row per local day (its time zone) holding every figure and its breakdowns (queue, agent,
channel, level, tag) as named counts, and one row of that day's subject tallies. A case counts on the day it was
created, an answer on the day it was given, a sent survey and an interception on theirs — as the case-scanning
report (sla_report.build_sla_report) defines each figure, so both give the same report over whole local days.

Names: plain ones ("cases", "chat", "chat_met", …) are tenant-wide; "<figure>:<value>" is a breakdown
("breached:billing", "csat_a45:li.na"). Values may hold any character; the figure never holds ":".

Met or not is decided when counting, by the tenant's thresholds then (ReportPolicy: 30 s, 30 min, 3 days unless
set): a row holds "chat_met", not the answer times. So a changed threshold applies to the cases counted from then on
(new ones, and older ones at their next change); `omnicase report rebuild` recounts every case with it, and the
report then follows the new threshold on every day. Keeping times instead (a histogram per day) would let any
threshold apply at once, but only on the histogram's bucket edges, and would grow every row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from omnicase.domain.answered_survey import SurveyAnswer
from omnicase.domain.channel_traits import traits_of
from omnicase.domain.counted_source import CountedPart, CountedSource, DayCounts, Tally
from omnicase.domain.model import Case
from omnicase.domain.report_policy import ReportPolicy
from omnicase.kb.usage_counts import case_kb_counts
from omnicase.reports.sla_report import (
    CALLBACK_TAG,
    CSAT_SCORES,
    KEY_COMPLAINT_TAG,
    Csat,
    Rate,
    SlaReport,
    is_key_complaint_callback,
    is_low_score_callback,
    normalize_subject,
    reached_within,
    top_counts,
)

SUBJECT_SLOTS = 200  # distinct subjects tallied per tenant and day; later new ones count as "other" (docs/scale.md)
Counts = dict[str, int]


def local_day(at: datetime, zone: str) -> str:
    return at.astimezone(ZoneInfo(zone)).date().isoformat()


def subject_name(subject: str) -> str:
    """The tally name of a case's subject, or "" when it has none worth counting."""
    normalized = normalize_subject(subject)
    return f"subject:{normalized}" if normalized else ""


def tally_of(source: CountedSource, zone: str, thresholds: ReportPolicy | None = None) -> Tally | None:
    """What a counted item adds to its day in `zone`, met or not by `thresholds` (None: nothing)."""
    if source.part == CountedPart.CASE:
        return case_tally(source.case, zone, thresholds) if source.case is not None else None
    if source.at is None:
        return None
    if source.part == CountedPart.ANSWER and source.score is not None:
        answer = SurveyAnswer(source.score, source.at, source.queue, source.agent_id, source.channel)
        return answer_tally(answer, zone)
    if source.part == CountedPart.SENT:
        return sent_tally(source.at, zone)
    if source.part.startswith(CountedPart.INTERCEPTION) and source.agent_id is not None:
        return interception_tally(source.agent_id, source.at, zone)
    return None


def case_tally(case: Case, zone: str, thresholds: ReportPolicy | None = None) -> Tally | None:
    """A case's figures on the day it was created (None: no creation time, it is not in any report)."""
    if case.created_at is None:
        return None
    limits = thresholds or ReportPolicy()
    service = case.service
    counts: Counter[str] = Counter(cases=1)
    kind = "chat" if traits_of(case.channel).live else "ticket"
    within = limits.chat_answer_within if kind == "chat" else limits.ticket_response_within
    answered_after = service.first_response_at - case.created_at if service.first_response_at else None
    counts[kind] += 1
    counts[f"{kind}_met"] += answered_after is not None and answered_after <= within
    if CALLBACK_TAG in service.tags:
        met = reached_within(case, limits.callback_within)
        counts["callback"] += 1
        counts["callback_met"] += met
        if is_key_complaint_callback(case):
            counts["callback_key"] += 1
            counts["callback_key_met"] += met
        elif is_low_score_callback(case):  # not the missed calls' ones
            counts["callback_low"] += 1
            counts["callback_low_met"] += met
    counts["key_complaints"] += KEY_COMPLAINT_TAG in service.tags
    if service.breached and not service.self_served:  # the customer solved it themselves: not our breach
        counts[f"breached:{case.queue}"] += 1
    if service.escalation_level > 0:
        counts[f"escalated:{case.queue}"] += 1
        counts[f"level:{service.escalation_level}"] += 1
    for tag in set(service.tags):
        counts[f"tag:{tag}"] += 1
    counts.update(case_kb_counts(case))
    return Tally(local_day(case.created_at, zone), _nonzero(counts), subject_name(case.subject))


def answer_tally(answer: SurveyAnswer, zone: str) -> Tally | None:
    """A survey answer on the day it was given (None: a score outside 1..5, which no report counts)."""
    if answer.score not in CSAT_SCORES:
        return None
    good = int(answer.score >= 4)
    counts: Counter[str] = Counter({f"csat:{answer.score}": 1})
    for short, value in (("q", answer.queue), ("a", answer.assignee), ("c", answer.channel)):
        if value is not None:
            counts[f"csat_{short}:{value}"] += 1
            counts[f"csat_{short}45:{value}"] += good
    return Tally(local_day(answer.answered_at, zone), _nonzero(counts))


def sent_tally(sent_at: datetime, zone: str) -> Tally:
    return Tally(local_day(sent_at, zone), {"sent": 1})


def interception_tally(agent_id: str, at: datetime, zone: str) -> Tally:
    return Tally(local_day(at, zone), {f"intercepted:{agent_id}": 1})


def tally_change(old: Tally | None, new: Tally | None) -> dict[tuple[str, str], Counts]:
    """What moves from `old` to `new`: {(day or month, "counts" | "subjects"): {name: delta}}, zero deltas left
    out. A month's row gets what its days get, and each CSAT answer by day ("csat_on:<day>", "csat45_on:<day>"):
    the CSAT trend of a window read from months. A tally recorded before month rows existed leaves its day only, so
    its next count (or `omnicase report rebuild`) adds it to its month."""
    moves: dict[tuple[str, str], Counter[str]] = {}
    for tally, sign in ((old, -1), (new, 1)):
        if tally is None:
            continue
        month = tally.day[:7]
        for period in (tally.day, month) if tally.in_months else (tally.day,):
            counts = moves.setdefault((period, "counts"), Counter())
            for name, n in tally.counts.items():
                counts[name] += sign * n
            if tally.subject_slot:
                moves.setdefault((period, "subjects"), Counter())[tally.subject_slot] += sign
        answers = sum(tally.counts.get(f"csat:{score}", 0) for score in CSAT_SCORES)
        if answers and tally.in_months:
            good = tally.counts.get("csat:4", 0) + tally.counts.get("csat:5", 0)
            moves[(month, "counts")][f"csat_on:{tally.day}"] += sign * answers
            moves[(month, "counts")][f"csat45_on:{tally.day}"] += sign * good
    return {row: {k: v for k, v in counts.items() if v} for row, counts in moves.items() if any(counts.values())}


def report_from_days(
    days: Iterable[DayCounts], start: datetime, end: datetime, thresholds: ReportPolicy | None = None
) -> SlaReport:
    """The SLA report of [start, end) (local midnights) from the counters of its days (counted by `thresholds`)."""
    rows = list(days)
    total: Counter[str] = Counter()
    subjects: Counter[str] = Counter()
    for row in rows:
        total.update(row.counts)
        subjects.update(row.subjects)
    answered = sum(total[f"csat:{score}"] for score in CSAT_SCORES)
    good = total["csat:4"] + total["csat:5"]
    by_day = dict(sorted(_csat_by_day(rows).items()))
    return SlaReport(
        start=start,
        end=end,
        cases=total["cases"],
        chat_answer_30s=Rate(total["chat_met"], total["chat"]),
        ticket_first_response_30min=Rate(total["ticket_met"], total["ticket"]),
        callback_3d=Rate(total["callback_met"], total["callback"]),
        key_complaint_callback_3d=Rate(total["callback_key_met"], total["callback_key"]),
        low_score_callback_3d=Rate(total["callback_low_met"], total["callback_low"]),
        key_complaints=total["key_complaints"],
        breaches_by_queue=_breakdown(total, "breached"),
        escalations_by_queue=_breakdown(total, "escalated"),
        escalation_levels={int(k): n for k, n in sorted(_breakdown(total, "level").items(), key=lambda i: int(i[0]))},
        csat=Csat(
            Rate(good, answered),
            {score: total[f"csat:{score}"] for score in CSAT_SCORES},
            by_queue=_csat_rates(total, "q"),
            by_agent=_csat_rates(total, "a"),
            by_channel=_csat_rates(total, "c"),
            by_day=by_day,
            response=Rate(min(answered, total["sent"]), total["sent"]),
        ),
        interceptions_by_agent=_breakdown(total, "intercepted"),
        top_tags=top_counts(Counter(_breakdown(total, "tag"))),
        top_subjects=top_counts(Counter(_breakdown(subjects, "subject"))),
        thresholds=thresholds or ReportPolicy(),
    )


def _csat_by_day(rows: Iterable[DayCounts]) -> dict[str, Rate]:
    """The share of 4–5 of each day with answers: a day's row, or the days a month's row names."""
    found: dict[str, Rate] = {}
    for row in rows:
        if row.whole_month:
            good = _breakdown(row.counts, "csat45_on")
            found |= {day: Rate(good.get(day, 0), n) for day, n in _breakdown(row.counts, "csat_on").items()}
        elif n := sum(row.counts.get(f"csat:{score}", 0) for score in CSAT_SCORES):
            found[row.day.isoformat()] = Rate(row.counts.get("csat:4", 0) + row.counts.get("csat:5", 0), n)
    return found


def _breakdown(total: Mapping[str, int], figure: str) -> dict[str, int]:
    prefix = f"{figure}:"
    return dict(sorted((name[len(prefix) :], n) for name, n in total.items() if name.startswith(prefix) and n > 0))


def _csat_rates(total: Mapping[str, int], short: str) -> dict[str, Rate]:
    answers = _breakdown(total, f"csat_{short}")
    good = _breakdown(total, f"csat_{short}45")
    return {name: Rate(good.get(name, 0), n) for name, n in answers.items()}


def _nonzero(counts: Counter[str]) -> Counts:
    return {name: int(n) for name, n in counts.items() if n}
