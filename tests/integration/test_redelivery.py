"""Every inbound channel and every stream consumer, each delivery made 3× in a shuffled order: the same cases,
messages, acknowledgements, sends, surveys and webhook posts as one in-order delivery."""

from __future__ import annotations

import random
from collections import Counter

import boto3

from omnicase_local.streams import drain
from tests.integration import inbound_traffic as traffic
from tests.integration.inbound_traffic import Inbound
from tests.integration.test_ingest_email import sent_mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.test_sms_webhooks import sent_sms, sns_urls  # noqa: F401 - fixture

ANN, BOB = "ann@example.com", "bob@example.com"
SEQUENCE = [
    Inbound("email", "ann", "my printer is broken", 0, ANN),
    Inbound("email", "bob", "where is my refund", 10, BOB),
    Inbound("email", "ann", "it still prints nothing", 30, ANN, ref="email-ann-0@example.com"),
    Inbound("twilio", "t1", "parcel late", 1, "+8613800000001"),
    Inbound("twilio", "t1", "order 100-2231", 2, "+8613800000001"),
    Inbound("twilio", "t2", "wrong size", 3, "+8613800000002"),
    Inbound("sns_https", "h1", "is it shipped?", 5, "+14255550101"),
    Inbound("sns_https", "h1", "tracking please", 6, "+14255550101"),
    Inbound("sns_lambda", "l1", "arrived damaged", 7, "+14255550202"),
    Inbound("sns_lambda", "l1", "photo attached soon", 8, "+14255550202"),
    Inbound("chat", "conv-a", "hello", 11, "visitor-a"),
    Inbound("chat", "conv-a", "my invoice is wrong", 12, "visitor-a"),
    Inbound("chat", "conv-a", "it says 99 instead of 9", 13, "visitor-a"),
    Inbound("chat", "conv-b", "opening hours?", 14, "visitor-b"),
    Inbound("wechat", "w1", "发票什么时候开？", 15, "oUpF8uMuAJO_M2pxb1Q9zNjWeS01"),
    Inbound("wechat", "w1", "订单号 8812", 16, "oUpF8uMuAJO_M2pxb1Q9zNjWeS01"),
    Inbound("wechat_aes", "w2", "加密消息一", 17, "oUpF8uMuAJO_M2pxb1Q9zNjWeS02"),
    Inbound("wechat_aes", "w2", "加密消息二", 18, "oUpF8uMuAJO_M2pxb1Q9zNjWeS02"),
]


def test_every_channel_delivered_three_times_out_of_order_stores_each_message_once_in_sending_order(
    stack,
    provider,
    sns_urls,  # noqa: F811
):
    prepared = {
        m: traffic.sns_https(stack, m, sns_urls) if m.channel == "sns_https" else getattr(traffic, m.channel)(stack, m)
        for m in SEQUENCE
    }
    deliveries = [m for m in SEQUENCE for _ in range(3)]
    random.Random(6).shuffle(deliveries)
    first_arrival: list[Inbound] = []
    for m in deliveries:
        answer = prepared[m]()
        status = getattr(answer, "status_code", 200)
        assert status in (200, 201), (m, status, getattr(answer, "json_body", None))
        first_arrival += [m] if m not in first_arrival else []
    drain()

    # Expected from the inputs alone: one case per thread, its messages in the customer's sending order —
    # except Twilio, whose webhook carries no send time, so arrival order is all anyone can know.
    expected = Counter()
    for thread in dict.fromkeys((m.channel, m.thread) for m in SEQUENCE):
        messages = [m for m in SEQUENCE if (m.channel, m.thread) == thread]
        if thread[0] == "twilio":
            messages = [m for m in first_arrival if m in messages]
        else:
            messages.sort(key=lambda m: m.sent)
        expected[tuple(m.body for m in messages)] += 1
    cases = traffic.stored(stack)
    assert Counter(tuple(traffic.inbound_bodies(messages)) for messages in cases.values()) == expected

    # One acknowledgement per case, queued once and sent once through the case's own channel.
    acks = Counter(m["channel"] for messages in cases.values() for m in messages if m["kind"] == "acknowledgement")
    assert acks == {"email": 2, "sms": 4, "chat": 2, "wechat": 2}
    assert all(sum(m["kind"] == "acknowledgement" for m in messages) == 1 for messages in cases.values())
    assert sorted(m["To"] for m in sent_mail()) == [ANN, BOB]
    assert Counter(phone for phone, _ in sent_sms()) == dict.fromkeys(
        ("+8613800000001", "+8613800000002", "+14255550101", "+14255550202"), 1
    )
    assert len(provider.sent("/chat-callback")) == 2
    assert len(provider.sent("/wechat/cgi-bin/message/custom/send")) == 2


def stream_batch(stack) -> list[dict]:
    """Every record the table's stream holds, as Lambda delivers them (read back with GetRecords)."""
    from botocore.config import Config

    from omnicase_local.replay_command import lambda_record

    streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
    arn = boto3.client("dynamodb").describe_table(TableName=stack.table)["Table"]["LatestStreamArn"]
    (shard,) = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
    return [lambda_record(r, arn) for r in streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]]


def test_every_stream_consumer_fed_the_same_batch_three_times_shuffled_has_each_effect_once(
    stack,
    acme_config,  # noqa: F811
    provider,
):
    from dataclasses import replace

    from omnicase.domain.tenant_config import WebhookTarget
    from omnicase.wiring import config_store
    from omnicase_local.handlers import LambdaContext
    from tests.integration.test_case_actions_api import request
    from tests.integration.test_faults import executions

    config = config_store().load("acme", cached=False)
    config_store().save(
        replace(config, webhooks=(WebhookTarget(provider.url + "/case-hooks"),)), expected_version=config.version
    )
    case_id = traffic.stored_case_id(traffic.email(stack, SEQUENCE[0]))
    drain()  # its timer starts while the case is open (the consumers run apart: a solve first would need none)
    assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "We are on it."})[0] == 201
    assert request(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})[0] == 200
    drain()
    sends, survey = len(sent_mail()), survey_of(case_id)
    hooks = {p.headers["X-Omnicase-Delivery"] for p in provider.sent("/case-hooks")}
    timers = executions()
    outbound = [m for m in traffic.stored(stack)[case_id] if m["direction"] == "outbound"]
    assert sends == len(outbound) == 3 and survey is not None and len(hooks) >= 3 and len(timers) == 1

    batch = stream_batch(stack)
    consumers = ("send_outbound", "start_case_timers", "schedule_surveys", "deliver_case_webhooks")
    for attempt in range(3):
        for name in consumers:
            records = random.Random(attempt).sample(batch, len(batch))
            assert stack.handler(name)({"Records": records}, LambdaContext(name)) == {"batchItemFailures": []}
    drain()

    assert len(sent_mail()) == sends  # each queued message sent once
    assert survey_of(case_id) == survey  # one survey, as scheduled the first time
    redelivered = [p.headers["X-Omnicase-Delivery"] for p in provider.sent("/case-hooks")]
    assert set(redelivered) == hooks and len(redelivered) == 4 * len(hooks)  # at least once, one id per event
    assert [e["name"] for e in executions()] == [e["name"] for e in timers]  # no second escalation execution


def survey_of(case_id: str):
    from omnicase.persistence.survey_store import DynamoSurveyStore

    return DynamoSurveyStore().get("acme", case_id)
