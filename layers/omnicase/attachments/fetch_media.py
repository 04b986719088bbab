"""Customers' media into the bucket after intake: MMS (Twilio MediaUrl), WeChat (MediaId via media/get) and chat
files (their https URL), each size-capped and type-checked.

Why a follow-up step fed by the change feed, not intake itself: intake answers the provider within its webhook
timeout (Twilio 15 s, WeChat 5 s) and must not hang on a slow media host; a provider retrying a slow webhook would
repeat the whole intake. Here a slow or failing host only delays the bytes: a transient failure (network, 5xx, 429)
is retried from the queue, a final one (a refused URL, a 4xx, too large, a refused type) is a problem recorded on
the message, which keeps the provider's URL. Never a lost message, and the intake bench does not move.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from omnicase.attachments.media_result import Downloaded, MediaRefused
from omnicase.attachments.refusal_metrics import count_refusal
from omnicase.domain.model import Attachment, Direction, Message

MAX_MEDIA_BYTES = 20 * 2**20  # Twilio MMS ≤ 5 MB, WeChat video ≤ 10 MB; a chat file past this stays a link
# What we keep: pictures, sound, video, documents. Anything else (executables, archives, HTML) stays at its URL.
FETCHED_TYPES = re.compile(r"(image|audio|video)/[\w.+-]+|application/pdf|text/(plain|csv|vcard|x-vcard)")
_UNSAFE_KEY_CHARS = re.compile(r"[^\w.\-]+", re.UNICODE)

Fetch = Callable[[Message, Attachment, int], Downloaded]  # the bytes of one attachment where its provider keeps it


class MediaFiles(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...


class MediaRecorder(Protocol):
    def record_media(self, message: Message, attachments: Sequence[Attachment], problems: Sequence[str]) -> bool: ...


def pending_media(message: Message) -> list[int]:
    """Positions of a customer's attachments still only at the provider."""
    if message.direction != Direction.INBOUND:
        return []
    return [i for i, a in enumerate(message.attachments) if not a.s3_key and (a.url or a.media_id)]


@dataclass(frozen=True)
class MediaFetcher:
    files: MediaFiles
    recorder: MediaRecorder
    fetch: Fetch
    max_bytes: int = MAX_MEDIA_BYTES

    def store(self, message: Message) -> int:
        """Fetch and record each pending attachment; how many were stored. Transient failures raise (retried)."""
        pending = pending_media(message)
        if not pending:
            return 0
        attachments, problems = list(message.attachments), []
        for index in pending:
            try:
                attachments[index] = self._stored(message, index, attachments[index])
            except MediaRefused as refused:
                problems.append(f"media-{index}-{refused.reason}")
                count_refusal("MediaFetchFailed", refused.reason, str(message.channel))
        self.recorder.record_media(message, attachments, problems)
        return len(pending) - len(problems)

    def _stored(self, message: Message, index: int, attachment: Attachment) -> Attachment:
        got = self.fetch(message, attachment, self.max_bytes)
        content_type = got.content_type.split(";", 1)[0].strip().lower()
        if content_type in ("", "application/octet-stream"):
            content_type = attachment.content_type.lower()  # what the provider declared, checked the same way
        if not FETCHED_TYPES.fullmatch(content_type):
            raise MediaRefused("type-refused", content_type)
        if not got.data:
            raise MediaRefused("empty", "no bytes")
        name = _UNSAFE_KEY_CHARS.sub("_", attachment.filename)[:120] or "media"
        key = f"attachments/{message.tenant_id}/media/{message.message_id}/{index:03d}-{name}"
        self.files.put(key, got.data, content_type)  # the same key on a redelivery: overwritten, not duplicated
        return replace(attachment, s3_key=key, size=len(got.data), content_type=content_type)
