"""GET /cases/{id} as the console reads it (attachments, survey scores, the customer's past cases, WeChat's reply
window), attachment download links, and the answers the console acts on: 422 with the phrase's spans, 409 with the
current case."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import boto3
import pytest
import requests

from omnicase.domain.survey import SurveyStatus
from omnicase_local.streams import drain
from tests.integration.console_fixtures import api_get, api_send, console_config, new_case, people  # noqa: F401
from tests.integration.test_ingest_email import deliver
from tests.integration.webhook_client import call, wechat_safe, wechat_text

INVOICE = (
    b"From: Ann <ann@example.com>\r\nTo: support@acme.example\r\nSubject: invoice\r\nMessage-ID: <att@x>\r\n"
    b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
    b"--b\r\nContent-Type: application/pdf\r\n"
    b'Content-Disposition: attachment; filename="=?UTF-8?B?5Y+R56WoLnBkZg==?="\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n"
)


def answered(case_id: str, score: int) -> None:
    """The survey the solve scheduled, answered (as the answering stores it)."""
    from omnicase.persistence.survey_store import DynamoSurveyStore, survey_to_item

    drain()  # the solve schedules the survey from the table's stream
    survey = DynamoSurveyStore().get("acme", case_id)
    assert survey is not None
    now = datetime.now(UTC)
    survey_to_item(replace(survey, status=SurveyStatus.ANSWERED, sent_at=now, answered_at=now, score=score)).save()


@pytest.fixture
def invoice_case(stack) -> tuple[str, dict]:
    ((result,), _) = deliver(stack, INVOICE, "ses-att")
    case_id = result["case_id"]
    (attachment,) = api_get(stack, f"/cases/{case_id}")[1]["messages"][0]["attachments"]
    return case_id, attachment


def test_an_attachment_link_downloads_the_stored_bytes_for_five_minutes(stack, invoice_case):
    case_id, attachment = invoice_case
    status, link = api_get(stack, f"/cases/{case_id}/attachments/{attachment['attachment_id']}")

    assert status == 200
    assert (link["filename"], link["content_type"], link["size"]) == ("发票.pdf", "application/pdf", 9)
    expires = datetime.fromisoformat(link["expires_at"]) - datetime.now(UTC)
    assert timedelta(minutes=4) < expires <= timedelta(minutes=5)
    assert "X-Amz-Expires=300" in link["url"] and "X-Amz-Signature=" in link["url"]
    download = requests.get(link["url"], timeout=10)  # moto answers S3's presigned URL
    assert download.status_code == 200 and download.content == b"%PDF-1.4\n"


def test_another_tenants_or_an_unknown_attachment_is_a_404(stack, invoice_case):
    case_id, attachment = invoice_case
    path = f"/cases/{case_id}/attachments/{attachment['attachment_id']}"
    assert api_get(stack, path, "globex-token")[0] == 404
    message_id = attachment["attachment_id"].rsplit("-", 1)[0]
    for unknown in (f"{message_id}-1", "nonsense", f"{message_id}-x"):
        assert api_get(stack, f"/cases/{case_id}/attachments/{unknown}")[0] == 404


def test_a_quarantined_attachment_is_gone(stack, invoice_case):
    case_id, attachment = invoice_case
    s3 = boto3.client("s3")
    (stored,) = s3.list_objects_v2(Bucket=stack.bucket, Prefix="attachments/acme/ses-att/")["Contents"]
    s3.delete_object(Bucket=stack.bucket, Key=stored["Key"])  # what a malware scan does to what it flags

    status, body = api_get(stack, f"/cases/{case_id}/attachments/{attachment['attachment_id']}")

    assert status == 410 and body["Code"] == "gone"


def test_the_case_shows_its_score_and_the_customers_past_cases_with_theirs(stack, people):  # noqa: F811
    first = new_case(stack, "Printer broken", 1, sender="ann@example.com")
    assert api_send(stack, "PATCH", f"/cases/{first}", {"status": "solved"})[0] == 200
    answered(first, 4)
    second = new_case(stack, "Scanner broken too", 2, sender="ann@example.com")

    detail = api_get(stack, f"/cases/{second}", people.li_na)[1]

    assert detail["case"]["csat"] is None and detail["case"]["reply_window"] is None  # email has no window
    (past,) = detail["customer"]["past_cases"]
    assert {k: past[k] for k in ("case_id", "subject", "channel", "status", "csat")} == {
        "case_id": first,
        "subject": "Printer broken",
        "channel": "email",
        "status": "solved",
        "csat": 4,
    }
    assert past["solved_at"] and detail["customer"]["other_open_cases"] == []
    assert api_get(stack, f"/cases/{first}")[1]["case"]["csat"] == 4


@pytest.mark.parametrize("hours_ago", [1, 49])
def test_a_wechat_case_shows_whether_its_48_hour_reply_window_is_open(stack, hours_ago):
    sent = int(time.time()) - hours_ago * 3600
    body, query = wechat_safe(wechat_text("我的订单还没到", "6000000000000000001", create_time=sent))
    path = "/webhooks/wechat?" + urlencode(query)
    call(stack.handler("wechat_webhook"), "POST", path, headers={"Content-Type": "text/xml"}, body=body)
    (row,) = api_get(stack, "/cases")[1]["cases"]

    window = api_get(stack, f"/cases/{row['case_id']}")[1]["case"]["reply_window"]

    assert window["open"] is (hours_ago < 48)
    closes_at = datetime.fromisoformat(window["closes_at"])
    assert abs((closes_at - datetime.fromtimestamp(sent + 48 * 3600, UTC)).total_seconds()) < 1


def test_a_blocked_reply_answers_where_the_phrase_is_and_supervisors_read_it_masked_in_logs(
    stack,
    people,  # noqa: F811
    caplog,
):
    case_id = new_case(stack, "Printer broken", 1)
    text = "Mail ann@example.com, you ＩＤＩＯＴ"
    caplog.set_level(logging.DEBUG)

    status, refused = api_send(stack, "POST", f"/cases/{case_id}/replies", {"body": text}, people.li_na)

    assert status == 422 and refused["Code"] == "blocked-phrase" and refused["phrase"] == "idiot"
    assert [text[a:b] for a, b in refused["spans"]] == ["ＩＤＩＯＴ"]
    assert "ann@example.com" not in caplog.text  # neither the reply nor the address reach the logs
    status, listed = api_get(stack, "/quality/interceptions", people.wang_fang)
    assert status == 200
    (stopped,) = listed["interceptions"]
    assert (stopped["case_id"], stopped["agent_id"], stopped["channel"]) == (case_id, "li.na", "email")
    assert (stopped["text"], stopped["spans"], stopped["phrase"]) == (text, refused["spans"], "idiot")
    today = datetime.now(UTC).astimezone(_shanghai()).date().isoformat()
    assert listed["by_agent"] == {"li.na": 1} and listed["by_day"] == {today: 1}
    assert api_get(stack, "/quality/interceptions", people.wang_fang, agent="zhang.wei")[1]["interceptions"] == []
    assert api_get(stack, "/quality/interceptions", people.li_na)[0] == 403


def test_an_interception_keeps_a_bounded_text(stack, people):  # noqa: F811
    case_id = new_case(stack, "Printer broken", 1)
    text = "x " * 2_500 + "idiot"
    refused = api_send(stack, "POST", f"/cases/{case_id}/replies", {"body": text}, people.li_na)[1]
    assert refused["spans"] == [[5_000, 5_005]]
    (stopped,) = api_get(stack, "/quality/interceptions", people.wang_fang)[1]["interceptions"]
    assert stopped["text"] == text[:4_000] and stopped["spans"] == []


def test_a_stale_change_answers_the_case_as_it_is_now(stack, people):  # noqa: F811
    case_id = new_case(stack, "Printer broken", 1)
    version = api_get(stack, f"/cases/{case_id}")[1]["case"]["version"]
    assert api_send(stack, "PATCH", f"/cases/{case_id}", {"assignee": "li.na", "version": version})[0] == 200

    status, conflict = api_send(stack, "PATCH", f"/cases/{case_id}", {"priority": "high", "version": version})

    assert status == 409 and conflict["Code"] == "Conflict"
    assert (conflict["case"]["version"], conflict["case"]["assignee"]) == (version + 1, "li.na")


def _shanghai():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


def test_the_customer_summary_reads_their_newest_cases_and_every_identity_however_many_cases(stack, monkeypatch):
    from omnicase.domain.model import Case, CaseStatus, Channel
    from omnicase.ids import new_case_id
    from omnicase.persistence.customer_store import read_customer_with_cases
    from omnicase.persistence.dynamo_models import OmnicaseItem
    from omnicase.wiring import case_store
    from tests.integration.test_chat_webhook import message
    from tests.integration.webhook_client import chat_post

    first = chat_post(stack, message(1, email="ann@example.com", phone="+86 138 0013 8000")).json_body["case_id"]
    customer = api_get(stack, f"/cases/{first}")[1]["case"]["customer_id"]
    queries = []
    gsi2_query = OmnicaseItem.gsi2.query
    monkeypatch.setattr(OmnicaseItem.gsi2, "query", lambda *a, **k: queries.append(k) or gsi2_query(*a, **k))
    identities = ["chat:visitor-9", "email:ann@example.com", "sms:+8613800138000"]

    profile, cases = read_customer_with_cases("acme", customer, 25)

    assert profile.identities == identities and [c.case_id for c in cases] == [first] and len(queries) == 1
    start = datetime.now(UTC) - timedelta(days=1)
    made = []
    for n in range(30):  # an older history: 30 solved cases, a minute apart
        at = start + timedelta(minutes=n)
        case = Case("acme", new_case_id(), Channel.EMAIL, f"old {n}", CaseStatus.SOLVED, customer, created_at=at)
        case.updated_at = case.solved_at = at
        case_store().save(case, [])
        made.append(case.case_id)
    queries.clear()

    profile, cases = read_customer_with_cases("acme", customer, 25)

    assert profile.identities == identities and len(queries) == 2  # the cases page, then the identities alone
    assert [c.case_id for c in cases] == [first, *made[::-1][:24]]  # newest first, 25 of the 31
    summary = api_get(stack, f"/cases/{first}")[1]["customer"]
    assert summary["identities"] == identities and [p["case_id"] for p in summary["past_cases"]] == made[::-1][:10]
