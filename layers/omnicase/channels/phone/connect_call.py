"""What a finished Connect call was — answered, missed in a queue, ended in self-service, an outbound attempt —
and its line on the case's thread; pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from omnicase.channels.phone.contact_event import ContactEvent

INBOUND_METHODS = frozenset({"INBOUND", "TRANSFER", "QUEUE_TRANSFER"})
OUTBOUND_METHODS = frozenset({"OUTBOUND", "CALLBACK", "API", "EXTERNAL_OUTBOUND"})  # we dialled the customer


@dataclass(frozen=True)
class ConnectCall:
    contact_id: str
    direction: str  # inbound | outbound
    outcome: str  # reached | missed (queued, no agent) | self_service (never queued) | no_answer (outbound)
    started_at: datetime
    duration_s: int
    queue: str | None
    agent_id: str | None
    connected_at: datetime | None  # when an agent took it

    @property
    def reached(self) -> bool:
        return self.outcome == "reached"

    @property
    def wants_callback(self) -> bool:
        """A caller who waited for a person and got none is called back."""
        return self.outcome == "missed"

    def describe(self) -> str:
        """The call's line on the thread (an agent reads it; the customer never gets it)."""
        length = _duration(self.duration_s)
        queue = f" in queue {self.queue}" if self.queue else ""
        if self.direction == "outbound":
            return f"Outbound call by {self.agent_id or 'an agent'}: " + (
                f"reached the customer, {length}." if self.reached else "no answer."
            )
        if self.reached:
            return f"Inbound call answered by {self.agent_id or 'an agent'}{queue}, {length}."
        if self.outcome == "missed":
            return f"Missed call: the caller waited{queue} and hung up after {length}; nobody answered."
        return f"Call ended in the self-service menu after {length}."


def call_of(event: ContactEvent) -> ConnectCall | None:
    """The finished voice call a DISCONNECTED event reports; None for anything else (other events, monitoring)."""
    if event.channel != "VOICE" or event.event_type != "DISCONNECTED":
        return None
    if event.initiation_method in INBOUND_METHODS:
        direction = "inbound"
    elif event.initiation_method in OUTBOUND_METHODS:
        direction = "outbound"
    else:
        return None
    started = event.initiated_at or event.connected_to_system_at or event.disconnected_at
    if started is None:
        return None
    ended = event.disconnected_at or started
    agent_at = event.connected_to_agent_at
    # Outbound: Connect reports the customer's answer as connectedToSystemTimestamp.
    answered = agent_at is not None and (direction == "inbound" or event.connected_to_system_at is not None)
    if answered:
        outcome = "reached"
    elif direction == "outbound":
        outcome = "no_answer"
    else:
        outcome = "missed" if event.queue_arn else "self_service"
    talk_from = agent_at if answered and agent_at else started
    return ConnectCall(
        contact_id=event.contact_id,
        direction=direction,
        outcome=outcome,
        started_at=started,
        duration_s=max(0, round((ended - talk_from).total_seconds())),
        queue=_last(event.queue_arn),
        agent_id=f"connect:{_last(event.agent_arn)}" if event.agent_arn else None,
        connected_at=agent_at if answered else None,
    )


def _last(arn: str | None) -> str | None:
    return arn.rsplit("/", 1)[-1] if arn else None


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
