"""Stable draws per customer: the hold-out group and the A/B variant.

A hash of (shop, address, purpose), never randomness: the same customer lands in the same
group on every cart and every step, and the decisions stay pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal

from relance.core.sequence.options import Variant

HOLDOUT = "holdout"
DEFAULT_VARIANT = "A"


def _draw(shop_id: str, email: str, purpose: str, modulo: int) -> int:
    seed = f"{shop_id}\n{email.strip().lower()}" + (f"\n{purpose}" if purpose else "")
    digest = hashlib.sha256(seed.encode()).digest()
    return int.from_bytes(digest[:4], "big") % modulo


def in_holdout(shop_id: str, email: str, percent: Decimal) -> bool:
    """The same address is always in or always out of the shop's hold-out group."""
    if not percent:
        return False
    return _draw(shop_id, email, "", 10_000) < percent * 100


def pick_variant(shop_id: str, email: str, variants: Sequence[Variant]) -> str:
    """The customer's arm of the shop's A/B test, in proportion to the weights."""
    if not variants:
        return DEFAULT_VARIANT
    point = _draw(shop_id, email, "variant", sum(v.weight for v in variants))
    for variant in variants:
        if point < variant.weight:
            return variant.name
        point -= variant.weight
    raise AssertionError("unreachable: the draw is below the total weight")
