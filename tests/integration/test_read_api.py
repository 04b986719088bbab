"""The read API on moto: auth, tenant isolation, filters, newest-first pagination."""

from __future__ import annotations

import pytest
from chalice.test import Client

from tests.integration.conftest import TOKEN
from tests.integration.test_ingest_email import deliver, mail


def get(stack, path, token=TOKEN):
    with Client(stack.handler("api")) as client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = client.http.get(path, headers=headers)
        return response.status_code, response.json_body


@pytest.fixture
def five_cases(stack):
    ids = []
    for n in range(5):
        (result,), _ = deliver(stack, mail(f"case {n}", sender=f"c{n % 2}@example.com", message_id=f"p{n}@x"), f"s{n}")
        ids.append(result["case_id"])
    return ids


def test_pages_walk_every_case_newest_first_and_end_with_null(stack, five_cases):
    seen, cursor = [], None
    while True:
        status, body = get(stack, "/cases?limit=2" + (f"&next={cursor}" if cursor else ""))
        assert status == 200 and len(body["cases"]) <= 2
        seen += [c["case_id"] for c in body["cases"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == list(reversed(five_cases))


def test_case_fields_are_complete(stack, five_cases):
    case = get(stack, "/cases?limit=1")[1]["cases"][0]
    for field in (
        "case_id",
        "status",
        "channel",
        "subject",
        "customer_id",
        "priority",
        "queue",
        "created_at",
        "version",
    ):
        assert field in case
    assert case["status"] == "new" and case["channel"] == "email" and case["version"] == 1


def test_filters_by_customer_status_and_channel(stack, five_cases):
    everything = get(stack, "/cases")[1]["cases"]
    customer = everything[0]["customer_id"]
    mine = get(stack, f"/cases?customer_id={customer}")[1]["cases"]
    assert {c["customer_id"] for c in mine} == {customer} and 0 < len(mine) < len(everything)
    assert get(stack, "/cases?status=solved")[1]["cases"] == []
    assert len(get(stack, "/cases?status=new&channel=email")[1]["cases"]) == 5
    assert get(stack, "/cases?queue=general&limit=100")[1]["next"] is None


def test_messages_come_in_order(stack, five_cases):
    case_id = five_cases[0]
    deliver(stack, mail("Re: case 0", message_id="later@x", extra="In-Reply-To: <p0@x>\r\n"), "s-later")
    messages = get(stack, f"/cases/{case_id}")[1]["messages"]
    times = [m["created_at"] for m in messages]
    assert times == sorted(times) and messages[0]["direction"] == "inbound"
    for field in ("direction", "channel", "subject", "body_text", "created_at"):
        assert field in messages[0]


def test_other_tenants_cases_are_not_found_and_not_listed(stack, five_cases):
    assert get(stack, f"/cases/{five_cases[0]}", token="globex-token")[0] == 404
    assert get(stack, "/cases", token="globex-token")[1] == {"cases": [], "next": None}


def test_a_cursor_from_another_tenant_is_refused(stack, five_cases):
    cursor = get(stack, "/cases?limit=1")[1]["next"]
    status, body = get(stack, f"/cases?next={cursor}", token="globex-token")
    assert status == 400 and "another listing" in body["Message"]


@pytest.mark.parametrize(
    ("path", "token", "status"),
    [
        ("/cases", None, 401),
        ("/cases", "wrong", 401),
        ("/cases/ZZZZZZZZZZ", TOKEN, 404),
        ("/cases?status=bogus", TOKEN, 400),
        ("/cases?limit=0", TOKEN, 400),
        ("/cases?limit=abc", TOKEN, 400),
        ("/cases?next=%%%", TOKEN, 400),
    ],
)
def test_bad_requests_get_a_reason(stack, path, token, status):
    code, body = get(stack, path, token=token)
    assert code == status and body["Message"]
