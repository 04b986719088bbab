"""Agents' files on moto: a presigned upload per file, a reply naming the uploads, each channel's way of carrying
them (MIME parts, WeChat image messages, chat links), and the 422s that queue nothing."""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import urlencode

import pytest
import requests

from omnicase_local.streams import drain
from tests.integration.conftest import TOKEN
from tests.integration.test_ingest_email import deliver, mail, sent_mail
from tests.integration.webhook_client import call, chat_post, twilio_fields, twilio_post, wechat_safe, wechat_text

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # bytes of every value: nothing may be re-encoded on the way
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8


def api(stack, method: str, path: str, body: object = None, token: str = TOKEN):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "X-Omnicase-Agent": "li.na"}
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
    response = call(stack.handler("api"), method, path, headers=headers, body=data)
    return response.status_code, response.json_body


def upload(stack, case_id: str, filename: str, content_type: str, data: bytes) -> str:
    """The console's two steps: ask for a presigned POST, then post the file straight to S3."""
    status, slot = api(stack, "POST", f"/cases/{case_id}/uploads", _declared(filename, content_type, len(data)))
    assert status == 201, slot
    posted = requests.post(slot["url"], data=slot["fields"], files={"file": (filename, data)}, timeout=10)
    assert posted.status_code in (200, 204), posted.text
    return str(slot["upload_id"])


def _declared(filename: str, content_type: str, size: int) -> dict[str, object]:
    return {"filename": filename, "content_type": content_type, "size": size}


def email_case(stack) -> str:
    ((result,), _) = deliver(stack, mail("Invoice please", message_id="att-reply@example.com"), "ses-att-reply")
    return str(result["case_id"])


def wechat_case(stack) -> str:
    body, query = wechat_safe(wechat_text("发票在哪里", "7000000000000000001", create_time=int(time.time())))
    path = "/webhooks/wechat?" + urlencode(query)
    call(stack.handler("wechat_webhook"), "POST", path, headers={"Content-Type": "text/xml"}, body=body)
    return _only_case(stack, "wechat")


def chat_case(stack) -> str:
    document = {"conversation_id": "conv-att", "message_id": "m1", "user_id": "visitor-1", "text": "my receipt?"}
    assert chat_post(stack, document).status_code == 201
    return _only_case(stack, "chat")


def sms_case(stack) -> str:
    assert twilio_post(stack, twilio_fields("where is my parcel", "SM" + "a" * 32)).status_code == 200
    return _only_case(stack, "sms")


def message_ids(stack, case_id: str) -> list[str]:
    return [m["message_id"] for m in api(stack, "GET", f"/cases/{case_id}")[1]["messages"]]


def _only_case(stack, channel: str) -> str:
    (row,) = [c for c in api(stack, "GET", "/cases")[1]["cases"] if c["channel"] == channel]
    return str(row["case_id"])


def test_an_emailed_reply_carries_the_uploaded_file_as_a_mime_part_byte_for_byte(stack):
    case_id = email_case(stack)
    upload_id = upload(stack, case_id, "发票 2026.pdf", "application/pdf", PDF)

    status, answer = api(stack, "POST", f"/cases/{case_id}/replies", {"body": "Attached.", "attachments": [upload_id]})

    assert status == 201, answer
    (listed,) = answer["message"]["attachments"]
    assert (listed["filename"], listed["content_type"], listed["size"], listed["stored"]) == (
        "发票 2026.pdf",
        "application/pdf",
        len(PDF),
        True,
    )
    reply = next(m for m in sent_mail() if m.get_content_type() == "multipart/mixed")
    (part,) = list(reply.iter_attachments())
    assert part.get_filename() == "发票 2026.pdf" and part.get_content_type() == "application/pdf"
    assert part.get_content() == PDF
    assert reply.get_body(("plain",)).get_content().strip() == "Attached."
    # The agent's file is downloadable from the case like a customer's.
    link = api(stack, "GET", f"/cases/{case_id}/attachments/{listed['attachment_id']}")[1]
    assert requests.get(link["url"], timeout=10).content == PDF


def test_a_wechat_reply_uploads_the_image_as_temporary_media_and_sends_it_by_media_id(stack, provider):
    case_id = wechat_case(stack)
    upload_id = upload(stack, case_id, "map.png", "image/png", PNG)

    assert api(stack, "POST", f"/cases/{case_id}/replies", {"body": "见图", "attachments": [upload_id]})[0] == 201
    drain()

    (media,) = provider.sent("/wechat/cgi-bin/media/upload")
    assert "type=image" in media.path and media.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="media"; filename="map.png"' in media.body and PNG in media.body
    *_, text, image = [r.json() for r in provider.sent("/wechat/cgi-bin/message/custom/send")]  # after the ack
    assert text["text"]["content"] == "见图" and image["msgtype"] == "image"
    assert image["image"]["media_id"].startswith("MEDIA")


def test_a_chat_reply_carries_download_links_the_widget_can_fetch(stack, provider):
    case_id = chat_case(stack)
    upload_id = upload(stack, case_id, "receipt.pdf", "application/pdf", PDF)

    assert api(stack, "POST", f"/cases/{case_id}/replies", {"body": "Here it is", "attachments": [upload_id]})[0] == 201
    drain()

    (callback,) = [r.json() for r in provider.sent("/chat-callback") if r.json().get("text") == "Here it is"]
    (file,) = callback["attachments"]
    assert (file["name"], file["content_type"], file["size"]) == ("receipt.pdf", "application/pdf", len(PDF))
    assert requests.get(file["url"], timeout=10).content == PDF


def test_sms_cannot_carry_files_a_422_before_the_upload_and_before_anything_is_queued(stack):
    case_id = sms_case(stack)
    before = message_ids(stack, case_id)

    offered = api(stack, "POST", f"/cases/{case_id}/uploads", _declared("a.png", "image/png", 10))
    replied = api(stack, "POST", f"/cases/{case_id}/replies", {"body": "see file", "attachments": ["0" * 15]})

    assert offered[0] == 422 and offered[1]["Code"] == "files-not-carried"
    assert replied[0] == 422 and replied[1]["Code"] == "files-not-carried"
    assert message_ids(stack, case_id) == before


@pytest.mark.parametrize(
    ("channel", "declared", "code"),
    [
        ("email", _declared("setup.exe", "application/octet-stream", 1000), "attachment-type-refused"),
        ("email", _declared("huge.pdf", "application/pdf", 10 * 2**20 + 1), "attachment-too-large"),
        ("wechat", _declared("contract.pdf", "application/pdf", 1000), "attachment-type-refused"),
        ("wechat", _declared("photo.jpg", "image/jpeg", 2 * 2**20 + 1), "attachment-too-large"),
    ],
)
def test_a_file_over_the_channels_limit_or_of_a_refused_type_is_a_422_naming_the_limit(
    stack, channel, declared, code, capsys
):
    case_id = email_case(stack) if channel == "email" else wechat_case(stack)

    status, body = api(stack, "POST", f"/cases/{case_id}/uploads", declared)

    assert status == 422 and body["Code"] == code
    assert "limit" in body or "allowed" in body
    assert '"AttachmentsRefused"' in capsys.readouterr().out  # counted (EMF on stdout)


def test_a_reply_naming_an_upload_that_never_arrived_is_a_422_and_queues_nothing(stack, capsys):
    case_id = email_case(stack)
    status, slot = api(stack, "POST", f"/cases/{case_id}/uploads", _declared("a.pdf", "application/pdf", 9))
    assert status == 201
    before = message_ids(stack, case_id)

    status, body = api(stack, "POST", f"/cases/{case_id}/replies", {"body": "x", "attachments": [slot["upload_id"]]})

    assert status == 422 and body["Code"] == "upload-missing" and body["upload_ids"] == [slot["upload_id"]]
    assert message_ids(stack, case_id) == before
    assert '"AttachmentsRefused"' in capsys.readouterr().out


def test_an_upload_is_bound_to_its_case_type_name_and_size(stack):
    case_id = email_case(stack)

    status, slot = api(stack, "POST", f"/cases/{case_id}/uploads", _declared("a b.pdf", "application/pdf", 900))

    assert status == 201
    assert slot["fields"]["key"] == f"attachments/acme/uploads/{case_id}/{slot['upload_id']}"
    policy = json.loads(base64.b64decode(slot["fields"]["policy"]))
    assert ["content-length-range", 1, 900] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert {"x-amz-meta-filename": "a%20b.pdf"} in policy["conditions"]
    assert {"key": slot["fields"]["key"]} in policy["conditions"]


def test_another_case_or_tenant_cannot_claim_an_upload(stack):
    case_id = email_case(stack)
    upload_id = upload(stack, case_id, "a.pdf", "application/pdf", PDF)
    ((other,), _) = deliver(stack, mail("Other", message_id="other@example.com"), "ses-other")

    elsewhere = api(stack, "POST", f"/cases/{other['case_id']}/replies", {"body": "x", "attachments": [upload_id]})
    stranger = api(stack, "POST", f"/cases/{case_id}/uploads", _declared("a.pdf", "application/pdf", 9), "globex-token")

    assert elsewhere[0] == 422 and elsewhere[1]["Code"] == "upload-missing"
    assert stranger[0] == 404
