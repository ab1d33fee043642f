"""The one segmentation (seed 000), for every use: who the customer is and how big the cart is.

Sequences and emails treat an unknown history as a prospect's; reports keep it ``unknown``
so that finance sees how much the shop did not say.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

CustomerSegment = Literal["prospect", "returning"]
ValueSegment = Literal["standard", "high"]
CustomerType = Literal["prospect", "returning", "unknown"]


def customer_segment(orders_count: int | None) -> CustomerSegment:
    """Returning when the shop reported past orders; an unknown history counts as prospect."""
    return "returning" if orders_count else "prospect"


def customer_type(orders_count: int | None) -> CustomerType:
    """As reports show it: an unknown history stays unknown."""
    return "unknown" if orders_count is None else customer_segment(orders_count)


def value_segment(total: Decimal, high_cart_value: Decimal) -> ValueSegment:
    return "high" if total >= high_cart_value else "standard"


def report_segment(orders_count: int | None, total: Decimal, high_cart_value: Decimal) -> str:
    """``prospect-standard``, ``unknown-high``...: a row of the report by segment."""
    return f"{customer_type(orders_count)}-{value_segment(total, high_cart_value)}"
