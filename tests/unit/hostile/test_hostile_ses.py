"""Hostile SES notifications: inline mail content always becomes bytes; feedback parses or is RejectedInput."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from omnicase.channels.email.ses_feedback import is_feedback, parse_feedback
from omnicase.channels.email.ses_notification import SesReceivedNotification
from omnicase.domain.errors import RejectedInput
from tests.unit.hostile.strategies import HOSTILE, JSON_VALUES, NASTY_TEXT, parsed_or_rejected

RECEIVED = {
    "notificationType": "Received",
    "mail": {"timestamp": "2026-11-02T09:15:01.000Z", "source": "a@example.com", "messageId": "m1", "destination": []},
    "receipt": {"recipients": ["support@acme.example"], "action": {"type": "SNS", "encoding": "BASE64"}},
}


@HOSTILE
@given(st.sampled_from(["BASE64", "UTF8"]), NASTY_TEXT | st.text(alphabet="A-Za-z0-9+/=\udcff", max_size=50))
@example(encoding="BASE64", content="é")  # not ASCII: base64 raised a bare ValueError (fixed)
@example(encoding="UTF8", content="\ud800")  # outside surrogateescape's range: UnicodeEncodeError (fixed)
def test_inline_content_of_any_text_becomes_bytes(encoding, content):
    notification = SesReceivedNotification.model_validate(
        {**RECEIVED, "receipt": {**RECEIVED["receipt"], "action": {"type": "SNS", "encoding": encoding}}}
        | {"content": content}
    )
    assert isinstance(notification.inline_content(), bytes)


@HOSTILE
@given(
    st.sampled_from(["Bounce", "Complaint", "Delivery"]),
    st.dictionaries(st.sampled_from(["mail", "bounce", "complaint", "delivery"]) | NASTY_TEXT, JSON_VALUES),
)
def test_feedback_of_any_shape_is_parsed_or_rejected(kind, fields):
    payload = {**fields, "notificationType": kind}
    assert is_feedback(payload)
    parsed_or_rejected(parse_feedback, payload, RejectedInput)
