"""Right to be forgotten on moto: a customer known by email, SMS, WeChat and chat is erased through the API and the
CLI; afterwards no item or object of the tenant holds their addresses or words, while another customer and another
tenant (where the same address writes too) keep theirs, and the reports add up as before."""

from __future__ import annotations

import json
from base64 import b64encode
from urllib.parse import urlencode

import boto3
import pytest

from omnicase.admin import add_agent_token
from omnicase_local.cli import main
from omnicase_local.streams import drain
from tests.integration.conftest import TOKEN
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.webhook_client import call, chat_post, twilio_fields, twilio_post, wechat_query, wechat_text

ANN = {
    "email": "ann.wang@example.com",
    "phone": "+8613912345678",
    "openid": "oAnnWangOpenId0000000000077",
    "chat": "visitor-ann-77",
    "conversation": "conv-ann-77",
    "name": "王安娜",
}
ANN_WORDS = ["我的退款什么时候到账", "发票抬头写错了", "快递一直没有更新", "聊天里问一下保修", "请不要再打电话给我"]
BOB = {"email": "bob.li@example.com", "words": "李波的打印机卡纸了"}
PDF = b"%PDF-1.4\n% Ann's signed contract\n"


def ann_mail() -> bytes:
    """Ann's first mail: Chinese text in 8 bits, an attachment named after her, kept raw in S3."""
    return (
        f"From: {ANN['name']} <{ANN['email']}>\r\nTo: support@acme.example\r\nSubject: {ANN_WORDS[0]}\r\n"
        f"Message-ID: <ann-1@mail.example>\r\nDate: Mon, 2 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        f"--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{ANN_WORDS[1]}\r\n--b\r\nContent-Type: application/pdf\r\n"
        f'Content-Disposition: attachment; filename="ann-wang-contract.pdf"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{b64encode(PDF).decode()}\r\n--b--\r\n"
    ).encode()


def utf8_mail(sender: str, subject: str, body: str, message_id: str, to: str = "support@acme.example") -> bytes:
    return (
        f"From: <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n"
        f"Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ).encode()


def customer_of(stack, case_id: str) -> str:
    return request(stack, "GET", f"/cases/{case_id}")[1]["case"]["customer_id"]


@pytest.fixture
def world(stack, acme_config, monkeypatch):  # noqa: F811
    """Ann on four channels merged into one customer (as an agent would), with a reply, a note, a blocked draft and
    a survey; Bob beside her; and Ann writing to another tenant from the same address."""
    monkeypatch.delenv("WECHAT_ENCODING_AES_KEY")  # the acme WeChat account in plaintext mode
    supervisor, _ = add_agent_token("acme", "wang.fang", "supervisor")
    agent, _ = add_agent_token("acme", "zhang.wei", "agent")
    ((by_mail,), _) = deliver(stack, ann_mail(), "ses-ann-1")
    ann = customer_of(stack, by_mail["case_id"])
    by_chat = chat_post(
        stack,
        {
            "conversation_id": ANN["conversation"],
            "message_id": "ann-chat-1",
            "user_id": ANN["chat"],
            "text": ANN_WORDS[3],
            "email": ANN["email"],  # the chat widget knows her address: the same customer
            "display_name": ANN["name"],
        },
    ).json_body
    assert twilio_post(stack, twilio_fields(ANN_WORDS[2], "SM" + "a" * 32, sender=ANN["phone"])).status_code == 200
    wechat = "/webhooks/wechat?" + urlencode(wechat_query())
    headers = {"Content-Type": "text/xml"}
    pushed = call(
        stack.handler("wechat_webhook"),
        "POST",
        wechat,
        headers=headers,
        body=wechat_text(ANN_WORDS[4], "9001", ANN["openid"]),
    )
    assert pushed.status_code == 200
    drain()
    case_ids = {by_mail["case_id"], by_chat["case_id"]}
    for listed in request(stack, "GET", "/cases?limit=100")[1]["cases"]:
        if listed["channel"] in ("sms", "wechat"):
            case_ids.add(listed["case_id"])
            source = listed["customer_id"]
            if source != ann:
                status, _ = request(
                    stack, "POST", f"/customers/{ann}/merge", {"source_customer_id": source}, token=supervisor
                )
                assert status == 200
    # A walk-in an agent opened for her, under a request key that spells her number (keys are the client's choice)
    walk_in = {"channel": "phone", "customer_id": ann, "subject": "到店", "note": "来店里问退款"}
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", "Idempotency-Key": ANN["phone"]}
    opened = call(stack.handler("api"), "POST", "/cases", headers=headers, body=json.dumps(walk_in).encode())
    assert opened.status_code == 201
    case_ids.add(opened.json_body["case"]["case_id"])
    mail_case = by_mail["case_id"]
    assert request(stack, "POST", f"/cases/{mail_case}/replies", {"body": f"{ANN['name']}您好，退款已处理"})[0] == 201
    assert request(stack, "POST", f"/cases/{mail_case}/notes", {"body": f"{ANN['name']} 电话 {ANN['phone']}"})[0] == 201
    blocked = request(stack, "POST", f"/cases/{mail_case}/replies", {"body": f"{ANN['name']}，你这个傻 逼"})
    assert blocked[0] == 422
    request(stack, "PATCH", f"/cases/{mail_case}", {"status": "solved"})
    ((bob,), _) = deliver(stack, utf8_mail(BOB["email"], "打印机", BOB["words"], "bob-1@mail.example"), "ses-bob-1")
    elsewhere = utf8_mail(ANN["email"], "globex", ANN_WORDS[0], "ann-g@mail.example", to="help@globex.example")
    ((globex,), _) = deliver(stack, elsewhere, "ses-ann-globex", recipients=("help@globex.example",))
    drain()
    profile = request(stack, "GET", f"/customers/{ann}")[1]
    assert set(profile["identities"]) >= {f"email:{ANN['email']}", f"sms:{ANN['phone']}", f"wechat:{ANN['openid']}"}
    return {"ann": ann, "cases": case_ids, "supervisor": supervisor, "agent": agent, "bob": bob, "globex": globex}


def table_items(stack) -> list[dict]:
    client = boto3.client("dynamodb")
    items: list[dict] = []
    for page in client.get_paginator("scan").paginate(TableName=stack.table, ConsistentRead=True):
        items += page["Items"]
    return items


def stored(items: list[dict]) -> dict[tuple[str, str], dict]:
    """The items by key, without the API's request counters (every request, refused ones too, counts)."""
    return {(i["pk"]["S"], i["sk"]["S"]): i for i in items if i["item_type"]["S"] != "rate_window"}


def holding(items: list[dict], needle: str, tenant: str) -> list[dict]:
    """The items of `tenant` with `needle` anywhere in them, keys included (case-insensitive)."""
    found = []
    for item in items:
        text = (json.dumps(item, ensure_ascii=False) + "".join(_json_inside(item))).casefold()
        if item.get("tenant_id", {}).get("S") == tenant and needle.casefold() in text:
            found.append(item)
    return found


def _json_inside(item: dict) -> list[str]:
    """JSON documents stored as strings (event details, the counters' tallies), with their escapes undone."""
    decoded = []
    for value in item.values():
        text = value.get("S", "")
        if text[:1] in ("{", "["):
            try:
                decoded.append(json.dumps(json.loads(text), ensure_ascii=False))
            except ValueError:
                continue
    return decoded


def object_versions(stack) -> dict[tuple[str, str], bytes]:
    s3 = boto3.client("s3")
    found = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=stack.bucket):
        for version in page.get("Versions", []):
            key, version_id = version["Key"], version["VersionId"]
            body = s3.get_object(Bucket=stack.bucket, Key=key, VersionId=version_id)["Body"].read()
            found[(key, version_id)] = body
    return found


def ann_needles() -> list[str]:
    return [ANN["email"], ANN["phone"], ANN["openid"], ANN["chat"], ANN["conversation"], ANN["name"], *ANN_WORDS]


def numbers(case: dict) -> dict:
    """What reports read of a case: everything but the text, contact and change time."""
    erased_fields = {"subject", "first_line", "contact_address", "updated_at", "version", "conversation_id"}
    return {name: value for name, value in case.items() if name not in erased_fields}


def report(stack, supervisor: str) -> dict:
    status, body = request(stack, "GET", "/reports/sla", token=supervisor)
    assert status == 200
    return {name: value for name, value in body.items() if name != "top_subjects"}  # subjects are text: erased


def test_erasing_a_customer_leaves_no_trace_of_them_and_keeps_the_numbers(stack, world):
    ann, supervisor = world["ann"], world["supervisor"]
    boto3.client("s3").put_bucket_versioning(Bucket=stack.bucket, VersioningConfiguration={"Status": "Enabled"})
    s3 = boto3.client("s3")
    s3.put_object(Bucket=stack.bucket, Key="inbound/ses-ann-1", Body=ann_mail())  # a second version of the raw mail
    before = {c: numbers(request(stack, "GET", f"/cases/{c}")[1]["case"]) for c in world["cases"]}
    report_before = report(stack, supervisor)
    items = table_items(stack)
    assert all(holding(items, needle, "acme") for needle in ann_needles())  # the world really holds them

    refused = request(stack, "POST", f"/customers/{ann}/erasure", token=world["agent"])
    assert refused[0] == 403 and stored(table_items(stack)) == stored(items)

    status, record = request(stack, "POST", f"/customers/{ann}/erasure", token=supervisor, agent="ignored")
    assert status == 201, record
    assert record["erased_by"] == "wang.fang" and record["cases"] == len(world["cases"]) and record["completed_at"]
    assert record["identities"] >= 4 and record["mail_objects"] >= 2  # raw mail and attachment
    drain()  # the stream consumers (report counters, webhooks) see the erased cases

    items = table_items(stack)
    for needle in ann_needles():
        left = holding(items, needle, "acme")
        assert left == [], f"{needle} is still in {json.dumps(left, ensure_ascii=False)}"
    assert holding(items, BOB["email"], "acme") and holding(items, BOB["words"], "acme")
    assert holding(items, ANN["email"], "globex") and holding(items, ANN_WORDS[0], "globex")
    objects = object_versions(stack)
    for (key, _), body in objects.items():
        assert not any(n.encode() in body or n in key for n in ann_needles()) or "ses-ann-globex" in key, key
    assert any(BOB["words"].encode() in body for body in objects.values())

    for case_id, kept in before.items():
        case = request(stack, "GET", f"/cases/{case_id}")[1]
        assert numbers(case["case"]) == kept and case["case"]["subject"] == "(erased)"
        erasures = [e for e in case["events"] if e["kind"] == "customer_erased"] if "events" in case else None
        events = request(stack, "GET", f"/cases/{case_id}/events")[1]["events"]
        (erasure,) = [e for e in events if e["kind"] == "customer_erased"]
        assert erasure["actor"] == "wang.fang" and erasures in (None, [erasure])
    assert report(stack, supervisor) == report_before
    assert request(stack, "GET", f"/customers/{ann}")[1]["identities"] == []

    again = request(stack, "POST", f"/customers/{ann}/erasure", token=supervisor)
    assert again == (200, record) and stored(table_items(stack)) == stored(items)

    ((new,), _) = deliver(stack, utf8_mail(ANN["email"], "again", "再次联系", "ann-2@mail.example"), "ses-ann-2")
    assert customer_of(stack, new["case_id"]) != ann  # she is a new customer now, with nothing of the old one


def test_the_cli_erases_and_a_second_run_changes_nothing(stack, world, capsys):
    ann = world["ann"]
    assert main(["customer", "erase", "--tenant", "acme", ann, "--by", "dpo@acme.example"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["erased_by"] == "dpo@acme.example" and record["cases"] == len(world["cases"])
    items = table_items(stack)
    assert not any(holding(items, needle, "acme") for needle in ann_needles())

    assert main(["customer", "erase", "--tenant", "acme", ann]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == record and "already erased by dpo@acme.example" in out.err
    assert stored(table_items(stack)) == stored(items)


def test_another_tenant_cannot_erase_and_an_unknown_customer_is_a_404(stack, world):
    globex_supervisor, _ = add_agent_token("globex", "chen.jie", "supervisor")
    status, _ = request(stack, "POST", f"/customers/{world['ann']}/erasure", token=globex_supervisor)
    assert status == 404
    assert request(stack, "GET", f"/customers/{world['ann']}")[1]["identities"]  # untouched
    assert request(stack, "POST", "/customers/CU000000000000/erasure", token=world["supervisor"])[0] == 404
    assert main(["customer", "erase", "--tenant", "acme", "CU000000000000"]) == 2
