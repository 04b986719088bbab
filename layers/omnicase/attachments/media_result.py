"""What fetching a customer's media gives: the bytes, or a refusal for good — apart from the HTTP client, so that
the change-feed function decides which messages have media to fetch without importing urllib and ssl (cold start)."""

from __future__ import annotations

from dataclasses import dataclass


class MediaRefused(Exception):
    """A file we will not store, for good: a refused URL, a 4xx, too large, a refused type. Recorded, not retried."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class Downloaded:
    content_type: str
    data: bytes
