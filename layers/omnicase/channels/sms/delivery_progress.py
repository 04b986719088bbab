"""How far an outbound SMS got, as Twilio reports it: statuses only ever move forward.

queued < sent < delivered / undelivered / failed. Twilio's callbacks may arrive late, twice or out of order (a
`sent` after the `delivered`), so a report is recorded only when it moves the message forward; the first final
status wins. `read` (WhatsApp, RCS) counts as delivered; Twilio's other statuses (accepted, scheduled, sending,
canceled, …) are not tracked.
"""

from __future__ import annotations

from omnicase.domain.model import DeliveryStatus

REPORTED = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.UNDELIVERED,
    "failed": DeliveryStatus.FAILED,
}
_RANK = {
    DeliveryStatus.QUEUED: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.UNDELIVERED: 2,
    DeliveryStatus.FAILED: 2,
}


def reported_status(twilio_status: str) -> DeliveryStatus | None:
    """Our status for Twilio's `MessageStatus`; None for one we do not track."""
    return REPORTED.get(twilio_status)


def moves_forward(current: DeliveryStatus | None, reported: DeliveryStatus) -> bool:
    """Whether a message in `current` takes the reported status (never backwards, never between final ones)."""
    return current in _RANK and _RANK[reported] > _RANK[current]  # type: ignore[index]  # checked by `in`


def status_detail(reported: DeliveryStatus, error_code: str | None) -> str | None:
    """What agents read on the message: Twilio's error code and where it is explained."""
    if not error_code:
        return None if reported in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED) else f"{reported.value} (Twilio)"
    return f"{reported.value}: Twilio error {error_code} (https://www.twilio.com/docs/errors/{error_code})"
