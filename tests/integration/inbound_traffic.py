"""Real-shaped inbound deliveries for every channel, and a read-back of what the table holds (redelivery,
fault and reconciliation tests share them)."""

from __future__ import annotations

import base64
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from tests.integration.conftest import ROOT
from tests.integration.ses_events import received_notification, sns_event
from tests.integration.test_ingest_email import FakeContext, mail
from tests.integration.test_wechat_webhook import push
from tests.integration.webhook_client import call, chat_post, twilio_fields, twilio_post, wechat_safe, wechat_text

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SMS_NUMBER = "+15005550006"


@dataclass(frozen=True)
class Inbound:
    """One customer message: which conversation it belongs to (the expected case), its text, when it was sent."""

    channel: str
    thread: str  # the test's name for the case it must land on
    body: str
    sent: int  # seconds after T0: the customer's sending order
    sender: str
    ref: str | None = None  # email: the Message-ID it answers (In-Reply-To)

    @property
    def key(self) -> str:
        return f"{self.channel}-{self.thread}-{self.sent}"

    @property
    def at(self) -> datetime:
        return T0 + timedelta(seconds=self.sent)


Delivery = Callable[[], Any]  # one delivery of a prepared payload; call it again to redeliver


def email(stack: Any, msg: Inbound, to: str = "support@acme.example", virus: bool = False) -> Delivery:
    """SES: the raw mail in S3 (written once; a redelivered notification points at the same object) + SNS."""
    extra = f"In-Reply-To: <{msg.ref}>\r\nReferences: <{msg.ref}>\r\n" if msg.ref else ""
    raw = mail(f"Order {msg.thread}", msg.sender, f"{msg.key}@example.com", extra, msg.body)
    key = f"inbound/{msg.key}"
    boto3.client("s3").put_object(Bucket=stack.bucket, Key=key, Body=raw)
    notification = received_notification(raw, recipients=[to], ses_message_id=msg.key, bucket=stack.bucket, key=key)
    notification["mail"]["timestamp"] = msg.at.isoformat().replace("+00:00", "Z")
    if virus:
        notification["receipt"]["virusVerdict"] = {"status": "FAIL"}
    event = sns_event(notification, f"sns-{msg.key}")
    return lambda: stack.handler("ingest_email")(event, FakeContext())


def twilio(stack: Any, msg: Inbound) -> Delivery:
    sid = "SM" + base64.b16encode(msg.key.encode()).decode().lower()[-32:].rjust(32, "0")
    fields = twilio_fields(msg.body, sid, sender=msg.sender)
    return lambda: twilio_post(stack, fields)


def pinpoint_message(msg: Inbound) -> str:
    """AWS End User Messaging's two-way SMS document."""
    document = {
        "originationNumber": msg.sender,
        "destinationNumber": SMS_NUMBER,
        "messageBody": msg.body,
        "inboundMessageId": f"pp-{msg.key}",
    }
    return json.dumps(document)


def sns_lambda(stack: Any, msg: Inbound) -> Delivery:
    """The SNS → ingest_sms Lambda path."""
    event = json.loads((ROOT / "events" / "ingest_sms" / "sns_two_way_sms.json").read_text())
    sns = event["Records"][0]["Sns"]
    sns.update(MessageId=f"sns-{msg.key}", Message=pinpoint_message(msg), Timestamp=_z(msg.at))
    return lambda: stack.handler("ingest_sms")(event, FakeContext())


def chat(stack: Any, msg: Inbound) -> Delivery:
    document = {
        "conversation_id": msg.thread,
        "message_id": msg.key,
        "user_id": msg.sender,
        "text": msg.body,
        "sent_at": msg.at.isoformat(),
    }
    # The widget signs every attempt anew (one signed request is taken once): each attempt's timestamp a second
    # before the last one, all inside the window.
    earlier = itertools.count(int(time.time()), -1)
    return lambda: chat_post(stack, document, timestamp=next(earlier))


def wechat(stack: Any, msg: Inbound) -> Delivery:
    """The acme account is in safe mode (an EncodingAESKey is configured), so WeChat encrypts every push to it;
    each redelivery is the same encrypted request."""
    plain = wechat_text(msg.body, str(24302918455700000 + msg.sent), openid=msg.sender, create_time=_epoch(msg))
    body, query = wechat_safe(plain)
    return lambda: push(stack, body, query)


def wechat_aes(stack: Any, msg: Inbound) -> Delivery:
    """Safe mode: the push encrypted, signed with msg_signature, encrypted anew (another IV) for each delivery."""
    plain = wechat_text(msg.body, str(24302918455800000 + msg.sent), openid=msg.sender, create_time=_epoch(msg))
    return lambda: push(stack, *wechat_safe(plain))


def _epoch(msg: Inbound) -> int:
    return int(msg.at.timestamp())


def _z(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def stored(stack: Any) -> dict[str, list[dict[str, Any]]]:
    """Every acme case with its messages as the API shows them (case id → messages in the API's order)."""
    from tests.integration.conftest import TOKEN

    headers = {"Authorization": f"Bearer {TOKEN}"}
    listed = call(stack.handler("api"), "GET", "/cases?limit=100", headers=headers).json_body["cases"]
    return {
        c["case_id"]: call(stack.handler("api"), "GET", f"/cases/{c['case_id']}", headers=headers).json_body["messages"]
        for c in listed
    }


def inbound_bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [m["body_text"] for m in messages if m["direction"] == "inbound"]


def sns_https(stack: Any, msg: Inbound, certificates: dict[str, bytes]) -> Delivery:
    """The SNS HTTPS subscription path (sms_webhook), signed; `certificates` answers the cert URL fetch."""
    from tests.integration.test_sms_webhooks import _signed_sns, sns_post

    cert_url = f"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-{msg.key}.pem"
    message, pem = _signed_sns(
        "Notification",
        Message=pinpoint_message(msg),
        MessageId=f"sns-https-{msg.key}",
        Timestamp=_z(msg.at),
        SigningCertURL=cert_url,
    )
    certificates[cert_url] = pem
    return lambda: sns_post(stack, message)


def stored_case_id(delivery: Delivery) -> str:
    """Deliver an email once; the case it landed on."""
    return delivery()["results"][0]["case_id"]


def prepare(stack: Any, msg: Inbound) -> Delivery:
    """The delivery of one message through its channel (the SNS HTTPS path needs `sns_https` and certificates)."""
    return globals()[msg.channel](stack, msg)
