"""A deterministic mix of inbound messages over every channel: new customers, follow-ups, redeliveries, auto-replies."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage

from bench.mail_corpus import bench_mails

# Share of the original (non-redelivered) messages per edge.
CHANNEL_SHARES = {"email": 0.35, "twilio": 0.20, "sns_sms": 0.10, "chat": 0.20, "wechat": 0.15}
REDELIVERY_SHARE = 0.04  # providers retry: same id again, must not become a second message
AUTO_REPLY_SHARE = 0.02  # of the mails: out-of-office answers (stored, never acknowledged)
FOLLOW_UP_SHARE = 0.4  # a sender already seen writes again (threads onto their open case)
SMS_TEXTS = ["My order {n} has not arrived", "包裹{n}还没到，请帮忙查一下", "Where is my refund for {n}?", "Wrong size"]
CHAT_TEXTS = ["Hi, the app crashes on login ({n})", "你好，订单{n}可以改地址吗？", "Is item {n} in stock?"]
WECHAT_TEXTS = ["你好，请问发票什么时候能开好？({n})", "订单{n}的物流信息没有更新", "我要退货"]


@dataclass(frozen=True)
class Send:
    """One delivery to an edge; `key` is how its stored message is found (channel + provider/Message-ID)."""

    channel: str
    key: str
    fields: dict[str, str] | bytes
    redelivery: bool = False


def mixed_traffic(total: int, seed: int = 11) -> list[Send]:
    """`total` deliveries: originals over the channel shares, then redeliveries interleaved a little later."""
    rng = random.Random(seed)
    originals = max(1, round(total * (1 - REDELIVERY_SHARE)))
    counts = {c: int(originals * share) for c, share in CHANNEL_SHARES.items()}
    counts["email"] += originals - sum(counts.values())
    per_channel = {
        "email": _mails(counts["email"], rng),
        "twilio": _sms(counts["twilio"], rng, "twilio"),
        "sns_sms": _sms(counts["sns_sms"], rng, "sns_sms"),
        "chat": _chats(counts["chat"], rng),
        "wechat": _wechat(counts["wechat"], rng),
    }
    sends = [s for channel_sends in per_channel.values() for s in channel_sends]
    rng.shuffle(sends)
    for _ in range(total - len(sends)):  # a redelivery lands 10-200 places after a random original
        original = sends[rng.randrange(len(sends) // 2 + 1)]
        at = min(len(sends), sends.index(original) + rng.randrange(10, 200))
        sends.insert(at, Send(original.channel, original.key, original.fields, redelivery=True))
    return sends


def _sender(rng: random.Random, seen: list[str], fresh: str) -> str:
    if seen and rng.random() < FOLLOW_UP_SHARE:
        return rng.choice(seen)
    seen.append(fresh)
    return fresh


def _mails(count: int, rng: random.Random) -> list[Send]:
    raws = bench_mails(count, seed=rng.randrange(1000))
    for n in rng.sample(range(count), int(count * AUTO_REPLY_SHARE)):
        raws[n] = _auto_reply(raws[n], n)
    # On the wire SMTP lines end in CRLF (smtplib sends bytes as given; aiosmtpd then sees one overlong line).
    return [Send("email", "email:" + _message_id(raw), raw.replace(b"\n", b"\r\n")) for raw in raws]


def _auto_reply(original: bytes, n: int) -> bytes:
    parent = message_from_bytes(original)
    mail = EmailMessage()
    mail["From"], mail["To"] = parent["From"], "support@acme.example"
    mail["Subject"] = f"Automatic reply: {parent['Subject']}"
    mail["Message-ID"] = f"<auto-{n}-{parent['Message-ID'].strip('<>')}>"
    mail["Auto-Submitted"] = "auto-replied"
    mail.set_content("I am out of the office until Monday.\n")
    return bytes(mail)


def _message_id(raw: bytes) -> str:
    return str(message_from_bytes(raw)["Message-ID"]).strip().strip("<>")


def _sms(count: int, rng: random.Random, channel: str) -> list[Send]:
    seen: list[str] = []
    sends = []
    for n in range(count):
        # Valid numbers only (an SMS from anything else is refused): a US exchange never starts with 0 or 1.
        us = f"+1415{rng.randrange(2 * 10**6, 10**7):07d}"
        phone = _sender(rng, seen, us if n % 3 else f"+86138{rng.randrange(10**8):08d}")
        text = SMS_TEXTS[n % len(SMS_TEXTS)].format(n=n)
        sid = f"{channel[:2].upper()}{rng.getrandbits(128):032x}"
        provider = "twilio" if channel == "twilio" else "aws"  # how sms intake prefixes each provider's id
        sends.append(Send(channel, f"sms:{provider}:{sid}", {"From": phone, "Body": text, "MessageSid": sid}))
    return sends


def _chats(count: int, rng: random.Random) -> list[Send]:
    conversations: list[str] = []
    sends = []
    for n in range(count):
        conversation = _sender(rng, conversations, f"conv-{rng.getrandbits(48):012x}")
        message_id = f"m-{n}"
        document = {
            "conversation_id": conversation,
            "message_id": message_id,
            "user_id": f"visitor-{conversation[5:]}",
            "display_name": f"Visitor {conversation[5:9]}",
            "text": CHAT_TEXTS[n % len(CHAT_TEXTS)].format(n=n),
        }
        body = json.dumps(document, ensure_ascii=False).encode()
        sends.append(Send("chat", f"chat:{conversation}:{message_id}", body))
    return sends


def _wechat(count: int, rng: random.Random) -> list[Send]:
    openids: list[str] = []
    sends = []
    for n in range(count):
        openid = _sender(rng, openids, f"oBench{rng.getrandbits(96):024x}")
        msg_id = str(24_000_000_000_000_000 + rng.randrange(10**15))
        text = WECHAT_TEXTS[n % len(WECHAT_TEXTS)].format(n=n)
        xml = (
            f"<xml><ToUserName><![CDATA[gh_acme0000001]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{1762070400 + n}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>"
        )
        sends.append(Send("wechat", f"wechat:{msg_id}", xml.encode()))
    return sends
