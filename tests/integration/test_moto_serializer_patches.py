"""moto answers the same (DynamoDB byte for byte) with the local runtime's shortcuts in its serializer, dispatch
and SQS, and keeps no list of every object it ever made."""

from __future__ import annotations

import base64
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from omnicase_local import moto_patches
from tests.integration.moto_tables import create_pk_sk_table

TABLE = "wire"
# Every kind of AttributeValue, nested, with Chinese text, an empty string, binary that is not UTF-8 and a false
ITEM = {
    "pk": {"S": "T#acme#CASE#1"},
    "sk": {"S": "CASE"},
    "subject": {"S": "退款 / refund ✓"},
    "empty": {"S": ""},
    "count": {"N": "-12.50"},
    "flag": {"BOOL": False},
    "none": {"NULL": True},
    "blob": {"B": b"\x00\xff\xfe raw"},
    "tags": {"SS": ["vip", "账单"]},
    "scores": {"NS": ["1", "2.5"]},
    "blobs": {"BS": [b"\x01", b"\x02\x03"]},
    "service": {
        "M": {
            "queue": {"S": "billing"},
            "history": {"L": [{"S": "open"}, {"N": "1"}, {"M": {}}, {"L": []}, {"B": b"\x7f"}, {"BOOL": True}]},
            "deep": {"M": {"agent": {"S": "王芳"}, "none": {"NULL": True}}},
        }
    },
}


def _use(monkeypatch, implementation: str) -> None:
    """Every shortcut on a moto response's way, or moto's own instead."""
    from moto.core import responses
    from moto.core.serialize import BaseJSONSerializer
    from moto.sqs import models

    moto_patches.apply_moto_patches()
    if implementation == "stock":
        stock = moto_patches.STOCK
        monkeypatch.setattr(BaseJSONSerializer, "_serialize_type_structure", stock["json_serialize_structure"])
        remembered = ((models, "camelcase_to_underscores"), (responses, "camelcase_to_underscores"))
        for module, name in (*remembered, (responses, "method_names_from_class")):
            monkeypatch.setattr(module, name, stock[f"{module.__name__}.{name}"])


def _stock_then_patched(monkeypatch, conversation) -> tuple[Any, Any]:
    """What `conversation()` got from moto's own code, then from the patched."""
    _use(monkeypatch, "stock")
    stock = conversation()
    monkeypatch.undo()
    _use(monkeypatch, "patched")
    return stock, conversation()


def _dynamodb_bodies() -> list[bytes]:
    """Every item-bearing DynamoDB answer moto gives to one conversation, as the raw bytes on the wire."""
    from moto import mock_aws

    bodies: list[bytes] = []
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.meta.events.register(
            "before-parse.dynamodb.*", lambda response_dict, **_: bodies.append(response_dict["body"])
        )
        create_pk_sk_table(client, TABLE)
        bodies.clear()  # the table description carries its creation time: not an item answer
        key = {"pk": ITEM["pk"], "sk": ITEM["sk"]}
        client.put_item(TableName=TABLE, Item=ITEM)
        client.put_item(TableName=TABLE, Item={**ITEM, "count": {"N": "7"}}, ReturnValues="ALL_OLD")
        client.get_item(TableName=TABLE, Key=key)
        client.get_item(TableName=TABLE, Key={**key, "sk": {"S": "missing"}})
        client.query(TableName=TABLE, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": ITEM["pk"]})
        client.scan(TableName=TABLE, Limit=1)
        client.batch_get_item(RequestItems={TABLE: {"Keys": [key]}})
        client.update_item(
            TableName=TABLE,
            Key=key,
            UpdateExpression="SET service.deep.#agent = :a, tags = :t",
            ExpressionAttributeNames={"#agent": "agent"},
            ExpressionAttributeValues={":a": {"S": "李雷"}, ":t": {"SS": ["新"]}},
            ReturnValues="ALL_NEW",
        )
        client.transact_get_items(TransactItems=[{"Get": {"TableName": TABLE, "Key": key}}])
        client.delete_item(TableName=TABLE, Key=key, ReturnValues="ALL_OLD")
    return bodies


def test_dynamodb_answers_are_the_same_bytes_with_attribute_values_written_directly(monkeypatch):
    # Given the same conversation with moto, once through its own serializer and once through the shortcut
    stock, patched = _stock_then_patched(monkeypatch, _dynamodb_bodies)

    # Then every answer is the same bytes, and the answers do carry the item (binary base64-encoded once)
    assert patched == stock
    assert len(patched) == 10
    assert "王芳".encode("unicode_escape") in patched[2] or "王芳".encode() in patched[2]
    assert base64.b64encode(b"\x00\xff\xfe raw") in patched[2]


def test_the_shortcut_hands_anything_but_a_one_member_attribute_value_to_the_serializer():
    # A value with two members, or none, or a None inside, is not what moto's results hold: the stock path decides
    for odd in ({"S": "a", "N": "1"}, {}, {"S": None}, {"M": {"x": {"L": [None]}}}, {"X": "1"}, ["S", "a"]):
        with pytest.raises(moto_patches._NotPlain):
            moto_patches._wire_attribute_value(odd, lambda value: value)


def _sqs_answers() -> list[dict]:
    from moto import mock_aws

    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="feed", Attributes={"VisibilityTimeout": "45", "DelaySeconds": "0"})[
            "QueueUrl"
        ]
        sqs.send_message(QueueUrl=url, MessageBody="案件 1")
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        some = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["VisibilityTimeout", "ApproximateNumberOfMessagesNotVisible"]
        )
    timeless = {k: v for k, v in attributes.items() if "Timestamp" not in k}
    return [[m["Body"] for m in received], timeless, some["Attributes"]]


def test_sqs_queue_attributes_are_the_same_with_their_names_converted_once(monkeypatch):
    stock, patched = _stock_then_patched(monkeypatch, _sqs_answers)

    assert patched == stock
    assert patched[0] == ["案件 1"]
    assert patched[1]["VisibilityTimeout"] == "45" and patched[2]["ApproximateNumberOfMessagesNotVisible"] == "1"


def test_moto_keeps_no_list_of_every_object_it_made_but_s3_keys():
    # Given messages sent and received, items written over and a mail stored, on the patched moto
    from moto import mock_aws
    from moto.dynamodb.models.dynamo_type import Item
    from moto.s3.models import FakeKey
    from moto.sqs.models import Message

    moto_patches.apply_moto_patches()
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="feed")["QueueUrl"]
        for n in range(3):
            sqs.send_message(QueueUrl=url, MessageBody=f"change {n}")
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        handles = {message["ReceiptHandle"] for message in received}
        for handle in handles:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        for version in range(3):
            dynamodb.put_item(TableName="t", Item={"pk": {"S": "case"}, "v": {"N": str(version)}})
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="mail-bucket")
        s3.put_object(Bucket="mail-bucket", Key="raw/1", Body=b"From: a@example.com\r\n\r\nhi")

        # Then deleted messages and overwritten items are nobody's (moto's dashboard list held them all), while
        # S3's objects stay listed for moto's reset to dispose of their spooled files
        assert Message.instances_tracked == [] and Item.instances_tracked == []
        assert any(key.name == "raw/1" for key in FakeKey.instances_tracked)
        # and each receipt handle, drawn at once, is still 185 lowercase letters of its own that deletes its message
        assert len(handles) == 3 and all(len(h) == 185 and h.isascii() and h.isalpha() and h.islower() for h in handles)
        left = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        assert set(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=left)["Attributes"].values()) == {"0"}


def test_a_deleted_message_deletes_again_by_its_old_handle_and_a_made_up_handle_is_refused():
    # Given a message received twice (its first handle expired by a zero visibility) and deleted by the second
    from moto import mock_aws
    from moto.sqs.models import sqs_backends

    moto_patches.apply_moto_patches()
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="feed", Attributes={"VisibilityTimeout": "0"})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="工单 7")
        first = sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
        second = sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=second)

        # When it is deleted again by either handle, and a handle that never was is used
        sqs.delete_message(QueueUrl=url, ReceiptHandle=second)
        sqs.delete_message(QueueUrl=url, ReceiptHandle=first)
        with pytest.raises(ClientError) as refused:
            sqs.delete_message(QueueUrl=url, ReceiptHandle="x" * 185)

        # Then the repeats succeed as on AWS, the made-up one is refused, and the queue keeps hashes, not handles
        assert refused.value.response["Error"]["Code"] == "ReceiptHandleIsInvalid"
        kept = sqs_backends["123456789012"]["us-east-1"].queues["feed"].deleted_messages
        assert {hash(first), hash(second)} <= set(set.__iter__(kept))
        assert all(isinstance(handle, int) for handle in set.__iter__(kept))


def test_a_topic_delivers_every_message_and_keeps_only_the_last_ones_for_inspection(monkeypatch):
    # Given a topic, made while only three notifications are kept, with a queue subscribed
    from moto import mock_aws
    from moto.sns.models import sns_backends

    moto_patches.apply_moto_patches()
    monkeypatch.setattr(moto_patches, "TOPIC_NOTIFICATIONS_KEPT", 3)
    with mock_aws():
        sns, sqs = boto3.client("sns", region_name="us-east-1"), boto3.client("sqs", region_name="us-east-1")
        topic = sns.create_topic(Name="mail")["TopicArn"]
        url = sqs.create_queue(QueueName="intake")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})

        # When five messages are published
        for n in range(5):
            sns.publish(TopicArn=topic, Message=f"邮件 {n}")

        # Then the subscriber got all five and the topic's inspection list holds the last three
        bodies = []
        while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            bodies += [m["Body"] for m in batch]
            sqs.delete_message_batch(
                QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)]
            )
        assert sorted(bodies) == [f"邮件 {n}" for n in range(5)]
        kept = sns_backends["123456789012"]["us-east-1"].topics[topic].sent_notifications
        assert [notification[1] for notification in kept] == ["邮件 2", "邮件 3", "邮件 4"]


def test_templates_read_the_same_with_libyaml_and_json_read_as_json():
    import json
    from pathlib import Path

    import yaml
    from moto.cloudformation.models import Stack

    from omnicase_local import sam_template
    from omnicase_local.translate import dump

    moto_patches.apply_moto_patches()
    template = Path(__file__).resolve().parents[2] / "template.yaml"

    # The local stack's template.yaml: libyaml's parser gives what PyYAML's own gives, intrinsics included
    assert issubclass(sam_template._CfnLoader, yaml.CSafeLoader)
    fast = sam_template.load_yaml(template)

    class PurePythonLoader(yaml.SafeLoader):
        pass

    PurePythonLoader.add_multi_constructor("!", sam_template._CfnLoader.yaml_multi_constructors["!"])
    pure = yaml.load(template.read_text(encoding="utf-8"), Loader=PurePythonLoader)
    assert fast == pure
    assert any("Fn::GetAtt" in json.dumps(resource) for resource in pure["Resources"].values())

    # A JSON body (what the local deploy hands moto) reads as moto's YAML reading read it; YAML still goes to moto's
    body = dump({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "案件", "N": 1.5}}}})
    assert Stack.parse_template(body) == moto_patches.STOCK["parse_template"](body)
    assert Stack.parse_template("Resources:\n  Q: {Type: 'AWS::SQS::Queue'}\n") == {
        "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}
    }
