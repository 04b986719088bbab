"""Twilio inbound form bodies: real WhatsApp captures (tests/fixtures/sms) and hand-built Chinese SMS."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnicase.channels.sms.errors import SmsRejected
from omnicase.channels.sms.parse_twilio import parse_twilio_form
from omnicase.channels.sms.twilio_signature import twilio_signature, twilio_signature_valid
from tests.unit.sms.fixtures import load_json

CAPTURES = load_json("botbuilder-community_twilio_whatsapp_form_bodies.json")
BODIES = CAPTURES["bodies"]
EXPECTED = CAPTURES["expected_from_test"]


def test_whatsapp_text():
    sms = parse_twilio_form(BODIES["whatsapp_text"].encode())
    expected = EXPECTED["whatsapp_text"]
    assert sms.message_sid == expected["id"] == "SM892512e202b34d4109b10a3893fa9640"
    assert sms.from_number == expected["from"] == "whatsapp:+31612345678"
    assert sms.to_number == expected["recipient"] == "whatsapp:+14123456789"
    assert sms.body == expected["text"] == "test"
    assert sms.account_sid == "AC1a03647d811fab342c0ad608e382fab2"
    assert sms.num_media == 0 and sms.media == ()
    assert sms.messaging_service_sid is None and sms.profile_name is None
    assert sms.params["ApiVersion"] == ["2010-04-01"] and len(sms.params) == 11


def test_whatsapp_image_without_body():
    sms = parse_twilio_form(BODIES["whatsapp_image_no_body"].encode())
    [attachment] = EXPECTED["whatsapp_image_no_body"]["attachments"]
    assert sms.body == "" and sms.num_media == 1
    assert sms.media == ((attachment["contentUrl"], attachment["contentType"]),)
    assert sms.media[0][1] == "image/jpeg"
    assert sms.params["Body"] == [""]  # kept: Twilio signs the empty Body too


def test_location_share_params_kept_for_signing():
    sms = parse_twilio_form(BODIES["whatsapp_location"].encode())
    assert sms.params["Address"] == ["Evert van de Beekstraat 354, Schiphol, North Holland 1118 CZ"]
    assert sms.params["Label"] == ["Microsoft"] and sms.body == ""


def test_chinese_body_media_and_messaging_service():
    fields = [
        ("MediaContentType1", "application/pdf"),
        ("MessageSid", "MM0123456789abcdef0123456789abcdef"),
        ("AccountSid", "AC" + "0" * 32),
        ("MessagingServiceSid", "MG" + "1" * 32),
        ("From", "+8613800138000"),
        ("To", "384387"),
        ("Body", "你好，我的订单还没到"),
        ("NumMedia", "2"),
        ("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2"),
        ("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"),
        ("MediaContentType0", "image/png"),
        ("ProfileName", "张伟"),
    ]
    body = urlencode(fields).encode()
    sms = parse_twilio_form(body)
    assert sms.body == "你好，我的订单还没到" and sms.profile_name == "张伟"
    assert sms.to_number == "384387" and sms.messaging_service_sid == "MG" + "1" * 32
    assert sms.num_media == 2
    assert sms.media == (
        ("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1", "image/png"),
        ("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2", "application/pdf"),
    )
    # Every received field takes part in the signature, not a fixed list.
    url = "https://hooks.acme.example/webhooks/sms/twilio"
    signature = twilio_signature("tok", url, {k: [v] for k, v in fields})
    assert twilio_signature_valid("tok", url, sms.params, signature)


def test_plus_signs_and_spaces_in_form_encoding():
    sms = parse_twilio_form(b"MessageSid=SM1&From=%2B14158675309&To=%2B18005551212&Body=hello+there%21")
    assert sms.from_number == "+14158675309" and sms.body == "hello there!"


@pytest.mark.parametrize("missing", ["MessageSid", "From", "To"])
def test_missing_required_field_is_named(missing):
    fields = {"MessageSid": "SM1", "From": "+14158675309", "To": "+18005551212", "Body": "hi"}
    fields[missing] = ""
    with pytest.raises(SmsRejected) as raised:
        parse_twilio_form(urlencode(fields).encode())
    assert raised.value.reason == "malformed" and missing in str(raised.value)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"MessageSid=SM1&From=%2B1&To=%2B2&Body=\xff\xfe", "malformed"),
        (b"MessageSid=SM1&From=%2B1&To=%2B2&Body=%FF", "malformed"),
        (b"MessageSid=SM1&From=%2B1&To=%2B2&NumMedia=many", "malformed"),
        (b"MessageSid=SM1&From=%2B1&To=%2B2&Body=" + b"a" * 70_000, "too-large"),
        (b"", "malformed"),
    ],
)
def test_rejections(body, reason):
    with pytest.raises(SmsRejected) as raised:
        parse_twilio_form(body)
    assert raised.value.reason == reason


@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_sms_rejected(data):
    # Given any bytes, When parsed, Then the result is a TwilioInbound or an SmsRejected, nothing else.
    try:
        sms = parse_twilio_form(data)
    except SmsRejected as rejected:
        assert rejected.reason in {"malformed", "too-large"}
    else:
        assert sms.message_sid and sms.from_number and sms.to_number


@given(st.dictionaries(st.sampled_from(["MessageSid", "From", "To", "Body", "NumMedia", "MediaUrl0"]), st.text()))
def test_arbitrary_forms_raise_only_sms_rejected(fields):
    try:
        sms = parse_twilio_form(urlencode(fields).encode("utf-8", "surrogatepass"))
    except SmsRejected as rejected:
        assert rejected.reason == "malformed"
    else:
        assert sms.body == fields.get("Body", "") and len(sms.media) <= 1
