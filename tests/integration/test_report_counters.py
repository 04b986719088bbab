"""The SLA report from the daily counters equals the report computed from every case (the scan it replaces), on a
tenant built through the real intake path: mail (Chinese too), chat and SMS, replies, a blocked reply, surveys
answered on the survey page, cases moved across Shanghai's days; and a redelivered or late change moves nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from omnicase.console_api.sla_report_view import load_sla_report, scanned_sla_report
from omnicase.domain.model import Case
from omnicase.reports.sla_report import report_to_dict
from omnicase_local.cli import main
from omnicase_local.handlers import LambdaContext
from omnicase_local.streams import drain
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.test_sla_report import MAILS, backdate, change_stored
from tests.integration.test_survey_answers import page, post_page, sent_survey  # noqa: F401 - fixture
from tests.integration.webhook_client import chat_post, twilio_fields, twilio_post

SHANGHAI = ZoneInfo("Asia/Shanghai")


def counted_and_scanned(tenant: str, first: date, last: date) -> tuple[dict[str, Any], dict[str, Any]]:
    window = {"from": first.isoformat(), "to": last.isoformat()}
    return report_to_dict(load_sla_report(tenant, window)), report_to_dict(scanned_sla_report(tenant, window))


@pytest.fixture
def busy_tenant(stack, acme_config, page):  # noqa: F811
    """Eleven acme cases over four of Shanghai's days, with everything the report counts, and one of globex."""
    chats = [
        chat_post(stack, {"conversation_id": f"cv-{n}", "message_id": f"m-{n}", "user_id": f"u-{n}", "text": "你好"})
        for n in range(3)
    ]
    chat = [response.json_body["case_id"] for response in chats]
    email = [
        deliver(stack, mail(subject, sender=f"c{n}@example.com", message_id=f"r{n}@example.com", body=body), f"s{n}")[
            0
        ][0]["case_id"]
        for n, (subject, body) in enumerate(MAILS)
    ]
    twilio_post(stack, twilio_fields("我的包裹丢了", "SM" + "7" * 32))
    drain()
    sms = next(c["case_id"] for c in request(stack, "GET", "/cases?channel=sms")[1]["cases"])
    deliver(stack, mail("退款", message_id="g@example.com"), "s-globex", recipients=("help@globex.example",))

    for case_id in (chat[0], email[0], email[3], sms):
        assert (
            request(stack, "POST", f"/cases/{case_id}/replies", {"body": "Looking into it. 我们正在处理。"})[0] == 201
        )
    assert request(stack, "POST", f"/cases/{email[2]}/replies", {"body": "You idiot."})[0] == 422  # intercepted
    change_stored(chat[1], backdate(timedelta(days=1)))
    change_stored(email[1], backdate(timedelta(days=2, hours=3)))
    change_stored(email[4], backdate(timedelta(days=3)))

    def complaint(case: Case) -> None:
        case.service.tags = (*case.service.tags, "callback", "key-complaint")
        case.service.breached = ("first_response",)
        case.service.escalation_level = 2
        case.queue = "escalations"

    change_stored(email[2], complaint)
    assert request(stack, "POST", f"/cases/{chat[1]}/replies", {"body": "Sorry for the wait."})[0] == 201
    for case_id, score in ((sms, "2"), (email[0], "5")):  # the low score opens a callback case
        from omnicase.persistence.survey_store import DynamoSurveyStore, survey_sent_item

        token = sent_survey(case_id, pending=case_id == sms)
        survey = DynamoSurveyStore().get("acme", case_id)
        assert survey is not None and survey.sent_at is not None
        survey_sent_item(survey, survey.sent_at).save()  # as the sending transaction writes it
        assert post_page(page, token, score=score).status_code == 200
    drain()
    return {"chat": chat, "email": email, "sms": sms}


def test_every_figure_from_the_counters_equals_the_scan_of_every_case_each_day_and_over_the_window(stack, busy_tenant):
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    first, last = today - timedelta(days=3), today + timedelta(days=1)

    counted, scanned = counted_and_scanned("acme", first, last)

    assert counted == scanned
    assert counted["cases"] == 10  # 3 chats, 5 mails, 1 SMS and the callback case the low score opened
    assert counted["interceptions_by_agent"] == {"zhang.wei": 1}
    assert counted["csat"]["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert counted["csat"]["response_rate"] == {"numerator": 2, "denominator": 2, "rate": 1.0}
    assert counted["escalations_by_queue"] == {"escalations": 1} and counted["escalation_levels"] == {"2": 1}
    assert {"subject": "网站宕机", "count": 1} in counted["top_subjects"]
    for n in range(4):
        day_counted, day_scanned = counted_and_scanned("acme", first + timedelta(days=n), first + timedelta(days=n + 1))
        assert day_counted == day_scanned
    globex_counted, globex_scanned = counted_and_scanned("globex", first, last)
    assert globex_counted == globex_scanned and globex_counted["cases"] == 1


def test_each_day_of_the_daily_series_equals_the_scan_of_that_day(stack, busy_tenant):
    from omnicase.console_api.daily_report import daily_sla_report

    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    daily = daily_sla_report(
        "acme", {"from": (today - timedelta(days=3)).isoformat(), "to": (today + timedelta(1)).isoformat()}
    )

    assert [d["cases"] for d in daily["days"]] != [0, 0, 0, 0]
    for day in daily["days"]:
        first = date.fromisoformat(day["date"])
        scanned = counted_and_scanned("acme", first, first + timedelta(days=1))[1]
        assert day["cases"] == scanned["cases"]
        assert day["ticket_response_rate"]["met"] == scanned["ticket_first_response_30min"]["numerator"]
        assert day["csat"]["distribution"] == scanned["csat"]["distribution"]
        assert day["breaches_by_queue"] == scanned["breaches_by_queue"]


def feed_message(item: Any, message_id: str) -> dict[str, Any]:
    """An SQS message of the change feed carrying the item as a stream record's NewImage (what the pipe puts)."""
    record = {"eventName": "MODIFY", "dynamodb": {"NewImage": item.serialize()}}
    body = {"source": "omnicase.table", "detail-type": "table change", "detail": record}
    return {"eventSource": "aws:sqs", "messageId": message_id, "body": json.dumps(body)}


def test_a_redelivered_or_late_change_moves_no_counter(stack, busy_tenant):
    from omnicase.persistence import keys
    from omnicase.persistence.dynamo_models import CaseItem

    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    window = (today - timedelta(days=3), today + timedelta(days=1))
    case_id = busy_tenant["email"][3]
    before = CaseItem.get(keys.case_pk("acme", case_id), keys.CASE_SK)
    change_stored(case_id, backdate(timedelta(days=1)))  # a newer version, counted on another day
    drain()
    after = CaseItem.get(keys.case_pk("acme", case_id), keys.CASE_SK)
    counted = counted_and_scanned("acme", *window)[0]
    handler = stack.handler("count_changes")

    context = LambdaContext("count_changes")
    answer = handler({"Records": [feed_message(after, "again"), feed_message(before, "late")]}, context)
    handler({"Records": [feed_message(after, "and-again")]}, context)

    assert answer == {"batchItemFailures": []}
    assert counted_and_scanned("acme", *window) == (counted, counted)


def test_rebuild_counts_what_was_never_counted_and_is_idempotent(stack, busy_tenant, capsys):
    from omnicase.persistence import keys
    from omnicase.persistence.report_counters import CountedItem, DayCountsItem

    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    window = (today - timedelta(days=3), today + timedelta(days=1))
    for item in [*DayCountsItem.query(keys.report_counts_pk("acme")), *CountedItem.scan()]:
        item.delete()  # as before the counters were deployed
    assert counted_and_scanned("acme", *window)[0]["cases"] == 0

    for _ in range(2):
        assert main(["report", "rebuild", "--tenant", "acme", "--table", stack.table]) == 0
        counted, scanned = counted_and_scanned("acme", *window)
        assert counted == scanned and counted["cases"] == 10
    assert "counted 0 of" in capsys.readouterr().out  # the second run found nothing to correct


def test_a_window_of_whole_months_reads_the_months_rows_and_equals_the_scan(stack, busy_tenant):
    from omnicase.persistence.report_counters import DynamoReportCounters, whole_months

    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month's first day
    last = today + timedelta(days=40)  # this month whole, and days of the next
    months, _ = whole_months(first, last)
    assert months == [first.isoformat()[:7], today.isoformat()[:7]]

    rows = DynamoReportCounters().periods("acme", first, last)
    counted, scanned = counted_and_scanned("acme", first, last)

    assert any(row.whole_month for row in rows) and len(rows) <= 2 + (last - today.replace(day=28)).days
    assert counted == scanned and counted["cases"] == 10
    assert (
        counted["csat"]["by_day"] == counted_and_scanned("acme", today - timedelta(days=3), last)[0]["csat"]["by_day"]
    )


def test_a_row_written_before_packing_is_read_and_packed_at_its_next_write(stack, busy_tenant):
    from omnicase.persistence import keys
    from omnicase.persistence.report_counters import DayCountsItem, DynamoReportCounters

    day = date(2025, 3, 4)  # a day nothing else counts on
    pk, sk = keys.report_counts_pk("acme"), keys.day_counts_sk(day)
    old = {"pk": {"S": pk}, "sk": {"S": sk}, "item_type": {"S": "day_counts"}, "tenant_id": {"S": "acme"}}
    old |= {"day": {"S": day.isoformat()}, "cases": {"N": "2"}, "breached:billing": {"N": "1"}}
    DayCountsItem._get_connection().connection._make_api_call("PutItem", {"TableName": stack.table, "Item": old})
    counters = DynamoReportCounters()

    assert counters.days("acme", day, day + timedelta(days=1))[0].counts == {"cases": 2, "breached:billing": 1}
    counters.write([], {("acme", day.isoformat(), "counts"): {"cases": 1}})

    packed = DayCountsItem.get(pk, sk)
    assert packed.counts == {"breached:billing": 1, "cases": 3} and packed.rev == 1
    assert counters.days("acme", day, day + timedelta(days=1))[0].counts == {"breached:billing": 1, "cases": 3}


def test_rows_read_in_one_request_and_keys_the_table_left_unprocessed_are_asked_again(stack, monkeypatch):
    """Every row a counting transaction moves is read in one consistent BatchGetItem; a throttled table answers
    some keys as UnprocessedKeys (a normal BatchGetItem answer), and those are read again, not taken as absent."""
    from pynamodb.connection.base import Connection

    from omnicase.persistence import report_counters
    from omnicase.persistence.report_counters import DynamoReportCounters, read_rows

    days = [date(2025, 3, d) for d in (4, 5, 6)]
    rows = [("acme", d.isoformat(), kind) for d in days for kind in ("counts", "subjects")]
    DynamoReportCounters().write([], {row: {"cases": n + 1} for n, row in enumerate(rows)})
    requests: list[dict[str, Any]] = []
    dispatch = Connection.dispatch

    def throttled_once(self, operation: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        answer = dispatch(self, operation, kwargs)
        if operation == "BatchGetItem":
            requests.append(kwargs)
            if len(requests) == 1:  # the first answer leaves the last two rows unprocessed
                (table, asked), (_, found) = *kwargs["RequestItems"].items(), *answer["Responses"].items()
                left = asked["Keys"][-2:]
                answer["Responses"][table] = [i for i in found if {"pk": i["pk"], "sk": i["sk"]} not in left]
                answer["UnprocessedKeys"] = {table: {"Keys": left, "ConsistentRead": True}}
        return answer

    monkeypatch.setattr(Connection, "dispatch", throttled_once)
    monkeypatch.setattr(report_counters.time, "sleep", lambda seconds: None)

    found = read_rows(rows)

    assert {row: counts for row, (_, counts) in found.items()} == {row: {"cases": n + 1} for n, row in enumerate(rows)}
    assert all(rev == 1 for rev, _ in found.values())
    assert len(requests) == 2 and len(requests[1]["RequestItems"][stack.table]["Keys"]) == 2
    assert all(r["RequestItems"][stack.table]["ConsistentRead"] for r in requests)
