"""Attachments in the mail bucket beyond the mail store's: agents' presigned uploads, what S3 knows of an object
(size, type, the uploader's file name), a malware scan's tag, and media fetched from providers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from omnicase.aws.clients import client, s3_signer
from omnicase.aws.mail_store import S3MailStore

# GuardDuty Malware Protection for S3 tags each scanned object with its result when tagging is on
# (docs.aws.amazon.com/guardduty/latest/ug/monitor-enable-s3-object-tagging-malware-protection.html).
SCAN_TAG = "GuardDutyMalwareScanStatus"
_ASCII_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
FILENAME_META = "filename"  # x-amz-meta-filename: the uploader's file name, percent-encoded (metadata is ASCII)


@dataclass(frozen=True)
class StoredFile:
    """What a HEAD tells of an object."""

    size: int
    content_type: str
    filename: str | None


class S3AttachmentFiles(S3MailStore):
    """The mail bucket's attachments: uploads, reads and writes, and what a scan said."""

    def presigned_upload(
        self, key: str, filename: str, content_type: str, max_bytes: int, expires_in: int
    ) -> dict[str, object]:
        """A presigned POST for exactly this key, type and file name, 1 to max_bytes long (S3 refuses the rest)."""
        name = quote(filename, safe="")
        fields = {"Content-Type": content_type, f"x-amz-meta-{FILENAME_META}": name}
        conditions: list[object] = [
            {"Content-Type": content_type},
            {f"x-amz-meta-{FILENAME_META}": name},
            ["content-length-range", 1, max_bytes],
        ]
        post = s3_signer(self.link_endpoint).generate_presigned_post(
            self.bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in
        )
        return {"url": post["url"], "fields": post["fields"]}

    def describe(self, key: str) -> StoredFile | None:
        """Size, type and uploader's file name of an object; None when there is none (yet)."""
        from botocore.exceptions import ClientError

        try:
            head = client("s3").head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        name = (head.get("Metadata") or {}).get(FILENAME_META)
        return StoredFile(
            int(head["ContentLength"]), str(head.get("ContentType") or ""), unquote(name) if name else None
        )

    def media_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str:
        """A presigned GET a provider fetches to send the file as media (Twilio's MediaUrl): served inline with its
        type, under a short ASCII name (Twilio: 20 characters at most, no spaces or special characters)."""
        return s3_signer(self.link_endpoint).generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": f'inline; filename="{media_name(filename)}"',
                "ResponseContentType": content_type,
            },
            ExpiresIn=expires_in,
        )

    def scan_status(self, key: str) -> str | None:
        """The malware scan's result tag (THREATS_FOUND, NO_THREATS_FOUND, ...), None when the object has none."""
        tags = client("s3").get_object_tagging(Bucket=self.bucket, Key=key).get("TagSet", [])
        return next((t["Value"] for t in tags if t["Key"] == SCAN_TAG), None)

    def read(self, key: str, max_bytes: int) -> bytes:
        """The object's bytes; ValueError when it is larger than max_bytes (it changed since it was checked)."""
        data, size = self.read_raw(key, max_bytes)
        if size > max_bytes:
            raise ValueError(f"s3://{self.bucket}/{key} is {size:,} bytes, over {max_bytes:,}")
        return data

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write a fetched file (a redelivery writes the same key again)."""
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)


def media_name(filename: str) -> str:
    """The file's name as a handset shows it: ASCII letters, digits, `-_.`, 20 characters at most."""
    stem, dot, extension = filename.rpartition(".")
    stem, extension = (stem, extension) if dot else (filename, "")
    extension = _ASCII_NAME.sub("", extension)[:5]
    stem = _ASCII_NAME.sub("", stem.replace(" ", "-")).strip(".-")[: 20 - len(extension) - 1] or "file"
    return f"{stem}.{extension}" if extension else stem
