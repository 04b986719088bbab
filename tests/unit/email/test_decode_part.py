"""Transfer encodings on single parts: 8-bit inside quoted-printable, uuencode, no boundary at all."""

from __future__ import annotations

from omnicase.email.parse_email import parse_email


def test_raw_8bit_bytes_inside_quoted_printable_keep_their_charset():
    raw = (
        b"From: a@example.com\r\nSubject: qp\r\nContent-Type: text/plain; charset=gbk\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + "打印机".encode("gbk") + b" =BB=B5=\r\n"
    )
    # Mixed raw GBK and a QP escape: the raw bytes must reach the charset decoder unchanged.
    assert parse_email(raw).body_text == "打印机 坏"


def test_uuencoded_body():
    raw = (
        b"From: a@example.com\r\nSubject: uu\r\nContent-Type: text/plain\r\n"
        b"Content-Transfer-Encoding: x-uuencode\r\n\r\n"
        b"begin 644 note.txt\r\n,:&5L;&\\@=V]R;&0*\r\n`\r\nend\r\n"
    )
    assert parse_email(raw).body_text == "hello world"


def test_multipart_without_boundary_keeps_the_text():
    raw = b"From: a@example.com\r\nSubject: nb\r\nContent-Type: multipart/mixed\r\n\r\nplain words anyway\r\n"
    mail = parse_email(raw)
    assert mail.body_text == "plain words anyway"
    assert "no-boundary-in-multipart" in mail.problems


def test_base64_with_glued_padded_chunks_is_not_a_problem():
    raw = (
        b"From: a@example.com\r\nSubject: b64\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\nIHdvcmxk\r\n"
    )
    mail = parse_email(raw)
    assert (mail.body_text, mail.problems) == ("hello world", ())
