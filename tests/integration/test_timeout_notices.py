"""Nobody is left out of the loop, proven through the escalation flow for real (Step Functions on the local
runtime's moto, Wait states included): when a silent assignee loses a case, or a key account's dedicated window
ends, the agent and the queue's supervisor are notified on the escalation topic and the audit trail says so."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta

import boto3
import pytest

from omnicase.domain.tenant_config import (
    Agent,
    KeyAccount,
    Queue,
    RoutingRule,
    RuleActions,
    RuleConditions,
    TenantConfig,
)
from tests.integration.test_escalation_flow import api, events, wait_for
from tests.integration.webhook_client import chat_post

CONFIG = TenantConfig(
    tenant_id="acme",
    assignment_timeout=timedelta(seconds=4),
    queues={"general": Queue("general", supervisor="wang"), "key": Queue("key", supervisor="wang")},
    agents={
        "li": Agent("li", "Li Na", email="li@acme.example", queues=("general", "key")),
        "wang": Agent("wang", "Wang Fang", email="wang@acme.example", role="supervisor"),
    },
    rules=(RoutingRule("to-li", RuleConditions(keywords=("退款",)), RuleActions(assignee="li")),),
    key_accounts=(
        KeyAccount(
            "vip", "VIP Co", ("chat:vip-*",), queue="key", dedicated_agent="li", dedicated_for=timedelta(seconds=2)
        ),
    ),
)


@pytest.fixture
def notices(stack):
    """An SQS queue subscribed to the escalation topic, as an ops team's chat hook would be."""
    from omnicase.wiring import config_store

    config_store().save(CONFIG, expected_version=None)
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="escalation-notices")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    boto3.client("sns").subscribe(TopicArn=os.environ["NOTIFY_TOPIC_ARN"], Protocol="sqs", Endpoint=arn)
    return url


def open_case(stack, user: str, text: str) -> str:
    message = {"conversation_id": f"conv-{user}", "message_id": f"m-{user}", "user_id": user, "text": text}
    assert chat_post(stack, message).status_code == 201
    listed = api(stack, "GET", "/cases?limit=100").json_body["cases"]
    return next(c["case_id"] for c in listed if c["contact_address"] == user)


def received(url: str, count: int, seconds: float = 20.0) -> list[dict]:
    sqs, found = boto3.client("sqs"), []
    deadline = time.monotonic() + seconds
    while len(found) < count and time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            envelope = json.loads(message["Body"])
            found.append({**json.loads(envelope["Message"]), "attributes": envelope.get("MessageAttributes", {})})
    return found


def test_a_silent_assignee_and_an_ended_dedicated_window_tell_the_agent_and_the_supervisor(stack, notices):
    # Given a case a rule gave Li Na (4 s assignment timeout) and a key account's case she holds for 2 s
    silent = open_case(stack, "ann", "我要退款")
    dedicated = open_case(stack, "vip-1", "登录不了")
    assert api(stack, "GET", f"/cases/{silent}").json_body["case"]["assignee"] == "li"
    assert api(stack, "GET", f"/cases/{dedicated}").json_body["case"]["assignee"] == "li"

    # When neither is answered, the escalation flow takes both back to their queues
    def unassigned(seen: list[dict]) -> bool:
        return "unassigned" in [e["kind"] for e in seen]

    lost = next(e for e in wait_for(stack, silent, unassigned) if e["kind"] == "unassigned")
    ended = next(e for e in wait_for(stack, dedicated, unassigned) if e["kind"] == "unassigned")

    # Then the audit trail says who was told
    assert lost["detail"] == {"timer": "assignment_timeout", "agent_id": "li", "notified": ["li", "wang"]}
    assert lost["reason"].endswith("back to queue general; notified li, wang")
    assert ended["detail"] == {"timer": "dedicated_window_ended", "agent_id": "li", "notified": ["li", "wang"]}
    assert api(stack, "GET", f"/cases/{dedicated}").json_body["case"]["assignee"] is None

    # And the escalation topic carried one notice each, naming the agent and the supervisor, like escalations
    by_case = {n["case_id"]: n for n in received(notices, 2)}
    assert set(by_case) == {silent, dedicated}
    for case_id, kind, queue in (
        (silent, "assignment_timeout", "general"),
        (dedicated, "dedicated_window_ended", "key"),
    ):
        notice = by_case[case_id]
        assert (notice["kind"], notice["tenant_id"], notice["queue"]) == (kind, "acme", queue)
        assert [r["agent_id"] for r in notice["recipients"]] == ["li", "wang"]
        assert notice["recipients"][0]["email"] == "li@acme.example"
        assert notice["attributes"]["kind"]["Value"] == kind
        assert f"back to queue {queue}" in notice["text"]
    assert [e["kind"] for e in events(stack, silent)].count("unassigned") == 1  # fired once
