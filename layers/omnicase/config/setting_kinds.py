"""How each kind of tenant setting is written: its pydantic type in the document (which parses and checks what a
person wrote), the way back to a hand-written value, and values it takes and refuses (the tests try every one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PlainValidator

from omnicase.config.values import (
    NONE,
    check_low_score,
    check_non_empty,
    check_sns_arn,
    check_time_zone,
    format_duration,
    format_quiet_hours,
    parse_duration,
    parse_duration_or_zero,
    parse_optional_duration,
    parse_quiet_hours,
)
from omnicase.domain.model import Priority


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Kind:
    annotation: Any  # the document field's type: parses and checks the written value
    write: Callable[[Any], Any] = _same  # model value → the document's JSON-safe value, as a person writes it
    read: Callable[[Any], Any] = _same  # the document's parsed value (or the model's default) → model value
    bound: str = ""  # the limit as the README states it, e.g. "at most `90d`"
    takes: tuple[Any, ...] = ()  # written values it accepts
    refuses: tuple[Any, ...] = ()  # written values it refuses (past the bound first, where there is one)


_TEXTS = ("other", "vip")  # the tests' document defines queues and tiers of these names


def duration(at_most: timedelta | None = None, *, zero: bool = False, none: bool = False) -> Kind:
    """A duration ("30s", "4h", "1h30m", whole seconds) longer than zero, at most `at_most`; with `zero` also zero
    ("at once"), with `none` also "none" (or null) for none at all."""
    parser = parse_optional_duration if none else parse_duration_or_zero if zero else parse_duration

    def parse(value: object) -> timedelta | None:
        parsed = parser(value)
        if at_most is not None and parsed is not None and parsed > at_most:
            raise ValueError(f"at most {format_duration(at_most)}, got {format_duration(parsed)}")
        return parsed

    def write(value: timedelta | None) -> str:
        return NONE if value is None else format_duration(value)

    over = () if at_most is None else (format_duration(at_most + timedelta(seconds=1)),)
    return Kind(
        Annotated[timedelta | None if none else timedelta, PlainValidator(parse)],
        write,
        bound=f"at most `{format_duration(at_most)}`" if at_most is not None else "",
        takes=(*(("0s",) if zero else ()), *((NONE,) if none else ()), "1h30m", "20d", 90),
        refuses=(*over, "soon", *(() if zero else ("0s",))),
    )


def whole_number(ge: int, le: int) -> Kind:
    return Kind(
        Annotated[int, Field(ge=ge, le=le)],
        bound=f"{ge}–{le}",
        takes=tuple(range(ge, le + 1)),
        refuses=(le + 1, "many"),
    )


def fraction(gt: float, le: float) -> Kind:
    """A number above `gt`, at most `le` (a relevance threshold)."""
    bound = f"more than {gt:g}, at most {le:g}"
    return Kind(Annotated[float, Field(gt=gt, le=le)], bound=bound, takes=(0.3, le), refuses=(le + 1, gt, "high"))


def optional(kind: Kind) -> Kind:
    """The kind, or nothing (YAML null); a setting whose default is nothing is only written when set."""

    def write(value: Any) -> Any:
        return None if value is None else kind.write(value)

    return Kind(kind.annotation | None, write, kind.read, kind.bound, kind.takes, kind.refuses)


DURATION = duration()
DURATION_OR_ZERO = duration(zero=True)
DURATION_OR_NONE = duration(none=True)  # "none" (or null) turns it off
QUIET_HOURS = Kind(
    Annotated[tuple[time, time] | None, PlainValidator(parse_quiet_hours)],
    format_quiet_hours,
    takes=("22:30-07:00", NONE),
    refuses=("9-5",),
)
SCORE = Kind(Annotated[int, PlainValidator(check_low_score)], bound="1–5", takes=(1, 3, 5), refuses=(6, "low"))
BOOL = Kind(bool, takes=(True, False), refuses=("maybe",))
TEXT = Kind(Annotated[str, AfterValidator(check_non_empty)], takes=_TEXTS, refuses=(" ",))
NAMES = Kind(list[TEXT.annotation], list, tuple, takes=(["vip", "other"], ["other"]), refuses=([""],))
TIME_ZONE = Kind(
    Annotated[str, AfterValidator(check_time_zone)], takes=("Asia/Shanghai", "Europe/Berlin"), refuses=("Asia/Beijing",)
)
SNS_TOPIC_ARN = Kind(
    Annotated[str, AfterValidator(check_sns_arn)],
    takes=("arn:aws:sns:us-east-1:123456789012:escalations",),
    refuses=("my-topic",),
)
PRIORITY = Kind(Priority, lambda value: value.value, takes=tuple(p.value for p in Priority), refuses=("critical",))
# Groups of words searched as one (退款 = 退钱 = refund): each group two words or more.
SYNONYM_GROUPS = Kind(
    Annotated[list[Annotated[list[TEXT.annotation], Field(min_length=2, max_length=50)]], Field(max_length=500)],
    lambda groups: [list(group) for group in groups],
    lambda groups: tuple(tuple(group) for group in groups),
    takes=([["退款", "退钱", "refund"], ["发票", "invoice"]],),
    refuses=([["alone"]],),
)
