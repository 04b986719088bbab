"""Why a chat request could not be taken in; the edge maps `reason` to a 4xx."""

from __future__ import annotations


class ChatRejected(Exception):
    """A chat request we refuse; `reason` is malformed, too-large, bad-signature, missing-signature or stale."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason
