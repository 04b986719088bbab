"""SES email receiving, emulated: the receipt rule's S3 action (raw MIME in S3) and its SNS 'Received' notification."""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parseaddr
from typing import Any

_ID_ALPHABET = string.ascii_lowercase + string.digits
RECEIPT_SUBJECT = "Amazon SES Email Receipt Notification"
# SES: `headers` "will be truncated if the headers are larger than 10 KB", and says so in `headersTruncated`.
MAX_NOTIFICATION_HEADERS_BYTES = 10 * 1024
# SES does not say how it bounds `commonHeaders`; here each value is bounded so that the notification fits SNS's
# 256 KB however large the mail's headers (the mail itself, in S3, keeps them all).
MAX_COMMON_HEADER_CHARS = 998
MAX_COMMON_ADDRESSES = 100


@dataclass(frozen=True)
class S3Action:
    """A receipt rule's S3 action: where the raw mail goes and which topic hears about it."""

    bucket: str
    prefix: str = ""
    topic_arn: str | None = None


@dataclass(frozen=True)
class ReceiptRule:
    """An SES receipt rule from the template, resolved to physical names."""

    name: str
    recipients: tuple[str, ...] = ()
    enabled: bool = True
    s3_actions: tuple[S3Action, ...] = field(default_factory=tuple)

    def matches(self, recipient: str) -> bool:
        """SES matching: an address, a domain (not its subdomains), or `.domain` (its subdomains); none means all."""
        if not self.recipients:
            return True
        address = recipient.strip().lower()
        domain = address.rpartition("@")[2]
        for entry in (r.strip().lower() for r in self.recipients):
            if entry == address or ("@" not in entry and not entry.startswith(".") and entry == domain):
                return True
            if entry.startswith(".") and domain.endswith(entry):
                return True
        return False


def receipt_rule_from_properties(name: str, rule: dict[str, Any]) -> ReceiptRule:
    """A ReceiptRule from the resolved `Rule` property of an AWS::SES::ReceiptRule."""
    recipients = rule.get("Recipients") or []
    if isinstance(recipients, str):
        recipients = [r for r in recipients.split(",") if r.strip()]
    actions = tuple(
        S3Action(
            bucket=a["S3Action"]["BucketName"],
            prefix=a["S3Action"].get("ObjectKeyPrefix", ""),
            topic_arn=a["S3Action"].get("TopicArn"),
        )
        for a in rule.get("Actions") or []
        if "S3Action" in a
    )
    return ReceiptRule(
        name=rule.get("Name", name),
        recipients=tuple(recipients),
        enabled=bool(rule.get("Enabled", True)),
        s3_actions=actions,
    )


def new_message_id() -> str:
    """An SES-like inbound message id (40 lowercase alphanumerics)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(40))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _decoded(value: str | None) -> str:
    if value is None:
        return ""
    try:
        return str(make_header(decode_header(value)))
    except (UnicodeDecodeError, LookupError, ValueError):
        return value


def _address_list(values: list[str]) -> list[str]:
    return [f'"{name}" <{addr}>' if name else addr for name, addr in getaddresses([_decoded(v) for v in values])]


def stamp_received(raw: bytes, *, envelope_from: str, recipients: list[str], message_id: str, region: str) -> bytes:
    """The mail as SES stores it: Return-Path, Received and verdict headers prepended to the original."""
    stamp = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    lines = [
        f"Return-Path: <{envelope_from}>",
        f"Received: from localhost by inbound-smtp.{region}.amazonaws.com with SMTP id {message_id}"
        f" for {', '.join(recipients)}; {stamp} (UTC)",
        "X-SES-Spam-Verdict: PASS",
        "X-SES-Virus-Verdict: PASS",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("ascii", "replace") + raw


def build_received_notification(
    raw: bytes,
    *,
    envelope_from: str,
    recipients: list[str],
    bucket: str,
    key: str,
    topic_arn: str | None,
    message_id: str,
) -> dict[str, Any]:
    """The SES 'Received' notification (S3 action) for one mail, as SES publishes it to the topic."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
    timestamp = _now()
    common: dict[str, Any] = {"returnPath": parseaddr(envelope_from)[1] or envelope_from}
    for name, key_name in (("From", "from"), ("Reply-To", "replyTo"), ("To", "to"), ("Cc", "cc"), ("Bcc", "bcc")):
        values = headers.get_all(name)
        if values:
            addresses = _address_list([str(v) for v in values])[:MAX_COMMON_ADDRESSES]
            common[key_name] = [a[:MAX_COMMON_HEADER_CHARS] for a in addresses]
    for name, key_name in (("Sender", "sender"), ("Date", "date"), ("Message-ID", "messageId"), ("Subject", "subject")):
        if headers.get(name) is not None:
            value = _decoded(str(headers[name])) if key_name == "subject" else str(headers[name])
            common[key_name] = value[:MAX_COMMON_HEADER_CHARS]
    listed, truncated = _notification_headers(headers.items())
    return {
        "notificationType": "Received",
        "mail": {
            "timestamp": timestamp,
            "source": envelope_from,
            "messageId": message_id,
            "destination": list(recipients),
            "headersTruncated": truncated,
            "headers": listed,
            "commonHeaders": common,
        },
        "receipt": {
            "timestamp": timestamp,
            "processingTimeMillis": 5,
            "recipients": list(recipients),
            "spamVerdict": {"status": "PASS"},
            "virusVerdict": {"status": "PASS"},
            "spfVerdict": {"status": "GRAY"},
            "dkimVerdict": {"status": "GRAY"},
            "dmarcVerdict": {"status": "GRAY"},
            "action": {"type": "S3", "topicArn": topic_arn, "bucketName": bucket, "objectKey": key},
        },
    }


def _notification_headers(headers: Any) -> tuple[list[dict[str, str]], bool]:
    """The mail's headers in order while they fit in MAX_NOTIFICATION_HEADERS_BYTES, and whether any were left out."""
    listed, size = [], 0
    for name, value in headers:
        entry = {"name": str(name), "value": " ".join(str(value).split())}
        size += len(json.dumps(entry, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        if size > MAX_NOTIFICATION_HEADERS_BYTES:
            return listed, True
        listed.append(entry)
    return listed, False


def deliver_email(
    rules: list[ReceiptRule],
    raw: bytes,
    *,
    envelope_from: str,
    recipients: list[str],
    s3: Any,
    sns: Any,
    region: str = "us-east-1",
    message_id: str | None = None,
) -> str:
    """Apply every enabled matching rule's S3 actions to one mail, like SES; returns the SES message id."""
    message_id = message_id or new_message_id()
    for rule in rules:
        matched = [r for r in recipients if rule.matches(r)]
        if not rule.enabled or not matched:
            continue
        stored = stamp_received(
            raw, envelope_from=envelope_from, recipients=matched, message_id=message_id, region=region
        )
        for action in rule.s3_actions:
            key = f"{action.prefix}{message_id}"
            s3.put_object(Bucket=action.bucket, Key=key, Body=stored)
            if action.topic_arn:
                notification = build_received_notification(
                    stored,
                    envelope_from=envelope_from,
                    recipients=matched,
                    bucket=action.bucket,
                    key=key,
                    topic_arn=action.topic_arn,
                    message_id=message_id,
                )
                sns.publish(TopicArn=action.topic_arn, Message=json.dumps(notification), Subject=RECEIPT_SUBJECT)
    return message_id
