"""`omnicase kb sync DIR`: read a directory of articles and plan the changes against what is stored.

Every file is read and checked before anything is written: one bad file means no change at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from omnicase.kb.article import Article, ArticleProblem, parse_article

MAX_ARTICLES = 5_000  # one sync; the index stays small enough to load in a Lambda (docs/knowledge-base.md)


class ArticleDirProblems(ValueError):
    """Every problem found in the directory, one `file:line: problem` per line."""

    def __init__(self, problems: list[ArticleProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SyncPlan:
    """What a sync changes: article ids added, updated and removed (unchanged ones are left alone)."""

    add: list[Article] = field(default_factory=list)
    update: list[Article] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changes(self) -> bool:
        return bool(self.add or self.update or self.remove)


def read_article_dir(directory: Path) -> list[Article]:
    """The `*.md` articles of `directory` (id: the front matter's, else the file name); raises ArticleDirProblems."""
    if not directory.is_dir():
        raise ArticleDirProblems([ArticleProblem(str(directory), 0, "is not a directory")])
    articles: list[Article] = []
    problems: list[ArticleProblem] = []
    seen: dict[str, str] = {}
    files = sorted(directory.glob("*.md"))
    if len(files) > MAX_ARTICLES:
        raise ArticleDirProblems([ArticleProblem(str(directory), 0, f"more than {MAX_ARTICLES} articles")])
    for path in files:
        try:
            article = parse_article(str(path), _read(path), default_id=path.stem)
        except ArticleProblem as problem:
            problems.append(problem)
            continue
        if article.article_id in seen:
            problems.append(
                ArticleProblem(str(path), 1, f"id {article.article_id!r} is also {seen[article.article_id]}")
            )
            continue
        seen[article.article_id] = str(path)
        articles.append(article)
    if problems:
        raise ArticleDirProblems(problems)
    return articles


def plan_sync(articles: list[Article], stored_digests: Mapping[str, str]) -> SyncPlan:
    """The changes that make the stored articles (id → digest) equal `articles`."""
    wanted = {article.article_id: article for article in articles}
    add = [a for i, a in sorted(wanted.items()) if i not in stored_digests]
    update = [a for i, a in sorted(wanted.items()) if i in stored_digests and stored_digests[i] != a.digest()]
    remove = sorted(set(stored_digests) - set(wanted))
    return SyncPlan(add, update, remove, len(wanted) - len(add) - len(update))


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArticleProblem(str(path), line, "is not UTF-8 text") from None
