"""The configuration's customer-facing texts and progress notices: parsed, checked with their paths, written back."""

from __future__ import annotations

from pathlib import Path

import pytest

from omnicase.config import ConfigError, config_to_document, parse_config
from omnicase.config.values import MAX_TEXT
from omnicase.domain.customer_texts import DEFAULTS, render
from omnicase_local.config_file import load_config_file

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "acme.yaml"

TEXTS = {
    "acknowledgement": {
        "email": {"en": "Hello{name},\n\ncase {case_id}: {subject}\n{expected_reply}\n", "zh": "{name}您好：{case_id}"},
        "short": {"en": "{tenant}: case {case_id}", "zh": "{tenant}：工单 {case_id}"},
        "sms": {"zh": "【{tenant}】工单 {case_id}。{expected_reply}"},
    },
    "notice_solved": {"short": {"en": "{tenant}: case {case_id} is solved."}},
    "notice_fixed": {"wechat": {"zh": "问题已修复：{note}"}, "chat": {"en": "Fixed: {note}"}},
}
VALUES = {"tenant": "Acme", "case_id": "K3M9QX2A7B", "name": "", "subject": "Printer", "expected_reply": "Soon."}


def base(**extra: object) -> dict:
    return {"tenant": "acme", "queues": {"general": {}}, **extra}


def problems_of(document: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config("acme", document)
    return [str(p) for p in caught.value.problems]


def one_text(text: object, kind: str = "acknowledgement", channel: str = "sms", language: str = "zh") -> dict:
    return base(texts={kind: {channel: {language: text}}})


# --- parsing and the way back ---------------------------------------------------------------------------------------


def test_texts_map_to_flat_keys():
    config = parse_config("acme", base(texts=TEXTS))
    assert config.texts["acknowledgement.sms.zh"] == "【{tenant}】工单 {case_id}。{expected_reply}"
    assert config.texts["notice_solved.short.en"] == "{tenant}: case {case_id} is solved."
    assert config.texts["notice_fixed.wechat.zh"] == "问题已修复：{note}"
    assert len(config.texts) == 8


def test_texts_and_progress_notices_round_trip_in_nested_form():
    config = parse_config("acme", base(texts=TEXTS, progress_notices=False))
    document = config_to_document(config)
    assert document["texts"] == TEXTS and document["progress_notices"] is False
    assert parse_config("acme", document) == config


def test_defaults_stay_out_of_the_document():
    config = parse_config("acme", base())
    assert config.texts == {} and config.progress_notices is True
    document = config_to_document(config)
    assert "texts" not in document and "progress_notices" not in document
    assert parse_config("acme", base(texts=None)).texts == {}  # `texts:` with nothing under it


def test_the_document_lists_texts_in_canonical_order():
    written = {"notice_solved": {"short": {"zh": "b"}}, "acknowledgement": {"sms": {"zh": "c"}, "email": {"en": "a"}}}
    document = config_to_document(parse_config("acme", base(texts=written)))
    assert list(document["texts"]) == ["acknowledgement", "notice_solved"]
    assert list(document["texts"]["acknowledgement"]) == ["email", "sms"]


def test_a_long_short_text_is_allowed():
    text = "{tenant}: " + "x" * 300  # SMS splits it into segments; not an error
    assert parse_config("acme", one_text(text, channel="short")).texts["acknowledgement.short.zh"] == text


def test_doubled_braces_are_literal_braces():
    config = parse_config("acme", one_text("{{case}} {case_id}"))
    assert render("acknowledgement", "sms", "zh", VALUES, config.texts) == "{case} K3M9QX2A7B"


# --- problems, each with its path -----------------------------------------------------------------------------------


def test_unknown_kind_channel_and_language_are_bad_keys_at_their_paths():
    texts = {"ack": {"sms": {"zh": "x"}}, "notice_open": {"fax": {"en": "x"}, "short": {"fr": "x"}}}
    assert problems_of(base(texts=texts)) == [
        'texts.ack: bad key: unknown kind of text "ack" (one of: acknowledgement, notice_open, notice_pending, '
        "notice_solved, notice_fixed, survey, survey_reminder)",
        'texts.notice_open.fax: bad key: unknown channel "fax" (one of: email, sms, chat, wechat, short)',
        'texts.notice_open.short.fr: bad key: unknown language "fr" (one of: en, zh)',
    ]


def test_phone_texts_are_the_sms_ones_it_sends_them_by():
    (problem,) = problems_of(one_text("x", channel="phone"))
    expected = 'channel "phone" sends its texts by sms: write them under "sms"'
    assert problem == f"texts.acknowledgement.phone: bad key: {expected}"
    templates = parse_config("acme", one_text("【{tenant}】请为工单 {case_id} 打分", kind="survey")).texts
    values = {**VALUES, "page": "https://s.example/x"}
    assert render("survey", "phone", "zh", values, templates) == render("survey", "sms", "zh", values, templates)
    assert render("survey", "phone", "zh", values, templates) == "【Acme】请为工单 K3M9QX2A7B 打分"
    assert render("notice_solved", "phone", "en", VALUES) == render("notice_solved", "sms", "en", VALUES)


def test_a_close_key_gets_a_suggestion():
    (problem,) = problems_of(one_text("x", kind="notice_solve"))
    assert problem == 'texts.notice_solve: bad key: unknown kind of text "notice_solve" (did you mean "notice_solved"?)'


@pytest.mark.parametrize("text", ["", "  \n "])
def test_an_empty_text_is_an_error(text):
    assert problems_of(one_text(text)) == ["texts.acknowledgement.sms.zh: must not be empty"]


def test_a_text_must_be_a_string():
    (problem,) = problems_of(one_text(42))
    assert problem.startswith("texts.acknowledgement.sms.zh:")


def test_a_text_over_the_limit_is_an_error():
    assert parse_config("acme", one_text("x" * MAX_TEXT, channel="email"))
    assert problems_of(one_text("x" * (MAX_TEXT + 1), channel="email")) == [
        f"texts.acknowledgement.email.zh: too long: {MAX_TEXT + 1} characters (at most {MAX_TEXT})"
    ]


def test_an_unknown_placeholder_is_named():
    (problem,) = problems_of(one_text("工单 {case_id}，{customer}您好", kind="notice_open", language="zh"))
    assert problem.startswith("texts.notice_open.sms.zh: unknown placeholder {customer} (known: {tenant} {case_id}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("case {case_id", "bad placeholder: expected '}' before end of string"),
        ("a } b", "bad placeholder: Single '}' encountered in format string"),
        ("a { b", "bad placeholder: "),
        ("case {}", "empty placeholder {}"),
        ("case {0}", "unknown placeholder {0}"),
        ("case {case_id.upper}", "unknown placeholder {case_id.upper}"),
        ("case {case_id!r}", "placeholder {case_id} takes no format or conversion"),
        ("case {case_id:>12}", "placeholder {case_id} takes no format or conversion"),
    ],
)
def test_a_brace_that_is_not_a_placeholder_is_reported_with_its_path(text, message):
    (problem,) = problems_of(one_text(text, kind="notice_pending", channel="wechat", language="en"))
    assert problem.startswith(f"texts.notice_pending.wechat.en: {message}")


def test_note_is_only_for_notice_fixed():
    assert parse_config("acme", one_text("{note}", kind="notice_fixed")).texts == {"notice_fixed.sms.zh": "{note}"}
    assert problems_of(one_text("{note}", kind="notice_solved", channel="chat", language="en")) == [
        "texts.notice_solved.chat.en: {note} is only filled in notice_fixed texts"
    ]


def test_a_kind_without_channels_must_be_a_mapping():
    (problem,) = problems_of(base(texts={"acknowledgement": None}))
    assert problem.startswith("texts.acknowledgement:")


def test_progress_notices_must_be_a_bool():
    (problem,) = problems_of(base(progress_notices="sometimes"))
    assert problem.startswith("progress_notices:")


def test_every_problem_is_reported_at_once():
    texts = {"acknowledgement": {"sms": {"zh": "", "en": "{oops}"}, "email": {"en": "x" * (MAX_TEXT + 1)}}}
    paths = [p.split(":")[0] for p in problems_of(base(texts=texts))]
    assert sorted(paths) == [
        "texts.acknowledgement.email.en",
        "texts.acknowledgement.sms.en",
        "texts.acknowledgement.sms.zh",
    ]


# --- the example file -----------------------------------------------------------------------------------------------


def test_the_example_overrides_render():
    config = load_config_file(EXAMPLE)
    assert config.progress_notices is True
    acknowledgement = render("acknowledgement", "sms", "zh", VALUES, config.texts)
    assert acknowledgement == "【Acme】已收到您的消息，工单号 K3M9QX2A7B。Soon."
    solved = render("notice_solved", "wechat", "en", VALUES, config.texts)  # WeChat has no own text: the short one
    assert solved == "Acme: case K3M9QX2A7B is solved. Still not right? Just reply and we reopen it."
    assert render("notice_solved", "sms", "zh", VALUES, config.texts).startswith("【Acme】工单 K3M9QX2A7B 已解决")


def test_what_the_example_leaves_out_falls_back_to_the_defaults():
    config = load_config_file(EXAMPLE)
    assert "acknowledgement.wechat.zh" not in config.texts
    expected = DEFAULTS[("acknowledgement", "short", "zh")].format(**VALUES)
    assert render("acknowledgement", "wechat", "zh", VALUES, config.texts) == expected
    assert render("acknowledgement", "email", "en", VALUES, config.texts).startswith("Hello,\n\nwe have received")


def test_the_example_round_trips_with_its_texts():
    config = load_config_file(EXAMPLE)
    document = config_to_document(config)
    assert document["texts"]["acknowledgement"] == {"sms": {"zh": config.texts["acknowledgement.sms.zh"]}}
    assert parse_config("acme", document) == config


def test_survey_links_are_only_placeholders_of_survey_texts():
    assert problems_of(one_text("{tenant}: rate us {links}", kind="notice_open", channel="email", language="en")) == [
        "texts.notice_open.email.en: {links} is only filled in survey and survey_reminder texts"
    ]
    parsed = parse_config("acme", one_text("评价: {page}", kind="survey", channel="short", language="zh"))
    assert parsed.texts == {"survey.short.zh": "评价: {page}"}
