"""The chat webhook's HMAC signature and freshness window."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from omnicase.channels.chat.chat_signature import chat_signature, verify_chat_request
from omnicase.channels.chat.errors import ChatRejected

SECRET = "s3cret"
NOW = 1_762_070_400.0
BODY = '{"text": "你好，我的订单还没到"}'.encode()


def test_signature_is_hex_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(b"s3cret", b"1762070400." + BODY, hashlib.sha256).hexdigest()
    assert chat_signature(SECRET, "1762070400", BODY) == "sha256=" + expected
    assert chat_signature("key", "1", b"") == "sha256=53123bc365c2fe4bee48bc5cc6cd6c19699147d43513154ed34277c7c063e80f"


@pytest.mark.parametrize("skew", [0, -300, 300, -1, 120])
def test_valid_within_window(skew):
    timestamp = str(int(NOW) + skew)
    verify_chat_request(SECRET, timestamp, chat_signature(SECRET, timestamp, BODY), BODY, now=NOW)


@pytest.mark.parametrize(
    ("timestamp", "signature", "body", "reason"),
    [
        ("1762070400", "sha256=" + "0" * 64, BODY, "bad-signature"),
        ("1762070400", chat_signature(SECRET, "1762070400", BODY), BODY + b" ", "bad-signature"),
        ("1762070400", chat_signature("other", "1762070400", BODY), BODY, "bad-signature"),
        ("1762070400", chat_signature(SECRET, "1762070401", BODY), BODY, "bad-signature"),
        ("1762070400", chat_signature(SECRET, "1762070400", BODY).upper(), BODY, "bad-signature"),
        ("1762070400", "签名", BODY, "bad-signature"),
        ("soon", chat_signature(SECRET, "soon", BODY), BODY, "bad-signature"),
        ("1762070099", chat_signature(SECRET, "1762070099", BODY), BODY, "stale"),
        ("1762070701", chat_signature(SECRET, "1762070701", BODY), BODY, "stale"),
        (None, chat_signature(SECRET, "1762070400", BODY), BODY, "missing-signature"),
        ("1762070400", None, BODY, "missing-signature"),
        ("1762070400", "  ", BODY, "missing-signature"),
    ],
)
def test_rejections(timestamp, signature, body, reason):
    with pytest.raises(ChatRejected) as raised:
        verify_chat_request(SECRET, timestamp, signature, body, now=NOW)
    assert raised.value.reason == reason


def test_custom_tolerance():
    timestamp = str(int(NOW) - 30)
    signature = chat_signature(SECRET, timestamp, BODY)
    verify_chat_request(SECRET, timestamp, signature, BODY, now=NOW, tolerance_seconds=30)
    with pytest.raises(ChatRejected) as raised:
        verify_chat_request(SECRET, timestamp, signature, BODY, now=NOW, tolerance_seconds=29)
    assert raised.value.reason == "stale"
