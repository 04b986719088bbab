"""A WeChat reply with images is several API messages; when one fails after the text went out, the stream's retry
sends only what did not get through — faults injected at the botocore boundary, on moto, through the real handlers."""

from __future__ import annotations

from omnicase_local.streams import drain
from tests.integration.faults import faults  # noqa: F401 - fixture
from tests.integration.test_reply_attachments import PNG, api, upload, wechat_case

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 3


def sent_texts(provider, text: str) -> list[dict]:
    return [
        r.json()
        for r in provider.sent("/wechat/cgi-bin/message/custom/send")
        if r.json().get("text", {}).get("content") == text
    ]


def sent_images(provider) -> list[dict]:
    return [r.json() for r in provider.sent("/wechat/cgi-bin/message/custom/send") if r.json()["msgtype"] == "image"]


def test_a_failed_image_step_is_retried_without_sending_the_text_or_the_first_image_again(stack, provider, faults):  # noqa: F811
    # Given a WeChat case and a reply with two images, the second one's read from S3 failing once (after the text
    # and the first image were sent)
    case_id = wechat_case(stack)
    ids = [upload(stack, case_id, "map.png", "image/png", PNG), upload(stack, case_id, "door.jpg", "image/jpeg", JPEG)]
    fault = faults.add("s3", "GetObject", "AccessDenied", skip=1)

    # When the agent sends it and the stream delivers (and retries) it
    assert api(stack, "POST", f"/cases/{case_id}/replies", {"body": "两张图", "attachments": ids})[0] == 201
    drain()

    # Then the failure happened, and yet the customer got the text once and each image once
    assert fault.injected == 1
    assert len(sent_texts(provider, "两张图")) == 1
    assert len(sent_images(provider)) == 2 and len(provider.sent("/wechat/cgi-bin/media/upload")) == 2
    reply = next(m for m in api(stack, "GET", f"/cases/{case_id}")[1]["messages"] if m["body_text"] == "两张图")
    assert reply["delivery_status"] == "sent"


def test_without_a_fault_each_part_is_sent_once_and_recorded(stack, provider):
    import boto3

    case_id = wechat_case(stack)
    upload_id = upload(stack, case_id, "map.png", "image/png", PNG)

    assert api(stack, "POST", f"/cases/{case_id}/replies", {"body": "见图", "attachments": [upload_id]})[0] == 201
    drain()

    assert len(sent_texts(provider, "见图")) == 1 and len(sent_images(provider)) == 1
    items = boto3.client("dynamodb").scan(TableName=stack.table)["Items"]
    (recorded,) = [i for i in items if i.get("body_text", {}).get("S") == "见图"]
    assert sorted(recorded["sent_parts"]["SS"]) == ["file-0", "text"]
