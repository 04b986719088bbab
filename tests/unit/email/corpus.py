"""The raw-mail corpus in tests/fixtures/emails, read as bytes and parsed once per name."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from omnicase.email.parse_email import parse_email
from omnicase.email.parsed_email import ParsedEmail

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "emails"


def raw(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@cache
def parsed(name: str) -> ParsedEmail:
    return parse_email(raw(name))


def mail_names() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.eml"))
