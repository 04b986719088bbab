"""Intake reads agents' availability in its one snapshot batch (no GetItem of its own), and routing follows it:
the email handler on moto with the demo tenant's config/acme.yaml (Li Na is Globex's dedicated agent)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import botocore.client
import pytest

from omnicase.domain.availability import AgentAvailability
from omnicase.persistence.availability_store import DynamoAvailabilityStore
from tests.integration.test_agent_availability import case
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture


@pytest.fixture
def dynamodb_calls(stack, acme_config, monkeypatch):  # noqa: F811
    calls: list[str] = []
    original = botocore.client.BaseClient._make_api_call
    intake_thread = threading.current_thread()

    def counting(self, operation, params):
        if threading.current_thread() is intake_thread and self.meta.service_model.service_name == "dynamodb":
            calls.append(operation)  # not the outbox sender working on the stream meanwhile
        return original(self, operation, params)

    deliver(stack, mail("warm up", sender="ann@example.com", message_id="w@example.com"), "ses-warm")
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    return calls


def _set(available: bool) -> None:
    state = AgentAvailability("li.na", available, changed_by="li.na", changed_at=datetime.now(UTC))
    DynamoAvailabilityStore().put("acme", state)


def test_an_away_dedicated_agent_gets_no_case_and_intake_still_makes_two_requests(stack, dynamodb_calls):
    # Given Li Na, Globex's dedicated agent, set herself away
    _set(False)
    dynamodb_calls.clear()

    # When a Globex customer writes
    raw = mail("Login issue", sender="bob@globex.example", message_id="k1@globex.example")
    ((result,), _) = deliver(stack, raw, "s1")

    # Then the case waits in the key-accounts queue, read and written with one batch read and one transaction
    assert dynamodb_calls == ["BatchGetItem", "TransactWriteItems"]
    opened = case(stack, result["case_id"])
    assert (opened["queue"], opened["assignee"]) == ("key-accounts", None)


def test_an_available_dedicated_agent_gets_the_case_with_the_same_two_requests(stack, dynamodb_calls):
    # Given Li Na went away and came back
    _set(False)
    _set(True)
    dynamodb_calls.clear()

    # When a Globex customer writes
    raw = mail("Invoice", sender="eve@globex.example", message_id="k2@globex.example")
    ((result,), _) = deliver(stack, raw, "s2")

    # Then the case is hers, with no read beyond the batch
    assert dynamodb_calls == ["BatchGetItem", "TransactWriteItems"]
    assert case(stack, result["case_id"])["assignee"] == "li.na"
