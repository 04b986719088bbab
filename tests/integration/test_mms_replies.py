"""An agent's files on an SMS case go as MMS from a Twilio number (one MediaUrl per file, a presigned GET Twilio can
fetch) and are refused with a 422 before anything is queued on an End User Messaging number — on moto, through the
real handlers and the fake Twilio API over HTTP."""

from __future__ import annotations

import requests

from omnicase.channels.sms.twilio_sender import MEDIA_LINK_SECONDS
from omnicase_local.streams import drain
from tests.integration.test_reply_attachments import PDF, PNG, _declared, api, message_ids, upload
from tests.integration.test_twilio_outbound import TWILIO_NUMBER, outbound, text_the_twilio_number, twilio  # noqa: F401
from tests.integration.webhook_client import cases, twilio_fields, twilio_post


def twilio_case(stack) -> str:
    text_the_twilio_number(stack, "the box arrived broken", "SM" + "c" * 32)
    (only,) = cases(stack)
    return str(only["case_id"])


def test_a_reply_from_a_twilio_number_sends_each_file_as_a_media_url_twilio_can_fetch(stack, twilio):  # noqa: F811
    # Given an SMS case on the tenant's Twilio number and two uploaded files
    case_id = twilio_case(stack)
    ids = [
        upload(stack, case_id, "label photo.png", "image/png", PNG),
        upload(stack, case_id, "发票.pdf", "application/pdf", PDF),
    ]

    # When the agent replies with both
    status, answer = api(stack, "POST", f"/cases/{case_id}/replies", {"body": "Label and invoice", "attachments": ids})
    drain()

    # Then one MMS left through Twilio, its media the two files in order, its validity their links' lifetime
    assert status == 201, answer
    sent = [m for m in twilio.accepted if m.get("Body") == "Label and invoice"]
    assert len(sent) == 1 and sent[0]["From"] == TWILIO_NUMBER
    urls = sent[0]["MediaUrl"].split(" ")
    assert len(urls) == 2 and sent[0]["ValidityPeriod"] == str(MEDIA_LINK_SECONDS)
    # And each link answers the very bytes, with the type Twilio checks and a short inline name
    first, second = (requests.get(url, timeout=10) for url in urls)
    assert first.content == PNG and first.headers["Content-Type"] == "image/png"
    assert first.headers["Content-Disposition"] == 'inline; filename="label-photo.png"'
    assert second.content == PDF and second.headers["Content-Type"] == "application/pdf"
    assert f"X-Amz-Expires={MEDIA_LINK_SECONDS}" in urls[0]
    reply = next(m for m in outbound(stack) if m["body_text"] == "Label and invoice")
    assert reply["delivery_status"] == "sent" and [a["filename"] for a in reply["attachments"]] == [
        "label photo.png",
        "发票.pdf",
    ]


def test_an_aws_number_case_refuses_files_with_a_422_naming_the_provider_and_queues_nothing(stack, twilio):  # noqa: F811
    assert twilio_post(stack, twilio_fields("hello", "SM" + "d" * 32)).status_code == 200  # to the AWS number
    (only,) = cases(stack)
    before = message_ids(stack, only["case_id"])

    offered = api(stack, "POST", f"/cases/{only['case_id']}/uploads", _declared("a.png", "image/png", 10))
    replied = api(stack, "POST", f"/cases/{only['case_id']}/replies", {"body": "see", "attachments": ["0" * 15]})

    for status, body in (offered, replied):
        assert status == 422 and body["Code"] == "files-not-carried"
        assert body["providers"] == ["twilio"] and body["sender"] == "+15005550006"
    assert message_ids(stack, only["case_id"]) == before


def test_mms_limits_type_size_and_count_are_422s_before_anything_is_queued(stack, twilio):  # noqa: F811
    case_id = twilio_case(stack)
    small = [upload(stack, case_id, f"p{i}.png", "image/png", PNG) for i in range(11)]
    before = message_ids(stack, case_id)

    word = api(stack, "POST", f"/cases/{case_id}/uploads", _declared("a.docx", "application/msword", 100))
    large = api(stack, "POST", f"/cases/{case_id}/uploads", _declared("big.jpg", "image/jpeg", 5_000_000))
    eleven = api(stack, "POST", f"/cases/{case_id}/replies", {"body": "many", "attachments": small})

    assert (word[0], word[1]["Code"]) == (422, "attachment-type-refused")
    assert (large[0], large[1]["Code"]) == (422, "attachment-too-large") and large[1]["limit"] < 5_000_000
    assert (eleven[0], eleven[1]["Code"], eleven[1]["limit"]) == (422, "too-many-attachments", 10)
    assert message_ids(stack, case_id) == before and not [m for m in twilio.accepted if m.get("Body") == "many"]
