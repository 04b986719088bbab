"""Agents' files: `POST /cases/{id}/attachments/uploads` signs one upload, a reply's `attachments` claims them.

An upload is a presigned S3 POST for one key under the case (`attachments/<tenant>/uploads/<case>/<upload id>`),
bound to the declared type, file name and size (S3 refuses a body outside them). A reply names its upload ids;
each must be there (HEAD) and fit the case's channel, or the reply is a 422 before anything is queued.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from omnicase.attachments.errors import AttachmentRefused
from omnicase.attachments.file_rules import check_file, check_files, rules_for
from omnicase.attachments.refusal_metrics import count_refusal
from omnicase.aws.attachment_files import StoredFile
from omnicase.domain.channel_traits import FileRules, traits_of
from omnicase.domain.model import Attachment, Case
from omnicase.ids import new_message_id

UPLOAD_LIFETIME = timedelta(minutes=15)
_UPLOAD_ID = re.compile(r"[0-9A-Z]{15}")


class UploadFiles(Protocol):
    def presigned_upload(
        self, key: str, filename: str, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, object]: ...
    def describe(self, key: str) -> StoredFile | None: ...


def upload_key(tenant_id: str, case_id: str, upload_id: str) -> str:
    """Where an upload lands: under the tenant and the case, so no reply can claim another case's file."""
    return f"attachments/{tenant_id}/uploads/{case_id}/{upload_id}"


@dataclass(frozen=True)
class AgentUploads:
    files: UploadFiles

    def offer(
        self, case: Case, body: object, endpoints: Sequence[str] = (), now: datetime | None = None
    ) -> dict[str, Any]:
        """{"upload_id", "url", "fields", "max_bytes", "expires_at"} for {"filename", "content_type", "size"}."""
        filename, content_type, size = _upload_request(body)
        try:
            check_file(reply_rules(case, endpoints), filename, content_type, size)
        except AttachmentRefused as refused:
            count_refusal("AttachmentsRefused", refused.reason, str(case.channel))
            raise
        upload_id = new_message_id()
        key = upload_key(case.tenant_id, case.case_id, upload_id)
        post = self.files.presigned_upload(key, filename, content_type, size, int(UPLOAD_LIFETIME.total_seconds()))
        expires_at = (now or datetime.now(UTC)) + UPLOAD_LIFETIME
        return {"upload_id": upload_id, **post, "max_bytes": size, "expires_at": expires_at.isoformat()}

    def claim(self, case: Case, upload_ids: object, endpoints: Sequence[str] = ()) -> tuple[Attachment, ...]:
        """The uploads a reply names, as its attachments; a 422 (counted) when one is missing or does not fit."""
        ids = _upload_ids(upload_ids)
        if not ids:
            return ()
        try:
            rules = reply_rules(case, endpoints)
            found = [
                (upload_id, self.files.describe(upload_key(case.tenant_id, case.case_id, upload_id)))
                for upload_id in ids
            ]
            missing = [upload_id for upload_id, stored in found if stored is None]
            if missing:
                raise AttachmentRefused(
                    "upload-missing",
                    f"no file was uploaded for {', '.join(missing)} (or its upload has not finished)",
                    {"upload_ids": missing},
                )
            files = [
                Attachment(
                    stored.filename or upload_id,
                    stored.content_type,
                    stored.size,
                    upload_key(case.tenant_id, case.case_id, upload_id),
                )
                for upload_id, stored in found
                if stored is not None
            ]
            check_files(rules, [(f.filename, f.content_type, f.size) for f in files])
        except AttachmentRefused as refused:
            count_refusal("AttachmentsRefused", refused.reason, str(case.channel))
            raise
        return tuple(files)


def reply_rules(case: Case, endpoints: Sequence[str]) -> FileRules:
    """The rules of the case's replies: they leave from the address the case came in on (`case.mailbox`), so a
    Twilio number's SMS case carries MMS and an End User Messaging number's does not."""
    return rules_for(traits_of(case.channel), endpoints, case.mailbox)


def _upload_request(body: object) -> tuple[str, str, int]:
    if not isinstance(body, Mapping):
        raise ValueError('send {"filename": …, "content_type": …, "size": <bytes>}')
    filename, content_type, size = body.get("filename"), body.get("content_type"), body.get("size")
    if not isinstance(filename, str) or not isinstance(content_type, str):
        raise ValueError("filename and content_type are strings")
    if not isinstance(size, int) or isinstance(size, bool):
        raise ValueError("size is the file's length in bytes")
    return filename.strip(), content_type.strip().lower(), size


def _upload_ids(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and _UPLOAD_ID.fullmatch(v.upper()) for v in value):
        raise ValueError("attachments: a list of upload ids from POST /cases/{case_id}/attachments/uploads")
    return list(dict.fromkeys(v.upper() for v in value))
