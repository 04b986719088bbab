"""Preview: the new text only, quoted history and signatures cut, one line, at most 500 characters."""

from __future__ import annotations

import pytest

from omnicase.email.strip_quoted_history import make_preview, strip_quoted_history


@pytest.mark.parametrize(
    ("body", "new_text"),
    [
        ("Thanks!\n\nOn Mon, 2 Nov 2026 at 10:00, Acme <support@acme.example> wrote:\n> old", "Thanks!"),
        ("Thanks!\n\nOn Mon, 2 Nov 2026 at 10:00 AM Acme Support <\nsupport@acme.example> wrote:\n> old", "Thanks!"),
        ("Done.\n\n-----Original Message-----\nFrom: Acme\nSent: Monday\n\nold", "Done."),
        ("Done.\n\nFrom: Acme Support <support@acme.example>\nSent: Monday, 2 November 2026\nTo: Bob\n\nold", "Done."),
        ("Done.\n________________________________\nFrom: Acme\nDate: Monday\n\nold", "Done."),
        (
            '好的。\n\n------------------ 原始邮件 ------------------\n发件人: "Acme"<support@acme.example>;\n旧',
            "好的。",
        ),
        ('好的。\n\n在 2026-11-02 17:20:00，"Acme" <support@acme.example> 写道：\n>旧', "好的。"),
        ("好的。\nAcme <support@acme.example> 于2026年11月2日周一 下午3:00写道：\n> 旧", "好的。"),
        ("Merci.\n\nLe lun. 2 nov. 2026 à 10:00, Acme <support@acme.example> a écrit :\n> vieux", "Merci."),
        ("Answer one\n> question one\nAnswer two\n> question two", "Answer one\nAnswer two"),
        ("Regards,\nAnn\n-- \nAnn Example\n+1 555 0100", "Regards,\nAnn"),
    ],
)
def test_cuts_history(body: str, new_text: str):
    assert strip_quoted_history(body) == new_text


def test_a_from_line_without_a_header_block_is_kept():
    assert strip_quoted_history("From: my shop in Berlin\nthe toner is empty") == (
        "From: my shop in Berlin\nthe toner is empty"
    )


def test_preview_is_one_line_and_capped():
    preview = make_preview("word " * 400)
    assert len(preview) == 500 and preview.endswith("…") and "\n" not in preview


def test_preview_falls_back_to_the_body_when_all_is_quoted():
    assert make_preview("> only quoted\n> text") == "> only quoted > text"


def test_body_text_is_not_touched_by_preview():
    body = "New\n\nOn Mon, 2 Nov 2026, A <a@example.com> wrote:\n> old"
    assert make_preview(body) == "New"
    assert body.endswith("> old")
