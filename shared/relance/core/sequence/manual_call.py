"""Seed 001: a very high cart deserves a phone call from staff, once per cart."""

from __future__ import annotations

from relance.core.cart.state import Cart
from relance.core.sequence.policy import ShopPolicy


def needs_manual_call(cart: Cart, policy: ShopPolicy) -> bool:
    threshold = policy.manual_call_value
    return threshold is not None and cart.total >= threshold and cart.flagged_at is None
