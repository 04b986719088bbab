"""SNS signatures against real AWS-signed vectors and the SDKs' rejection cases (tests/fixtures/sns, see INDEX.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omnicase.channels.sns_signature import (
    CertificateCache,
    SnsSignatureInvalid,
    check_certificate_url,
    string_to_sign,
    verify_sns_message,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sns"
RUBY_CERT = (FIXTURES / "aws-sdk-ruby_sns-signing-cert_2021.pem").read_bytes()
JAVA_CERT = (FIXTURES / "aws-sdk-java-v2_unit-test-public-cert_2015.pem").read_bytes()
AMI_CERT = (FIXTURES / "ami_test_signing_cert_selfsigned.pem").read_bytes()
RUBY_URL = "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem"
JAVA_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-bb750dd426d95ee9390147a5624348ee.pem"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def pinned(url: str, pem: bytes):
    """A fetcher that serves one certificate for one URL and fails the test for anything else (no network)."""

    def fetch(requested: str) -> bytes:
        assert requested == url
        return pem

    return fetch


def verify(message: dict, pem: bytes = RUBY_CERT) -> None:
    url = message.get("SigningCertURL", message.get("SigningCertUrl"))
    verify_sns_message(message, fetch_certificate=pinned(url, pem))


@pytest.mark.parametrize(
    ("name", "pem"),
    [
        ("aws-sdk-ruby_notification_sigv1_sha1.json", RUBY_CERT),
        ("aws-sdk-ruby_notification_sigv2_sha256.json", RUBY_CERT),
        ("aws-sdk-ruby_notification_lambda_style_keys_sigv1.json", RUBY_CERT),
        ("aws-sdk-java-v2_sample-message_sigv1.json", JAVA_CERT),
    ],
)
def test_real_aws_signed_notifications_verify(name, pem):
    # Given a real SNS notification and its (expired) certificate, When verified, Then nothing is raised.
    verify(load(name), pem)


def test_string_to_sign_includes_subject_only_when_present():
    java = load("aws-sdk-java-v2_sample-message_sigv1.json")
    assert string_to_sign(java).decode().startswith("Message\nboo\nMessageId\nd39649d4-")
    assert b"\nSubject\nthis is raw\nTimestamp\n2015-09-20T01:22:14.001Z\n" in string_to_sign(java)
    ruby = load("aws-sdk-ruby_notification_sigv1_sha1.json")
    assert b"Subject" not in string_to_sign(ruby) and string_to_sign(ruby).endswith(b"Type\nNotification\n")
    assert b"Subject" not in string_to_sign({**ruby, "Subject": None})  # Lambda records carry "Subject": null


@pytest.mark.parametrize(
    "name",
    [
        "ami_subscription_confirmation_valid.json",
        "ami_subscription_confirmation_recognized_topic.json",
        "ami_subscription_confirmation_unrecognized_topic.json",
    ],
)
def test_self_signed_confirmations_verify_only_with_the_injected_cert(name):
    message = load(name)
    assert "\n" in message["Signature"]  # base64 wrapped every 60 characters
    verify(message, AMI_CERT)
    # The same message against Amazon's certificate (what production would fetch) is rejected.
    with pytest.raises(SnsSignatureInvalid):
        verify(message, RUBY_CERT)


def test_self_signed_confirmation_rejected_when_its_host_is_not_trusted():
    message = load("ami_subscription_confirmation_valid.json")
    with pytest.raises(SnsSignatureInvalid, match="not an SNS host"):
        verify_sns_message(
            message, fetch_certificate=pinned("", AMI_CERT), trusted_hosts_pattern=r"^sns\.us-east-1\.amazonaws\.com$"
        )


def test_bad_signature_confirmation_rejected():
    with pytest.raises(SnsSignatureInvalid, match="does not match"):
        verify(load("ami_subscription_confirmation_bad_signature.json"), AMI_CERT)


@pytest.mark.parametrize(
    ("name", "pem"),
    [
        ("aws-sdk-ruby_notification_sigv1_sha1.json", RUBY_CERT),
        ("aws-sdk-ruby_notification_sigv2_sha256.json", RUBY_CERT),
        ("aws-sdk-java-v2_sample-message_sigv1.json", JAVA_CERT),
        ("ami_subscription_confirmation_valid.json", AMI_CERT),
    ],
)
@pytest.mark.parametrize("field", ["Message", "MessageId", "Timestamp", "TopicArn"])
def test_tampered_signed_field_rejected(name, pem, field):
    message = load(name)
    message[field] += "x"
    with pytest.raises(SnsSignatureInvalid, match="does not match"):
        verify(message, pem)


def test_tampered_subject_and_dropped_subject_rejected():
    for change in ({"Subject": "this is cooked"}, {"Subject": None}):
        with pytest.raises(SnsSignatureInvalid):
            verify({**load("aws-sdk-java-v2_sample-message_sigv1.json"), **change}, JAVA_CERT)


def test_unsigned_fields_may_change():
    message = load("aws-sdk-java-v2_sample-message_sigv1.json")
    message["MessageAttributes"] = {}
    message["UnsubscribeURL"] = "https://example.com/elsewhere"
    verify(message, JAVA_CERT)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"SignatureVersion": "3"}, "SignatureVersion"),
        ({"SignatureVersion": 1}, "SignatureVersion"),
        ({"SignatureVersion": None}, "SignatureVersion"),
        ({"Signature": "bad"}, "not base64"),
        ({"Signature": ""}, "missing"),
        ({"Signature": "Zm9v"}, "does not match"),
        ({"Type": "Nope"}, "Type"),
        ({"Type": ["Notification"]}, "Type"),
        ({"Message": 42}, "Message is not a string"),
        ({"TopicArn": None}, "TopicArn is missing"),
        ({"SigningCertURL": RUBY_URL.replace("https://", "http://")}, "https"),
        ({"SigningCertURL": "https://sns.us-east-2.amazonaws.com.evil.example/cert.pem"}, "SNS host"),
        ({"SigningCertURL": "https://evil.example/SimpleNotificationService.pem"}, "SNS host"),
        ({"SigningCertURL": "https://s3.amazonaws.com/sns.us-east-2.amazonaws.com/cert.pem"}, "SNS host"),
        ({"SigningCertURL": RUBY_URL.removesuffix(".pem") + ".txt"}, ".pem"),
        ({"SigningCertURL": RUBY_URL + "?x=1"}, ".pem"),
        ({"SigningCertURL": RUBY_URL.replace("amazonaws.com/", "amazonaws.com:8443/")}, ".pem"),
        ({"SigningCertURL": RUBY_URL.replace("https://", "https://evil.example@")}, ".pem"),
        (
            {"SigningCertURL": RUBY_URL.replace("https://", "https://sns.us-east-2.amazonaws.com\\@evil.example/")},
            "pem",
        ),
        ({"SigningCertURL": None}, ".pem"),
    ],
)
def test_rejections(change, match):
    message = {**load("aws-sdk-ruby_notification_sigv1_sha1.json"), **change}

    def no_fetch(url: str) -> bytes:
        raise AssertionError(f"must not fetch {url}")

    # Only a well-formed message with a good certificate URL costs a fetch: a forgery of any other shape costs none.
    fetch = pinned(RUBY_URL, RUBY_CERT) if match == "does not match" else no_fetch
    with pytest.raises(SnsSignatureInvalid, match=match):
        verify_sns_message(message, fetch_certificate=fetch)


def test_trusted_hosts_include_china_regions():
    check_certificate_url("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-x.pem")
    check_certificate_url("https://SNS.US-EAST-2.AMAZONAWS.COM/SimpleNotificationService-x.pem")


@pytest.mark.parametrize(
    "pem",
    [
        b"some text\n" + RUBY_CERT,
        RUBY_CERT + b"\ntrailing text",
        RUBY_CERT + JAVA_CERT,
        b"",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
        RUBY_CERT.replace(b"-----BEGIN CERTIFICATE-----", b"-----BEGIN PUBLIC KEY-----"),
    ],
)
def test_certificate_must_be_one_bare_pem(pem):
    with pytest.raises(SnsSignatureInvalid, match="certificate"):
        verify(load("aws-sdk-ruby_notification_sigv1_sha1.json"), pem)


def test_certificate_fetch_errors_propagate():
    def offline(url: str) -> bytes:
        raise OSError("network down")

    with pytest.raises(OSError, match="network down"):
        verify_sns_message(load("aws-sdk-ruby_notification_sigv1_sha1.json"), fetch_certificate=offline)


def test_certificate_cache_fetches_once_and_bounds_entries():
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return RUBY_CERT

    cache = CertificateCache(fetch, max_entries=2)
    verify_sns_message(load("aws-sdk-ruby_notification_sigv1_sha1.json"), fetch_certificate=cache)
    verify_sns_message(load("aws-sdk-ruby_notification_sigv2_sha256.json"), fetch_certificate=cache)
    assert fetched == [RUBY_URL]
    cache("https://sns.eu-west-1.amazonaws.com/a.pem")
    cache("https://sns.eu-west-1.amazonaws.com/b.pem")
    cache(RUBY_URL)
    assert fetched == [
        RUBY_URL,
        "https://sns.eu-west-1.amazonaws.com/a.pem",
        "https://sns.eu-west-1.amazonaws.com/b.pem",
        RUBY_URL,
    ]


def test_rejection_carries_a_signature_reason():
    with pytest.raises(SnsSignatureInvalid) as raised:
        verify({**load("aws-sdk-ruby_notification_sigv1_sha1.json"), "Message": "Hello world!"})
    assert raised.value.reason == "bad-signature"
