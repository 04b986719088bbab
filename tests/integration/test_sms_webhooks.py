"""SMS in through Twilio's webhook and AWS End User Messaging; acknowledgements out as SMS; consent kept."""

from __future__ import annotations

import json

import pytest

from omnicase_local.streams import drain
from tests.integration.conftest import ROOT
from tests.integration.test_ingest_email import FakeContext
from tests.integration.webhook_client import case, cases, twilio_fields, twilio_post


def sent_sms() -> list[tuple[str, str]]:
    from moto.sns.models import sns_backends

    drain()
    return list(sns_backends["123456789012"]["us-east-1"].sms_messages.values())


def test_signed_twilio_sms_becomes_a_case_answered_with_empty_twiml_and_acknowledged(stack):
    response = twilio_post(stack, twilio_fields("你好，我的订单100-2231还没到", "SM" + "1" * 32))
    assert response.status_code == 200 and b"<Response></Response>" in response.body
    (only,) = cases(stack)
    assert only["channel"] == "sms" and only["contact_address"] == "+8613800138000"
    assert case(stack, only["case_id"])["messages"][0]["body_text"] == "你好，我的订单100-2231还没到"
    ((phone, text),) = sent_sms()
    assert phone == "+8613800138000" and only["case_id"] in text


@pytest.mark.parametrize(("signature", "status"), [(None, 403), ("bm90IHRoZSBzaWduYXR1cmU=", 403)])
def test_missing_or_wrong_signature_is_refused_and_nothing_is_stored(stack, signature, status):
    response = twilio_post(stack, twilio_fields("hi", "SM" + "2" * 32), signature=signature)
    assert response.status_code == status and response.json_body["Code"] in ("missing-signature", "bad-signature")
    assert cases(stack) == [] and sent_sms() == []


def test_redelivery_and_a_second_text_from_the_number_land_on_one_case_once(stack):
    for _ in range(3):
        twilio_post(stack, twilio_fields("first", "SM" + "3" * 32))
    twilio_post(stack, twilio_fields("second", "SM" + "4" * 32))
    (only,) = cases(stack)
    bodies = [m["body_text"] for m in case(stack, only["case_id"])["messages"] if m["direction"] == "inbound"]
    assert bodies == ["first", "second"]


def test_mms_media_is_recorded_on_the_message(stack):
    media = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1"
    twilio_post(
        stack, twilio_fields("", "SM" + "5" * 32, NumMedia="1", MediaUrl0=media, MediaContentType0="image/jpeg")
    )
    (message,) = [m for m in case(stack, cases(stack)[0]["case_id"])["messages"] if m["direction"] == "inbound"]
    (attachment,) = message["attachments"]
    assert attachment == {
        "attachment_id": f"{message['message_id']}-0",
        "filename": "media-0",
        "content_type": "image/jpeg",
        "size": 0,
        "url": media,
        "virus_verdict": None,
        "stored": False,  # until fetch_media has the bytes (tests/integration/test_media_fetch.py)
    }


def test_stop_opts_the_number_out_and_start_opts_it_back_in(stack):
    twilio_post(stack, twilio_fields("help please", "SM" + "6" * 32))
    assert len(sent_sms()) == 1  # acknowledged before the STOP arrives
    twilio_post(stack, twilio_fields("STOP", "SM" + "7" * 32))
    twilio_post(stack, twilio_fields("退订", "SM" + "8" * 32, From="+8613900000000"))
    assert [phone for phone, _ in sent_sms()] == ["+8613800138000"]  # the STOP/退订 senders got nothing

    from omnicase.persistence.consent_store import DynamoConsent

    assert DynamoConsent().opted_out("acme", "sms", "+8613800138000")
    twilio_post(stack, twilio_fields("START", "SM" + "9" * 32))
    assert not DynamoConsent().opted_out("acme", "sms", "+8613800138000")


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        (twilio_fields("hi", "SM" + "a" * 32, To="+19999999999"), 404),
        ({"From": "+8613800138000", "To": "+15005550006", "Body": "no sid"}, 400),
    ],
)
def test_unknown_number_and_malformed_forms_get_a_reason(stack, fields, status):
    response = twilio_post(stack, fields)
    assert response.status_code == status and response.json_body["Message"]
    assert cases(stack) == []


def test_end_user_messaging_two_way_sms_arrives_through_sns_once(stack):
    event = json.loads((ROOT / "events" / "ingest_sms" / "sns_two_way_sms.json").read_text())
    first = stack.handler("ingest_sms")(event, FakeContext())["results"][0]
    again = stack.handler("ingest_sms")(event, FakeContext())["results"][0]
    assert again["duplicate"] and again["case_id"] == first["case_id"]
    message = case(stack, first["case_id"])["messages"][0]
    assert message["body_text"] == "My package arrived damaged, what now?" and message["sender"] == "+14255550182"


def _signed_sns(message_type: str, **fields: str) -> tuple[dict[str, str], bytes]:
    """An SNS message signed (SignatureVersion 2) with a throwaway key, and its certificate."""
    import base64
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.x509.oid import NameOID

    from omnicase.channels.sns_signature import string_to_sign

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    message = {
        "Type": message_type,
        "MessageId": "5a6b7c8d-0000-4000-8000-000000000001",
        "TopicArn": "arn:aws:sns:us-east-1:210987654321:two-way-sms",
        "Timestamp": "2026-11-02T09:30:00.000Z",
        "SignatureVersion": "2",
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
        **fields,
    }
    signature = key.sign(string_to_sign(message), padding.PKCS1v15(), hashes.SHA256())
    message["Signature"] = base64.b64encode(signature).decode()
    return message, cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def sns_urls(monkeypatch):
    """The certificate and confirmation URLs an SNS endpoint fetches, answered without a network."""
    from omnicase.wiring import rebind

    fetched: dict[str, bytes] = {}
    monkeypatch.setattr("omnicase.channels.sms.sns_endpoint.https_get", lambda url: fetched.setdefault(url, b"ok"))
    rebind()
    return fetched


def sns_post(stack, message: dict) -> object:
    from tests.integration.webhook_client import call

    body = json.dumps(message).encode()
    return call(
        stack.handler("sms_webhook"), "POST", "/webhooks/sms/sns", headers={"Content-Type": "text/plain"}, body=body
    )


def test_sns_https_delivery_is_verified_then_stored(stack, sns_urls):
    two_way = {
        "originationNumber": "+14255550182",
        "destinationNumber": "+15005550006",
        "messageBody": "Is my order shipped?",
        "inboundMessageId": "b7a1c3e5-0000-4000-8000-00000000000a",
    }
    message, pem = _signed_sns("Notification", Message=json.dumps(two_way))
    sns_urls[message["SigningCertURL"]] = pem
    assert sns_post(stack, message).json_body == {"result": "stored"}
    assert sns_post(stack, message).json_body == {"result": "duplicate"}
    tampered = {**message, "Message": json.dumps({**two_way, "messageBody": "forged"})}
    assert sns_post(stack, tampered).status_code == 403
    (only,) = cases(stack)
    assert case(stack, only["case_id"])["messages"][0]["body_text"] == "Is my order shipped?"


def test_subscription_is_confirmed_only_after_the_signature_checks(stack, sns_urls):
    subscribe = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=t"
    message, pem = _signed_sns("SubscriptionConfirmation", Message="confirm", SubscribeURL=subscribe, Token="t")
    sns_urls[message["SigningCertURL"]] = pem
    forged = {**message, "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=evil"}
    assert sns_post(stack, forged).status_code == 403 and forged["SubscribeURL"] not in sns_urls
    assert sns_post(stack, message).json_body == {"result": "subscription-confirmed"}
    assert subscribe in sns_urls


def _two_way_notification() -> tuple[dict[str, str], bytes]:
    two_way = {
        "originationNumber": "+14255550182",
        "destinationNumber": "+15005550006",
        "messageBody": "Where is my parcel?",
        "inboundMessageId": "b7a1c3e5-0000-4000-8000-00000000000b",
    }
    return _signed_sns("Notification", Message=json.dumps(two_way))


@pytest.fixture
def certificate_host(monkeypatch):
    """The SNS certificate host as the test sets it: `answers` maps a URL to bytes or an exception; calls counted."""
    from omnicase.wiring import rebind

    answers: dict[str, object] = {}
    calls: list[str] = []

    def get(url: str) -> bytes:
        calls.append(url)
        answer = answers.get(url, OSError("network unreachable"))
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]

    monkeypatch.setattr("omnicase.channels.sms.sns_endpoint.https_get", get)
    rebind()
    return answers, calls


def test_an_unreachable_certificate_answers_503_with_retry_after_and_no_trace(stack, certificate_host, caplog):
    import urllib.error

    answers, calls = certificate_host
    message, pem = _two_way_notification()
    url = message["SigningCertURL"]
    for failure in (urllib.error.URLError("timed out"), TimeoutError("read timed out"), OSError("unreachable")):
        answers[url] = failure
        response = sns_post(stack, message)
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert response.json_body["Code"] == "ServiceUnavailable" and "Traceback" not in response.body.decode()
    assert "Traceback" not in caplog.text and cases(stack) == []

    # SNS redelivers once the host answers again; the certificate is fetched once and then cached.
    answers[url] = pem
    assert sns_post(stack, message).json_body == {"result": "stored"}
    assert sns_post(stack, message).json_body == {"result": "duplicate"}
    assert calls.count(url) == 4


def test_a_certificate_sns_does_not_serve_is_a_forgery(stack, certificate_host):
    import urllib.error

    answers, _ = certificate_host
    message, _ = _two_way_notification()
    answers[message["SigningCertURL"]] = urllib.error.HTTPError(message["SigningCertURL"], 404, "Not Found", {}, None)
    response = sns_post(stack, message)
    assert response.status_code == 403 and response.json_body["Code"] == "bad-signature"
    assert cases(stack) == []


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"SigningCertURL": "https://sns.us-east-1.amazonaws.com.evil.example/x.pem"}, 403),
        ({"SigningCertURL": "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"}, 403),
        ({"SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem?x"}, 403),
        ({"Signature": "not base64!"}, 403),
        ({"Message": None}, 403),
        ({"Type": "Nope"}, 403),
        ({"Timestamp": "yesterday"}, 400),
    ],
)
def test_a_malformed_message_is_refused_before_any_certificate_is_fetched(stack, certificate_host, change, status):
    _, calls = certificate_host
    message, _ = _two_way_notification()
    response = sns_post(stack, {**message, **change})
    assert response.status_code == status and calls == []
