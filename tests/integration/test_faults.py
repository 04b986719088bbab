"""Faults injected at the botocore boundary: transient ones are retried and the message is stored once; persistent
ones fail the handler (Lambda's retry and DLQ take over) with nothing half-written; a crash between two writes
followed by redelivery converges to one effect."""

from __future__ import annotations

import boto3
import pytest

from omnicase.persistence.delivery_store import DynamoDeliveryRecorder
from omnicase.persistence.timer_store import DynamoTimerStore
from omnicase_local.streams import drain
from tests.integration import inbound_traffic as traffic
from tests.integration.faults import faults  # noqa: F401 - fixture
from tests.integration.inbound_traffic import Inbound, inbound_bodies, stored
from tests.integration.test_ingest_email import sent_mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture: SLA policies, so timers
from tests.integration.test_sms_webhooks import sent_sms

ANN = Inbound("email", "ann", "my printer is broken", 0, "ann@example.com")
SMS = Inbound("sns_lambda", "l1", "parcel damaged", 1, "+14255550202")
CONFLICT = ("None", "TransactionConflict")  # the case item met another transaction
CHAT = Inbound("chat", "conv-f", "is anyone there?", 2, "visitor-f")


def executions() -> list[dict]:
    sfn = boto3.client("stepfunctions")
    machines = sfn.list_state_machines()["stateMachines"]
    return [e for m in machines for e in sfn.list_executions(stateMachineArn=m["stateMachineArn"])["executions"]]


def test_transient_faults_everywhere_are_retried_and_each_effect_happens_once(stack, acme_config, faults):  # noqa: F811
    injected = [
        faults.add("dynamodb", "BatchGetItem", "ProvisionedThroughputExceededException"),
        faults.add("dynamodb", "TransactWriteItems", "ThrottlingException"),
        faults.add("dynamodb", "TransactWriteItems", "InternalServerError", skip=1),
        # botocore does not retry a cancelled transaction: the intake re-reads and commits again
        faults.add("dynamodb", "TransactWriteItems", "TransactionCanceledException", skip=2, reasons=CONFLICT),
        faults.add("s3", "GetObject", "ServiceUnavailable"),
        faults.add("sesv2", "SendEmail", "TooManyRequestsException"),
        faults.add("sns", "Publish", "Throttling"),
        faults.add("sfn", "StartExecution", "ThrottlingException"),
    ]

    traffic.email(stack, ANN)()
    traffic.sns_lambda(stack, SMS)()
    drain()

    assert [f.injected for f in injected] == [1] * len(injected)
    assert sorted(tuple(inbound_bodies(m)) for m in stored(stack).values()) == sorted([(SMS.body,), (ANN.body,)])
    assert [m["To"] for m in sent_mail()] == [ANN.sender] and [p for p, _ in sent_sms()] == [SMS.sender]
    assert len(executions()) == 2  # one escalation timer per case, the throttled start retried


@pytest.mark.parametrize("code", ["InternalServerError", "TransactionCanceledException"])
def test_a_persistent_fault_fails_the_delivery_with_nothing_half_written_and_redelivery_stores_once(
    stack,
    faults,  # noqa: F811
    code,
):
    deliver = traffic.email(stack, ANN)
    fault = faults.add("dynamodb", "TransactWriteItems", code, times=None, reasons=("None", "ThrottlingError"))

    with pytest.raises(Exception):  # noqa: B017 - whichever: SNS → Lambda retries it, then the DLQ keeps it
        deliver()

    assert fault.injected >= 3  # botocore's retries, or the intake's own re-reads, before giving up
    drain()
    table = boto3.client("dynamodb").scan(TableName=stack.table)["Items"]
    assert stored(stack) == {} and not [i for i in table if i["sk"]["S"].startswith("MSG#")]
    faults.clear()
    deliver()
    deliver()
    drain()
    (messages,) = stored(stack).values()
    assert inbound_bodies(messages) == [ANN.body] and [m["kind"] for m in messages].count("acknowledgement") == 1
    assert [m["To"] for m in sent_mail()] == [ANN.sender]


def test_a_crash_between_two_writes_then_redelivery_converges_to_one_effect(stack, acme_config, provider, monkeypatch):  # noqa: F811
    # Outbound: sent, then the status write crashes once; the stream's retry sends again with the same delivery id
    # (the receiver's dedupe key: one delivery) and the status is recorded once.
    record = DynamoDeliveryRecorder.record_delivery
    crashes = {"record_delivery": 1, "claim": 1}

    def crash_once(name, write):
        def wrapped(*args, **kwargs):
            if crashes[name]:
                crashes[name] -= 1
                raise RuntimeError(f"crash before {name}")
            return write(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(DynamoDeliveryRecorder, "record_delivery", crash_once("record_delivery", record))
    # Escalation: the execution started, then claiming it crashes; the retry starts another, and only one owns the case.
    monkeypatch.setattr(DynamoTimerStore, "claim", crash_once("claim", DynamoTimerStore.claim))

    traffic.chat(stack, CHAT)()
    traffic.email(stack, ANN)()
    drain()

    assert crashes == {"record_delivery": 0, "claim": 0}
    posts = provider.sent("/chat-callback")
    assert len(posts) == 2 and len({p.headers["X-Omnicase-Delivery"] for p in posts}) == 1
    acks = {
        m["channel"]: (case_id, m)
        for case_id, ms in stored(stack).items()
        for m in ms
        if m["kind"] == "acknowledgement"
    }
    assert acks["chat"][1]["delivery_status"] == "sent" and [m["To"] for m in sent_mail()] == [ANN.sender]
    started = {case_id: [e["name"] for e in executions() if case_id in e["name"]] for case_id in stored(stack)}
    assert sorted(len(names) for names in started.values()) == [1, 2]  # the crashed claim's case: one orphan
    for case_id, names in started.items():
        _, timer = DynamoTimerStore().read("acme", case_id)
        assert timer.owner in names and timer.generation == 1  # one owner; the orphan ends at its first check


def test_a_copy_of_the_change_arriving_during_a_send_waits_and_the_mail_leaves_once(stack, acme_config, monkeypatch):  # noqa: F811
    # The change feed (EventBridge, SQS) may hand two copies of one change to two send_outbound runs at once: the
    # second finds the first's send claim, raises so its queue brings it back, and then finds the message sent.
    from omnicase.channels.email.sender import SesEmailSender
    from omnicase.domain.deliver_outbound import deliver_outbound
    from omnicase.domain.errors import SendInProgress
    from omnicase.wiring import delivery_recorder, outbound_senders

    send = SesEmailSender.send
    copies: list[str] = []

    def send_while_a_copy_arrives(self, message, tenant):
        if not copies:
            copies.append(message.message_id)
            with pytest.raises(SendInProgress):
                deliver_outbound(message, tenant, outbound_senders(), delivery_recorder())
        return send(self, message, tenant)

    monkeypatch.setattr(SesEmailSender, "send", send_while_a_copy_arrives)
    traffic.email(stack, ANN)()
    drain()

    assert len(copies) == 1 and [m["To"] for m in sent_mail()] == [ANN.sender]
    ack = next(m for ms in stored(stack).values() for m in ms if m["kind"] == "acknowledgement")
    assert ack["delivery_status"] == "sent"
