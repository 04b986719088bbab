"""Report: GET /reports/sla over a year for a tenant of 1,000 cases and one of 200,000, on moto in one run.

The report reads the tenant's counters, not its cases, so its time must not grow with the cases: for a year 12
months' rows (two each: counts, subjects), each with its counters packed in one attribute
(persistence/report_counters.py). The small
tenant is counted by the consumer's own path (count_sources through DynamoReportCounters: a record per item, the
rows added to). Counting 200,000 items that way takes long on moto, so the big tenant's rows are written straight
through the same persistence (DynamoReportCounters.write, each day's sums); a check tenant seeded that way with
the small tenant's very items must end with exactly the small tenant's rows, so the seeded shape is the consumer's.
Each tenant's items: cases over the year (chat, email, SMS, WeChat; answered or not; tags, breaches, escalations,
subjects in English and Chinese), survey answers and sent surveys for a fifth of them, interceptions.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"small": 1_000, "mid": 20_000, "big": 200_000}
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW = {"from": "2026-01-01", "to": "2027-01-01"}
ROLLING = {"from": "2026-01-16", "to": "2027-01-16"}  # 365 days not on month edges: 11 months and 16 days' rows
SUBJECTS = [f"Order {n} not delivered" for n in range(25)] + [f"订单 {n} 未送达" for n in range(25)]
QUEUES = ("general", "billing", "technical", "escalations")
AGENTS = tuple(f"agent.{n}" for n in range(30))
TAGS = ("billing", "outage", "vip", "callback", "key-complaint", "after-hours")


def items(tenant: str, count: int, seed: int = 14) -> list[Any]:
    """The tenant's counted items: `count` cases and, for a fifth of them, a sent survey and its answer."""
    from omnicase.domain.counted_source import CountedPart, CountedSource
    from omnicase.domain.model import Case, CaseService, Channel

    pick = random.Random(seed)
    found: list[Any] = []
    for n in range(count):
        created = YEAR_START + timedelta(seconds=pick.randrange(365 * 86_400))
        answered = (
            created + timedelta(seconds=pick.choice((5, 40, 600, 3_600, 90_000))) if pick.random() < 0.9 else None
        )
        service = CaseService(
            tags=tuple(pick.sample(TAGS, pick.randrange(3))),
            first_response_at=answered,
            breached=("first_response",) if pick.random() < 0.1 else (),
            escalation_level=pick.choice((0, 0, 0, 1, 2)),
        )
        channel = pick.choice((Channel.EMAIL, Channel.SMS, Channel.CHAT, Channel.WECHAT))
        subject, queue = pick.choice(SUBJECTS), pick.choice(QUEUES)
        case = Case(tenant, f"C{n:07d}", channel, subject, queue=queue, created_at=created, service=service, version=3)
        found.append(CountedSource(tenant, case.case_id, CountedPart.CASE, 3, case=case))
        if n % 5 == 0:
            answered_at = created + timedelta(days=2)
            agent, queue = pick.choice(AGENTS), case.queue
            found.append(CountedSource(tenant, case.case_id, CountedPart.SENT, 1, at=answered_at))
            found.append(
                CountedSource(
                    tenant,
                    case.case_id,
                    CountedPart.ANSWER,
                    1,
                    at=answered_at + timedelta(hours=1),
                    score=pick.randint(1, 5),
                    queue=queue,
                    agent_id=agent,
                    channel=channel.value,
                )
            )
        if n % 50 == 0:
            part = f"{CountedPart.INTERCEPTION}#{n}"
            found.append(CountedSource(tenant, case.case_id, part, 1, at=created, agent_id=pick.choice(AGENTS)))
    return found


def seed_rows(sources: list[Any], zone: str) -> int:
    """Write the items' day sums straight into the counter rows (no records): how many rows."""
    from omnicase.persistence.report_counters import DynamoReportCounters
    from omnicase.reports.day_counts import tally_change, tally_of

    rows: dict[tuple[str, str, str], Counter[str]] = {}
    for source in sources:
        for (day, row), counts in tally_change(None, tally_of(source, zone)).items():
            rows.setdefault((source.tenant_id, day, row), Counter()).update(counts)
    keys = sorted(rows)
    counters = DynamoReportCounters()
    for start in range(0, len(keys), 100):  # a transaction takes 100 items
        counters.write([], {key: dict(rows[key]) for key in keys[start : start + 100]})
    return len(keys)


def measure(runs: int = 9) -> dict[str, Any]:
    from moto import mock_aws

    from omnicase.console_api.sla_report_view import load_sla_report
    from omnicase.persistence.report_counters import DynamoReportCounters
    from omnicase.reports.count_changes import count_sources
    from omnicase.reports.count_rules import CountRules
    from omnicase.wiring import rebind
    from omnicase_local.moto_patches import apply_moto_patches
    from omnicase_local.runtime import FAKE_AWS_ENV, MOTO_CONFIG
    from omnicase_local.stack import deploy_stack

    for name, value in FAKE_AWS_ENV.items():
        os.environ.setdefault(name, value)
    apply_moto_patches()
    with mock_aws(config=MOTO_CONFIG):
        deployed = deploy_stack(ROOT / "template.yaml")
        deployed.export_environment()
        rebind()
        zone = "UTC"  # tenants without a configuration: the default time zone
        counters = DynamoReportCounters()
        started = time.perf_counter()
        small = items("small", SIZES["small"])
        count_sources(small, counters, lambda _: CountRules(zone))
        counted_s = time.perf_counter() - started
        seed_rows(items("check", SIZES["small"]), zone)
        shape_matches = all(_rows("check", read) == _rows("small", read) for read in (False, True))  # days, months
        started = time.perf_counter()
        seed_rows(items("mid", SIZES["mid"]), zone)
        seed_rows(items("big", SIZES["big"]), zone)
        seeded_s = time.perf_counter() - started

        def timed(tenant: str, window: dict[str, str] = WINDOW) -> tuple[list[float], int]:
            times, cases = [], 0
            for _ in range(runs):
                began = time.perf_counter()
                cases = load_sla_report(tenant, window).cases
                times.append((time.perf_counter() - began) * 1000)
            return times, cases

        figures: dict[str, Any] = {}
        for name in SIZES:
            times, cases = timed(name)
            rows = _rows(name, read=True)
            figures[name] = {
                "cases": cases,
                "median_ms": round(statistics.median(times), 1),
                "min_ms": round(min(times), 1),
                "rolling_median_ms": round(statistics.median(timed(name, ROLLING)[0]), 1),
                "rows": sum(bool(counts) + bool(subjects) for _, counts, subjects in rows),
                "counters_read": sum(len(counts) + len(subjects) for _, counts, subjects in rows),
                "kb_read": round(sum(len(json.dumps(c)) + len(json.dumps(s)) for _, c, s in rows) / 1024, 1),
            }
    return {
        "window_days": 365,
        "runs": runs,
        **figures,
        "ratio_big_to_small": round(figures["big"]["median_ms"] / figures["small"]["median_ms"], 2),
        "ratio_big_to_mid": round(figures["big"]["median_ms"] / figures["mid"]["median_ms"], 2),
        "seeded_shape_matches_consumer": shape_matches,
        "small_counted_by_consumer_s": round(counted_s, 1),
        "big_seeded_s": round(seeded_s, 1),
    }


def _rows(tenant: str, read: bool = False) -> list[Any]:
    """The tenant's day rows over the year (`read`: the rows the report reads), as (day, counts, subjects)."""
    from omnicase.persistence.report_counters import DynamoReportCounters

    counters = DynamoReportCounters()
    days = (counters.periods if read else counters.days)(tenant, date(2026, 1, 1), date(2027, 1, 1))
    return [(d.day, {k: v for k, v in d.counts.items() if v}, {k: v for k, v in d.subjects.items() if v}) for d in days]


def print_report(figures: dict[str, Any]) -> None:
    print("report: GET /reports/sla over 365 days, from the report counters (moto, same run)")
    for name in SIZES:
        f = figures[name]
        print(
            f"  {f['cases']:>8,} cases   {f['median_ms']:7.1f} ms median of {figures['runs']} (min {f['min_ms']:.1f})"
            f"   {f['rows']} rows read, {f['counters_read']:,} counters in ~{f['kb_read']:,} KB"
        )
    rolling = "   ".join(f"{figures[name]['rolling_median_ms']:.1f} ms" for name in SIZES)
    print(f"  365 days from {ROLLING['from']} (16 days' rows + 11 months'): {rolling}")
    print(f"  200k / 20k: x{figures['ratio_big_to_mid']:.2f}   200k / 1k: x{figures['ratio_big_to_small']:.2f} (time)")
    print(f"  seeded rows = the consumer's rows for the same items: {figures['seeded_shape_matches_consumer']}")
