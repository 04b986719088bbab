"""Property: parse_email raises nothing but EmailRejected on any input, returns clean text, and stays fast."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omnicase.email.errors import EmailRejected
from omnicase.email.parse_email import parse_email
from omnicase.email.parsed_email import ParsedEmail

from .corpus import mail_names, raw

FAST = settings(
    deadline=timedelta(milliseconds=1500),
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parse_or_reject(data: bytes) -> ParsedEmail | None:
    try:
        mail = parse_email(data)
    except EmailRejected as rejected:
        assert rejected.reason in ("not-mime", "too-large")
        return None
    assert_well_formed(mail)
    return mail


def assert_well_formed(mail: ParsedEmail) -> None:
    """Everything must survive UTF-8 encoding (DynamoDB, S3 metadata, logs) and respect the preview cap."""
    texts = [mail.subject, mail.body_text, mail.preview, mail.from_name or "", mail.from_address or ""]
    texts += [*mail.to, *mail.cc, *mail.reply_to, *mail.in_reply_to, *mail.references, *mail.headers.values()]
    texts += [*mail.bounced_message_ids, *mail.failed_recipients, mail.message_id or ""]
    texts += [t for a in mail.attachments for t in (a.filename, a.content_type, a.content_id or "")]
    for text in texts:
        text.encode("utf-8")
    assert len(mail.preview) <= 500
    assert "\n" not in mail.subject
    assert all(problem.isascii() for problem in mail.problems)
    assert all(a.filename and "/" not in a.filename and "\\" not in a.filename for a in mail.attachments)
    assert mail.date is None or mail.date.tzinfo is not None


@FAST
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(data: bytes):
    parse_or_reject(data)


@FAST
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_after_a_valid_header_always_parse(data: bytes):
    assert parse_or_reject(b"From: a@example.com\r\nSubject: x\r\n" + data) is not None


_MIME_NOISE = st.sampled_from(
    [b"\r\n", b"\n\n", b"--", b"=?utf-8?B?", b"?=", b"boundary=", b'"', b";", b"=\r\n", b"\xff\xfe", b"\x00",
     b"Content-Type: multipart/mixed; boundary=x\r\n", b"Content-Type: message/rfc822\r\n\r\n", b"--x\r\n",
     b"Content-Transfer-Encoding: base64\r\n", b"charset=gb2312", b"<", b">", b"=?x?Q?", b"\t"]
)  # fmt: skip


@FAST
@given(st.sampled_from(mail_names()), st.data())
def test_mutated_corpus_mails(name: str, data: st.DataObject):
    mail = bytearray(raw(name))
    for _ in range(data.draw(st.integers(1, 8), label="mutations")):
        position = data.draw(st.integers(0, len(mail)), label="position")
        action = data.draw(st.sampled_from(["insert", "delete", "flip", "truncate"]), label="action")
        if action == "insert":
            mail[position:position] = data.draw(st.one_of(_MIME_NOISE, st.binary(max_size=16)), label="insert")
        elif action == "delete":
            del mail[position : position + data.draw(st.integers(1, 64), label="length")]
        elif action == "flip" and position < len(mail):
            mail[position] ^= data.draw(st.integers(1, 255), label="mask")
        elif action == "truncate":
            del mail[position:]
    parse_or_reject(bytes(mail))


def test_every_corpus_mail_is_well_formed():
    for name in mail_names():
        assert_well_formed(parse_email(raw(name)))
