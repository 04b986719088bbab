"""Why a WeChat request was refused; the edge turns the reason into a 4xx."""

from __future__ import annotations


class WechatRejected(Exception):
    """A refused WeChat request, with a reason code."""

    reason = "malformed"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.reason)


class BadSignature(WechatRejected):
    reason = "bad-signature"


class WrongAppId(WechatRejected):
    reason = "wrong-app-id"


class PlaintextRefused(WechatRejected):
    """A plaintext push to an account with an EncodingAESKey: its signature does not cover the body."""

    reason = "plaintext-refused"


class MalformedPush(WechatRejected):
    reason = "malformed"


class XmlAttack(WechatRejected):
    reason = "xml-attack"


class PushTooLarge(MalformedPush):
    reason = "too-large"


class WechatApiError(Exception):
    """The customer-service API answered with an errcode."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode, self.errmsg = errcode, errmsg
