"""DynamoDB capacity units, as AWS bills them, of calls made through botocore.

Reads by item size (4 KB, halved when eventually consistent; a BatchGetItem bills every
key asked); writes by the larger of the item before and after (1 KB), and one more per
global secondary index whose entry the write creates, changes or removes (its projected
size). Sizes follow DynamoDB's rules: names plus values, numbers by their digits.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from boto3.dynamodb.types import Binary, TypeDeserializer
from botocore.client import BaseClient

_TYPES = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"}
_deserialize = TypeDeserializer().deserialize


class Units(Protocol):
    read_units: float
    table_write_units: float
    index_write_units: float
    write_units_by_kind: Counter[str]


def item_size(item: Mapping[str, Any] | None) -> int:
    """DynamoDB's size of an item: names plus values (docs: "Item sizes and formats")."""
    return sum(len(name.encode()) + _value_size(value) for name, value in (item or {}).items())


def _value_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, bool) or value is None:
        return 1
    if isinstance(value, int | float | Decimal):
        digits = str(value).replace("-", "").replace(".", "").strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if isinstance(value, Binary):
        return len(bytes(value))  # type: ignore[call-overload]  # Binary has __bytes__
    if isinstance(value, bytes | bytearray):
        return len(value)
    if isinstance(value, Mapping):
        return 3 + sum(1 + len(k.encode()) + _value_size(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return 3 + sum(1 + _value_size(v) for v in value)
    if isinstance(value, set | frozenset):
        return sum(_value_size(v) for v in value)
    raise TypeError(type(value))


def _plain(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """An item as Python values, from a low-level client's typed attributes too."""
    if item is None:
        return None
    typed = all(isinstance(v, dict) and len(v) == 1 and next(iter(v)) in _TYPES for v in item.values())
    return {k: _deserialize(v) for k, v in item.items()} if typed and item else dict(item)


class Capacity:
    """Capacity units of one DynamoDB call, added to ``units``; the items around a write are
    read with ``original`` (botocore's own call), so they are not counted."""

    def __init__(self, units: Units, tables: dict[str, Any], original: Any, client: BaseClient) -> None:
        self.units, self.tables, self.original, self.client = units, tables, original, client

    def table(self, name: str) -> dict[str, Any]:
        if name not in self.tables:
            self.tables[name] = self.original(self.client, "DescribeTable", {"TableName": name})["Table"]
        described: dict[str, Any] = self.tables[name]
        return described

    def get(self, name: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        answer = self.original(
            self.client, "GetItem", {"TableName": name, "Key": key, "ConsistentRead": True}
        )
        return _plain(answer.get("Item"))

    def key_of(self, name: str, item: Mapping[str, Any]) -> dict[str, Any]:
        return {k["AttributeName"]: item[k["AttributeName"]] for k in self.table(name)["KeySchema"]}

    def write(self, name: str, key: Mapping[str, Any], run: Any, factor: int = 1) -> Any:
        before = self.get(name, key)
        try:
            return run()
        finally:
            after = self.get(name, key)
            size = max(item_size(before), item_size(after))
            table_units = factor * max(1, math.ceil(size / 1024))
            index_units = factor * self.index_writes(name, before, after)
            part = self.units
            part.table_write_units += table_units
            part.index_write_units += index_units
            kind = str(_plain(key).get("sk", "?")).split("#")[0]  # type: ignore[union-attr]
            part.write_units_by_kind[f"{kind} (table)"] += table_units
            part.write_units_by_kind[f"{kind} (index)"] += index_units

    def index_writes(self, name: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> int:
        units = 0
        table = self.table(name)
        table_keys = [k["AttributeName"] for k in table["KeySchema"]]
        for index in table.get("GlobalSecondaryIndexes", []):
            keys = [k["AttributeName"] for k in index["KeySchema"]]
            old, new = (_entry(item, keys, table_keys, index["Projection"]) for item in (before, after))
            if old == new:
                continue
            if old is not None and new is not None and all(old[k] == new[k] for k in keys):
                units += max(1, math.ceil(item_size(new) / 1024))  # updated in place
            else:  # removed and/or added
                units += sum(max(1, math.ceil(item_size(e) / 1024)) for e in (old, new) if e is not None)
        return units

    def read(self, items: list[Mapping[str, Any]], consistent: bool) -> None:
        size = sum(item_size(_plain(item)) for item in items)
        self.units.read_units += max(1, math.ceil(size / 4096)) * (1 if consistent else 0.5)


def _entry(
    item: dict[str, Any] | None, keys: list[str], table_keys: list[str], projection: dict[str, Any]
) -> dict[str, Any] | None:
    if item is None or any(k not in item for k in keys):
        return None  # sparse: no entry in this index
    if projection["ProjectionType"] == "ALL":
        return item
    kept = set(keys) | set(table_keys) | set(projection.get("NonKeyAttributes", []))
    return {k: v for k, v in item.items() if k in kept}


def dynamodb_call(dynamo: Capacity, operation: str, params: dict[str, Any], run: Any) -> Any:
    name = params.get("TableName", "")
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        key = params["Key"] if "Key" in params else dynamo.key_of(name, params["Item"])
        return dynamo.write(name, key, run)
    if operation == "TransactWriteItems":
        for entry in params["TransactItems"]:
            ((kind, detail),) = entry.items()
            if kind == "ConditionCheck":
                dynamo.units.table_write_units += 2
                continue
            key = detail["Key"] if "Key" in detail else dynamo.key_of(detail["TableName"], detail["Item"])
            dynamo.write(detail["TableName"], key, lambda: None, factor=2)
        return run()
    if operation == "BatchWriteItem":
        for table, requests in params["RequestItems"].items():
            for request in requests:
                ((kind, detail),) = request.items()
                key = detail["Key"] if kind == "DeleteRequest" else dynamo.key_of(table, detail["Item"])
                dynamo.write(table, key, lambda: None)
        return run()
    answer = run()
    _read_units(dynamo, operation, params, answer)
    return answer


def _read_units(dynamo: Capacity, operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
    if operation == "GetItem":
        dynamo.read([answer["Item"]] if "Item" in answer else [], bool(params.get("ConsistentRead")))
    elif operation in ("Query", "Scan"):
        dynamo.read(answer.get("Items", []), bool(params.get("ConsistentRead")))
    elif operation == "BatchGetItem":  # each key asked is billed, found or not
        for table, request in params["RequestItems"].items():
            found = answer.get("Responses", {}).get(table, [])
            for item in found:
                dynamo.read([item], bool(request.get("ConsistentRead")))
            missing = (
                len(request["Keys"])
                - len(found)
                - len(answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys", []))
            )
            for _ in range(missing):
                dynamo.read([], bool(request.get("ConsistentRead")))
