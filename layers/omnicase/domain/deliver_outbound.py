"""Delivering a queued outbound message through its channel, at least once and recorded."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from omnicase.domain.errors import PermanentDeliveryFailure, SendInProgress
from omnicase.domain.model import Channel, DeliveryStatus, Direction, Message, Tenant
from omnicase.domain.ports import DeliveryRecorder, OutboundSender, SendClaim

logger = logging.getLogger(__name__)
MAX_DETAIL_CHARS = 500  # a provider's refusal as agents read it on the message


def is_queued_outbound(message: Message) -> bool:
    """Only queued outbound messages are ours to send (notes, inbound and sent ones are not)."""
    return message.direction == Direction.OUTBOUND and message.delivery_status == DeliveryStatus.QUEUED


def deliver_outbound(
    message: Message, tenant: Tenant, senders: Mapping[Channel, OutboundSender], recorder: DeliveryRecorder
) -> DeliveryStatus:
    """Send and record; a transient failure raises so the stream retries it, a permanent one is recorded.

    At least once: a retry after a recorded success is skipped, and a copy arriving while another attempt holds the
    send claim waits for it (raises, so the queue brings it back); only a crash between send and record repeats one.
    """
    claim = recorder.claim_send(message)
    if claim is SendClaim.DONE:
        return DeliveryStatus.SENT
    if claim is SendClaim.BUSY:
        raise SendInProgress(f"message {message.message_id} is being sent by another attempt")
    sender = senders.get(message.channel)
    if sender is None:
        recorder.record_delivery(message, DeliveryStatus.FAILED, f"no sender for {message.channel}", None)
        return DeliveryStatus.FAILED
    try:
        provider_id = sender.send(message, tenant)
    except PermanentDeliveryFailure as refused:
        logger.warning("message %s on case %s refused: %s", message.message_id, message.case_id, refused)
        # Recorded once (only a queued message changes), never raised: no retry, nothing in the on-failure queue.
        recorder.record_delivery(message, DeliveryStatus.FAILED, str(refused)[:MAX_DETAIL_CHARS], None)
        return DeliveryStatus.FAILED
    except Exception as transient:
        _note_retry(recorder, message, transient)
        raise  # the stream retries the record, then its on-failure queue keeps it for `omnicase replay`
    try:
        recorded = recorder.record_delivery(message, DeliveryStatus.SENT, None, provider_id)
    except Exception:
        # Sent but not recorded: the retry sends again (at least once, same delivery id) rather than wait the lease.
        _release_claim(recorder, message)
        raise
    if not recorded:
        logger.warning("message %s was delivered by an earlier attempt as well", message.message_id)
    return DeliveryStatus.SENT


def _note_retry(recorder: DeliveryRecorder, message: Message, error: Exception) -> None:
    """Agents see why a message is still queued; failing to say so must not hide the send's own error."""
    try:
        recorder.note_retry(message, f"{type(error).__name__}: {error}")
    except Exception:
        logger.exception("could not note the retry of message %s", message.message_id)


def _release_claim(recorder: DeliveryRecorder, message: Message) -> None:
    try:
        recorder.release_claim(message)
    except Exception:
        logger.exception("could not release the send claim of message %s (it expires)", message.message_id)
