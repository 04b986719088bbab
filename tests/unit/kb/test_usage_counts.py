"""The knowledge base's figures in the daily counters: what a case adds, and the report summed back from days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from omnicase.domain.counted_source import DayCounts
from omnicase.domain.model import Case, CaseStatus, Channel
from omnicase.kb.usage_counts import kb_report_from_days
from omnicase.reports.day_counts import case_tally

CREATED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def a_case(**service: object) -> Case:
    case = Case("acme", "C000000001", Channel.SMS, "x", status=CaseStatus.SOLVED, queue="general", created_at=CREATED)
    for name, value in service.items():
        setattr(case.service, name, value)
    return case


def test_a_self_served_case_counts_its_article_and_no_breach():
    tally = case_tally(
        a_case(suggested_articles=("a", "b"), self_served="article:a", breached=("first_response",)), "UTC"
    )
    assert tally is not None
    assert (
        tally.counts["kb_suggested"] == 1 and tally.counts["kb_self_served"] == 1 and tally.counts["kb_answered:a"] == 1
    )
    assert "breached:general" not in tally.counts
    breached = case_tally(a_case(breached=("first_response",)), "UTC")
    assert breached is not None and breached.counts["breached:general"] == 1 and "kb_suggested" not in breached.counts


def test_uses_are_counted_per_reply_and_ranked_in_the_report():
    one = case_tally(a_case(kb_uses=("canned:greet", "canned:greet", "article:en-refund-status")), "UTC")
    two = case_tally(a_case(suggested_articles=("a",), self_served="reply", kb_uses=("canned:refund",)), "UTC")
    three = case_tally(a_case(suggested_articles=("a",)), "UTC")
    assert one and two and three
    days = [DayCounts(date(2026, 3, 2), dict(one.counts)), DayCounts(date(2026, 3, 3), dict(two.counts))]
    days.append(DayCounts(date(2026, 3, 4), dict(three.counts)))
    report = kb_report_from_days(days).to_dict()
    assert report["self_service"] == {"rate": 0.5, "self_served": 1, "suggested": 2, "by_reply": 1}
    assert report["canned_replies"] == [
        {"canned_reply_id": "greet", "uses": 2},
        {"canned_reply_id": "refund", "uses": 1},
    ]
    assert report["article_links"] == [{"article_id": "en-refund-status", "uses": 1}]
    assert kb_report_from_days([]).to_dict()["self_service"]["rate"] is None
