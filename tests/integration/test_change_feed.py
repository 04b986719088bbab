"""The change feed through the local runtime (docs/change-feed.md): table stream → one pipe → bus → a rule and queue
per consumer. Each consumer gets exactly the changes its old stream filter chose; a consumer that keeps failing
holds up no other, its changes wait in its failure queue and `omnicase replay` re-drives them once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import boto3

from omnicase_local import pipes
from omnicase_local.event_filter import matches_filter_criteria
from omnicase_local.streams import drain
from tests.integration import inbound_traffic as traffic
from tests.integration.faults import faults  # noqa: F401 - fixture
from tests.integration.inbound_traffic import Inbound
from tests.integration.test_case_actions_api import request
from tests.integration.test_faults import executions
from tests.integration.test_ingest_email import sent_mail
from tests.integration.test_redelivery import stream_batch, survey_of
from tests.integration.test_replay import depth, queue_named, replay
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture

# The FilterCriteria each consumer had on its own DynamoDB event source before the fan-out: what "as before" means.
OLD_STREAM_FILTERS = {
    "SendOutboundQueue": '{"eventName": ["INSERT"], "dynamodb": {"NewImage": {"item_type": {"S": ["message"]}, '
    '"direction": {"S": ["outbound"]}, "delivery_status": {"S": ["queued"]}}}}',
    "ScheduleSurveysQueue": '{"eventName": ["MODIFY"], "dynamodb": {"NewImage": {"item_type": {"S": ["case"]}, '
    '"status": {"S": ["solved"]}}, "OldImage": {"status": {"S": [{"anything-but": ["solved"]}]}}}}',
    "CaseWebhookQueue": '{"eventName": ["INSERT"], "dynamodb": {"NewImage": {"item_type": {"S": ["case_event"]}}}}',
    "StartCaseTimersQueue": '{"eventName": ["INSERT", "MODIFY"], "dynamodb": {"NewImage": {"item_type": '
    '{"S": ["case"]}}}}',
}
WECHAT = Inbound("wechat", "w1", "发票什么时候开？订单 8812", 1, "oUpF8uMuAJO_M2pxb1Q9zNjWeS01")
EMAIL = Inbound("email", "ann", "my printer is broken", 0, "ann@example.com")
GLOBEX = Inbound("email", "gx", "我的账单有问题", 2, "li@example.cn")


def with_webhooks(url: str) -> None:
    from omnicase.domain.tenant_config import WebhookTarget
    from omnicase.wiring import config_store

    config = config_store().load("acme", cached=False)
    config_store().save(replace(config, webhooks=(WebhookTarget(url),)), expected_version=config.version)


@contextmanager
def consumers_paused() -> Iterator[list[dict]]:
    """Every SQS event source disabled (UpdateEventSourceMapping), so what the feed delivers stays in the queues."""
    lam = boto3.client("lambda")
    mappings = lam.list_event_source_mappings()["EventSourceMappings"]
    for mapping in mappings:
        lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)
    try:
        yield mappings
    finally:
        for mapping in mappings:
            lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)


def peek(queue_url: str) -> list[dict]:
    """The stream records the queue's messages carry (each an EventBridge event), left in the queue."""
    sqs, changes, handles = boto3.client("sqs"), [], []
    while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=30).get(
        "Messages", []
    ):
        for message in batch:
            event = json.loads(message["Body"])
            assert (event["source"], event["detail-type"]) == ("omnicase.table", "table change")
            changes.append(event["detail"])
            handles.append(message["ReceiptHandle"])
    for handle in handles:
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=0)
    return changes


def solve_a_replied_case(stack) -> str:
    case_id = traffic.stored_case_id(traffic.email(stack, EMAIL))
    assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "我们正在处理，请稍候。"})[0] == 201
    assert request(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})[0] == 200
    return case_id


def test_each_consumer_gets_exactly_the_changes_its_old_stream_filter_chose_and_then_acts_once(
    stack,
    acme_config,  # noqa: F811
    provider,
):
    with_webhooks(provider.url + "/case-hooks")
    boto3.client("ses").verify_domain_identity(Domain="globex.example")
    put_before = pipes.events_put()
    with consumers_paused() as mappings:
        assert mappings and all(":sqs:" in m["EventSourceArn"] for m in mappings)  # no function reads the stream
        traffic.wechat(stack, WECHAT)()
        traffic.email(stack, GLOBEX, to="help@globex.example")()  # the second tenant's changes ride the same feed
        case_id = solve_a_replied_case(stack)
        drain()
        records = stream_batch(stack)
        (pipe,) = boto3.client("pipes").list_pipes()["Pipes"]
        pipe_filter = boto3.client("pipes").describe_pipe(Name=pipe["Name"])["SourceParameters"]["FilterCriteria"]
        # What the pipe bills: the changes its filter lets through, each put on the bus once (the bench prices these)
        assert pipes.events_put() - put_before == sum(matches_filter_criteria(pipe_filter, r) for r in records) > 0
        for queue, pattern in OLD_STREAM_FILTERS.items():
            wanted = [r for r in records if matches_filter_criteria({"Filters": [{"Pattern": pattern}]}, r)]
            got = peek(queue_named(queue))
            assert wanted, queue
            assert sorted(r["dynamodb"]["SequenceNumber"] for r in got) == sorted(
                r["dynamodb"]["SequenceNumber"] for r in wanted
            ), queue
            assert {json.dumps(r["dynamodb"], sort_keys=True) for r in got} == {
                json.dumps(r["dynamodb"], sort_keys=True) for r in wanted
            }, queue  # the records themselves, Chinese text and both tenants' keys as the stream holds them
        tenants = {r["dynamodb"]["Keys"]["pk"]["S"].split("#")[1] for r in peek(queue_named("StartCaseTimersQueue"))}
        assert tenants == {"acme", "globex"}
        outbound = peek(queue_named("SendOutboundQueue"))
        mails = [r for r in outbound if r["dynamodb"]["NewImage"]["channel"]["S"] == "email"]
        assert sent_mail() == [] and survey_of(case_id) is None and provider.sent("/case-hooks") == []

    drain()  # the consumers poll again: every effect, once
    assert len(sent_mail()) == len(mails) and {m["To"] for m in sent_mail()} == {"ann@example.com", "li@example.cn"}
    assert len(provider.sent("/wechat/cgi-bin/message/custom/send")) == len(outbound) - len(mails) == 1
    assert survey_of(case_id) is not None
    assert len({p.headers["X-Omnicase-Delivery"] for p in provider.sent("/case-hooks")}) >= 3
    cases_timed = [e["name"].split("-")[1] for e in executions()]  # the open case and the solved one (auto-close)
    assert cases_timed and len(cases_timed) == len(set(cases_timed))  # one escalation execution per case at most
    assert all(depth(queue_named(queue)) == 0 for queue in OLD_STREAM_FILTERS)


def test_a_consumer_that_keeps_failing_holds_up_no_other_and_replay_redrives_its_changes_once(
    stack,
    acme_config,  # noqa: F811
    provider,
    faults,  # noqa: F811
    capsys,
):
    with_webhooks(provider.url + "/case-hooks")
    refused = faults.add("sfn", "StartExecution", "AccessDeniedException", times=None)

    open_case = traffic.stored_case_id(traffic.email(stack, replace(EMAIL, thread="bob", sender="bob@example.com")))
    case_id = solve_a_replied_case(stack)
    drain()

    # The others did their work while start_case_timers failed every receive of its changes.
    outbound = [m for ms in traffic.stored(stack).values() for m in ms if m["direction"] == "outbound"]
    assert len(outbound) >= 3 and len(sent_mail()) == len(outbound)
    assert survey_of(case_id) is not None and len(provider.sent("/case-hooks")) >= 3
    failures = queue_named("StartCaseTimersFailureQueue")
    assert executions() == [] and refused.injected > 0 and depth(failures) >= 1
    assert depth(queue_named("StartCaseTimersQueue")) == 0
    assert all(depth(queue_named(q)) == 0 for q in ("SendOutboundFailureQueue", "ScheduleSurveysFailureQueue"))

    code, out = replay(capsys, "--queue", failures)
    assert (code, depth(failures) > 0) == (1, True) and "failed (kept)" in out, out  # still failing: kept
    faults.clear()
    code, out = replay(capsys, "--queue", failures.rsplit("/", 1)[1])  # by name; the function found by redrive

    assert code == 0 and "change-feed message" in out and depth(failures) == 0, out
    # Each case's timer, once: the open case's SLA clock, the solved case's auto-close (reopen and close rules)
    timed = sorted(e["name"].split("-")[1] for e in executions())
    assert timed == sorted([open_case, case_id])
    code, out = replay(capsys, "--queue", failures)
    assert "the queue is empty: nothing to replay" in out and len(executions()) == 2


def test_a_poison_message_lands_in_its_consumers_failure_queue_and_replay_keeps_it(stack, capsys):
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=queue_named("CaseWebhookQueue"), MessageBody="这不是一个事件")
    drain()

    failures = queue_named("CaseWebhookFailureQueue")
    assert depth(queue_named("CaseWebhookQueue")) == 0 and depth(failures) == 1
    (message,) = sqs.receive_message(QueueUrl=failures, AttributeNames=["All"], VisibilityTimeout=0)["Messages"]
    # maxReceiveCount (6) receives by the consumer's poller, then this one: the count travels with the message
    assert message["Body"] == "这不是一个事件" and message["Attributes"]["ApproximateReceiveCount"] == "7"

    code, out = replay(capsys, "--queue", failures)
    assert code == 1 and "failed (kept)" in out and depth(failures) == 1, out  # still not a change: kept for a person
