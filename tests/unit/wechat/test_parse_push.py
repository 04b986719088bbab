"""WeChat pushes: every documented message type parses; XML attacks and broken bodies are refused."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnicase.channels.wechat.customer_service_client import WechatCustomerService
from omnicase.channels.wechat.errors import MalformedPush, WechatApiError, WechatRejected, XmlAttack
from omnicase.channels.wechat.parse_push import parse_push

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "wechat"


@pytest.mark.parametrize(
    ("name", "msg_type", "text"),
    [
        ("text_message", "text", "this is a test"),
        ("image_message", "image", "[image] this is a url"),
        ("voice_message", "voice", "[voice] media_id"),
        ("video_message", "video", "[video] media_id"),
        ("location_message", "location", "[location] 位置信息 (23.134521, 113.358803)"),
        ("link_message", "link", "[link] 公众平台官网链接 url"),
        ("subscribe_event", "event", "[event] subscribe"),
        ("click_event", "event", "[event] CLICK EVENTKEY"),
    ],
)
def test_documented_pushes_parse(name, msg_type, text):
    push = parse_push((FIXTURES / f"wechatpy_parse_{name}.xml").read_bytes())
    assert push.msg_type == msg_type and push.from_user and push.create_time > 0
    assert push.text_for_case == text


def test_dedupe_key_is_msgid_or_sender_time_and_event():
    text = parse_push((FIXTURES / "wechatpy_parse_text_message.xml").read_bytes())
    event = parse_push((FIXTURES / "wechatpy_parse_subscribe_event.xml").read_bytes())
    assert text.dedupe_key == text.msg_id
    assert event.dedupe_key == f"{event.from_user}:{event.create_time}:subscribe"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><xml>&b;</xml>', XmlAttack),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml>&e;</xml>', XmlAttack),
        (b"<xml><ToUserName>gh</ToUserName></xml>", MalformedPush),
        (b"not xml at all", MalformedPush),
        (b"<xml>" + b"<a>x</a>" * 20_000 + b"</xml>", MalformedPush),
    ],
)
def test_attacks_and_broken_bodies_are_refused(body, error):
    with pytest.raises(error):
        parse_push(body)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_parsed_or_refused_cleanly(body):
    with contextlib.suppress(WechatRejected):
        parse_push(body)


class FakeApi:
    def __init__(self, answers):
        self.answers, self.calls = list(answers), []

    def __call__(self, method, url, body):
        self.calls.append((method, url, body))
        return self.answers.pop(0)


def token(value: str) -> tuple[int, bytes]:
    return 200, f'{{"access_token": "{value}", "expires_in": 7200}}'.encode()


def test_access_token_is_cached_and_refreshed_when_expired_or_rejected():
    now = [1000.0]
    api = FakeApi(
        [
            token("t1"),
            (200, b'{"errcode": 0}'),
            (200, b'{"errcode": 0}'),
            token("t2"),
            (200, b'{"errcode": 42001, "errmsg": "access_token expired"}'),
            token("t3"),
            (200, b'{"errcode": 0}'),
        ]
    )
    client = WechatCustomerService("wx1", "secret", api, clock=lambda: now[0])
    client.send_text("openid-1", "你好")
    client.send_text("openid-1", "again")
    assert [c[0] for c in api.calls] == ["GET", "POST", "POST"]  # one token for both
    assert "你好".encode() in api.calls[1][2] and "access_token=t1" in api.calls[1][1]
    now[0] += 7200
    client.send_text("openid-1", "after expiry")
    assert "access_token=t3" in api.calls[-1][1]


def test_other_api_errors_are_raised_with_their_code():
    client = WechatCustomerService("wx1", "secret", FakeApi([token("t"), (200, b'{"errcode": 45015, "errmsg": "x"}')]))
    with pytest.raises(WechatApiError) as raised:
        client.send_text("openid-1", "hi")
    assert raised.value.errcode == 45015
