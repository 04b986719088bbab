"""DynamoDB on-demand request units of the requests a run made, from the sizes of the items they touched.

Rules (DynamoDB developer guide, "Read/write capacity mode"): a write costs 1 WRU per started KB of the item,
a read 0.5 RRU (eventually consistent) or 1 RRU (strongly) per started 4 KB; inside a transaction both double;
a missing item read still costs the minimum. Writes that carry no item (Update, Delete, ConditionCheck) are sized
after the run from the item as it is then, which is the size the write produced. An item carrying an index's key
is written to that index too (all five GSIs project ALL): 1 WRU per started KB per index, counted apart as gsi_wru.
"""

from __future__ import annotations

import math
import pickle
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

KB = 1024
SizeOf = Callable[[str, dict[str, Any]], tuple[int, int]]  # (table, key) -> (bytes, indexes it is in); (0, 0): absent
PackedKey = bytes  # a key's (name, attribute value) pairs, sorted and pickled: hashable, ~100 bytes
INDEX_KEYS = ("gsi1pk", "gsi2pk", "gsi3pk", "gsi4pk", "gsi5pk")


def item_size(item: dict[str, Any]) -> int:
    """Bytes of a DynamoDB-JSON item as DynamoDB counts them (names + values), via moto's own sizing."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    return sum(len(name.encode()) + DynamoType(value).size() for name, value in item.items())


def _read_units(size: int, consistent: bool) -> float:
    return max(1, math.ceil(size / (4 * KB))) * (1.0 if consistent else 0.5)


def _write_units(size: int) -> float:
    return max(1, math.ceil(size / KB))


class CapacityMeter:
    """Request units per function; items without a size in the request are settled once the run is over."""

    def __init__(self) -> None:
        self.units: defaultdict[str, Counter[str]] = defaultdict(Counter)
        # How often each (function, kind, table, key, factor) was charged: one entry per distinct key, not per request,
        # so the meter's own memory does not swell the peak the load bench reports (the tenant's rows are read often).
        self._later: Counter[tuple[str, str, str, PackedKey, float]] = Counter()

    def record(self, function: str, operation: str, params: dict[str, Any], response: dict[str, Any]) -> None:
        """Charge one DynamoDB request to `function`."""
        units = self.units[function]
        consistent = bool(params.get("ConsistentRead"))
        if operation == "PutItem":
            self._put(units, params["Item"], 1.0)
        elif operation in ("UpdateItem", "DeleteItem"):
            self._defer(function, "wru", params["TableName"], params["Key"], 1.0)
        elif operation == "GetItem":
            self._defer(function, "rru", params["TableName"], params["Key"], 1.0 if consistent else 0.5)
        elif operation == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                factor = 1.0 if request.get("ConsistentRead") else 0.5
                for key in request["Keys"]:
                    self._defer(function, "rru", table, key, factor)
        elif operation in ("Query", "Scan"):
            size = sum(item_size(item) for item in response.get("Items", []))
            units["rru"] += _read_units(size, consistent)
        elif operation == "TransactWriteItems":
            for entry in params["TransactItems"]:
                ((kind, op),) = entry.items()
                if kind == "Put":
                    self._put(units, op["Item"], 2.0)
                else:
                    self._defer(function, "wru", op["TableName"], op["Key"], 2.0)
        elif operation == "TransactGetItems":
            for entry in params["TransactItems"]:
                op = entry["Get"]
                self._defer(function, "rru", op["TableName"], op["Key"], 2.0)

    def _defer(self, function: str, kind: str, table: str, key: dict[str, Any], factor: float) -> None:
        self._later[function, kind, table, pickle.dumps(sorted(key.items())), factor] += 1

    @staticmethod
    def _put(units: Counter[str], item: dict[str, Any], factor: float) -> None:
        size = _write_units(item_size(item))
        units["wru"] += factor * size
        units["gsi_wru"] += size * sum(1 for key in INDEX_KEYS if key in item)

    def settle(self, size_of: SizeOf) -> dict[str, dict[str, float]]:
        """Charge the deferred items at their final size; {function: {"rru": x, "wru": y}}."""
        for (function, kind, table, packed, factor), times in self._later.items():
            size, indexes = size_of(table, dict(pickle.loads(packed)))
            if kind == "wru":
                self.units[function]["wru"] += times * factor * _write_units(size)
                self.units[function]["gsi_wru"] += times * indexes * _write_units(size)
            else:  # factor: 0.5 eventually consistent, 1 strongly, 2 transactional, per started 4 KB
                self.units[function]["rru"] += times * max(1, math.ceil(size / (4 * KB))) * factor
        self._later.clear()
        return {function: dict(units) for function, units in self.units.items()}


def moto_size_of(account: str, region: str) -> SizeOf:
    """Item sizes read straight from the in-process moto backend (no request counted)."""
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[account][region]

    def size_of(table: str, key: dict[str, Any]) -> tuple[int, int]:
        item = backend.get_item(table, key)
        if item is None:
            return 0, 0
        return item.size(), sum(1 for name in INDEX_KEYS if name in item.attrs)

    return size_of
