"""One customer across channels, as agents see them, and merging two."""

from __future__ import annotations

import json

from tests.integration.conftest import TOKEN
from tests.integration.test_chat_webhook import message
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.webhook_client import call, cases, chat_post, twilio_fields, twilio_post

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def customer_of(stack, case_id: str) -> str:
    return next(c["customer_id"] for c in cases(stack) if c["case_id"] == case_id)


def test_a_customer_lists_every_identity_that_leads_to_them(stack):
    created = chat_post(stack, message(1, email="ann@example.com", phone="+86 138 0013 8000")).json_body
    customer = customer_of(stack, created["case_id"])
    profile = call(stack.handler("api"), "GET", f"/customers/{customer}", headers=AUTH).json_body
    assert profile["identities"] == ["chat:visitor-9", "email:ann@example.com", "sms:+8613800138000"]


def test_merge_moves_identities_and_cases_and_keeps_history(stack):
    (by_mail,), _ = deliver(stack, mail(sender="ann@example.com"), "ses-ann")
    twilio_post(stack, twilio_fields("hi it's Ann", "SM" + "b" * 32))
    by_sms = next(c for c in cases(stack) if c["channel"] == "sms")
    target, source = customer_of(stack, by_mail["case_id"]), by_sms["customer_id"]
    assert target != source

    body = json.dumps({"source_customer_id": source}).encode()
    merged = call(stack.handler("api"), "POST", f"/customers/{target}/merge", headers=AUTH, body=body).json_body
    assert merged["identities"] == ["email:ann@example.com", "sms:+8613800138000"]
    assert {c["customer_id"] for c in cases(stack)} == {target}
    listed = call(stack.handler("api"), "GET", f"/cases?customer_id={target}", headers=AUTH).json_body["cases"]
    assert len(listed) == 2
    twilio_post(stack, twilio_fields("another text", "SM" + "c" * 32))
    assert {c["customer_id"] for c in cases(stack)} == {target}  # the number now leads to Ann
    old = call(stack.handler("api"), "GET", f"/customers/{source}", headers=AUTH).json_body
    assert old["merged_into"] == target and old["identities"] == []


def test_merge_requests_with_bad_input_get_a_reason(stack):
    (by_mail,), _ = deliver(stack, mail(), "ses-1")
    customer = customer_of(stack, by_mail["case_id"])
    path = f"/customers/{customer}/merge"
    assert call(stack.handler("api"), "POST", path, headers=AUTH, body=b"{}").status_code == 400
    unknown = json.dumps({"source_customer_id": "CUNOPE"}).encode()
    assert call(stack.handler("api"), "POST", path, headers=AUTH, body=unknown).status_code == 404
    itself = json.dumps({"source_customer_id": customer}).encode()
    assert call(stack.handler("api"), "POST", path, headers=AUTH, body=itself).status_code == 400
    other_tenant = {"Authorization": "Bearer globex-token", "Content-Type": "application/json"}
    assert call(stack.handler("api"), "GET", f"/customers/{customer}", headers=other_tenant).status_code == 404
