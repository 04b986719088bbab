"""The pages of the "this answered my question" link: confirm, thanks, and why a link takes no answer."""

from __future__ import annotations

from html import escape

from omnicase.kb.help_pages import html_document

TEXTS = {
    "en": {
        "confirm.title": "Did this answer your question?",
        "confirm": "If the article answered your question, we close case {case_id} — no need to wait for us.",
        "button": "Yes, it answered my question",
        "thanks.title": "Glad it helped",
        "thanks": "Case {case_id} is solved. Just write to us if you need anything else.",
        "invalid.title": "This link is not valid",
        "invalid": "Please use the link from the message we sent you.",
        "expired.title": "This link has expired",
        "expired": "Write to us again if you still need help.",
        "used.title": "This case is already solved",
        "used": "Nothing more to do — write to us if you still need help.",
        "unavailable.title": "Something went wrong",
        "unavailable": "Please try again later.",
    },
    "zh": {
        "confirm.title": "这篇文章解决您的问题了吗？",
        "confirm": "如果文章已解决您的问题，我们将关闭工单 {case_id}，您无需再等待回复。",
        "button": "是的，问题已解决",
        "thanks.title": "很高兴帮到您",
        "thanks": "工单 {case_id} 已解决。如有其他问题，欢迎随时联系我们。",
        "invalid.title": "链接无效",
        "invalid": "请使用我们发给您的消息中的链接。",
        "expired.title": "链接已过期",
        "expired": "如仍需帮助，请再次联系我们。",
        "used.title": "工单已解决",
        "used": "无需其他操作；如仍需帮助，请联系我们。",
        "unavailable.title": "出错了",
        "unavailable": "请稍后再试。",
    },
}


def _texts(language: str | None) -> tuple[str, dict[str, str]]:
    lang = "zh" if (language or "").startswith("zh") else "en"
    return lang, TEXTS[lang]


def confirm_page(language: str | None, case_id: str, article_title: str | None) -> str:
    lang, text = _texts(language)
    article = f"<p><strong>{escape(article_title)}</strong></p>" if article_title else ""
    body = (
        f"<h1>{escape(text['confirm.title'])}</h1>{article}<p>{escape(text['confirm'].format(case_id=case_id))}</p>"
        f'<form method="post"><button type="submit">{escape(text["button"])}</button></form>'
    )
    return html_document(lang, text["confirm.title"], body, index=False)


def thanks_page(language: str | None, case_id: str) -> str:
    lang, text = _texts(language)
    body = f"<h1>{escape(text['thanks.title'])}</h1><p>{escape(text['thanks'].format(case_id=case_id))}</p>"
    return html_document(lang, text["thanks.title"], body, index=False)


def refused_page(language: str | None, reason: str) -> str:
    lang, text = _texts(language)
    key = reason if reason in ("invalid", "expired", "used", "unavailable") else "invalid"
    body = f"<h1>{escape(text[f'{key}.title'])}</h1><p>{escape(text[key])}</p>"
    return html_document(lang, text[f"{key}.title"], body, index=False)
