"""`omnicase local` with a Twilio number: the reply leaves through the fake Twilio Messages API over HTTP, and the
fake's signed status callbacks mark it delivered on the case — the path a Twilio tenant's SMS take in AWS."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import requests

from omnicase.channels.sms.twilio_signature import twilio_signature
from omnicase_local.fake_twilio import TWILIO_API
from omnicase_local.runtime import LOCAL_SECRETS, DemoTenant
from tests.e2e.conftest import API_TOKEN, LocalStack, run_local

pytestmark = pytest.mark.e2e
TWILIO_NUMBER = DemoTenant().twilio_number
ACCOUNT = LOCAL_SECRETS["TWILIO_ACCOUNT_SID"]
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with run_local() as running:
        yield running


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def outbox(stack: LocalStack) -> list[dict]:
    with urllib.request.urlopen(stack.http_url + "/_local/outbox", timeout=10) as response:
        return json.loads(response.read())


def test_a_reply_to_a_twilio_number_leaves_through_twilio_and_its_status_callback_marks_it_delivered(stack):
    # Given a customer texting the tenant's Twilio number (a signed Twilio webhook)
    sender, url = "+14255550177", f"{stack.http_url}/webhooks/sms/twilio"
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "From": sender, "To": TWILIO_NUMBER, "Body": "Is my order lost?"}
    signature = twilio_signature(LOCAL_SECRETS["TWILIO_AUTH_TOKEN"], url, {k: [v] for k, v in form.items()})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    assert post(url, urlencode(form).encode(), headers)[0] == 200
    case = stack.wait_for(
        lambda: [c for c in stack.get("/cases?channel=sms&limit=100")[1]["cases"] if c["contact_address"] == sender]
    )[0]

    # When an agent replies
    reply = json.dumps({"body": "It is on its way."}).encode()
    api = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"}
    assert post(f"{stack.http_url}/cases/{case['case_id']}/replies", reply, api)[0] == 201

    # Then both texts left through Twilio from the Twilio number, naming their case
    def through_twilio() -> list[dict]:
        sent = [e for e in outbox(stack) if e["to"] == [sender]]
        return sent if len(sent) == 2 else []

    for entry in stack.wait_for(through_twilio):
        assert entry["channel"] == "sms" and entry["case_id"] == case["case_id"]
        assert entry["headers"]["From"] == TWILIO_NUMBER and entry["headers"]["X-Twilio-MessageSid"].startswith("SM")

    # And Twilio's callbacks (sent, then delivered) mark both delivered on the case
    def delivered() -> list[dict]:
        messages = stack.get(f"/cases/{case['case_id']}")[1]["messages"]
        outbound = [m for m in messages if m["direction"] == "outbound"]
        return outbound if len(outbound) == 2 and all(m["delivery_status"] == "delivered" for m in outbound) else []

    assert {m["body_text"] for m in stack.wait_for(delivered)} >= {"It is on its way."}


def test_the_fake_twilio_api_refuses_what_twilio_refuses(stack):
    api = f"{stack.http_url}{TWILIO_API}/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    form = urlencode({"To": "+14255550100", "From": TWILIO_NUMBER, "Body": "hi"}).encode()
    right = base64.b64encode(f"{ACCOUNT}:{LOCAL_SECRETS['TWILIO_AUTH_TOKEN']}".encode()).decode()
    wrong = base64.b64encode(f"{ACCOUNT}:guess".encode()).decode()
    content = {"Content-Type": "application/x-www-form-urlencoded"}

    unauthenticated = post(api, form, {**content, "Authorization": f"Basic {wrong}"})
    foreign_from = post(api, form.replace(b"%2B1501", b"%2B1999"), {**content, "Authorization": f"Basic {right}"})

    assert unauthenticated[0] == 401 and json.loads(unauthenticated[1])["code"] == 20003
    assert foreign_from[0] == 400 and json.loads(foreign_from[1])["code"] == 21606


def test_the_fake_twilio_api_refuses_media_twilio_refuses(stack):
    api = f"{stack.http_url}{TWILIO_API}/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    right = base64.b64encode(f"{ACCOUNT}:{LOCAL_SECRETS['TWILIO_AUTH_TOKEN']}".encode()).decode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {right}"}
    base = [("To", "+14255550100"), ("From", TWILIO_NUMBER), ("Body", "hi")]

    eleven = post(
        api, urlencode(base + [("MediaUrl", f"https://example.com/{i}.png") for i in range(11)]).encode(), headers
    )
    not_http = post(api, urlencode([*base, ("MediaUrl", "ftp://example.com/a.png")]).encode(), headers)

    assert eleven[0] == 400 and json.loads(eleven[1])["code"] == 21623
    assert not_http[0] == 400 and json.loads(not_http[1])["code"] == 21620


def test_a_reply_with_a_file_to_a_twilio_number_leaves_as_mms_with_a_link_twilio_can_fetch(stack):
    # Given a customer texting the tenant's Twilio number, and an agent's photo uploaded the console's way
    sender, url = "+14255550178", f"{stack.http_url}/webhooks/sms/twilio"
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "From": sender, "To": TWILIO_NUMBER, "Body": "Which door?"}
    signature = twilio_signature(LOCAL_SECRETS["TWILIO_AUTH_TOKEN"], url, {k: [v] for k, v in form.items()})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    assert post(url, urlencode(form).encode(), headers)[0] == 200
    case = stack.wait_for(
        lambda: [c for c in stack.get("/cases?channel=sms&limit=100")[1]["cases"] if c["contact_address"] == sender]
    )[0]
    api = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"}
    declared = json.dumps({"filename": "door.png", "content_type": "image/png", "size": len(PHOTO)}).encode()
    status, answer = post(f"{stack.http_url}/cases/{case['case_id']}/uploads", declared, api)
    assert status == 201, answer
    slot = json.loads(answer)
    assert requests.post(slot["url"], data=slot["fields"], files={"file": ("door.png", PHOTO)}, timeout=10).ok

    # When the agent replies with it
    reply = json.dumps({"body": "The green door.", "attachments": [slot["upload_id"]]}).encode()
    assert post(f"{stack.http_url}/cases/{case['case_id']}/replies", reply, api)[0] == 201

    # Then Twilio got one MMS whose MediaUrl answers the photo with its type
    def mms() -> list[dict]:
        return [e for e in outbox(stack) if e["to"] == [sender] and e["body_text"] == "The green door."]

    (entry,) = stack.wait_for(mms)
    (media_url,) = entry["headers"]["X-Twilio-MediaUrls"].split(" ")
    fetched = requests.get(media_url, timeout=10)
    assert fetched.content == PHOTO and fetched.headers["Content-Type"] == "image/png"
