"""Security properties, one test each: tenant isolation, webhook forgery, webhook replay, survey-token tampering,
and PII kept out of the logs."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta

from omnicase.admin import seed_tenant
from omnicase.channels.sms.twilio_signature import twilio_signature
from omnicase.channels.wechat.message_crypto import WechatCrypto
from omnicase.channels.wechat.verify_signature import wechat_signature
from omnicase.domain.survey import SurveyStatus
from omnicase.domain.survey_token import issue_token
from omnicase_local.streams import drain
from tests.integration.conftest import SECRETS, TOKEN
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver, mail, sent_mail
from tests.integration.test_sms_webhooks import _signed_sns, sns_post, sns_urls  # noqa: F401 - fixture
from tests.integration.test_survey_answers import SECRET, get_page, page, post_page, sent_survey, stored_survey  # noqa: F401
from tests.integration.test_wechat_webhook import push
from tests.integration.webhook_client import (
    HOST,
    call,
    cases,
    chat_headers,
    chat_post,
    twilio_fields,
    twilio_post,
    wechat_query,
    wechat_safe,
    wechat_text,
)

GLOBEX = "globex-token"


def inbound_texts(stack, token: str = TOKEN) -> list[str]:
    listed = request(stack, "GET", "/cases?limit=100", token=token)[1]["cases"]
    found = [request(stack, "GET", f"/cases/{c['case_id']}", token=token)[1]["messages"] for c in listed]
    return sorted(m["body_text"] for messages in found for m in messages if m["direction"] == "inbound")


def test_tenant_isolation_no_token_reaches_another_tenants_cases_customers_queues_or_reports(stack):
    (acme,), _ = deliver(stack, mail("Refund for order 42", message_id="a1@x"), "ses-a1")
    (acme_2,), _ = deliver(stack, mail("Second", message_id="a2@x"), "ses-a2")
    (globex,), _ = deliver(
        stack, mail("Globex", sender="gus@example.com"), "ses-g1", recipients=("help@globex.example",)
    )
    drain()  # acknowledgements settle first: their delivery status is not what this test watches
    acme_case = request(stack, "GET", f"/cases/{acme['case_id']}")[1]
    customer, queue = acme_case["case"]["customer_id"], acme_case["case"]["queue"]
    globex_customer = request(stack, "GET", f"/cases/{globex['case_id']}", token=GLOBEX)[1]["case"]["customer_id"]
    events_before = request(stack, "GET", f"/cases/{acme['case_id']}/events")[1]
    acks = len(sent_mail())

    target = acme["case_id"]
    refused = [
        ("GET", f"/cases/{target}", None),
        ("GET", f"/cases/{target}/events", None),
        ("PATCH", f"/cases/{target}", {"status": "solved", "problem_key": "BUG-1"}),
        ("POST", f"/cases/{target}/replies", {"body": "leaked reply"}),
        ("POST", f"/cases/{target}/notes", {"body": "leaked note"}),
        ("POST", f"/cases/{target}/claim", None),
        ("POST", f"/cases/{target}/links", {"case_id": acme_2["case_id"], "kind": "merge"}),
        ("POST", f"/cases/{globex['case_id']}/links", {"case_id": target, "kind": "merge"}),  # pull it over
        ("GET", f"/customers/{customer}", None),
        ("PATCH", f"/customers/{customer}", {"display_name": "taken over"}),
        ("POST", f"/customers/{globex_customer}/merge", {"source_customer_id": customer}),
        ("POST", f"/customers/{customer}/merge", {"source_customer_id": globex_customer}),
    ]
    for method, path, body in refused:
        assert request(stack, method, path, body, token=GLOBEX)[0] == 404, (method, path)
    assert target not in {c["case_id"] for c in request(stack, "GET", f"/queues/{queue}", token=GLOBEX)[1]["cases"]}
    assert [c["case_id"] for c in request(stack, "GET", "/cases", token=GLOBEX)[1]["cases"]] == [globex["case_id"]]
    assert request(stack, "GET", "/reports/sla", token=GLOBEX)[1]["cases"] == 1  # its own case, not acme's two
    assert request(stack, "POST", "/problems/BUG-1/fixed", {"note": "fixed"}, token=GLOBEX)[0] == 404

    after = request(stack, "GET", f"/cases/{target}")[1]
    assert request(stack, "GET", f"/cases/{target}/events")[1] == events_before
    assert (after["case"], after["messages"]) == (acme_case["case"], acme_case["messages"])
    assert request(stack, "GET", f"/customers/{customer}")[1]["identities"] == ["email:ann@example.com"]
    assert request(stack, "GET", f"/cases/{acme_2['case_id']}")[1]["case"]["status"] != "closed"
    assert len(sent_mail()) == acks


def test_tenant_isolation_a_webhook_lands_only_with_the_tenant_whose_endpoint_it_addresses(stack):
    endpoints = ["sms:+15005550009", "wechat:gh_globex000001", "chat:globex-web"]
    seed_tenant("globex", "Globex Help", ["help@globex.example"], GLOBEX, "help@globex.example", endpoints=endpoints)
    same_chat = {"conversation_id": "conv-1", "message_id": "m-1", "user_id": "visitor-1"}  # same ids at both
    chat_post(stack, {**same_chat, "text": "acme chat"})
    chat_post(stack, {**same_chat, "text": "globex chat"}, widget="globex-web")
    twilio_post(stack, twilio_fields("acme sms", "SM" + "1" * 32))
    twilio_post(stack, twilio_fields("globex sms", "SM" + "2" * 32, To="+15005550009"))
    push(stack, *wechat_safe(wechat_text("acme wechat", "1001")))
    globex_push = wechat_text("globex wechat", "1001").replace(b"gh_acme0000001", b"gh_globex000001")
    push(stack, *wechat_safe(globex_push, {"account": "gh_globex000001"}))

    assert inbound_texts(stack) == ["acme chat", "acme sms", "acme wechat"]
    assert inbound_texts(stack, GLOBEX) == ["globex chat", "globex sms", "globex wechat"]


def test_forged_signatures_are_refused_at_every_webhook_and_store_nothing(stack, sns_urls):  # noqa: F811
    # Twilio: another account's token, a signature for another URL, a valid signature over a changed body.
    fields = twilio_fields("hi", "SM" + "3" * 32)
    other_url = twilio_signature(SECRETS["TWILIO_AUTH_TOKEN"], "https://attacker.example/webhooks/sms/twilio", {})
    for signature in (twilio_signature("not-the-token", f"https://{HOST}/webhooks/sms/twilio", {}), other_url, ""):
        assert twilio_post(stack, fields, signature=signature or None).status_code == 403
    signed_for = {k: [v] for k, v in twilio_fields("original", "SM" + "3" * 32).items()}
    valid_then_changed = twilio_signature(
        SECRETS["TWILIO_AUTH_TOKEN"], f"https://{HOST}/webhooks/sms/twilio", signed_for
    )
    assert (
        twilio_post(stack, twilio_fields("changed", "SM" + "3" * 32), signature=valid_then_changed).status_code == 403
    )

    # Chat: another secret, a changed body under a valid signature, no signature at all.
    body = json.dumps({"conversation_id": "c", "message_id": "m", "user_id": "u", "text": "hi"}).encode()
    changed = body.replace(b'"hi"', b'"forged"')
    forged_chats = [
        (chat_headers(body, secret="not-the-secret"), body),
        (chat_headers(body), changed),
        ({"Content-Type": "application/json", "X-Omnicase-Widget": "web"}, body),
    ]
    for headers, sent in forged_chats:
        response = call(stack.handler("chat_webhook"), "POST", "/webhooks/chat", headers=headers, body=sent)
        assert response.status_code == 401 and response.json_body["Code"] in ("bad-signature", "missing-signature")

    # WeChat: another token; in safe mode, a msg_signature that does not cover the ciphertext.
    assert push(stack, wechat_text("x", "2001"), wechat_query(token="forged")).status_code == 403
    crypto = WechatCrypto(SECRETS["WECHAT_TOKEN"], SECRETS["WECHAT_ENCODING_AES_KEY"], SECRETS["WECHAT_APP_ID"])
    encrypted = crypto.encrypt(wechat_text("x", "2002"))
    query = wechat_query({"encrypt_type": "aes"})
    query["msg_signature"] = wechat_signature(SECRETS["WECHAT_TOKEN"], query["timestamp"], query["nonce"], "other")
    assert push(stack, f"<xml><Encrypt>{encrypted}</Encrypt></xml>".encode(), query).status_code == 403

    # SNS: a signed notification with its message changed.
    two_way = {"originationNumber": "+14255550182", "destinationNumber": "+15005550006", "inboundMessageId": "i-1"}
    message, pem = _signed_sns("Notification", Message=json.dumps({**two_way, "messageBody": "real"}))
    sns_urls[message["SigningCertURL"]] = pem
    assert sns_post(stack, {**message, "Message": json.dumps({**two_way, "messageBody": "forged"})}).status_code == 403

    assert cases(stack) == []


def test_replays_are_refused_after_the_window_and_stored_once_inside_it(stack, sns_urls):  # noqa: F811
    old = int(time.time()) - 301
    # Chat: a captured request whose timestamp has left the window is refused; inside it, the same signed request
    # is taken once (401 `replayed`); the widget's redelivery, signed anew, is a duplicate.
    document = {"conversation_id": "c", "message_id": "m", "user_id": "u", "text": "chat once"}
    assert chat_post(stack, document, timestamp=old).status_code == 401
    now = int(time.time())
    replays = [chat_post(stack, document, timestamp=now) for _ in range(3)]
    assert [(r.status_code, r.json_body.get("Code")) for r in replays] == [(201, None), *[(401, "replayed")] * 2]
    assert chat_post(stack, document, timestamp=now - 1).json_body["duplicate"]

    # WeChat: a valid signature over an old timestamp is refused; inside the window a retry is stored once.
    stale = dict(wechat_query(), timestamp=str(old))
    stale["signature"] = wechat_signature(SECRETS["WECHAT_TOKEN"], stale["timestamp"], stale["nonce"])
    refused = push(stack, wechat_text("replayed", "3001"), stale)
    assert refused.status_code == 403 and refused.json_body["Code"] == "bad-signature"
    body, query = wechat_safe(wechat_text("wechat once", "3002"))
    assert [push(stack, body, query).status_code for _ in range(3)] == [200] * 3

    # Twilio signs no timestamp: a replay of a captured request is the same MessageSid, stored once.
    assert {twilio_post(stack, twilio_fields("sms once", "SM" + "4" * 32)).status_code for _ in range(3)} == {200}

    # SNS: the same signed notification again is a duplicate.
    two_way = {"originationNumber": "+14255550182", "destinationNumber": "+15005550006", "inboundMessageId": "i-2"}
    message, pem = _signed_sns("Notification", Message=json.dumps({**two_way, "messageBody": "sns once"}))
    sns_urls[message["SigningCertURL"]] = pem
    assert [sns_post(stack, message).json_body["result"] for _ in range(2)] == ["stored", "duplicate"]

    assert inbound_texts(stack) == ["chat once", "sms once", "sns once", "wechat once"]


def test_survey_token_tampering_expiry_and_reuse_are_refused_and_record_nothing(stack, page):  # noqa: F811
    twilio_post(stack, twilio_fields("first", "SM" + "5" * 32))
    twilio_post(stack, twilio_fields("second", "SM" + "6" * 32, From="+8613900000000"))
    first, second = sorted(c["case_id"] for c in cases(stack))
    token = sent_survey(first, nonce="nonce-a")
    sent_survey(second, nonce="nonce-b", pending=False)

    flipped = [token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :] for i in range(len(token))]
    swapped = token.replace(first, second, 1)  # another case of the same tenant, its survey also open
    for forged in [*flipped, swapped, token + "A", token[:-1]]:
        response = post_page(page, forged, score="1")
        assert response.status_code == 400, forged
    assert stored_survey(first).status == stored_survey(second).status == SurveyStatus.SENT

    expired = issue_token("acme", second, "nonce-b", datetime.now(UTC) - timedelta(seconds=1), SECRET.encode())
    assert post_page(page, expired, score="1").status_code == 410

    assert post_page(page, token, score="5").status_code == 200
    assert [post_page(page, token, score="1").status_code, get_page(page, token).status_code] == [409, 409]
    assert stored_survey(first).score == 5 and stored_survey(second).status == SurveyStatus.SENT
    assert len(cases(stack)) == 2  # no callback case from any refused low score


def test_pii_is_masked_in_every_log_line_and_record(stack, capsys, caplog):
    from omnicase.observability import install_pii_masking

    # As a Chalice-only function runs: no handler logger configured, omnicase records reach the root handler.
    package = logging.getLogger("omnicase")
    saved = (package.handlers, package.propagate)
    package.handlers, package.propagate = [], True
    install_pii_masking()
    try:
        with caplog.at_level(logging.INFO):
            deliver(stack, mail(sender="jane.doe@example.com"), "ses-jane")
            deliver(stack, mail(sender="jane.doe@example.com"), "ses-lost", recipients=("nobody@unknown.example",))
            twilio_post(stack, twilio_fields("hi", "SM" + "7" * 32))
            twilio_post(stack, twilio_fields("hi", "SM" + "8" * 32, To="+8613912345678"))  # nobody's number
            chat_post(stack, {"conversation_id": "c", "message_id": "m", "user_id": "u",
                              "text": "mail jane.doe@example.com or call +8613800138000"})  # fmt: skip
            logging.getLogger("omnicase.test").exception(
                "failed for %s", "jane.doe@example.com", exc_info=ValueError("no tenant for +8613800138000")
            )
            drain()
    finally:
        package.handlers, package.propagate = saved
    logged = capsys.readouterr().out + capsys.readouterr().err + caplog.text
    logged += "\n".join(f"{r.getMessage()} {r.exc_text}" for r in caplog.records)
    for secret in ("jane.doe@example.com", "nobody@unknown.example", "8613800138000", "8613912345678"):
        assert secret not in logged
    for hint in ("j***@example.com", "n***@unknown.example", "+***78"):
        assert hint in logged  # masked, not absent: the test fails if masking is removed
