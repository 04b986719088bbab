"""WeChat: URL verification, plaintext and AES pushes, XML attacks refused, replies through the API."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from omnicase.channels.wechat.message_crypto import WechatCrypto
from omnicase_local.streams import drain
from tests.integration.conftest import SECRETS
from tests.integration.webhook_client import call, case, cases, wechat_query, wechat_text

BOMB = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><ToUserName>gh</ToUserName><FromUserName>&c;</FromUserName></xml>"""


@pytest.fixture
def plaintext_account(monkeypatch, provider):
    """The acme account in plaintext mode: no EncodingAESKey configured (the stack's default has one)."""
    monkeypatch.delenv("WECHAT_ENCODING_AES_KEY")


def push(stack, body: bytes, query: dict[str, str] | None = None):
    path = "/webhooks/wechat?" + urlencode(query or wechat_query())
    return call(stack.handler("wechat_webhook"), "POST", path, headers={"Content-Type": "text/xml"}, body=body)


def test_url_verification_echoes_only_under_the_right_signature(stack):
    good = call(
        stack.handler("wechat_webhook"), "GET", "/webhooks/wechat?" + urlencode(wechat_query({"echostr": "42"}))
    )
    bad_query = wechat_query({"echostr": "42"}, token="someone-else")
    bad = call(stack.handler("wechat_webhook"), "GET", "/webhooks/wechat?" + urlencode(bad_query))
    assert (good.status_code, good.body) == (200, b"42") and bad.status_code == 403


def test_plaintext_push_is_a_case_answered_success_and_stored_once(stack, provider, plaintext_account):
    for _ in range(3):  # WeChat retries when it does not hear back within 5 s
        response = push(stack, wechat_text("你好，发票什么时候开？", "24302918455702871"))
        assert (response.status_code, response.body) == (200, b"success")
    (only,) = cases(stack)
    assert only["channel"] == "wechat" and only["contact_address"] == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    inbound = [m for m in case(stack, only["case_id"])["messages"] if m["direction"] == "inbound"]
    assert [m["body_text"] for m in inbound] == ["你好，发票什么时候开？"]
    drain()
    (sent,) = provider.sent("/wechat/cgi-bin/message/custom/send")
    assert sent.json()["touser"] == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" and only["case_id"] in sent.json()["text"]["content"]


def test_safe_mode_push_is_decrypted(stack):
    crypto = WechatCrypto(SECRETS["WECHAT_TOKEN"], SECRETS["WECHAT_ENCODING_AES_KEY"], SECRETS["WECHAT_APP_ID"])
    encrypted = crypto.encrypt(wechat_text("加密消息", "24302918455700001"))
    query = wechat_query({"encrypt_type": "aes"})
    from omnicase.channels.wechat.verify_signature import wechat_signature

    query["msg_signature"] = wechat_signature(SECRETS["WECHAT_TOKEN"], query["timestamp"], query["nonce"], encrypted)
    body = f"<xml><ToUserName><![CDATA[gh_acme0000001]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    assert push(stack, body.encode(), query).status_code == 200
    (only,) = cases(stack)
    assert case(stack, only["case_id"])["messages"][0]["body_text"] == "加密消息"


def test_forged_pushes_and_xml_bombs_are_refused_and_store_nothing(stack, plaintext_account):
    assert push(stack, wechat_text("x", "1"), wechat_query(token="forged")).status_code == 403
    bomb = push(stack, BOMB)
    assert bomb.status_code == 400 and bomb.json_body["Code"] in ("xml-attack", "malformed")
    assert cases(stack) == []
