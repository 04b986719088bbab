"""SES receipt notifications in the shapes AWS documents (events/ingest_email/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from omnicase.channels.email.ses_notification import SesReceivedNotification

EVENTS = Path(__file__).resolve().parents[3] / "events" / "ingest_email"


def notification(name: str) -> SesReceivedNotification:
    record = json.loads((EVENTS / name).read_text())["Records"][0]
    return SesReceivedNotification.model_validate_json(record["Sns"]["Message"])


def test_s3_action_points_at_the_stored_object():
    n = notification("sns_s3_action.json")
    assert n.receipt.action.type == "S3" and n.receipt.action.bucketName == "omnicase-mail"
    assert n.receipt.action.objectKey.startswith("inbound/")
    assert n.inline_content() is None
    assert n.receipt.recipients == ["support@acme.example"]


def test_inline_utf8_and_base64_content_decode_to_mime():
    utf8 = notification("sns_inline_utf8.json").inline_content()
    b64 = notification("sns_inline_base64.json").inline_content()
    assert utf8 is not None and b"Subject: Example subject" in utf8
    assert b64 is not None and b"Content-Type: multipart/alternative" in b64


def test_a_notification_that_is_not_a_receipt_is_refused():
    with pytest.raises(ValidationError):
        SesReceivedNotification.model_validate({"notificationType": "Bounce", "mail": {}, "receipt": {}})
