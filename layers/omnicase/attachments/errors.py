"""Why a file is refused: on the way in (422 with a reason code) or on the way out to a browser (410)."""

from __future__ import annotations

from collections.abc import Mapping

from omnicase.domain.errors import Gone, RejectedInput

# The reason codes the API answers with 422 (api/errors.py maps them); each is counted (AttachmentsRefused).
REFUSALS = frozenset(
    {"files-not-carried", "attachment-too-large", "attachment-type-refused", "too-many-attachments", "upload-missing"}
)


class AttachmentRefused(RejectedInput):
    """An agent's file the case's channel cannot take, or an upload that never arrived: nothing is queued."""

    def __init__(self, reason: str, message: str, details: Mapping[str, object] | None = None) -> None:
        super().__init__(reason, message, details)


class AttachmentWithheld(Gone):
    """A stored file no link is given for: infected (a scan's verdict), quarantined, or removed from the bucket."""

    def __init__(self, attachment_ref: str, refusal: str, why: str) -> None:
        super().__init__(f"attachment {attachment_ref} is {refusal}: {why}")
        self.details = {"refusal": refusal}
