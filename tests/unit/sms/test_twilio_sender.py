"""Outbound SMS by the number's provider: Twilio's Messages API request, its refusals, and AWS numbers left alone."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from omnicase.channels.sms.provider_sender import SmsSenderByProvider
from omnicase.channels.sms.sms_endpoints import endpoint_parts, sms_provider
from omnicase.channels.sms.twilio_api import TwilioMessages, TwilioRefusal, TwilioUnreachable
from omnicase.channels.sms.twilio_sender import TwilioSmsSender
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Channel, DeliveryStatus, Direction, Message, Tenant

ACCOUNT = "AC" + "1" * 32
TENANT = Tenant("acme", "Acme", (), "support@acme.example", endpoints=("sms:+15005550006", "sms:twilio:+15017122661"))


class Secrets:
    def __init__(self, **values: str) -> None:
        self.values = {"twilio_account_sid": ACCOUNT, "twilio_auth_token": "tok", **values}

    def get(self, tenant_id: str, name: str) -> str:
        from omnicase.secrets import MissingSecret

        if name not in self.values:
            raise MissingSecret(name)
        return self.values[name]


class Consent:
    def __init__(self, *opted_out: str) -> None:
        self.opted_out_numbers = set(opted_out)

    def opted_out(self, tenant_id: str, channel: str, address: str) -> bool:
        return address in self.opted_out_numbers

    def record_opt_out(self, tenant_id: str, channel: str, address: str, case_id: str) -> bool:
        self.opted_out_numbers.add(address)
        return True


class Transport:
    """Answers like Twilio; records what was sent."""

    def __init__(self, status: int = 201, document: dict | None = None, error: Exception | None = None) -> None:
        self.status, self.document, self.error = status, document or {"sid": "SM" + "a" * 32, "status": "queued"}, error
        self.calls: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        self.calls.append((url, parse_qs(body.decode()), headers))
        if self.error:
            raise self.error
        return self.status, json.dumps(self.document).encode()


def reply(sender: str = "+15017122661", to: str = "+8613800138000") -> Message:
    return Message(
        tenant_id="acme",
        case_id="K3M9QX2A7B",
        message_id="1M82Y1BJY79W9EF",
        direction=Direction.OUTBOUND,
        channel=Channel.SMS,
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        body_text="您的订单已发出",
        sender=sender,
        recipients=(to,),
        delivery_status=DeliveryStatus.QUEUED,
    )


def twilio(transport: Transport, consent: Consent | None = None, secrets: Secrets | None = None) -> TwilioSmsSender:
    messages = TwilioMessages("https://api.twilio.test", transport)
    return TwilioSmsSender(consent or Consent(), secrets or Secrets(), messages, "https://hooks.acme.example")  # type: ignore[arg-type]


def test_a_message_is_created_as_twilio_documents_it():
    transport = Transport()

    provider_id = twilio(transport).send(reply(), TENANT)

    ((url, form, headers),) = transport.calls
    assert provider_id == "twilio:SM" + "a" * 32
    assert url == f"https://api.twilio.test/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert headers["Authorization"] == "Basic " + base64.b64encode(f"{ACCOUNT}:tok".encode()).decode()
    assert headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert (form["To"], form["From"], form["Body"]) == (["+8613800138000"], ["+15017122661"], ["您的订单已发出"])
    callback = urlsplit(form["StatusCallback"][0])
    assert (callback.netloc, callback.path) == ("hooks.acme.example", "/webhooks/sms/twilio/status")
    assert parse_qs(callback.query) == {"tenant": ["acme"], "case": ["K3M9QX2A7B"], "message": ["1M82Y1BJY79W9EF"]}


def test_an_api_key_signs_in_instead_of_the_auth_token_when_the_tenant_has_one():
    transport = Transport()

    twilio(transport, secrets=Secrets(twilio_api_key_sid="SK" + "2" * 32, twilio_api_key_secret="sec")).send(
        reply(), TENANT
    )

    assert transport.calls[0][2]["Authorization"] == "Basic " + base64.b64encode(f"SK{'2' * 32}:sec".encode()).decode()


@pytest.mark.parametrize(("code", "shown"), [(21211, "21211"), (21610, "unsubscribed"), (21614, "21614")])
def test_a_400_from_twilio_is_a_permanent_failure_with_its_code(code, shown):
    refusal = {"code": code, "message": "refused", "more_info": f"https://www.twilio.com/docs/errors/{code}"}

    with pytest.raises(PermanentDeliveryFailure, match=shown):
        twilio(Transport(400, {**refusal, "status": 400})).send(reply(), TENANT)


@pytest.mark.parametrize(("status", "code"), [(401, 20003), (404, 20404), (429, 20429), (500, None), (503, None)])
def test_credentials_throttling_and_outages_are_retried(status, code):
    with pytest.raises(TwilioRefusal) as refused:
        twilio(Transport(status, {"code": code, "message": "no", "status": status})).send(reply(), TENANT)
    assert not isinstance(refused.value, PermanentDeliveryFailure) and refused.value.status == status


def test_no_answer_at_all_is_retried():
    with pytest.raises(TwilioUnreachable):
        twilio(Transport(error=TimeoutError("timed out"))).send(reply(), TENANT)


def test_twilios_own_stop_is_recorded_and_the_next_send_never_reaches_twilio():
    refusal = {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
    transport, consent = Transport(400, refusal), Consent()
    sender = twilio(transport, consent=consent)

    with pytest.raises(PermanentDeliveryFailure, match="recorded as an opt-out"):
        sender.send(reply(), TENANT)
    with pytest.raises(PermanentDeliveryFailure, match="opted out"):
        sender.send(reply(), TENANT)

    assert consent.opted_out_numbers == {"+8613800138000"} and len(transport.calls) == 1


def test_other_refusals_record_no_opt_out():
    consent = Consent()

    with pytest.raises(PermanentDeliveryFailure):
        twilio(Transport(400, {"code": 21614, "message": "not a mobile", "status": 400}), consent).send(reply(), TENANT)

    assert consent.opted_out_numbers == set()


def test_stop_wins_nothing_reaches_twilio_for_an_opted_out_number():
    transport = Transport()

    with pytest.raises(PermanentDeliveryFailure, match="opted out"):
        twilio(transport, consent=Consent("+8613800138000")).send(reply(), TENANT)
    assert transport.calls == []


class Recording:
    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message, tenant: Tenant) -> str:
        self.sent.append(message)
        return "id"


def test_the_numbers_provider_decides_the_sender_and_aws_numbers_keep_aws():
    aws, twilio_ = Recording(), Recording()
    built: list[str] = []

    def build(name: str, sender: Recording):
        return lambda: built.append(name) or sender

    senders = SmsSenderByProvider({"aws": build("aws", aws), "twilio": build("twilio", twilio_)})
    senders.send(reply(sender="+15005550006"), TENANT)
    senders.send(reply(sender="+15017122661"), TENANT)
    senders.send(reply(sender="+15017122661"), TENANT)

    assert [m.sender for m in aws.sent] == ["+15005550006"]
    assert [m.sender for m in twilio_.sent] == ["+15017122661"] * 2
    assert built == ["aws", "twilio"]  # each built once, on first use


@pytest.mark.parametrize(
    ("endpoint", "parts"),
    [
        ("sms:+15005550006", ("sms", "+15005550006")),
        ("sms:twilio:+15017122661", ("sms", "+15017122661")),
        ("sms:aws:+15005550006", ("sms", "+15005550006")),
        ("chat:twilio:widget", ("chat", "twilio:widget")),  # only SMS numbers name a provider
    ],
)
def test_an_endpoint_is_looked_up_without_its_provider(endpoint, parts):
    assert endpoint_parts(endpoint) == parts


def test_a_number_without_a_provider_or_unknown_to_the_tenant_is_aws():
    endpoints = TENANT.endpoints
    assert [sms_provider(endpoints, n) for n in ("+15017122661", "+15005550006", "+19995550100", None)] == [
        "twilio",
        "aws",
        "aws",
        "aws",
    ]
