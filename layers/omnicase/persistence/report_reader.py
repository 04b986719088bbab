"""Reading for reports: a tenant's cases created in a window (the case-scanning report, kept as the counters' test
oracle) and every item the report counters count (`omnicase report rebuild`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from omnicase.domain.counted_source import CountedPart, CountedSource
from omnicase.domain.model import Case
from omnicase.persistence import keys
from omnicase.persistence.case_reader import CaseFilters
from omnicase.persistence.case_streams import KeyRange, created_cases
from omnicase.persistence.dynamo_models import CaseItem, InterceptionItem, OmnicaseItem
from omnicase.persistence.mapping import case_from_item
from omnicase.persistence.survey_answers import SurveyAnswerItem
from omnicase.persistence.survey_store import SurveySentItem

PAGE_SIZE = 500


def cases_created_between(tenant_id: str, start: datetime, end: datetime) -> Iterator[Case]:
    """Cases created in [start, end), oldest first: gsi1 of every shard, merged, read to the last page.

    gsi1 sorts a tenant's cases by `<created_at iso>#<case id>`, so a BETWEEN on the sort key reads the cases of the
    window only. The bounds are timestamps without offset: "2026-11-08T00:00:00" sorts before every key created at
    that instant ("…:00+00:00#…", "…:00.5+00:00#…") and after every key created before it, so BETWEEN is [start,
    end). Stored times are UTC; the check on created_at below keeps the window exact for anything else.
    """
    span = KeyRange(low=_sort_bound(start), high=_sort_bound(end))
    for _, case in created_cases(tenant_id, span, CaseFilters(), page_size=PAGE_SIZE):
        if case.created_at is not None and start <= case.created_at < end:
            yield case


def counted_sources(tenant_id: str) -> Iterator[CountedSource]:
    """Every item of the tenant the report counters count: cases, survey answers, sent surveys, interceptions."""
    for _, case in created_cases(tenant_id, KeyRange(), CaseFilters(), page_size=PAGE_SIZE):
        yield case_source(case)
    for shard in keys.shards():
        for pk in (
            keys.survey_answers_pk(tenant_id, shard),
            keys.surveys_sent_pk(tenant_id, shard),
            keys.interceptions_pk(tenant_id, shard),
        ):
            for item in OmnicaseItem.query(pk, page_size=PAGE_SIZE):
                if item.tenant_id == tenant_id and (source := _item_source(item)) is not None:
                    yield source


def counted_source_of(image: dict[str, object] | None) -> CountedSource | None:
    """The counted item in a change's NewImage (None: an item the report does not count)."""
    if not image:
        return None
    kind = image.get("item_type", {}).get("S")  # type: ignore[union-attr]
    if kind == "case":
        return case_source(case_from_item(CaseItem.from_raw_data(image)))
    model = {"survey_answer": SurveyAnswerItem, "survey_sent": SurveySentItem, "interception": InterceptionItem}
    return _item_source(model[kind].from_raw_data(image)) if kind in model else None


def case_source(case: Case) -> CountedSource:
    return CountedSource(case.tenant_id, case.case_id, CountedPart.CASE, int(case.version or 0), case=case)


def _item_source(item: OmnicaseItem) -> CountedSource | None:
    # Answers, sent surveys and interceptions are never rewritten (erasure only drops an interception's text).
    if isinstance(item, SurveyAnswerItem):
        return CountedSource(
            item.tenant_id,
            item.case_id,
            CountedPart.ANSWER,
            1,
            at=item.answered_at,
            score=int(item.score),
            queue=item.queue,
            agent_id=item.assignee,
            channel=item.channel,
        )
    if isinstance(item, SurveySentItem):
        return CountedSource(item.tenant_id, item.case_id, CountedPart.SENT, 1, at=item.sent_at)
    if isinstance(item, InterceptionItem):
        nonce = item.sk.rsplit("#", 1)[-1]
        part = f"{CountedPart.INTERCEPTION}#{nonce}"
        return CountedSource(item.tenant_id, item.case_id, part, 1, at=item.at, agent_id=item.agent_id)
    return None


def _sort_bound(at: datetime) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).isoformat()
