"""The configuration's `surveys` section: defaults, values as written, problems with their paths, the way back."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from omnicase.config import ConfigError, config_to_document, parse_config
from omnicase.domain.tenant_config import SurveyPolicy
from omnicase_local.config_file import load_config_file

ROOT = Path(__file__).resolve().parents[2]


def base(**extra: object) -> dict:
    return {"tenant": "acme", "queues": {"general": {}, "callbacks": {}}, **extra}


def problems_of(document: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config("acme", document)
    return [str(p) for p in caught.value.problems]


def surveys_of(section: object) -> SurveyPolicy:
    return parse_config("acme", base(surveys=section)).surveys


# --- defaults and values -------------------------------------------------------------------------------------------


def test_no_section_means_the_defaults():
    assert parse_config("acme", base()).surveys == SurveyPolicy()


@pytest.mark.parametrize("section", [None, {}])
def test_an_empty_section_means_the_defaults(section):
    assert surveys_of(section) == SurveyPolicy()


def test_every_field_as_written():
    section = {
        "enabled": False,
        "delay": "2h",
        "reminder_after": "1d12h",
        "token_valid_for": "30d",
        "per_customer_every": "1d",
        "quiet_hours": "22:30-07:00",
        "low_score": 3,
        "callback_queue": "general",
        "callback_within": "4h",
        "key_complaint_tag": "vip-complaint",
    }
    assert surveys_of(section) == SurveyPolicy(
        enabled=False,
        delay=timedelta(hours=2),
        reminder_after=timedelta(days=1, hours=12),
        token_valid_for=timedelta(days=30),
        per_customer_every=timedelta(days=1),
        quiet_hours=(time(22, 30), time(7)),
        low_score=3,
        callback_queue="general",
        callback_within=timedelta(hours=4),
        key_complaint_tag="vip-complaint",
    )


def test_fields_left_out_keep_their_defaults():
    assert surveys_of({"low_score": 1}) == SurveyPolicy(low_score=1)


@pytest.mark.parametrize("none", ["none", "None", " NONE ", None])
def test_none_turns_off_the_reminder_and_the_quiet_hours(none):
    surveys = surveys_of({"reminder_after": none, "quiet_hours": none})
    assert surveys.reminder_after is None and surveys.quiet_hours is None


@pytest.mark.parametrize(
    ("written", "hours"),
    [("21:00-09:00", (time(21), time(9))), ("12:00-14:00", (time(12), time(14))), ("22:00-24:00", (time(22), time(0)))],
)
def test_quiet_hours_may_wrap_midnight(written, hours):
    assert surveys_of({"quiet_hours": written}).quiet_hours == hours


@pytest.mark.parametrize("score", [1, 5])
def test_low_score_bounds_are_allowed(score):
    assert surveys_of({"low_score": score}).low_score == score


# --- problems --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 6, -1])
def test_low_score_out_of_range(score):
    assert problems_of(base(surveys={"low_score": score})) == ["surveys.low_score: must be 1..5"]


@pytest.mark.parametrize("score", ["two", "2", True, 2.5, None])
def test_low_score_must_be_a_whole_number(score):
    (problem,) = problems_of(base(surveys={"low_score": score}))
    assert problem.startswith("surveys.low_score: must be 1..5, got")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (field, value)
        for field in ("delay", "token_valid_for", "per_customer_every", "callback_within")
        for value in ("soon", "0s", 0, "none", None)
        if not (field == "delay" and value in ("0s", 0))  # a zero delay is allowed: right after the solve
    ],
)
def test_required_durations(field, value):
    (problem,) = problems_of(base(surveys={field: value}))
    assert problem.startswith(f"surveys.{field}: ")


def test_a_bad_reminder_mentions_none():
    (problem,) = problems_of(base(surveys={"reminder_after": "later"}))
    assert problem.startswith("surveys.reminder_after: expected a duration") and problem.endswith('(or "none")')


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("21:00", 'expected hours like "09:00-18:00"'),
        ("21:00-25:00", 'expected a time like "09:00"'),
        ("09:00-09:00", 'start and end are the same: write "none" for no quiet hours'),
        (False, 'expected hours like "09:00-18:00"'),
    ],
)
def test_bad_quiet_hours(written, message):
    (problem,) = problems_of(base(surveys={"quiet_hours": written}))
    assert problem.startswith(f"surveys.quiet_hours: {message}")


@pytest.mark.parametrize("field", ["callback_queue", "key_complaint_tag"])
def test_names_must_not_be_empty(field):
    assert problems_of(base(surveys={field: "  "})) == [f"surveys.{field}: must not be empty"]


def test_unknown_field_suggests_the_close_one():
    assert problems_of(base(surveys={"delya": "1h"})) == ['surveys.delya: unknown field (did you mean "delay"?)']


def test_the_section_must_be_a_mapping():
    (problem,) = problems_of(base(surveys=["enabled"]))
    assert problem.startswith("surveys:")


def test_reminder_must_come_before_the_survey_expires():
    (problem,) = problems_of(base(surveys={"reminder_after": "14d"}))
    assert problem.startswith("surveys.reminder_after: must be shorter than token_valid_for (14d)")
    assert surveys_of({"reminder_after": "13d"}).reminder_after == timedelta(days=13)
    assert surveys_of({"reminder_after": "14d", "enabled": False}).enabled is False


# --- the callback queue cross-check --------------------------------------------------------------------------------


def test_the_callback_queue_must_be_in_queues():
    assert problems_of(base(surveys={"callback_queue": "callbakcs"})) == [
        'surveys.callback_queue: no queue "callbakcs" in queues (did you mean "callbacks"?)'
    ]


def test_the_default_callback_queue_must_exist_once_the_section_is_written():
    document = {"tenant": "acme", "queues": {"general": {}}, "surveys": {"low_score": 1}}
    assert problems_of(document) == [
        'surveys.callback_queue: no queue "callbacks" in queues (defined: general) '
        "(the default callback queue; add it or set callback_queue)"
    ]


def test_disabled_surveys_need_no_callback_queue():
    document = {"tenant": "acme", "queues": {"general": {}}, "surveys": {"enabled": False, "callback_queue": "x"}}
    assert parse_config("acme", document).surveys.enabled is False


def test_configurations_without_the_section_need_no_callback_queue():
    # Stored configurations written before surveys existed are parsed again on every read: they must still load.
    config = parse_config("acme", {"tenant": "acme", "queues": {"general": {}}})
    assert config.surveys == SurveyPolicy() and "callbacks" not in config.queues


# --- the way back ----------------------------------------------------------------------------------------------------


def test_the_defaults_write_no_section():
    assert "surveys" not in config_to_document(parse_config("acme", base(surveys={"enabled": True, "delay": "1d"})))


def test_only_fields_that_differ_are_written():
    config = parse_config("acme", base(surveys={"reminder_after": "none", "quiet_hours": "none", "low_score": 1}))
    assert config_to_document(config)["surveys"] == {"reminder_after": "none", "quiet_hours": "none", "low_score": 1}


def test_every_field_is_written_back_and_parses_unchanged():
    section = {
        "enabled": False,
        "delay": "1h30m",
        "reminder_after": "36h",
        "token_valid_for": "20d",
        "per_customer_every": "2d",
        "quiet_hours": "22:00-24:00",
        "low_score": 4,
        "callback_queue": "general",
        "callback_within": "8h",
        "key_complaint_tag": "complaint",
    }
    config = parse_config("acme", base(surveys=section))
    document = config_to_document(config)
    assert document["surveys"] == {
        **section,
        "reminder_after": "1d12h",
        "quiet_hours": "22:00-00:00",
    }
    assert parse_config("acme", document) == config


def test_the_example_file_has_surveys_and_a_callbacks_queue():
    config = load_config_file(ROOT / "config" / "acme.yaml")
    assert config.surveys == SurveyPolicy()
    callbacks = config.queues["callbacks"]
    assert callbacks.description and callbacks.supervisor in config.agents
    assert parse_config("acme", config_to_document(config)) == config


def test_the_fast_sla_fixture_still_loads():
    config = load_config_file(ROOT / "tests" / "fixtures" / "config" / "fast-sla.yaml")
    assert config.surveys == SurveyPolicy()


def test_a_survey_may_go_out_right_after_the_solve_but_other_durations_stay_positive():
    from omnicase.config import parse_config

    config = parse_config("acme", {"queues": {"general": {}, "callbacks": {}}, "surveys": {"delay": "0s"}})
    assert config.surveys.delay.total_seconds() == 0
    with pytest.raises(ConfigError, match=r"surveys\.callback_within: must be longer than zero"):
        parse_config("acme", {"queues": {"general": {}, "callbacks": {}}, "surveys": {"callback_within": "0s"}})
