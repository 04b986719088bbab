"""Hostile chat JSON: parse_chat_message returns a bounded ChatInbound or raises ChatRejected, nothing else."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from omnicase.channels.chat.chat_message import MAX_ATTACHMENTS, MAX_TEXT, parse_chat_message
from omnicase.channels.chat.errors import ChatRejected
from tests.unit.hostile.strategies import HOSTILE, JSON_VALUES, NASTY_TEXT, parsed_or_rejected, utf8_safe

FIELDS = st.sampled_from(
    ["conversation_id", "message_id", "user_id", "display_name", "email", "phone", "text", "attachments", "sent_at"]
)
VALID = {"conversation_id": "c1", "message_id": "m1", "user_id": "u1", "text": "hello"}


def chat(body: bytes):
    message = parsed_or_rejected(parse_chat_message, body, ChatRejected)
    if message is not None:
        assert len(message.text) <= MAX_TEXT and len(message.attachments) <= MAX_ATTACHMENTS
        for identifier in (message.conversation_id, message.message_id, message.user_id):
            assert 1 <= len(identifier) <= 200 and identifier == identifier.strip()
        utf8_safe(message.text, message.display_name, message.email, message.phone, message.user_id)
    return message


@HOSTILE
@given(st.dictionaries(FIELDS | NASTY_TEXT, JSON_VALUES, max_size=9))
def test_documents_of_any_shape_and_type(document):
    chat(json.dumps({**VALID, **document}).encode())


@HOSTILE
@given(st.sampled_from(["text", "display_name", "user_id", "email", "phone"]), NASTY_TEXT, st.integers(1, 30_000))
@example(field="text", unit="\ud800", repeat=1)  # a lone surrogate escaped in JSON
@example(field="text", unit="x", repeat=MAX_TEXT + 1)
def test_oversized_and_unencodable_fields(field, unit, repeat):
    body = json.dumps({**VALID, field: (unit or "x") * repeat}).encode()
    message = chat(body)
    if message is not None and field == "text":
        assert message.text == (unit or "x") * repeat  # accepted whole, never silently cut


@HOSTILE
@given(st.binary(max_size=600))
@example(body=b"[" * 50_000)
@example(body=b'{"text": 1' + b"0" * 5000 + b"}")
def test_random_bytes_and_deep_nesting(body):
    chat(body)
