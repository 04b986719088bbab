"""PUT /agents/{agent_id}/availability through the API handler on moto (tables from template.yaml, the demo tenant's
config/acme.yaml): going away hands waiting cases back, routing skips the away agent, coming back takes nothing
back, and who may set whose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from omnicase.admin import add_agent_token
from tests.integration.conftest import TOKEN
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture


@pytest.fixture
def tokens(stack, acme_config):  # noqa: F811
    return {
        agent: add_agent_token("acme", agent, role)[0]
        for agent, role in (("li.na", "agent"), ("zhang.wei", "agent"), ("wang.fang", "supervisor"))
    }


def new_case(stack, subject: str, sender: str, message_id: str) -> str:
    ((result,), _) = deliver(stack, mail(subject, sender=sender, message_id=message_id), f"ses-{message_id}")
    return result["case_id"]


def case(stack, case_id: str) -> dict:
    return request(stack, "GET", f"/cases/{case_id}")[1]["case"]


def events(stack, case_id: str) -> list[dict]:
    return request(stack, "GET", f"/cases/{case_id}/events")[1]["events"]


def set_availability(stack, token: str, body: object, agent: str = "me") -> tuple[int, dict]:
    return request(stack, "PUT", f"/agents/{agent}/availability", body, token=token)


def reopened_for_li(stack, tokens: dict[str, str]) -> str:
    """A general case Li Na answered and solved; the customer writes again within the reopen window."""
    case_id = new_case(stack, "Printer broken", "ann@example.com", "first@example.com")
    assert request(stack, "PATCH", f"/cases/{case_id}", {"assignee": "li.na"}, token=tokens["wang.fang"])[0] == 200
    assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "已处理"}, token=tokens["li.na"])[0] == 201
    assert request(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"}, token=tokens["li.na"])[0] == 200
    again = mail("Re: Printer broken", message_id="again@example.com", extra="In-Reply-To: <first@example.com>\r\n")
    ((result,), _) = deliver(stack, again, "ses-again")
    assert result["case_id"] == case_id
    reopened = case(stack, case_id)
    assert (reopened["status"], reopened["assignee"]) == ("open", "li.na")
    return case_id


def test_going_away_hands_back_waiting_cases_routing_skips_the_agent_and_coming_back_takes_nothing(stack, tokens):
    # Given Li Na has a key account's dedicated case, a reopened case, and a dedicated case she already answered
    dedicated = new_case(stack, "Login issue", "bob@globex.example", "k1@globex.example")
    reopened = reopened_for_li(stack, tokens)
    worked = new_case(stack, "Another issue", "eve@globex.example", "k2@globex.example")
    assert request(stack, "POST", f"/cases/{worked}/replies", {"body": "马上看"}, token=tokens["li.na"])[0] == 201
    assert {case(stack, c)["assignee"] for c in (dedicated, reopened, worked)} == {"li.na"}

    # When she goes away
    status, answer = set_availability(stack, tokens["li.na"], {"available": False})

    # Then the two cases waiting for her go back to their queues at once, each saying why
    assert status == 200, answer
    assert (answer["agent_id"], answer["available"], answer["changed_by"]) == ("li.na", False, "li.na")
    assert answer["handed_back"]["count"] == 2
    assert sorted(answer["handed_back"]["case_ids"]) == sorted([dedicated, reopened])
    for case_id, queue in ((dedicated, "key-accounts"), (reopened, "general")):
        now = case(stack, case_id)
        assert (now["assignee"], now["queue"], now["service"]["dedicated_until"]) == (None, queue, None)
        (handed,) = [e for e in events(stack, case_id) if e["kind"] == "handed_back"]
        assert handed["actor"] == "li.na"
        assert handed["detail"] == {"agent_id": "li.na", "cause": "agent_away", "queue": queue}
    assert case(stack, worked)["assignee"] == "li.na"  # work in hand stays hers
    unassigned = request(stack, "GET", "/inbox?view=queue&queue=key-accounts")[1]["cases"]
    assert dedicated in [c["case_id"] for c in unassigned]

    # And a repeat hands back nothing more; routing skips her; /me shows her away
    assert set_availability(stack, tokens["li.na"], {"available": False})[1]["handed_back"] == {
        "count": 0,
        "case_ids": [],
    }
    while_away = case(stack, new_case(stack, "Still broken", "carl@globex.example", "k3@globex.example"))
    assert (while_away["queue"], while_away["assignee"]) == ("key-accounts", None)
    assert "dedicated agent 'li.na' is away" in events(stack, while_away["case_id"])[0]["reason"]
    agents = {a["agent_id"]: a for a in request(stack, "GET", "/me", token=tokens["li.na"])[1]["agents"]}
    assert agents["li.na"]["available"] is False

    # When she comes back, nothing returns to her, but the next dedicated case is hers again
    status, back = set_availability(stack, tokens["li.na"], {"available": True})
    assert (status, back["available"], back["handed_back"]["count"]) == (200, True, 0)
    assert [case(stack, c)["assignee"] for c in (dedicated, reopened, while_away["case_id"])] == [None, None, None]
    assert case(stack, new_case(stack, "Hello again", "dan@globex.example", "k4@globex.example"))["assignee"] == "li.na"


def test_a_supervisor_sets_anyones_availability_an_agent_only_their_own(stack, tokens):
    dedicated = new_case(stack, "Login issue", "bob@globex.example", "k5@globex.example")
    away = {"available": False}

    assert set_availability(stack, tokens["zhang.wei"], away, agent="li.na")[0] == 403
    assert set_availability(stack, tokens["li.na"], away, agent="li.na")[0] == 200  # her own id, like "me"
    assert set_availability(stack, tokens["li.na"], {"available": True})[0] == 200
    status, answer = set_availability(stack, tokens["wang.fang"], away, agent="li.na")
    assert (status, answer["changed_by"], answer["handed_back"]["case_ids"]) == (200, "wang.fang", [])
    # the first away already handed the case back; wang's finds nothing more
    assert case(stack, dedicated)["assignee"] is None
    (handed,) = [e for e in events(stack, dedicated) if e["kind"] == "handed_back"]
    assert handed["actor"] == "li.na"

    globex_supervisor, _ = add_agent_token("globex", "hans.m", "supervisor")
    assert set_availability(stack, globex_supervisor, away, agent="li.na")[0] == 404  # another tenant's agent
    assert set_availability(stack, tokens["wang.fang"], away, agent="nobody")[0] == 404
    status, body = set_availability(stack, TOKEN, away)  # a tenant-wide token has no "me"
    assert status == 400 and "needs an agent" in body["Message"]
    assert set_availability(stack, TOKEN, away, agent="zhang.wei")[0] == 200  # admin: anyone


BAD_BODIES = [
    ({}, "send a JSON object"),
    ({"available": "no"}, "send a JSON object"),
    ({"available": False, "colour": "red"}, "unknown fields: colour"),
    ({"available": False, "until": "tomorrow"}, "ISO 8601 time with its offset"),
    ({"available": False, "until": "2030-01-01T09:00:00"}, "ISO 8601 time with its offset"),
    ({"available": False, "until": "2020-01-01T09:00:00+08:00"}, "must be in the future"),
    ({"available": False, "until": "2999-01-01T09:00:00+08:00"}, "at most 366 days ahead"),
    ({"available": True, "until": "2030-01-01T09:00:00+08:00"}, "until goes with available: false"),
]


def test_a_bad_body_is_a_400_with_the_reason_and_changes_nothing(stack, tokens):
    for body, reason in BAD_BODIES:
        status, answer = set_availability(stack, tokens["li.na"], body)

        assert status == 400 and reason in answer["Message"], body
    agents = {a["agent_id"]: a for a in request(stack, "GET", "/me", token=tokens["li.na"])[1]["agents"]}
    assert agents["li.na"]["available"] is True


def test_too_long_an_agent_id_is_a_400_naming_the_field(stack, tokens):
    status, answer = set_availability(stack, tokens["wang.fang"], {"available": False}, agent="x" * 65)
    assert (status, answer["Code"], answer["field"]) == (400, "too-long", "agent_id")


def test_away_until_a_time_ends_by_itself_and_a_config_apply_keeps_what_agents_set(stack, tokens):
    from dataclasses import replace

    from omnicase.domain.availability import AgentAvailability
    from omnicase.wiring import availability_store, config_store, tenant_configs

    until = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    status, answer = set_availability(stack, tokens["li.na"], {"available": False, "until": until.isoformat()})
    assert (status, answer["until"]) == (200, until.isoformat())
    # /me says until when, so a reloaded console shows "away until …", not just "away"
    agents = {a["agent_id"]: a for a in request(stack, "GET", "/me", token=tokens["li.na"])[1]["agents"]}
    assert (agents["li.na"]["available"], agents["li.na"]["until"]) == (False, until.isoformat())
    assert agents["wang.fang"]["until"] is None

    # A config apply (a new version) does not bring her back: the YAML is the default, the API the current state
    current = config_store().load("acme", cached=False)
    config_store().save(replace(current, time_zone="Asia/Shanghai"), expected_version=current.version)
    assert tenant_configs().config_for("acme").agents["li.na"].available is False

    # Once `until` has passed she counts as available again, with no sweep having run
    passed = AgentAvailability("li.na", False, datetime.now(UTC) - timedelta(seconds=1), "li.na", datetime.now(UTC))
    availability_store().put("acme", passed)
    assert tenant_configs().config_for("acme").agents["li.na"].available is True
    # ...and the YAML's own away agent stays away
    assert tenant_configs().config_for("acme").agents["sam.taylor"].available is False
    assert set(availability_store().states("acme")) == {"li.na"}
