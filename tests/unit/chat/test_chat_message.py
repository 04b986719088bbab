"""Chat widget messages: validated fields, Chinese intact, one-line reasons naming the field."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnicase.channels.chat.chat_message import ChatInbound, parse_chat_message
from omnicase.channels.chat.errors import ChatRejected

BASE = {"conversation_id": "conv-7f3a", "message_id": "m-0001", "user_id": "visitor-4821"}


def encode(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def rejected(document: object | bytes, **limits) -> ChatRejected:
    body = document if isinstance(document, bytes) else encode(document)
    with pytest.raises(ChatRejected) as raised:
        parse_chat_message(body, **limits)
    return raised.value


def test_full_message():
    chat = parse_chat_message(
        encode(
            {
                **BASE,
                "display_name": " 张伟 ",
                "email": " Zhang.Wei@Example.COM ",
                "phone": "+86 138 0013 8000",
                "text": "你好，我的订单还没到",
                "attachments": [
                    {
                        "url": "https://cdn.acme.example/u/receipt.png",
                        "name": "收据.png",
                        "content_type": "image/png",
                        "size": 2048,
                    }
                ],
                "sent_at": "2025-11-02T08:00:00+08:00",
                "future_field": {"ignored": True},
            }
        )
    )
    assert chat.conversation_id == "conv-7f3a" and chat.message_id == "m-0001" and chat.user_id == "visitor-4821"
    assert chat.display_name == "张伟" and chat.email == "zhang.wei@example.com" and chat.phone == "+86 138 0013 8000"
    assert chat.text == "你好，我的订单还没到"
    [attachment] = chat.attachments
    assert (attachment.url, attachment.name, attachment.content_type, attachment.size) == (
        "https://cdn.acme.example/u/receipt.png",
        "收据.png",
        "image/png",
        2048,
    )
    assert chat.sent_at == datetime(2025, 11, 2, 0, 0, tzinfo=UTC)
    assert chat.sent_at.utcoffset() == timedelta(hours=8)


def test_minimal_message_defaults():
    chat = parse_chat_message(encode({**BASE, "text": "Hi! Any update on E-42?"}))
    assert chat == ChatInbound(**BASE, text="Hi! Any update on E-42?")
    assert chat.display_name is None and chat.email is None and chat.attachments == [] and chat.sent_at is None


def test_attachments_only_and_naive_time_is_utc():
    chat = parse_chat_message(
        encode(
            {**BASE, "text": "", "attachments": [{"url": "https://x.example/a.pdf"}], "sent_at": "2025-11-02T08:00:00"}
        )
    )
    assert chat.text == "" and chat.attachments[0].name is None and chat.attachments[0].size is None
    assert chat.sent_at == datetime(2025, 11, 2, 8, 0, tzinfo=UTC)


def test_empty_optional_strings_become_none():
    chat = parse_chat_message(encode({**BASE, "text": "x", "display_name": "", "email": " ", "phone": ""}))
    assert (chat.display_name, chat.email, chat.phone) == (None, None, None)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"conversation_id": ""}, "conversation_id"),
        ({"message_id": "   "}, "message_id"),
        ({"user_id": "x" * 201}, "user_id"),
        ({"user_id": 42}, "user_id"),
        ({"conversation_id": "conv\n1"}, "conversation_id: must not contain control characters"),
        ({"attachments": [{"url": "https://x.example/a", "content_type": "text/plain\x07"}]}, "content_type"),
        ({"email": "not-an-email"}, "email: is not an email address"),
        ({"email": "a@b"}, "email"),
        ({"text": "x" * 20_001}, "text"),
        ({"text": "  "}, "text is empty and there are no attachments"),
        ({"attachments": [{"url": "http://x.example/a.png"}]}, "attachments.0.url: must be an https URL"),
        ({"attachments": [{"url": "javascript:alert(1)"}]}, "attachments.0.url"),
        ({"attachments": [{"url": "https://x.example/a", "size": -1}]}, "attachments.0.size"),
        ({"attachments": [{"url": "https://x.example/a"}] * 21}, "attachments"),
        ({"attachments": "https://x.example/a"}, "attachments"),
        ({"sent_at": "yesterday"}, "sent_at"),
    ],
)
def test_invalid_fields_named(change, named):
    error = rejected({**BASE, "text": "hello", **change})
    assert error.reason == "malformed" and named in str(error) and "\n" not in str(error)


def test_missing_required_field_named():
    error = rejected({"message_id": "m", "user_id": "u", "text": "hi"})
    assert str(error) == "conversation_id: Field required"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"", "not JSON"),
        ('{"text": "你好"}'.encode("gb18030"), "not UTF-8"),
        (b"[" * 50_000, "not JSON"),
    ],
)
def test_not_a_json_object(body, named):
    error = rejected(body)
    assert error.reason == "malformed" and named in str(error)


def test_bom_is_tolerated():
    assert parse_chat_message(b"\xef\xbb\xbf" + encode({**BASE, "text": "hi"})).text == "hi"


def test_too_large():
    body = encode({**BASE, "text": "x" * 300_000})
    assert rejected(body).reason == "too-large"
    assert rejected(encode({**BASE, "text": "hello"}), max_bytes=10).reason == "too-large"


@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_chat_rejected(data):
    # Given any bytes, When parsed, Then a ChatInbound or a ChatRejected comes out, never another error.
    try:
        parse_chat_message(data)
    except ChatRejected as error:
        assert error.reason in {"malformed", "too-large"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10,
)


@given(
    st.fixed_dictionaries({}, optional={key: json_values for key in [*BASE, "text", "email", "attachments", "sent_at"]})
)
def test_arbitrary_documents_raise_only_chat_rejected(document):
    try:
        chat = parse_chat_message(json.dumps(document).encode())
    except ChatRejected as error:
        assert error.reason == "malformed"
    else:
        assert chat.conversation_id and chat.message_id and chat.user_id
