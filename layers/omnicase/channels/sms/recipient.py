"""Whom an SMS may go to, whichever provider sends it: an E.164 number that has not opted out (STOP)."""

from __future__ import annotations

import re
from typing import Protocol

from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message

E164 = re.compile(r"\+[1-9][0-9]{6,14}")  # the shape SNS and Twilio take; each refuses a number no network has


class OptOuts(Protocol):
    def opted_out(self, tenant_id: str, channel: str, address: str) -> bool: ...


def textable_number(message: Message, tenant_id: str, consent: OptOuts) -> str:
    """The message's one recipient; a permanent failure (never retried) when it is no number or opted out."""
    (number,) = message.recipients
    if not E164.fullmatch(number):
        raise PermanentDeliveryFailure(f"{number[:32]!r} is not a phone number in E.164: SMS cannot reach it")
    if consent.opted_out(tenant_id, "sms", number):
        raise PermanentDeliveryFailure(f"{number} opted out (STOP); nothing is sent until START")
    return number
