"""The webhook's two requests: URL verification (GET) and pushes (POST), plaintext or safe mode."""

from __future__ import annotations

from collections.abc import Mapping

from omnicase.channels.wechat.errors import BadSignature, MalformedPush, PlaintextRefused, PushTooLarge
from omnicase.channels.wechat.message_crypto import WechatCrypto
from omnicase.channels.wechat.parse_push import MAX_BYTES, parse_push, parse_xml
from omnicase.channels.wechat.verify_signature import signature_matches, wechat_signature
from omnicase.channels.wechat.wechat_push import WechatPush

REPLAY_WINDOW = 300


def verify_echo(query: Mapping[str, str], *, token: str, crypto: WechatCrypto | None) -> str:
    """The echostr to answer when the signature is right (decrypted in safe mode)."""
    timestamp, nonce, echostr = query.get("timestamp", ""), query.get("nonce", ""), query.get("echostr", "")
    if not echostr:
        raise MalformedPush("echostr is missing")
    if crypto is not None and query.get("msg_signature"):
        if not crypto.verify(query.get("msg_signature"), timestamp, nonce, echostr):
            raise BadSignature("msg_signature does not match")
        try:
            return crypto.decrypt(echostr).decode("utf-8")
        except UnicodeDecodeError as error:
            raise MalformedPush("the decrypted echostr is not UTF-8") from error
    if not signature_matches(wechat_signature(token, timestamp, nonce), query.get("signature")):
        raise BadSignature("signature does not match")
    return echostr


def open_push(
    query: Mapping[str, str], body: bytes, *, token: str, crypto: WechatCrypto | None, now: float | None = None
) -> WechatPush:
    """A verified push: `signature` checked (and, in safe mode, `msg_signature` and decryption).

    An account with an EncodingAESKey (`crypto`) takes only encrypted pushes (safe or compatible mode): a plaintext
    push's signature covers no body, so it would let anyone holding one signed URL post anything.
    """
    if len(body) > MAX_BYTES:  # whatever the mode: a 413 says what is wrong with it
        raise PushTooLarge(f"body over {MAX_BYTES} bytes")
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    if now is not None and not _fresh(timestamp, now):
        raise BadSignature("timestamp outside the replay window")
    if query.get("encrypt_type") == "aes":
        if crypto is None:
            raise MalformedPush("safe mode push, but no EncodingAESKey is configured")
        encrypted = parse_xml(body).findtext("Encrypt") or ""
        if not crypto.verify(query.get("msg_signature"), timestamp, nonce, encrypted.strip()):
            raise BadSignature("msg_signature does not match")
        return parse_push(crypto.decrypt(encrypted.strip()))
    if not signature_matches(wechat_signature(token, timestamp, nonce), query.get("signature")):
        raise BadSignature("signature does not match")
    if crypto is not None:
        raise PlaintextRefused("this account takes encrypted pushes only (safe or compatible mode)")
    return parse_push(body)


def _fresh(timestamp: str, now: float) -> bool:
    # isascii: "²".isdigit() is True but int("²") raises; 12 digits bound int()'s cost.
    return (
        timestamp.isascii()
        and timestamp.isdigit()
        and len(timestamp) <= 12
        and abs(now - int(timestamp)) <= REPLAY_WINDOW
    )
