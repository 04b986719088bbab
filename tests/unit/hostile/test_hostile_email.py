"""Hostile MIME: parse_email returns a bounded, well-formed ParsedEmail or raises EmailRejected, nothing else."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from omnicase.email.errors import EmailRejected
from omnicase.email.parse_email import MAX_BODY_CHARS, MAX_SUBJECT_CHARS, parse_email
from omnicase.email.parsed_email import ParsedEmail
from tests.unit.email.test_parse_email_properties import assert_well_formed
from tests.unit.hostile.strategies import HOSTILE, parsed_or_rejected

CHARSETS = ["utf-8", "x-unknown", "utf-7", "gb2312", "gbk", "utf-16", "utf-32", "idna", "rot13", "base64",
            "zlib_codec", "hex", "punycode", "uu", "undefined", "unicode_escape", "cp65001", "", "\x00"]  # fmt: skip
ENCODINGS = ["7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "uuencode", "bogus", ""]
BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            "你好，订单没到".encode("gb2312"),  # mislabelled when the charset says otherwise
            b"+AGEAYgBj-",  # utf-7
            b"\xff\xfe\x00h\x00i",
            b"=E4=BD=A0=\r\n=ZZ=",
            b"begin 644 x\n#8V%T\n`\nend\n",
            b"!!!not base64===\x00",
        ]
    ),
)
ENCODED_WORDS = st.sampled_from(
    [
        "=?utf-8?b?aGkNCkJjYzogdmljdGltQHguZXhhbXBsZQ==?=",  # decodes to "hi\r\nBcc: victim@x.example"
        "=?utf-8?q?hi=0D=0ABcc:_v@x?=",
        "=?x-unknown?b?////?=",
        "=?utf-7?q?+AGE-?=",
        "=?gb2312?b?xOO6ww?=",  # missing padding
        "=?utf-8?b?@@@@?=",
        "=?utf-8?x?abc?=",
        "=??b??=",
        "=?utf-8?q?" + "=FF" * 50 + "?=",
        "=?utf-16?b?2D3YPQ==?=",  # lone surrogates
    ]
)


def mail(charset: str, encoding: str, body: bytes, subject: str) -> bytes:
    head = (
        f"From: =?{charset}?b?5byg5LyfCg==?= <zhang@example.com>\r\nTo: support@acme.example\r\n"
        f'Subject: {subject}\r\nContent-Type: text/plain; charset="{charset}"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    return head.encode("utf-8", "surrogateescape") + body


def check(raw: bytes) -> ParsedEmail | None:
    """The property: well-formed and bounded, or EmailRejected with its reason."""
    parsed = parsed_or_rejected(parse_email, raw, EmailRejected)
    if parsed is not None:
        assert_well_formed(parsed)
        assert len(parsed.subject) <= MAX_SUBJECT_CHARS and len(parsed.body_text) <= MAX_BODY_CHARS
        assert "\r" not in parsed.subject and "\n" not in parsed.subject
    return parsed


@HOSTILE
@given(st.sampled_from(CHARSETS), st.sampled_from(ENCODINGS), BODIES, ENCODED_WORDS)
def test_charsets_encodings_and_encoded_words(charset, encoding, body, subject):
    assert check(mail(charset, encoding, body, subject)) is not None


@HOSTILE
@given(st.integers(1, 400), st.sampled_from(["multipart/mixed", "multipart/alternative", "message/rfc822"]))
@example(depth=200, kind="multipart/mixed")
def test_deep_nesting_is_cut_not_recursed(depth, kind):
    if kind == "message/rfc822":  # every message/* payload is parsed as one more nested message
        level = "Content-Type: message/rfc822\r\n\r\nSubject: {i}\r\n"
    else:
        level = f'Content-Type: {kind}; boundary="b{{i}}"\r\n\r\n--b{{i}}\r\n'
    opening = "".join(level.format(i=i) for i in range(depth)).encode()
    parsed = check(b"From: a@example.com\r\nSubject: deep\r\n" + opening + b"Content-Type: text/plain\r\n\r\ninner\r\n")
    assert parsed is not None and parsed.subject == "deep"


@HOSTILE
@given(st.integers(0, 3000), st.booleans(), st.booleans())
@example(parts=3000, close=False, declare=True)
def test_thousands_of_parts_and_missing_boundaries(parts, close, declare):
    body = b"".join(b"--p\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(parts))
    boundary = b"; boundary=p" if declare else b""
    raw = b"From: a@example.com\r\nContent-Type: multipart/mixed" + boundary + b"\r\n\r\n" + body
    check(raw + (b"--p--\r\n" if close else b""))


@HOSTILE
@given(
    st.sampled_from([b"Subject", b"From", b"To", b"Content-Type", b"Message-ID", b"References", b"X-Long"]),
    st.integers(1, 300_000),
    st.sampled_from([b"x", b"\x00", b"\xff", b"=?utf-8?q?a?= ", b"a@b.c, ", b"<x@y> ", b"; a=b", b" \r\n "]),
)
@example(name=b"Subject", repeat=200_000, unit=b"=?utf-8?q?a?= ")
def test_huge_header_lines(name, repeat, unit):
    check(b"From: a@example.com\r\n" + name + b": " + unit * repeat + b"\r\n\r\nbody")


@HOSTILE
@given(st.binary(max_size=200), st.binary(max_size=200))
def test_nul_and_invalid_utf8_in_headers_and_body(header, body):
    raw = b"From: a\x00@example.com\r\nSubject: " + header.replace(b"\n", b" ") + b"\r\n\r\n" + body
    assert check(raw) is not None


def test_oversized_text_is_truncated_and_said_so():
    body = ("很长的邮件。" * 40_000).encode()  # 240 000 characters, 720 kB
    parsed = check(b"From: a@example.com\r\nSubject: " + b"s" * 100_000 + b"\r\n\r\n" + body)
    assert parsed is not None
    assert len(parsed.body_text) == MAX_BODY_CHARS and parsed.body_text.startswith("很长的邮件。")
    assert len(parsed.subject) == MAX_SUBJECT_CHARS
    assert {"body-truncated", "subject-truncated"} <= set(parsed.problems)
