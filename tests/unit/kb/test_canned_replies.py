"""Canned replies in the tenant configuration: checked like customer texts, written back unchanged, filled for a
case, and fitted to its text."""

from __future__ import annotations

from pathlib import Path

import pytest

from omnicase.config import ConfigError, config_to_document, parse_config
from omnicase.domain.canned_replies import fill_placeholders, fitting_replies
from omnicase.domain.model import CaseStatus
from omnicase_local.config_file import load_config_file

EXAMPLE = Path(__file__).resolve().parents[3] / "config" / "acme.yaml"


def with_replies(replies: dict, **kb: object) -> dict:
    return {"tenant": "acme", "queues": {"general": {}}, "canned_replies": replies, **({"kb": kb} if kb else {})}


def problems_of(document: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config("acme", document)
    return [str(p) for p in caught.value.problems]


def test_the_example_configuration_has_canned_replies_in_both_languages_and_writes_back_unchanged():
    config = load_config_file(EXAMPLE)
    assert {r.reply_id for r in config.canned_replies} >= {"delivery-delayed", "refund-timeline", "need-order-number"}
    assert all(set(r.texts) == {"en", "zh"} for r in config.canned_replies)
    delayed = next(r for r in config.canned_replies if r.reply_id == "delivery-delayed")
    assert delayed.status == CaseStatus.PENDING and delayed.tags == ("shipping",)
    assert config.kb.suggest_threshold == 0.15 and config.kb.acknowledgement_articles == 3
    assert parse_config("acme", config_to_document(config)) == config


def test_an_unknown_placeholder_or_a_stray_brace_is_refused_with_its_path():
    problems = problems_of(with_replies({"greet": {"title": "Hi", "texts": {"en": "Hi {customer}", "zh": "好 {name"}}}))
    assert any("canned_replies.greet.texts.en" in p and "unknown placeholder {customer}" in p for p in problems)
    assert any("canned_replies.greet.texts.zh" in p and "bad placeholder" in p for p in problems)
    assert any("{agent}" in p for p in problems)  # the message lists what is known


def test_bad_ids_languages_statuses_and_thresholds_are_refused():
    assert problems_of(with_replies({"Bad Id": {"title": "x", "texts": {"en": "x"}}}))
    assert problems_of(with_replies({"x": {"title": "x", "texts": {"fr": "x"}}}))
    assert problems_of(with_replies({"x": {"title": "x", "texts": {"en": "x"}, "set": {"status": "closed"}}}))
    assert problems_of(with_replies({"x": {"title": "x", "texts": {}}}))
    assert problems_of(with_replies({}, suggest_threshold=0))
    assert problems_of(with_replies({}, acknowledgement_articles=4))


def test_placeholders_are_filled_and_other_braces_stay_as_written():
    text = fill_placeholders(
        "Hi{name}, case {case_id} by {agent}; {literal}", {"name": " Ann", "case_id": "C1", "agent": "Li"}
    )
    assert text == "Hi Ann, case C1 by Li; {literal}"


def test_replies_whose_keywords_the_case_holds_come_first_then_general_ones():
    replies = load_config_file(EXAMPLE).canned_replies
    fitting = [r.reply_id for r in fitting_replies(replies, "快递一个星期了还没到", "zh")]
    assert fitting == ["delivery-delayed", "need-order-number"]
    assert [r.reply_id for r in fitting_replies(replies, "Where is my refund? money back please", "en")] == [
        "refund-timeline",
        "need-order-number",
    ]
