"""Classification from headers and text, and its precedence LOOP > BOUNCE > AUTO_REPLY > BULK > HUMAN."""

from __future__ import annotations

import pytest

from omnicase.email.parse_email import parse_email
from omnicase.email.parsed_email import MailKind


def mail(headers: str = "", subject: str = "Printer question", sender: str = "ann@example.com", body: str = "Hi"):
    raw = f"From: {sender}\nTo: support@acme.example\nSubject: {subject}\n{headers}\n{body}\n"
    return parse_email(raw.encode())


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ("", MailKind.HUMAN),
        ("Auto-Submitted: no\n", MailKind.HUMAN),
        ("Auto-Submitted: auto-replied\n", MailKind.AUTO_REPLY),
        ("Auto-Submitted: auto-generated (failure)\n", MailKind.AUTO_REPLY),
        ("X-Autoreply: yes\n", MailKind.AUTO_REPLY),
        ("X-Autorespond: Thanks\n", MailKind.AUTO_REPLY),
        ("X-Auto-Response-Suppress: All\n", MailKind.AUTO_REPLY),
        ("X-Auto-Response-Suppress: DR, OOF\n", MailKind.AUTO_REPLY),
        ("X-Auto-Response-Suppress: DR, RN\n", MailKind.HUMAN),
        ("X-Loop: helpdesk@example.com\n", MailKind.AUTO_REPLY),
        ("Precedence: bulk\n", MailKind.BULK),
        ("Precedence: junk\n", MailKind.BULK),
        ("Precedence: list\n", MailKind.BULK),
        ("List-Id: <news.example.com>\n", MailKind.BULK),
        ("List-Unsubscribe: <mailto:u@example.com>\n", MailKind.BULK),
        ("X-Failed-Recipients: gone@example.com\n", MailKind.BOUNCE),
        ("X-MS-Exchange-Message-Is-Ndr:\n", MailKind.BOUNCE),
        ("X-Omnicase-Loop: 1\n", MailKind.LOOP),
        ("Content-Type: multipart/report; report-type=delivery-status; boundary=x\n", MailKind.BOUNCE),
        ("Content-Type: multipart/report; report-type=disposition-notification; boundary=x\n", MailKind.AUTO_REPLY),
    ],
)
def test_headers_decide(headers: str, kind: MailKind):
    assert mail(headers).kind is kind


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Re: order",
        "Automatic reply: Printer",
        "Auto: away",
        "自动回复：打印机",
        "Autoreply: x",
        "AUTO-REPLY",
    ],
)
def test_vacation_subjects_are_auto_replies(subject: str):
    assert mail(subject=subject).kind is MailKind.AUTO_REPLY


def test_a_subject_mentioning_the_office_is_human():
    assert mail(subject="Re: Out of paper in the office").kind is MailKind.HUMAN


def test_mailer_daemon_needs_failure_wording():
    assert mail(sender="MAILER-DAEMON@mx.example.com", subject="Returned mail").kind is MailKind.BOUNCE
    assert mail(sender="postmaster@example.com", body="Could not be delivered").kind is MailKind.BOUNCE
    assert mail(sender="postmaster@example.com", subject="Question about your DNS").kind is MailKind.HUMAN


def test_precedence_order():
    everything = (
        "X-Omnicase-Loop: 1\nX-Failed-Recipients: a@example.com\nAuto-Submitted: auto-replied\nPrecedence: bulk\n"
    )
    assert mail(everything).kind is MailKind.LOOP
    assert mail(everything.split("\n", 1)[1]).kind is MailKind.BOUNCE
    assert (
        mail("Auto-Submitted: auto-replied\nPrecedence: bulk\nList-Id: <l.example.com>\n").kind is MailKind.AUTO_REPLY
    )
