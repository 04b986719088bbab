"""The SLA report on moto: cases in by chat and mail, answered (or not) through the API, counted by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from omnicase.console_api.sla_report_view import sla_report_view
from omnicase.domain.model import Case
from omnicase_local.cli import main
from omnicase_local.streams import drain
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.webhook_client import chat_post

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAILS = [  # subject, body → what the acme rules make of it
    ("Refund for order 42", "Please refund."),  # billing, [billing]
    ("Re: Refund for order 42", "Still waiting for the refund."),  # billing, [billing]
    ("网站宕机", "首页无法访问"),  # technical, [outage]
    ("Printer broken", "It broke."),  # general
    ("Old question", "From last week."),  # moved out of the window below
]


def change_stored(case_id: str, change: Callable[[Case], None]) -> None:
    """What later issues (callbacks, complaints) and the escalation timers do to a case, done directly."""
    from omnicase.wiring import case_store

    drain()  # the intake's stream work is done: nothing else writes the case meanwhile
    store = case_store()
    case = store.get("acme", case_id)
    assert case is not None and case.created_at is not None
    change(case)
    store.save(case, [])


def backdate(by: timedelta) -> Callable[[Case], None]:
    def change(case: Case) -> None:
        assert case.created_at is not None
        case.created_at -= by

    return change


def printed_document(out: str) -> object:
    """The indented JSON document in stdout (stream handlers running in threads may log single lines around it)."""
    lines = out.splitlines()
    first = lines.index("{")
    return json.loads("\n".join(lines[first : lines.index("}", first) + 1]))


def test_the_report_agrees_with_a_hand_count_of_what_happened(stack, acme_config, capsys):  # noqa: F811
    now = datetime.now(UTC)
    chats = [
        chat_post(stack, {"conversation_id": f"conv-{n}", "message_id": f"m-{n}", "user_id": f"v-{n}", "text": "hi"})
        for n in range(3)
    ]
    chat = [response.json_body["case_id"] for response in chats]
    mails = [
        deliver(stack, mail(subject, sender=f"c{n}@example.com", message_id=f"r{n}@example.com", body=body), f"s{n}")
        for n, (subject, body) in enumerate(MAILS)
    ]
    email = [results[0]["case_id"] for results, _ in mails]
    deliver(stack, mail("Refund", message_id="g@example.com"), "s-globex", recipients=("help@globex.example",))

    change_stored(chat[1], backdate(timedelta(minutes=2)))  # its reply comes 2 min after it opened: late
    change_stored(email[1], backdate(timedelta(hours=2)))  # 2 h: late for a ticket, in time for a callback

    def tag_callback(case: Case) -> None:
        case.service.tags = (*case.service.tags, "callback")

    def complaint_breached_and_escalated(case: Case) -> None:
        case.service.tags = (*case.service.tags, "callback", "key-complaint")
        case.service.breached = ("first_response",)
        case.service.escalation_level = 1

    change_stored(email[1], tag_callback)
    change_stored(email[2], complaint_breached_and_escalated)
    answer = "In-Reply-To: <r1@example.com>\r\nReferences: <r1@example.com>\r\n"  # the customer writes back
    again = mail("Re: Refund for order 42", sender="c1@example.com", message_id="r1b@example.com", extra=answer)
    assert deliver(stack, again, "s1b")[0][0]["case_id"] == email[1]
    change_stored(email[4], backdate(timedelta(days=3)))  # created before the window
    for case_id in (chat[0], chat[1], email[0], email[1], email[3]):
        assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "Looking into it."})[0] == 201

    drain()  # the report counters have counted every change
    today = now.astimezone(SHANGHAI).date()  # acme's days
    window = {"from": (today - timedelta(days=1)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}
    report = sla_report_view("acme", window)

    assert report["cases"] == 7  # 3 chats + 4 mails; the old mail and globex's are not counted
    # chat 0 answered at once; chat 1 two minutes after it opened; chat 2 never → 1/3
    assert report["chat_answer_30s"] == {"numerator": 1, "denominator": 3, "rate": 0.3333}
    # mail 0 and 3 answered at once; mail 1 two hours after; mail 2 never → 2/4
    assert report["ticket_first_response_30min"] == {"numerator": 2, "denominator": 4, "rate": 0.5}
    # callbacks: mail 1 (the customer wrote back 2 h after it opened), mail 2 (never reached) → 1/2; both tagged by
    # hand (no kind): low-score callbacks
    assert report["callback_3d"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
    assert report["low_score_callback_3d"] == report["callback_3d"]
    assert report["key_complaint_callback_3d"] == {"numerator": 0, "denominator": 0, "rate": None}
    assert report["key_complaints"] == 1
    assert report["breaches_by_queue"] == report["escalations_by_queue"] == {"technical": 1}
    assert report["escalation_levels"] == {"1": 1}
    assert report["csat"]["share_4_5"] == {"numerator": 0, "denominator": 0, "rate": None}
    assert report["interceptions_by_agent"] == {}
    # Chats get "after-hours" or not depending on when the test runs: left out of the count.
    tags = [t for t in report["top_tags"] if t["tag"] != "after-hours"]
    assert tags == [
        {"tag": "billing", "count": 2},
        {"tag": "callback", "count": 2},
        {"tag": "key-complaint", "count": 1},
        {"tag": "outage", "count": 1},
    ]
    assert report["top_subjects"] == [
        {"subject": "refund for order 42", "count": 2},
        {"subject": "printer broken", "count": 1},
        {"subject": "网站宕机", "count": 1},
    ]
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    rate = next(m for m in emitted if "ChatAnswerRate30s" in m and m["tenant"] == "acme")
    assert rate["ChatAnswerRate30s"] in (33.33, [33.33])

    cli = ["report", "--tenant", "acme", "--from", window["from"], "--to", window["to"], "--table", stack.table]
    drain()  # the replies' stream work is done: less of its logging interleaves with the CLI's output
    capsys.readouterr()
    assert main([*cli, "--json"]) == 0
    assert printed_document(capsys.readouterr().out) == report
    assert main(cli) == 0
    table = capsys.readouterr().out
    assert "33.33%  (1/3)" in table and "50.00%  (2/4)" in table and "refund for order 42" in table


def test_the_window_is_local_days_from_included_to_excluded_and_a_bad_one_is_refused(stack, capsys):
    chat = {"conversation_id": "c-x", "message_id": "m-x", "user_id": "v-x", "text": "hi"}
    case_id = chat_post(stack, chat).json_body["case_id"]
    created = datetime.fromisoformat(request(stack, "GET", f"/cases/{case_id}")[1]["case"]["created_at"])
    from omnicase.wiring import tenant_configs

    day = created.astimezone(ZoneInfo(tenant_configs().config_for("acme").time_zone)).date()  # acme's day
    drain()

    def counted(start: date, end: date) -> int:
        return sla_report_view("acme", {"from": start.isoformat(), "to": end.isoformat()})["cases"]

    assert counted(day, day + timedelta(days=1)) == 1  # its day is `from`
    assert counted(day - timedelta(days=1), day) == 0  # its day is `to`
    assert sla_report_view("acme", {"from": "2020-01-01", "to": "2020-02-01"})["chat_answer_30s"]["rate"] is None
    with pytest.raises(ValueError, match="from must be an ISO date"):
        sla_report_view("acme", {"from": created.isoformat()})  # an instant: the counters count whole days
    assert main(["report", "--tenant", "acme", "--from", "2026-02-30", "--table", stack.table]) == 2
    assert "from must be an ISO date" in capsys.readouterr().err
