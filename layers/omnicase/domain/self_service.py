"""Self-service: the articles an acknowledgement offers, and the customer solving their own case with one; pure.

A case the customer solves (a "this answered my question" link, or a reply such as "solved" / 已解决 on a channel
answered by reply) is solved as self-served: its clocks stop like any solve, the report does not count it as a
breach, no survey follows unless `kb.survey_self_served`, and an event names the article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.case_timers import FINISHED
from omnicase.domain.channel_traits import ChannelTraits, TextShape
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.serve_case import serve_status_change
from omnicase.domain.tenant_config import KbPolicy, TenantConfig

SELF_SERVED_ACTOR = "customer"
VIA_REPLY = "reply"
# Whole replies, after folding width and case and dropping punctuation, spaces and a closing thanks: "Solved!",
# "已解决，谢谢" match; "not solved" or "已解决了吗" do not (a question, or more than the words).
SOLVED_REPLIES = frozenset(
    (
        "solved", "resolved", "itssolved", "problemsolved", "allsolved", "solvedthanks", "solvedthankyou",
        "已解决", "解决了", "已经解决", "已经解决了", "问题解决了", "问题已解决", "搞定了", "好了解决了",
    )
)  # fmt: skip
_NOISE = re.compile(r"[\W_]+")
_THANKS = re.compile(r"(thanks|thankyou|thx|谢谢|谢谢你|谢谢您|多谢)+$")


@dataclass(frozen=True)
class SuggestedArticle:
    """A public article offered to the customer, with where to read it and the link that says it answered them."""

    article_id: str
    title: str
    url: str
    short_url: str
    answered_url: str | None = None  # signed, single use; None where the link would cost more than it helps


class ArticleSuggester(Protocol):
    def suggest(self, case: Case, text: str, policy: KbPolicy) -> Sequence[SuggestedArticle]:
        """The tenant's public articles relevant to `text` (at most policy.acknowledgement_articles); never raises."""
        ...


_LINES = {
    "en": {
        "mail": "These articles may answer your question right away:",
        "answered": "This answered my question",
        "short": "Help:",
        "reply": 'Reply "solved" if one answers your question.',
    },
    "zh": {
        "mail": "以下文章或许能立即解答您的问题：",
        "answered": "已解决我的问题",
        "short": "自助解答：",
        "reply": "如已解决，请回复“已解决”。",
    },
}


def suggestions_block(articles: Sequence[SuggestedArticle], language: str, traits: ChannelTraits) -> str:
    """What the acknowledgement adds: each article with its link (short on channels where links cost) and, on
    channels with room, its "this answered my question" link; channels answered by reply say the word to send."""
    if not articles:
        return ""
    text = _LINES["zh" if language == "zh" else "en"]
    reply_hint = f" {text['reply']}" if traits.answers_by_reply else ""
    if traits.short_links:
        return f"{text['short']} " + " ".join(a.short_url for a in articles) + reply_hint
    lines = []
    for article in articles:
        lines.append(f"- {article.title}: {article.url}")
        if article.answered_url:
            lines.append(f"  {text['answered']}: {article.answered_url}")
    block = "\n".join(lines)
    if traits.text_shape == TextShape.MAIL:
        return f"{text['mail']}\n\n{block}\n"
    return f"{text['mail']}\n{block}" + (f"\n{text['reply'].strip()}" if traits.answers_by_reply else "")


def is_solved_reply(text: str) -> bool:
    """Whether a customer's whole reply says their problem is solved (a short exact list, not any mention)."""
    folded = _NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())
    if len(folded) > 24:
        return False
    return folded in SOLVED_REPLIES or _THANKS.sub("", folded) in SOLVED_REPLIES


def may_self_serve(case: Case) -> bool:
    """A case can be solved by its customer when we offered articles and no agent has answered yet."""
    return bool(case.service.suggested_articles) and case.service.first_response_at is None


def solve_self_served(case: Case, config: TenantConfig, how: str, now: datetime, log: CaseEventLog) -> bool:
    """Solve the case as self-served (`how`: "article:<id>" or "reply"); False, changing nothing, when the case
    is solved or closed already or was self-served before."""
    if case.status in FINISHED or case.service.self_served:
        return False
    case.service.self_served = how
    article = how.removeprefix("article:") if how.startswith("article:") else None
    offered = list(case.service.suggested_articles)
    reason = f"the customer says article {article} answered them" if article else "the customer replied it is solved"
    log.add("self_served", reason, actor=SELF_SERVED_ACTOR, article_id=article, offered=offered, via=how)
    serve_status_change(case, config, CaseStatus.SOLVED, SELF_SERVED_ACTOR, now, log, "self-served")
    case.updated_at = now
    return True
