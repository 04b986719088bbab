"""A case's service state survives being stored as a document and read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from omnicase.domain.model import CaseService
from omnicase.domain.sla_clock import ClockName, SlaClock, SlaClocks
from omnicase.persistence.service_document import service_from_document, service_to_document

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

CLOCKS = SlaClocks(
    clocks=(
        SlaClock(ClockName.FIRST_RESPONSE, T0, HOUR, due_at=T0 + HOUR, stopped_at=T0 + 2 * HOUR),
        SlaClock(ClockName.NEXT_RESPONSE, T0 + 3 * HOUR, 2 * HOUR, paused_for=timedelta(minutes=20)),
        SlaClock(ClockName.RESOLUTION, T0, 8 * HOUR, paused_for=timedelta(minutes=20)),
    ),
    paused_at=T0 + 4 * HOUR,
)
FULL = CaseService(
    tags=("printer", "vip"),
    routed_by="key-account:globex",
    tier="vip",
    key_account="globex",
    assigned_at=T0 + timedelta(minutes=5, microseconds=123456),
    dedicated_until=T0 + 4 * HOUR,
    previous_assignee="bob",
    sla=CLOCKS,
    first_response_at=T0 + 2 * HOUR,
    last_agent_reply_at=T0 + 2 * HOUR,
    breached=(ClockName.FIRST_RESPONSE,),
    warned=(ClockName.FIRST_RESPONSE, ClockName.RESOLUTION),
    escalation_level=2,
    escalated_at=datetime(2026, 11, 2, 18, 30, tzinfo=timezone(timedelta(hours=8))),
    next_deadline=T0 + 5 * HOUR,
)


def test_a_full_service_state_comes_back_as_it_was():
    document = service_to_document(FULL)

    restored = service_from_document(document)

    assert restored == FULL
    assert restored.sla == CLOCKS
    assert restored.assigned_at is not None and restored.assigned_at.microsecond == 123456
    assert restored.escalated_at == datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


def test_the_document_is_plain_json():
    document = json.loads(json.dumps(service_to_document(FULL)))

    assert document["breached"] == ["first_response"]
    assert document["tags"] == ["printer", "vip"]
    assert document["escalation_level"] == 2
    assert service_from_document(document) == FULL


def test_numbers_read_back_from_dynamodb_as_decimals():
    document = json.loads(json.dumps(service_to_document(FULL)))
    document["escalation_level"] = Decimal(2)
    for clock in document["sla"]["clocks"]:
        clock["target_seconds"] = Decimal(clock["target_seconds"])
        clock["paused_seconds"] = Decimal(clock["paused_seconds"])

    restored = service_from_document(document)

    assert restored == FULL
    assert isinstance(restored.escalation_level, int)


def test_an_empty_service_state_stores_no_empty_values():
    document = service_to_document(CaseService())

    assert document == {"escalation_level": 0}
    assert service_from_document(document) == CaseService()


def test_a_document_still_carrying_the_old_timer_fields_reads_without_them():
    # Cases stored before timer ownership moved to its own item keep these keys until they are saved again
    document = service_to_document(FULL) | {
        "timer_generation": Decimal(3),
        "timer_owner": "acme-0000AB12CD-3-abc123",
        "timer_wake_at": (T0 + 5 * HOUR).isoformat(),
    }

    assert service_from_document(document) == FULL


def test_a_case_without_a_document_has_a_fresh_service_state():
    assert service_from_document(None) == CaseService()
    assert service_from_document({}) == CaseService()
