"""An article: Markdown with a small front matter, parsed strictly so a bad file names its line."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_ARTICLE_BYTES = 64 * 1024  # a help article, not a manual: larger ones are refused, not truncated
MAX_TITLE_CHARS = 200
MAX_TAGS = 20
LANGUAGES = ("en", "zh")
VISIBILITIES = ("public", "internal")
ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_FIELDS = ("id", "title", "language", "tags", "product", "visibility")


@dataclass(frozen=True)
class Article:
    """One article as the tenant wrote it (the body is Markdown)."""

    article_id: str
    title: str
    language: str
    body: str
    tags: tuple[str, ...] = ()
    product: str | None = None
    visibility: str = "public"

    @property
    def public(self) -> bool:
        return self.visibility == "public"

    def digest(self) -> str:
        """A fingerprint of the content: sync leaves an article with the same digest untouched."""
        parts = (self.title, self.language, ",".join(self.tags), self.product or "", self.visibility, self.body)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass
class ArticleProblem(ValueError):
    """What is wrong with an article and where: `file:line: problem`."""

    source: str
    line: int
    problem: str
    reason: str = field(default="malformed")

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.problem}" if self.source else self.problem


def parse_article(source: str, text: str, *, default_id: str | None = None) -> Article:
    """The article in `text` (front matter between `---` lines, then Markdown); raises ArticleProblem."""
    if len(text.encode()) > MAX_ARTICLE_BYTES:
        raise ArticleProblem(source, 1, f"article is larger than {MAX_ARTICLE_BYTES // 1024} KiB", "too-large")
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ArticleProblem(source, 1, "expected front matter starting with '---'")
    try:
        end = next(n for n in range(1, len(lines)) if lines[n].strip() == "---")
    except StopIteration:
        raise ArticleProblem(source, 1, "front matter is not closed by a '---' line") from None
    values = _front_matter(source, lines[1:end])
    body = "\n".join(lines[end + 1 :]).strip()
    return build_article(source, values, body, default_id=default_id, line_of=_line_finder(lines, end))


def build_article(
    source: str,
    values: dict[str, object],
    body: str,
    *,
    default_id: str | None = None,
    line_of: Callable[[str], int] | None = None,
) -> Article:
    """Check and assemble an article from its fields (front matter or an API body)."""

    def line(name: str) -> int:
        return line_of(name) if line_of else 1

    def problem(name: str, text: str) -> ArticleProblem:
        return ArticleProblem(source, line(name), f"{name}: {text}")

    article_id = str(values.get("id") or default_id or "").strip().lower()
    if not ARTICLE_ID.match(article_id):
        raise problem("id", f"{article_id!r} is not an article id (a-z, 0-9 and '-', at most 64)")
    title = str(values.get("title") or "").strip()
    if not title or len(title) > MAX_TITLE_CHARS:
        raise problem("title", f"required, at most {MAX_TITLE_CHARS} characters")
    language = str(values.get("language") or "").strip()
    if language not in LANGUAGES:
        raise problem("language", f"{language!r} is not one of {', '.join(LANGUAGES)}")
    visibility = str(values.get("visibility") or "public").strip()
    if visibility not in VISIBILITIES:
        raise problem("visibility", f"{visibility!r} is not one of {', '.join(VISIBILITIES)}")
    tags = values.get("tags") or []
    if not isinstance(tags, list | tuple) or len(tags) > MAX_TAGS or not all(isinstance(t, str) and t for t in tags):
        raise problem("tags", f"a list of at most {MAX_TAGS} words, e.g. [refund, 退款]")
    if not body.strip():
        raise ArticleProblem(source, line("body"), "the article has no text after its front matter")
    if len(body.encode()) > MAX_ARTICLE_BYTES:
        raise ArticleProblem(source, 1, f"article is larger than {MAX_ARTICLE_BYTES // 1024} KiB", "too-large")
    product = str(values.get("product") or "").strip() or None
    return Article(article_id, title, language, body.strip(), tuple(t.strip() for t in tags), product, visibility)


def _front_matter(source: str, lines: list[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for number, raw in enumerate(lines, start=2):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        name, colon, value = raw.partition(":")
        name = name.strip()
        if not colon:
            raise ArticleProblem(source, number, f"expected 'name: value', got {raw.strip()[:40]!r}")
        if name not in _FIELDS:
            raise ArticleProblem(source, number, f"unknown field {name!r} (known: {', '.join(_FIELDS)})")
        if name in values:
            raise ArticleProblem(source, number, f"{name} is given twice")
        values[name] = _value(source, number, value.strip())
    return values


def _value(source: str, number: int, text: str) -> object:
    if text.startswith("["):
        if not text.endswith("]"):
            raise ArticleProblem(source, number, "a list must close with ']' on the same line")
        return [_unquote(item) for item in text[1:-1].split(",") if item.strip()]
    return _unquote(text)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _line_finder(lines: list[str], end: int) -> Callable[[str], int]:
    def line_of(name: str) -> int:
        if name == "body":
            return end + 1
        for number in range(1, end):
            if lines[number].partition(":")[0].strip() == name:
                return number + 1
        return 1

    return line_of
