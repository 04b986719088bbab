"""The change feed in template.yaml (docs/change-feed.md): the table stream keeps within DynamoDB's two readers per
shard, every consumer is a rule → queue → function with the same retry and failure-queue path, and the pipe's
filter lets through every change some consumer's rule wants."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from omnicase_local.event_filter import matches_filter_criteria
from omnicase_local.sam_template import load_yaml

ROOT = Path(__file__).resolve().parents[2]
MAX_STREAM_READERS = 2  # "no more than 2 processes reading from the same streams shard" (DynamoDB Streams API)


@cache
def _template() -> dict[str, Any]:
    return load_yaml(ROOT / "template.yaml")


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in _template()["Resources"].items() if r["Type"] == kind}


def getatt(value: Any) -> tuple[str, str] | None:
    """(logical id, attribute) of a `!GetAtt X.Y`, else None."""
    if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
        target = value["Fn::GetAtt"]
        return tuple(target.split(".", 1)) if isinstance(target, str) else tuple(target)  # type: ignore[return-value]
    return None


def stream_readers() -> list[str]:
    """Everything that reads the table's stream: functions' DynamoDB events, event source mappings, pipes."""
    readers = []
    for name, function in resources("AWS::Serverless::Function").items():
        for event_name, event in (function["Properties"].get("Events") or {}).items():
            if event["Type"] == "DynamoDB" and getatt(event["Properties"]["Stream"]) == ("CasesTable", "StreamArn"):
                readers.append(f"{name}.{event_name}")
    for name, mapping in resources("AWS::Lambda::EventSourceMapping").items():
        if getatt(mapping["Properties"]["EventSourceArn"]) == ("CasesTable", "StreamArn"):
            readers.append(name)
    for name, pipe in resources("AWS::Pipes::Pipe").items():
        if getatt(pipe["Properties"]["Source"]) == ("CasesTable", "StreamArn"):
            readers.append(name)
    return readers


def consumers() -> dict[str, tuple[str, dict[str, Any]]]:
    """Each change-bus rule: (the queue it targets, the rule's properties)."""
    found = {}
    for name, rule in resources("AWS::Events::Rule").items():
        props = rule["Properties"]
        if props.get("EventBusName") == {"Ref": "ChangeFeedBus"}:
            ((target,),) = [props["Targets"]]
            found[name] = (getatt(target["Arn"])[0], props)
    return found


def test_the_table_stream_has_one_reader_the_pipe_within_dynamodbs_two_per_shard():
    assert stream_readers() == ["ChangeFeedPipe"]
    assert len(stream_readers()) <= MAX_STREAM_READERS


def test_the_pipe_reads_the_stream_onto_the_change_bus_with_retries_and_a_dead_letter_queue():
    pipe = resources("AWS::Pipes::Pipe")["ChangeFeedPipe"]["Properties"]
    source = pipe["SourceParameters"]["DynamoDBStreamParameters"]
    assert getatt(pipe["Target"]) == ("ChangeFeedBus", "Arn")
    assert 1 <= source["BatchSize"] <= 10  # a bus target takes at most 10 events per PutEvents
    assert source["MaximumRetryAttempts"] >= 0 and source["OnPartialBatchItemFailure"] == "AUTOMATIC_BISECT"
    assert getatt(source["DeadLetterConfig"]["Arn"]) == ("ChangeFeedPipeFailureQueue", "Arn")
    role = resources("AWS::IAM::Role")[getatt(pipe["RoleArn"])[0]]["Properties"]
    (statements,) = [p["PolicyDocument"]["Statement"] for p in role["Policies"]]
    granted = {(a, json.dumps(s["Resource"])) for s in statements for a in s["Action"] if isinstance(s["Action"], list)}
    granted |= {(s["Action"], json.dumps(s["Resource"])) for s in statements if isinstance(s["Action"], str)}
    stream = json.dumps({"Fn::GetAtt": ["CasesTable", "StreamArn"]})
    assert ("dynamodb:GetRecords", stream) in granted and ("dynamodb:GetShardIterator", stream) in granted
    assert ("events:PutEvents", json.dumps({"Fn::GetAtt": ["ChangeFeedBus", "Arn"]})) in granted
    assert ("sqs:SendMessage", json.dumps({"Fn::GetAtt": ["ChangeFeedPipeFailureQueue", "Arn"]})) in granted


def test_the_four_consumers_each_have_a_rule_a_queue_and_a_failure_queue():
    polled = {
        getatt(event["Properties"]["Queue"])[0]: (name, event["Properties"])
        for name, function in resources("AWS::Serverless::Function").items()
        for event in (function["Properties"].get("Events") or {}).values()
        if event["Type"] == "SQS"
    }
    functions = resources("AWS::Serverless::Function")
    queues = resources("AWS::SQS::Queue")
    policy = resources("AWS::SQS::QueuePolicy")["ChangeFeedQueuePolicy"]["Properties"]
    allowed = {ref["Ref"] for ref in policy["Queues"]}
    rules = consumers()
    assert {polled[queue][0] for queue, _ in rules.values()} >= {
        "SendOutboundFunction",
        "ScheduleSurveysFunction",
        "DeliverCaseWebhooksFunction",
        "StartCaseTimersFunction",
    }
    for rule, (queue, props) in rules.items():
        function, event = polled[queue]  # exactly one function polls the rule's queue ...
        assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"], rule  # ... reporting failed items
        redrive = queues[queue]["Properties"]["RedrivePolicy"]
        failure_queue = getatt(redrive["deadLetterTargetArn"])[0]
        assert redrive["maxReceiveCount"] >= 5, rule  # AWS's advice for a Lambda-polled queue
        assert getatt(props["Targets"][0]["DeadLetterConfig"]["Arn"])[0] == failure_queue, rule
        timeout = functions[function]["Properties"].get("Timeout", _template()["Globals"]["Function"]["Timeout"])
        assert queues[queue]["Properties"]["VisibilityTimeout"] >= 6 * timeout, rule
        assert {queue, failure_queue} <= allowed, f"{rule}: EventBridge may not send to its queues"
        assert props["EventPattern"]["source"] == ["omnicase.table"], rule


def example_of(pattern: Any) -> Any:
    """A value matching an event pattern (the first allowed value; something else for anything-but)."""
    if isinstance(pattern, dict):
        return {key: example_of(value) for key, value in pattern.items()}
    allowed = pattern[0]
    if isinstance(allowed, dict) and "anything-but" in allowed:
        return "something-else"
    return allowed


@pytest.mark.parametrize("rule", sorted(consumers()))
def test_the_pipe_filter_lets_through_what_each_rule_wants(rule):
    pipe = resources("AWS::Pipes::Pipe")["ChangeFeedPipe"]["Properties"]
    _, props = consumers()[rule]
    change = example_of(props["EventPattern"]["detail"])
    assert matches_filter_criteria(pipe["SourceParameters"]["FilterCriteria"], change), rule
