"""Counting changes into the daily counters: exactly once under redelivery, any order, lost races and recounts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnicase.domain.counted_source import (
    MONTH_SUBJECT_SLOTS,
    OTHER_SUBJECTS,
    CountedPart,
    CountedRecord,
    CountedSource,
    DayCounts,
    RecordWrite,
    merge_counts,
)
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case, CaseService, Channel
from omnicase.reports.count_changes import count_sources, identity
from omnicase.reports.count_rules import CountRules
from omnicase.reports.day_counts import SUBJECT_SLOTS, report_from_days, tally_of
from omnicase.reports.sla_report import report_to_dict

CREATED = datetime(2026, 11, 3, 15, 59, 50, tzinfo=UTC)  # 23:59:50 in Shanghai: one of the versions moves days


class FakeReportCounters:
    """In memory, as DynamoReportCounters: records written only over the record read, rows added to."""

    def __init__(self, lose_races: int = 0) -> None:
        self.records: dict[tuple[str, str, str], CountedRecord] = {}
        self.rows: dict[tuple[str, str, str], Counter[str]] = {}
        self.lose_races = lose_races  # the next n writes meet another transaction

    def counted(self, sources: Sequence[CountedSource]) -> dict[tuple[str, str, str], CountedRecord]:
        return {identity(s): self.records[identity(s)] for s in sources if identity(s) in self.records}

    def subject_names(self, tenant_id: str, day: str) -> set[str]:
        return set(self.rows.get((tenant_id, day, "subjects"), {}))

    def write(self, writes: Sequence[RecordWrite], moves: Mapping[tuple[str, str, str], Mapping[str, int]]) -> None:
        if self.lose_races:
            self.lose_races -= 1
            raise ConcurrentUpdate("TransactionConflict")
        for write in writes:
            if self.records.get(identity(write.source)) != write.before:
                raise ConcurrentUpdate("the record changed")
        for write in writes:
            writes_before = write.before.writes if write.before else 0
            self.records[identity(write.source)] = CountedRecord(write.source.version, write.tally, writes_before + 1)
        for row, counts in moves.items():  # as DynamoReportCounters merges them into the packed row
            slots = MONTH_SUBJECT_SLOTS if row[2] == "subjects" and len(row[1]) == 7 else None
            self.rows[row] = Counter(merge_counts(self.rows.get(row, {}), counts, slots))

    def days(self, tenant_id: str, first: date, last: date) -> list[DayCounts]:
        found: dict[str, DayCounts] = {}
        for (tenant, day, kind), counts in self.rows.items():
            if tenant == tenant_id and len(day) == 10 and first.isoformat() <= day < last.isoformat():
                row = found.setdefault(day, DayCounts(date.fromisoformat(day)))
                (row.subjects if kind == "subjects" else row.counts).update(counts)
        return [found[d] for d in sorted(found)]

    def periods(self, tenant_id: str, first: date, last: date) -> list[DayCounts]:
        return self.days(tenant_id, first, last)

    def months(self, tenant_id: str) -> dict[str, Counter[str]]:
        return {f"{month}#{kind}": c for (t, month, kind), c in self.rows.items() if t == tenant_id and len(month) == 7}


def shanghai(_: str) -> CountRules:
    return CountRules("Asia/Shanghai")


def case_versions() -> list[Case]:
    """One case's life: opened, answered late, tagged callback, breached and escalated, moved, subject erased."""
    base = Case("acme", "C1", Channel.EMAIL, "Re: 网站宕机", queue="technical", created_at=CREATED)
    late = replace(base, service=CaseService(first_response_at=CREATED + timedelta(hours=1)))
    tagged = replace(late, service=replace(late.service, tags=("callback", "outage")))
    breached = replace(tagged, service=replace(tagged.service, breached=("first_response",), escalation_level=2))
    moved = replace(breached, queue="escalations", created_at=CREATED + timedelta(seconds=20))  # the next day there
    erased = replace(moved, subject="(erased)")
    return [replace(c, version=n) for n, c in enumerate([base, late, tagged, breached, moved, erased], start=1)]


def source(case: Case) -> CountedSource:
    return CountedSource(case.tenant_id, case.case_id, CountedPart.CASE, int(case.version or 0), case=case)


def report(counters: FakeReportCounters, tenant: str = "acme"):
    rows = counters.days(tenant, date(2026, 11, 1), date(2026, 11, 8))
    return report_to_dict(report_from_days(rows, CREATED - timedelta(days=2), CREATED + timedelta(days=4)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=20))
def test_any_order_and_any_repetition_of_a_cases_changes_counts_its_latest_version_once(order):
    # Given the versions of one case delivered in any order, some twice or more, some never
    versions = case_versions()
    delivered = [versions[n] for n in order]
    counters = FakeReportCounters()

    # When each delivery is counted (one at a time, as batches of one)
    for case in delivered:
        count_sources([source(case)], counters, shanghai)

    # Then the counters hold the latest version delivered, once
    latest = max(delivered, key=lambda c: c.version or 0)
    assert report(counters) == report_to_dict(
        report_from_days(_rows_of(latest), CREATED - timedelta(days=2), CREATED + timedelta(days=4))
    )
    assert report(counters)["cases"] == 1


def _rows_of(case: Case) -> list[DayCounts]:
    tally = tally_of(source(case), "Asia/Shanghai")
    assert tally is not None
    return [DayCounts(date.fromisoformat(tally.day), dict(tally.counts), {tally.subject: 1} if tally.subject else {})]


def test_a_batch_carrying_every_version_counts_the_case_as_it_is_now_on_the_day_it_moved_to():
    counters = FakeReportCounters()
    versions = case_versions()

    for case in versions[:4]:  # counted as they came, on the 3rd
        count_sources([source(case)], counters, shanghai)

    count_sources([source(c) for c in reversed(versions)], counters, shanghai)  # then all of them in one batch
    count_sources([source(c) for c in versions], counters, shanghai)  # and that batch again

    days = counters.days("acme", date(2026, 11, 1), date(2026, 11, 8))
    assert [(d.day.isoformat(), d.counts.get("cases", 0)) for d in days] == [("2026-11-03", 0), ("2026-11-04", 1)]
    assert days[1].counts["escalated:escalations"] == 1 and "escalated:technical" not in days[0].counts
    assert days[1].subjects == {"subject:(erased)": 1} and days[0].subjects == {}  # the words are gone


def test_a_lost_race_is_counted_again_from_what_the_winner_wrote():
    counters = FakeReportCounters(lose_races=3)
    pauses: list[int] = []

    count_sources([source(case_versions()[0])], counters, shanghai, pause=pauses.append)

    assert pauses == [0, 1, 2] and report(counters)["cases"] == 1


def test_a_race_lost_every_time_fails_the_batch_so_it_comes_again():
    counters = FakeReportCounters(lose_races=99)
    with pytest.raises(ConcurrentUpdate):
        count_sources([source(case_versions()[0])], counters, shanghai, pause=lambda _: None)
    assert counters.rows == {}


def test_a_recount_corrects_what_a_time_zone_change_moved_and_leaves_the_rest():
    counters = FakeReportCounters()
    latest = case_versions()[3]  # created 23:59:50 in Shanghai on the 3rd: the 3rd in UTC as well
    count_sources([source(latest)], counters, lambda _: CountRules("Asia/Tokyo"))  # counted on the 4th there

    assert count_sources([source(latest)], counters, shanghai) == 0  # the same version: nothing to count
    assert count_sources([source(latest)], counters, shanghai, recount=True) == 1
    assert count_sources([source(latest)], counters, shanghai, recount=True) == 0

    days = {
        d.day.isoformat(): d.counts.get("cases", 0) for d in counters.days("acme", date(2026, 11, 1), date(2026, 12, 1))
    }
    assert days == {"2026-11-03": 1, "2026-11-04": 0}


def test_a_day_tallies_a_bounded_number_of_subjects_and_counts_the_rest_as_other():
    counters = FakeReportCounters()
    cases = [
        Case("acme", f"S{n}", Channel.EMAIL, f"Subject {n}", created_at=CREATED, version=1)
        for n in range(SUBJECT_SLOTS + 2)
    ]
    count_sources([source(c) for c in cases], counters, shanghai)
    again = replace(cases[0], subject="Subject 1", version=2)  # now shares a tallied subject
    count_sources([source(again)], counters, shanghai)

    (day,) = counters.days("acme", date(2026, 11, 3), date(2026, 11, 4))
    assert day.subjects[OTHER_SUBJECTS] == 2 and day.subjects["subject:subject 1"] == 2
    assert "subject:subject 0" not in day.subjects and len(day.subjects) == SUBJECT_SLOTS  # 199 named + other


def test_answers_sent_surveys_and_interceptions_count_once_each_and_per_tenant():
    counters = FakeReportCounters()
    at = CREATED + timedelta(hours=1)
    items = [
        CountedSource(
            "acme", "C1", CountedPart.ANSWER, 1, at=at, score=5, queue="billing", agent_id="li.na", channel="sms"
        ),
        CountedSource("acme", "C2", CountedPart.ANSWER, 1, at=at, score=2, queue="billing", channel="email"),
        CountedSource("acme", "C3", CountedPart.ANSWER, 1, at=at, score=9),  # outside 1..5: not counted
        CountedSource("acme", "C1", CountedPart.SENT, 1, at=at),
        CountedSource("acme", "C2", CountedPart.SENT, 1, at=at),
        CountedSource("acme", "C1", f"{CountedPart.INTERCEPTION}#a1", 1, at=at, agent_id="li.na"),
        CountedSource("globex", "G1", f"{CountedPart.INTERCEPTION}#b2", 1, at=at, agent_id="li.na"),
    ]
    count_sources(items, counters, shanghai)
    count_sources(items, counters, shanghai)  # redelivered

    csat = report(counters)["csat"]
    assert csat["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert csat["by_queue"] == {"billing": {"numerator": 1, "denominator": 2, "rate": 0.5}}
    assert csat["by_agent"] == {"li.na": {"numerator": 1, "denominator": 1, "rate": 1.0}}
    assert csat["by_day"] == {"2026-11-04": {"numerator": 1, "denominator": 2, "rate": 0.5}}  # Shanghai's day
    assert csat["response_rate"] == {"numerator": 2, "denominator": 2, "rate": 1.0}
    assert report(counters)["interceptions_by_agent"] == {"li.na": 1}
    assert report(counters, "globex")["interceptions_by_agent"] == {"li.na": 1}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=12), st.integers(0, 40))
def test_a_months_row_is_the_sum_of_its_days_rows_whatever_the_order(order, answer_days):
    # Given a case's versions in any order (one moves across Shanghai's midnight) and an answer some days later
    versions = case_versions()
    answer = CountedSource("acme", "C1", CountedPart.ANSWER, 1, at=CREATED + timedelta(days=answer_days), score=4)
    counters = FakeReportCounters()

    # When each is counted
    for n in order:
        count_sources([source(versions[n])], counters, shanghai)
    count_sources([answer], counters, shanghai)

    # Then each month's counts are its days' sums, with each day's CSAT answers named for the trend
    for month in ("2026-11", "2026-12"):
        days = [d for d in counters.days("acme", date(2026, 11, 1), date(2027, 1, 1)) if d.day.isoformat()[:7] == month]
        summed: Counter[str] = Counter()
        for day in days:
            summed.update(day.counts)
            if n := sum(day.counts.get(f"csat:{score}", 0) for score in range(1, 6)):
                summed[f"csat_on:{day.day.isoformat()}"] += n
                summed[f"csat45_on:{day.day.isoformat()}"] += day.counts.get("csat:4", 0) + day.counts.get("csat:5", 0)
        subjects: Counter[str] = Counter()
        for day in days:
            subjects.update(day.subjects)
        months = counters.months("acme")
        assert +Counter(months.get(f"{month}#counts", {})) == +summed
        assert +Counter(months.get(f"{month}#subjects", {})) == +subjects


def test_a_months_subjects_name_a_bounded_number_and_their_sum_stays_exact():
    row: dict[str, int] = {}
    for n in range(MONTH_SUBJECT_SLOTS + 3):
        row = merge_counts(row, {f"subject:s{n}": 1}, MONTH_SUBJECT_SLOTS)
    assert len(row) == MONTH_SUBJECT_SLOTS + 1 and row[OTHER_SUBJECTS] == 3

    row = merge_counts(row, {"subject:s0": -1, f"subject:s{MONTH_SUBJECT_SLOTS + 1}": -1}, MONTH_SUBJECT_SLOTS)

    assert "subject:s0" not in row and row[OTHER_SUBJECTS] == 2  # the unnamed one is taken from other
    assert sum(row.values()) == MONTH_SUBJECT_SLOTS + 1 and min(row.values()) > 0
    row = merge_counts(row, {"subject:new": 2}, MONTH_SUBJECT_SLOTS)  # the freed slot takes a new subject
    assert row["subject:new"] == 2


def test_a_case_counted_before_month_rows_existed_joins_its_month_at_the_recount_and_leaves_its_day_as_it_was():
    # Given a case counted into its day only, as before month rows (its record's tally has no "months")
    counters = FakeReportCounters()
    case = case_versions()[3]
    count_sources([source(case)], counters, shanghai)
    record = counters.records[identity(source(case))]
    old = {k: v for k, v in dict(record.tally or {}).items() if k != "months"}
    counters.records[identity(source(case))] = replace(record, tally=old)
    counters.rows = {row: c for row, c in counters.rows.items() if len(row[1]) == 10}
    days_before = {row: dict(c) for row, c in counters.rows.items()}

    # When the rebuild recounts it (twice)
    assert count_sources([source(case)], counters, shanghai, recount=True) == 1
    assert count_sources([source(case)], counters, shanghai, recount=True) == 0

    # Then its day is unchanged and its month holds it
    assert {row: dict(c) for row, c in counters.rows.items() if len(row[1]) == 10} == days_before
    assert counters.months("acme")["2026-11#counts"]["cases"] == 1
    assert sum(counters.months("acme")["2026-11#subjects"].values()) == 1
