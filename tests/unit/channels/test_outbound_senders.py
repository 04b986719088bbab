"""Senders of the webhook channels: consent before SMS, signed chat callbacks, final vs retryable failures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.channels.chat.sender import ChatCallbackSender
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Channel, DeliveryStatus, Direction, Message
from tests.unit.domain.builders import TENANT


class Secrets:
    def get(self, tenant_id: str, name: str) -> str:
        return {"chat_webhook_secret": "s3cret"}[name]


def chat_reply() -> Message:
    return Message(
        tenant_id="acme",
        case_id="K3M9QX2A7B",
        message_id="1M82Y1BJY79W9EF",
        direction=Direction.OUTBOUND,
        channel=Channel.CHAT,
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        body_text="我们已收到",
        recipients=("u-1",),
        conversation_id="conv-1",
        delivery_status=DeliveryStatus.QUEUED,
    )


def test_chat_callback_is_signed_and_carries_the_delivery_id():
    seen = []

    def transport(url, body, headers):
        seen.append((url, body, headers))
        return 204

    tenant = replace(TENANT, chat_callback_url="https://widget.acme.example/hook")
    ChatCallbackSender(Secrets(), transport, clock=lambda: 1762070400).send(chat_reply(), tenant)
    ((url, body, headers),) = seen
    assert url == "https://widget.acme.example/hook"
    assert headers["X-Omnicase-Signature"] == chat_signature("s3cret", "1762070400", body)
    assert headers["X-Omnicase-Delivery"] == "1M82Y1BJY79W9EF"
    assert "我们已收到".encode() in body and b'"conversation_id": "conv-1"' in body


@pytest.mark.parametrize(
    ("status", "error"), [(410, PermanentDeliveryFailure), (503, ConnectionError), (429, ConnectionError)]
)
def test_chat_callback_failures_are_final_only_for_plain_4xx(status, error):
    tenant = replace(TENANT, chat_callback_url="https://widget.acme.example/hook")
    with pytest.raises(error):
        ChatCallbackSender(Secrets(), lambda *_: status).send(chat_reply(), tenant)


def test_a_tenant_without_callback_url_cannot_receive_chat_replies():
    with pytest.raises(PermanentDeliveryFailure):
        ChatCallbackSender(Secrets(), lambda *_: 200).send(chat_reply(), TENANT)


def test_sms_is_never_sent_to_an_opted_out_number(monkeypatch):
    from omnicase.channels.sms import sender as sms_sender

    published = []
    monkeypatch.setattr(
        sms_sender,
        "client",
        lambda service: type("SNS", (), {"publish": staticmethod(lambda **kw: published.append(kw))})(),
    )

    class OptedOut:
        def opted_out(self, tenant_id, channel, address):
            return address == "+8613800138000"

    sms = Message(
        tenant_id="acme",
        case_id="K3M9QX2A7B",
        message_id="1",
        direction=Direction.OUTBOUND,
        channel=Channel.SMS,
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        body_text="hi",
        recipients=("+8613800138000",),
    )
    with pytest.raises(PermanentDeliveryFailure, match="opted out"):
        sms_sender.SnsSmsSender(OptedOut()).send(sms, TENANT)
    assert published == []


def sms_to(number: str) -> Message:
    return Message(
        tenant_id="acme",
        case_id="K3M9QX2A7B",
        message_id="1",
        direction=Direction.OUTBOUND,
        channel=Channel.SMS,
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        body_text="hi",
        recipients=(number,),
    )


class NobodyOptedOut:
    def opted_out(self, tenant_id, channel, address):
        return False


def sns_answering(monkeypatch, code: str | None):
    from botocore.exceptions import ClientError

    from omnicase.channels.sms import sender as sms_sender

    def publish(**kwargs):
        if code:
            raise ClientError({"Error": {"Code": code, "Message": "refused"}}, "Publish")
        return {"MessageId": "m-1"}

    monkeypatch.setattr(sms_sender, "client", lambda service: type("SNS", (), {"publish": staticmethod(publish)})())
    return sms_sender.SnsSmsSender(NobodyOptedOut())


@pytest.mark.parametrize("number", ["short:10086", "VERIFY", "+0123", "8613800138000"])
def test_sms_to_something_that_is_no_e164_number_fails_for_good_without_asking_sns(monkeypatch, number):
    sender = sns_answering(monkeypatch, "InternalError")  # would be retried, were SNS asked
    with pytest.raises(PermanentDeliveryFailure, match=r"E\.164"):
        sender.send(sms_to(number), TENANT)


@pytest.mark.parametrize(
    ("code", "final"),
    [("InvalidParameter", True), ("ParameterValueInvalid", True), ("OptedOut", True), ("ValidationException", True),
     ("Throttling", False), ("InternalError", False), ("AuthorizationError", False), ("KMSThrottling", False)],
)  # fmt: skip
def test_sns_refusals_that_can_never_succeed_are_final_and_the_rest_retried(monkeypatch, code, final):
    from botocore.exceptions import ClientError

    sender = sns_answering(monkeypatch, code)
    with pytest.raises(PermanentDeliveryFailure if final else ClientError, match=code):
        sender.send(sms_to("+8613800138000"), TENANT)


@pytest.mark.parametrize(
    ("errcode", "final"),
    [(43004, True), (43019, True), (45002, True), (40003, True), (45015, True), (-1, False), (45009, False)],
)
def test_wechat_errcodes_that_can_never_succeed_are_final_and_the_rest_retried(errcode, final):
    import json

    from omnicase.channels.wechat.customer_service_client import WechatCustomerService
    from omnicase.channels.wechat.errors import WechatApiError
    from omnicase.channels.wechat.sender import WechatSender

    def transport(method, url, body):
        if "/cgi-bin/token" in url:
            return 200, json.dumps({"access_token": "t", "expires_in": 7200}).encode()
        return 200, json.dumps({"errcode": errcode, "errmsg": "refused"}).encode()

    sender = WechatSender(Secrets())
    sender._clients["acme"] = WechatCustomerService("wx1", "secret", transport)
    message = replace(sms_to("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"), channel=Channel.WECHAT)
    with pytest.raises(PermanentDeliveryFailure if final else WechatApiError, match=str(errcode)):
        sender.send(message, TENANT)
