"""Self-service and agents' ready answers on moto, through the real handlers: the acknowledgement's articles, the
"this answered my question" link and the "solved" reply, canned replies (configuration, API, applied in a reply),
GET /cases/{id}/suggestions and the knowledge-base report — with a second tenant that sees none of it."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from omnicase_local.cli import main
from omnicase_local.streams import drain
from tests.integration.console_fixtures import api_get, api_send
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.webhook_client import call, case, cases, twilio_fields, twilio_post

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "fixtures" / "kb" / "acme" / "articles"
BASE = "https://help.acme.example"
SECRET = "answered-test-secret"


class People:
    def __init__(self, agent: str, supervisor: str) -> None:
        self.agent, self.supervisor = agent, supervisor


@pytest.fixture
def acme(stack, tmp_path, monkeypatch, capsys) -> People:
    """The example tenant configuration (kb settings, canned replies), the fixtures' articles and two people."""
    from omnicase.admin import add_agent_token
    from omnicase.wiring import config_store, rebind
    from omnicase_local.config_file import load_config_file

    monkeypatch.setenv("API_BASE_URL", BASE)
    monkeypatch.setenv("SURVEY_TOKEN_SECRET", SECRET)
    rebind()
    config_store().save(load_config_file(ROOT / "config" / "acme.yaml"), expected_version=None)
    directory = tmp_path / "articles"
    shutil.copytree(ARTICLES, directory)
    assert main(["kb", "sync", str(directory), "--tenant", "acme"]) == 0
    capsys.readouterr()
    return People(add_agent_token("acme", "li.na", "agent")[0], add_agent_token("acme", "wang.fang", "supervisor")[0])


def stored(case_id: str, tenant: str = "acme"):
    from omnicase.wiring import case_store

    return case_store().get(tenant, case_id)


def event_kinds(case_id: str) -> list[str]:
    from omnicase.wiring import case_store

    return [event.kind for event in case_store().events("acme", case_id)]


def acknowledgement(stack, case_id: str) -> str:
    (ack,) = [m for m in case(stack, case_id)["messages"] if m["kind"] == "acknowledgement"]
    return str(ack["body_text"])


def page(stack, method: str, path: str):
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {}
    return call(stack.handler("survey_page"), method, path, headers=headers)


def test_an_sms_acknowledgement_offers_short_links_and_a_solved_reply_solves_once(stack, acme):
    assert twilio_post(stack, twilio_fields("退款什么时候到账？", "SM" + "a" * 32)).status_code == 200
    (only,) = cases(stack)
    ack = acknowledgement(stack, only["case_id"])
    short = re.findall(rf"{BASE}/help/acme/a/([a-z2-7]{{7}})", ack)
    assert 1 <= len(short) <= 3 and "请回复“已解决”" in ack and "/answered/" not in ack
    offered = stored(only["case_id"]).service.suggested_articles
    assert offered[0] in ("zh-refund-status", "zh-refund-policy")
    article = page(stack, "GET", f"/help/acme/a/{short[0]}")
    assert article.status_code == 200 and "退款" in article.body.decode()
    assert page(stack, "GET", "/help/acme/a/zzzzzzz").status_code == 404
    assert page(stack, "GET", f"/help/globex/a/{short[0]}").status_code == 404  # another tenant's help centre

    twilio_post(stack, twilio_fields("已解决，谢谢！", "SM" + "b" * 32))
    solved = stored(only["case_id"])
    assert solved.status.value == "solved" and solved.service.self_served == "reply"
    assert "self_served" in event_kinds(only["case_id"])
    twilio_post(stack, twilio_fields("已解决", "SM" + "c" * 32))  # again: the case stays solved, nothing reopens
    again = stored(only["case_id"])
    assert again.status.value == "solved" and event_kinds(only["case_id"]).count("self_served") == 1
    assert "reopened" not in event_kinds(only["case_id"])

    drain()  # the report counters count the case
    status, report = api_get(stack, "/kb/report", acme.supervisor)
    assert status == 200 and report["self_service"] == {"rate": 1.0, "self_served": 1, "suggested": 1, "by_reply": 1}
    assert api_get(stack, "/kb/report", acme.agent)[0] == 403


def test_a_solved_text_on_a_case_an_agent_answered_is_a_message_not_a_self_service(stack, acme):
    twilio_post(stack, twilio_fields("退款什么时候到账？", "SM" + "d" * 32))
    (only,) = cases(stack)
    assert api_send(stack, "POST", f"/cases/{only['case_id']}/replies", {"body": "正在查询"}, acme.agent)[0] == 201
    twilio_post(stack, twilio_fields("solved", "SM" + "e" * 32))
    assert stored(only["case_id"]).service.self_served is None and stored(only["case_id"]).status.value == "open"


def test_the_answered_link_confirms_on_post_only_solves_once_and_refuses_forged_or_expired_links(stack, acme):
    from omnicase.kb.links import answered_token
    from omnicase.wiring import survey_store

    ((result,), _) = deliver(stack, mail("Refund", body="my refund has still not arrived on my card"), "ses-kb-1")
    case_id = result["case_id"]
    ack = acknowledgement(stack, case_id)
    tokens = re.findall(rf"This answered my question: {BASE}/answered/(\S+)", ack)
    assert tokens and f"{BASE}/help/acme/en-refund-status?lang=en" in ack
    first = re.search(r"- (.+?): " + re.escape(BASE), ack)
    assert first and "refund" in first.group(1).lower()

    opened = page(stack, "GET", f"/answered/{tokens[0]}")  # a mail scanner's prefetch changes nothing
    assert opened.status_code == 200 and '<form method="post">' in opened.body.decode()
    assert stored(case_id).status.value != "solved"
    done = page(stack, "POST", f"/answered/{tokens[0]}")
    assert done.status_code == 200 and case_id in done.body.decode()
    solved = stored(case_id)
    article = solved.service.self_served.removeprefix("article:")
    assert solved.status.value == "solved" and article in solved.service.suggested_articles
    from omnicase.wiring import case_store

    (served,) = [e for e in case_store().events("acme", case_id) if e.kind == "self_served"]
    assert served.detail["article_id"] == article and served.actor == "customer"

    assert page(stack, "POST", f"/answered/{tokens[0]}").status_code == 409  # used
    assert page(stack, "POST", f"/answered/{tokens[-1]}").status_code == 409  # another article's link: same case
    assert page(stack, "GET", f"/answered/{tokens[0][:-2]}xx").status_code == 400  # changed
    expired = answered_token("acme", case_id, article, datetime.now(UTC) - timedelta(days=15), SECRET.encode())
    assert page(stack, "POST", f"/answered/{expired}").status_code == 410
    other = answered_token("globex", case_id, article, datetime.now(UTC), SECRET.encode())
    assert page(stack, "POST", f"/answered/{other}").status_code == 400  # globex has no such case
    drain()
    assert survey_store().get("acme", case_id) is None  # self-served: no survey (kb.survey_self_served is off)
    report = api_get(stack, "/kb/report", acme.supervisor)[1]
    assert report["solved_by_article"] == [{"article_id": article, "cases": 1}]


def test_nothing_relevant_means_no_links_and_another_tenant_gets_none_of_acmes_articles(stack, acme):
    ((weather,), _) = deliver(stack, mail("Question", body="今天天气怎么样", message_id="w@x"), "ses-kb-2")
    assert "/help/" not in acknowledgement(stack, weather["case_id"])
    assert stored(weather["case_id"]).service.suggested_articles == ()
    raw = mail("Refund", sender="bob@example.com", message_id="g@x", body="my refund has still not arrived")
    ((globex,), _) = deliver(stack, raw.replace(b"support@acme.example", b"help@globex.example"), "ses-kb-3",
                             recipients=("help@globex.example",))  # fmt: skip
    assert stored(globex["case_id"], "globex").service.suggested_articles == ()


def test_a_canned_reply_is_filled_applies_its_changes_and_is_recorded_and_counted(stack, acme):
    ((result,), _) = deliver(stack, mail("Parcel", body="My parcel has not arrived after a week"), "ses-kb-4")
    case_id = result["case_id"]
    status, answer = api_send(
        stack, "POST", f"/cases/{case_id}/replies", {"canned_reply_id": "delivery-delayed"}, acme.agent
    )
    assert status == 201, answer
    text = answer["message"]["body_text"]
    assert (
        text.startswith("Hello Ann, sorry your parcel is late.") and case_id in text and "Li Na, Acme Support" in text
    )
    assert answer["case"]["status"] == "pending" and "shipping" in answer["case"]["tags"]
    assert "canned_reply_used" in event_kinds(case_id)

    body = {"body": "Thanks{name}, this explains it:", "article_ids": ["en-refund-status"]}
    status, linked = api_send(stack, "POST", f"/cases/{case_id}/replies", body, acme.agent)
    assert status == 201 and linked["message"]["body_text"].startswith("Thanks Ann, this explains it:")
    assert f"{BASE}/help/acme/en-refund-status?lang=en" in linked["message"]["body_text"]

    internal = {"article_ids": ["en-refund-exceptions"]}
    status, refused = api_send(stack, "POST", f"/cases/{case_id}/replies", internal, acme.agent)
    assert status == 400 and "internal" in refused["Message"]
    status, refused = api_send(stack, "POST", f"/cases/{case_id}/replies", {"canned_reply_id": "nope"}, acme.agent)
    assert status == 400 and "no canned reply 'nope'" in refused["Message"]

    rude = {"title": "Rude", "texts": {"en": "Only an idiot asks that, {name}."}}
    assert api_send(stack, "PUT", "/canned-replies/rude", rude, acme.supervisor)[0] == 200
    status, blocked = api_send(stack, "POST", f"/cases/{case_id}/replies", {"canned_reply_id": "rude"}, acme.agent)
    assert status == 422 and blocked["Code"] == "blocked-phrase"  # the quality check reads the text sent
    messages = [m for m in case(stack, case_id)["messages"] if m["direction"] == "outbound" and m["kind"] == "human"]
    assert len(messages) == 2

    drain()
    report = api_get(stack, "/kb/report", acme.supervisor)[1]
    assert report["canned_replies"] == [{"canned_reply_id": "delivery-delayed", "uses": 1}]
    assert report["article_links"] == [{"article_id": "en-refund-status", "uses": 1}]


def test_supervisors_manage_canned_replies_agents_read_them_and_another_tenant_has_its_own(stack, acme):
    status, listed = api_get(stack, "/canned-replies", acme.agent)
    assert status == 200 and {r["id"] for r in listed["canned_replies"]} == {
        "delivery-delayed",
        "refund-timeline",
        "need-order-number",
    }
    version = listed["version"]
    reply = {"title": "Thanks", "texts": {"en": "Thank you{name}! {agent}", "zh": "{name}，谢谢！{agent}"}}
    assert api_send(stack, "PUT", "/canned-replies/thanks", reply, acme.agent)[0] == 403
    status, problem = api_send(
        stack, "PUT", "/canned-replies/thanks", {**reply, "texts": {"en": "Hi {nme}"}}, acme.supervisor
    )
    assert status == 400 and "unknown placeholder {nme}" in problem["Message"]
    status, created = api_send(stack, "PUT", "/canned-replies/thanks", {**reply, "version": version}, acme.supervisor)
    assert status == 200 and created["version"] == version + 1 and created["texts"]["zh"] == "{name}，谢谢！{agent}"
    stale = {**reply, "title": "Thanks!", "version": version}
    assert api_send(stack, "PUT", "/canned-replies/thanks", stale, acme.supervisor)[0] == 409
    assert api_get(stack, "/canned-replies/thanks", acme.agent)[1]["title"] == "Thanks"
    assert api_send(stack, "DELETE", "/canned-replies/thanks", None, acme.supervisor)[0] == 204
    assert api_get(stack, "/canned-replies/thanks", acme.agent)[0] == 404
    assert api_get(stack, "/canned-replies", "globex-token")[1]["canned_replies"] == []


def test_suggestions_for_a_case_hold_internal_articles_and_the_canned_replies_that_fit(stack, acme):
    ((result,), _) = deliver(
        stack, mail("退款", body="快递一个星期了还没到，退款超过期限了还能特批吗", message_id="s@x"), "ses-kb-5"
    )
    status, found = api_get(stack, f"/cases/{result['case_id']}/suggestions", acme.agent)
    assert status == 200
    assert found["articles"] and all(0 <= a["relevance"] <= 1 for a in found["articles"])
    assert any(not a["public"] for a in found["articles"])  # agents see the internal refund exceptions
    replies = [r["id"] for r in found["canned_replies"]]
    assert replies[:2] == ["delivery-delayed", "refund-timeline"] or replies[:2] == [
        "refund-timeline",
        "delivery-delayed",
    ]
    assert found["canned_replies"][0]["text"].startswith("{name}您好")  # the case's language
    assert api_get(stack, f"/cases/{result['case_id']}/suggestions", "globex-token")[0] == 404
