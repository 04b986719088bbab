"""The local runtime's moto keeps one copy of each attribute name and short string value: same items, less memory."""

from __future__ import annotations

import boto3
import pytest

from omnicase_local import moto_patches
from tests.integration.moto_tables import create_pk_sk_table

ITEM = {
    "pk": {"S": "T#acme#CASE#1"},
    "sk": {"S": "CASE"},
    "status": {"S": "open"},
    "body": {"S": "x" * (moto_patches.SHARED_VALUE_CHARS + 1)},
    "count": {"N": "3"},
    "flag": {"BOOL": True},
    "none": {"NULL": True},
    "blob": {"B": b"\x00\x01"},
    "tags": {"SS": ["vip", "billing"]},
    "service": {"M": {"queue": {"S": "billing"}, "history": {"L": [{"S": "open"}, {"N": "1"}, {"M": {}}]}}},
}


@pytest.fixture(params=["stock", "patched"])
def table(request, monkeypatch):
    from moto import mock_aws
    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    patched = request.param == "patched"
    stock = moto_patches.STOCK.get("dynamo_type_init", DynamoType.__init__)
    monkeypatch.setattr(DynamoType, "__init__", moto_patches.dynamo_type_init if patched else stock)
    stock_item = moto_patches.STOCK.get("item_init", Item.__init__)
    monkeypatch.setattr(Item, "__init__", moto_patches.item_init if patched else stock_item)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_pk_sk_table(client, "strings")
        yield client, request.param


def _stored(sk: str):
    from moto.dynamodb.models import dynamodb_backends

    items = dynamodb_backends["123456789012"]["us-east-1"].tables["strings"].all_items()
    return next(item for item in items if item.range_key.value == sk)


def test_items_read_back_the_same_with_or_without_shared_strings(table):
    # Given an item with every kind of attribute, written twice
    client, _ = table
    client.put_item(TableName="strings", Item=ITEM)
    client.put_item(TableName="strings", Item={**ITEM, "sk": {"S": "CASE2"}})

    # When it is read, queried with a condition on a nested value, and updated
    got = client.get_item(TableName="strings", Key={"pk": ITEM["pk"], "sk": ITEM["sk"]})["Item"]
    found = client.query(
        TableName="strings",
        KeyConditionExpression="pk = :pk",
        FilterExpression="service.queue = :q AND #s = :open",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":pk": ITEM["pk"], ":q": {"S": "billing"}, ":open": {"S": "open"}},
    )["Items"]
    client.update_item(
        TableName="strings",
        Key={"pk": ITEM["pk"], "sk": ITEM["sk"]},
        UpdateExpression="SET service.queue = :q",
        ExpressionAttributeValues={":q": {"S": "general"}},
    )
    updated = client.get_item(TableName="strings", Key={"pk": ITEM["pk"], "sk": ITEM["sk"]})["Item"]

    # Then moto answers exactly as it does unpatched
    assert got == ITEM
    assert len(found) == 2
    assert updated["service"]["M"]["queue"] == {"S": "general"}
    assert updated["service"]["M"]["history"] == ITEM["service"]["M"]["history"]


def test_the_patched_items_share_names_and_short_values(table):
    # Given the same item written under two keys
    client, variant = table
    client.put_item(TableName="strings", Item=ITEM)
    client.put_item(TableName="strings", Item={**ITEM, "sk": {"S": "CASE2"}})
    first, second = _stored("CASE"), _stored("CASE2")

    # Then the patched moto holds one copy of each name and short value; long values stay their own
    shared = variant == "patched"
    names = dict(zip(first.attrs, second.attrs, strict=True))
    assert all((a is b) == shared for a, b in names.items())
    assert (first.attrs["status"].value is second.attrs["status"].value) == shared
    nested = (
        first.attrs["service"].value["history"].value[0].value,
        second.attrs["service"].value["history"].value[0].value,
    )
    assert (nested[0] is nested[1]) == shared
    assert first.attrs["body"].value is not second.attrs["body"].value


def test_a_str_subclass_is_kept_as_it_is(table):
    # Given a value of a caller's own str type (the report counters' parts are one)
    from moto.dynamodb.models.dynamo_type import DynamoType

    class Part(str):
        pass

    # When moto wraps it, as a value and as a map's key
    value = DynamoType({"S": Part("queue:billing")})
    mapped = DynamoType({"M": {Part("queue:billing"): {"N": "1"}}})

    # Then it is the same value, of the same type (strings of a subclass cannot be interned)
    assert value.value == "queue:billing" and type(value.value) is Part
    assert list(mapped.value) == ["queue:billing"]


@pytest.mark.parametrize("table", ["patched"], indirect=True)
def test_shared_strings_stay_mortal_and_their_table_bounded(table, monkeypatch):
    # Given a small table of shared strings, and items each with a value of its own (ids and times are)
    import sys

    client, _ = table
    monkeypatch.setattr(moto_patches, "SHARED_STRINGS_KEPT", 10)
    for n in range(30):
        client.put_item(TableName="strings", Item={**ITEM, "sk": {"S": f"CASE{n}"}, "at": {"S": f"2026-12-06T{n}"}})

    # Then the table never held more than its bound, the items read back whole, and a stored value is an ordinary
    # string that is freed with its item (sys.intern would have made it immortal: a refcount of 2**32 - 1)
    assert len(moto_patches._shared_strings) <= 10 + 1
    assert client.get_item(TableName="strings", Key={"pk": ITEM["pk"], "sk": {"S": "CASE29"}})["Item"]["at"] == {
        "S": "2026-12-06T29"
    }
    assert sys.getrefcount(_stored("CASE7").attrs["at"].value) < 2**30


def test_items_sharing_a_scalar_change_apart(table):
    # Given two items with the same short status, count and flag (one shared DynamoType each when patched)
    client, variant = table
    for sk in ("A", "B"):
        item = {"pk": {"S": "T#acme#CASE#9"}, "sk": {"S": sk}, "status": {"S": "open"}, "n": {"N": "1"}}
        client.put_item(TableName="strings", Item={**item, "flag": {"BOOL": True}, "tags": {"SS": ["vip"]}})
    first, second = _stored("A"), _stored("B")
    assert (first.attrs["status"] is second.attrs["status"]) == (variant == "patched")
    assert first.attrs["tags"] is not second.attrs["tags"]  # a set is changed in place: never shared

    # When one of them is updated in every way an update can touch a scalar, and its set grows
    client.update_item(
        TableName="strings",
        Key={"pk": {"S": "T#acme#CASE#9"}, "sk": {"S": "A"}},
        UpdateExpression="SET #s = :solved, flag = :no ADD n :one, tags :billing",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":solved": {"S": "solved"},
            ":no": {"BOOL": False},
            ":one": {"N": "1"},
            ":billing": {"SS": ["billing"]},
        },
    )

    # Then the other item still reads as it was written
    other = client.get_item(TableName="strings", Key={"pk": {"S": "T#acme#CASE#9"}, "sk": {"S": "B"}})["Item"]
    assert (other["status"], other["n"], other["flag"], other["tags"]) == (
        {"S": "open"},
        {"N": "1"},
        {"BOOL": True},
        {"SS": ["vip"]},
    )
    changed = client.get_item(TableName="strings", Key={"pk": {"S": "T#acme#CASE#9"}, "sk": {"S": "A"}})["Item"]
    assert (changed["status"], changed["n"], changed["flag"]) == ({"S": "solved"}, {"N": "2"}, {"BOOL": False})
    assert sorted(changed["tags"]["SS"]) == ["billing", "vip"]


@pytest.mark.parametrize("table", ["patched"], indirect=True)
def test_an_items_key_objects_are_its_attributes(table):
    # Given two items of one partition, written by put and by a transaction
    client, _ = table
    client.put_item(TableName="strings", Item={"pk": {"S": "T#acme#CASE#5"}, "sk": {"S": "MSG#1"}, "n": {"N": "1"}})
    client.transact_write_items(
        TransactItems=[{"Put": {"TableName": "strings", "Item": {"pk": {"S": "T#acme#CASE#5"}, "sk": {"S": "MSG#2"}}}}]
    )
    first, second = _stored("MSG#1"), _stored("MSG#2")

    # Then each holds one object per key value: the sort key is the attribute, the partition key is shared
    assert first.attrs["sk"] is first.range_key and second.attrs["sk"] is second.range_key
    assert first.attrs["pk"] is first.hash_key is second.hash_key
    # and the items still read, query and delete by their keys
    key = {"pk": {"S": "T#acme#CASE#5"}, "sk": {"S": "MSG#1"}}
    assert client.get_item(TableName="strings", Key=key)["Item"]["n"] == {"N": "1"}
    client.delete_item(TableName="strings", Key=key)
    left = client.query(
        TableName="strings", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": key["pk"]}
    )["Items"]
    assert [item["sk"]["S"] for item in left] == ["MSG#2"]
