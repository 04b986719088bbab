"""deploy_stack and the in-process dispatcher: resources from template.yaml, handlers for every event source."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import boto3
import pytest
from chalice import Chalice

from omnicase_local.handlers import HandlerNotFound, load_handler
from omnicase_local.sam_template import read_sam_template
from omnicase_local.stack import deploy_stack

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}


@pytest.fixture
def deployed():
    from moto import mock_aws

    with mock_aws():
        yield deploy_stack(TEMPLATE)


def _of_type(kind: str) -> list[str]:
    return [lid for lid, r in read_sam_template(TEMPLATE).body["Resources"].items() if r["Type"] == kind]


def test_table_has_its_keys_indexes_ttl_and_stream(deployed):
    dynamodb = boto3.client("dynamodb")
    for logical_id in _of_type("AWS::DynamoDB::Table"):
        spec = read_sam_template(TEMPLATE).body["Resources"][logical_id]["Properties"]
        name = deployed.physical_ids[logical_id]
        table = dynamodb.describe_table(TableName=name)["Table"]
        assert table["KeySchema"] == spec["KeySchema"]
        expected_indexes = {i["IndexName"] for i in spec.get("GlobalSecondaryIndexes", [])}
        assert {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])} == expected_indexes
        if "StreamSpecification" in spec:
            assert table["StreamSpecification"]["StreamViewType"] == spec["StreamSpecification"]["StreamViewType"]
        if spec.get("TimeToLiveSpecification", {}).get("Enabled"):
            ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
            assert ttl == {
                "TimeToLiveStatus": "ENABLED",
                "AttributeName": spec["TimeToLiveSpecification"]["AttributeName"],
            }


def test_buckets_topics_and_queues_exist(deployed):
    for logical_id in _of_type("AWS::S3::Bucket"):
        boto3.client("s3").head_bucket(Bucket=deployed.physical_ids[logical_id])
    topics = {t["TopicArn"] for t in boto3.client("sns").list_topics()["Topics"]}
    assert {deployed.physical_ids[lid] for lid in _of_type("AWS::SNS::Topic")} <= topics
    for logical_id in _of_type("AWS::S3::BucketPolicy"):
        bucket = deployed.physical_ids[logical_id.removesuffix("Policy")]
        assert json.loads(boto3.client("s3").get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]


def test_functions_get_their_environment_resolved_to_physical_names(deployed):
    assert set(deployed.functions) == set(_of_type("AWS::Serverless::Function"))
    names = set(deployed.physical_ids.values())
    for function in deployed.functions.values():
        env = boto3.client("lambda").get_function_configuration(FunctionName=function.name)["Environment"]["Variables"]
        assert {k: str(v) for k, v in env.items()} == function.environment
        assert env["TABLE_NAME"] in names and env["MAIL_BUCKET"] in names
        assert (function.code_dir / "app.py").is_file()


def test_sns_events_subscribe_their_function(deployed):
    subscriptions = boto3.client("sns").list_subscriptions()["Subscriptions"]
    lambda_endpoints = {s["Endpoint"] for s in subscriptions if s["Protocol"] == "lambda"}
    ingest = deployed.functions["IngestEmailFunction"]
    assert ingest.arn in lambda_endpoints
    assert ingest.dead_letter_arn and ingest.dead_letter_arn.startswith("arn:aws:sqs:")


def test_receipt_rule_is_resolved_and_active(deployed):
    (rule,) = deployed.receipt_rules
    assert rule.recipients == ("support@acme.example",)
    (action,) = rule.s3_actions
    assert action.bucket == deployed.physical_ids["MailBucket"]
    assert action.prefix == "inbound/"
    assert action.topic_arn == deployed.physical_ids["InboundMailTopic"]
    active = boto3.client("ses").describe_active_receipt_rule_set()
    assert [r["Name"] for r in active["Rules"]] == [rule.name]
    assert rule.matches("Support@Acme.example") and not rule.matches("someone@unknown.example")


def test_routes_come_from_the_api_events(deployed):
    routes = {(r.method, r.path, r.function) for r in deployed.routes}
    assert ("GET", "/cases/{case_id}", "ApiFunction") in routes
    assert all(r.function in deployed.functions for r in deployed.routes)
    assert "ServerlessRestApi" in deployed.dropped


def test_load_handler_resolves_plain_handlers_and_chalice_apps(deployed):
    for function in deployed.functions.values():
        handler = load_handler(function.code_dir, function.handler)
        assert callable(handler)
        assert load_handler(function.code_dir, function.handler) is handler
        if function.handler.endswith(".app"):
            assert isinstance(handler, Chalice)


def test_load_handler_names_what_is_missing(tmp_path):
    (tmp_path / "app.py").write_text("value = 1\n")
    with pytest.raises(HandlerNotFound, match="no callable 'handler'"):
        load_handler(tmp_path, "app.handler")
    with pytest.raises(HandlerNotFound, match=r"no .*missing\.py"):
        load_handler(tmp_path, "missing.handler")


# A self-contained template exercising every event source the dispatcher serves.
PROBE_APP = """
import json

RECEIVED = []


def handler(event, context):
    RECEIVED.append((event, context.function_name))
    if "boom" in json.dumps(event):
        raise RuntimeError("boom requested")
    return {"echo": event, "remaining": context.get_remaining_time_in_millis() > 0}
"""

PROBE_TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
  DeadLetters:
    Type: AWS::SQS::Queue
  Batched:
    Type: AWS::SQS::Queue
  Probe:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: probe/
      Handler: app.handler
      Runtime: python3.12
      DeadLetterQueue: { Type: SQS, TargetArn: !GetAtt DeadLetters.Arn }
      Environment: { Variables: { TOPIC: !Ref Topic } }
      Events:
        Notified: { Type: SNS, Properties: { Topic: !Ref Topic } }
        Tick: { Type: Schedule, Properties: { Schedule: rate(5 minutes) } }
        Queued:
          Type: SQS
          Properties: { Queue: !GetAtt Batched.Arn, BatchSize: 4, MaximumBatchingWindowInSeconds: 60 }
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions: { ProbeArn: !GetAtt Probe.Arn }
      Policies: [{ LambdaInvokePolicy: { FunctionName: !Ref Probe } }]
      Definition:
        StartAt: Call
        States:
          Call: { Type: Task, Resource: "${ProbeArn}", End: true }
"""


@pytest.fixture
def probe(tmp_path, monkeypatch):
    from moto import mock_aws
    from moto.server import ThreadedMotoServer

    from omnicase_local.dispatch import install_dispatcher
    from tests.e2e.conftest import free_port

    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "app.py").write_text(PROBE_APP)
    (tmp_path / "template.yaml").write_text(textwrap.dedent(PROBE_TEMPLATE))
    port = free_port()
    monkeypatch.setenv("MOTO_PORT", str(port))
    with mock_aws(config=MOTO_CONFIG):
        server = ThreadedMotoServer(port=port, verbose=False)
        server.start()
        try:
            stack = deploy_stack(tmp_path / "template.yaml", stack_name="probe")
            install_dispatcher(stack)
            function = stack.functions["Probe"]
            yield stack, load_handler(function.code_dir, "app.handler").__globals__["RECEIVED"]
        finally:
            server.stop()


def test_lambda_invoke_runs_the_handler_in_process(probe):
    stack, received = probe
    response = boto3.client("lambda").invoke(FunctionName=stack.functions["Probe"].name, Payload=b'{"hello": 1}')
    assert json.loads(response["Payload"].read()) == {"echo": {"hello": 1}, "remaining": True}
    assert received[-1] == ({"hello": 1}, stack.functions["Probe"].name)


def test_a_raising_handler_is_a_lambda_function_error(probe):
    stack, _ = probe
    response = boto3.client("lambda").invoke(FunctionName=stack.functions["Probe"].name, Payload=b'{"boom": 1}')
    assert response["FunctionError"] == "Unhandled"
    assert json.loads(response["Payload"].read())["errorMessage"] == "boom requested"


def test_sns_delivers_a_real_shaped_record(probe):
    stack, received = probe
    topic = stack.physical_ids["Topic"]
    message_id = boto3.client("sns").publish(TopicArn=topic, Message="hi", Subject="s")["MessageId"]
    record = received[-1][0]["Records"][0]
    assert record["Sns"]["TopicArn"] == topic
    assert record["Sns"]["MessageId"] == message_id
    assert record["Sns"]["Message"] == "hi"


def test_failed_sns_delivery_is_retried_then_dead_lettered(probe):
    stack, received = probe
    before = len(received)
    boto3.client("sns").publish(TopicArn=stack.physical_ids["Topic"], Message="boom")
    assert len(received) - before == 3
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(
        QueueUrl=stack.physical_ids["DeadLetters"], MessageAttributeNames=["All"], WaitTimeSeconds=0
    )["Messages"]
    assert json.loads(messages[0]["Body"])["Records"][0]["Sns"]["Message"] == "boom"
    assert messages[0]["MessageAttributes"]["ErrorMessage"]["StringValue"] == "boom requested"


def test_state_machine_tasks_call_the_handler(probe):
    stack, _ = probe
    sfn = boto3.client("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=stack.state_machines["Flow"], input='{"step": 1}')["executionArn"]
    deadline = time.monotonic() + 10
    while (status := sfn.describe_execution(executionArn=arn)["status"]) == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status == "SUCCEEDED"
    assert json.loads(sfn.describe_execution(executionArn=arn)["output"])["echo"] == {"step": 1}


def test_schedules_and_function_environment_come_from_the_template(probe):
    stack, _ = probe
    (schedule,) = stack.schedules
    assert (schedule.target, schedule.expression) == ("Probe", "rate(5 minutes)")
    assert stack.functions["Probe"].environment["TOPIC"] == stack.physical_ids["Topic"]


def test_schedules_tick_their_function_with_a_scheduled_event(probe, monkeypatch):
    from omnicase_local.schedules import ScheduleTicker, fire_schedule

    stack, received = probe
    monkeypatch.setenv("OMNICASE_LOCAL_SCHEDULE_SECONDS", "0.05")
    ticker = ScheduleTicker(stack.schedules, lambda schedule: fire_schedule(stack, schedule))
    ticker.start()
    try:
        deadline = time.monotonic() + 5
        while not any(e.get("detail-type") == "Scheduled Event" for e, _ in received) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        ticker.stop()
    event = next(e for e, _ in received if e.get("detail-type") == "Scheduled Event")
    assert event["source"] == "aws.events" and event["resources"][0].startswith("arn:aws:events:")


def test_deliver_email_stores_the_mail_and_notifies_like_ses(deployed):
    from omnicase.channels.email.ses_notification import SesReceivedNotification
    from omnicase_local.ses_receipt import build_received_notification

    raw = (
        b"From: =?utf-8?b?5byg5Lyf?= <wei@example.com>\r\nTo: Acme <support@acme.example>\r\n"
        b"Subject: =?utf-8?q?Caf=C3=A9_order?=\r\nMessage-ID: <x1@example.com>\r\n\r\nHello\r\n"
    )
    (rule,) = deployed.receipt_rules
    (action,) = rule.s3_actions
    notification = build_received_notification(
        raw,
        envelope_from="wei@example.com",
        recipients=["support@acme.example"],
        bucket=action.bucket,
        key=f"{action.prefix}abc",
        topic_arn=action.topic_arn,
        message_id="abc",
    )
    parsed = SesReceivedNotification.model_validate(notification)
    assert parsed.receipt.action.objectKey == "inbound/abc"
    common = notification["mail"]["commonHeaders"]
    assert common["subject"] == "Café order"
    assert common["from"] == ['"张伟" <wei@example.com>'] and common["messageId"] == "<x1@example.com>"
    assert {"name": "Subject", "value": "=?utf-8?q?Caf=C3=A9_order?="} in notification["mail"]["headers"]

    ses_id = deployed.deliver_email(raw, "wei@example.com", ["support@acme.example"])
    stored = boto3.client("s3").get_object(Bucket=action.bucket, Key=f"inbound/{ses_id}")["Body"].read()
    assert stored.startswith(b"Return-Path: <wei@example.com>\r\nReceived: ") and stored.endswith(raw)
    assert notification["mail"]["headersTruncated"] is False and len(notification["mail"]["headers"]) == 4


def test_a_notification_truncates_headers_over_10_kb_as_ses_does_and_fits_sns():
    import json

    from omnicase_local.ses_receipt import MAX_NOTIFICATION_HEADERS_BYTES, build_received_notification

    # 300 KB of headers: a Subject folded over 1,000 lines, 10,000 To addresses, 300 filler headers
    subject = "Subject: " + "\r\n ".join(["word " * 50] * 1_000)
    to = "To: " + ",\r\n ".join(f"user{n}@example.com" for n in range(10_000))
    filler = "".join(f"X-Filler-{n}: {'v' * 900}\r\n" for n in range(300))
    raw = f"From: bo@example.com\r\n{subject}\r\n{to}\r\n{filler}\r\nhi\r\n".encode()
    notification = build_received_notification(
        raw, envelope_from="bo@example.com", recipients=["support@acme.example"], bucket="b", key="k",
        topic_arn="arn:aws:sns:us-east-1:123456789012:t", message_id="m",
    )  # fmt: skip
    mail = notification["mail"]
    assert mail["headersTruncated"] is True and mail["headers"][0] == {"name": "From", "value": "bo@example.com"}
    assert len(json.dumps(mail["headers"]).encode()) <= MAX_NOTIFICATION_HEADERS_BYTES + 2 * len(mail["headers"])
    assert len(json.dumps(notification).encode()) < 256 * 1024  # SNS's limit for the message it is published as


def test_outbox_normalizes_raw_ses_mail_with_its_case_header():
    from types import SimpleNamespace

    from omnicase_local.outbox import normalize_ses

    raw = (
        "From: support@acme.example\r\nTo: ann@example.com\r\nSubject: Re: [#C1] Help\r\n"
        "X-Omnicase-Case: C1\r\n\r\nHi\r\n"
    )
    sent = SimpleNamespace(raw_data=raw, destinations=["ann@example.com"] * 2, source="support@acme.example")
    entry = normalize_ses(sent)
    assert entry["channel"] == "email" and entry["to"] == ["ann@example.com"]
    assert (entry["subject"], entry["case_id"], entry["body_text"].strip()) == ("Re: [#C1] Help", "C1", "Hi")


def test_outbox_shows_8bit_chinese_and_russian_bodies_as_their_characters():
    from email.message import EmailMessage
    from types import SimpleNamespace

    from omnicase_local.outbox import normalize_ses

    for text in ("Здравствуйте! Ваш заказ уже в пути.", "您好，您的订单已发出。"):
        mail = EmailMessage()
        mail["Subject"] = "Re: [#C1] 订单"
        mail.set_content(text, cte="8bit")  # what the sender chose for the Russian reply
        # moto keeps what SendRawEmail received decoded from UTF-8
        sent = SimpleNamespace(raw_data=mail.as_bytes().decode("utf-8"), destinations=["ann@example.com"])
        entry = normalize_ses(sent)
        assert entry["body_text"].strip() == text and entry["subject"] == "Re: [#C1] 订单"


def _queued_batches(received: list, timeout: float = 20) -> list[list[str]]:
    """The bodies of each SQS batch the probe got, once one has come (or after `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batches = [[r["body"] for r in event["Records"]] for event, _ in received if "Records" in event]
        batches = [b for b in batches if b and all(isinstance(body, str) for body in b)]
        if batches:
            return batches
        time.sleep(0.05)
    return []


def test_an_sqs_poller_gathers_a_batch_within_its_window_as_lambda_does(probe):
    """BatchSize 4, MaximumBatchingWindowInSeconds 60: the first message is received, the rest come after it, and
    all four reach the function together (the batch is then full, so it goes at once, not after 60 s); without the
    window the first would go alone."""
    from omnicase_local.sqs_event_sources import handed_counts

    stack, received = probe
    sqs, queue = boto3.client("sqs"), stack.physical_ids["Batched"]
    handed_before = handed_counts()
    sqs.send_message(QueueUrl=queue, MessageBody="m0")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _in_flight(sqs, queue) == 0:  # the poller has it
        time.sleep(0.01)
    for n in range(1, 4):
        sqs.send_message(QueueUrl=queue, MessageBody=f"m{n}")
    assert _queued_batches(received) == [["m0", "m1", "m2", "m3"]]
    # what SQS bills (the bench's cost estimate): four messages sent and deleted, one receive that brought them
    assert [n - before for n, before in zip(handed_counts(), handed_before, strict=True)] == [4, 1]


def _in_flight(sqs, queue: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessagesNotVisible"])


def test_while_drained_a_poller_hands_on_a_partial_batch_without_waiting_out_its_window(probe):
    from omnicase_local.sqs_event_sources import batches_flushed

    stack, received = probe
    with batches_flushed():
        boto3.client("sqs").send_message(QueueUrl=stack.physical_ids["Batched"], MessageBody="alone")
        assert _queued_batches(received) == [["alone"]]  # well before the 60 s window closes
