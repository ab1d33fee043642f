"""Reading back what we stored in DynamoDB: its attribute values come typed as any of a dozen
types (numbers as ``Decimal``); these say which one we wrote."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

Item = Mapping[str, Any]


def text(item: Item, name: str) -> str:
    return str(item[name])


def whole(item: Item, name: str, default: int = 0) -> int:
    value = item.get(name, default)
    return int(value) if isinstance(value, int | Decimal | str) else default
