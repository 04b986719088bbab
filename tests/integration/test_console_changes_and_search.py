"""GET /changes (the feed the console polls) and GET /search on moto."""

from __future__ import annotations

from datetime import timedelta

import pytest

from omnicase.persistence.case_streams import Reads
from tests.integration.console_fixtures import api_get, api_send, ids, new_case
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.webhook_client import twilio_fields, twilio_post


@pytest.fixture
def settled_at_once(monkeypatch):
    """Changes are handed out as soon as they are made (in production they wait SETTLE, see changes.py)."""
    monkeypatch.setattr("omnicase.console_api.changes.SETTLE", timedelta(0))


def poll(stack, cursor: str, token: str | None = None) -> tuple[list[str], str]:
    status, body = api_get(stack, "/changes", **({"token": token} if token else {}), since=cursor)
    assert status == 200
    return ids(body["cases"]), body["cursor"]


def test_a_new_inbound_message_brings_its_case_and_a_quiet_poll_reads_nothing(stack, settled_at_once):
    from omnicase.console_api.changes import read_changes

    case_id = new_case(stack, "Printer broken", 1)
    status, start = api_get(stack, "/changes")
    assert status == 200 and start["cases"] == []

    deliver(stack, mail("Re: Printer broken", message_id="again@x", extra="In-Reply-To: <console-1@x>\r\n"), "ses-2")
    changed, cursor = poll(stack, start["cursor"])

    assert changed == [case_id]
    (row,) = api_get(stack, "/changes", since=start["cursor"])[1]["cases"]
    assert row["message_count"] > 1 and row["first_line"] == "Printer broken" and row["customer"]
    assert poll(stack, cursor)[0] == []
    reads = Reads()
    assert read_changes("acme", {"since": cursor}, reads=reads)["cases"] == [] and reads.items == 0


def test_changes_come_oldest_first_in_pages(stack, settled_at_once, monkeypatch):
    monkeypatch.setattr("omnicase.console_api.changes.MAX_CHANGES", 2)
    cursor = api_get(stack, "/changes")[1]["cursor"]
    made = [new_case(stack, f"case {n}", n) for n in range(3)]

    first, cursor = poll(stack, cursor)
    second, cursor = poll(stack, cursor)

    assert first + second == made and len(first) == 2
    assert poll(stack, cursor)[0] == []


def test_a_change_waits_until_it_settled_and_the_cursor_does_not_step_past_it(stack, monkeypatch):
    # A settle time far longer than the test (not a race against a loaded machine's clock), then none at all
    monkeypatch.setattr("omnicase.console_api.changes.SETTLE", timedelta(minutes=10))
    cursor = api_get(stack, "/changes")[1]["cursor"]
    case_id = new_case(stack, "Printer broken", 1)

    unsettled, cursor = poll(stack, cursor)
    assert unsettled == []  # younger than SETTLE, and the cursor stopped before it: a later poll hands it out
    monkeypatch.setattr("omnicase.console_api.changes.SETTLE", timedelta(0))
    assert poll(stack, cursor)[0] == [case_id]


def test_a_customer_merge_brings_the_moved_cases(stack, settled_at_once):
    kept = new_case(stack, "Printer broken", 1, sender="ann@example.com")
    moved = new_case(stack, "Scanner broken", 2, sender="ann@work.example")
    customers = {c: api_get(stack, f"/cases/{c}")[1]["case"]["customer_id"] for c in (kept, moved)}
    cursor = api_get(stack, "/changes")[1]["cursor"]

    status, _ = api_send(stack, "POST", f"/customers/{customers[kept]}/merge", {"source_customer_id": customers[moved]})

    assert status == 200
    (row,) = api_get(stack, "/changes", since=cursor)[1]["cases"]
    assert (row["case_id"], row["customer_id"]) == (moved, customers[kept])


def test_another_tenants_feed_never_carries_the_case(stack, settled_at_once):
    cursor = api_get(stack, "/changes", "globex-token")[1]["cursor"]
    new_case(stack, "Printer broken", 1)
    assert poll(stack, cursor, token="globex-token")[0] == []


@pytest.mark.parametrize("since", ["nonsense", "eyJsaXN0aW5nIjoiY2hhbmdlcyIsImFmdGVyIjoieCJ9"])
def test_an_invalid_cursor_is_a_400(stack, since):
    status, body = api_get(stack, "/changes", since=since)
    assert status == 400 and body["Code"] == "BadRequestError"


def test_search_finds_a_case_by_its_id_in_any_case(stack):
    case_id = new_case(stack, "Printer broken", 1)
    status, found = api_get(stack, "/search", q=case_id.lower())
    assert status == 200 and ids(found["cases"]) == [case_id] and found["customers"] == []
    assert api_get(stack, "/search", "globex-token", q=case_id)[1] == {"cases": [], "customers": []}


@pytest.mark.parametrize(
    ("sender", "typed"),
    [
        ("+8613800138000", "+86 138-0013-8000"),
        ("+14155552671", "(415) 555-2671"),  # no country code: read as the tenant's SMS number's country (US)
    ],
)
def test_search_finds_a_customer_by_a_phone_number_written_another_way(stack, sender, typed):
    twilio_post(stack, twilio_fields("my parcel is late", "SM" + "1" * 32, sender=sender))

    found = api_get(stack, "/search", q=typed)[1]

    (customer,) = found["customers"]
    assert f"sms:{sender}" in customer["identities"]
    assert [row["customer_id"] for row in found["cases"]] == [customer["customer_id"]]
    assert api_get(stack, "/search", "globex-token", q=typed)[1] == {"cases": [], "customers": []}


def test_search_finds_a_customer_by_email_and_cases_by_text(stack):
    printer = new_case(stack, "Printer broken", 1, sender="ann@example.com")
    outage = new_case(stack, "网站宕机", 2, sender="bo@example.com", body="首页无法访问")

    by_mail = api_get(stack, "/search", q="ANN@Example.com")[1]
    assert [c["customer_id"] for c in by_mail["customers"]] == [by_mail["cases"][0]["customer_id"]]
    assert ids(by_mail["cases"]) == [printer]
    assert ids(api_get(stack, "/search", q="PRINTER")[1]["cases"]) == [printer]
    assert ids(api_get(stack, "/search", q="宕机")[1]["cases"]) == [outage]
    assert api_get(stack, "/search", "globex-token", q="printer")[1]["cases"] == []


@pytest.mark.parametrize("q", ["", "   ", "x" * 201])
def test_a_missing_or_overlong_query_is_a_400(stack, q):
    assert api_get(stack, "/search", q=q)[0] == 400
