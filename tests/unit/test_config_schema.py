"""The configuration document: values, shape, references between sections, and the way back to a document."""

from __future__ import annotations

import copy
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from omnicase.config import (
    ConfigError,
    config_to_document,
    format_duration,
    format_path,
    parse_config,
    parse_duration,
    parse_holiday,
    parse_interval,
)
from omnicase.domain.model import Channel, Priority
from omnicase.domain.tenant_config import GreenChannel, WorkInterval
from omnicase_local.config_file import load_config_file

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "acme.yaml"


def base() -> dict:
    """A small valid document each test bends one way."""
    return {
        "tenant": "acme",
        "time_zone": "Asia/Shanghai",
        "default_queue": "general",
        "calendars": {
            "office": {"hours": {"mon": ["09:00-12:00", "13:00-18:00"], "fri": "09:00-17:00"}},
            "always": {"always_open": True},
        },
        "sla": {"calendar": "office", "targets": {"urgent": {"first_response": "30m", "resolution": "4h"}}},
        "queues": {"general": {}, "billing": {"supervisor": "wang.fang"}, "escalations": None, "vip": {}},
        "agents": {"li.na": {"name": "Li Na", "queues": ["billing"]}, "wang.fang": {"role": "supervisor"}},
        "managers": ["wang.fang"],
        "tiers": [{"tier": "vip", "match": ["email:ceo@initech.example"]}],
        "key_accounts": [
            {"id": "globex", "match": ["email:*@globex.example"], "queue": "billing", "dedicated_agent": "li.na"}
        ],
        "rules": [
            {"name": "billing", "when": {"keywords": ["invoice", "发票"]}, "then": {"queue": "billing"}},
            {"name": "errors", "when": {"patterns": [r"ERR-\d+"]}, "then": {"priority": "high", "tags": ["err"]}},
        ],
    }


def problems_of(document: dict, tenant: str = "acme") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(tenant, document)
    return [str(p) for p in caught.value.problems]


# --- the example and the way back --------------------------------------------------------------------------------


def test_the_example_file_is_a_full_valid_configuration():
    config = load_config_file(EXAMPLE)
    assert config.tenant_id == "acme" and config.time_zone == "Asia/Shanghai"
    office = config.calendars["office"]
    assert office.weekly[0] == (WorkInterval(time(9), time(12)), WorkInterval(time(13), time(18)))
    assert office.weekly[5] == () and office.weekly[6] == ()
    assert {date(2026, 10, d) for d in range(1, 8)} <= office.holidays
    assert config.calendars["always"].always_open
    assert config.calendars["night-desk"].weekly[0] == (WorkInterval(time(22), time(6)),)
    assert config.sla is not None and config.sla.targets[Priority.URGENT].first_response == timedelta(minutes=30)
    assert {"billing", "technical", "vip", "key-accounts", "escalations"} <= set(config.queues)
    (globex,) = config.key_accounts
    assert globex.account_id == "globex" and globex.dedicated_agent == "li.na"
    assert globex.dedicated_for == timedelta(hours=4)
    assert config.green_channel == GreenChannel(("vip",), "vip", Priority.HIGH)
    keywords = {k for rule in config.rules for k in rule.when.keywords}
    assert {"invoice", "发票", "退款"} <= keywords
    assert config.agents["sam.taylor"].available is False
    assert config.rules[-1].when.between == (time(18), time(9))
    assert config.rules[-1].when.channels == (Channel.CHAT, Channel.WECHAT)


def test_the_example_round_trips():
    config = load_config_file(EXAMPLE)
    assert parse_config("acme", config_to_document(config)) == config


def test_a_small_document_round_trips_and_defaults_stay_out_of_it():
    config = parse_config("acme", base())
    document = config_to_document(config)
    assert parse_config("acme", document) == config
    assert "green_channel" not in document and "escalation" not in document
    assert document["calendars"]["office"]["time_zone"] == "Asia/Shanghai"  # inherited from the tenant
    assert document["calendars"]["office"]["hours"]["fri"] == ["09:00-17:00"]


def test_the_document_is_json_safe():
    import json

    document = config_to_document(load_config_file(EXAMPLE))
    assert json.loads(json.dumps(document)) == document


def test_a_changed_configuration_gives_a_different_document():
    document = base()
    changed = copy.deepcopy(document)
    changed["rules"][0]["when"]["keywords"].append("refund")
    assert config_to_document(parse_config("acme", document)) != config_to_document(parse_config("acme", changed))


# --- values ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("4h", timedelta(hours=4)),
        ("2d", timedelta(days=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        (90, timedelta(seconds=90)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected
    assert parse_duration(format_duration(expected)) == expected


@pytest.mark.parametrize("text", ["", "15", "1.5h", "h", "30m1h", "-5m", "0m", 0, -3, True, None, "4 hours"])
def test_bad_durations(text):
    with pytest.raises(ValueError, match=r"duration|longer than zero"):
        parse_duration(text)


def test_durations_are_written_in_the_largest_units():
    assert format_duration(timedelta(hours=26, minutes=5)) == "1d2h5m"
    assert format_duration(timedelta(minutes=90)) == "1h30m"


def test_intervals_and_overnight_shifts():
    assert parse_interval("09:00-18:00") == WorkInterval(time(9), time(18))
    assert parse_interval("22:00-06:00") == WorkInterval(time(22), time(6))  # end before start: past midnight
    assert parse_interval("18:00-24:00") == WorkInterval(time(18), time(0))  # until midnight
    assert parse_interval("0:00-24:00") == WorkInterval(time(0), time(0))  # the whole day


@pytest.mark.parametrize("text", ["9-18", "09:00", "09:60-10:00", "25:00-26:00", "24:00-06:00", "09:00-24:30", 900])
def test_bad_intervals(text):
    with pytest.raises(ValueError):
        parse_interval(text)


def test_holidays_single_and_ranges():
    assert parse_holiday("2026-10-01") == (date(2026, 10, 1),)
    assert parse_holiday(date(2026, 10, 1)) == (date(2026, 10, 1),)
    assert parse_holiday("2026-09-30..2026-10-02") == (date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 2))
    for bad in ("2026-13-01", "2026-10-07..2026-10-01", "2026-01-01..2027-06-01", "tomorrow"):
        with pytest.raises(ValueError):
            parse_holiday(bad)


def test_holidays_come_back_as_ranges_and_single_days():
    document = base()
    document["calendars"]["office"]["holidays"] = ["2026-10-01..2026-10-07", "2026-01-01", "2026-05-01", "2026-05-02"]
    written = config_to_document(parse_config("acme", document))["calendars"]["office"]["holidays"]
    assert written == ["2026-01-01", "2026-05-01", "2026-05-02", "2026-10-01..2026-10-07"]


def test_wall_times_are_kept_as_written_whatever_daylight_saving_does():
    # Calendars hold local wall times; DST is the SLA clock's business, so a DST zone changes nothing here.
    document = base()
    document["calendars"]["office"] = {
        "time_zone": "America/New_York",
        "hours": {"sun": ["01:30-03:00"]},  # 2026-03-08: 02:00-03:00 does not exist in New York
        "holidays": ["2026-03-08", "2026-11-01"],
    }
    config = parse_config("acme", document)
    office = config.calendars["office"]
    assert office.time_zone == "America/New_York"
    assert office.weekly[6] == (WorkInterval(time(1, 30), time(3)),)
    assert parse_config("acme", config_to_document(config)) == config


def test_format_path_quotes_keys_that_are_not_plain_words():
    assert format_path(("rules", 2, "when", "patterns", 0)) == "rules[2].when.patterns[0]"
    assert format_path(("agents", "li.na", "email")) == 'agents["li.na"].email'
    assert format_path(("queues", "key-accounts")) == "queues.key-accounts"


# --- shape -------------------------------------------------------------------------------------------------------


def test_unknown_fields_are_errors_with_a_suggestion():
    document = base()
    document["sla"]["warning_befor"] = "10m"
    document["rules"][0]["when"]["keyword"] = ["x"]
    assert problems_of(document) == [
        'sla.warning_befor: unknown field (did you mean "warning_before"?)',
        'rules[0].when.keyword: unknown field (did you mean "keywords"?)',
    ]


def test_an_unknown_field_far_from_any_lists_the_allowed_ones():
    document = base()
    document["queues"]["general"] = {"zzz": 1}
    (problem,) = problems_of(document)
    assert problem == "queues.general.zzz: unknown field (allowed: description, supervisor)"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d["rules"][1]["when"].update(patterns=["ok", "[a-"]), "rules[1].when.patterns[1]: bad regular expr"),
        (lambda d: d["rules"][1]["when"].update(patterns=[""]), "rules[1].when.patterns[0]: an empty pattern"),
        (lambda d: d["rules"][0]["when"].update(keywords=[" "]), "rules[0].when.keywords[0]: must not be empty"),
        (lambda d: d["rules"][0]["when"].update(channels=["fax"]), "rules[0].when.channels[0]: unknown channel 'fax'"),
        (lambda d: d["rules"][0]["when"].update(between="18:00-18:00"), "rules[0].when.between: start and end"),
        (lambda d: d["rules"][0]["then"].update(priority="critical"), "rules[0].then.priority: Input should be 'low'"),
        (lambda d: d["rules"][0].pop("then"), "rules[0].then: required"),
        (lambda d: d.update(time_zone="Asia/Beijing"), 'time_zone: unknown time zone "Asia/Beijing"'),
        (lambda d: d["calendars"]["office"].update(time_zone="CST+8"), "calendars.office.time_zone: unknown time"),
        (lambda d: d["calendars"]["office"]["hours"].update(mon=["9-12"]), "calendars.office.hours.mon[0]: expected"),
        (lambda d: d["calendars"]["office"]["hours"].update(monday=[]), "calendars.office.hours.monday: unknown field"),
        (lambda d: d["calendars"]["office"].update(holidays=["2026-02-30"]), "calendars.office.holidays[0]: expected"),
        (lambda d: d["sla"].update(warning_before="soon"), "sla.warning_before: expected a duration"),
        (lambda d: d["sla"]["targets"].update(critical={}), "sla.targets.critical: unknown field"),
        (lambda d: d["sla"]["targets"]["urgent"].update(resolution="0s"), "sla.targets.urgent.resolution: must be"),
        (lambda d: d["agents"]["li.na"].update(email="li.na"), 'agents["li.na"].email: "li.na" is not an email'),
        (lambda d: d["agents"]["li.na"].update(role="boss"), "agents[\"li.na\"].role: Input should be 'agent'"),
        (lambda d: d["tiers"][0].update(match=["ceo@initech.example"]), 'tiers[0].match[0]: expected "<channel>:'),
        (lambda d: d["key_accounts"][0].update(match=[]), "key_accounts[0].match: List should have at least 1"),
        (lambda d: d.update(escalation={"max_level": 5}), "escalation.max_level: Input should be less than or equal"),
        (lambda d: d.update(notify_topic_arn="my-topic"), 'notify_topic_arn: "my-topic" is not an SNS topic ARN'),
        (lambda d: d.update(queues=["general"]), "queues: Input should be a valid dictionary"),
    ],
)
def test_shape_problems_name_the_field(edit, expected):
    document = base()
    edit(document)
    problems = problems_of(document)
    assert any(p.startswith(expected) for p in problems), problems


def test_every_shape_problem_is_reported_at_once():
    document = base()
    document["sla"]["warning_before"] = "soon"
    document["rules"][1]["when"]["patterns"] = ["("]
    document["agents"]["li.na"]["email"] = "nope"
    assert [p.split(":")[0] for p in problems_of(document)] == [
        "sla.warning_before",
        'agents["li.na"].email',
        "rules[1].when.patterns[0]",
    ]


def test_a_document_that_is_not_a_mapping():
    assert problems_of(["tenant", "acme"]) == ["the configuration must be a mapping of fields"]  # type: ignore[arg-type]


# --- references between sections ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (
            lambda d: d["sla"].update(calendar="ofice"),
            "sla.calendar",
            'no calendar "ofice" in calendars (did you mean "office"?)',
        ),
        (lambda d: d.update(default_queue="support"), "default_queue", 'no queue "support" in queues'),
        (
            lambda d: d.pop("default_queue") and d["queues"].pop("general"),
            "default_queue",
            'no queue "general" in queues (defined: billing, escalations, vip)'
            " (the default; add it or set default_queue)",
        ),
        (
            lambda d: d["rules"][0]["then"].update(queue="biling"),
            "rules[0].then.queue",
            'no queue "biling" in queues (did you mean "billing"?)',
        ),
        (
            lambda d: d["rules"][0]["then"].update(assignee="li.nah"),
            "rules[0].then.assignee",
            'no agent "li.nah" in agents (did you mean "li.na"?)',
        ),
        (lambda d: d["rules"][0]["when"].update(tiers=["gold"]), "rules[0].when.tiers[0]", 'no tier "gold" in tiers'),
        (
            lambda d: d["rules"][1].update(name="billing"),
            "rules[1].name",
            'duplicate rule name "billing" (also at [0])',
        ),
        (lambda d: d["rules"][0].update(then={}), "rules[0].then", "the rule does nothing"),
        (lambda d: d["key_accounts"][0].update(queue="globex"), "key_accounts[0].queue", 'no queue "globex" in queues'),
        (
            lambda d: d["key_accounts"][0].update(dedicated_agent="zhao.lei"),
            "key_accounts[0].dedicated_agent",
            'no agent "zhao.lei"',
        ),
        (
            lambda d: d["key_accounts"].append(dict(d["key_accounts"][0], match=["sms:+86"])),
            "key_accounts[1].id",
            'duplicate key account "globex"',
        ),
        (
            lambda d: d["key_accounts"].append(dict(d["key_accounts"][0], id="initech")),
            "key_accounts[1].match[0]",
            '"email:*@globex.example" is already matched by key_accounts[0]',
        ),
        (lambda d: d["tiers"].append({"tier": "vip", "match": ["sms:+1"]}), "tiers[1].tier", 'duplicate tier "vip"'),
        (
            lambda d: d.update(green_channel={"tiers": ["vip", "gold"]}),
            "green_channel.tiers[1]",
            'no tier "gold" in tiers',
        ),
        (lambda d: d["queues"].pop("vip"), "green_channel.queue", 'no queue "vip" in queues'),
        (lambda d: d.update(escalation={"queue": "esc"}), "escalation.queue", 'no queue "esc" in queues'),
        (lambda d: d["queues"].pop("escalations"), "escalation.queue", 'no queue "escalations" in queues'),
        (lambda d: d["queues"]["billing"].update(supervisor="boss"), "queues.billing.supervisor", 'no agent "boss"'),
        (
            lambda d: d["agents"]["li.na"].update(queues=["billing", "vipp"]),
            'agents["li.na"].queues[1]',
            'no queue "vipp"',
        ),
        (lambda d: d["agents"]["li.na"].update(supervisor="wang"), 'agents["li.na"].supervisor', 'no agent "wang"'),
        (lambda d: d["agents"]["li.na"].update(supervisor="li.na"), 'agents["li.na"].supervisor', "an agent cannot be"),
        (lambda d: d.update(managers=["zhao.lei"]), "managers[0]", 'no agent "zhao.lei" in agents'),
        (lambda d: d["queues"].update({"two words": {}}), 'queues["two words"]', "bad name"),
        (lambda d: d["queues"].update({"q" * 65: {}}), "queues." + "q" * 65, "name longer than 64 bytes"),
        (lambda d: d["calendars"].update(empty={"hours": {"sat": []}}), "calendars.empty.hours", "no working hours"),
        (
            lambda d: d["calendars"]["always"].update(hours={"mon": "09:00-10:00"}),
            "calendars.always",
            "an always_open calendar takes no hours",
        ),
        (
            lambda d: d["calendars"]["office"]["hours"].update(mon=["09:00-12:00", "11:00-13:00"]),
            "calendars.office.hours.mon[1]",
            '"11:00-13:00" overlaps mon "09:00-12:00"',
        ),
        (
            lambda d: d["calendars"]["office"]["hours"].update(sun="22:00-10:00"),
            "calendars.office.hours.mon[0]",
            '"09:00-12:00" overlaps sun "22:00-10:00"',
        ),
    ],
)
def test_reference_problems_name_the_field(edit, path, message):
    document = base()
    edit(document)
    problems = problems_of(document)
    assert any(p.startswith(f"{path}: {message}") for p in problems), problems


def test_the_tenant_in_the_document_must_be_the_one_applied_to():
    assert problems_of(base(), tenant="globex") == ['tenant: this configuration is for tenant "acme", not "globex"']


def test_an_sla_needs_an_escalation_queue_but_no_sla_needs_none():
    document = base()
    del document["queues"]["escalations"]
    document.pop("sla")
    assert parse_config("acme", document).sla is None


def test_the_default_green_channel_needs_its_queue_only_when_its_tier_exists():
    document = base()
    del document["queues"]["vip"]
    document["tiers"] = [{"tier": "gold", "match": ["email:*@gold.example"]}]
    assert parse_config("acme", document).green_channel == GreenChannel()


def test_touching_intervals_and_overnight_shifts_do_not_overlap():
    document = base()
    document["calendars"]["office"]["hours"] = {
        "mon": ["09:00-12:00", "12:00-18:00", "22:00-06:00"],
        "tue": ["06:00-12:00"],
        "sun": "00:00-24:00",
    }
    office = parse_config("acme", document).calendars["office"]
    assert office.weekly[0][2] == WorkInterval(time(22), time(6))
    assert office.weekly[6] == (WorkInterval(time(0), time(0)),)


def test_every_reference_problem_is_reported_at_once():
    document = base()
    document["sla"]["calendar"] = "nope"
    document["rules"][0]["then"]["queue"] = "nope"
    document["managers"] = ["nobody"]
    paths = [p.split(":")[0] for p in problems_of(document)]
    assert paths == ["sla.calendar", "managers[0]", "rules[0].then.queue"]


def test_names_default_to_ids():
    config = parse_config("acme", base())
    assert config.agents["wang.fang"].name == "wang.fang"
    assert config.key_accounts[0].name == "globex"
    assert config.agents["wang.fang"].role == "supervisor"
