"""End User Messaging / Pinpoint two-way SMS messages (tests/fixtures/sms/awsdocs_*.json)."""

from __future__ import annotations

import json

import pytest

from omnicase.channels.sms.errors import SmsRejected
from omnicase.channels.sms.parse_pinpoint import PinpointInbound, parse_pinpoint_sms
from omnicase.channels.sms.phone_numbers import normalize_phone
from tests.unit.sms.fixtures import read_bytes


def test_current_shape_as_sns_message_string():
    sms = parse_pinpoint_sms(read_bytes("awsdocs_sms-voice_two-way-sms-payload.json").decode())
    assert sms == PinpointInbound(
        origination_number="+14255550182",
        destination_number="+12125550101",
        body="EXAMPLE",
        keyword="JOIN",
        inbound_message_id="cae173d2-66b9-564c-8309-21f858e9fb84",
        previous_published_message_id="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )


def test_legacy_shape_without_previous_id():
    sms = parse_pinpoint_sms(read_bytes("awsdocs_pinpoint-user-guide_two-way-payload_legacy.json"))
    assert sms.previous_published_message_id is None
    assert sms.keyword == "offers" and sms.body == "offers"
    assert sms.origination_number == "+1XXX5550100" and sms.destination_number == "+1XXX5550199"
    assert normalize_phone(sms.origination_number) is None  # the doc's placeholder is not a number


def test_chinese_body_intact():
    message = {
        "originationNumber": "+8613800138000",
        "destinationNumber": "+12125550101",
        "messageKeyword": "",
        "messageBody": "你好，我的订单还没到",
        "inboundMessageId": "id-1",
    }
    sms = parse_pinpoint_sms(json.dumps(message, ensure_ascii=False))
    assert sms.body == "你好，我的订单还没到" and sms.keyword is None


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"destinationNumber": "+12125550101", "inboundMessageId": "x"}', "originationNumber"),
        ('{"originationNumber": "+1", "destinationNumber": 12125550101, "inboundMessageId": "x"}', "destinationNumber"),
        ('{"originationNumber": "+1", "destinationNumber": "+2", "inboundMessageId": " "}', "inboundMessageId"),
        (
            '{"originationNumber": "+1", "destinationNumber": "+2", "inboundMessageId": "x", "messageBody": 5}',
            "messageBody",
        ),
        (b"\xff\xfe\x00", "not JSON"),
        ("[" * 100_000, "too-large"),
        ("[" * 60_000, "not JSON"),
    ],
)
def test_malformed(message, named):
    with pytest.raises(SmsRejected) as raised:
        parse_pinpoint_sms(message)
    assert named in (raised.value.reason + " " + str(raised.value))
