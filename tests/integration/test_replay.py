"""`omnicase replay`: a function made to fail puts its event in its DLQ (through the dispatcher, as Lambda does);
once the fault is cleared, replay re-drives it and the message appears exactly once; a dry run changes nothing."""

from __future__ import annotations

import json

import boto3

from omnicase_local.cli import main
from omnicase_local.streams import drain
from tests.integration.faults import faults  # noqa: F401 - fixture
from tests.integration.inbound_traffic import Inbound, inbound_bodies, pinpoint_message, stored
from tests.integration.test_ingest_email import sent_mail
from tests.integration.test_redelivery import SEQUENCE


def queue_named(part: str) -> str:
    sqs = boto3.client("sqs")
    (url,) = [u for u in sqs.list_queues()["QueueUrls"] if part in u]
    return url


def depth(url: str) -> int:
    """Messages still in the queue, visible or not."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return sum(int(attributes[name]) for name in names)


def replay(capsys, *args: str) -> tuple[int, str]:
    code = main(["replay", *args])
    return code, capsys.readouterr().out


def test_an_sms_that_failed_three_times_waits_in_the_dlq_and_replay_stores_it_once(stack, faults, capsys):  # noqa: F811
    sns = boto3.client("sns")
    (topic,) = [t["TopicArn"] for t in sns.list_topics()["Topics"] if "InboundSms" in t["TopicArn"]]
    denied = faults.add("dynamodb", "BatchGetItem", "AccessDeniedException", times=None)  # not retried by botocore
    sms = Inbound("sns", "r1", "my parcel never came", 0, "+14255550303")

    sns.publish(TopicArn=topic, Message=pinpoint_message(sms))  # Lambda's async invoke: 1 + 2 retries, then DLQ

    dlq = queue_named("IngestSmsDeadLetterQueue")
    assert denied.injected == 3 and depth(dlq) == 1 and stored(stack) == {}
    faults.clear()
    code, out = replay(capsys, "--queue", dlq, "--dry-run")
    assert code == 0 and "would replay" in out and depth(dlq) == 1 and stored(stack) == {}

    code, out = replay(capsys, "--queue", dlq.rsplit("/", 1)[1])  # by name; the function found from the queue

    assert code == 0 and "1 replayed" in out and depth(dlq) == 0
    (messages,) = stored(stack).values()
    assert inbound_bodies(messages) == ["my parcel never came"]
    assert "the queue is empty: nothing to replay" in replay(capsys, "--queue", dlq)[1]


def test_an_acknowledgement_whose_send_kept_failing_is_replayed_from_its_failure_queue_once(stack, faults, capsys):  # noqa: F811
    from tests.integration.inbound_traffic import email

    paused = faults.add("sesv2", "SendEmail", "SendingPausedException", times=None)
    email(stack, SEQUENCE[0])()
    drain()
    failures = queue_named("SendOutboundFailureQueue")
    # SendOutboundQueue's maxReceiveCount: 6 receives, each a send refused, then the change moves to the failure queue
    assert paused.injected == 6 and depth(failures) == 1 and sent_mail() == []
    (ack,) = [m for ms in stored(stack).values() for m in ms if m["kind"] == "acknowledgement"]
    assert ack["delivery_status"] == "queued" and ack["delivery_detail"].startswith("retrying: ")  # agents see why
    event = json.loads(
        boto3.client("sqs").receive_message(QueueUrl=failures, VisibilityTimeout=0)["Messages"][0]["Body"]
    )
    # the change itself, as the change feed carried it: the bus event with the stream record as its detail
    assert event["detail"]["dynamodb"]["NewImage"]["message_id"]["S"] == ack["message_id"]

    code, out = replay(capsys, "--queue", failures)
    assert (code, "failed (kept)" in out, depth(failures)) == (1, True, 1), out  # still failing: kept
    faults.clear()
    code, out = replay(capsys, "--queue", failures)

    assert code == 0 and "1 change-feed message" in out and depth(failures) == 0, out
    assert [m["To"] for m in sent_mail()] == [SEQUENCE[0].sender]
    (ack,) = [m for ms in stored(stack).values() for m in ms if m["kind"] == "acknowledgement"]
    assert (ack["delivery_status"], ack["delivery_detail"]) == ("sent", None)
