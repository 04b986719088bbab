"""The load bench's request-unit meter: a key read or written many times is charged every time, at its final size."""

from __future__ import annotations

from bench.capacity import CapacityMeter


def test_repeated_keys_are_charged_once_per_request_at_the_size_they_end_with():
    # Given a tenant row read five times by one function (eventually consistent) and a case updated twice in
    # transactions, plus a read of a key that no longer exists
    meter = CapacityMeter()
    tenant = {"pk": {"S": "T#acme"}, "sk": {"S": "_"}}
    case = {"pk": {"S": "T#acme#CASE#1"}, "sk": {"S": "_"}}
    gone = {"pk": {"S": "T#acme#CASE#2"}, "sk": {"S": "_"}}
    for _ in range(5):
        meter.record("Intake", "BatchGetItem", {"RequestItems": {"t": {"Keys": [tenant]}}}, {})
    update = {"TransactItems": [{"Update": {"TableName": "t", "Key": case}}]}
    meter.record("Intake", "TransactWriteItems", update, {})
    meter.record("Intake", "TransactWriteItems", update, {})
    meter.record("Timers", "GetItem", {"TableName": "t", "Key": gone, "ConsistentRead": True}, {})
    sizes = {"T#acme": (9_000, 0), "T#acme#CASE#1": (1_500, 2)}  # bytes, indexes the item is in

    # When the run is settled against the items as they are at the end
    units = meter.settle(lambda table, key: sizes.get(key["pk"]["S"], (0, 0)))

    # Then each read of the 9 KB row costs 0.5 x 3 units, each transactional update 2 x 2 units plus 2 per index,
    # and the missing item the minimum strongly consistent read
    assert units["Intake"] == {"rru": 5 * 1.5, "wru": 2 * 4.0, "gsi_wru": 2 * 4}
    assert units["Timers"] == {"rru": 1.0}
