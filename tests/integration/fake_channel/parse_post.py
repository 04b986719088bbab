"""The fake provider's post: JSON {"desk", "from", "id", "text"}, signed HMAC-SHA256 over the body."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from omnicase.domain.errors import RejectedInput


@dataclass(frozen=True)
class FakePost:
    desk: str  # the tenant's endpoint ("fake:<desk>")
    sender: str
    message_id: str
    text: str


def parse_post(body: bytes) -> FakePost:
    """The post's fields; RejectedInput (400) naming what is wrong."""
    try:
        document = json.loads(body)
        return FakePost(str(document["desk"]), str(document["from"]), str(document["id"]), str(document["text"]))
    except (ValueError, KeyError, TypeError) as error:
        raise RejectedInput("malformed", f"not a fake-channel post: {error}") from None


def sign_post(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_post(secret: str, body: bytes, signature: str) -> None:
    if not hmac.compare_digest(sign_post(secret, body), signature):
        raise RejectedInput("bad-signature", "the post's signature does not match the desk's secret")
