"""The document's scalar values, read and written as a person types them: durations, times, hours, dates, names.

Each parser raises ValueError with a message fit to show next to the field.
"""

from __future__ import annotations

import difflib
import json
import re
import string
from collections.abc import Iterable
from datetime import date, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from omnicase.domain.channel_traits import TextShape, known_channels, traits_of
from omnicase.domain.customer_texts import KINDS, LANGUAGES
from omnicase.domain.reply_quality import normalize_for_matching
from omnicase.domain.tenant_config import CASE_WEBHOOK_EVENTS, WorkInterval

_MAX_HOLIDAY_RANGE = 366  # a longer range is a typo in a year, not a holiday

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def format_path(path: Iterable[str | int]) -> str:
    """("rules", 2, "when") → `rules[2].when`; keys that are not plain words are quoted: `agents["li.na"]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_DURATION_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def parse_duration(value: object) -> timedelta:
    """ "30s", "15m", "4h", "2d", "1h30m", or whole seconds; always more than zero."""
    seconds: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and (match := _DURATION.fullmatch(value.strip())) and any(match.groups()):
        days, hours, minutes, secs = (int(g or 0) for g in match.groups())
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
    if seconds is None:
        raise ValueError(f'expected a duration like "30s", "15m", "4h", "2d", "1h30m" or seconds, got {value!r}')
    if seconds <= 0:
        raise ValueError("must be longer than zero")
    return timedelta(seconds=seconds)


def parse_duration_or_zero(value: object) -> timedelta:
    """A duration that may be zero ("0s", 0): "at once"."""
    if value in (0, "0", "0s") and not isinstance(value, bool):
        return timedelta(0)
    return parse_duration(value)


def format_duration(value: timedelta) -> str:
    remaining = int(value.total_seconds())
    parts = []
    for unit, size in _DURATION_UNITS:
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


_TIME = re.compile(r"([01]?\d|2[0-4]):([0-5]\d)")


def parse_time(value: object, *, end: bool = False) -> time:
    """ "09:00"; "24:00" only as the end of an interval (it means midnight, the start of the next day)."""
    match = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'expected a time like "09:00", got {value!r}')
    hour, minute = int(match[1]), int(match[2])
    if hour == 24 and (minute or not end):
        raise ValueError(f'"{value}" is not a time of day (24:00 may only end an interval)')
    return time(hour % 24, minute)


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def parse_interval(value: object) -> WorkInterval:
    """ "09:00-18:00"; an end at or before the start runs past midnight ("22:00-06:00", "00:00-24:00")."""
    if not isinstance(value, str) or value.count("-") != 1:
        raise ValueError(f'expected hours like "09:00-18:00" (or "22:00-06:00" overnight), got {value!r}')
    start, end = value.split("-")
    return WorkInterval(parse_time(start), parse_time(end, end=True))


def format_interval(value: WorkInterval) -> str:
    return f"{format_time(value.start)}-{format_time(value.end)}"


def interval_minutes(value: WorkInterval) -> tuple[int, int]:
    start = value.start.hour * 60 + value.start.minute
    end = value.end.hour * 60 + value.end.minute
    return start, end + 1440 if end <= start else end


def parse_between(value: object) -> tuple[time, time]:
    interval = parse_interval(value)
    if interval.start == interval.end:
        raise ValueError("start and end are the same: leave `between` out to match at any time")
    return interval.start, interval.end


NONE = "none"  # written for an optional setting that is off: `reminder_after: none`, `quiet_hours: none`


def _is_none(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() == NONE)


def parse_optional_duration(value: object) -> timedelta | None:
    """A duration, or "none" (also YAML null) for none at all."""
    if _is_none(value):
        return None
    try:
        return parse_duration(value)
    except ValueError as error:
        raise ValueError(f'{error} (or "none")') from None


def parse_quiet_hours(value: object) -> tuple[time, time] | None:
    """ "21:00-09:00" (an end before the start runs past midnight), or "none" (also YAML null)."""
    if _is_none(value):
        return None
    try:
        interval = parse_interval(value)
    except ValueError as error:
        raise ValueError(f'{error} (or "none")') from None
    if interval.start == interval.end:
        raise ValueError('start and end are the same: write "none" for no quiet hours')
    return interval.start, interval.end


def format_quiet_hours(value: tuple[time, time] | None) -> str:
    return format_interval(WorkInterval(*value)) if value is not None else NONE


SURVEY_SCORES = range(1, 6)


def check_low_score(value: object) -> int:
    """A whole number 1..5 (survey scores run from 1, very poor, to 5, excellent)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be 1..5, got {value!r}")
    if value not in SURVEY_SCORES:
        raise ValueError("must be 1..5")
    return value


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f'expected a date like "2026-10-01", got {text!r}') from None


def parse_holiday(value: object) -> tuple[date, ...]:
    """ "2026-10-01", or an inclusive range "2026-10-01..2026-10-07"."""
    if isinstance(value, date):
        return (value,)
    if not isinstance(value, str):
        raise ValueError(f'expected a date like "2026-10-01" or a range "2026-10-01..2026-10-07", got {value!r}')
    first_text, _, last_text = value.partition("..")
    first = _parse_date(first_text)
    last = _parse_date(last_text) if last_text else first
    days = (last - first).days
    if not 0 <= days < _MAX_HOLIDAY_RANGE:
        raise ValueError(f"range {value!r} must run forwards and span less than a year")
    return tuple(first + timedelta(days=n) for n in range(days + 1))


def holiday_entries(dates: Iterable[date]) -> list[str]:
    """Dates as written by hand: runs of three or more consecutive days as one range."""
    entries: list[str] = []
    ordered = sorted(dates)
    start = 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or ordered[i] - ordered[i - 1] != timedelta(days=1):
            run = ordered[start:i]
            if len(run) >= 3:
                entries.append(f"{run[0].isoformat()}..{run[-1].isoformat()}")
            else:
                entries.extend(d.isoformat() for d in run)
            start = i
    return entries


def check_time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError; malformed names raise ValueError
        raise ValueError(f'unknown time zone "{value}" (use an IANA name like "Asia/Shanghai")') from None
    return value


def check_regex(value: str) -> str:
    if not value:
        raise ValueError("an empty pattern matches every case: leave `patterns` out instead")
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"bad regular expression: {error}") from None
    return value


def check_identity(value: str) -> str:
    channel, _, address = value.partition(":")
    channels = known_channels()
    if channel not in channels or not address.strip():
        raise ValueError(f'expected "<channel>:<address pattern>" with channel one of {", ".join(channels)}')
    return value


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def check_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError(f'"{value}" is not an email address')
    return value


def check_sns_arn(value: str) -> str:
    if not re.fullmatch(r"arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w.-]+", value):
        raise ValueError(f'"{value}" is not an SNS topic ARN')
    return value


def check_non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def check_banned_phrase(value: str) -> str:
    if not normalize_for_matching(value):
        raise ValueError("nothing to match: spaces, punctuation and symbols are ignored, so give letters or digits")
    return value


_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_MAX_URL = 2048


def check_webhook_url(value: str) -> str:
    """https with a host; plain http only to this machine (local testing), never across a network."""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise ValueError(f'"{value}" has a bad port') from None
    if len(value) > _MAX_URL or any(c.isspace() for c in value) or not parts.hostname:
        raise ValueError(f'expected a URL like "https://hooks.example.com/omnicase", got {value!r}')
    if parts.username is not None or parts.password is not None:
        # The document is shown by `config show`; deliveries are signed, so receivers need no password in the URL.
        raise ValueError("no user or password in the URL: check the signature of each delivery instead")
    if parts.scheme == "http" and parts.hostname not in _LOCAL_HOSTS:
        raise ValueError("use https (plain http only to localhost or 127.0.0.1, for local testing)")
    if parts.scheme not in ("https", "http"):
        raise ValueError(f'expected an https URL, got scheme "{parts.scheme}"')
    return value


def check_webhook_event(value: str) -> str:
    if value not in CASE_WEBHOOK_EVENTS:
        raise ValueError(f'unknown event "{value}" (one of: {", ".join(CASE_WEBHOOK_EVENTS)})')
    return value


# Customer-facing texts (`texts.<kind>.<channel>.<language>`): "short" serves SMS, WeChat and chat unless the
# channel has its own text. A channel whose texts go out on another's (phone → sms) reads that one's.
def text_channels() -> tuple[str, ...]:
    """The channels a text may be written for: each registered one that sends its own texts, and "short"."""
    return (*(c for c in known_channels() if not traits_of(c).text_by), TextShape.SHORT.value)


TEXT_PLACEHOLDERS = ("tenant", "case_id", "name", "subject", "expected_reply", "note", "links", "page")
MAX_TEXT = 2000


def _one_of(what: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        close = difflib.get_close_matches(value, allowed, n=1)
        hint = f'did you mean "{close[0]}"?' if close else f"one of: {', '.join(allowed)}"
        raise ValueError(f'unknown {what} "{value}" ({hint})')
    return value


def check_text_kind(value: str) -> str:
    return _one_of("kind of text", value, KINDS)


def check_text_channel(value: str) -> str:
    if value in known_channels() and (carrier := traits_of(value).text_by):
        raise ValueError(f'channel "{value}" sends its texts by {carrier}: write them under "{carrier}"')
    return _one_of("channel", value, text_channels())


def check_text_language(value: str) -> str:
    return _one_of("language", value, LANGUAGES)


def text_placeholders(value: str) -> list[str]:
    """The placeholders of a template in order, e.g. ["name", "case_id"]; ValueError for a stray brace."""
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError as error:
        raise ValueError(f"bad placeholder: {error} (write {{{{ and }}}} for a brace of its own)") from None
    names = []
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if field == "":
            raise ValueError(f"empty placeholder {{}}: name one of {_placeholder_list()}")
        if spec or conversion:
            # Rendering would apply them to every value, and a bad one breaks the text at sending time.
            raise ValueError(f"placeholder {{{field}}} takes no format or conversion: write {{{field}}}")
        names.append(field)
    return names


def _placeholder_list() -> str:
    return " ".join(f"{{{p}}}" for p in TEXT_PLACEHOLDERS)


def check_canned_text(value: str) -> str:
    """A canned reply's template: as a customer text, with the placeholders an agent's reply fills."""
    from omnicase.domain.canned_replies import CANNED_PLACEHOLDERS

    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"too long: {len(value)} characters (at most {MAX_TEXT})")
    for name in text_placeholders(value):
        if name not in CANNED_PLACEHOLDERS:
            known = " ".join(f"{{{p}}}" for p in CANNED_PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {{{name}}} (known in canned replies: {known})")
    return value


def check_customer_text(value: str) -> str:
    """A customer-facing template: not empty, at most MAX_TEXT characters, known placeholders only."""
    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"too long: {len(value)} characters (at most {MAX_TEXT})")
    for name in text_placeholders(value):
        if name not in TEXT_PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {{{name}}} (known: {_placeholder_list()})")
    return value
