"""Every corpus mail: decoded subject, sender, body phrase, preview without history, kind and problems."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from omnicase.email.parsed_email import MailKind

from .corpus import mail_names, parsed


@dataclass(frozen=True)
class Expect:
    subject: str
    sender: str | None
    body: str  # a phrase of body_text
    preview_lacks: str = ""  # quoted history that must not reach the preview
    kind: MailKind = MailKind.HUMAN
    html_only: bool = False
    name: str | None = None  # decoded display name of From, when worth checking
    problems: tuple[str, ...] = ()  # problems that must be recorded


H, A, B, L, BULK = MailKind.HUMAN, MailKind.AUTO_REPLY, MailKind.BOUNCE, MailKind.LOOP, MailKind.BULK

EXPECTED: dict[str, Expect] = {
    "alternative_empty_plain_uses_html.eml": Expect(
        "Warranty question", "ivy@example.com", "covered by the two-year warranty?", html_only=True
    ),
    "alternative_html_only_bogus_cte.eml": Expect(
        "Re: Your quote",
        "jack@example.com",
        "We accept the quote for 3 printers.\nPlease send the contract.",
        html_only=True,
        problems=("unknown-transfer-encoding:text/html",),
    ),
    "alternative_tracking_pixel.eml": Expect(
        "Delivery address change", "henry@example.com", "Please deliver order 100-9911 to my office"
    ),
    "autoreply_auto_submitted_arabic.eml": Expect(
        "أهلين عميلنا الكريم", "store@example.com", "شكرا لرسالتك", kind=A, name="متجر سوق نت"
    ),
    "autoreply_chinese_zidonghuifu.eml": Expect(
        "自动回复: 打印机无法联网", "liu.yang@example.com", "我正在休假", kind=A, name="刘洋"
    ),
    "autoreply_suppress_oof.eml": Expect("Re: Toner order", "responder@example.com", "travelling", kind=A),
    "autoreply_vacation_subject_only.eml": Expect(
        "Out of Office: Re: [#K3M9QX2A7B] Printer broken", "responder@example.com", "on vacation", kind=A
    ),
    "autoreply_x_autoreply.eml": Expect("Re: Your ticket", "responder@example.com", "has been received", kind=A),
    "autoreply_x_autorespond.eml": Expect(
        "We got your message", "responder@example.com", "automatic confirmation", kind=A
    ),
    "autoreply_x_loop.eml": Expect("Ticket received", "responder@example.com", "logged in our helpdesk", kind=A),
    "bad_base64_body.eml": Expect(
        "Broken encoding", "quinn@example.com", "The display flickers when printing.", problems=("bad-base64",)
    ),
    "big5_hkscs_subject_body.eml": Expect(
        "打印機故障", "chan.taiman@example.com", "部打印機啱啱壞咗，顯示錯誤代碼 E-42", name="陳大文"
    ),
    "bounce_gmail_non_dsn.eml": Expect(
        "Delivery Status Notification (Failure)", "mailer-daemon@googlemail.example", "failed permanently", kind=B
    ),
    "bounce_office365_ndr.eml": Expect(
        "Undeliverable: [#M1N2B3V4C5] Your repair appointment",
        "postmaster@contoso.example",
        "Recipient not found by SMTP address lookup",
        kind=B,
    ),
    "bounce_postfix_multi_recipient.eml": Expect(
        "Undelivered Mail Returned to Sender", "mailer-daemon@mail.example.net", "could not\nbe delivered", kind=B
    ),
    "bounce_qmail_failure_notice.eml": Expect(
        "failure notice", "mailer-daemon@mx.example.org", "no mailbox here by that name", kind=B
    ),
    "bounce_rfc3464_dsn_rfc822.eml": Expect(
        "Returned mail: see transcript for details", "mailer-daemon@mx.example.com", "User unknown", kind=B
    ),
    "bounce_sendmail_rfc822_headers.eml": Expect(
        "Returned mail: see transcript for details",
        "mailer-daemon@relay.example.net",
        "Unknown E-Mail Address",
        preview_lacks="scanned for viruses",
        kind=B,
    ),
    "euckr_partial_subject_mbox.eml": Expect(
        'Re: Order: "주문" mid "배송" tail',
        "minsu@example.com",
        "주문한 토너가 아직 도착하지 않았습니다",
        name="김민수",
    ),
    "forwarded_message_rfc822_attachment.eml": Expect(
        "Fwd: Order confirmation 100-5555", "mia@example.com", "I ordered 2 not 20", preview_lacks="Quantity: 20"
    ),
    "gb18030_four_byte_chars.eml": Expect(
        "退款 €25 😀 已收到", "ma.li@example.com", "退款 €25 已收到，谢谢 😀", name="马丽"
    ),
    "gb2312_subject_8bit_body.eml": Expect(
        "发票抬头需要修改", "zhao.min@example.com", "请把发票抬头改为北京示例科技有限公司", name="赵敏"
    ),
    "html_only_script_style.eml": Expect(
        "Screen stays black",
        "grace@example.com",
        "The screen of my LaserBox 300 stays black after power-on.",
        preview_lacks="never run",
        html_only=True,
    ),
    "iso2022jp_folded_subject.eml": Expect(
        "Re: ORDER 注文の確認", "atsushi@example.com", "注文番号は１２３４５です", name="Atsushi Example"
    ),
    "iso_8859_15_euro.eml": Expect("Rückerstattung 25 €", "jan@example.com", "25 € für die beschädigte Lieferung"),
    "iso_8859_1_qp_cp1252_euro.eml": Expect(
        "Je prépare mon été - facture", "helene@example.com", "la facture de 49 € est arrivée", name="Hélène Dupont"
    ),
    "iso_8859_2_polish.eml": Expect(
        "Zażółć gęślą jaźń", "lukasz@example.com", "Dzień dobry, drukarka nie działa", name="Łukasz Kowalski"
    ),
    "japanese_rfc2231_long_filename.eml": Expect(
        "まみむめもまみむめもまみむめもまみむめもまみむめも", "mikio@example.com", "See the attached list."
    ),
    "mailing_list_newsletter.eml": Expect(
        "Je prépare mon été zéro complexe !", "news@lists.example.com", "trois imprimantes testées", kind=BULK
    ),
    "mislabelled_gb2312_body_is_utf8.eml": Expect(
        "咨询打印机维修价格",
        "peng@example.com",
        "请问维修激光打印机的定影器需要多少钱",
        name="彭先生",
        problems=("mislabelled-charset:gb2312",),
    ),
    "missing_final_boundary.eml": Expect(
        "Truncated upload",
        "paul@example.com",
        "The body survives even though the closing boundary is missing.",
        problems=("missing-final-boundary",),
    ),
    "mixed_pdf_and_image.eml": Expect("Invoice and photo", "kate@example.com", "photo of the damaged box"),
    "no_from_header.eml": Expect("Where is my order?", None, "Order 100-4321 has not arrived yet."),
    "outlook_express_gbk_raw_filename.eml": Expect("绩效管理,究竟谁错了", "zhou.jie@example.com", "", name="周杰"),
    "own_loop_header.eml": Expect(
        "[#K3M9QX2A7B] We received your request", "support@acme.example", "we received your request", kind=L
    ),
    "plus_address_case_token.eml": Expect("Another photo of the error", "dan@example.com", "E-42"),
    "raw_utf8_headers.eml": Expect(
        "Drucker druckt nur leere Seiten – dringend", "zoe@example.com", "nur leere Seiten", name="Zoë Müller"
    ),
    "related_inline_image_and_forwarded_eml.eml": Expect(
        "Fwd: label printout",
        "leo@example.com",
        "The label prints like this:",
        preview_lacks="new label template",
        html_only=True,
    ),
    "reply_foxmail_gb2312_label_gbk_chars.eml": Expect(
        "回复: 內應力產生与注塑工艺",
        "wang.fang@example.com",
        "附件是內應力產生的测试报告",
        preview_lacks="请提供测试报告",
        name="王芳",
    ),
    "reply_gmail_token_subject.eml": Expect(
        "Re: [#K3M9QX2A7B] Printer broken",
        "ann@example.com",
        "please install driver 4.2",  # body_text keeps the quoted history
        preview_lacks="install driver",
        name="Ann Example",
    ),
    "reply_netease_gbk_yu_xiedao.eml": Expect(
        "Re: 固件升级问题", "li.lei@example.com", "问题已经解决", preview_lacks="固件版本", name="李雷"
    ),
    "reply_outlook_from_sent_block_html.eml": Expect(
        "RE: Toner cartridge order",
        "carla@example.com",
        "ship the black cartridge",
        preview_lacks="Which colour",
        html_only=True,
    ),
    "reply_outlook_original_message.eml": Expect(
        "RE: [#Q7W2E9R4T6] Refund request",
        "bob@example.com",
        "invoice you asked for – thanks",
        preview_lacks="invoice number",
        name="Example, Bob",
    ),
    "reply_qq_gb18030_original_mail.eml": Expect(
        "回复：[#K3M9QX2A7B] 打印机无法联网",
        "zhang.wei@example.com",
        "打印机现在可以联网了",
        preview_lacks="请重启路由器",
        name="张伟",
    ),
    "shift_jis_cp932_chars.eml": Expect(
        "プリンタの不具合①", "takahashi@example.com", "①番のトレイが動きません。髙橋", name="髙橋 一郎"
    ),
    "unknown_charset_label.eml": Expect(
        "Hello thereTEST",  # RFC 2047: whitespace between adjacent encoded words is dropped
        "olga@example.com",
        "Die Trommel ist kaputt äöü",
        problems=("unknown-charset:x-klingon-8bit",),
    ),
    "utf8_chinese_qp.eml": Expect("账户无法登录", "sun@example.com", "重置邮件一直收不到", name="孙悟空"),
}


def test_every_corpus_mail_has_an_expectation():
    assert sorted(EXPECTED) == mail_names()
    assert len(mail_names()) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_mail_decodes(name: str):
    # Given a corpus mail and what a person reading it sees
    expected = EXPECTED[name]
    # When it is parsed
    mail = parsed(name)
    # Then subject, sender, text, kind and problems are what a reader would say
    assert mail.subject == expected.subject
    assert mail.from_address == expected.sender
    assert expected.body in mail.body_text
    assert mail.kind is expected.kind
    assert mail.html_only is expected.html_only
    if expected.name is not None:
        assert mail.from_name == expected.name
    for problem in expected.problems:
        assert problem in mail.problems
    if expected.preview_lacks:
        assert expected.preview_lacks not in mail.preview
    assert len(mail.preview) <= 500
    assert "\ufffd" not in mail.subject + mail.body_text


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if not e.problems))
def test_clean_mails_report_no_problems(name: str):
    assert parsed(name).problems == ()
