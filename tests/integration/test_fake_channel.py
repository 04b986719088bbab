"""A channel added as one package (tests/integration/fake_channel) plus one registration line: its messages go
through the real intake, acknowledgement, agent reply and outbox on moto, with no change to the domain, persistence,
wiring or the other channels."""

from __future__ import annotations

import json

import pytest

from omnicase import wiring
from omnicase.admin import seed_tenant
from omnicase.domain import channel_traits
from omnicase.domain.channel_traits import UnknownChannel
from omnicase.domain.errors import RejectedInput
from omnicase_local.streams import drain
from tests.integration.conftest import TOKEN
from tests.integration.fake_channel.parse_post import sign_post
from tests.integration.fake_channel.plugin import PLUGIN
from tests.integration.fake_channel.sender import OUTBOX
from tests.integration.webhook_client import call

SECRET = "fake-desk-secret"
INITECH_TOKEN = "initech-token"


@pytest.fixture
def fake_channel(stack, monkeypatch):
    # Registration is process-wide: this test registers into copies, and monkeypatch puts the originals back.
    monkeypatch.setattr(channel_traits, "_REGISTRY", dict(channel_traits._REGISTRY))
    monkeypatch.setattr(wiring, "_CHANNELS", dict(wiring._CHANNELS))
    monkeypatch.setenv("FAKE_DESK_SECRET", SECRET)  # the tenant secret, as the local runtime stands it in
    with pytest.raises(UnknownChannel):
        wiring.channel_intake("fake")

    wiring.register_channel(PLUGIN)  # the one line a new channel adds

    mailboxes = ["help@initech.example"]
    seed_tenant("initech", "Initech 客服", mailboxes, INITECH_TOKEN, mailboxes[0], endpoints=["fake:desk-1"])
    OUTBOX.clear()
    yield wiring.channel_intake("fake")
    drain()
    wiring.rebind()  # forget the fake intake and sender with the registration
    OUTBOX.clear()


def post(sender: str, message_id: str, text: str, desk: str = "desk-1") -> tuple[bytes, str]:
    body = json.dumps({"desk": desk, "from": sender, "id": message_id, "text": text}, ensure_ascii=False).encode()
    return body, sign_post(SECRET, body)


def api(stack, method: str, path: str, body: object = None, token: str = INITECH_TOKEN) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "X-Omnicase-Agent": "li.na"}
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
    response = call(stack.handler("api"), method, path, headers=headers, body=data)
    return response.status_code, response.json_body


def test_a_fake_message_is_stored_once_acknowledged_and_answered_through_its_own_sender(stack, fake_channel):
    # Given a customer writing in Chinese on the fake channel (and the provider redelivering it)
    first = fake_channel.receive(*post("user-42", "p-1", "我的订单还没到，能帮忙查一下吗？"))
    again = fake_channel.receive(*post("user-42", "p-1", "我的订单还没到，能帮忙查一下吗？"))
    later = fake_channel.receive(*post("user-42", "p-2", "订单号 A-1001"))
    drain()  # the outbox: send_outbound runs from the table's stream

    # Then one case, threaded by sender as the fake traits say, acknowledged once in the short Chinese text
    assert first.new_case and first.acknowledged and again.duplicate and again.case_id == first.case_id
    assert later.case_id == first.case_id and not later.new_case
    (ack,) = OUTBOX
    assert (ack.tenant_id, ack.recipient, ack.desk, ack.kind) == ("initech", "user-42", "desk-1", "acknowledgement")
    assert ack.text.startswith("Initech 客服：已收到您的消息") and first.case_id in ack.text

    # When an agent replies through the API
    status, answer = api(stack, "POST", f"/cases/{first.case_id}/replies", {"body": "已为您查询，明天送达。"})
    drain()

    # Then the reply leaves through the fake sender and the case shows every message on the fake channel
    assert status == 201 and answer["message"]["channel"] == "fake"
    assert [(m.kind, m.text) for m in OUTBOX[1:]] == [("human", "已为您查询，明天送达。")]
    status, shown = api(stack, "GET", f"/cases/{first.case_id}")
    assert status == 200 and shown["case"]["channel"] == "fake"
    outbound = [m for m in shown["messages"] if m["direction"] == "outbound"]
    assert [m["delivery_status"] for m in outbound] == ["sent", "sent"]
    inbound = [m["body_text"] for m in shown["messages"] if m["direction"] == "inbound"]
    assert inbound == ["我的订单还没到，能帮忙查一下吗？", "订单号 A-1001"]


def test_the_fake_channels_own_reply_limit_and_signature_refuse_with_a_reason(stack, fake_channel):
    created = fake_channel.receive(*post("user-7", "p-10", "hello"))

    status, refused = api(stack, "POST", f"/cases/{created.case_id}/replies", {"body": "长" * 501})
    assert status == 400 and refused["Code"] == "too-long" and "at most 500" in refused["Message"]

    body, _ = post("user-7", "p-11", "forged")
    with pytest.raises(RejectedInput) as caught:
        fake_channel.receive(body, sign_post("not-the-secret", body))
    assert caught.value.reason == "bad-signature"
    status, shown = api(stack, "GET", f"/cases/{created.case_id}")
    assert [m["body_text"] for m in shown["messages"] if m["direction"] == "inbound"] == ["hello"]


def test_another_tenant_sees_nothing_of_the_fake_channels_cases(stack, fake_channel):
    created = fake_channel.receive(*post("user-9", "p-20", "你好"))

    assert api(stack, "GET", f"/cases/{created.case_id}", token=TOKEN)[0] == 404
    status, listed = api(stack, "GET", "/cases?channel=fake", token=TOKEN)
    assert status == 200 and listed["cases"] == []
