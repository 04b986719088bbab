"""The URL Twilio signed, rebuilt from the headers API Gateway passes on."""

from __future__ import annotations

import pytest

from omnicase.channels.sms.errors import SmsRejected
from omnicase.channels.sms.public_url import public_url

EXECUTE_API = "abc123defg.execute-api.eu-west-1.amazonaws.com"


@pytest.mark.parametrize(
    ("headers", "stage", "expected"),
    [
        (
            {"Host": EXECUTE_API, "X-Forwarded-Proto": "https", "X-Forwarded-Port": "443"},
            "Prod",
            f"https://{EXECUTE_API}/Prod/webhooks/sms/twilio?t=a%20b",
        ),
        (
            {"host": "hooks.acme.example", "x-forwarded-proto": "https"},
            "Prod",
            "https://hooks.acme.example/webhooks/sms/twilio?t=a%20b",
        ),
        ({"HOST": "hooks.acme.example"}, None, "https://hooks.acme.example/webhooks/sms/twilio?t=a%20b"),
        (
            {"Host": "127.0.0.1", "X-Forwarded-Proto": "http", "X-Forwarded-Port": "3000"},
            None,
            "http://127.0.0.1:3000/webhooks/sms/twilio?t=a%20b",
        ),
        (
            {"Host": "127.0.0.1", "X-Forwarded-Proto": "http", "X-Forwarded-Port": "80"},
            None,
            "http://127.0.0.1/webhooks/sms/twilio?t=a%20b",
        ),
        (
            {"Host": "localhost:3000", "X-Forwarded-Proto": "http", "X-Forwarded-Port": "3000"},
            None,
            "http://localhost:3000/webhooks/sms/twilio?t=a%20b",
        ),
        (
            {"Host": EXECUTE_API, "X-Forwarded-Proto": "https, http"},
            "$default",
            f"https://{EXECUTE_API}/webhooks/sms/twilio?t=a%20b",
        ),
    ],
)
def test_rebuilt_from_headers(headers, stage, expected):
    assert public_url(headers, "/webhooks/sms/twilio", "t=a%20b", stage=stage) == expected


def test_configured_base_url_wins():
    headers = {"Host": EXECUTE_API, "X-Forwarded-Proto": "https"}
    assert (
        public_url(headers, "/webhooks/sms/twilio", "", stage="Prod", base_url="https://hooks.acme.example/")
        == "https://hooks.acme.example/webhooks/sms/twilio"
    )
    assert (
        public_url(headers, "webhooks/sms/twilio", "a=1", stage="Prod", base_url="https://acme.example/api")
        == "https://acme.example/api/webhooks/sms/twilio?a=1"
    )


def test_query_is_kept_byte_for_byte():
    query = "b=2&a=1&c=%2B14158675309&d=%E4%BD%A0"
    url = public_url({"Host": "hooks.acme.example"}, "/t", query, stage=None)
    assert url == "https://hooks.acme.example/t?" + query


def test_missing_host_is_malformed():
    with pytest.raises(SmsRejected) as raised:
        public_url({"X-Forwarded-Proto": "https"}, "/t", "", stage=None)
    assert raised.value.reason == "malformed" and "Host" in str(raised.value)
