"""The meter's DynamoDB arithmetic (tests/capacity.py), on items whose bill is known."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from tests.capacity import Capacity, item_size

pytestmark = pytest.mark.unit
TABLE = {
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "GlobalSecondaryIndexes": [
        {"IndexName": "keys", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "KEYS_ONLY"}},
        {"IndexName": "all", "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "ALL"}},
    ],
}  # fmt: skip


@dataclass
class Units:
    read_units: float = 0
    table_write_units: float = 0
    index_write_units: float = 0
    write_units_by_kind: Counter[str] = field(default_factory=Counter)


def test_an_item_weighs_its_names_and_values_as_dynamodb_counts_them() -> None:
    assert item_size({"pk": "ab", "n": Decimal("123.45")}) == (2 + 2) + (1 + 3 + 1)
    assert item_size({"b": b"\x00" * 10, "t": True, "m": {"x": "y"}, "l": ["a", "b"]}) == 11 + 2 + 7 + 8
    assert item_size({"doc": "é" * 600}) == 3 + 1200  # UTF-8 bytes, not characters


def _index_writes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> int:
    capacity = Capacity(Units(), {"t": TABLE}, original=None, client=None)  # type: ignore[arg-type]
    return capacity.index_writes("t", before, after)


def test_an_index_is_written_only_when_its_entry_changes() -> None:
    cart = {"pk": "c", "sk": "CART", "g": "DAY#1", "doc": "v1"}
    assert _index_writes(None, cart) == 1  # entry created in the keys-only index
    assert _index_writes(cart, {**cart, "doc": "v2" * 900}) == 0  # only what it does not project
    assert _index_writes(cart, {**cart, "g": "DAY#2"}) == 2  # moved: removed and added
    projected = {**cart, "h": "x"}
    assert _index_writes(projected, {**projected, "doc": "v2" * 900}) == 2  # ALL: 1.8 KB rewritten
    assert _index_writes(cart, None) == 1
