"""Case webhooks: a stored case event, as the table's stream carries it, posted signed to the tenant's URL."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, CaseStatus, Channel, Priority
from omnicase.domain.tenant_config import Queue, TenantConfig, WebhookTarget
from omnicase.persistence.mapping import case_event_to_item, case_to_item
from omnicase.stream_batch import WholeBatchFailed
from omnicase_local.handlers import LambdaContext, load_handler
from omnicase_local.streams import drain

FUNCTION = Path(__file__).resolve().parents[2] / "functions" / "deliver_case_webhooks"
SECRET = "case-webhook-test-secret"
AT = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def deliver(stack, monkeypatch):
    monkeypatch.setenv("CASE_WEBHOOK_SECRET", SECRET)  # the local runtime's LOCAL_SECRETS default, here explicit
    handler = load_handler(FUNCTION, "app.handler")

    def invoke(*records: dict[str, Any]) -> dict[str, Any]:
        return handler({"Records": list(records)}, LambdaContext("deliver_case_webhooks"))

    return invoke


def configure(tenant_id: str, *targets: WebhookTarget) -> None:
    from omnicase.wiring import config_store

    config = TenantConfig(tenant_id, queues={"general": Queue("general")}, webhooks=targets)
    config_store().save(config, expected_version=None)
    assert config_store().load(tenant_id, cached=False).webhooks == targets


def stored_event(stack, tenant_id: str, kind: str, **detail: Any) -> tuple[CaseEvent, dict[str, Any]]:
    """A case and one of its events written to the table; the event's item as DynamoDB stores it (= NewImage)."""
    case = Case(
        tenant_id, f"{tenant_id}-{kind}".upper(), Channel.EMAIL, "Order not arrived", status=CaseStatus.OPEN,
        priority=Priority.HIGH, queue="general", assignee="agent-7", created_at=AT, updated_at=AT,
    )  # fmt: skip
    event = CaseEvent(tenant_id, case.case_id, "000a1b2c3d4", AT, kind, "agent-7", "picked up", detail)
    case_to_item(case).save()
    item = case_event_to_item(event)
    item.save()
    key = {"pk": {"S": item.pk}, "sk": {"S": item.sk}}
    image = boto3.client("dynamodb").get_item(TableName=stack.table, Key=key, ConsistentRead=True)["Item"]
    drain()  # whatever the stack itself does with these writes is done before the handler is called here
    return event, image


def stream_record(image: dict[str, Any], sequence: str, event_name: str = "INSERT") -> dict[str, Any]:
    return {
        "eventID": f"evt-{sequence}",
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "ApproximateCreationDateTime": AT.timestamp(),
            "Keys": {"pk": image["pk"], "sk": image["sk"]},
            "NewImage": image,
            "SequenceNumber": sequence,
            "SizeBytes": 512,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/omnicase/stream/2026-11-02T00:00:00.000",
    }


def closed_port_url() -> str:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{closed.getsockname()[1]}/hook"


def test_a_case_event_is_posted_signed_and_a_retry_keeps_its_delivery_id(stack, provider, deliver):
    configure(
        "acme",
        WebhookTarget(provider.url + "/case-hooks"),
        WebhookTarget(provider.url + "/solved-only", events=("solved",)),
    )
    event, image = stored_event(stack, "acme", "assigned", assignee="agent-7")
    before = len(provider.sent("/case-hooks"))

    provider.answer_status = 503
    with pytest.raises(WholeBatchFailed):  # the batch's only record failed: the invocation fails, Lambda retries
        deliver(stream_record(image, "100"))
    provider.answer_status = 200
    assert deliver(stream_record(image, "100")) == {"batchItemFailures": []}

    failed, delivered = provider.sent("/case-hooks")[before:]
    assert provider.sent("/solved-only") == []
    for attempt in (failed, delivered):
        headers = {k.lower(): v for k, v in attempt.headers.items()}
        assert headers["x-omnicase-delivery"] == f"acme-{event.case_id}-000a1b2c3d4"
        assert headers["x-omnicase-event"] == "assigned"
        assert headers["x-omnicase-signature"] == chat_signature(SECRET, headers["x-omnicase-timestamp"], attempt.body)
    document = delivered.json()
    assert document["delivery_id"] == f"acme-{event.case_id}-000a1b2c3d4" == failed.json()["delivery_id"]
    assert document["event"] == "assigned" and document["detail"] == {"assignee": "agent-7"}
    assert document["at"] == "2026-11-02T02:00:00+00:00" and document["actor"] == "agent-7"
    assert document["case"] == {
        "status": "open",
        "priority": "high",
        "queue": "general",
        "assignee": "agent-7",
        "channel": "email",
        "subject": "Order not arrived",
    }


def test_only_the_failing_record_of_a_batch_is_retried(stack, provider, deliver):
    configure("acme", WebhookTarget(provider.url + "/case-hooks"))
    configure("globex", WebhookTarget(closed_port_url()))
    _, acme = stored_event(stack, "acme", "responded")
    _, globex = stored_event(stack, "globex", "responded")
    before = len(provider.sent("/case-hooks"))
    result = deliver(stream_record(globex, "200"), stream_record(acme, "201"))
    assert result == {"batchItemFailures": [{"itemIdentifier": "200"}]}
    (posted,) = provider.sent("/case-hooks")[before:]
    assert posted.json()["event"] == "replied"


def test_events_tenants_do_not_hear_about_and_other_items_are_skipped(stack, provider, deliver):
    configure("acme", WebhookTarget(provider.url + "/case-hooks"))
    _, warning = stored_event(stack, "acme", "sla_warning", clock="first_response")
    _, assigned = stored_event(stack, "acme", "assigned", assignee="agent-7")
    case_image = dict(assigned, item_type={"S": "case"})
    before = len(provider.sent("/case-hooks"))
    records = [stream_record(warning, "300"), stream_record(case_image, "301")]
    assert deliver(*records, stream_record(assigned, "302", "MODIFY")) == {"batchItemFailures": []}
    assert provider.sent("/case-hooks")[before:] == []


def test_a_permanent_refusal_is_not_retried(stack, provider, deliver):
    configure("acme", WebhookTarget(provider.url + "/case-hooks"))
    _, image = stored_event(stack, "acme", "status_changed", before="open", after="solved")
    before = len(provider.sent("/case-hooks"))
    provider.answer_status = 410
    assert deliver(stream_record(image, "400")) == {"batchItemFailures": []}
    (refused,) = provider.sent("/case-hooks")[before:]
    assert refused.json()["event"] == "solved"
