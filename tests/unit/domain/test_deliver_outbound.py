"""The outbox sender: at least once, recorded, permanent refusals kept apart from transient failures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from omnicase.domain.deliver_outbound import deliver_outbound, is_queued_outbound
from omnicase.domain.errors import PermanentDeliveryFailure, SendInProgress
from omnicase.domain.ingest_message import ingest_message
from omnicase.domain.model import Channel, DeliveryStatus
from tests.unit.domain.builders import TENANT, email
from tests.unit.fakes import FakeDeliveries, MemoryIntakeStore


@pytest.fixture
def ack():
    return ingest_message(email(), TENANT, MemoryIntakeStore()).acknowledgement


def test_a_queued_message_is_sent_once_and_recorded(ack):
    deliveries = FakeDeliveries()
    assert deliver_outbound(ack, TENANT, {Channel.EMAIL: deliveries}, deliveries) == DeliveryStatus.SENT
    assert deliver_outbound(ack, TENANT, {Channel.EMAIL: deliveries}, deliveries) == DeliveryStatus.SENT  # a retry
    assert deliveries.sent == [ack] and deliveries.status[ack.message_id] == DeliveryStatus.SENT


def test_a_permanent_refusal_is_recorded_as_failed(ack):
    deliveries = FakeDeliveries(failure=PermanentDeliveryFailure("address does not exist"))
    assert deliver_outbound(ack, TENANT, {Channel.EMAIL: deliveries}, deliveries) == DeliveryStatus.FAILED
    assert deliveries.status[ack.message_id] == DeliveryStatus.FAILED


def test_a_transient_failure_raises_for_the_stream_to_retry_and_says_why_it_is_still_queued(ack):
    deliveries = FakeDeliveries(failure=ConnectionError("throttled"))
    with pytest.raises(ConnectionError):
        deliver_outbound(ack, TENANT, {Channel.EMAIL: deliveries}, deliveries)
    assert deliveries.status == {} and deliveries.retrying == {ack.message_id: "ConnectionError: throttled"}


def test_a_channel_without_sender_fails_visibly(ack):
    deliveries = FakeDeliveries()
    sms = replace(ack, channel=Channel.SMS)
    assert deliver_outbound(sms, TENANT, {Channel.EMAIL: deliveries}, deliveries) == DeliveryStatus.FAILED


def test_only_queued_outbound_messages_are_for_the_outbox(ack):
    assert is_queued_outbound(ack)
    assert not is_queued_outbound(replace(ack, delivery_status=DeliveryStatus.SENT))


def test_a_copy_arriving_while_another_attempt_sends_waits_for_it(ack):
    deliveries = FakeDeliveries()
    deliveries.claimed.add(ack.message_id)  # another run of send_outbound is sending it now
    with pytest.raises(SendInProgress):
        deliver_outbound(ack, TENANT, {Channel.EMAIL: deliveries}, deliveries)
    assert deliveries.sent == [] and deliveries.status == {}
    deliveries.release_claim(ack)
    assert deliver_outbound(ack, TENANT, {Channel.EMAIL: deliveries}, deliveries) == DeliveryStatus.SENT
    assert deliveries.sent == [ack]
