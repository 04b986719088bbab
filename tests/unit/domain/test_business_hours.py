"""Business-time arithmetic: working hours, overnight shifts, holidays, make-up working days, DST and 24x7."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from omnicase.domain.business_hours import add_business_time, business_time_between, is_open
from omnicase.domain.tenant_config import BusinessCalendar, WorkInterval

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NATIONAL_DAY = date(2026, 10, 1)  # a Thursday
_ZERO = timedelta(0)


def hours(*spans: tuple[int, int]) -> tuple[WorkInterval, ...]:
    return tuple(WorkInterval(time(start), time(end % 24)) for start, end in spans)


def weekdays(intervals: tuple[WorkInterval, ...], weekend: tuple[WorkInterval, ...] = ()) -> tuple:
    return (intervals,) * 5 + (weekend,) * 2


def h(value: float) -> timedelta:
    return timedelta(hours=value)


OFFICE = BusinessCalendar("office", "Asia/Shanghai", weekdays(hours((9, 18))), holidays=frozenset({NATIONAL_DAY}))
OFFICE_NO_HOLIDAYS = BusinessCalendar("office", "Asia/Shanghai", weekdays(hours((9, 18))))
NIGHT_SHIFT = BusinessCalendar(  # Monday night to Saturday morning
    "night", "Asia/Shanghai", weekdays(hours((22, 6))), holidays=frozenset({date(2026, 9, 30)})
)
SPLIT_DAY = BusinessCalendar("split", "Asia/Shanghai", weekdays(hours((9, 12), (13, 18))))
OVERLAPPING = BusinessCalendar(  # 09–12 and 11–14 overlap; Sunday's 20:00–10:00 shift overlaps Monday morning
    "overlap", "Asia/Shanghai", (hours((9, 12), (11, 14)), (), (), (), (), (), hours((20, 10)))
)
LONDON_NIGHTS = BusinessCalendar("london", "Europe/London", (hours((0, 3), (22, 2)),) * 7)
LONDON_EARLY = BusinessCalendar("london-early", "Europe/London", ((WorkInterval(time(1, 30), time(3)),),) * 7)
NEW_YORK_OFFICE = BusinessCalendar(
    "nyc", "America/New_York", (*(hours((9, 17)),) * 5, hours((22, 6)), (WorkInterval(time(1, 30), time(3)),))
)
# 2026's National Day week as the State Council set it: 1–7 October off, Sunday 20 and Saturday 10 October worked.
GOLDEN_WEEK = BusinessCalendar(
    "cn-office",
    "Asia/Shanghai",
    weekdays(hours((9, 12), (13, 18))),
    holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
    workdays=((date(2026, 9, 20), hours((9, 12), (13, 18))), (date(2026, 10, 10), hours((9, 12), (13, 18)))),
)
ALWAYS = BusinessCalendar("24x7", "Asia/Shanghai", always_open=True, holidays=frozenset({NATIONAL_DAY}))
CLOSED = BusinessCalendar("closed", "Asia/Shanghai")


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# --- Mon–Fri 09:00–18:00 Asia/Shanghai with a holiday ---------------------------------------------------------------


def test_time_left_on_friday_continues_on_monday():
    # Given 1h left of Friday's hours, when 2h are added, then the last hour is Monday 09:00–10:00
    assert add_business_time(OFFICE, sh(2026, 10, 9, 17), h(2)) == sh(2026, 10, 12, 10)


def test_holiday_is_skipped():
    # Wednesday 17:00 + 2h: Thursday is National Day, so the second hour is Friday 09:00–10:00
    assert add_business_time(OFFICE, sh(2026, 9, 30, 17), h(2)) == sh(2026, 10, 2, 10)
    assert business_time_between(OFFICE, sh(2026, 9, 30), sh(2026, 10, 3)) == h(18)
    assert not is_open(OFFICE, sh(2026, 10, 1, 11))


def test_counting_starts_at_the_next_opening():
    assert add_business_time(OFFICE, sh(2026, 10, 10, 15), h(1)) == sh(2026, 10, 12, 10)  # Saturday
    assert add_business_time(OFFICE, sh(2026, 10, 12, 7), h(1)) == sh(2026, 10, 12, 10)  # before opening
    assert add_business_time(OFFICE, sh(2026, 10, 12, 19), h(1)) == sh(2026, 10, 13, 10)  # after closing


def test_zero_duration_is_the_next_open_instant():
    assert add_business_time(OFFICE, sh(2026, 10, 12, 11, 30), _ZERO) == sh(2026, 10, 12, 11, 30)
    assert add_business_time(OFFICE, sh(2026, 10, 12, 18), _ZERO) == sh(2026, 10, 13, 9)  # the end is closed
    assert add_business_time(OFFICE, sh(2026, 10, 10, 12), _ZERO) == sh(2026, 10, 12, 9)


def test_duration_used_up_at_closing_ends_at_closing():
    assert add_business_time(OFFICE, sh(2026, 10, 12, 9), h(9)) == sh(2026, 10, 12, 18)


def test_result_is_in_utc_whatever_the_input_zone():
    result = add_business_time(OFFICE, datetime(2026, 10, 12, 1, tzinfo=UTC), h(1))  # 09:00 Shanghai
    assert result == sh(2026, 10, 12, 10)
    assert result.tzinfo is UTC


def test_open_hours_are_half_open():
    assert is_open(OFFICE, sh(2026, 10, 12, 9))
    assert is_open(OFFICE, sh(2026, 10, 12, 17, 59, 59))
    assert not is_open(OFFICE, sh(2026, 10, 12, 18))
    assert not is_open(OFFICE, sh(2026, 10, 11, 12))  # Sunday


def test_time_between_is_zero_when_end_is_not_after_start():
    assert business_time_between(OFFICE, sh(2026, 10, 12, 12), sh(2026, 10, 12, 12)) == _ZERO
    assert business_time_between(OFFICE, sh(2026, 10, 12, 12), sh(2026, 10, 12, 10)) == _ZERO


def test_time_between_counts_only_working_hours():
    # Monday 10:00 to next Monday 10:00: 8 + 4×9 + 1 hours
    assert business_time_between(OFFICE, sh(2026, 10, 12, 10), sh(2026, 10, 19, 10)) == h(45)


# --- overnight shift 22:00–06:00 ------------------------------------------------------------------------------------


def test_overnight_shift_runs_past_midnight_and_stops_for_the_weekend():
    # Friday 23:00 + 8h: 7h until Saturday 06:00, then Monday's shift starts at 22:00
    assert add_business_time(NIGHT_SHIFT, sh(2026, 10, 9, 23), h(8)) == sh(2026, 10, 12, 23)
    assert is_open(NIGHT_SHIFT, sh(2026, 10, 10, 5, 59))  # Saturday morning: Friday's shift
    assert not is_open(NIGHT_SHIFT, sh(2026, 10, 11, 23))  # Sunday night: no shift starts on Sunday
    assert not is_open(NIGHT_SHIFT, sh(2026, 10, 12, 0, 30))  # Monday early: Sunday had no shift


def test_holiday_cancels_the_shift_starting_that_evening_only():
    # Given Wednesday 2026-09-30 is a holiday: Tuesday's shift runs into Wednesday; Wednesday's shift does not run
    assert is_open(NIGHT_SHIFT, sh(2026, 9, 30, 3))
    assert not is_open(NIGHT_SHIFT, sh(2026, 9, 30, 23))
    assert business_time_between(NIGHT_SHIFT, sh(2026, 9, 29, 12), sh(2026, 10, 1, 12)) == h(8)


# --- several intervals a day, overlapping intervals -----------------------------------------------------------------


def test_lunch_break_is_not_counted():
    assert add_business_time(SPLIT_DAY, sh(2026, 10, 12, 11), h(2)) == sh(2026, 10, 12, 14)
    assert add_business_time(SPLIT_DAY, sh(2026, 10, 12, 11), h(1)) == sh(2026, 10, 12, 12)
    assert business_time_between(SPLIT_DAY, sh(2026, 10, 12, 8), sh(2026, 10, 12, 20)) == h(8)
    assert not is_open(SPLIT_DAY, sh(2026, 10, 12, 12, 30))


def test_overlapping_intervals_are_not_counted_twice():
    # Sunday 20:00–Monday 10:00 overlaps Monday 09:00–12:00, which overlaps 11:00–14:00: one span 20:00–14:00
    assert business_time_between(OVERLAPPING, sh(2026, 10, 11), sh(2026, 10, 13)) == h(18)
    assert add_business_time(OVERLAPPING, sh(2026, 10, 12, 8), h(5)) == sh(2026, 10, 12, 13)
    assert add_business_time(OVERLAPPING, sh(2026, 10, 12, 8), h(6)) == sh(2026, 10, 12, 14)
    assert add_business_time(OVERLAPPING, sh(2026, 10, 12, 8), h(7)) == sh(2026, 10, 18, 21)


# --- DST ------------------------------------------------------------------------------------------------------------


def test_london_spring_forward_night_is_an_hour_shorter():
    # 2026-03-29: 01:00 GMT becomes 02:00 BST. 00:00–03:00 is 2 real hours; Saturday's 22:00–02:00 is 3
    assert business_time_between(
        LONDON_NIGHTS, datetime(2026, 3, 29, tzinfo=LONDON), datetime(2026, 3, 29, 12, tzinfo=LONDON)
    ) == h(2)
    saturday_shift = business_time_between(
        LONDON_NIGHTS, datetime(2026, 3, 28, 12, tzinfo=LONDON), datetime(2026, 3, 29, 0, tzinfo=LONDON)
    )
    assert saturday_shift == h(2)  # 22:00–24:00; its last two hours overlap Sunday's 00:00–03:00
    assert business_time_between(
        LONDON_NIGHTS, datetime(2026, 3, 28, 12, tzinfo=LONDON), datetime(2026, 3, 29, 12, tzinfo=LONDON)
    ) == h(4)


def test_start_in_the_spring_forward_gap_opens_when_the_gap_ends():
    # 01:30 does not exist on 2026-03-29 in London: the interval opens at 02:00 BST (01:00 UTC), runs 1 real hour
    opening = add_business_time(LONDON_EARLY, datetime(2026, 3, 29, 0, 30, tzinfo=LONDON), _ZERO)
    assert opening == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert business_time_between(
        LONDON_EARLY, datetime(2026, 3, 29, tzinfo=UTC), datetime(2026, 3, 30, tzinfo=UTC)
    ) == h(1)


def test_london_fall_back_night_counts_the_repeated_hour():
    # 2026-10-25: 02:00 BST becomes 01:00 GMT. 00:00–03:00 is 4 real hours
    night = business_time_between(
        LONDON_NIGHTS, datetime(2026, 10, 24, 23, 59, tzinfo=LONDON), datetime(2026, 10, 25, 12, tzinfo=LONDON)
    )
    assert night == h(4) + timedelta(minutes=1)
    # 01:30–03:00 starts at the first 01:30 (BST): 2.5 real hours
    assert business_time_between(
        LONDON_EARLY, datetime(2026, 10, 25, tzinfo=LONDON), datetime(2026, 10, 25, 12, tzinfo=LONDON)
    ) == h(2.5)


def test_new_york_office_across_spring_forward():
    # 2026-03-08: 02:00 EST becomes 03:00 EDT. Saturday's 22:00 EST–06:00 EDT shift is 7 real hours; Sunday's
    # 01:30 EST–03:00 EDT interval (30 real minutes) lies inside it
    weekend = business_time_between(
        NEW_YORK_OFFICE, datetime(2026, 3, 7, 12, tzinfo=NEW_YORK), datetime(2026, 3, 8, 12, tzinfo=NEW_YORK)
    )
    assert weekend == h(7)
    # Friday 16:00 EST + 9h: 1h on Friday, 7h on the weekend shift, 1h on Monday → 10:00 EDT (14:00 UTC)
    result = add_business_time(NEW_YORK_OFFICE, datetime(2026, 3, 6, 16, tzinfo=NEW_YORK), h(9))
    assert result == datetime(2026, 3, 9, 14, tzinfo=UTC)


def test_new_york_overnight_shift_across_fall_back():
    # Saturday 2026-10-31 22:00 EDT to Sunday 06:00 EST is 9 real hours, and Sunday's 01:30 (EDT)–03:00 (EST)
    # lies inside it, so nothing is counted twice
    assert business_time_between(
        NEW_YORK_OFFICE, datetime(2026, 10, 31, 12, tzinfo=NEW_YORK), datetime(2026, 11, 1, 12, tzinfo=NEW_YORK)
    ) == h(9)
    assert is_open(NEW_YORK_OFFICE, datetime(2026, 11, 1, 6, 30, tzinfo=UTC))  # 01:30 EST, the second one


def test_ambiguous_end_takes_the_later_instant():
    # An interval 00:00–01:30 on the fall-back night ends at the second 01:30 (EST): 2.5 real hours
    calendar = BusinessCalendar("end", "America/New_York", ((WorkInterval(time(0), time(1, 30)),),) * 7)
    start = datetime(2026, 11, 1, tzinfo=NEW_YORK)
    assert add_business_time(calendar, start, h(2.5)) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert business_time_between(calendar, start, start + h(12)) == h(2.5)


# --- make-up working days (调休) -------------------------------------------------------------------------------------


def test_a_make_up_saturday_counts_like_a_working_day():
    # Given Friday 9 October 17:00 with 1h left, when 5h are added, then Saturday 10 October (a make-up day) takes
    # 09:00–12:00 and the last hour is 13:00–14:00 that Saturday, not Monday
    assert add_business_time(GOLDEN_WEEK, sh(2026, 10, 9, 17), h(5)) == sh(2026, 10, 10, 14)
    assert business_time_between(GOLDEN_WEEK, sh(2026, 10, 9, 17), sh(2026, 10, 12, 10)) == h(1 + 8 + 1)
    assert is_open(GOLDEN_WEEK, sh(2026, 10, 10, 9)) and not is_open(GOLDEN_WEEK, sh(2026, 10, 10, 12, 30))
    assert not is_open(GOLDEN_WEEK, sh(2026, 10, 11, 10))  # the Sunday after stays closed


def test_the_golden_week_skips_the_holidays_and_works_the_sunday_before():
    # Friday 18 September 17:00 + 9h: 1h Friday, 8h on Sunday 20 September (make-up day) → Sunday 18:00
    assert add_business_time(GOLDEN_WEEK, sh(2026, 9, 18, 17), h(9)) == sh(2026, 9, 20, 18)
    # Wednesday 30 September 17:00 + 2h: 1h that day, then 1–7 October closed, then 09:00–10:00 on Thursday 8th
    assert add_business_time(GOLDEN_WEEK, sh(2026, 9, 30, 17), h(2)) == sh(2026, 10, 8, 10)


def test_a_make_up_day_runs_its_own_hours_and_a_shift_into_the_next_morning():
    night_saturday = BusinessCalendar(
        "night", "Asia/Shanghai", weekdays(hours((9, 18))), workdays=((date(2026, 10, 10), hours((22, 6))),)
    )
    assert is_open(night_saturday, sh(2026, 10, 11, 5)) and not is_open(night_saturday, sh(2026, 10, 10, 10))
    assert business_time_between(night_saturday, sh(2026, 10, 10), sh(2026, 10, 12)) == h(8)


def test_a_make_up_day_on_a_weekday_replaces_that_days_hours():
    short_friday = BusinessCalendar(
        "short", "Asia/Shanghai", weekdays(hours((9, 18))), workdays=((date(2026, 10, 9), hours((9, 12))),)
    )
    assert business_time_between(short_friday, sh(2026, 10, 9), sh(2026, 10, 10)) == h(3)


def test_a_calendar_with_only_make_up_days_works_on_them():
    only = BusinessCalendar("only", "Asia/Shanghai", workdays=((date(2026, 10, 10), hours((9, 12))),))
    assert add_business_time(only, sh(2026, 10, 1), h(1)) == sh(2026, 10, 10, 10)


# --- 24x7 and calendars without working time ------------------------------------------------------------------------


def test_always_open_is_wall_arithmetic_ignoring_holidays():
    start = sh(2026, 9, 30, 23)
    assert add_business_time(ALWAYS, start, h(30)) == start + h(30)
    assert business_time_between(ALWAYS, start, sh(2026, 10, 2)) == h(25)
    assert is_open(ALWAYS, sh(2026, 10, 1, 3))


def test_always_open_across_dst_counts_real_time():
    calendar = BusinessCalendar("24x7", "Europe/London", always_open=True)
    start = datetime(2026, 3, 29, tzinfo=LONDON)
    assert business_time_between(calendar, start, datetime(2026, 3, 30, tzinfo=LONDON)) == h(23)


def test_calendar_without_working_time_raises_instead_of_looping():
    with pytest.raises(ValueError, match="no working"):
        add_business_time(CLOSED, sh(2026, 10, 12), h(1))
    assert business_time_between(CLOSED, sh(2026, 10, 12), sh(2026, 10, 19)) == _ZERO
    assert not is_open(CLOSED, sh(2026, 10, 12, 10))


def test_search_gives_up_when_every_working_day_is_a_holiday_for_years():
    mondays = frozenset(date(2026, 10, 12) + timedelta(weeks=n) for n in range(6 * 53))
    calendar = BusinessCalendar("mondays", "Asia/Shanghai", (hours((9, 18)), (), (), (), (), (), ()), mondays)
    with pytest.raises(ValueError, match="5 years"):
        add_business_time(calendar, sh(2026, 10, 12), h(1))


def test_naive_datetimes_and_negative_durations_are_rejected():
    with pytest.raises(ValueError):
        add_business_time(OFFICE, datetime(2026, 10, 12, 10), h(1))
    with pytest.raises(ValueError):
        add_business_time(OFFICE, sh(2026, 10, 12, 10), h(-1))
    with pytest.raises(ValueError):
        is_open(OFFICE, datetime(2026, 10, 12, 10))


def test_long_durations_are_counted_exactly():
    # 52 weeks of 45 hours from Monday 10:00 is Monday 10:00 a year later
    start = sh(2026, 1, 5, 10)
    assert add_business_time(OFFICE_NO_HOLIDAYS, start, h(45 * 52)) == sh(2027, 1, 4, 10)
    # starting right at opening, the same duration runs out at Friday's closing
    assert add_business_time(OFFICE_NO_HOLIDAYS, sh(2026, 1, 5, 9), h(45 * 52)) == sh(2027, 1, 1, 18)


# --- properties -----------------------------------------------------------------------------------------------------

CALENDARS = (OFFICE, NIGHT_SHIFT, SPLIT_DAY, OVERLAPPING, LONDON_NIGHTS, LONDON_EARLY, NEW_YORK_OFFICE, GOLDEN_WEEK)
DST_CHANGES = (
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
)
anywhere = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))
near_dst = st.builds(
    lambda change, offset: change + timedelta(seconds=offset),
    st.sampled_from(DST_CHANGES),
    st.integers(-4 * 86_400, 86_400),
)
starts = st.one_of(anywhere, near_dst)
durations = st.integers(0, 21 * 86_400).map(lambda seconds: timedelta(seconds=seconds))
calendars = st.sampled_from(CALENDARS)
PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(calendars, starts, durations)
def test_time_between_start_and_result_is_the_duration(calendar, start, duration):
    assert business_time_between(calendar, start, add_business_time(calendar, start, duration)) == duration


@PROPERTY
@given(calendars, starts, durations, durations)
def test_result_grows_with_the_duration(calendar, start, a, b):
    shorter, longer = sorted((a, b))
    assert add_business_time(calendar, start, shorter) <= add_business_time(calendar, start, longer)


@PROPERTY
@given(calendars, starts, durations, durations.filter(bool))
def test_adding_in_two_steps_is_adding_the_sum(calendar, start, a, b):
    # b > 0: a step ending exactly at closing would otherwise restart at the next opening
    assert add_business_time(calendar, add_business_time(calendar, start, a), b) == add_business_time(
        calendar, start, a + b
    )


@PROPERTY
@given(calendars, starts, durations)
def test_result_is_open_or_the_end_of_open_time(calendar, start, duration):
    result = add_business_time(calendar, start, duration)
    assert result >= start
    if duration:
        assert is_open(calendar, result) or is_open(calendar, result - timedelta(microseconds=1))
    else:
        assert is_open(calendar, result)
        assert business_time_between(calendar, start, result) == _ZERO


@PROPERTY
@given(starts, durations)
def test_results_never_land_on_holidays_or_weekends(start, duration):
    result = add_business_time(OFFICE, start, duration).astimezone(SHANGHAI)
    assert result.date() != NATIONAL_DAY
    assert result.weekday() < 5
    assert time(9) <= result.time() <= time(18)


@PROPERTY
@given(st.integers(0, 60), st.integers(1, 9 * 3600 - 1), st.integers(1, 4))
def test_a_week_of_working_hours_spans_the_weekend(day, second_of_day, weeks):
    # Given a start inside Mon–Fri 09:00–18:00 (after opening: from 09:00 itself it would end at Friday's closing),
    # when 45h per week are added, then it is the same time that many weeks later
    start = sh(2026, 1, 5, 9) + timedelta(days=day, seconds=second_of_day)
    assume(start.weekday() < 5)
    assert add_business_time(OFFICE_NO_HOLIDAYS, start, h(45 * weeks)) == start + timedelta(weeks=weeks)


# --- random calendars against a step-by-step reading of the rules (zones without DST) ---------------------------

quarter_hours = st.integers(0, 95).map(lambda n: time(n // 4, n % 4 * 15))
intervals = st.builds(WorkInterval, quarter_hours, quarter_hours)
october = st.dates(date(2026, 10, 1), date(2026, 10, 20))


@st.composite
def random_calendars(draw: st.DrawFn) -> BusinessCalendar:
    """Weekly hours, holidays, and make-up days (with hours of their own) on dates that are not holidays."""
    holidays = draw(st.frozensets(october, max_size=5))
    make_up = draw(st.dictionaries(october.filter(lambda d: d not in holidays), st.lists(intervals, max_size=3)))
    calendar = BusinessCalendar(
        name="random",
        time_zone=draw(st.sampled_from(("Asia/Shanghai", "UTC", "Asia/Kolkata"))),
        weekly=draw(st.tuples(*[st.lists(intervals, max_size=3).map(tuple)] * 7)),
        holidays=holidays,
        workdays=tuple(sorted((day, tuple(hours)) for day, hours in make_up.items())),
    )
    # Weekly hours are needed: a calendar open only on a few make-up days has no working time after them.
    assume(any(calendar.weekly))
    return calendar


def open_by_the_rules(calendar: BusinessCalendar, at: datetime) -> bool:
    local = at.astimezone(ZoneInfo(calendar.time_zone)).replace(tzinfo=None)
    make_up = dict(calendar.workdays)
    for day in (local.date() - timedelta(days=1), local.date()):
        if day in calendar.holidays:
            continue
        for interval in make_up.get(day, calendar.weekly[day.weekday()]):
            start = datetime.combine(day, interval.start)
            end = datetime.combine(day if interval.end > interval.start else day + timedelta(days=1), interval.end)
            if start <= local < end:
                return True
    return False


five_minute_starts = st.integers(0, 20 * 288).map(
    lambda n: datetime(2026, 10, 1, tzinfo=UTC) + timedelta(minutes=5 * n)
)


@settings(max_examples=100, deadline=None)
@given(random_calendars(), five_minute_starts, st.integers(0, 2 * 288))
def test_random_calendars_match_the_rules(calendar, start, steps):
    # Every 5-minute step is wholly open or closed (intervals are on quarter hours, offsets on half hours)
    step = timedelta(minutes=5)
    expected = sum((step for n in range(steps) if open_by_the_rules(calendar, start + n * step)), _ZERO)
    assert business_time_between(calendar, start, start + steps * step) == expected
    assert is_open(calendar, start) == open_by_the_rules(calendar, start)


@settings(max_examples=100, deadline=None)
@given(random_calendars(), anywhere, st.integers(0, 3 * 86_400).map(lambda seconds: timedelta(seconds=seconds)))
def test_random_calendars_add_and_count_agree(calendar, start, duration):
    result = add_business_time(calendar, start, duration)
    assert business_time_between(calendar, start, result) == duration
    assert is_open(calendar, result) or (duration and is_open(calendar, result - timedelta(microseconds=1)))
