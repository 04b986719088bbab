"""Customers' media into the bucket after intake (fetch_media, fed by the change feed): MMS by MediaUrl, WeChat by
MediaId through media/get, chat files by URL; what cannot be fetched is a problem on the message, never a loss."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import requests

from omnicase_local.streams import drain
from tests.integration.test_reply_attachments import api
from tests.integration.webhook_client import call, chat_post, twilio_fields, twilio_post, wechat_safe

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 16
AMR = b"#!AMR\n" + bytes(range(256)) * 2


def only_message(stack, channel: str) -> tuple[str, dict]:
    drain()  # intake, then the change feed runs fetch_media
    (row,) = [c for c in api(stack, "GET", "/cases")[1]["cases"] if c["channel"] == channel]
    detail = api(stack, "GET", f"/cases/{row['case_id']}")[1]
    inbound = [m for m in detail["messages"] if m["direction"] == "inbound"]
    return row["case_id"], inbound[-1]


def downloaded(stack, case_id: str, attachment: dict) -> bytes:
    status, link = api(stack, "GET", f"/cases/{case_id}/attachments/{attachment['attachment_id']}")
    assert status == 200 and link["expires_at"] is not None  # our presigned link, not the provider's URL
    return requests.get(link["url"], timeout=10).content


def test_an_mms_picture_is_fetched_into_the_bucket_and_downloads_byte_identical(stack, provider):
    url = provider.serve("/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1", "image/jpeg", JPEG)
    fields = twilio_fields("", "MM" + "1" * 32, NumMedia="1", MediaUrl0=url, MediaContentType0="image/jpeg")
    assert twilio_post(stack, fields).status_code == 200

    case_id, message = only_message(stack, "sms")

    (attachment,) = message["attachments"]
    assert attachment["stored"] and attachment["size"] == len(JPEG) and attachment["content_type"] == "image/jpeg"
    assert attachment["url"] == url and message["problems"] == []  # the provider's URL stays beside the copy
    assert downloaded(stack, case_id, attachment) == JPEG


def test_a_wechat_voice_message_is_fetched_by_its_media_id(stack, provider):
    provider.serve("VOICE_MEDIA_1", "audio/amr", AMR)  # what media/get answers for that media_id
    xml = (
        "<xml><ToUserName><![CDATA[gh_acme0000001]]></ToUserName>"
        "<FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
        "<MediaId><![CDATA[VOICE_MEDIA_1]]></MediaId><Format><![CDATA[amr]]></Format>"
        "<MsgId>7100000000000000001</MsgId></xml>"
    ).encode()
    body, query = wechat_safe(xml)
    path = "/webhooks/wechat?" + urlencode(query)
    call(stack.handler("wechat_webhook"), "POST", path, headers={"Content-Type": "text/xml"}, body=body)

    case_id, message = only_message(stack, "wechat")

    (attachment,) = message["attachments"]
    assert (attachment["filename"], attachment["content_type"]) == ("voice-7100000000000000001.amr", "audio/amr")
    assert attachment["stored"] and downloaded(stack, case_id, attachment) == AMR
    (get,) = provider.sent("/wechat/cgi-bin/media/get")
    assert "media_id=VOICE_MEDIA_1" in get.path and "access_token=test-access-token" in get.path


def test_media_of_a_refused_type_is_a_problem_on_the_kept_message_and_counted(stack, provider, capsys):
    page = provider.serve("/media/page", "text/html", b"<script>alert(1)</script>")
    twilio = twilio_fields("see", "MM" + "2" * 32, NumMedia="1", MediaUrl0=page, MediaContentType0="image/png")
    assert twilio_post(stack, twilio).status_code == 200

    _, sms = only_message(stack, "sms")
    assert sms["problems"] == ["media-0-type-refused"] and not sms["attachments"][0]["stored"]
    assert sms["attachments"][0]["url"] == page  # kept where the provider has it
    assert '"MediaFetchFailed"' in capsys.readouterr().out


def test_a_chat_file_at_a_private_address_is_never_fetched(stack, provider):
    document = {
        "conversation_id": "conv-ssrf",
        "message_id": "m1",
        "user_id": "visitor-8",
        "text": "file",
        "attachments": [{"url": "https://169.254.169.254/latest/meta-data/", "name": "x.png"}],
    }
    assert chat_post(stack, document).status_code == 201

    _, message = only_message(stack, "chat")

    assert message["problems"] == ["media-0-url-refused"] and not message["attachments"][0]["stored"]
