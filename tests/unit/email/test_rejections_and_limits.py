"""What is refused (too large, not a mail) and what hostile structure is survived with a problem."""

from __future__ import annotations

import pytest

from omnicase.email.errors import EmailRejected, EmailTooLarge, NotAnEmail
from omnicase.email.parse_email import parse_email

from .corpus import raw

TEN_MB = 10 * 1024 * 1024


def test_over_the_size_cap_is_too_large():
    oversized = b"From: a@example.com\r\nSubject: big\r\n\r\n" + b"x" * TEN_MB
    assert len(oversized) > TEN_MB
    with pytest.raises(EmailTooLarge) as caught:
        parse_email(oversized)
    assert caught.value.reason == "too-large"
    with pytest.raises(EmailTooLarge):
        parse_email(b"From: a@example.com\r\n\r\nhello", max_bytes=10)


def test_exactly_at_the_cap_parses():
    head = b"From: a@example.com\r\nSubject: big\r\n\r\n"
    assert parse_email(head + b"x" * (TEN_MB - len(head))).subject == "big"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\r\n\r\n",
        b'{"From": "a@example.com", "Subject": "json"}',
        b'{\n  "From": "a@example.com"\n}',
        b"\x00\x01\x02binary",
        b"X-Custom: only unknown headers\r\n\r\nbody",
        b"Hello, this is just text.\nFrom: someone\n",
    ],
)
def test_not_an_email(data: bytes):
    with pytest.raises(NotAnEmail) as caught:
        parse_email(data)
    assert caught.value.reason == "not-mime"
    assert isinstance(caught.value, EmailRejected)


def test_corpus_garbage_is_not_mime():
    with pytest.raises(NotAnEmail):
        parse_email(raw("not_mime.bin"))


def test_mbox_line_and_bom_are_tolerated():
    mail = parse_email(b"\xef\xbb\xbfFrom ann@example.com Mon Nov  2 09:00:00 2026\nSubject: hi\n\nbody")
    assert (mail.subject, mail.body_text) == ("hi", "body")


def _nested(depth: int) -> bytes:
    opening = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(depth))
    closing = b"".join(b"\r\n--b%d--" % i for i in reversed(range(depth)))
    return b"From: a@example.com\r\nSubject: deep\r\n" + opening + b"Content-Type: text/plain\r\n\r\ninner" + closing


def test_shallow_nesting_reaches_the_text():
    mail = parse_email(_nested(10))
    assert mail.body_text == "inner" and "mime-too-deep" not in mail.problems


@pytest.mark.parametrize("depth", [25, 2_000])
def test_deep_nesting_is_cut_with_a_problem(depth: int):
    mail = parse_email(_nested(depth))
    assert mail.subject == "deep"
    assert "mime-too-deep" in mail.problems


def test_nested_message_rfc822_chain_is_cut():
    chain = (
        b"From: a@example.com\r\nSubject: chain\r\n"
        + b"Content-Type: message/rfc822\r\n\r\n" * 3_000
        + b"x: y\r\n\r\nhi"
    )
    mail = parse_email(chain)
    assert mail.subject == "chain" and "mime-too-deep" in mail.problems


def test_too_many_parts_is_cut_with_a_problem():
    part = b"--p\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n"
    many = b"From: a@example.com\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n" + part * 2_000
    mail = parse_email(many + b"--p--\r\n")
    assert "too-many-parts" in mail.problems
    assert 400 <= len(mail.attachments) <= 500


def test_huge_content_type_parameters_are_shortened():
    # The stdlib parses these parameters in quadratic time; the parser must not hang on them.
    header = b"Content-Type: text/plain; " + b'a="b;";' * 200_000
    mail = parse_email(b"From: a@example.com\r\nSubject: params\r\n" + header + b"\r\n\r\nstill here")
    assert mail.body_text == "still here" and "header-too-long" in mail.problems
