"""What customers read from us — acknowledgements and progress notices — by channel and language, from the
tenant's templates or the defaults here; pure.

Placeholders: {tenant} {case_id} {name} {subject} {expected_reply}. Short channels (SMS, WeChat, chat) get one
line: an SMS segment holds 70 Chinese characters, and the case number is what the customer needs.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from omnicase.domain.channel_traits import TextShape, traits_of

KINDS = (
    "acknowledgement",
    "notice_open",
    "notice_pending",
    "notice_solved",
    "notice_fixed",
    "survey",
    "survey_reminder",
)
LANGUAGES = ("en", "zh")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

DEFAULTS: dict[tuple[str, str, str], str] = {
    ("acknowledgement", "email", "en"): (
        "Hello{name},\n\nwe have received your message and opened case {case_id}. {expected_reply}\n"
        "Please keep the case number in the subject when you write to us about it.\n\n{tenant}\n"
    ),
    ("acknowledgement", "email", "zh"): (
        "{name}您好：\n\n我们已收到您的来信，工单号 {case_id}。{expected_reply}\n"
        "如需补充信息，请直接回复本邮件并保留主题中的工单号。\n\n{tenant}\n"
    ),
    ("acknowledgement", "short", "en"): "{tenant}: we received your message (case {case_id}). {expected_reply}",
    ("acknowledgement", "short", "zh"): "{tenant}：已收到您的消息（工单 {case_id}）。{expected_reply}",
    ("notice_open", "email", "en"): (
        "Hello{name},\n\nyour case {case_id} is now being handled by our team.\n\n{tenant}\n"
    ),
    ("notice_open", "email", "zh"): "{name}您好：\n\n您的工单 {case_id} 正在处理中。\n\n{tenant}\n",
    ("notice_open", "short", "en"): "{tenant}: your case {case_id} is being handled.",
    ("notice_open", "short", "zh"): "{tenant}：您的工单 {case_id} 正在处理中。",
    ("notice_pending", "email", "en"): (
        "Hello{name},\n\nwe need something from you to go on with case {case_id}: please reply to this message.\n\n"
        "{tenant}\n"
    ),
    ("notice_pending", "email", "zh"): (
        "{name}您好：\n\n工单 {case_id} 需要您补充信息，请直接回复本邮件。\n\n{tenant}\n"
    ),
    ("notice_pending", "short", "en"): "{tenant}: we are waiting for your reply on case {case_id}.",
    ("notice_pending", "short", "zh"): "{tenant}：工单 {case_id} 等待您的回复。",
    ("notice_solved", "email", "en"): (
        "Hello{name},\n\nwe have solved case {case_id}. If anything is still wrong, just reply and it reopens.\n\n"
        "{tenant}\n"
    ),
    ("notice_solved", "email", "zh"): (
        "{name}您好：\n\n工单 {case_id} 已解决。如仍有问题，直接回复即可重新打开。\n\n{tenant}\n"
    ),
    ("notice_solved", "short", "en"): "{tenant}: case {case_id} is solved. Reply if anything is still wrong.",
    ("notice_solved", "short", "zh"): "{tenant}：工单 {case_id} 已解决，如有问题请直接回复。",
    ("notice_fixed", "email", "en"): (
        "Hello{name},\n\ngood news: the problem you reported in case {case_id} is fixed.\n{note}\n\n{tenant}\n"
    ),
    ("notice_fixed", "email", "zh"): "{name}您好：\n\n您在工单 {case_id} 中反馈的问题已修复。\n{note}\n\n{tenant}\n",
    ("notice_fixed", "short", "en"): "{tenant}: the problem you reported (case {case_id}) is fixed. {note}",
    ("notice_fixed", "short", "zh"): "{tenant}：您反馈的问题（工单 {case_id}）已修复。{note}",
    # Surveys: {links} is one line per score 1-5 (email), {page} the survey page; short channels answer with a digit.
    ("survey", "email", "en"): (
        "Hello{name},\n\nhow did we do on case {case_id}? One click rates us from 1 (very poor) to 5 (excellent):\n\n"
        "{links}\n\nTell us more: {page}\n\n{tenant}\n"
    ),
    ("survey", "email", "zh"): (
        "{name}您好：\n\n您对工单 {case_id} 的服务满意吗？点击下方链接评分，1（非常不满意）到 5（非常满意）：\n\n"
        "{links}\n\n更多意见：{page}\n\n{tenant}\n"
    ),
    ("survey", "short", "en"): "{tenant}: how did we do on case {case_id}? Reply with a number 1-5 (5 = excellent).",
    ("survey", "short", "zh"): "{tenant}：您对工单 {case_id} 的服务满意吗？请回复数字 1-5（5 为非常满意）。",
    ("survey_reminder", "email", "en"): (
        "Hello{name},\n\na reminder: we would like to know how we did on case {case_id}. "
        "One click rates us from 1 (very poor) to 5 (excellent):\n\n{links}\n\nTell us more: {page}\n\n{tenant}\n"
    ),
    ("survey_reminder", "email", "zh"): (
        "{name}您好：\n\n提醒：期待您对工单 {case_id} 的服务评价。"
        "点击下方链接评分，1（非常不满意）到 5（非常满意）：\n\n{links}\n\n更多意见：{page}\n\n{tenant}\n"
    ),
    ("survey_reminder", "short", "en"): (
        "{tenant}: a reminder - how did we do on case {case_id}? Reply with a number 1-5 (5 = excellent)."
    ),
    ("survey_reminder", "short", "zh"): "{tenant}：提醒您评价工单 {case_id} 的服务，请回复数字 1-5（5 为非常满意）。",
}
_EXPECTED = {
    "en": ("We will reply by {when}.", "We will reply as soon as possible."),
    "zh": ("我们将在 {when} 前回复您。", "我们会尽快回复您。"),
}


def detect_language(text: str) -> str:
    """zh when the customer writes Chinese (a share of CJK characters), else en."""
    sample = text[:2000]
    letters = sum(1 for ch in sample if ch.isalpha())
    return "zh" if letters and len(_CJK.findall(sample)) * 5 >= letters else "en"


def expected_reply_text(language: str, due_at: datetime | None, time_zone: str) -> str:
    """When the customer can expect an answer, in their own time zone; vague when there is no deadline."""
    sure, vague = _EXPECTED.get(language, _EXPECTED["en"])
    if due_at is None:
        return vague
    local = due_at.astimezone(ZoneInfo(time_zone))
    when = local.strftime("%Y-%m-%d %H:%M") if language == "zh" else local.strftime("%a %d %b %H:%M")
    return sure.format(when=f"{when} {local.tzname()}")


def render(
    kind: str,
    channel: str,
    language: str,
    values: Mapping[str, str],
    templates: Mapping[str, str] | None = None,
) -> str:
    """The text of `kind` for a channel and language: the tenant's template ("kind.channel.language", or
    "kind.short.language" for SMS / WeChat / chat) when set, else the default; unknown placeholders stay as written.
    A channel whose texts another carries (phone → sms) reads that channel's texts: they are what the customer gets."""
    channel = traits_of(channel).text_by or channel
    shape = traits_of(channel).text_shape.value
    language = language if language in LANGUAGES else "en"
    own = templates or {}
    text = own.get(f"{kind}.{channel}.{language}") or own.get(f"{kind}.{shape}.{language}")
    text = text or DEFAULTS.get((kind, shape, language)) or DEFAULTS[(kind, shape, "en")]
    return string.Formatter().vformat(text, (), _Lenient(values)).strip() + ("\n" if shape == TextShape.MAIL else "")


class _Lenient(dict[str, str]):
    """Format values where a tenant's template may name a placeholder we do not have."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
