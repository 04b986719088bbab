"""GET /me and GET /inbox on moto: the console's work lists, soonest deadline first, with filters, cursors, roles
and tenant isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import islice

import pytest

from omnicase.domain.model import Case, CaseService, Channel
from omnicase.ids import new_case_id
from omnicase.persistence.case_reader import CaseFilters
from omnicase.persistence.case_streams import Reads, open_cases
from tests.integration.console_fixtures import api_get, api_send, console_config, ids, new_case, people  # noqa: F401
from tests.integration.test_sla_report import change_stored
from tests.integration.webhook_client import chat_post


@pytest.fixture
def four(stack, people):  # noqa: F811
    """An urgent, a high and a low case in general, and a normal one in billing; none assigned. Each priority has
    its own deadline (cases made in the same second would otherwise tie, and ties go by case id)."""
    return {
        "urgent": new_case(stack, "Printer outage", 1),
        "high": new_case(stack, "Call me back soon", 2),
        "low": new_case(stack, "A question, answer whenever", 3),
        "billing": new_case(stack, "Invoice copy", 4),
    }


def deadlines(rows):
    return [row["service"]["next_deadline"] for row in rows]


def test_me_names_the_agent_their_queues_the_tenants_queues_and_people(stack, people):  # noqa: F811
    status, me = api_get(stack, "/me", people.li_na)

    assert status == 200
    assert (me["tenant_id"], me["tenant_name"], me["agent_id"], me["name"], me["role"]) == (
        "acme",
        "Acme Support",
        "li.na",
        "Li Na",
        "agent",
    )
    assert me["time_zone"] == "Asia/Shanghai" and me["my_queues"] == ["general"]
    assert me["queues"][:2] == [
        {"name": "general", "description": "Everything else", "supervisor": "wang.fang"},
        {"name": "billing", "description": "Invoices and refunds", "supervisor": "wang.fang"},
    ]
    assert {
        "agent_id": "li.na",
        "name": "Li Na",
        "role": "agent",
        "queues": ["general"],
        "available": True,
        "until": None,
    } in me["agents"]
    tenant_wide = api_get(stack, "/me")[1]
    assert (tenant_wide["agent_id"], tenant_wide["name"], tenant_wide["role"]) == (None, None, "admin")
    assert set(tenant_wide["my_queues"]) >= {"general", "billing"}
    assert api_get(stack, "/me", "globex-token")[1]["tenant_id"] == "globex"


def test_open_views_come_soonest_deadline_first_with_the_rows_extras(stack, four):
    status, page = api_get(stack, "/inbox", view="queue", queue="general")

    assert status == 200 and page["view"] == "queue" and page["next"] is None
    assert ids(page["cases"]) == [four["urgent"], four["high"], four["low"]]
    assert deadlines(page["cases"]) == sorted(deadlines(page["cases"]))
    row = page["cases"][0]
    assert row["first_line"] == "Printer outage" and row["priority"] == "urgent"
    assert row["customer"] == {
        "customer_id": row["customer_id"],
        "display_name": "Ann",
        "tier": None,
        "key_account": None,
        "dedicated_agent": None,
    }
    everything = api_get(stack, "/inbox", view="unassigned")[1]["cases"]  # a tenant-wide token: every queue
    assert ids(everything) == [four["urgent"], four["high"], four["billing"], four["low"]]


def test_unassigned_is_in_my_queues_and_mine_is_what_i_hold(stack, four, people):  # noqa: F811
    assert ids(api_get(stack, "/inbox", people.zhang_wei, view="unassigned")[1]["cases"]) == [four["billing"]]
    for case_id in (four["low"], four["urgent"]):
        assert api_send(stack, "PATCH", f"/cases/{case_id}", {"assignee": "li.na"})[0] == 200

    assert ids(api_get(stack, "/inbox", people.li_na)[1]["cases"]) == [four["urgent"], four["low"]]  # view=mine
    assert ids(api_get(stack, "/inbox", people.li_na, view="unassigned")[1]["cases"]) == [four["high"]]
    assert api_get(stack, "/inbox", people.zhang_wei)[1]["cases"] == []
    assert api_get(stack, "/inbox", view="mine")[0] == 400  # a tenant-wide token without X-Omnicase-Agent


def test_filters_narrow_every_view(stack, four):
    assert ids(api_get(stack, "/inbox", view="unassigned", priority="urgent")[1]["cases"]) == [four["urgent"]]
    assert ids(api_get(stack, "/inbox", view="unassigned", tag="billing")[1]["cases"]) == [four["billing"]]
    assert api_get(stack, "/inbox", view="unassigned", channel="sms")[1]["cases"] == []
    for bad in ({"view": "everything"}, {"view": "queue"}, {"limit": "201"}, {"channel": "fax"}):
        assert api_get(stack, "/inbox", **bad)[0] == 400


def test_a_cursor_pages_on_in_order_and_only_in_its_own_view(stack, four):
    seen, cursor = [], None
    while True:
        params = {"view": "unassigned", "limit": "1", **({"next": cursor} if cursor else {})}
        status, page = api_get(stack, "/inbox", **params)
        assert status == 200 and len(page["cases"]) <= 1
        seen += ids(page["cases"])
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [four["urgent"], four["high"], four["billing"], four["low"]]
    cursor = api_get(stack, "/inbox", view="unassigned", limit="1")[1]["next"]
    status, refused = api_get(stack, "/inbox", view="breached", next=cursor)
    assert status == 400 and "another listing" in refused["Message"]
    assert api_get(stack, "/inbox", view="unassigned", next="not-a-cursor")[0] == 400


def test_at_risk_breached_pending_and_solved_views(stack, four):
    assert ids(api_get(stack, "/inbox", view="at_risk")[1]["cases"]) == [four["urgent"]]  # due within the lead
    change_stored(four["low"], lambda case: setattr(case.service, "breached", ("first_response",)))
    assert ids(api_get(stack, "/inbox", view="breached")[1]["cases"]) == [four["low"]]
    api_send(stack, "PATCH", f"/cases/{four['high']}", {"status": "pending"})
    assert ids(api_get(stack, "/inbox", view="pending")[1]["cases"]) == [four["high"]]
    for case_id in (four["billing"], four["urgent"]):
        api_send(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})

    solved = api_get(stack, "/inbox", view="solved")[1]["cases"]

    assert ids(solved) == [four["urgent"], four["billing"]]  # newest first
    assert four["urgent"] not in ids(api_get(stack, "/inbox", view="unassigned")[1]["cases"])
    page = api_get(stack, "/inbox", view="solved", limit="1")[1]
    assert ids(api_get(stack, "/inbox", view="solved", next=page["next"])[1]["cases"]) == [four["billing"]]


def test_a_chat_case_shows_its_first_line_and_a_customer_change_its_badge(stack, people):  # noqa: F811
    text = "My order never arrived\nIt was due Monday."
    chat_post(stack, {"conversation_id": "c-1", "message_id": "m-1", "user_id": "v-1", "text": text})
    (row,) = api_get(stack, "/inbox", view="unassigned")[1]["cases"]
    assert row["subject"] == "(no subject)" and row["first_line"] == "My order never arrived"
    assert api_send(stack, "PATCH", f"/customers/{row['customer_id']}", {"tier": "vip"}, people.wang_fang)[0] == 200
    (row,) = api_get(stack, "/inbox", view="unassigned")[1]["cases"]
    assert row["customer"]["tier"] == "vip"


def test_another_tenant_sees_none_of_it(stack, four):
    for view in ("unassigned", "breached", "at_risk", "pending", "solved"):
        assert api_get(stack, "/inbox", "globex-token", view=view)[1]["cases"] == []
    assert api_get(stack, "/inbox", "globex-token", view="queue", queue="general")[1]["cases"] == []


def test_the_first_rows_of_a_big_backlog_cost_about_a_page_per_queue(stack):
    from omnicase.wiring import case_store

    now = datetime.now(UTC)
    queues = ("general", "billing", "technical")
    for n in range(90):
        due = now + timedelta(minutes=n)
        case = Case("acme", new_case_id(), Channel.EMAIL, f"case {n}", queue=queues[n % 3], created_at=now)
        case.updated_at, case.service = now, CaseService(next_deadline=due)
        case_store().save(case, [])
    reads = Reads()

    first = [case for _, case in islice(open_cases("acme", queues, CaseFilters(), page_size=5, reads=reads), 10)]

    assert [c.subject for c in first] == [f"case {n}" for n in range(10)]
    assert reads.items == 3 * 5  # one page per queue, however long the backlog behind it


def test_mine_reads_only_the_agents_own_cases(stack, people, monkeypatch):  # noqa: F811
    from omnicase.console_api import inbox
    from omnicase.wiring import case_store

    now = datetime.now(UTC)
    holders, hers = {3: "li.na", 4: "zhang.wei"}, []  # of every ten cases; the rest unassigned
    for n in range(40):  # in two queues, each due sooner than the one made before it
        queue = ("general", "billing")[n % 2]
        case = Case("acme", new_case_id(), Channel.EMAIL, f"case {n}", queue=queue, created_at=now)
        case.updated_at, case.service = now, CaseService(next_deadline=now + timedelta(minutes=60 - n))
        case.assignee = holders.get(n % 10)
        case_store().save(case, [])
        hers += [case.case_id] if case.assignee == "li.na" else []
    given_up, solved, *still_hers = reversed(hers)  # soonest deadline first
    assert api_send(stack, "PATCH", f"/cases/{given_up}", {"assignee": None})[0] == 200
    assert api_send(stack, "PATCH", f"/cases/{solved}", {"status": "solved"})[0] == 200
    reads = Reads()
    assigned = inbox.assigned_cases
    monkeypatch.setattr(inbox, "assigned_cases", lambda *args, **kwargs: assigned(*args, **kwargs, reads=reads))

    status, page = api_get(stack, "/inbox", people.li_na)

    assert status == 200 and ids(page["cases"]) == still_hers and page["next"] is None
    assert reads.items == len(still_hers)  # her own cases only: not the 38 others, nor the two that left her
    assert set(ids(api_get(stack, "/inbox", people.zhang_wei)[1]["cases"])).isdisjoint(hers)


def test_mine_pages_on_with_its_own_cursor(stack, four, people):  # noqa: F811
    for case_id in (four["low"], four["urgent"], four["billing"]):
        assert api_send(stack, "PATCH", f"/cases/{case_id}", {"assignee": "li.na"})[0] == 200
    seen, cursor = [], None
    while True:
        params = {"limit": "1", **({"next": cursor} if cursor else {})}
        status, page = api_get(stack, "/inbox", people.li_na, **params)
        assert status == 200 and len(page["cases"]) <= 1
        seen, cursor = seen + ids(page["cases"]), page["next"]
        if cursor is None:
            break

    assert seen == [four["urgent"], four["billing"], four["low"]]
    first = api_get(stack, "/inbox", people.li_na, limit="1")[1]["next"]
    assert api_get(stack, "/inbox", people.li_na, view="unassigned", next=first)[0] == 400
    assert ids(api_get(stack, "/inbox", people.li_na, next=first)[1]["cases"]) == [four["billing"], four["low"]]
