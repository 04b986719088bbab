"""The journalled transact_write_items keeps moto's all-or-nothing semantics and cancellation reasons."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from omnicase_local import moto_patches
from tests.integration.moto_tables import create_pk_sk_table

TABLE = "tx"


@pytest.fixture(params=["stock", "patched"])
def dynamodb(request, monkeypatch):
    from moto import mock_aws
    from moto.dynamodb.models import DynamoDBBackend

    stock = moto_patches.STOCK.get("transact_write_items", DynamoDBBackend.transact_write_items)
    implementation = stock if request.param == "stock" else moto_patches.transact_write_items
    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", implementation)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_pk_sk_table(client, TABLE, stream=True)
        for sk, version in (("b", "1"), ("c", "1"), ("d", "1")):
            client.put_item(TableName=TABLE, Item={"pk": {"S": "case"}, "sk": {"S": sk}, "v": {"N": version}})
        yield client


def _key(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _items(client) -> list[dict]:
    return sorted(client.scan(TableName=TABLE)["Items"], key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def _stream_records() -> int:
    from moto.dynamodb.models import dynamodb_backends

    return len(dynamodb_backends["123456789012"]["us-east-1"].tables[TABLE].stream_shard.items)


def _failing_transaction() -> list[dict]:
    return [
        {"Put": {"TableName": TABLE, "Item": {**_key("other", "a"), "v": {"N": "1"}}}},
        {
            "Update": {
                "TableName": TABLE,
                "Key": _key("case", "b"),
                "UpdateExpression": "SET v = :two",
                "ExpressionAttributeValues": {":two": {"N": "2"}},
            }
        },
        {"Delete": {"TableName": TABLE, "Key": _key("case", "c")}},
        {
            "ConditionCheck": {
                "TableName": TABLE,
                "Key": _key("case", "d"),
                "ConditionExpression": "v = :nine",
                "ExpressionAttributeValues": {":nine": {"N": "9"}},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
    ]


def test_a_failed_condition_rolls_back_every_write(dynamodb):
    # Given three items and the stream records of their creation
    before, records = _items(dynamodb), _stream_records()

    # When a transaction that puts, updates and deletes fails its last condition
    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(TransactItems=_failing_transaction())

    # Then it is cancelled with one reason per item, the failing one carrying the old item
    error = raised.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    reasons = error["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "None", "None", "ConditionalCheckFailed"]
    assert reasons[3]["Item"] == {**_key("case", "d"), "v": {"N": "1"}}
    # And nothing of it is left: items and stream as before
    assert _items(dynamodb) == before
    assert _stream_records() == records


def test_a_key_used_twice_is_a_validation_error_and_rolls_back(dynamodb):
    before = _items(dynamodb)
    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": {**_key("new", "x")}}},
                {"Delete": {"TableName": TABLE, "Key": _key("case", "b")}},
                {"Delete": {"TableName": TABLE, "Key": _key("case", "b")}},
            ]
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert _items(dynamodb) == before


def test_a_successful_transaction_applies_every_write(dynamodb):
    transaction = _failing_transaction()[:3]
    dynamodb.transact_write_items(TransactItems=transaction)
    assert _items(dynamodb) == [
        {**_key("case", "b"), "v": {"N": "2"}},
        {**_key("case", "d"), "v": {"N": "1"}},
        {**_key("other", "a"), "v": {"N": "1"}},
    ]


def test_apply_moto_patches_is_idempotent(monkeypatch):
    from moto.dynamodb.models import DynamoDBBackend

    # monkeypatch restores moto, the flag and the record of moto's own implementation afterwards
    stock = moto_patches.STOCK.get("transact_write_items", DynamoDBBackend.transact_write_items)
    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", stock)
    monkeypatch.setattr(moto_patches, "_applied", False)
    monkeypatch.setattr(moto_patches, "STOCK", {})
    # What a re-application replaces is put back afterwards too, so later tests see moto patched exactly once.
    from moto.dynamodb.models.dynamo_type import DynamoType, Item
    from moto.dynamodb.models.table import Table
    from moto.stepfunctions.parser.asl.component.program.program import Program

    replaced = ((Program, "eval"), (Table, "query"), (Table, "all_items"), (Item, "__init__"), (DynamoType, "__init__"))
    for owner, name in replaced:
        monkeypatch.setattr(owner, name, getattr(owner, name))
    moto_patches.apply_moto_patches()
    moto_patches.apply_moto_patches()
    assert DynamoDBBackend.transact_write_items is moto_patches.transact_write_items
    assert moto_patches.STOCK["transact_write_items"] is stock


def _query_pages(client, **query) -> list[list[dict]]:
    """Every page of a query with a small Limit, so moto's ordering and its cursors are both exercised."""
    pages, start = [], None
    while True:
        answer = client.query(TableName="q", Limit=7, **query, **({"ExclusiveStartKey": start} if start else {}))
        pages.append(answer["Items"])
        start = answer.get("LastEvaluatedKey")
        if not start:
            return pages


def test_a_query_without_the_whole_table_sorted_answers_the_same_pages(monkeypatch):
    import random

    from moto import mock_aws
    from moto.dynamodb.models.table import Table

    moto_patches.apply_moto_patches()
    queries = [
        {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "p3"}}},
        {
            "KeyConditionExpression": "pk = :p AND sk > :s",
            "ExpressionAttributeValues": {":p": {"S": "p1"}, ":s": {"S": "s05"}},
            "ScanIndexForward": False,
        },
        {"IndexName": "gsi", "KeyConditionExpression": "gpk = :g", "ExpressionAttributeValues": {":g": {"S": "g1"}}},
        {
            "IndexName": "gsi",
            "KeyConditionExpression": "gpk = :g",
            "ExpressionAttributeValues": {":g": {"S": "g0"}},
            "ScanIndexForward": False,
        },
    ]
    answers = {}
    for implementation in ("stock", "patched"):
        if implementation == "stock":
            monkeypatch.setattr(Table, "query", moto_patches.STOCK["table_query"])
        else:
            monkeypatch.undo()
        with mock_aws():
            client = boto3.client("dynamodb", region_name="us-east-1")
            client.create_table(
                TableName="q",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "gpk", "gsk")],
                GlobalSecondaryIndexes=[
                    {
                        "IndexName": "gsi",
                        "KeySchema": [
                            {"AttributeName": "gpk", "KeyType": "HASH"},
                            {"AttributeName": "gsk", "KeyType": "RANGE"},
                        ],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                ],
                BillingMode="PAY_PER_REQUEST",
            )
            rows = [(f"p{p}", f"s{s:02d}") for p in range(5) for s in range(20)]
            random.Random(7).shuffle(rows)  # insertion order must not matter
            for n, (pk, sk) in enumerate(rows):
                # Index sort keys repeat, so the order among equal ones rests on the table's key, as in DynamoDB.
                item = {"pk": {"S": pk}, "sk": {"S": sk}, "gpk": {"S": f"g{n % 2}"}, "gsk": {"S": f"{n % 5}"}}
                client.put_item(TableName="q", Item=item)
            answers[implementation] = [_query_pages(client, **query) for query in queries]
    assert answers["patched"] == answers["stock"]
    assert [sum(len(page) for page in pages) for pages in answers["stock"]] == [20, 14, 50, 50]
