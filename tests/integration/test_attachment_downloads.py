"""Customers' files as agents see them: each attachment's verdict on the case, and a download refused with why."""

from __future__ import annotations

import boto3
import requests

from tests.integration.console_fixtures import api_get
from tests.integration.test_console_cases import INVOICE
from tests.integration.test_ingest_email import deliver


def invoice(stack) -> tuple[str, dict, str]:
    ((result,), _) = deliver(stack, INVOICE, "ses-verdict")
    (attachment,) = api_get(stack, f"/cases/{result['case_id']}")[1]["messages"][0]["attachments"]
    (stored,) = boto3.client("s3").list_objects_v2(Bucket=stack.bucket, Prefix="attachments/acme/ses-verdict/")[
        "Contents"
    ]
    return result["case_id"], attachment, stored["Key"]


def test_the_case_lists_each_attachment_with_name_type_size_and_the_mails_virus_verdict(stack):
    case_id, attachment, _ = invoice(stack)

    assert {k: attachment[k] for k in ("filename", "content_type", "size", "virus_verdict", "stored")} == {
        "filename": "发票.pdf",
        "content_type": "application/pdf",
        "size": 9,
        "virus_verdict": "PASS",  # SES's verdict on the mail (a FAIL mail is quarantined whole, never stored)
        "stored": True,
    }
    link = api_get(stack, f"/cases/{case_id}/attachments/{attachment['attachment_id']}")[1]
    assert requests.get(link["url"], timeout=10).content == b"%PDF-1.4\n"


def test_a_file_the_malware_scan_flagged_is_refused_as_infected(stack):
    case_id, attachment, key = invoice(stack)
    # What GuardDuty Malware Protection for S3 writes on the object when tagging is on.
    tags = {"TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": "THREATS_FOUND"}]}
    boto3.client("s3").put_object_tagging(Bucket=stack.bucket, Key=key, Tagging=tags)

    status, body = api_get(stack, f"/cases/{case_id}/attachments/{attachment['attachment_id']}")

    assert status == 410 and body["Code"] == "gone" and body["refusal"] == "infected"
    assert "url" not in body


def test_a_file_removed_from_the_bucket_is_refused_as_removed(stack):
    case_id, attachment, key = invoice(stack)
    boto3.client("s3").delete_object(Bucket=stack.bucket, Key=key)

    status, body = api_get(stack, f"/cases/{case_id}/attachments/{attachment['attachment_id']}")

    assert status == 410 and body["refusal"] == "removed"
