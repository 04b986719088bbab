"""Replies to a Twilio number leave through Twilio's Messages API (the local runtime's fake, over real HTTP), and
Twilio's signed status callbacks mark them delivered / undelivered / failed — on moto, through the real handlers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from omnicase_local.fake_twilio import FakeTwilio
from omnicase_local.streams import drain
from tests.integration.conftest import SECRETS
from tests.integration.inbound_traffic import stored
from tests.integration.test_case_actions_api import request
from tests.integration.test_replay import depth, queue_named
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.test_sms_webhooks import sent_sms
from tests.integration.webhook_client import HOST, call, cases, twilio_fields, twilio_post

ACCOUNT = "AC" + "5" * 32
TWILIO_NUMBER = "+15017122661"
CUSTOMER = "+8613800138000"


@pytest.fixture
def twilio(stack, monkeypatch) -> Iterator[FakeTwilio]:
    """The acme tenant's Twilio number, and the fake Twilio API on loopback; callbacks are posted by the tests."""
    from omnicase.admin import seed_tenant
    from omnicase.wiring import rebind

    fake = FakeTwilio(ACCOUNT, SECRETS["TWILIO_AUTH_TOKEN"], {TWILIO_NUMBER}, post=None)
    server = _serve(fake)
    host, port = server.server_address[:2]
    monkeypatch.setenv("TWILIO_API_BASE", f"http://{host}:{port}")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("API_BASE_URL", f"https://{HOST}")  # status callbacks come back to the webhook host
    rebind()
    endpoints = ["sms:+15005550006", f"sms:twilio:{TWILIO_NUMBER}", "wechat:gh_acme0000001", "chat:web"]
    seed_tenant(
        "acme",
        "Acme Support",
        ["support@acme.example"],
        "integration-token",
        "support@acme.example",
        endpoints=endpoints,
    )
    yield fake
    server.shutdown()
    server.server_close()


def _serve(fake: FakeTwilio) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, headers, payload = fake("POST", self.path, dict(self.headers), body)
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(payload))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def text_the_twilio_number(stack, body: str, sid: str, sender: str = CUSTOMER) -> None:
    assert twilio_post(stack, twilio_fields(body, sid, sender=sender, To=TWILIO_NUMBER)).status_code == 200
    drain()


def status_callback(stack, sent: dict[str, str], status: str, *, token: str | None = None, **extra: str) -> Any:
    """Twilio's status callback for a message the fake took, posted to its StatusCallback URL and signed."""
    from omnicase.channels.sms.twilio_signature import twilio_signature

    url = sent["StatusCallback"]
    fields = {
        "MessageSid": sent["Sid"],
        "MessageStatus": status,
        "AccountSid": ACCOUNT,
        "From": sent["From"],
        "To": sent["To"],
        "ApiVersion": "2010-04-01",
        **extra,
    }
    body = urlencode(fields)
    signature = twilio_signature(token or SECRETS["TWILIO_AUTH_TOKEN"], url, parse_qs(body))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Host": HOST,
        "X-Forwarded-Proto": "https",
        "X-Twilio-Signature": signature,
    }
    parts = urlsplit(url)
    return call(
        stack.handler("sms_webhook"), "POST", f"{parts.path}?{parts.query}", headers=headers, body=body.encode()
    )


def outbound(stack) -> list[dict[str, Any]]:
    return [m for ms in stored(stack).values() for m in ms if m["direction"] == "outbound"]


def test_an_acknowledgement_to_a_twilio_number_leaves_through_twilio_and_not_sns(stack, twilio):
    text_the_twilio_number(stack, "my parcel is late", "SM" + "1" * 32)

    (sent,) = twilio.accepted
    (only,) = cases(stack)
    assert (sent["To"], sent["From"]) == (CUSTOMER, TWILIO_NUMBER) and only["case_id"] in sent["Body"]
    assert sent_sms() == []  # nothing went to SNS
    (ack,) = outbound(stack)
    assert ack["delivery_status"] == "sent" and parse_qs(urlsplit(sent["StatusCallback"]).query)["message"] == [
        ack["message_id"]
    ]


def test_an_aws_number_keeps_aws(stack, twilio):
    assert twilio_post(stack, twilio_fields("hello", "SM" + "2" * 32)).status_code == 200  # To the AWS number

    assert len(sent_sms()) == 1 and twilio.accepted == []


def test_the_status_callback_marks_it_delivered_once_and_a_late_sent_changes_nothing(stack, twilio):
    text_the_twilio_number(stack, "my parcel is late", "SM" + "3" * 32)
    (sent,) = twilio.accepted

    answers = [status_callback(stack, sent, s).status_code for s in ("delivered", "delivered", "sent")]

    assert answers == [200, 200, 200]
    (ack,) = outbound(stack)
    assert (ack["delivery_status"], ack["delivery_detail"]) == ("delivered", None)


def test_undelivered_is_recorded_with_twilios_error_code(stack, twilio):
    text_the_twilio_number(stack, "my parcel is late", "SM" + "4" * 32)
    (sent,) = twilio.accepted

    status_callback(stack, sent, "undelivered", ErrorCode="30003")
    status_callback(stack, sent, "delivered")  # a final status is never replaced by another

    (ack,) = outbound(stack)
    assert ack["delivery_status"] == "undelivered" and "Twilio error 30003" in ack["delivery_detail"]


def test_a_bad_signature_or_an_unknown_message_is_refused_counted_and_writes_nothing(stack, twilio, capsys):
    text_the_twilio_number(stack, "my parcel is late", "SM" + "5" * 32)
    (sent,) = twilio.accepted
    capsys.readouterr()

    forged = status_callback(stack, sent, "delivered", token="not-the-auth-token")
    unknown = status_callback(
        stack, {**sent, "StatusCallback": sent["StatusCallback"].replace("message=", "message=X")}, "delivered"
    )
    other_sid = status_callback(stack, {**sent, "Sid": "SM" + "f" * 32}, "delivered")

    assert (forged.status_code, forged.json_body["Code"]) == (403, "bad-signature")
    assert (unknown.status_code, unknown.json_body["Code"]) == (404, "unknown-message")
    assert (other_sid.status_code, other_sid.json_body["Code"]) == (404, "unknown-message")
    (ack,) = outbound(stack)
    assert ack["delivery_status"] == "sent"
    counted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "TwilioStatusCallbacks" in line]
    assert sorted(m["result"] for m in counted) == ["bad-signature", "unknown-message", "unknown-message"]


def test_stop_still_wins_a_reply_after_stop_never_reaches_twilio(stack, twilio, acme_config):  # noqa: F811
    text_the_twilio_number(stack, "my parcel is late", "SM" + "6" * 32)
    text_the_twilio_number(stack, "STOP", "SM" + "7" * 32)
    (only,) = cases(stack)

    status, _ = request(stack, "POST", f"/cases/{only['case_id']}/replies", {"body": "we are on it"})
    drain()

    assert status == 201 and len(twilio.accepted) == 1  # the first acknowledgement only
    reply = next(m for m in outbound(stack) if m["body_text"] == "we are on it")
    assert reply["delivery_status"] == "failed" and "opted out" in reply["delivery_detail"]


def test_twilios_refusal_of_an_unsubscribed_recipient_fails_the_message_once(stack, twilio):
    text_the_twilio_number(stack, "hello", "SM" + "8" * 32, sender="+15005550004")  # Twilio's magic 21610 number

    (ack,) = outbound(stack)
    assert ack["delivery_status"] == "failed" and "21610" in ack["delivery_detail"]
    assert twilio.accepted == [] and depth(queue_named("SendOutboundFailureQueue")) == 0


def test_wrong_twilio_credentials_are_retried_and_kept_for_replay(stack, twilio):
    twilio.auth_token = "rotated-at-twilio"

    text_the_twilio_number(stack, "hello", "SM" + "9" * 32)

    (ack,) = outbound(stack)
    assert ack["delivery_status"] == "queued" and "20003" in ack["delivery_detail"]
    assert depth(queue_named("SendOutboundFailureQueue")) == 1
