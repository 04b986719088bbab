"""The demo tenant's configuration (config/acme.yaml) applied, then real mails routed and given deadlines at intake."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from omnicase.domain.business_hours import add_business_time, business_time_between
from omnicase.domain.tenant_config import SlaTargets
from tests.integration.conftest import ROOT
from tests.integration.test_ingest_email import api, deliver, mail


@pytest.fixture
def acme_config(stack):
    from omnicase.wiring import config_store
    from omnicase_local.config_file import load_config_file

    config = load_config_file(ROOT / "config" / "acme.yaml")
    return config_store().save(config, expected_version=None)


def routed(stack, raw: bytes, ses_id: str) -> dict:
    ((result,), _) = deliver(stack, raw, ses_id)
    return api(stack, f"/cases/{result['case_id']}")[1]["case"]


def test_a_vip_takes_the_green_channel_at_high_priority(stack, acme_config):
    case = routed(stack, mail("Question", sender="ceo@initech.example", message_id="v@x"), "ses-v")
    assert (case["queue"], case["priority"]) == ("vip", "high")
    assert case["service"]["routed_by"] == "green-channel" and case["service"]["tier"] == "vip"


def test_a_key_accounts_case_goes_to_its_dedicated_agent_for_a_while(stack, acme_config):
    case = routed(stack, mail("Login issue", sender="Bob@Globex.example", message_id="k@x"), "ses-k")
    assert (case["queue"], case["assignee"]) == ("key-accounts", "li.na")
    service = case["service"]
    assert service["key_account"] == "globex"
    created = datetime.fromisoformat(case["created_at"])
    assert (datetime.fromisoformat(service["dedicated_until"]) - created).total_seconds() == pytest.approx(4 * 3600)
    assert datetime.fromisoformat(service["next_deadline"]) <= datetime.fromisoformat(service["dedicated_until"])


@pytest.mark.parametrize(
    ("subject", "body", "queue", "rule", "tags"),
    [
        ("发票开错了", "请重新开具发票。", "billing", "billing", ["billing"]),
        ("Payment failed", "Refund please", "billing", "billing", ["billing"]),
        ("App error", "I get ERR-4031 on login", "technical", "error-codes", ["error-code"]),
        ("网站宕机", "首页无法访问", "technical", "outage", ["outage"]),
        ("Hello", "Just saying thanks", "general", "default", []),
    ],
)
def test_rules_pick_the_specialist_queue_first_match_wins(stack, acme_config, subject, body, queue, rule, tags):
    case = routed(stack, mail(subject, message_id=f"{rule}-{queue}@x", body=body), f"ses-{rule}-{queue}")
    assert (case["queue"], case["service"]["routed_by"], case["tags"]) == (queue, rule, tags)
    events = api(stack, f"/cases/{case['case_id']}/events")[1]["events"]
    assert events[0]["kind"] == "routed" and events[0]["detail"]["rule"] == rule


def test_deadlines_are_counted_in_the_office_calendar(stack, acme_config):
    case = routed(stack, mail("Broken printer", message_id="sla@x"), "ses-sla")
    office = acme_config.calendars["office"]
    created = datetime.fromisoformat(case["created_at"])
    due = {d["clock"]: datetime.fromisoformat(d["due_at"]) for d in case["service"]["deadlines"]}
    expected = add_business_time(office, created, acme_config.sla.targets[case["priority"]].first_response)
    assert abs((due["first_response"] - expected).total_seconds()) <= 1  # stored to the second
    assert due["resolution"] > due["first_response"]
    kinds = [e["kind"] for e in api(stack, f"/cases/{case['case_id']}/events")[1]["events"]]
    assert kinds[:2] == ["routed", "deadline_set"]


def test_a_queue_lists_its_open_cases_soonest_deadline_first(stack, acme_config):
    outage = routed(stack, mail("Service is down", message_id="o@x"), "ses-o")  # urgent
    error = routed(stack, mail("ERR-1000", message_id="e@x", body="see subject"), "ses-e")  # normal
    status, queue = api(stack, "/queues/technical")
    assert status == 200
    assert [c["case_id"] for c in queue["cases"]] == [outage["case_id"], error["case_id"]]
    filtered = api(stack, "/cases?priority=urgent&queue=technical")[1]["cases"]
    assert [c["case_id"] for c in filtered] == [outage["case_id"]]


def test_a_deadline_counts_the_working_hours_of_a_make_up_saturday(stack):
    # Given the office calendar with the coming Saturday (and only it) as a make-up working day, and a first-response
    # target longer than any working week (60h), so the deadline lies beyond that Saturday wherever today is
    from omnicase.wiring import config_store
    from omnicase_local.config_file import load_config_file

    acme = load_config_file(ROOT / "config" / "acme.yaml")
    plain = replace(acme.calendars["office"], holidays=frozenset(), workdays=())
    today = datetime.now(ZoneInfo(plain.time_zone)).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    office = replace(plain, workdays=((saturday, plain.weekly[0]),))
    assert acme.sla is not None
    targets = {p: SlaTargets(first_response=timedelta(hours=60)) for p in acme.sla.targets}
    config = replace(
        acme, calendars={**acme.calendars, "office": office}, sla=replace(acme.sla, targets=targets), rules=()
    )
    config_store().save(config, expected_version=None)

    # When a mail arrives
    case = routed(stack, mail("Printer jammed", message_id="makeup@x"), "ses-makeup")

    # Then the deadline counts that Saturday's 8 office hours: 8h less of weekday time than without it
    created = datetime.fromisoformat(case["created_at"])
    due = {d["clock"]: datetime.fromisoformat(d["due_at"]) for d in case["service"]["deadlines"]}["first_response"]
    assert abs((due - add_business_time(office, created, timedelta(hours=60))).total_seconds()) <= 1
    assert due > datetime.combine(saturday, time(18), ZoneInfo(plain.time_zone))
    assert business_time_between(plain, created, due) == pytest.approx(timedelta(hours=52), abs=timedelta(seconds=1))
