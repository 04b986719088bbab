"""Articles are read strictly: a bad file names its line, an oversized one is refused, nothing half-parsed."""

from __future__ import annotations

import pytest

from omnicase.kb.article import MAX_ARTICLE_BYTES, ArticleProblem, parse_article
from omnicase.kb.sync_plan import ArticleDirProblems, plan_sync, read_article_dir

GOOD = """---
title: 退款政策
language: zh
tags: [退款, refund]
product: 账单
---

签收后 15 天内可以申请退款。
"""


def test_a_good_article_keeps_every_field():
    article = parse_article("a.md", GOOD, default_id="zh-refund")
    assert (article.article_id, article.title, article.language) == ("zh-refund", "退款政策", "zh")
    assert article.tags == ("退款", "refund") and article.product == "账单" and article.public
    assert article.body == "签收后 15 天内可以申请退款。"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("title: x\n", 1, "front matter starting"),
        ("---\ntitle: x\nlanguage: en\n", 1, "not closed"),
        ("---\ntitle: x\nlanguage: fr\n---\nbody\n", 3, "'fr' is not one of en, zh"),
        ("---\ntitle: x\nlanguage: en\nauthor: me\n---\nbody\n", 4, "unknown field 'author'"),
        ("---\ntitle: x\nlanguage: en\ntags: [a, b\n---\nbody\n", 4, "close with ']'"),
        ("---\nlanguage: en\n---\nbody\n", 1, "title: required"),
        ("---\ntitle: x\nlanguage: en\nvisibility: secret\n---\nbody\n", 4, "visibility"),
        ("---\ntitle: x\nlanguage: en\n---\n\n", 4, "no text"),
    ],
)
def test_a_bad_article_is_reported_as_file_line_problem(text, line, words):
    with pytest.raises(ArticleProblem) as raised:
        parse_article("kb/x.md", text, default_id="x")
    assert str(raised.value).startswith(f"kb/x.md:{line}: ")
    assert words in str(raised.value)


def test_an_oversized_article_is_refused_not_truncated():
    text = GOOD + "很长的正文。" * (MAX_ARTICLE_BYTES // 10)
    with pytest.raises(ArticleProblem) as raised:
        parse_article("big.md", text, default_id="big")
    assert raised.value.reason == "too-large" and "64 KiB" in str(raised.value)


def test_a_directory_with_one_bad_file_reports_every_problem_and_returns_nothing(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: x\nlanguage: de\n---\nbody\n", encoding="utf-8")
    (tmp_path / "latin1.md").write_bytes(GOOD.encode() + "\ncafé\n".encode("latin-1"))
    with pytest.raises(ArticleDirProblems) as raised:
        read_article_dir(tmp_path)
    assert str(raised.value).splitlines() == [
        f"{tmp_path / 'bad.md'}:3: language: 'de' is not one of en, zh",
        f"{tmp_path / 'latin1.md'}:10: is not UTF-8 text",
    ]


def test_the_sync_plan_adds_updates_removes_and_leaves_the_rest():
    first = parse_article("a.md", GOOD, default_id="a")
    second = parse_article("b.md", GOOD.replace("15 天", "30 天"), default_id="b")
    stored = {"a": first.digest(), "b": "old", "c": "gone"}
    plan = plan_sync([first, second, parse_article("d.md", GOOD, default_id="d")], stored)
    assert [a.article_id for a in plan.add] == ["d"]
    assert [a.article_id for a in plan.update] == ["b"]
    assert plan.remove == ["c"] and plan.unchanged == 1
