"""Outbound SMS through Amazon SNS (AWS End User Messaging), never to a number that opted out."""

from __future__ import annotations

from typing import Protocol

from botocore.exceptions import ClientError

from omnicase.aws.clients import client
from omnicase.channels.sms.recipient import textable_number
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message, Tenant

# SNS Publish answers these when the same request can never succeed: the number is not one SMS can reach
# (InvalidParameter "Invalid parameter: PhoneNumber", ParameterValueInvalid, ValidationException) or its holder
# opted out of the account (OptedOut). Throttling, internal errors, authorization and KMS errors are retried by the
# stream, then kept in the on-failure queue for `omnicase replay` once the account is fixed.
PERMANENT_ERRORS = frozenset({"InvalidParameter", "ParameterValueInvalid", "ValidationException", "OptedOut"})


class Consent(Protocol):
    def opted_out(self, tenant_id: str, channel: str, address: str) -> bool: ...


class SnsSmsSender:
    """OutboundSender for the SMS channel."""

    def __init__(self, consent: Consent) -> None:
        self._consent = consent

    def send(self, message: Message, tenant: Tenant) -> str:
        number = textable_number(message, tenant.tenant_id, self._consent)
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if message.sender and message.sender.startswith("+"):
            attributes["AWS.MM.SMS.OriginationNumber"] = {"DataType": "String", "StringValue": message.sender}
        try:
            sent = client("sns").publish(PhoneNumber=number, Message=message.body_text, MessageAttributes=attributes)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in PERMANENT_ERRORS:
                detail = error.response.get("Error", {}).get("Message", "")
                raise PermanentDeliveryFailure(f"SNS refused the SMS to {number}: {code}: {detail}") from error
            raise
        return str(sent["MessageId"])
