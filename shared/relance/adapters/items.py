"""Reading back what we stored in DynamoDB: its attribute values come typed as any of a dozen
types (numbers as ``Decimal``); these say which one we wrote."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

Item = Mapping[str, Any]


def text(item: Item, name: str) -> str:
    return str(item[name])


def whole(item: Item, name: str, default: int = 0) -> int:
    value = item.get(name, default)
    return int(value) if isinstance(value, int | Decimal | str) else default


def packed(document: str) -> bytes:
    """A JSON document as stored: zlib cuts a cart to a third, and DynamoDB bills a write per
    KB begun, so most carts cost one write unit instead of two or three."""
    return zlib.compress(document.encode(), ZLIB_LEVEL)


def unpacked(item: Item, name: str = "docz", legacy: str = "doc") -> str:
    """The JSON document of ``item``: packed, or as text in items written before packing."""
    if name not in item:
        return text(item, legacy)
    value = item[name]
    return zlib.decompress(bytes(value)).decode()  # boto3 gives a Binary, which bytes() reads


ZLIB_LEVEL = 6
