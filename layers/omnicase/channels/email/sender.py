"""Outbound email through SES v2 (raw MIME, so threading and loop headers survive)."""

from __future__ import annotations

from omnicase.aws.clients import client
from omnicase.channels.email.compose_email import compose_email
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message, Tenant

# SES answers these when retrying cannot help; everything else (throttling, 5xx) is retried by the stream.
_PERMANENT = {
    "MessageRejected",
    "MailFromDomainNotVerifiedException",
    "AccountSuspendedException",
    "BadRequestException",
}


class SesEmailSender:
    """OutboundSender for the email channel."""

    def send(self, message: Message, tenant: Tenant) -> str:
        mime = compose_email(
            message,
            from_name=tenant.name,
            in_reply_to=message.in_reply_to,
            references=message.references,
            auto_submitted=message.kind == "acknowledgement",
        )
        ses = client("sesv2")
        try:
            response = ses.send_email(
                FromEmailAddress=message.sender,
                Destination={"ToAddresses": list(message.recipients)},
                Content={"Raw": {"Data": mime.as_bytes()}},
            )
        except ses.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in _PERMANENT:
                raise PermanentDeliveryFailure(str(error)) from error
            raise
        return str(response["MessageId"])
