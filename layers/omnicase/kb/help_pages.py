"""The help centre's HTML: a tenant's public articles, a search box and one article, rendered safely, no JavaScript.

Markdown is rendered by markdown-it-py with raw HTML off (`<script>` in an article shows as text) and its own link
check (javascript:, vbscript:, file: and data: links are not made links); every other value is escaped.
"""

from __future__ import annotations

from functools import cache
from html import escape
from typing import Any
from urllib.parse import quote

from omnicase.kb.ranking import ArticleRef

TEXTS = {
    "en": {
        "title": "Help centre",
        "search": "Search",
        "placeholder": "Describe your question",
        "results": "Results for “{query}”",
        "none": "No article matches. Try other words, or contact us.",
        "empty": "There are no articles yet.",
        "too_long": "Please search with fewer words (at most {limit} characters).",
        "all": "All articles",
        "back": "← All articles",
        "missing": "This article does not exist or is no longer available.",
    },
    "zh": {
        "title": "帮助中心",
        "search": "搜索",
        "placeholder": "描述您的问题",
        "results": "“{query}”的搜索结果",
        "none": "没有找到相关文章，请换个说法，或联系我们。",
        "empty": "暂时还没有文章。",
        "too_long": "搜索内容太长，请精简到 {limit} 个字符以内。",
        "all": "全部文章",
        "back": "← 全部文章",
        "missing": "文章不存在或已下线。",
    },
}
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.6}"
    "main{max-width:46rem;margin:0 auto;padding:1rem}"
    "input[type=search]{width:70%;padding:.5rem;font-size:1rem}button{padding:.5rem 1rem;font-size:1rem}"
    "li{margin:.3rem 0}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}"
    "code{background:#f2f2f2;padding:0 .2rem}"
)


def language_of(accept_language: str | None, asked: str | None = None) -> str:
    """The page's language: ?lang= when valid, else the browser's (zh for any zh-*), else en."""
    if asked in TEXTS:
        return asked
    return "zh" if (accept_language or "").strip().lower().startswith("zh") else "en"


def index_page(tenant_id: str, lang: str, articles: list[ArticleRef], query: str = "", note: str | None = None) -> str:
    """The list (or search results) of public articles in `lang`, with the search box."""
    text = TEXTS[lang]
    base = f"/help/{quote(tenant_id)}"
    form = (
        f'<form method="get" action="{base}" role="search"><input type="hidden" name="lang" value="{lang}">'
        f'<input type="search" name="q" value="{escape(query)}" aria-label="{text["placeholder"]}" '
        f'placeholder="{text["placeholder"]}" maxlength="2000"><button type="submit">{text["search"]}</button></form>'
    )
    if note == "too-long":
        listing = f"<p>{escape(text['too_long'].format(limit=2000))}</p>"
    elif not articles:
        listing = f"<p>{text['none'] if query else text['empty']}</p>"
    else:
        items = "".join(
            f'<li><a href="{base}/{quote(a.article_id)}?lang={lang}">{escape(a.title)}</a></li>' for a in articles
        )
        listing = f"<ul>{items}</ul>"
    heading = escape(text["results"].format(query=query)) if query else text["all"]
    back = f'<p><a href="{base}?lang={lang}">{text["back"]}</a></p>' if query else ""
    body = f"<h1>{text['title']}</h1>{form}<h2>{heading}</h2>{listing}{back}"
    return _document(lang, text["title"], body)


def article_page(tenant_id: str, lang: str, title: str, markdown: str) -> str:
    back = f'<p><a href="/help/{quote(tenant_id)}?lang={lang}">{TEXTS[lang]["back"]}</a></p>'
    return _document(lang, title, f"{back}<article><h1>{escape(title)}</h1>{render_markdown(markdown)}</article>")


def missing_page(tenant_id: str, lang: str) -> str:
    text = TEXTS[lang]
    return _document(lang, text["title"], f"<h1>{text['title']}</h1><p>{text['missing']}</p>")


def render_markdown(markdown: str) -> str:
    """Markdown → HTML with raw HTML escaped, unsafe link schemes refused, tables on."""
    return _renderer().render(markdown)


@cache
def _renderer() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def html_document(lang: str, title: str, body: str, *, index: bool = True) -> str:
    """A whole page in the help centre's style; `index=False` keeps it out of search engines (token pages)."""
    return _document(lang, title, body, index=index)


def _document(lang: str, title: str, body: str, *, index: bool = True) -> str:
    robots = "" if index else '<meta name="robots" content="noindex">'
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{robots}'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
