"""Contact Lens post-call analysis files (S3 "Object Created" on EventBridge) → a call's transcript; pure.

Contact Lens writes one JSON file per analysed call to the instance's bucket, named for the contact
(connect/latest/adminguide/contact-lens-example-output-files.html, "Example output locations"):
`Analysis/Voice/YYYY/MM/DD/<contactId>_analysis_<time>.json`, and with redaction on also
`Analysis/Voice/Redacted/YYYY/MM/DD/<contactId>_analysis_redacted_<time>.json`. Its `Transcript` is a list of turns
{ParticipantId, Content, BeginOffsetMillis, ...}; `Participants` maps ids to CUSTOMER / AGENT;
`CustomerMetadata` names ContactId and InstanceId. Samples and sources: events/phone/README.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from omnicase.domain.errors import RejectedInput

S3_SOURCE = "aws.s3"
OBJECT_CREATED = "Object Created"
MAX_FILE_BYTES = 4 * 1024 * 1024  # an hour's call is ~200 KB of analysis; larger is not a Contact Lens file
_KEY = re.compile(
    r"(?:^|/)Analysis/Voice/(?P<redacted>Redacted/)?\d{4}/\d{2}/\d{2}/"
    r"(?P<contact>[0-9A-Za-z-]{1,256})_analysis(?P<suffix>_redacted)?_[^/]+\.json$"
)
ROLES = {"CUSTOMER": "Caller", "AGENT": "Agent"}


class CallNotStoredYet(LookupError):
    """A transcript whose call is not stored and whose caller is unknown: it waits (the queue brings it again)."""


@dataclass(frozen=True)
class AnalysisObject:
    """Where a new analysis file is, and whose contact it is (from its name)."""

    bucket: str
    key: str
    contact_id: str
    redacted: bool
    region: str
    account: str
    partition: str


@dataclass(frozen=True)
class CallTranscript:
    contact_id: str
    instance_id: str
    turns: tuple[tuple[str, str], ...]  # (Caller | Agent | the participant's id, what they said), in call order
    language: str | None

    def text(self) -> str:
        """The thread's text: one line per turn, each marked with who spoke."""
        return "\n".join(f"{who}: {said}" for who, said in self.turns)


def analysis_object(event: object) -> AnalysisObject | str:
    """The analysis file an S3 event announces, or why the event is none (another key, another variant)."""
    if not isinstance(event, dict) or event.get("source") != S3_SOURCE:
        raise RejectedInput("malformed", "not an S3 event")
    if event.get("detail-type") != OBJECT_CREATED:
        return f"S3 {event.get('detail-type')!r}"
    detail = event.get("detail") if isinstance(event.get("detail"), dict) else {}
    bucket = (detail.get("bucket") or {}).get("name") if isinstance(detail.get("bucket"), dict) else None
    key = (detail.get("object") or {}).get("key") if isinstance(detail.get("object"), dict) else None
    if not isinstance(bucket, str) or not isinstance(key, str) or not bucket or not key:
        raise RejectedInput("malformed", "detail.bucket.name and detail.object.key are required")
    found = _KEY.search(key)
    if found is None or bool(found["redacted"]) != bool(found["suffix"]):
        return f"not a Contact Lens voice analysis file: {key[:200]}"
    resources = event.get("resources") or [""]
    partition = str(resources[0]).split(":")[1] if str(resources[0]).startswith("arn:") else "aws"
    return AnalysisObject(
        bucket=bucket,
        key=key,
        contact_id=found["contact"],
        redacted=bool(found["redacted"]),
        region=str(event.get("region") or ""),
        account=str(event.get("account") or ""),
        partition=partition,
    )


def parse_analysis(raw: bytes, contact_id: str) -> CallTranscript:
    """The transcript of an analysis file; RejectedInput("malformed") when it is not one, or another contact's."""
    if len(raw) > MAX_FILE_BYTES:
        raise RejectedInput("too-large", f"an analysis file over {MAX_FILE_BYTES} bytes")
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise RejectedInput("malformed", "the analysis file is not JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("Transcript"), list):
        raise RejectedInput("malformed", "the analysis file has no Transcript")
    metadata = document.get("CustomerMetadata") if isinstance(document.get("CustomerMetadata"), dict) else {}
    named = metadata.get("ContactId")
    if named and named != contact_id:
        raise RejectedInput("malformed", f"the file of contact {contact_id} names contact {str(named)[:64]}")
    instance_id = metadata.get("InstanceId")
    if not isinstance(instance_id, str) or not instance_id:
        raise RejectedInput("malformed", "CustomerMetadata.InstanceId is missing: whose instance is it?")
    roles = {
        str(p.get("ParticipantId")): str(p.get("ParticipantRole"))
        for p in document.get("Participants") or []
        if isinstance(p, dict)
    }
    turns = [t for t in document["Transcript"] if isinstance(t, dict) and isinstance(t.get("Content"), str)]
    turns.sort(key=lambda t: _offset(t.get("BeginOffsetMillis")))
    return CallTranscript(
        contact_id=contact_id,
        instance_id=instance_id,
        turns=tuple((_speaker(t.get("ParticipantId"), roles), t["Content"].strip()) for t in turns if t["Content"]),
        language=document.get("LanguageCode") if isinstance(document.get("LanguageCode"), str) else None,
    )


def instance_arn(found: AnalysisObject, instance_id: str) -> str:
    """The instance's ARN (tenants name their instance by it): the bucket's account and region."""
    return f"arn:{found.partition}:connect:{found.region}:{found.account}:instance/{instance_id}"


def _speaker(participant: Any, roles: dict[str, str]) -> str:
    # AWS's samples name participants by id (mapped through Participants) or by role itself ("AGENT").
    role = roles.get(str(participant), str(participant))
    return ROLES.get(role.upper(), role)


def _offset(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
