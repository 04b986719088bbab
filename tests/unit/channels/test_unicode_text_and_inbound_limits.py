"""One function strips control characters from every channel's text; a customer's over-long fields are cut with a
problem on the message, never refused."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from omnicase.channels.inbound_text import bounded_inbound
from omnicase.channels.unicode_text import clean_line, clean_text
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.model import Attachment, Channel
from omnicase.domain.text_limits import CUSTOMER_LIMITS
from tests.unit.hostile.strategies import HOSTILE, NASTY_TEXT

ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=200) | NASTY_TEXT


def controls(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) == "Cc"}


@HOSTILE
@given(ANY_TEXT)
def test_clean_text_keeps_only_newline_and_tab_of_the_controls_and_everything_else(text):
    cleaned = clean_text(text)
    assert controls(cleaned) <= {"\n", "\t"} and clean_text(cleaned) == cleaned
    assert [c for c in cleaned if c not in "\n"] == [c for c in text if not controls(c) or c == "\t"]


@HOSTILE
@given(ANY_TEXT)
def test_clean_line_is_one_line(text):
    line = clean_line(text)
    assert not controls(line) and line == line.strip()


def test_line_breaks_become_newlines():
    assert clean_text("a\r\nb\rc\nd\x00\x85e") == "a\nb\nc\nde"


def inbound(**fields) -> InboundMessage:
    base = {"tenant_id": "acme", "channel": Channel.CHAT, "provider_message_id": "c:m", "sender_address": "u"}
    return InboundMessage(received_at=datetime(2026, 11, 2, tzinfo=UTC), **{**base, **fields})


def test_a_customers_fields_over_their_limits_are_cut_and_each_cut_is_named_once():
    files = tuple(Attachment(f"{'f' * 300}.png", "image/png", 1, "", "https://x.example/f") for _ in range(2))
    message = bounded_inbound(
        inbound(sender_name="名" * 201, subject="s" * 999, body_text="b" * 60_001, attachments=files, problems=("x",))
    )
    assert len(message.sender_name or "") == CUSTOMER_LIMITS["display_name"]
    assert len(message.subject) == CUSTOMER_LIMITS["subject"] and len(message.body_text) == CUSTOMER_LIMITS["body"]
    assert {len(a.filename) for a in message.attachments} == {CUSTOMER_LIMITS["filename"]}
    assert message.problems == ("x", "body-truncated", "filename-truncated", "display-name-truncated",
                                "subject-truncated")  # fmt: skip
    assert len(message.preview) == 500


def test_fields_within_their_limits_are_kept_as_they_are_but_for_controls():
    message = bounded_inbound(inbound(sender_name=" Ann\x07 ", body_text="hi\x00\nthere", preview="hi\x00"))
    assert (message.sender_name, message.body_text, message.preview, message.problems) == ("Ann", "hi\nthere", "hi", ())
