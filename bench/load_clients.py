"""The senders of the load bench: each delivery goes through the edge its provider uses, signed as it signs."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import smtplib
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from bench.load_traffic import Send
from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.channels.sms.twilio_signature import twilio_signature
from omnicase.channels.wechat.message_crypto import WechatCrypto
from omnicase.channels.wechat.verify_signature import wechat_signature
from omnicase_local.runtime import DemoTenant

TENANT = DemoTenant()
# A signed chat request is taken once: a redelivery is signed anew, a second before the last signing of its body.
_CHAT_SIGNED_AT: dict[bytes, int] = {}
_CHAT_LOCK = threading.Lock()


@dataclass(frozen=True)
class Edges:
    """Where the runtime listens, and the topic End User Messaging publishes two-way SMS to."""

    host: str
    http_port: int
    smtp_port: int
    sms_topic_arn: str
    region: str


class EdgeClient:
    """One client thread's connections (HTTP keep-alive, one SMTP session, an SNS client), reused per send."""

    def __init__(self, edges: Edges) -> None:
        import boto3

        self._edges = edges
        self._http = http.client.HTTPConnection(edges.host, edges.http_port, timeout=60)
        self._smtp: smtplib.SMTP | None = None
        self._sns = boto3.client("sns", region_name=edges.region)

    def send(self, send: Send) -> bool:
        """Deliver once; True when the edge accepted it (2xx / 250 / a message id)."""
        return getattr(self, f"_{send.channel}")(send.fields)

    def close(self) -> None:
        self._http.close()
        if self._smtp is not None:
            self._smtp.quit()

    def _email(self, raw: bytes) -> bool:
        if self._smtp is None:
            self._smtp = smtplib.SMTP(self._edges.host, self._edges.smtp_port, timeout=60)
        refused = self._smtp.sendmail("bench@example.com", [TENANT.mailbox], raw)
        return not refused

    def _twilio(self, fields: dict[str, str]) -> bool:
        form = {"AccountSid": "AC" + "0" * 32, "To": TENANT.sms_number, "NumMedia": "0", "SmsSid": fields["MessageSid"]}
        body = urlencode({**form, **fields}).encode()
        path = "/webhooks/sms/twilio"
        url = f"http://{self._edges.host}:{self._edges.http_port}{path}"
        signature = twilio_signature(os.environ["TWILIO_AUTH_TOKEN"], url, parse_qs(body.decode()))
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
        return self._post(path, body, headers)

    def _sns_sms(self, fields: dict[str, str]) -> bool:
        message = {
            "originationNumber": fields["From"],
            "destinationNumber": TENANT.sms_number,
            "messageKeyword": "KEYWORD_123456789012",
            "messageBody": fields["Body"],
            "inboundMessageId": fields["MessageSid"],
            "previousPublishedMessageId": None,
        }
        self._sns.publish(TopicArn=self._edges.sms_topic_arn, Message=json.dumps(message, ensure_ascii=False))
        return True

    def _chat(self, body: bytes) -> bool:
        with _CHAT_LOCK:
            last = _CHAT_SIGNED_AT.get(body)
            now = int(time.time())
            _CHAT_SIGNED_AT[body] = now if last is None else min(now, last - 1)
            timestamp = str(_CHAT_SIGNED_AT[body])
        headers = {
            "Content-Type": "application/json",
            "X-Omnicase-Widget": TENANT.chat_widget,
            "X-Omnicase-Timestamp": timestamp,
            "X-Omnicase-Signature": chat_signature(os.environ["CHAT_WEBHOOK_SECRET"], timestamp, body),
        }
        return self._post("/webhooks/chat", body, headers)

    def _wechat(self, xml: bytes) -> bool:
        """Safe mode, as WeChat pushes to an account with an EncodingAESKey (plaintext is refused there)."""
        token = os.environ["WECHAT_TOKEN"]
        crypto = WechatCrypto(token, os.environ["WECHAT_ENCODING_AES_KEY"], os.environ["WECHAT_APP_ID"])
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        body, msg_signature = crypto.encrypt_push(xml, timestamp, nonce, TENANT.wechat_account)
        query = {
            "account": TENANT.wechat_account,
            "signature": wechat_signature(token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "encrypt_type": "aes",
            "msg_signature": msg_signature,
        }
        return self._post(f"/webhooks/wechat?{urlencode(query)}", body, {"Content-Type": "text/xml"})

    def _post(self, path: str, body: bytes, headers: dict[str, str]) -> bool:
        self._http.request("POST", path, body=body, headers=headers)
        response = self._http.getresponse()
        answer = response.read()
        if not 200 <= response.status < 300:
            print(f"POST {path.split('?')[0]}: {response.status} {answer[:300]!r}", file=sys.stderr)
        return 200 <= response.status < 300


def edges_of(runtime: Any) -> Edges:
    """The edges of a started LocalRuntime."""
    return Edges(
        host=runtime.host,
        http_port=runtime.http_port,
        smtp_port=runtime.smtp_port,
        sms_topic_arn=runtime.stack.physical_ids["InboundSmsTopic"],
        region=runtime.stack.region,
    )
