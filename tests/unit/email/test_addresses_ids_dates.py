"""Address, message-id and date headers under real-world junk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from omnicase.email.parse_addresses import parse_addresses
from omnicase.email.parse_mail_date import parse_mail_date
from omnicase.email.parse_message_ids import parse_message_ids


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Ann Example <Ann@Example.COM>", (("Ann Example", "ann@example.com"),)),
        ('=?utf-8?b?5byg5Lyf?= <"zhang.wei@example.com">', (("张伟", "zhang.wei@example.com"),)),
        (
            "MAILER-DAEMON@lvmail01.LL.com (Mail Delivery System)",
            (("Mail Delivery System", "mailer-daemon@lvmail01.ll.com"),),
        ),
        (
            '"Mary Smith: Personal Account" <smith@home.example>',
            (("Mary Smith: Personal Account", "smith@home.example"),),
        ),
        (
            '"=?utf-8?Q?Smith=2C_John?=" <j@example.com>, b@example.com',
            (("Smith, John", "j@example.com"), (None, "b@example.com")),
        ),
        ('"我" <>', ()),
        ("undisclosed-recipients:;", ()),
        ("", ()),
    ],
)
def test_addresses(header: str, expected: tuple):
    assert parse_addresses(header, []) == expected


@pytest.mark.parametrize(
    ("header", "ids"),
    [
        ("<a@x> <b@y>", ("a@x", "b@y")),
        ("<a@x>,\r\n\t<b@y> <a@x>", ("a@x", "b@y")),
        ("<a@x> (Ann's message of Monday)", ("a@x",)),
        ("bare@example.com", ("bare@example.com",)),
        ("Your message of Monday", ()),
        ("", ()),
    ],
)
def test_message_ids(header: str, ids: tuple):
    assert parse_message_ids(header) == ids


def test_many_references_keep_root_and_latest():
    ids = parse_message_ids(" ".join(f"<m{i}@x>" for i in range(300)))
    assert len(ids) == 100 and ids[0] == "m0@x" and ids[-1] == "m299@x"


def test_dates():
    assert parse_mail_date("Fri, 21 Nov 1997 09:55:06 -0000") == datetime(1997, 11, 21, 9, 55, 6, tzinfo=UTC)
    assert parse_mail_date("Mon, 2 Nov 2026 17:20:00 +0800").utcoffset().total_seconds() == 8 * 3600
    assert parse_mail_date("yesterday") is None
    assert parse_mail_date("Mon, 99 Foo 99999 99:99:99 +9999") is None
    assert parse_mail_date(None) is None
