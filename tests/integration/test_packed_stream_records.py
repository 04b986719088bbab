"""The local runtime keeps its stream shard's records pickled: GetRecords (and so `omnicase replay`) reads them back
exactly as moto made them."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config

from omnicase_local.streams import PackedStreamRecord, pack_record
from tests.integration.moto_tables import create_pk_sk_table

TABLE = "packed"


@pytest.fixture
def clients():
    from moto import mock_aws

    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        create_pk_sk_table(dynamodb, TABLE, stream=True)
        streams = boto3.client(
            "dynamodbstreams", region_name="us-east-1", config=Config(account_id_endpoint_mode="disabled")
        )
        yield dynamodb, streams


def _shard():
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends["123456789012"]["us-east-1"].tables[TABLE].stream_shard


def _all_records(dynamodb, streams) -> list[dict]:
    arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=_shard().id, ShardIteratorType="TRIM_HORIZON")
    return streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]


def test_get_records_answers_the_same_records_once_they_are_packed(clients):
    # Given an insert and a change of a case with a map, a list, a number and Chinese text
    dynamodb, streams = clients
    item = {
        "pk": {"S": "T#acme#CASE#1"},
        "sk": {"S": "CASE"},
        "subject": {"S": "订单 42 的发票有误"},
        "service": {"M": {"queue": {"S": "billing"}, "tags": {"L": [{"S": "vip"}, {"N": "3"}]}}},
    }
    dynamodb.put_item(TableName=TABLE, Item=item)
    dynamodb.put_item(TableName=TABLE, Item={**item, "status": {"S": "open"}, "version": {"N": "2"}})
    before = _all_records(dynamodb, streams)

    # When the shard's records are packed
    for record in _shard().items:
        pack_record(record)
        pack_record(record)  # twice: the second time changes nothing

    # Then GetRecords reads back exactly what it read before, old and new images included
    assert all(isinstance(record, PackedStreamRecord) for record in _shard().items)
    assert all("record" not in vars(record) for record in _shard().items)
    assert _all_records(dynamodb, streams) == before
    assert before[1]["dynamodb"]["OldImage"]["subject"] == {"S": "订单 42 的发票有误"}
    assert before[1]["dynamodb"]["NewImage"]["status"] == {"S": "open"}


def test_records_written_after_the_runtime_patched_the_shard_are_packed(clients, monkeypatch):
    # Given the local runtime's shard patch (pipes offered each record, then it is packed)
    from moto.dynamodb.models.table import StreamShard

    from omnicase_local import pipes, streams

    offered = []
    monkeypatch.setattr(StreamShard, "add", StreamShard.add)  # undone after the test
    monkeypatch.setattr(pipes, "offer", lambda arn, record: offered.append(record))
    streams._keep_a_window_of_records()
    dynamodb, stream_client = clients

    # When an item is written
    dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "T#acme#CASE#2"}, "sk": {"S": "CASE"}})

    # Then the pipes got it whole, the shard holds it packed, and GetRecords still answers it
    assert offered[0]["dynamodb"]["NewImage"]["pk"] == {"S": "T#acme#CASE#2"}
    assert isinstance(_shard().items[-1], PackedStreamRecord)
    assert _all_records(dynamodb, stream_client)[-1]["dynamodb"]["NewImage"]["pk"] == {"S": "T#acme#CASE#2"}
