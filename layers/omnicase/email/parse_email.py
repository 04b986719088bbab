"""Raw RFC 5322 / MIME bytes to a ParsedEmail: decoded, classified, bounce-analysed, never raising on junk."""

from __future__ import annotations

from email.message import Message

from omnicase.email.classify_email import MailSignals, classify_email
from omnicase.email.decode_header import decode_header_value
from omnicase.email.defuse_mime import MAX_PARTS, defuse_mime
from omnicase.email.errors import EmailTooLarge, NotAnEmail
from omnicase.email.find_bounced_message import BounceDetails, find_bounced_message
from omnicase.email.html_to_text import html_to_text
from omnicase.email.mime_policy import first_headers, parse_message_bytes, parts_outside_attached_messages
from omnicase.email.parse_addresses import addresses_only, parse_addresses
from omnicase.email.parse_mail_date import parse_mail_date
from omnicase.email.parse_message_ids import first_message_id, parse_message_ids
from omnicase.email.parsed_email import MailKind, ParsedEmail
from omnicase.email.select_body_parts import BodyParts, select_body_parts
from omnicase.email.sniff_email import looks_like_email, strip_preamble
from omnicase.email.strip_quoted_history import make_preview

MAX_EMAIL_BYTES = 10 * 1024 * 1024
# A message item must stay well under DynamoDB's 400 KB even in 3-byte CJK; the raw mail in S3 keeps the rest.
MAX_BODY_CHARS = 60_000
MAX_SUBJECT_CHARS = 998  # RFC 5322's line limit: anything longer is junk, not a subject
KEPT_HEADERS = (
    "auto-submitted",
    "precedence",
    "list-id",
    "x-omnicase-loop",
    "x-omnicase-case",
    "return-path",
    "delivered-to",
)


def parse_email(raw: bytes, *, max_bytes: int = MAX_EMAIL_BYTES) -> ParsedEmail:
    """Parse one raw mail; raises EmailTooLarge or NotAnEmail, records every other problem in `problems`."""
    if len(raw) > max_bytes:
        raise EmailTooLarge(f"{len(raw)} bytes, the limit is {max_bytes}")
    raw = strip_preamble(raw)
    if not looks_like_email(raw):
        raise NotAnEmail("no RFC 5322 header block")
    defused, problems = defuse_mime(raw)
    try:
        message = parse_message_bytes(defused)
    except RecursionError:  # defuse_mime's estimate missed a nesting trick; keep the headers at least
        problems.append("mime-too-deep")
        message = parse_message_bytes(defused.split(b"\n\n", 1)[0] + b"\n\n")
    headers = first_headers(message)
    decoded = {name: decode_header_value(value, []) for name, value in headers.items()}
    subject = _bounded(decode_header_value(headers.get("subject"), problems), MAX_SUBJECT_CHARS, "subject", problems)
    senders = parse_addresses(headers.get("from"), problems)
    body = select_body_parts(message, problems)
    body_text, html_only = _body_text(body)
    body_text = _bounded(body_text, MAX_BODY_CHARS, "body", problems)
    content_type = message.get_content_type()
    report_type = str(message.get_param("report-type") or "").strip().lower()
    kind = classify_email(MailSignals(decoded, subject, body_text, content_type, report_type))
    bounce = find_bounced_message(message, body_text, problems) if kind is MailKind.BOUNCE else BounceDetails()
    in_reply_to = parse_message_ids(headers.get("in-reply-to"))
    bounced_ids = bounce.bounced_message_ids or (in_reply_to if kind is MailKind.BOUNCE else ())
    problems.extend(_defects(message))
    return ParsedEmail(
        message_id=first_message_id(headers.get("message-id")),
        in_reply_to=in_reply_to,
        references=parse_message_ids(headers.get("references")),
        from_address=senders[0][1] if senders else None,
        from_name=senders[0][0] if senders else None,
        to=addresses_only(parse_addresses(_all(message, "to"), problems)),
        cc=addresses_only(parse_addresses(_all(message, "cc"), problems)),
        reply_to=addresses_only(parse_addresses(headers.get("reply-to"), problems)),
        subject=subject,
        date=parse_mail_date(headers.get("date")),
        body_text=body_text,
        preview=make_preview(body_text),
        html_only=html_only,
        attachments=tuple(body.attachments),
        kind=kind,
        bounced_message_ids=bounced_ids,
        failed_recipients=bounce.failed_recipients,
        problems=tuple(dict.fromkeys(problems)),
        headers={name: decoded[name] for name in KEPT_HEADERS if name in decoded},
    )


def _body_text(body: BodyParts) -> tuple[str, bool]:
    """Plain text when there is any, else the HTML made text; and whether it came from HTML."""
    plain = "\n\n".join(text.strip("\n") for text in body.plain if text.strip())
    if plain:
        return plain.strip(), False
    html = "\n\n".join(filter(None, (html_to_text(h) for h in body.html)))
    return html.strip(), bool(html.strip())


def _bounded(text: str, limit: int, name: str, problems: list[str]) -> str:
    """The text cut to `limit` characters, with a `<name>-truncated` problem when it was cut."""
    if len(text) <= limit:
        return text
    problems.append(f"{name}-truncated")
    return text[:limit]


def _all(message: Message, name: str) -> str:
    """All occurrences of an address header joined: some senders split To over several lines."""
    return ", ".join(str(value) for key, value in message.raw_items() if key.lower() == name)


def _defects(message: Message) -> list[str]:
    """The parser's structural complaints (missing boundaries, bad headers), as kebab-case problem codes."""
    found: list[str] = []
    for part in parts_outside_attached_messages(message, MAX_PARTS):
        found.extend(_kebab(type(defect).__name__) for defect in getattr(part, "defects", ()))
    return found


def _kebab(name: str) -> str:
    name = name.removesuffix("Defect")
    if name == "CloseBoundaryNotFound":
        return "missing-final-boundary"
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")
