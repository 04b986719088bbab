"""A non-body MIME part to a ParsedAttachment: decoded bytes, a safe filename, content id, inline flag."""

from __future__ import annotations

import re
from email.message import Message

from omnicase.email.decode_header import decode_header_value, to_bytes
from omnicase.email.decode_part import part_bytes
from omnicase.email.mime_policy import sub_messages
from omnicase.email.parsed_email import ParsedAttachment

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "text/csv": ".csv",
    "message/rfc822": ".eml",
    "message/global": ".eml",
}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")
_MAX_NAME = 200
_MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")


def build_attachment(part: Message, number: int, problems: list[str]) -> ParsedAttachment:
    """The attachment for one leaf or message/* part; `number` (1-based) names it when it has no name."""
    content_type = part.get_content_type()
    if not _MIME_TYPE.match(content_type):
        content_type = "application/octet-stream"  # it ends up as an S3 Content-Type header
    inline = _disposition(part) == "inline"
    if part.get_content_maintype() == "message":
        content = _message_bytes(part, problems)
        fallback_name = _subject_name(part, problems)
    else:
        content = part_bytes(part, problems)
        fallback_name = ""
    filename = safe_filename(_raw_filename(part, problems) or fallback_name, number, content_type)
    content_id = decode_header_value(part.get("content-id"), problems).strip().strip("<>").strip() or None
    return ParsedAttachment(filename, content_type, content, content_id, inline)


def safe_filename(name: str, number: int, content_type: str) -> str:
    """The last path component, without control or shell-hostile characters; a default when nothing is left."""
    base = re.split(r"[/\\]", name)[-1]
    base = " ".join(_UNSAFE.sub("_", base).split()).lstrip(".").strip()
    if len(base) > _MAX_NAME:
        stem, dot, extension = base.rpartition(".")
        keep_extension = dot and len(extension) < 12
        base = f"{stem[: _MAX_NAME - len(extension) - 1]}.{extension}" if keep_extension else base[:_MAX_NAME]
    if not base or set(base) <= {".", "_", " "}:
        default_extension = ".txt" if content_type.startswith("text/") else ".bin"
        return f"attachment-{number}{_EXTENSIONS.get(content_type, default_extension)}"
    return base


def is_attachment_disposition(part: Message) -> bool:
    """Content-Disposition: attachment, or a part that names a file."""
    return _disposition(part) == "attachment" or bool(_raw_filename(part, []))


def _disposition(part: Message) -> str:
    value = part.get("content-disposition")
    return str(value).split(";", 1)[0].strip().lower() if value else ""


def _raw_filename(part: Message, problems: list[str]) -> str:
    """filename / name, RFC 2231 continuations joined, RFC 2047 words and raw 8-bit bytes decoded."""
    try:
        name = part.get_filename()
    except (ValueError, TypeError, IndexError, LookupError):
        problems.append("bad-filename-parameter")
        return ""
    return decode_header_value(name, problems) if name else ""


def _message_bytes(part: Message, problems: list[str]) -> bytes:
    inner = sub_messages(part)
    if inner:
        try:
            return inner[0].as_bytes()
        except Exception:  # the generator chokes on some broken trees: keep what can be kept
            problems.append("unserializable-attached-message")
        try:
            return to_bytes(inner[0].as_string())
        except Exception:
            return b""
    return part_bytes(part, problems)


def _subject_name(part: Message, problems: list[str]) -> str:
    inner = sub_messages(part)
    if inner:
        subject = decode_header_value(inner[0].get("subject"), problems)[:80]
        return f"{subject}.eml" if subject else ""
    return ""
