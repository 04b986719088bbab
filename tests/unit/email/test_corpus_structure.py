"""Corpus mails: threading ids, addresses, dates, attachments, bounce analysis, selected headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from omnicase.domain.case_token import token_in_plus_address, tokens_in_subject

from .corpus import parsed, raw


def test_reply_ids_are_bare_deduplicated_and_ordered():
    mail = parsed("reply_gmail_token_subject.eml")
    assert mail.message_id == "CAF=ann.reply.1@mail.example.com"
    assert mail.in_reply_to == ("case-K3M9QX2A7B.1@acme.example",)
    assert mail.references == ("CAF=ann.first@mail.example.com", "case-K3M9QX2A7B.1@acme.example")
    assert tokens_in_subject(mail.subject) == ("K3M9QX2A7B",)


def test_junk_and_comments_in_threading_headers_are_ignored():
    mail = parsed("reply_outlook_original_message.eml")
    assert mail.in_reply_to == ("case-Q7W2E9R4T6.2@acme.example",)
    assert mail.references == ("case-Q7W2E9R4T6.1@acme.example", "case-Q7W2E9R4T6.2@acme.example")


def test_duplicate_in_reply_to_ids_collapse():
    assert parsed("autoreply_auto_submitted_arabic.eml").in_reply_to == ("case-R4T6Y8U2I4.1@acme.example",)


def test_plus_address_is_kept_lower_case_for_token_lookup():
    mail = parsed("plus_address_case_token.eml")
    assert mail.to == ("support+k3m9qx2a7b@acme.example",)
    assert mail.cc == ("eve@example.com", "frank@example.com")
    assert token_in_plus_address(mail.to[0], ("support@acme.example",)) == "K3M9QX2A7B"


def test_dates_are_timezone_aware():
    assert parsed("reply_qq_gb18030_original_mail.eml").date == datetime(
        2026, 11, 2, 18, 5, 10, tzinfo=timezone(timedelta(hours=8))
    )
    assert parsed("missing_final_boundary.eml").date is None
    assert parsed("bounce_gmail_non_dsn.eml").date == datetime(2026, 11, 13, 23, 24, 28, tzinfo=UTC)


def test_pdf_and_image_attachments_keep_bytes_and_lose_paths():
    attachments = parsed("mixed_pdf_and_image.eml").attachments
    assert [(a.filename, a.content_type) for a in attachments] == [
        ("invoice-100-7788.pdf", "application/pdf"),
        ("box photo.png", "image/png"),
        ("attachment-3.bin", "application/octet-stream"),
    ]
    assert attachments[0].content.startswith(b"%PDF-1.4") and attachments[0].size == 125
    assert attachments[1].content.startswith(b"\x89PNG\r\n\x1a\n")
    assert attachments[2].content == b"no name at all"
    assert not any(a.inline for a in attachments)


def test_inline_image_and_forwarded_message_become_attachments():
    image, forwarded = parsed("related_inline_image_and_forwarded_eml.eml").attachments
    assert (image.filename, image.content_id, image.inline) == ("label.png", "label-photo@example.com", True)
    assert image.content.startswith(b"\x89PNG")
    assert forwarded.filename == "Label template v2.eml"
    assert forwarded.content_type == "message/rfc822"
    assert b"Message-ID: <warehouse-label-2@example.com>" in forwarded.content


def test_forwarded_eml_keeps_its_filename_and_is_not_the_body():
    mail = parsed("forwarded_message_rfc822_attachment.eml")
    assert [a.filename for a in mail.attachments] == ["Order confirmation.eml"]
    assert b"Quantity: 20 toner cartridges." in mail.attachments[0].content
    assert "Quantity" not in mail.body_text


def test_rfc2231_japanese_filename_is_joined_and_decoded():
    (attachment,) = parsed("japanese_rfc2231_long_filename.eml").attachments
    assert attachment.filename == "かきくけこかきくけこかきくけこかきくけこかきくけこ.txt"
    assert attachment.content == b"this is the data"


def test_outlook_express_raw_gbk_filename_decodes_and_empty_text_gives_empty_body():
    mail = parsed("outlook_express_gbk_raw_filename.eml")
    assert [a.filename for a in mail.attachments] == ["销售报表（2026）.xls"]
    assert mail.attachments[0].content == b"fake xls bytes"
    assert mail.body_text == "" and mail.preview == ""


def test_alternative_bodies_are_not_attachments():
    for name in ("alternative_tracking_pixel.eml", "reply_outlook_original_message.eml"):
        assert parsed(name).attachments == ()
    assert "tracking.example.com" not in parsed("alternative_tracking_pixel.eml").body_text


def test_rfc3464_bounce_names_our_message_and_recipient():
    mail = parsed("bounce_rfc3464_dsn_rfc822.eml")
    assert mail.bounced_message_ids == ("case-K3M9QX2A7B.ack@acme.example",)
    assert mail.failed_recipients == ("nobody@example.com",)


def test_headers_only_original_gives_the_bounced_id():
    mail = parsed("bounce_sendmail_rfc822_headers.eml")
    assert mail.bounced_message_ids == ("case-P2L8M4N6B3.7@acme.example",)
    assert mail.failed_recipients == ("edwin@example.org",)


def test_postfix_bounce_lists_only_failed_recipients():
    mail = parsed("bounce_postfix_multi_recipient.eml")
    assert mail.bounced_message_ids == ("case-Z9X8C7V6B5.2@acme.example",)
    assert mail.failed_recipients == ("first.gone@example.com", "second.gone@example.com")


def test_office365_ndr():
    mail = parsed("bounce_office365_ndr.eml")
    assert mail.bounced_message_ids == ("case-M1N2B3V4C5.1@acme.example",)
    assert mail.failed_recipients == ("pat@contoso.example",)


def test_non_dsn_bounces_use_the_quoted_message_id_and_header():
    gmail = parsed("bounce_gmail_non_dsn.eml")
    assert gmail.bounced_message_ids == ("case-Q7W2E9R4T6.9@acme.example",)
    assert gmail.failed_recipients == ("typo@exmaple.com",)
    qmail = parsed("bounce_qmail_failure_notice.eml")
    assert qmail.bounced_message_ids == ("case-H5J7K9L2M4.4@acme.example",)


def test_forwarded_message_in_a_human_mail_is_not_a_bounce():
    mail = parsed("forwarded_message_rfc822_attachment.eml")
    assert mail.bounced_message_ids == () and mail.failed_recipients == ()


def test_selected_headers_are_decoded_with_lower_case_names():
    assert parsed("own_loop_header.eml").headers == {
        "auto-submitted": "auto-replied",
        "x-omnicase-loop": "1",
        "x-omnicase-case": "K3M9QX2A7B",
    }
    assert parsed("mailing_list_newsletter.eml").headers["list-id"] == "Printer News <printer-news.lists.example.com>"
    assert parsed("bounce_gmail_non_dsn.eml").headers["return-path"] == "<>"


def test_raw_8bit_utf8_recipient_survives():
    assert parsed("mislabelled_gb2312_body_is_utf8.eml").to == ("supportü@acme.example",)


def test_foxmail_fixture_really_carries_gbk_only_bytes():
    # Given a body labelled gb2312 that strict GB2312 cannot decode (the GBK superset trick)
    body = raw("reply_foxmail_gb2312_label_gbk_chars.eml").split(b"\n\n", 1)[1]
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    # Then the parser still reads it, through GB18030
    assert "內應力產生" in parsed("reply_foxmail_gb2312_label_gbk_chars.eml").body_text
