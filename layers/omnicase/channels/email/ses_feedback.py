"""SES bounce, complaint and delivery notifications (SNS) as typed models, and the Feedback they carry.

Shape: Amazon SES Developer Guide, "Amazon SNS notification contents for Amazon SES". Identity notifications name
their type in `notificationType`, a configuration set's SNS event destination in `eventType`; both are read.
SES overwrites the Message-ID it sends with its own, so ours is only in `mail.commonHeaders` / `mail.headers`,
which identity notifications carry only when "include original headers" is on (event publishing always does).
"""

from __future__ import annotations

from email.utils import getaddresses, parseaddr
from typing import Any, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from omnicase.domain.errors import RejectedInput
from omnicase.domain.record_feedback import Feedback, FeedbackKind

FEEDBACK_TYPES = {"Bounce": FeedbackKind.BOUNCE, "Complaint": FeedbackKind.COMPLAINT, "Delivery": FeedbackKind.DELIVERY}
_Part = TypeVar("_Part", bound=BaseModel)
MAX_DETAIL = 500  # a diagnostic is a line or two; a hostile one should not fill the item


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SesHeader(_Lenient):
    name: str
    value: str = ""


class SesCommonHeaders(_Lenient):
    messageId: str | None = None
    from_: list[str] = Field(default=[], alias="from")


class SesSentMail(_Lenient):
    messageId: str
    source: str = ""
    timestamp: str = ""
    destination: list[str] = []
    headers: list[SesHeader] = []
    commonHeaders: SesCommonHeaders = SesCommonHeaders()


class SesBouncedRecipient(_Lenient):
    emailAddress: str
    action: str | None = None
    status: str | None = None
    diagnosticCode: str | None = None


class SesBounce(_Lenient):
    bounceType: str  # Permanent / Transient / Undetermined
    bounceSubType: str = ""
    bouncedRecipients: list[SesBouncedRecipient] = []
    timestamp: str = ""
    feedbackId: str = ""


class SesComplainedRecipient(_Lenient):
    emailAddress: str


class SesComplaint(_Lenient):
    complainedRecipients: list[SesComplainedRecipient] = []
    complaintFeedbackType: str | None = None
    timestamp: str = ""
    feedbackId: str = ""


class SesDelivery(_Lenient):
    recipients: list[str] = []
    smtpResponse: str = ""
    timestamp: str = ""


class SesFeedbackNotification(_Lenient):
    notificationType: str = Field(validation_alias=AliasChoices("notificationType", "eventType"))
    mail: SesSentMail
    bounce: SesBounce | None = None
    complaint: SesComplaint | None = None
    delivery: SesDelivery | None = None


def is_feedback(payload: dict[str, Any]) -> bool:
    """Whether a notification is a bounce, complaint or delivery (not the topic's setup notice, an open, ...)."""
    return (payload.get("notificationType") or payload.get("eventType")) in FEEDBACK_TYPES


def parse_feedback(payload: dict[str, Any]) -> Feedback:
    """The Feedback of a bounce, complaint or delivery notification; RejectedInput when it is not one."""
    try:
        notification = SesFeedbackNotification.model_validate(payload)
    except ValidationError as error:
        raise RejectedInput("malformed-ses-feedback", f"not an SES feedback notification: {error}") from error
    return feedback_of(notification)


def feedback_of(notification: SesFeedbackNotification) -> Feedback:
    kind = FEEDBACK_TYPES.get(notification.notificationType)
    if kind is None:
        raise RejectedInput("malformed-ses-feedback", f"not feedback: {notification.notificationType!r}")
    mail = notification.mail
    common = {
        "kind": kind,
        "ses_message_id": mail.messageId,
        "our_message_id": _our_message_id(mail),
        "source": parseaddr(mail.source)[1].lower(),
        "senders": tuple(a.lower() for _, a in getaddresses(mail.commonHeaders.from_) if a),
    }
    if kind is FeedbackKind.BOUNCE:
        bounce = _required(notification.bounce, "bounce")
        return Feedback(
            **common,
            recipients=tuple(r.emailAddress.lower() for r in bounce.bouncedRecipients),
            detail=_bounce_detail(bounce),
            permanent=bounce.bounceType == "Permanent",
            feedback_id=bounce.feedbackId,
            reported_at=bounce.timestamp,
        )
    if kind is FeedbackKind.COMPLAINT:
        complaint = _required(notification.complaint, "complaint")
        return Feedback(
            **common,
            recipients=tuple(r.emailAddress.lower() for r in complaint.complainedRecipients),
            detail=_clip(f"complaint {complaint.complaintFeedbackType or 'unspecified'}"),
            feedback_id=complaint.feedbackId,
            reported_at=complaint.timestamp,
        )
    delivery = _required(notification.delivery, "delivery")
    return Feedback(
        **common,
        recipients=tuple(r.lower() for r in delivery.recipients),
        detail=_clip(f"delivered: {delivery.smtpResponse}" if delivery.smtpResponse else "delivered"),
        reported_at=delivery.timestamp,
    )


def _required(part: _Part | None, name: str) -> _Part:
    if part is None:
        raise RejectedInput("malformed-ses-feedback", f"a {name} notification without its {name} object")
    return part


def _our_message_id(mail: SesSentMail) -> str | None:
    """The Message-ID header we set (bare, lower-case): commonHeaders, else the raw headers list."""
    value = mail.commonHeaders.messageId or next(
        (h.value for h in mail.headers if h.name.lower() == "message-id"), None
    )
    bare = (value or "").strip().strip("<>").strip().lower()
    return bare or None


def _bounce_detail(bounce: SesBounce) -> str:
    """The bounce type and the first recipient's diagnostic: `bounce Permanent/General: 550 5.1.1 ...`."""
    kind = "/".join(filter(None, (bounce.bounceType, bounce.bounceSubType)))
    first = bounce.bouncedRecipients[0] if bounce.bouncedRecipients else None
    reason = ""
    if first is not None:
        reason = (first.diagnosticCode or first.status or "").strip()
        if reason.lower().startswith("smtp;"):
            reason = reason[5:].strip()
    return _clip(f"bounce {kind}: {reason}" if reason else f"bounce {kind}")


def _clip(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= MAX_DETAIL else one_line[: MAX_DETAIL - 1] + "…"
