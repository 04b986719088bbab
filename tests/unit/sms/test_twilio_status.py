"""Twilio status callbacks: parsed from Twilio's published bodies, verified, recorded only forward, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnicase.channels.sms.delivery_progress import moves_forward, reported_status
from omnicase.channels.sms.errors import SmsRejected
from omnicase.channels.sms.intake import SignedRequest
from omnicase.channels.sms.parse_twilio_status import parse_twilio_status
from omnicase.channels.sms.twilio_signature import twilio_signature
from omnicase.channels.sms.twilio_status import MessageRef, OutboundSms, TwilioStatusCallbacks
from omnicase.domain.errors import RejectedInput
from omnicase.domain.model import DeliveryStatus as S
from omnicase.domain.model import Tenant
from tests.unit.hostile.strategies import HOSTILE, parsed_or_rejected
from tests.unit.hostile.test_hostile_sms import PIECES
from tests.unit.sms.fixtures import load_json

BODIES = load_json("twilio_status_callbacks.json")["bodies"]
TOKEN = "twilio-token"
SID = "SM0123456789abcdef0123456789abcdef"
QUERY = urlencode({"tenant": "acme", "case": "K3M9QX2A7B", "message": "1M82Y1BJY79W9EF"})
URL = f"https://hooks.acme.example/webhooks/sms/twilio/status?{QUERY}"
REF = MessageRef("acme", "K3M9QX2A7B", "1M82Y1BJY79W9EF")


@pytest.mark.parametrize(
    ("name", "sid", "status", "error"),
    [
        ("captured_whatsapp_sent", "SM0cec4ed334e74bcbb64eb8b6684e9654", "sent", None),
        ("captured_whatsapp_delivered", "SMdf55df64a2ff4920bb0748193cfbb640", "delivered", None),
        ("docs_sms_undelivered", SID, "undelivered", "30003"),
    ],
)
def test_twilios_published_status_callbacks_parse(name, sid, status, error):
    report = parse_twilio_status(BODIES[name].encode())

    assert (report.message_sid, report.status, report.error_code) == (sid, status, error)
    assert report.params["ApiVersion"] == ["2010-04-01"]


@pytest.mark.parametrize(
    "body",
    [
        b"MessageStatus=sent",
        b"MessageSid=SM1&MessageStatus=sent",
        f"MessageSid={SID}".encode(),
        f"MessageSid={SID}&MessageStatus=failed&ErrorCode=3000x".encode(),
        b"\xff\xfe",
    ],
)
def test_a_callback_without_a_valid_sid_status_or_error_code_is_malformed(body):
    with pytest.raises(SmsRejected) as refused:
        parse_twilio_status(body)
    assert refused.value.reason == "malformed"


@pytest.mark.parametrize(
    ("current", "reported", "moves"),
    [
        (S.QUEUED, S.SENT, True),
        (S.QUEUED, S.DELIVERED, True),  # the callback overtook the sender's own record
        (S.SENT, S.DELIVERED, True),
        (S.SENT, S.UNDELIVERED, True),
        (S.SENT, S.FAILED, True),
        (S.DELIVERED, S.SENT, False),  # a late `sent` never takes `delivered` back
        (S.SENT, S.SENT, False),  # redelivered
        (S.DELIVERED, S.UNDELIVERED, False),  # the first final status wins
        (S.FAILED, S.DELIVERED, False),  # refused by us (STOP, bad number): nothing was sent
        (None, S.DELIVERED, False),
    ],
)
def test_statuses_only_move_forward(current, reported, moves):
    assert moves_forward(current, reported) is moves


def test_read_counts_as_delivered_and_intermediate_statuses_are_not_tracked():
    assert reported_status("read") is S.DELIVERED
    assert [reported_status(s) for s in ("queued", "sending", "accepted", "canceled", "receiving")] == [None] * 5


# --- the service, on an in-memory store that conditions its writes as DynamoDB does ------------------------------


@dataclass
class MemoryStore:
    messages: dict[MessageRef, OutboundSms] = field(default_factory=dict)
    details: dict[MessageRef, str | None] = field(default_factory=dict)
    writes: int = 0

    def outbound_sms(self, ref: MessageRef) -> OutboundSms | None:
        return self.messages.get(ref)

    def record_status(self, ref, expected, status, detail, provider_id) -> bool:
        if self.messages.get(ref) != expected:
            return False
        self.messages[ref], self.details[ref] = OutboundSms(status, provider_id), detail
        self.writes += 1
        return True


class Tenants:
    def tenant(self, tenant_id: str) -> Tenant | None:
        return Tenant(tenant_id, "Acme", (), "support@acme.example") if tenant_id == "acme" else None


class Secrets:
    def get(self, tenant_id: str, name: str) -> str:
        return {"twilio_auth_token": TOKEN}[name]


def callback(body: str, *, url: str = URL, token: str = TOKEN) -> SignedRequest:
    """A status callback as Twilio posts it to `url`, signed with `token`."""
    signature = twilio_signature(token, url, parse_qs(body, keep_blank_values=True))
    path, _, query = url.removeprefix("https://hooks.acme.example").partition("?")
    headers = {"Host": "hooks.acme.example", "X-Forwarded-Proto": "https", "X-Twilio-Signature": signature}
    return SignedRequest(headers=headers, path=path, query=query, stage=None, body=body.encode())


def unsigned(request: SignedRequest) -> SignedRequest:
    headers = {k: v for k, v in request.headers.items() if k != "X-Twilio-Signature"}
    return SignedRequest(headers, request.path, request.query, request.stage, request.body)


def service(store: MemoryStore) -> TwilioStatusCallbacks:
    return TwilioStatusCallbacks(Tenants(), Secrets(), store)  # type: ignore[arg-type]


def test_delivered_then_redelivered_then_a_late_sent_is_stored_once():
    store = MemoryStore({REF: OutboundSms(S.SENT, f"twilio:{SID}")})
    delivered = BODIES["docs_sms_delivered"]
    late_sent = delivered.replace("=delivered", "=sent")

    outcomes = [service(store).receive(callback(b)).result for b in (delivered, delivered, late_sent)]

    assert outcomes == ["recorded", "unchanged", "unchanged"]
    assert store.messages[REF].status is S.DELIVERED and store.writes == 1


def test_undelivered_records_twilios_error_code_on_the_message():
    store = MemoryStore({REF: OutboundSms(S.SENT, f"twilio:{SID}")})

    service(store).receive(callback(BODIES["docs_sms_undelivered"]))

    assert store.messages[REF].status is S.UNDELIVERED
    assert store.details[REF] == "undelivered: Twilio error 30003 (https://www.twilio.com/docs/errors/30003)"


def test_a_callback_overtaking_the_senders_record_stores_the_sid_with_the_status():
    store = MemoryStore({REF: OutboundSms(S.QUEUED, None)})

    service(store).receive(callback(BODIES["docs_sms_delivered"]))

    assert store.messages[REF] == OutboundSms(S.DELIVERED, f"twilio:{SID}")


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (lambda: callback(BODIES["docs_sms_delivered"], token="not-the-token"), "bad-signature"),
        (lambda: unsigned(callback(BODIES["docs_sms_delivered"])), "missing-signature"),
        (lambda: callback(BODIES["docs_sms_delivered"], url=URL.replace("acme&", "globex&")), "unknown-message"),
        (lambda: callback(BODIES["docs_sms_delivered"], url=URL.replace("1M82", "9Z99")), "unknown-message"),
        (lambda: callback(BODIES["captured_whatsapp_delivered"]), "unknown-message"),  # another SID
        (lambda: callback(BODIES["docs_sms_delivered"], url=URL.partition("?")[0]), "malformed"),
    ],
)
def test_a_forged_or_foreign_callback_is_refused_and_writes_nothing(request_, reason):
    store = MemoryStore({REF: OutboundSms(S.SENT, f"twilio:{SID}")})

    with pytest.raises(RejectedInput) as refused:
        service(store).receive(request_())

    assert refused.value.reason == reason and store.writes == 0


@HOSTILE
@given(st.lists(st.tuples(st.sampled_from(["MessageSid", "MessageStatus", "ErrorCode", "AccountSid"]), PIECES)))
def test_hostile_status_callback_forms_parse_or_are_refused_as_smsrejected(pairs):
    body = b"&".join(k.encode() + b"=" + v for k, v in pairs)

    report = parsed_or_rejected(parse_twilio_status, body, SmsRejected)

    if report is not None:
        assert report.message_sid[:2].isalpha() and len(report.message_sid) == 34 and report.status.isascii()
