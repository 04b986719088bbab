"""Outbound email through SES v2 (raw MIME, so threading and loop headers survive)."""

from __future__ import annotations

from typing import Protocol

from omnicase.aws.clients import client
from omnicase.channels.email.compose_email import compose_email
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Attachment, Message, Tenant

# SES answers these when retrying cannot help; everything else (throttling, 5xx) is retried by the stream.
_PERMANENT = {
    "MessageRejected",
    "MailFromDomainNotVerifiedException",
    "AccountSuspendedException",
    "BadRequestException",
}


class FileReader(Protocol):
    def read(self, key: str, max_bytes: int) -> bytes: ...


class SesEmailSender:
    """OutboundSender for the email channel; an agent's files (in the mail bucket) go as MIME parts."""

    def __init__(self, files: FileReader | None = None) -> None:
        self._files = files

    def send(self, message: Message, tenant: Tenant) -> str:
        mime = compose_email(
            message,
            from_name=tenant.name,
            in_reply_to=message.in_reply_to,
            references=message.references,
            auto_submitted=message.kind == "acknowledgement",
            files=self._read_files(message),
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

    def _read_files(self, message: Message) -> list[tuple[Attachment, bytes]]:
        if not message.attachments:
            return []
        if self._files is None:
            raise PermanentDeliveryFailure("this sender has no access to the attachments' bucket")
        # Checked when the reply was queued; read at that size again (a file swapped since is refused, retried).
        return [(a, self._files.read(a.s3_key, a.size)) for a in message.attachments]
