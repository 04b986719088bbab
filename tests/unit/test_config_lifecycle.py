"""The configuration's `reopen_window` and `auto_close_after`: defaults, values as written, problems with their file
and line, the way back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from omnicase.config import ConfigError, config_to_document, parse_config
from omnicase_local.config_file import ConfigFileError, load_config_file

BASE = {"tenant": "acme", "queues": {"general": {}}}


def problems_of(document: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config("acme", document)
    return [str(p) for p in caught.value.problems]


def test_left_out_they_are_seven_days_and_four_days_and_are_not_written_back():
    config = parse_config("acme", BASE)
    assert (config.reopen_window, config.auto_close_after) == (timedelta(days=7), timedelta(days=4))
    document = config_to_document(config)
    assert "reopen_window" not in document and "auto_close_after" not in document


@pytest.mark.parametrize(
    ("written", "window", "close", "back"),
    [
        ({"reopen_window": "3d", "auto_close_after": "36h"}, timedelta(days=3), timedelta(hours=36), "1d12h"),
        ({"reopen_window": "90d", "auto_close_after": "none"}, timedelta(days=90), None, "none"),
        ({"reopen_window": 3600, "auto_close_after": None}, timedelta(hours=1), None, "none"),
    ],
)
def test_values_as_written_and_back(written, window, close, back):
    config = parse_config("acme", {**BASE, **written})
    assert (config.reopen_window, config.auto_close_after) == (window, close)
    document = config_to_document(config)
    assert document["auto_close_after"] == back
    assert parse_config("acme", document) == config


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ({"reopen_window": "0s"}, "reopen_window: must be longer than zero"),
        ({"reopen_window": "none"}, "reopen_window: expected a duration"),
        ({"auto_close_after": "-1d"}, "auto_close_after: expected a duration"),
        ({"reopen_window": "91d"}, "reopen_window: at most 90d, got 91d"),
        ({"auto_close_after": "2160h1s"}, "auto_close_after: at most 90d, got 90d1s"),
    ],
)
def test_bad_values_are_refused_naming_the_field(written, problem):
    (found,) = problems_of({**BASE, **written})
    assert found.startswith(problem)


def test_a_file_names_the_line_of_the_bad_value(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text("tenant: acme\nqueues:\n  general:\nreopen_window: 7d\nauto_close_after: 120d\n", encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_config_file(path)
    assert caught.value.problems == [f"{path}:5: auto_close_after: at most 90d, got 120d"]
