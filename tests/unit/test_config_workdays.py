"""Make-up working days (调休): parsed, checked with their paths, written back, and the example file's dates."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from omnicase.config import ConfigError, config_to_document, parse_config
from omnicase.domain.tenant_config import WorkInterval
from omnicase_local.config_file import load_config_file

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "acme.yaml"
OFFICE_DAY = ["09:00-12:00", "13:00-18:00"]
MORNING = (WorkInterval(time(9), time(12)),)


def document(**office: object) -> dict:
    hours = {day: OFFICE_DAY for day in ("mon", "tue", "wed", "thu", "fri")}
    return {"tenant": "acme", "queues": {"general": {}}, "calendars": {"office": {"hours": hours, **office}}}


def problems_of(doc: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config("acme", doc)
    return [str(p) for p in caught.value.problems]


def test_make_up_days_are_read_in_date_order_with_their_hours():
    doc = document(
        workdays=[{"date": "2026-10-10", "hours": "09:00-12:00"}, {"date": "2026-09-20", "hours": OFFICE_DAY}]
    )
    office = parse_config("acme", doc).calendars["office"]
    assert [day for day, _ in office.workdays] == [date(2026, 9, 20), date(2026, 10, 10)]
    assert office.intervals_on(date(2026, 10, 10)) == MORNING  # a Saturday
    assert office.intervals_on(date(2026, 10, 11)) == ()  # the Sunday after: closed as usual


def test_a_range_gives_every_date_in_it_the_same_hours():
    office = parse_config("acme", document(workdays=[{"date": "2026-10-10..2026-10-11", "hours": "09:00-12:00"}]))
    assert office.calendars["office"].workdays == ((date(2026, 10, 10), MORNING), (date(2026, 10, 11), MORNING))


def test_make_up_days_round_trip_one_date_each():
    config = parse_config("acme", document(workdays=[{"date": "2026-10-10..2026-10-11", "hours": OFFICE_DAY}]))
    written = config_to_document(config)["calendars"]["office"]["workdays"]
    assert written == [{"date": "2026-10-10", "hours": OFFICE_DAY}, {"date": "2026-10-11", "hours": OFFICE_DAY}]
    assert parse_config("acme", config_to_document(config)) == config


def test_a_calendar_without_make_up_days_writes_none():
    assert "workdays" not in config_to_document(parse_config("acme", document()))["calendars"]["office"]


@pytest.mark.parametrize(
    ("office", "expected"),
    [
        (
            {"holidays": ["2026-10-01..2026-10-07"], "workdays": [{"date": "2026-10-03", "hours": OFFICE_DAY}]},
            "calendars.office.workdays[0].date: 2026-10-03 is also a holiday: a date is one or the other",
        ),
        ({"workdays": [{"date": "2026-10-10", "hours": []}]}, "calendars.office.workdays[0].hours:"),
        (
            {"workdays": [{"date": "2026-10-10", "hours": "09:00-12:00"}, {"date": "2026-10-10", "hours": OFFICE_DAY}]},
            "calendars.office.workdays[1].date: 2026-10-10 is given twice",
        ),
        (
            {"workdays": [{"date": "2026-10-10", "hours": ["09:00-12:00", "11:00-13:00"]}]},
            'calendars.office.workdays[0].hours: "11:00-13:00" overlaps "09:00-12:00"',
        ),
        ({"workdays": [{"date": "2026-02-30", "hours": OFFICE_DAY}]}, "calendars.office.workdays[0].date: expected"),
        ({"workdays": [{"date": "2026-10-10"}]}, "calendars.office.workdays[0].hours:"),
        (
            {"workdays": [{"date": "2026-10-10", "hours": OFFICE_DAY, "like": "mon"}]},
            "calendars.office.workdays[0].like",
        ),
    ],
)
def test_bad_make_up_days_are_errors_at_their_path(office, expected):
    problems = problems_of(document(**office))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_an_always_open_calendar_takes_no_make_up_days():
    doc = document()
    doc["calendars"]["office"] = {"always_open": True, "workdays": [{"date": "2026-10-10", "hours": OFFICE_DAY}]}
    assert problems_of(doc) == ["calendars.office: an always_open calendar takes no hours, holidays or workdays"]


def test_the_example_has_the_2026_schedule_of_the_state_council_notice():
    office = load_config_file(EXAMPLE).calendars["office"]
    make_up = [day for day, _ in office.workdays]
    assert make_up == [date(2026, m, d) for m, d in ((1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10))]
    assert all(day.weekday() >= 5 for day in make_up)  # each a Saturday or Sunday
    assert all(hours == office.weekly[0] for _, hours in office.workdays)  # worked as an ordinary office day
    off = {(1, 1, 3), (2, 15, 9), (4, 4, 3), (5, 1, 5), (6, 19, 3), (9, 25, 3), (10, 1, 7)}  # (month, first, days)
    assert office.holidays == {date(2026, m, first + n) for m, first, days in off for n in range(days)}
