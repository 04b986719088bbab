"""POST /cases under a used Idempotency-Key: the request is compared with what the key's first request stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from omnicase.cases.open_case import case_request_from, differences, provider_id_of
from omnicase.domain.inbound import AGENT_OPENED, InboundMessage
from omnicase.domain.model import Case, Channel, Direction, Message

AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
BODY = {"channel": "sms", "phone": "+86 139 1234 5678", "subject": " 发票 ", "message": "抬头写错了 \n"}


def stored(request) -> tuple[Case, Message]:
    """The case and first message the request opened, as intake stores them."""
    case = Case("acme", "C1", Channel.SMS, request.subject, contact_address=request.address[1], created_at=AT)
    first = Message(
        "acme", "C1", "M1", Direction.INBOUND, Channel.SMS, AT, subject=request.subject, body_text=request.text
    )
    return case, replace(first, provider_message_id=provider_id_of("k1"))


def test_the_same_request_again_differs_in_nothing_even_before_cleaning():
    first = case_request_from(BODY)
    case, message = stored(first)

    again = case_request_from({**BODY, "phone": "+8613912345678", "message": "抬头写错了"})

    assert differences(again, case, message) == []


def test_each_changed_field_is_named():
    case, message = stored(case_request_from(BODY))

    assert differences(case_request_from({**BODY, "subject": "退款"}), case, message) == ["subject"]
    assert differences(case_request_from({**BODY, "message": "抬头对了"}), case, message) == ["message"]
    assert differences(case_request_from({**BODY, "message": None, "note": "抬头写错了"}), case, message) == ["note"]
    assert differences(case_request_from({**BODY, "phone": "+8613800000000"}), case, message) == ["customer"]
    changed = case_request_from({**BODY, "channel": "phone", "subject": "退款"})
    assert differences(changed, case, message) == ["channel", "subject"]


def test_a_first_message_erased_since_leaves_only_the_channel_to_compare():
    case, _ = stored(case_request_from(BODY))

    assert differences(case_request_from({**BODY, "message": "别的"}), case, None) == []
    assert differences(case_request_from({**BODY, "channel": "phone"}), case, None) == ["channel"]


def test_the_key_guards_a_request_across_channels():
    inbound = InboundMessage("acme", Channel.SMS, provider_id_of("k1"), AT, None, delivery_scope=AGENT_OPENED)

    assert inbound.delivery_key == (AGENT_OPENED, "agent:k1")
    assert replace(inbound, channel=Channel("phone")).delivery_key == inbound.delivery_key
    assert replace(inbound, delivery_scope=None).delivery_key == ("sms", "agent:k1")  # a channel's own guard
