"""Email intake: an SES receipt notification to a stored message, or to the quarantine — never lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol

from omnicase.channels.email.keyable_email import keyable_email
from omnicase.channels.email.ses_notification import SesReceivedNotification
from omnicase.channels.inbound_text import bounded_inbound
from omnicase.domain.case_token import base_mailbox, token_in_plus_address, tokens_in_subject
from omnicase.domain.errors import UnknownRecipient
from omnicase.domain.inbound import InboundMessage, ThreadHints
from omnicase.domain.ingest_message import IngestOutcome, ingest_message
from omnicase.domain.model import Attachment, Channel, Tenant
from omnicase.domain.plan_intake import BounceWithoutOriginal
from omnicase.domain.ports import DefaultConfigs, IntakeStore, TenantConfigs, TenantDirectory
from omnicase.domain.self_service import ArticleSuggester
from omnicase.email.errors import EmailRejected
from omnicase.email.parse_email import parse_email
from omnicase.email.parsed_email import ParsedEmail
from omnicase.persistence.key_limits import fits_key

logger = logging.getLogger(__name__)


class MailStore(Protocol):
    bucket: str

    def read_raw(self, key: str, max_bytes: int) -> tuple[bytes, int]: ...
    def store_attachment(
        self, key_prefix: str, index: int, filename: str, content_type: str, data: bytes
    ) -> Attachment: ...
    def quarantine(
        self, tenant_id: str | None, delivery_id: str, reason: str, raw: bytes | None, source_key: str | None
    ) -> str: ...


@dataclass(frozen=True)
class EmailReceipt:
    """What became of one received mail."""

    outcome: IngestOutcome | None = None
    quarantined: str | None = None  # the quarantine key, when it could not be taken in
    reason: str | None = None


@dataclass
class EmailIntake:
    tenants: TenantDirectory
    store: IntakeStore
    mail: MailStore
    max_email_bytes: int
    configs: TenantConfigs = field(default_factory=DefaultConfigs)
    suggester: ArticleSuggester | None = None  # the knowledge base's articles for acknowledgements

    def receive(self, notification: SesReceivedNotification) -> EmailReceipt:
        """Take in one SES notification; anything that cannot become a message is quarantined."""
        delivery_id = notification.mail.messageId
        source_key = notification.receipt.action.objectKey if notification.content is None else None
        tenant, recipient = self._tenant_of(notification)
        if tenant is None:
            recipients = ", ".join(notification.receipt.recipients)
            logger.warning("mail %s: no tenant receives mail at %s", delivery_id, recipients)  # PII masked
            return self._quarantine(None, delivery_id, "unknown-recipient", None, source_key, notification)
        if notification.receipt.virusVerdict.status == "FAIL":
            return self._quarantine(tenant.tenant_id, delivery_id, "virus", None, source_key, notification)
        raw, size = self._raw(notification)
        if size > self.max_email_bytes:
            return self._quarantine(tenant.tenant_id, delivery_id, "too-large", None, source_key, notification)
        try:
            parsed = parse_email(raw, max_bytes=self.max_email_bytes)
        except EmailRejected as rejected:
            return self._quarantine(tenant.tenant_id, delivery_id, rejected.reason, raw, source_key, notification)
        inbound = bounded_inbound(keyable_email(self._inbound(tenant, recipient, notification, parsed)))
        if parsed.problems:
            logger.warning("mail %s parsed with problems: %s", delivery_id, ", ".join(parsed.problems))
        try:
            config = self.configs.config_for(tenant.tenant_id)
            outcome = ingest_message(inbound, tenant, self.store, config=config, suggester=self.suggester)
        except BounceWithoutOriginal:
            return self._quarantine(tenant.tenant_id, delivery_id, "unmatched-bounce", raw, source_key, notification)
        return EmailReceipt(outcome=outcome)

    def _tenant_of(self, notification: SesReceivedNotification) -> tuple[Tenant | None, str | None]:
        for address in (*notification.receipt.recipients, *notification.mail.destination):
            if not fits_key("address", address):
                continue  # no mailbox of ours is that long
            tenant = self.tenants.tenant_for_address(address.lower())
            if tenant is not None:
                return tenant, address.lower()
        return None, None

    def _raw(self, notification: SesReceivedNotification) -> tuple[bytes, int]:
        inline = notification.inline_content()
        if inline is not None:
            return inline, len(inline)
        key = notification.receipt.action.objectKey
        if not key:
            raise UnknownRecipient("notification carries neither content nor an S3 object")
        return self.mail.read_raw(key, self.max_email_bytes)

    def _inbound(
        self, tenant: Tenant, recipient: str | None, notification: SesReceivedNotification, parsed: ParsedEmail
    ) -> InboundMessage:
        delivery_id = notification.mail.messageId
        prefix = f"attachments/{tenant.tenant_id}/{delivery_id}/"
        verdict = notification.receipt.virusVerdict.status  # SES scans the whole mail: each file carries it
        attachments = tuple(
            replace(self.mail.store_attachment(prefix, i, a.filename, a.content_type, a.content), virus_verdict=verdict)
            for i, a in enumerate(parsed.attachments)
        )
        plus_token = token_in_plus_address(recipient, tenant.mailboxes)
        sender = parsed.from_address or _envelope_sender(notification.mail.source)
        raw_key = notification.receipt.action.objectKey
        return InboundMessage(
            tenant_id=tenant.tenant_id,
            channel=Channel.EMAIL,
            provider_message_id=delivery_id,
            # SES's arrival time orders messages: a sender's Date header can be skewed or forged.
            received_at=_ses_time(notification.mail.timestamp),
            sender_address=sender,
            sender_name=parsed.from_name,
            recipient=base_mailbox(recipient) if recipient else None,
            subject=parsed.subject,
            body_text=parsed.body_text,
            preview=parsed.preview,
            kind=parsed.kind.value,
            hints=ThreadHints(
                email_message_id=parsed.message_id,
                in_reply_to=parsed.in_reply_to,
                references=parsed.references,
                case_tokens=tuple(dict.fromkeys([*tokens_in_subject(parsed.subject), *filter(None, [plus_token])])),
            ),
            attachments=attachments,
            raw_ref=f"s3://{self.mail.bucket}/{raw_key}" if raw_key and notification.content is None else None,
            problems=parsed.problems,
            bounced_message_ids=parsed.bounced_message_ids,
            failed_recipients=parsed.failed_recipients,
        )

    def _quarantine(
        self,
        tenant_id: str | None,
        delivery_id: str,
        reason: str,
        raw: bytes | None,
        source_key: str | None,
        notification: SesReceivedNotification,
    ) -> EmailReceipt:
        if raw is None and source_key is None:
            raw = notification.inline_content()
        key = self.mail.quarantine(tenant_id, delivery_id, reason, raw, source_key)
        logger.error("mail %s quarantined (%s) at s3://%s/%s", delivery_id, reason, self.mail.bucket, key)
        return EmailReceipt(quarantined=key, reason=reason)


def _envelope_sender(source: str) -> str | None:
    source = source.strip().lower()
    return source if "@" in source and source != "<>" else None


def _ses_time(timestamp: str) -> datetime:
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
