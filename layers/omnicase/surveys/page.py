"""The survey page as HTML: the form, the thank-you page and the error pages — small, accessible, no JavaScript.

Every value is escaped; the page loads nothing from elsewhere (the CSP forbids it) and works in any browser.
"""

from __future__ import annotations

from html import escape

LANGUAGES = ("en", "zh")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "How did we do?",
        "legend": "How satisfied are you with how we handled case {case_id}?",
        "score.1": "Very dissatisfied",
        "score.2": "Dissatisfied",
        "score.3": "Neutral",
        "score.4": "Satisfied",
        "score.5": "Very satisfied",
        "comment": "Anything else you want to tell us? (optional)",
        "submit": "Send",
        "missing_score": "Please choose a score from 1 to 5.",
        "thanks.title": "Thank you",
        "thanks": "Thank you for your feedback.",
        "invalid.title": "This survey link is not valid",
        "invalid": "Please use the link from the message we sent you.",
        "expired.title": "This survey has expired",
        "expired": "The time to answer this survey is over.",
        "used.title": "You have already answered — thank you",
        "used": "Your answer was recorded. Each survey can be answered once.",
        "unavailable.title": "Something went wrong",
        "unavailable": "Please try again later.",
    },
    "zh": {
        "title": "您对我们的服务满意吗？",
        "legend": "您对工单 {case_id} 的处理满意吗？",
        "score.1": "非常不满意",
        "score.2": "不满意",
        "score.3": "一般",
        "score.4": "满意",
        "score.5": "非常满意",
        "comment": "其他意见（选填）",
        "submit": "提交",
        "missing_score": "请选择 1 到 5 的评分。",
        "thanks.title": "谢谢",
        "thanks": "感谢您的评价！",
        "invalid.title": "此调查链接无效",
        "invalid": "请使用我们发给您的消息中的链接。",
        "expired.title": "此调查已过期",
        "expired": "此调查的回答时间已结束。",
        "used.title": "您已经评价过了，谢谢！",
        "used": "您的评价已记录，每份调查只能回答一次。",
        "unavailable.title": "出错了",
        "unavailable": "请稍后再试。",
    },
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5;"
    "color:#1a1a1a;background:#fff}fieldset{border:1px solid #767676;padding:1rem}legend{font-weight:600}"
    "label{display:block;padding:.35rem 0}input[type=radio]{width:1.25rem;height:1.25rem;vertical-align:middle;"
    "margin-right:.5rem}textarea{width:100%;min-height:6rem;font:inherit}button{font:inherit;padding:.5rem 1.5rem;"
    "margin-top:1rem}.error{color:#a4000f;font-weight:600}:focus{outline:3px solid #005fcc;outline-offset:2px}"
)


def language_of(language: str | None) -> str:
    """One of the page's languages: "zh" for any Chinese, else English."""
    return "zh" if (language or "").lower().startswith("zh") else "en"


def form_page(
    language: str | None,
    case_id: str,
    selected: int | None = None,
    comment: str = "",
    error: bool = False,
) -> str:
    """The survey form; `selected` pre-checks a score (a link's ?score=N); `error` says the score is missing."""
    lang = language_of(language)
    text = TEXTS[lang]
    described = ' aria-describedby="score-error"' if error else ""
    error_line = f'<p id="score-error" class="error" role="alert">{escape(text["missing_score"])}</p>' if error else ""
    radios = "".join(_radio(score, text, selected) for score in range(1, 6))
    body = (
        f"<h1>{escape(text['title'])}</h1>"
        '<form method="post">'
        f"<fieldset{described}><legend>{escape(text['legend'].format(case_id=case_id))}</legend>"
        f"{error_line}{radios}</fieldset>"
        f'<p><label for="comment">{escape(text["comment"])}</label>'
        f'<textarea id="comment" name="comment" maxlength="2000" rows="5">{escape(comment)}</textarea></p>'
        f'<button type="submit">{escape(text["submit"])}</button>'
        "</form>"
    )
    return _document(lang, text["title"], body)


def thanks_page(language: str | None) -> str:
    lang = language_of(language)
    text = TEXTS[lang]
    return _document(lang, text["thanks.title"], f"<h1>{escape(text['thanks'])}</h1>")


def error_page(language: str | None, reason: str) -> str:
    """The page of a link that takes no answer: reason "invalid", "expired", "used" (or "unavailable": our fault)."""
    lang = language_of(language)
    text = TEXTS[lang]
    key = reason if reason in ("invalid", "expired", "used", "unavailable") else "invalid"
    return _document(lang, text[f"{key}.title"], f"<h1>{escape(text[f'{key}.title'])}</h1><p>{escape(text[key])}</p>")


def _radio(score: int, text: dict[str, str], selected: int | None) -> str:
    checked = " checked" if score == selected else ""
    required = " required" if score == 1 else ""  # one required radio makes the group required (no JavaScript)
    label = f"{score} – {text[f'score.{score}']}"
    return (
        f'<label for="score-{score}"><input type="radio" id="score-{score}" name="score" value="{score}"'
        f"{checked}{required}> {escape(label)}</label>"
    )


def _document(lang: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
