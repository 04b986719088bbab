"""GET /cases/{case_id}/attachments/{attachment_id}: a short-lived download link of a stored attachment.

The attachment is found through the case (so another tenant's is a 404 like any unknown id). The link is a
presigned S3 GET: the browser downloads straight from the mail bucket, which stays private, and the API never
streams file bodies through Lambda. A file is withheld with a 410 naming why: "infected" (SES's verdict on the mail
it came in, or GuardDuty Malware Protection's tag on the object), "quarantined", or "removed" from the bucket (a
malware scan moves or deletes what it flags): it existed, and will not come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from omnicase.attachments.errors import AttachmentWithheld
from omnicase.aws.mail_store import QUARANTINE_PREFIX
from omnicase.domain.attachment_ref import parse_attachment_id
from omnicase.domain.errors import NotFound
from omnicase.domain.model import Attachment
from omnicase.persistence.case_reader import get_case

LINK_LIFETIME = timedelta(minutes=5)


class AttachmentFiles(Protocol):
    def exists(self, key: str) -> bool: ...
    def download_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str: ...
    def scan_status(self, key: str) -> str | None: ...


@dataclass(frozen=True)
class AttachmentLinks:
    files: AttachmentFiles

    def link(self, tenant_id: str, case_id: str, attachment_ref: str, now: datetime | None = None) -> dict[str, Any]:
        """{"url", "expires_at", "filename", "content_type", "size"}; NotFound, or AttachmentWithheld (410)."""
        attachment = _attachment(tenant_id, case_id, attachment_ref)
        answer = {"filename": attachment.filename, "content_type": attachment.content_type, "size": attachment.size}
        if not attachment.s3_key:  # the provider keeps it (MMS, WeChat, chat uploads): its own URL, as listed
            return {"url": attachment.url, "expires_at": None, **answer}
        self._withhold_unsafe(attachment_ref, attachment)
        seconds = int(LINK_LIFETIME.total_seconds())
        url = self.files.download_url(attachment.s3_key, attachment.filename, attachment.content_type, seconds)
        expires_at = (now or datetime.now(UTC)) + LINK_LIFETIME
        return {"url": url, "expires_at": expires_at.isoformat(), **answer}

    def _withhold_unsafe(self, attachment_ref: str, attachment: Attachment) -> None:
        if attachment.virus_verdict == "FAIL":
            raise AttachmentWithheld(attachment_ref, "infected", "SES's virus scan flagged the mail it came in")
        if attachment.s3_key.startswith(QUARANTINE_PREFIX):
            raise AttachmentWithheld(attachment_ref, "quarantined", "kept for review, not for download")
        if not self.files.exists(attachment.s3_key):
            raise AttachmentWithheld(attachment_ref, "removed", "no longer in the bucket (a scan may have removed it)")
        if self.files.scan_status(attachment.s3_key) == "THREATS_FOUND":
            raise AttachmentWithheld(attachment_ref, "infected", "the malware scan of the stored file found threats")


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
