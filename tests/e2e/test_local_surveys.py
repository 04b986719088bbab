"""The survey loop on `omnicase local` with seconds-scale delays (tests/fixtures/config/fast-surveys.yaml):
solve → survey sent (outbox) → answered 1 through the page in a real headless Chromium, and by SMS → callback cases
with their 3-day SLA."""

from __future__ import annotations

import json
import os
import re
import shutil
import smtplib
import urllib.request
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import urlencode

import pytest

from omnicase.channels.sms.twilio_signature import twilio_signature
from tests.e2e.conftest import API_TOKEN, REPO, LocalStack, run_local

FAST_SURVEYS = REPO / "tests" / "fixtures" / "config" / "fast-surveys.yaml"
TWILIO_TOKEN = "local-twilio-auth-token"  # the local runtime's default TWILIO_AUTH_TOKEN
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def call(stack: LocalStack, method: str, path: str, document: dict | None = None) -> dict:
    headers = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"}
    data = json.dumps(document).encode() if document is not None else None
    request = urllib.request.Request(stack.http_url + path, data, headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def text_in(stack: LocalStack, sid: str, body: str) -> None:
    url = f"{stack.http_url}/webhooks/sms/twilio"
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": "+8613800138000",
        "To": "+15005550006",
        "Body": body,
        "NumMedia": "0",
    }
    signature = twilio_signature(TWILIO_TOKEN, url, {k: [v] for k, v in params.items()})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    with urllib.request.urlopen(urllib.request.Request(url, urlencode(params).encode(), headers), timeout=10):
        pass


def outbox(stack: LocalStack) -> list[dict]:
    return stack.get("/_local/outbox", token=None)[1]


def case_of(stack: LocalStack, contact: str) -> dict | None:
    return next((c for c in call(stack, "GET", "/cases?limit=100")["cases"] if c["contact_address"] == contact), None)


def callback_of(stack: LocalStack, case_id: str) -> dict | None:
    listed = call(stack, "GET", "/cases?queue=callbacks&limit=100")["cases"]
    return next((c for c in listed if c["follow_up_of"] == case_id), None)


def assert_three_day_sla(callback: dict) -> None:
    (first,) = [d for d in callback["service"]["deadlines"] if d["clock"] == "first_response"]
    created, due = datetime.fromisoformat(callback["created_at"]), datetime.fromisoformat(first["due_at"])
    assert abs((due - created).total_seconds() - 3 * 86400) <= 1  # clocks keep whole seconds
    assert (callback["priority"], callback["tags"]) == ("high", ["callback"])


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="needs Debian's chromium (.ci/run installs it)"
)
def test_solve_survey_answer_one_by_page_and_by_sms_opens_callbacks(monkeypatch) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("OMNICASE_LOCAL_CONFIG", str(FAST_SURVEYS))
    monkeypatch.setenv("OMNICASE_LOCAL_SCHEDULE_SECONDS", "1")
    with run_local() as stack:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "ann@example.com", "support@acme.example", "Parcel lost"
        mail.set_content("My parcel 100-5561 never arrived.")
        with smtplib.SMTP("127.0.0.1", stack.smtp_port) as smtp:
            smtp.send_message(mail)
        text_in(stack, "SM" + "a" * 32, "我的快递还没到")
        email_case = stack.wait_for(lambda: case_of(stack, "ann@example.com"))
        sms_case = stack.wait_for(lambda: case_of(stack, "+8613800138000"))
        for case in (email_case, sms_case):
            call(stack, "PATCH", f"/cases/{case['case_id']}", {"status": "solved"})

        # The survey mail with its five rating links, and the "reply 1-5" text, leave through the outbox.
        links = stack.wait_for(
            lambda: [
                u for e in outbox(stack) for u in re.findall(r"https?://\S+/surveys/\S+", e.get("body_text") or "")
            ],
            timeout=20,
        )
        assert stack.wait_for(lambda: [e for e in outbox(stack) if e["channel"] == "sms" and "1-5" in e["body_text"]])
        link_for_1 = next(u for u in links if u.endswith("score=1"))

        # A real browser: the page works without JavaScript, the score from the link is only pre-selected.
        with sync_playwright() as playwright:
            args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(link_for_1)
            assert page.locator("#score-1").is_checked() and not page.locator("script").count()
            assert callback_of(stack, email_case["case_id"]) is None  # opening the link recorded nothing
            page.locator("label[for=comment]").click()  # the label leads to its field
            page.keyboard.type("Nobody called me back.")
            page.locator("button[type=submit]").click()
            assert "thank" in page.locator("main").inner_text().lower()
            browser.close()

        text_in(stack, "SM" + "b" * 32, "1")  # the texted answer to the pending survey

        assert_three_day_sla(stack.wait_for(lambda: callback_of(stack, email_case["case_id"])))
        assert_three_day_sla(stack.wait_for(lambda: callback_of(stack, sms_case["case_id"])))
        thread = call(stack, "GET", f"/cases/{sms_case['case_id']}")["messages"]
        assert not [
            m for m in thread if m["direction"] == "inbound" and m["body_text"] == "1"
        ]  # an answer, not a message
