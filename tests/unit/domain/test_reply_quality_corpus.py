"""The quality check measured on its corpora (tests/fixtures/quality): ordinary support replies in English and Chinese
must all pass the demo tenant's starter list, and every disguise of a listed phrase must be blocked and marked."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from omnicase.domain.reply_quality import check_reply
from omnicase_local.config_file import load_config_file

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "fixtures" / "quality"


@pytest.fixture(scope="module")
def starter() -> tuple[str, ...]:
    return load_config_file(ROOT / "config" / "acme.yaml").banned_phrases


def _builder():  # the fixtures folder is not a package: load its generator by path
    spec = importlib.util.spec_from_file_location("build_corpus", CORPUS / "build_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ordinary() -> list[str]:
    return (CORPUS / "ordinary_replies.txt").read_text(encoding="utf-8").splitlines()


def evasions() -> list[tuple[str, str]]:
    rows = (CORPUS / "evasions.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(row.split("\t")) for row in rows]  # type: ignore[misc]


def test_the_corpora_are_what_their_templates_give():
    # Given the generator, when it runs, then the committed files are its output (regenerate after editing it)
    builder = _builder()
    assert ordinary() == builder.ordinary_replies()
    assert evasions() == builder.evasions()


def test_no_ordinary_reply_is_blocked(starter):
    replies = ordinary()
    chinese = sum(1 for reply in replies if any("\u4e00" <= c <= "\u9fff" for c in reply))
    blocked = [(reply, verdict.phrase) for reply in replies if (verdict := check_reply(reply, starter)).blocked]
    print(f"\nordinary replies: {len(replies)} ({chinese} Chinese), blocked: {len(blocked)}")
    assert len(replies) >= 2_000 and chinese >= 1_000 and len(replies) - chinese >= 1_000
    assert blocked == [], f"{len(blocked)} of {len(replies)} ordinary replies blocked"


def test_every_evasion_is_blocked_and_marked_where_it_was_written(starter):
    rows = evasions()
    missed, mismarked = [], []
    for reply, disguised in rows:
        verdict = check_reply(reply, starter)
        if not verdict.blocked:
            missed.append(reply)
            continue
        start = reply.index(disguised)
        end = start + len(disguised)
        inside = [(a, b) for a, b in verdict.spans if start <= a and b <= end]
        if not inside or min(a for a, _ in inside) != start or max(b for _, b in inside) != end:
            mismarked.append((reply, [reply[a:b] for a, b in verdict.spans]))
    print(f"\nevasions: {len(rows)} ({len({d for _, d in rows})} disguises), missed: {len(missed)}")
    assert missed == [] and mismarked == []
