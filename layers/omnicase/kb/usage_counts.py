"""The knowledge base's report: self-service and what agents insert, as figures of the daily report counters; pure.

A case adds, on the day it was created (like every case figure of reports/day_counts.py): kb_suggested when its
acknowledgement offered articles, kb_self_served when the customer solved it (kb_answered:<article> for a link,
kb_self_served_reply for a "solved" reply), and one kb_canned:<id> / kb_article:<id> per reply that inserted that
canned reply or article link. Derived from the case as it is, so a redelivered or reordered change counts once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from omnicase.domain.counted_source import DayCounts
from omnicase.domain.model import Case

TOP = 10


def case_kb_counts(case: Case) -> Counter[str]:
    """What one case adds to the knowledge-base figures of its day."""
    service = case.service
    counts: Counter[str] = Counter()
    counts["kb_suggested"] += bool(service.suggested_articles)
    if service.self_served:
        counts["kb_self_served"] += 1
        article = service.self_served.removeprefix("article:")
        if article != service.self_served:
            counts[f"kb_answered:{article}"] += 1
        else:
            counts["kb_self_served_reply"] += 1
    for use in service.kb_uses:
        kind, _, name = use.partition(":")
        if kind in ("canned", "article") and name:
            counts[f"kb_{kind}:{name}"] += 1
    return counts


@dataclass(frozen=True)
class KbReport:
    """Self-service rate (numerator, denominator) and rankings by use, over whole local days."""

    self_served: int  # cases the customer solved with an offered article
    suggested: int  # cases whose acknowledgement offered articles
    self_served_by_reply: int
    solved_by_article: list[tuple[str, int]]  # the articles whose link solved most, most first
    canned_replies: list[tuple[str, int]]  # canned replies by use in replies, most first
    article_links: list[tuple[str, int]]  # articles agents linked in replies, most first

    @property
    def self_service_rate(self) -> float | None:
        return round(self.self_served / self.suggested, 4) if self.suggested else None

    def to_dict(self) -> dict[str, object]:
        return {
            "self_service": {
                "rate": self.self_service_rate,
                "self_served": self.self_served,
                "suggested": self.suggested,
                "by_reply": self.self_served_by_reply,
            },
            "solved_by_article": [{"article_id": a, "cases": n} for a, n in self.solved_by_article],
            "canned_replies": [{"canned_reply_id": c, "uses": n} for c, n in self.canned_replies],
            "article_links": [{"article_id": a, "uses": n} for a, n in self.article_links],
        }


def kb_report_from_days(days: Iterable[DayCounts]) -> KbReport:
    total: Counter[str] = Counter()
    for day in days:
        total.update(day.counts)
    return KbReport(
        self_served=total["kb_self_served"],
        suggested=total["kb_suggested"],
        self_served_by_reply=total["kb_self_served_reply"],
        solved_by_article=_ranked(total, "kb_answered"),
        canned_replies=_ranked(total, "kb_canned"),
        article_links=_ranked(total, "kb_article"),
    )


def _ranked(total: Mapping[str, int], figure: str) -> list[tuple[str, int]]:
    prefix = f"{figure}:"
    found = [(name[len(prefix) :], n) for name, n in total.items() if name.startswith(prefix) and n > 0]
    return sorted(found, key=lambda item: (-item[1], item[0]))[:TOP]
