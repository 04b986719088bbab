"""The SES 'Received' notification (S3 or SNS action) as a typed model.

Shape: Amazon SES Developer Guide, "Examples of notifications for Amazon SES email receiving".
Powertools' SesModel covers only the Lambda action, so this path has its own model.
"""

from __future__ import annotations

import base64
from typing import Literal

from pydantic import BaseModel, ConfigDict

from omnicase.channels.unicode_text import encodes


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SesMail(_Lenient):
    messageId: str
    timestamp: str
    source: str = ""
    destination: list[str] = []


class SesVerdict(_Lenient):
    status: str = "GRAY"


class SesAction(_Lenient):
    type: str
    bucketName: str | None = None
    objectKey: str | None = None
    encoding: Literal["UTF8", "BASE64"] | None = None


class SesReceipt(_Lenient):
    recipients: list[str]
    action: SesAction
    virusVerdict: SesVerdict = SesVerdict()
    spamVerdict: SesVerdict = SesVerdict()


class SesReceivedNotification(_Lenient):
    notificationType: Literal["Received"]
    mail: SesMail
    receipt: SesReceipt
    content: str | None = None

    def inline_content(self) -> bytes | None:
        """The MIME carried inline by the SNS action, decoded; None when it is in S3."""
        if self.content is None:
            return None
        if self.receipt.action.encoding == "BASE64":
            try:
                return base64.b64decode(self.content, validate=False)
            except ValueError:  # binascii.Error, or text that is not ASCII: keep it as it came
                pass
        # surrogateescape gives back bytes JSON decoding escaped; a lone surrogate outside its range is kept too.
        escaped_only = encodes(self.content, "surrogateescape")
        return self.content.encode("utf-8", "surrogateescape" if escaped_only else "surrogatepass")
