"""Builders of SES-via-SNS Lambda events around raw mails, in the documented shapes (see events/README.md)."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from omnicase_local.ses_receipt import build_received_notification

TOPIC = "arn:aws:sns:us-east-1:123456789012:omnicase-InboundMailTopic"


def received_notification(
    raw: bytes,
    *,
    recipients: list[str],
    ses_message_id: str,
    bucket: str | None = None,
    key: str | None = None,
    inline: str | None = None,
    source: str = "sender@example.com",
) -> dict[str, Any]:
    """An SES 'Received' notification: S3 action (bucket/key) or SNS action with inline UTF8/BASE64 content."""
    notification = build_received_notification(
        raw,
        envelope_from=source,
        recipients=recipients,
        bucket=bucket or "",
        key=key or "",
        topic_arn=TOPIC,
        message_id=ses_message_id,
    )
    # A fixed arrival time keeps message order and ids reproducible across runs.
    notification["mail"]["timestamp"] = notification["receipt"]["timestamp"] = "2026-11-02T09:15:01.000Z"
    if inline is not None:
        notification["receipt"]["action"] = {"type": "SNS", "topicArn": TOPIC, "encoding": inline}
        content = base64.b64encode(raw).decode() if inline == "BASE64" else raw.decode("utf-8", "replace")
        notification["content"] = content
    return notification


def sns_event(message: dict[str, Any], sns_message_id: str | None = None) -> dict[str, Any]:
    """The Lambda SNS event around one notification (Powertools tests/events/snsEvent.json shape)."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": sns_message_id or str(uuid.uuid4()),
                    "TopicArn": TOPIC,
                    "Subject": "Amazon SES Email Receipt Notification",
                    "Message": json.dumps(message),
                    "Timestamp": "2026-11-02T09:15:01.000Z",
                    "SignatureVersion": "1",
                    "Signature": "EXAMPLE",
                    "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem",
                    "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
                    "MessageAttributes": {},
                },
            }
        ]
    }
