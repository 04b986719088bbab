"""A deterministic mix of inbound mails for the benchmarks: new cases, replies, Chinese, HTML, attachments."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

SUBJECTS = ["Printer shows E-42", "Refund for order {n}", "Invoice {n} is wrong", "Cannot log in", "Delivery late"]
CHINESE = ["订单{n}的发票有误", "打印机无法连接无线网络", "退款申请：订单{n}", "账号无法登录"]


def bench_mails(count: int, seed: int = 7) -> list[bytes]:
    """`count` raw mails: about 55% new English, 20% new Chinese (GB18030), 10% HTML-only, 15% replies."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    sent_ids: list[str] = []
    mails = []
    for n in range(count):
        mail = EmailMessage()
        sender = f"customer{rng.randrange(count // 3 + 1)}@example.com"
        mail["From"] = sender
        mail["To"] = "support@acme.example"
        mail["Date"] = format_datetime(start + timedelta(seconds=n))
        message_id = f"bench-{seed}-{n}@example.com"
        mail["Message-ID"] = f"<{message_id}>"
        roll = rng.random()
        if roll < 0.15 and sent_ids:
            parent = rng.choice(sent_ids)
            mail["Subject"] = "Re: " + SUBJECTS[n % len(SUBJECTS)].format(n=n)
            mail["In-Reply-To"] = f"<{parent}>"
            mail["References"] = f"<{parent}>"
            mail.set_content(f"Any news on this?\n\nOn Monday you wrote:\n> We are looking into it.\n> ref {n}\n")
        elif roll < 0.35:
            mail["Subject"] = CHINESE[n % len(CHINESE)].format(n=n)
            mail.set_content(f"您好，\n\n订单{n}出现问题，请尽快处理。\n\n谢谢！\n", charset="gb18030")
        elif roll < 0.45:
            mail["Subject"] = SUBJECTS[n % len(SUBJECTS)].format(n=n)
            mail.set_content(
                f"<html><body><p>Hello,</p><p>order <b>{n}</b> arrived damaged.</p></body></html>", subtype="html"
            )
        else:
            mail["Subject"] = SUBJECTS[n % len(SUBJECTS)].format(n=n)
            mail.set_content(
                f"Hello,\n\nmy order {n} has a problem: " + "details " * rng.randrange(5, 60) + "\n\nThanks\n"
            )
            if rng.random() < 0.1:
                mail.add_attachment(
                    bytes(rng.randrange(256) for _ in range(2048)),
                    maintype="application",
                    subtype="pdf",
                    filename=f"invoice-{n}.pdf",
                )
        sent_ids.append(message_id)
        mails.append(bytes(mail))
    return mails
