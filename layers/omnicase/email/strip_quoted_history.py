"""The new text of a reply: quoted history, forwarded-header blocks and the signature cut off."""

from __future__ import annotations

import re

PREVIEW_CHARS = 500

_REPLY_HEADER = re.compile(
    r"^\s*(on\s.{1,300}\swrote\s*:"  # Gmail, Apple Mail, Thunderbird
    r"|le\s.{1,300}\sa\s+écrit\s*:"
    r"|am\s.{1,300}\sschrieb\s.{0,300}:"
    r"|在.{0,300}(写道|寫道)\s*[:：]"  # Foxmail, QQ Mail, NetEase
    r"|[^于]{0,200}于.{0,200}(写道|寫道)\s*[:：])\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|"
    r"原始邮件|原始郵件|原邮件|回复的原邮件)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|von|de|发件人|寄件者|發件人)\s*\*?\s*[:：]", re.IGNORECASE)
_OUTLOOK_FOLLOWER = re.compile(
    r"^\s*\*?(sent|date|to|subject|gesendet|an|betreff|envoyé|发送时间|时间|收件人|主题|日期|寄件日期|收件者|主旨)\s*\*?\s*[:：]",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE = re.compile(r"^-- ?$")
_REPLY_WORDS = ("wrote", "écrit", "schrieb", "写道", "寫道")
_MAX_MARKER_LINE = 600


def strip_quoted_history(text: str) -> str:
    """The text before the first quoted-history marker or signature, without "> " quoted lines."""
    return "\n".join(_new_lines(text.split("\n"), enough_chars=None)).strip()


def make_preview(body_text: str, limit: int = PREVIEW_CHARS) -> str:
    """The new text on one line, at most `limit` characters; the whole body when nothing is new."""
    new_text = " ".join(" ".join(_new_lines(body_text.split("\n"), enough_chars=limit * 2)).split())
    if not new_text:
        new_text = " ".join(body_text[: limit * 8].split())
    if len(new_text) <= limit:
        return new_text
    return new_text[: limit - 1].rstrip() + "…"


def _new_lines(lines: list[str], enough_chars: int | None) -> list[str]:
    """Lines up to the first cut, skipping quoted ones; stops early once `enough_chars` are collected."""
    kept: list[str] = []
    collected = 0
    for index, line in enumerate(lines):
        if _is_cut(lines, index):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
        collected += len(line.strip())
        if enough_chars is not None and collected > enough_chars:
            break
    return kept


def _is_cut(lines: list[str], index: int) -> bool:
    line = lines[index].rstrip("\r")
    if _SIGNATURE.match(line) or (line.count("-") >= 4 and _SEPARATOR.match(line)):
        return True
    if len(line) < _MAX_MARKER_LINE and _might_be_reply_header(line):
        if _REPLY_HEADER.match(line):
            return True
        # Gmail wraps long "On ... wrote:" lines; the marker then spans two lines.
        if index + 1 < len(lines) and _REPLY_HEADER.match(f"{line} {lines[index + 1].strip()}"):
            return True
    if len(line) < _MAX_MARKER_LINE and _OUTLOOK_FROM.match(line) and _outlook_block_follows(lines, index):
        return True
    return bool(_UNDERSCORES.match(line)) and _outlook_block_follows(lines, index + 1, own_line=False)


def _might_be_reply_header(line: str) -> bool:
    """A cheap test first: the full pattern backtracks, and bodies can be hostile."""
    lowered = line.lower()
    return any(word in lowered for word in _REPLY_WORDS) or lowered.lstrip().startswith(("on ", "le ", "am "))


def _outlook_block_follows(lines: list[str], index: int, own_line: bool = True) -> bool:
    """A From: line starts a quoted header block only when Sent/Date/To/Subject lines follow it."""
    window = [line for line in lines[index : index + 6] if line.strip()]
    if not own_line:
        return bool(window) and _OUTLOOK_FROM.match(window[0]) is not None and _outlook_block_follows(lines, index)
    return any(_OUTLOOK_FOLLOWER.match(line) for line in window[1:])
