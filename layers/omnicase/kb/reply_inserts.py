"""What an agent inserts in a reply — a canned reply, links to public articles — filled for the case and recorded.

`POST /cases/{id}/replies {"canned_reply_id": …, "article_ids": […], "body"?: …}`: without a body the canned
reply's text in the case's language is sent; with one, the agent's edit of it is. Either way the placeholders are
filled here, the article links appended (short links where the channel's traits ask for them), and the whole text
goes through the quality check like any reply. Each use is an event on the case and one entry of
`service.kb_uses`, which the daily counters rank (kb/usage_counts.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from omnicase.domain.acknowledgement import customer_values
from omnicase.domain.canned_replies import CannedReply, fill_placeholders, find_canned_reply
from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.channel_traits import traits_of
from omnicase.domain.errors import NotFound
from omnicase.domain.model import Case, Direction, Message, Tenant
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.work_case import CaseUpdate, update_case
from omnicase.kb import links

MAX_ARTICLE_LINKS = 5
MAX_KB_USES = 500  # entries kept on one case; later uses still send, they are not counted again


@dataclass(frozen=True)
class LinkedArticle:
    article_id: str
    title: str
    language: str


@dataclass(frozen=True)
class ReplyInserts:
    canned: CannedReply | None = None
    articles: tuple[LinkedArticle, ...] = ()

    def __bool__(self) -> bool:
        return self.canned is not None or bool(self.articles)


def read_inserts(body: Mapping[str, Any], config: TenantConfig, knowledge_base: Any, tenant_id: str) -> ReplyInserts:
    """The canned reply and articles a reply body names; ValueError for unknown, internal or malformed ones."""
    canned_id, article_ids = body.get("canned_reply_id"), body.get("article_ids", [])
    if canned_id is not None and not isinstance(canned_id, str):
        raise ValueError("canned_reply_id: the id of one of the tenant's canned replies")
    if not isinstance(article_ids, list) or not all(isinstance(a, str) for a in article_ids):
        raise ValueError("article_ids: a list of article ids")
    if len(article_ids) > MAX_ARTICLE_LINKS:
        raise ValueError(f"article_ids: at most {MAX_ARTICLE_LINKS} articles in one reply")
    canned = find_canned_reply(config.canned_replies, canned_id) if canned_id else None
    articles = []
    for article_id in dict.fromkeys(a.strip().lower() for a in article_ids):
        try:
            article = knowledge_base.get(tenant_id, article_id).article
        except NotFound:
            raise ValueError(f"article_ids: no article {article_id!r}") from None
        if not article.public:
            raise ValueError(f"article_ids: {article_id} is internal; customers cannot open it")
        articles.append(LinkedArticle(article.article_id, article.title, article.language))
    return ReplyInserts(canned, tuple(articles))


def compose_reply(
    inserts: ReplyInserts,
    draft: str | None,
    case: Case,
    thread: list[Message],
    tenant: Tenant,
    config: TenantConfig,
    agent_id: str,
    base_url: str | None,
) -> str:
    """The text to send: the draft (or the canned reply's text) with placeholders filled, then the article links."""
    language = case.service.language or "en"
    text = draft if draft is not None else (inserts.canned.text_for(language) if inserts.canned else "") or ""
    values = customer_values(case, tenant, _customer_name(thread), config)
    agent = config.agents.get(agent_id)
    values["agent"] = agent.name if agent else agent_id
    text = fill_placeholders(text, values)
    if inserts.articles:
        if not base_url:
            raise ValueError("article links need the public URL (PUBLIC_BASE_URL / API_BASE_URL is not set)")
        short = traits_of(case.channel).short_links
        lines = [
            links.short_url(base_url, case.tenant_id, a.article_id)
            if short
            else f"{a.title}: {links.article_url(base_url, case.tenant_id, a.article_id, a.language)}"
            for a in inserts.articles
        ]
        text = f"{text}\n\n" + "\n".join(lines) if text else "\n".join(lines)
    return text.strip()


def record_inserts(
    case: Case, inserts: ReplyInserts, config: TenantConfig, actor: str, now: datetime
) -> list[CaseEvent]:
    """The canned reply's changes (status, priority, tags added) and an event naming what was inserted."""
    log = CaseEventLog(case.tenant_id, case.case_id, now)
    uses = []
    events: list[CaseEvent] = []
    if inserts.canned is not None:
        canned = inserts.canned
        log.add("canned_reply_used", canned.title, actor=actor, canned_reply_id=canned.reply_id)
        uses.append(f"canned:{canned.reply_id}")
        tags = tuple(dict.fromkeys((*case.service.tags, *canned.tags))) if canned.tags else None
        update = CaseUpdate(
            status=canned.status, priority=canned.priority, tags=tags, reason=f"canned reply {canned.reply_id}"
        )
        events += update_case(case, update, config, actor, now)
    for article in inserts.articles:
        log.add("article_linked", article.title, actor=actor, article_id=article.article_id)
        uses.append(f"article:{article.article_id}")
    room = max(0, MAX_KB_USES - len(case.service.kb_uses))
    case.service.kb_uses = (*case.service.kb_uses, *uses[:room])
    return log.events + events


def _customer_name(thread: list[Message]) -> str | None:
    inbound = [m for m in thread if m.direction == Direction.INBOUND and m.sender_name]
    return inbound[-1].sender_name if inbound else None
