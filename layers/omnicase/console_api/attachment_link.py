"""GET /cases/{case_id}/attachments/{attachment_id}: a short-lived download link of a stored attachment.

The attachment is found through the case (so another tenant's is a 404 like any unknown id). The link is a
presigned S3 GET: the browser downloads straight from the mail bucket, which stays private, and the API never
streams file bodies through Lambda. A quarantined object, or one removed from the bucket (a malware scan moves or
deletes what it flags), is a 410: it existed, and will not come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from omnicase.aws.mail_store import QUARANTINE_PREFIX
from omnicase.domain.attachment_ref import parse_attachment_id
from omnicase.domain.errors import Gone, NotFound
from omnicase.domain.model import Attachment
from omnicase.persistence.case_reader import get_case

LINK_LIFETIME = timedelta(minutes=5)


class AttachmentFiles(Protocol):
    def exists(self, key: str) -> bool: ...
    def download_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str: ...


@dataclass(frozen=True)
class AttachmentLinks:
    files: AttachmentFiles

    def link(self, tenant_id: str, case_id: str, attachment_ref: str, now: datetime | None = None) -> dict[str, Any]:
        """{"url", "expires_at", "filename", "content_type", "size"}; NotFound, or Gone for a quarantined file."""
        attachment = _attachment(tenant_id, case_id, attachment_ref)
        answer = {"filename": attachment.filename, "content_type": attachment.content_type, "size": attachment.size}
        if not attachment.s3_key:  # the provider keeps it (MMS, WeChat, chat uploads): its own URL, as listed
            return {"url": attachment.url, "expires_at": None, **answer}
        if attachment.s3_key.startswith(QUARANTINE_PREFIX) or not self.files.exists(attachment.s3_key):
            raise Gone(f"attachment {attachment_ref} is quarantined or removed")
        seconds = int(LINK_LIFETIME.total_seconds())
        url = self.files.download_url(attachment.s3_key, attachment.filename, attachment.content_type, seconds)
        expires_at = (now or datetime.now(UTC)) + LINK_LIFETIME
        return {"url": url, "expires_at": expires_at.isoformat(), **answer}


def _attachment(tenant_id: str, case_id: str, attachment_ref: str) -> Attachment:
    ref = parse_attachment_id(attachment_ref)
    _, messages = get_case(tenant_id, case_id)  # NotFound for another tenant's case
    message = next((m for m in messages if ref and m.message_id == ref[0]), None)
    if ref is None or message is None or not 0 <= ref[1] < len(message.attachments):
        raise NotFound(f"attachment {attachment_ref}")
    attachment = message.attachments[ref[1]]
    if not attachment.s3_key and not attachment.url:
        raise NotFound(f"attachment {attachment_ref}")
    return attachment
