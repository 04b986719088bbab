"""An inbound SMS comes from a phone number (E.164) or is refused with the reason; a provider's refusal that can
never succeed (invalid number, opted out, blocked) marks the message failed once — no retry, no on-failure queue."""

from __future__ import annotations

import json

import pytest

from omnicase_local.streams import drain
from tests.integration.faults import faults  # noqa: F401 - fixture
from tests.integration.inbound_traffic import stored
from tests.integration.test_replay import depth, queue_named
from tests.integration.test_sms_webhooks import _signed_sns, sent_sms, sns_post, sns_urls  # noqa: F401 - fixture
from tests.integration.test_wechat_webhook import push
from tests.integration.webhook_client import cases, twilio_fields, twilio_post, wechat_safe, wechat_text


@pytest.mark.parametrize(
    "sender",
    [
        "10086",  # a short code: no customer's phone
        "VERIFY",  # an alphanumeric sender id
        "+1234",  # too short for any country
        "+19999999999",  # no such number plan
        "13800138000",  # a Chinese mobile without its +86
        "whatsapp:",
    ],
)
def test_a_twilio_sms_from_something_that_is_no_phone_number_is_a_400_with_the_reason(stack, sender):
    response = twilio_post(stack, twilio_fields("hello", "SM" + "8" * 32, sender=sender))

    assert (response.status_code, response.json_body["Code"]) == (400, "invalid-sender")
    assert "E.164" in response.json_body["Message"] and cases(stack) == []


def test_whatsapp_and_e164_senders_are_taken(stack):
    assert twilio_post(stack, twilio_fields("hi", "SM" + "1" * 32, sender="whatsapp:+8613800138000")).status_code == 200
    (only,) = cases(stack)
    assert only["contact_address"] == "+8613800138000"


def test_a_two_way_sms_over_sns_from_a_short_code_is_a_400(stack, sns_urls):  # noqa: F811
    two_way = {"originationNumber": "12345", "destinationNumber": "+15005550006", "inboundMessageId": "i-9"}
    message, pem = _signed_sns("Notification", Message=json.dumps({**two_way, "messageBody": "hi"}))
    sns_urls[message["SigningCertURL"]] = pem

    response = sns_post(stack, message)

    assert (response.status_code, response.json_body["Code"]) == (400, "invalid-sender")
    assert cases(stack) == []


@pytest.mark.parametrize("code", ["InvalidParameter", "ParameterValueInvalid", "OptedOut"])
def test_an_sms_sns_refuses_for_good_is_marked_failed_once_and_not_retried(stack, faults, code):  # noqa: F811
    refusal = faults.add("sns", "Publish", code, times=None)

    twilio_post(stack, twilio_fields("my parcel is late", "SM" + "2" * 32))
    drain()

    (ack,) = [m for ms in stored(stack).values() for m in ms if m["kind"] == "acknowledgement"]
    assert ack["delivery_status"] == "failed" and code in ack["delivery_detail"]
    assert refusal.injected == 1  # once: neither botocore, the stream nor the handler tried again
    assert depth(queue_named("SendOutboundFailureQueue")) == 0 and sent_sms() == []


def test_a_throttled_sms_is_still_retried_and_kept_for_replay(stack, faults):  # noqa: F811
    throttled = faults.add("sns", "Publish", "Throttling", times=None)

    twilio_post(stack, twilio_fields("my parcel is late", "SM" + "3" * 32))
    drain()

    (ack,) = [m for ms in stored(stack).values() for m in ms if m["kind"] == "acknowledgement"]
    assert ack["delivery_status"] == "queued" and throttled.injected > 1
    assert depth(queue_named("SendOutboundFailureQueue")) == 1


def test_a_wechat_follower_who_blocked_the_account_fails_the_message_once(stack, provider):
    provider.wechat_errcode = 43019  # 需要将接收者从黑名单中移除: the receiver blacklisted the account

    push(stack, *wechat_safe(wechat_text("还在吗", "8001")))
    drain()

    (ack,) = [m for ms in stored(stack).values() for m in ms if m["kind"] == "acknowledgement"]
    assert ack["delivery_status"] == "failed" and "43019" in ack["delivery_detail"]
    assert len(provider.sent("/wechat/cgi-bin/message/custom/send")) == 1
    assert depth(queue_named("SendOutboundFailureQueue")) == 0
