"""Outbound SMS through Amazon SNS (AWS End User Messaging), never to a number that opted out."""

from __future__ import annotations

from typing import Protocol

from omnicase.aws.clients import client
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message, Tenant


class Consent(Protocol):
    def opted_out(self, tenant_id: str, channel: str, address: str) -> bool: ...


class SnsSmsSender:
    """OutboundSender for the SMS channel."""

    def __init__(self, consent: Consent) -> None:
        self._consent = consent

    def send(self, message: Message, tenant: Tenant) -> str:
        (number,) = message.recipients
        if self._consent.opted_out(tenant.tenant_id, "sms", number):
            raise PermanentDeliveryFailure(f"{number} opted out (STOP); nothing is sent until START")
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if message.sender and message.sender.startswith("+"):
            attributes["AWS.MM.SMS.OriginationNumber"] = {"DataType": "String", "StringValue": message.sender}
        response = client("sns").publish(PhoneNumber=number, Message=message.body_text, MessageAttributes=attributes)
        return str(response["MessageId"])
