"""S3 as the mail store: raw MIME written by SES, attachments, and the quarantine kept for replay."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from urllib.parse import quote

from omnicase.aws.clients import client, s3_signer
from omnicase.domain.model import Attachment

QUARANTINE_PREFIX = "quarantine/"
_UNSAFE_KEY_CHARS = re.compile(r"[^\w.\-]+", re.UNICODE)


class S3MailStore:
    """Raw mail, attachments and quarantine in one bucket."""

    def __init__(self, bucket: str, link_endpoint: str | None = None) -> None:
        self.bucket = bucket
        self.link_endpoint = link_endpoint  # where browsers reach S3 when it is not AWS's (the local runtime)

    def exists(self, key: str) -> bool:
        """Whether the object is (still) there: HEAD, which the role's s3:GetObject on the key allows."""
        from botocore.exceptions import ClientError

        try:
            client("s3").head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def download_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str:
        """A presigned GET of the object, served as a download under its own file name (never rendered inline)."""
        disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
        return s3_signer(self.link_endpoint).generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            ExpiresIn=expires_in,
        )

    def read_raw(self, key: str, max_bytes: int) -> tuple[bytes, int]:
        """At most max_bytes + 1 of the object (enough to tell it is too large) and its full size."""
        response = client("s3").get_object(Bucket=self.bucket, Key=key, Range=f"bytes=0-{max_bytes}")
        content_range = response.get("ContentRange") or ""
        size = int(content_range.rsplit("/", 1)[-1]) if "/" in content_range else int(response["ContentLength"])
        return response["Body"].read(), size

    def store_attachment(
        self, key_prefix: str, index: int, filename: str, content_type: str, data: bytes
    ) -> Attachment:
        """One attachment under a deterministic key: a redelivery overwrites instead of duplicating."""
        safe_name = _UNSAFE_KEY_CHARS.sub("_", filename)[:120] or "attachment"
        key = f"{key_prefix}{index:03d}-{safe_name}"
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)
        return Attachment(filename=filename, content_type=content_type, size=len(data), s3_key=key)

    def quarantine(
        self, tenant_id: str | None, delivery_id: str, reason: str, raw: bytes | None, source_key: str | None
    ) -> str:
        """Keep a mail we could not take in, with why, under quarantine/<tenant>/<reason>/ for replay."""
        key = f"{QUARANTINE_PREFIX}{tenant_id or '_unknown'}/{reason}/{delivery_id}"
        s3 = client("s3")
        if source_key is not None:
            s3.copy_object(Bucket=self.bucket, Key=f"{key}.eml", CopySource={"Bucket": self.bucket, "Key": source_key})
        elif raw is not None:
            s3.put_object(Bucket=self.bucket, Key=f"{key}.eml", Body=raw, ContentType="message/rfc822")
        record = {
            "reason": reason,
            "tenant_id": tenant_id,
            "delivery_id": delivery_id,
            "source_key": source_key,
            "quarantined_at": datetime.now(UTC).isoformat(),
        }
        s3.put_object(Bucket=self.bucket, Key=f"{key}.json", Body=json.dumps(record).encode())
        return key

    def list_quarantine(self, tenant_id: str | None = None) -> list[dict[str, str]]:
        """Quarantined mails (their records), oldest first, optionally for one tenant."""
        prefix = QUARANTINE_PREFIX + (f"{tenant_id}/" if tenant_id else "")
        s3 = client("s3")
        records = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for entry in page.get("Contents", []):
                if entry["Key"].endswith(".json"):
                    body = s3.get_object(Bucket=self.bucket, Key=entry["Key"])["Body"].read()
                    records.append({**json.loads(body), "raw_key": entry["Key"].removesuffix(".json") + ".eml"})
        return sorted(records, key=lambda r: r["quarantined_at"])
