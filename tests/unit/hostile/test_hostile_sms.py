"""Hostile SMS: Twilio form bodies and two-way SMS JSON parse to a bounded message or raise SmsRejected only."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import example, given
from hypothesis import strategies as st

from omnicase.channels.sms.errors import SmsRejected
from omnicase.channels.sms.parse_pinpoint import MAX_MESSAGE_BYTES, parse_pinpoint_sms
from omnicase.channels.sms.parse_twilio import MAX_FORM_BYTES, MAX_MEDIA, parse_twilio_form
from omnicase.channels.sms.phone_numbers import normalize_phone
from omnicase.channels.sms.sns_endpoint import SnsEndpoint
from omnicase.domain.errors import RejectedInput
from tests.unit.hostile.strategies import HOSTILE, JSON_VALUES, NASTY_TEXT, parsed_or_rejected, utf8_safe

PINPOINT = {"originationNumber": "+8613800138000", "destinationNumber": "+15005550006", "inboundMessageId": "id-1"}
TWILIO_KEYS = st.sampled_from(
    ["MessageSid", "From", "To", "Body", "NumMedia", "MediaUrl0", "MediaUrl99", "MediaContentType0", "AccountSid"]
)
PIECES = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"%", b"%zz", b"%ff", b"%c3", b"%00", b"+", b"&&", b"==", b"=", b";", b"%e4%bd", b"\xff"]),
)


def twilio(body: bytes):
    sms = parsed_or_rejected(parse_twilio_form, body, SmsRejected)
    if sms is not None:
        assert sms.message_sid.strip() and sms.from_number.strip() and sms.to_number.strip()
        assert len(sms.media) <= MAX_MEDIA and sms.num_media >= 0
        utf8_safe(sms.body, sms.from_number, sms.to_number, *(u for pair in sms.media for u in pair))
        normalize_phone(sms.from_number)  # what intake does next: never raises
    return sms


@HOSTILE
@given(st.lists(st.tuples(TWILIO_KEYS, PIECES), max_size=12))
@example(pairs=[(b"MessageSid", b"SM1"), (b"From", b"%ff"), (b"To", b"1")])  # bad percent-encoding → rejected
def test_twilio_forms_of_bad_percent_encoding_and_repeated_keys(pairs):
    body = b"&".join((k.encode() if isinstance(k, str) else k) + b"=" + v for k, v in pairs)
    twilio(body)


@HOSTILE
@given(st.binary(max_size=2000))
def test_twilio_random_bytes(body):
    twilio(body)


@HOSTILE
@given(st.integers(0, 2 * MAX_FORM_BYTES), NASTY_TEXT)
@example(size=MAX_FORM_BYTES, text="长")
def test_twilio_oversized_body_is_refused_as_too_large_or_kept_whole(size, text):
    base = "MessageSid=SM1&From=%2B8613800138000&To=%2B15005550006&Body="
    body = (base + quote(((text or "x") * size).encode("utf-8", "surrogatepass"), safe="")[:size]).encode()
    try:
        sms = parse_twilio_form(body)
    except SmsRejected as rejected:
        assert rejected.reason == ("too-large" if len(body) > MAX_FORM_BYTES else "malformed")
        return
    assert len(body) <= MAX_FORM_BYTES and len(sms.body.encode("utf-8", "surrogatepass")) <= MAX_FORM_BYTES


@HOSTILE
@given(st.dictionaries(st.sampled_from(["originationNumber", "destinationNumber", "messageBody",
                                        "inboundMessageId", "messageKeyword", "previousPublishedMessageId"])
                       | NASTY_TEXT, JSON_VALUES, max_size=8))  # fmt: skip
@example(document={**PINPOINT, "messageBody": "a\ud800"})  # was let through, then failed to store (fixed)
def test_two_way_sms_json_of_any_shape_and_type(document):
    sms = parsed_or_rejected(parse_pinpoint_sms, json.dumps({**PINPOINT, **document}), SmsRejected)
    if sms is not None:
        assert sms.origination_number and sms.destination_number and sms.inbound_message_id
        utf8_safe(sms.body, sms.origination_number, sms.destination_number, sms.keyword, sms.inbound_message_id)


@HOSTILE
@given(st.one_of(st.binary(max_size=500), JSON_VALUES.map(lambda v: json.dumps(v).encode())))
@example(body=b"[" * 100_000)
@example(body=b"9" * 5000)  # int() refuses over 4300 digits
@example(body=b'{"messageBody": "' + b"x" * MAX_MESSAGE_BYTES + b'"}')
def test_two_way_sms_random_bytes_deep_nesting_and_huge_fields(body):
    parsed_or_rejected(parse_pinpoint_sms, body, SmsRejected)


SNS_KEYS = st.sampled_from(
    ["Type", "SignatureVersion", "Signature", "SigningCertURL", "Message", "MessageId", "Timestamp", "TopicArn"]
)


@HOSTILE
@given(
    st.one_of(
        st.binary(max_size=300),
        st.dictionaries(SNS_KEYS | NASTY_TEXT, JSON_VALUES, max_size=8).map(lambda d: json.dumps(d).encode()),
        st.fixed_dictionaries(
            {
                "Type": st.sampled_from(["Notification", "SubscriptionConfirmation"]),
                "SignatureVersion": st.sampled_from(["1", "2"]),
                "Signature": NASTY_TEXT,
                "SigningCertURL": st.sampled_from(
                    ["https://sns.us-east-1.amazonaws.com/x.pem", "https://evil.example/x.pem", "http://sns/x"]
                ),
            }
        ).map(lambda d: json.dumps(d).encode()),
    )
)
@example(body=b"[" * 100_000)  # RecursionError escaped the endpoint (fixed)
def test_sns_https_deliveries_of_any_shape_are_refused_with_a_reason(body):
    endpoint = SnsEndpoint(sms=None, fetch_certificate=lambda url: b"-----BEGIN CERTIFICATE-----\nnot one")  # type: ignore[arg-type]
    try:
        endpoint.receive(body)
    except RejectedInput as refused:
        assert refused.reason in ("malformed", "too-large", "bad-signature")
    else:
        raise AssertionError("an unsigned SNS delivery was taken in")
